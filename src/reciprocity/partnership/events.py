"""The events of a partner's membership, and what each carries (validated at the boundary).

A partner's membership of one scheme is the stream ``partner:<scheme>:<partner id>``; the
coordinator records every event on it (the partner may record its own notice, withdrawal and
named-lead change). Each event keeps its actor's id under ``actor``, as case events do. Dates the text counts from are the events' own dates
(``on``); a named-lead change also says when the change happened, since it is notified later.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from reciprocity.lifecycle.events import split_actor
from reciprocity.model import Partner
from reciprocity.model.base import STORED, AreaId, BoundaryModel

__all__ = ["PARTNER_EVENTS", "validate_partner_payload"]


class Join(BoundaryModel):
    partner: Partner


class _Empty(BoundaryModel):
    pass


class Remove(BoundaryModel):
    reason: Literal["breach", "other"]
    arbitration: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$",
                                    description="The arbitration whose finding led to the removal, if any.")


class ChangeNamedLead(BoundaryModel):
    named_lead: str | None = Field(
        None, min_length=1, max_length=120,
        description="The new named lead (a role or staff reference); none while the post is vacant.",
    )
    changed_on: date = Field(description="The day the change happened (the notice is the event's date).")


class UpdateStock(BoundaryModel):
    stock_areas: tuple[AreaId, ...]


PARTNER_EVENTS: dict[str, type[BoundaryModel]] = {
    "join": Join,
    "give_notice": _Empty,
    "withdraw": _Empty,
    "remove": Remove,
    "change_named_lead": ChangeNamedLead,
    "update_stock": UpdateStock,
}


def validate_partner_payload(event: str, payload: dict[str, Any]) -> BoundaryModel:
    """The payload of membership ``event`` as its model (the actor key aside); pydantic's
    ValidationError if invalid."""
    model = PARTNER_EVENTS.get(event)
    if model is None:
        from reciprocity.store.errors import DamagedStoreError  # noqa: PLC0415

        raise DamagedStoreError("a stored partner event of a kind this library does not know")
    return model.model_validate(split_actor(payload)[1], context=STORED)
