"""Partners of a scheme and their membership over time."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta
from pydantic import Field, model_validator

from reciprocity.model.base import MAX_AREAS, AreaId, BoundaryModel, PartnerId, raise_field_errors
from reciprocity.model.enums import MembershipStatus, PartnerKind

__all__ = ["NOTICE_PERIOD", "Membership", "Partner"]

#: Withdrawal takes effect one month after notice is given (Kent RP MoU §2.4 (second), §5.5).
NOTICE_PERIOD = relativedelta(months=1)


class Membership(BoundaryModel):
    """The dates that decide a partner's standing in a scheme on any given day.

    Each date records an event; an absent date means the event has not happened. A partner
    record without ``joined_on`` is taken as a member since before records began: the record
    exists because the partner is in the scheme.
    """

    joined_on: date | None = Field(None, description="Date the partner joined the scheme.")
    notice_given_on: date | None = Field(
        None, description="Date the partner gave notice to withdraw, if it has."
    )
    withdrawn_on: date | None = Field(
        None,
        description="Date the withdrawal took effect; when absent it is one month after notice.",
    )
    removed_on: date | None = Field(
        None, description="Date the partner was removed from the scheme after a breach."
    )

    @model_validator(mode="after")
    def _dates_in_order(self) -> Membership:
        errors = []
        for field in ("notice_given_on", "withdrawn_on", "removed_on"):
            value = getattr(self, field)
            if value is not None and self.joined_on is not None and value < self.joined_on:
                errors.append(
                    ((field,), "date_order", "is before joined_on; a partner must join first")
                )
        if (
            self.withdrawn_on is not None
            and self.notice_given_on is not None
            and self.withdrawn_on < self.notice_given_on
        ):
            errors.append(
                (("withdrawn_on",), "date_order", "is before notice_given_on; give notice first")
            )
        raise_field_errors("Membership", errors)
        return self

    @property
    def notice_ends_on(self) -> date | None:
        """The day withdrawal takes effect after notice, or None when no notice was given."""
        if self.withdrawn_on is not None:
            return self.withdrawn_on
        if self.notice_given_on is not None:
            try:
                return self.notice_given_on + NOTICE_PERIOD
            except (OverflowError, ValueError):  # notice in December 9999
                return date.max
        return None

    def status_on(self, on: date) -> MembershipStatus:
        """The partner's standing on ``on``; a partner with no join date is taken as a member."""
        if self.removed_on is not None and on >= self.removed_on:
            return MembershipStatus.REMOVED
        if self.joined_on is not None and on < self.joined_on:
            return MembershipStatus.NOT_YET_JOINED
        ends = self.notice_ends_on
        if ends is not None and on >= ends:
            return MembershipStatus.WITHDRAWN
        if self.notice_given_on is not None and on >= self.notice_given_on:
            return MembershipStatus.NOTICE_GIVEN
        return MembershipStatus.ACTIVE


class Partner(BoundaryModel):
    """An organisation's membership of one scheme: who it is, where it has homes, its standing."""

    id: PartnerId = Field(description="Stable id of the organisation, e.g. 'ashford_bc'.")
    name: str | None = Field(None, max_length=200, description="Organisation name (not a person).")
    kind: PartnerKind | None = Field(
        None, description="What kind of organisation it is; absent when not recorded (a rule reading it asks)."
    )
    authority_area: AreaId | None = Field(
        None, description="For a local authority: the district or borough it is the council for (a rule "
        "that needs it asks when it is absent)."
    )
    stock_areas: tuple[AreaId, ...] = Field(
        (), max_length=MAX_AREAS, description="Areas where the partner holds social housing stock; empty counts as not given."
    )
    membership: Membership | None = Field(
        None, description="Membership dates; when absent, the partner's standing is unknown."
    )
    data_sharing_protocol_signatory: bool | None = Field(
        None, description="Whether it has signed the scheme's data sharing protocol."
    )
    named_lead: str | None = Field(
        None,
        max_length=120,
        description="Reference for the partner's named lead contact (a role or staff reference).",
    )
