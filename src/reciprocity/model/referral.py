"""A referral to a reciprocal scheme: every fact a scheme's eligibility rules read.

A fact left out (``None``) is unknown, not false: rules that need it say so and the
decision asks for it instead of guessing.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from reciprocity.model.base import MAX_AREAS, AreaId, BoundaryModel, raise_field_errors
from reciprocity.model.enums import HomelessnessDuty, SubjectRole, Tenure
from reciprocity.model.household import Household
from reciprocity.model.partner import Partner
from reciprocity.model.risk import RiskAssessment
from reciprocity.model.tenancy import Tenancy

__all__ = ["Homelessness", "Referral"]

_NOT_A_TENANT = (Tenure.PRIVATE_RENTED, Tenure.NON_TENANT_PRIORITY_NEED)

#: A scheme id as a key of ``extensions``; a field name of a scheme's own model.
SchemeKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
FieldKey = Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*$", max_length=64)]


class Homelessness(BoundaryModel):
    """The household's homelessness position under Housing Act 1996 Part 7."""

    duty: HomelessnessDuty | None = Field(None, description="The duty a council has accepted.")
    application_made: bool | None = Field(
        None, description="Whether a homelessness application has been made."
    )


def _flag(description: str) -> object:
    return Field(None, description=description)


class Referral(BoundaryModel):
    """One referral of one household to one scheme, as the nominating partner records it."""

    id: str | None = Field(
        None,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$",
        description="The case's reference, e.g. its ARC; never a name or tenancy reference.",
    )
    scheme: str | None = Field(None, description="Scheme id; when given it must match the scheme used.")
    referred_on: date = Field(description="Date the referral was made.")
    nominating_partner: Partner = Field(description="The partner making the nomination.")
    subject_role: SubjectRole | None = Field(
        None, description="Whether the person to move is the survivor or the perpetrator."
    )
    tenure: Tenure | None = Field(None, description="Where the household lives now.")
    tenancy: Tenancy | None = Field(
        None, description="The social tenancy held now, including one kept while in temporary accommodation."
    )
    household: Household | None = None
    risk: RiskAssessment | None = None
    homelessness: Homelessness = Field(default_factory=Homelessness)
    urgent: bool | None = Field(None, description="Whether the need to move is urgent.")
    current_area: AreaId | None = Field(None, description="Area the household lives in now.")
    unsafe_areas: tuple[AreaId, ...] | None = Field(
        None, max_length=MAX_AREAS, description="Areas where the household would not be safe; empty means none."
    )
    requested_areas: tuple[AreaId, ...] | None = Field(
        None, max_length=MAX_AREAS, description="Areas the household asks to move to; an empty list counts as not given."
    )
    risk_too_great_to_remain: bool | None = _flag(
        "The risk is too great for the household to stay in its current area."
    )
    own_stock_exhausted: bool | None = _flag(
        "The landlord cannot safely rehouse the household within its own stock."
    )
    kent_home_choice_exhausted: bool | None = _flag(
        "Rehousing through Kent Home Choice has been tried and exhausted."
    )
    corroborated_by_inquiries: bool | None = _flag(
        "The council's inquiries corroborate the claimed threat from outside the home."
    )
    unsafe_where_local_connection: bool | None = _flag(
        "The household is not safe in the area where it has a local connection."
    )
    exceptional_reason_accepted: bool | None = _flag(
        "The council accepts another exceptional reason the household cannot live in its area."
    )
    perpetrator_move_assessed_safe: bool | None = _flag(
        "For a perpetrator, the move has been assessed as safe."
    )
    lead_discretion_granted: bool | None = _flag(
        "The originating partner's lead has used their discretion to accept a non-tenant."
    )
    agrees_to_owe_property: bool | None = _flag(
        "The originating partner agrees to owe a social home to the scheme in return."
    )
    da_support: bool | None = _flag(
        "The survivor is receiving support from a specialist domestic abuse agency."
    )
    extensions: dict[SchemeKey, Annotated[dict[FieldKey, Any], Field(max_length=100)]] | None = Field(
        None, max_length=20,
        description="Facts a scheme declares for itself, under the scheme's id (e.g. "
        "{\"northshire\": {\"consent_to_share\": true}}); each scheme checks its own when the "
        "referral is decided under it (`reciprocity schema --scheme ID` shows its fields).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Referral:
        errors: list[tuple[tuple[str | int, ...], str, str]] = []
        for field in ("unsafe_areas", "requested_areas"):
            seen: set[str] = set()
            for index, area in enumerate(getattr(self, field) or ()):
                if area in seen:
                    errors.append(((field, index), "duplicate_area", "lists the same area twice"))
                seen.add(area)
        unsafe = set(self.unsafe_areas or ())
        for index, area in enumerate(self.requested_areas or ()):
            if area in unsafe:
                errors.append(
                    (("requested_areas", index), "unsafe_requested",
                     "is also listed in unsafe_areas; an area cannot be both requested and "
                     "unsafe, so remove it from one list")
                )
        if self.tenancy is not None and self.tenure in _NOT_A_TENANT:
            errors.append(
                (("tenancy",), "tenure_conflict",
                 "is given but tenure says the household has no social tenancy; remove the "
                 "tenancy or correct the tenure")
            )
        raise_field_errors("Referral", errors)
        return self
