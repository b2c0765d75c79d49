"""Ledger entries and their effect on balances.

Two kinds of entry are written to a scheme's ledger stream (``ledger:<scheme>``):

``move``        written with a case's move, in the same transaction: the nominating partner
                owes one home, the accepting partner is owed one (``bedrooms``: the bedrooms
                the moved household needs under the scheme's size standard, where sizes count);
``correction``  reverses one earlier move entry, with a reason from a closed list
                (:class:`CorrectionCode`) that partners see, and an optional note for the
                coordinator's own record that no partner-facing output shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any, Literal

import attrs
from pydantic import Field, field_validator, model_validator

from reciprocity.model.base import BoundaryModel, PartnerId

__all__ = ["CORRECTION_WORDS", "ENTRY_PAYLOADS", "CorrectionCode", "CorrectionEntry", "Effect", "LedgerEntry",
           "MoveEntry"]


class CorrectionCode(StrEnum):
    """Why a move entry is reversed: a closed list, so what partners read says nothing about a
    household or a person (free text is kept, screened, as the coordinator's note)."""

    #: The move did not happen (recorded against the wrong case, or the tenancy was not taken up).
    RECORDED_IN_ERROR = "recorded_in_error"
    #: The same move was recorded twice.
    DUPLICATE = "duplicate"
    #: The owing or the owed partner was wrong.
    WRONG_PARTNER = "wrong_partner"
    #: The size of the home owed was wrong.
    WRONG_SIZE = "wrong_size"
    #: An arbitration, or the partners together, settled the debt otherwise.
    AGREED = "agreed_by_partners"
    #: Another reason (the coordinator's note says which).
    OTHER = "other"


#: What partners read for each code.
CORRECTION_WORDS: dict[CorrectionCode, str] = {
    CorrectionCode.RECORDED_IN_ERROR: "the move was recorded in error",
    CorrectionCode.DUPLICATE: "the move was recorded twice",
    CorrectionCode.WRONG_PARTNER: "the entry named the wrong partner",
    CorrectionCode.WRONG_SIZE: "the entry recorded the wrong size of home",
    CorrectionCode.AGREED: "the partners agreed to settle it otherwise",
    CorrectionCode.OTHER: "another reason, kept by the coordinator",
}


class MoveEntry(BoundaryModel):
    case: str = Field(max_length=64)
    arc: str | None = Field(None, max_length=32)
    nominating: PartnerId
    accepting: PartnerId
    bedrooms: int | None = Field(None, ge=0, le=20)
    basis: Literal["tenant", "non_tenant_agreement"] = "tenant"
    case_event: str = Field(max_length=255, description="The id of the case's move event.")


class CorrectionEntry(BoundaryModel):
    reverses: str = Field(max_length=255, description="The id of the ledger entry reversed.")
    code: CorrectionCode = Field(description="Why, from a closed list (what partners read).")
    note: str | None = Field(None, min_length=3, max_length=200,
                             description="The coordinator's own note (never shown to partners; still no "
                                         "personal data: it is kept in the shared store).")

    @model_validator(mode="before")
    @classmethod
    def _free_text_reason(cls, data: Any) -> Any:
        """Entries recorded before the closed list kept a free-text ``reason``, which partners
        saw: read them with the code ``other`` and no note, so no partner sees that text again
        (the stored event still holds it, for the coordinator reading the store itself)."""
        if isinstance(data, Mapping) and "reason" in data and "code" not in data:
            data = {k: v for k, v in data.items() if k != "reason"}
            data["code"] = CorrectionCode.OTHER.value
        return data

    @field_validator("note")
    @classmethod
    def _no_identifiers(cls, value: str | None) -> str | None:
        from reciprocity.privacy import find_identifiers  # noqa: PLC0415

        if value is not None and (hits := find_identifiers(value)):
            found = "; ".join(str(hit) for hit in hits)
            raise ValueError(f"may identify someone ({found}); the store is shared with partners, so say why "
                             "without it")
        return value


ENTRY_PAYLOADS: dict[str, type[BoundaryModel]] = {"move": MoveEntry, "correction": CorrectionEntry}


@attrs.frozen
class Effect:
    """One change to one partner's balance: ``delta`` homes at ``size`` (None: sizes not kept)."""

    partner: str
    size: int | None
    delta: int


@attrs.frozen
class LedgerEntry:
    """One entry as replayed: what it records and its effect on balances."""

    entry_id: str
    seq: int
    on: date
    kind: Literal["move", "correction"]
    details: Mapping[str, Any]
    effects: tuple[Effect, ...]
    #: A move into a home of a partner that owed the pool (a home of that size): it settles one.
    settles: bool = False

    @property
    def case(self) -> str | None:
        return self.details.get("case")

    @property
    def arc(self) -> str | None:
        return self.details.get("arc")

    def describe(self) -> str:
        """A sentence a partner can read (ARC only, never the case id)."""
        d = self.details
        if self.kind == "move":
            size = f" {d['bedrooms']}-bedroom" if d.get("bedrooms") is not None else ""
            ref = d.get("arc") or "a case"
            paid = "settling one it owed" if self.settles else "and is owed one"
            return (f"{ref}: {d['nominating']} owes a{size} home to the pool; "
                    f"{d['accepting']} housed the household, {paid}")
        return f"correction of entry {d['reverses']}: {CORRECTION_WORDS[CorrectionCode(d['code'])]}"

    @property
    def note(self) -> str | None:
        """The coordinator's note on a correction (for the coordinator only: never partner-facing)."""
        return self.details.get("note")
