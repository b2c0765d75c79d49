"""An offer of a home made to a referred household."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from reciprocity.model.base import AreaId, BoundaryModel, PartnerId
from reciprocity.model.enums import TenancyType
from reciprocity.model.partner import Partner

__all__ = ["FinalOffer", "Offer"]


class FinalOffer(BoundaryModel):
    """A final offer of Part 6 accommodation (Housing Act 1996 s.193A relief / s.193(7) main duty).

    The law asks for it in writing, stated as final, with the consequences of refusal and the
    right to a review explained. Used where a scheme's offers discharge a homelessness duty.
    """

    made_by: PartnerId = Field(description="The council that made the final offer.")
    in_writing: bool | None = None
    stated_final: bool | None = None
    refusal_consequences_explained: bool | None = None
    review_right_explained: bool | None = None


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
    via: Literal["bid", "direct_let"] | None = Field(
        None, description="How the home was found: a successful bid, or a direct let."
    )
    highest_band: bool | None = Field(
        None, description="Whether the receiving council placed the applicant in its highest band."
    )
    final_offer: FinalOffer | None = Field(None, description="The final Part 6 offer, where one is made.")
