"""The people in a household, with only what a size standard needs."""

from __future__ import annotations

from pydantic import Field, model_validator

from reciprocity.model.base import BoundaryModel, raise_field_errors
from reciprocity.model.enums import Relationship, Sex

__all__ = ["Household", "Member"]


class Member(BoundaryModel):
    """One person in the household: age in whole years, sex, relationship to the applicant."""

    relationship: Relationship
    age: int | None = Field(
        None, ge=0, le=125,
        description="Age in whole years; absent when not known (a size standard that needs it asks).",
    )
    sex: Sex | None = Field(None, description="Needed to tell whether two children may share.")


class Household(BoundaryModel):
    """Everyone who would move, the applicant included exactly once."""

    members: tuple[Member, ...] = Field(max_length=20, description="At least one: the applicant.")

    @model_validator(mode="after")
    def _one_applicant(self) -> Household:
        # Checked here rather than with min_length, which pydantic also reports when a member
        # is merely invalid ("at least 1 item after validation").
        applicants = [i for i, m in enumerate(self.members) if m.relationship is Relationship.APPLICANT]
        if len(applicants) != 1:
            at: tuple[str | int, ...] = ("members", applicants[1]) if applicants else ("members",)
            raise_field_errors(
                "Household",
                [(at, "applicant_count", "must include exactly one member whose relationship is "
                  "'applicant'")],
            )
        partners = [i for i, m in enumerate(self.members) if m.relationship is Relationship.PARTNER]
        if len(partners) > 1:
            raise_field_errors(
                "Household",
                [(("members", partners[1]), "partner_count",
                  "at most one member can be the applicant's partner")],
            )
        return self
