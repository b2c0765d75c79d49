"""Who assessed the risk to the person, when, and of what harm."""

from __future__ import annotations

from datetime import date

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from reciprocity.model.base import BoundaryModel, raise_field_errors
from reciprocity.model.enums import Assessor, HarmType

__all__ = ["HarmName", "RiskAssessment"]


def _core_harm(value: str) -> HarmType | str:
    return HarmType(value) if value in HarmType._value2member_map_ else value


#: A kind of harm as a referral writes it: a core :class:`HarmType` value, or one a scheme
#: declares (``SchemeHarm``), checked against that scheme when the referral is decided.
HarmName = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64),
    AfterValidator(_core_harm),
]


class RiskAssessment(BoundaryModel):
    """A risk assessment, or the record that nobody has assessed the risk yet.

    Every field may be left out: a fact not recorded is unknown, and a rule that reads it
    asks for it (the decision needs information) rather than the input being refused.
    """

    assessed_by: Assessor | None = Field(
        None, description="Who assessed the risk ('nobody' when no one has); absent when not recorded, which a "
        "rule reading it asks about."
    )
    assessed_on: date | None = None
    at_risk: bool | None = Field(
        None, description="The assessor's conclusion that the person is at risk."
    )
    harm_types: tuple[HarmName, ...] = Field(
        (), max_length=64,
        description="The harm the person is at risk of (or, for a perpetrator, has caused): core values "
        f"({', '.join(HarmType)}) or a harm type the scheme declares.",
    )
    dash_score: int | None = Field(None, ge=0, le=24, description="DASH checklist score (0-24).")
    marac_referral: bool | None = Field(None, description="Whether the case went to a MARAC.")

    @model_validator(mode="after")
    def _nobody_concludes_nothing(self) -> RiskAssessment:
        errors: list[tuple[tuple[str | int, ...], str, str]] = []
        if self.assessed_by is Assessor.NOBODY:
            errors = [
                ((field,), "no_assessor",
                 "cannot be given when assessed_by is 'nobody'; record who assessed the risk")
                for field in ("assessed_on", "at_risk")
                if getattr(self, field) is not None
            ]
        seen: set[str] = set()
        for index, harm in enumerate(self.harm_types):
            if harm in seen:  # each type at most once (a repeat would read as a second harm)
                errors.append((("harm_types", index), "duplicate_harm", "lists the same harm type twice"))
            seen.add(harm)
        raise_field_errors("RiskAssessment", errors)
        return self
