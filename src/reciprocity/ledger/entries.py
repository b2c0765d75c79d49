"""Ledger entries and their effect on balances.

Two kinds of entry are written to a scheme's ledger stream (``ledger:<scheme>``):

``move``        written with a case's move, in the same transaction: the nominating partner
                owes one home, the accepting partner is owed one (``bedrooms``: the bedrooms
                the moved household needs under the scheme's size standard, where sizes count);
``correction``  reverses one earlier move entry (a move recorded in error), with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

import attrs
from pydantic import Field, field_validator

from reciprocity.model.base import BoundaryModel, PartnerId

__all__ = ["ENTRY_PAYLOADS", "CorrectionEntry", "Effect", "LedgerEntry", "MoveEntry"]


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
    reason: str = Field(min_length=3, max_length=200,
                        description="Why (no personal data: the ledger is shared with partners).")

    @field_validator("reason")
    @classmethod
    def _no_identifiers(cls, value: str) -> str:
        from reciprocity.privacy import find_identifiers  # noqa: PLC0415

        if hits := find_identifiers(value):
            found = "; ".join(str(hit) for hit in hits)
            raise ValueError(f"may identify someone ({found}); the ledger is shared with partners, so say "
                             "why without it")
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
        return f"correction of entry {d['reverses']}: {d['reason']}"
