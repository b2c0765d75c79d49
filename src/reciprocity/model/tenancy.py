"""A household's current social tenancy."""

from __future__ import annotations

from pydantic import Field

from reciprocity.model.base import BoundaryModel, PartnerId
from reciprocity.model.enums import LandlordType, TenancyType

__all__ = ["Tenancy"]


class Tenancy(BoundaryModel):
    """The social tenancy the household holds now; its type implies the landlord's sector.

    Giving a tenancy says the household holds one; any of its details may be left out when
    not known, and a rule that reads a detail asks for it.
    """

    type: TenancyType | None = Field(
        None, description="Tenancy type; council and registered provider types differ. Absent when not known."
    )
    joint: bool | None = Field(None, description="True for a joint tenancy, False for a sole one.")
    landlord: PartnerId | None = Field(None, description="Partner id of the landlord; absent when not known.")
    bedrooms: int | None = Field(None, ge=0, le=20, description="Bedrooms in the home (0 = studio).")

    @property
    def landlord_type(self) -> LandlordType | None:
        """Council or registered provider, as the tenancy type implies (None when the type is unknown)."""
        return None if self.type is None else self.type.landlord_type
