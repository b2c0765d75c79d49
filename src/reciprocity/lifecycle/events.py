"""The events a case can record, and what each carries (validated at the boundary).

The vocabulary is the core's; each scheme's :class:`~reciprocity.lifecycle.process.Process`
says which of them it uses, in which states, by which roles. Payloads are stored as JSON in
the event store, so every value here is JSON-friendly; a case's state is the replay of its
events (:mod:`reciprocity.lifecycle.case`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, field_validator

from reciprocity.model import Offer, Referral
from reciprocity.model.base import AreaId, BoundaryModel, PartnerId

__all__ = ["PAYLOADS", "Information", "validate_payload"]


class Information(StrEnum):
    """What a referring council sends before final acceptance (KRS point 11)."""

    DASH = "dash_risk_assessment"
    POLICE_REPORTS = "police_reports"
    RISK_MATRIX = "risk_assessment_matrix"
    AGENCY_REPORTS = "agency_reports"


class _Empty(BoundaryModel):
    pass


class Refer(BoundaryModel):
    scheme: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    referral: Referral


class EligibilityChecked(BoundaryModel):
    outcome: Literal["eligible", "ineligible", "needs_information"]
    failed: tuple[str, ...] = ()
    open: tuple[str, ...] = ()


class Accept(BoundaryModel):
    arc: str = Field(description="The case's Application Reference Code, e.g. ARC-7KQ2-M9XD.")

    @field_validator("arc")
    @classmethod
    def _valid_arc(cls, value: str) -> str:
        from reciprocity.privacy.arc import InvalidArcError, parse_arc  # noqa: PLC0415

        try:
            return str(parse_arc(value))
        except InvalidArcError as error:
            raise ValueError(str(error)) from None


class Approve(BoundaryModel):
    partner: PartnerId | None = None


class RecordUnsafe(BoundaryModel):
    unsafe_areas: tuple[AreaId, ...]


class Circulate(BoundaryModel):
    round: int = Field(ge=1)
    recipients: tuple[PartnerId, ...]
    excluded: tuple[tuple[PartnerId, str], ...] = ()
    #: Where each recipient holds homes (its council area and stock areas), so the guard can
    #: check, from the record itself, that no recipient is in an unsafe area.
    recipient_areas: dict[PartnerId, tuple[AreaId, ...]]
    respond_by: str
    request: dict[str, Any]


class Respond(BoundaryModel):
    partner: PartnerId
    can_help: bool


class SendInformation(BoundaryModel):
    kinds: tuple[Information, ...] = Field(min_length=1)


class PartnerEvent(BoundaryModel):
    partner: PartnerId


class MakeOffer(BoundaryModel):
    offer: Offer
    assessment: Literal["eligible", "ineligible", "needs_information"]
    failed: tuple[str, ...] = ()


class ExtendAreas(BoundaryModel):
    requested_areas: tuple[AreaId, ...] = Field(min_length=1)


class Close(BoundaryModel):
    reason: Literal["no_property_identified", "withdrawn", "ineligible", "other"]


class ReceiveFeedback(BoundaryModel):
    source: Literal["nominating_officer", "survivor", "partner"] = Field(
        description="Who gave the feedback (never their name).")
    positive: bool | None = Field(None, description="Whether the feedback was positive, if it says.")


class EndDuty(BoundaryModel):
    hclic_recorded: bool


#: Each event's payload model.
PAYLOADS: dict[str, type[BoundaryModel]] = {
    "refer": Refer,
    "check_eligibility": EligibilityChecked,
    "accept": Accept,
    "decline": _Empty,
    "approve": Approve,
    "sign_off": Approve,
    "notify_outcome": _Empty,
    "offer_specialist_support": _Empty,
    "record_unsafe_areas": RecordUnsafe,
    "circulate": Circulate,
    "respond": Respond,
    "send_information": SendInformation,
    "final_acceptance": PartnerEvent,
    "place_in_band": PartnerEvent,
    "review_band": _Empty,
    "take_over_duty": PartnerEvent,
    "make_offer": MakeOffer,
    "accept_offer": _Empty,
    "refuse_offer": _Empty,
    "move": _Empty,
    "request_feedback": _Empty,
    "receive_feedback": ReceiveFeedback,
    "extend_areas": ExtendAreas,
    "close": Close,
    "end_duty": EndDuty,
    "end_previous_tenancy": _Empty,
}


def validate_payload(event: str, payload: dict[str, Any]) -> BoundaryModel:
    """The payload of ``event`` as its model; raises pydantic's ValidationError if invalid."""
    return PAYLOADS[event].model_validate(payload)
