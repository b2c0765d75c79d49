"""An offer of a home made to a referred household."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from reciprocity.model.base import AreaId, BoundaryModel
from reciprocity.model.enums import TenancyType
from reciprocity.model.partner import Partner

__all__ = ["Offer"]


class Offer(BoundaryModel):
    """A home a partner offers: where, how big, on which tenancy, and by whom."""

    id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$",
                           description="The offer's reference; never an address.")
    made_on: date = Field(description="Date the offer was made.")
    landlord: Partner = Field(description="The partner offering the home.")
    area: AreaId = Field(description="The area the home is in.")
    bedrooms: int = Field(ge=0, le=20, description="Bedrooms in the home (0 = studio).")
    tenancy_type: TenancyType = Field(description="The tenancy offered with the home.")
    joint: bool | None = Field(None, description="True if offered as a joint tenancy.")
