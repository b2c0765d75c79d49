"""A household's current social tenancy."""

from __future__ import annotations

from pydantic import Field

from reciprocity.model.base import BoundaryModel, PartnerId
from reciprocity.model.enums import LandlordType, TenancyType

__all__ = ["Tenancy"]


class Tenancy(BoundaryModel):
    """The social tenancy the household holds now; its type implies the landlord's sector."""

    type: TenancyType = Field(description="Tenancy type; council and registered provider types differ.")
    joint: bool | None = Field(None, description="True for a joint tenancy, False for a sole one.")
    landlord: PartnerId = Field(description="Partner id of the landlord.")
    bedrooms: int | None = Field(None, ge=0, le=20, description="Bedrooms in the home (0 = studio).")

    @property
    def landlord_type(self) -> LandlordType:
        """Council or registered provider, as the tenancy type implies."""
        return self.type.landlord_type
