"""Replaying a scheme's ledger entries into balances and history.

:class:`Book` holds the entries of one scheme in order; :meth:`Book.balances` gives every
partner's balance on a date. A balance is homes the partner was owed (it housed a scheme
household) minus homes it owes (a household it nominated moved): negative means it owes the
pool. Each entry's effects sum to zero, so the balances of a scheme (of each size, where
sizes are kept) always sum to zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from reciprocity.errors import ReciprocityError
from reciprocity.ledger.entries import ENTRY_PAYLOADS, Effect, LedgerEntry
from reciprocity.lifecycle.events import split_actor
from reciprocity.model.base import STORED

__all__ = ["Balance", "Balances", "Book", "LedgerError", "move_effects"]


class LedgerError(ReciprocityError):
    """A ledger entry that cannot be recorded (the message says why and what to do)."""


@attrs.frozen
class Balance:
    """One partner's standing in the pool on a date (``size`` None: all sizes together)."""

    partner: str
    size: int | None
    owes: int
    owed: int

    @property
    def net(self) -> int:
        """Homes owed to the partner minus homes it owes (negative: it owes the pool)."""
        return self.owed - self.owes


@attrs.frozen
class Balances:
    """Every partner's balance on ``on``, by partner and (where kept) size."""

    scheme_id: str
    on: date
    rows: tuple[Balance, ...]

    def of(self, partner: str, size: int | None = None) -> int:
        """The partner's net balance (at ``size``, or over all sizes when None)."""
        return sum(b.net for b in self.rows if b.partner == partner and (size is None or b.size == size))

    def total(self, size: int | None = None) -> int:
        """The sum of every balance (at ``size``): always zero."""
        return sum(b.net for b in self.rows if size is None or b.size == size)

    @property
    def sizes(self) -> tuple[int | None, ...]:
        return tuple(sorted({b.size for b in self.rows}, key=lambda s: -1 if s is None else s))

    @property
    def partners(self) -> tuple[str, ...]:
        return tuple(sorted({b.partner for b in self.rows}))


def move_effects(details: Mapping[str, Any], sized: bool) -> tuple[Effect, ...]:
    """A move entry's effects: the nominating partner owes a home, the accepting one is owed one
    (of the entry's size where ``sized``)."""
    size = details.get("bedrooms") if sized else None
    return (Effect(details["nominating"], size, -1), Effect(details["accepting"], size, +1))


@attrs.frozen
class Book:
    """The entries of one scheme's ledger, in the order they were recorded."""

    scheme_id: str
    sized: bool
    entries: tuple[LedgerEntry, ...] = ()

    @classmethod
    def replay(cls, scheme_id: str, sized: bool,
               events: Iterable[tuple[str, int, str, date, Mapping[str, Any]]]) -> Book:
        """Build the book from ``(entry_id, seq, kind, on, payload)`` in order, checking each
        (in time linear in the entries: the running totals are kept as it goes)."""
        builder = _Builder(scheme_id, sized)
        for entry_id, seq, kind, on, payload in events:
            builder.add(entry_id, seq, kind, on, payload)
        return cls(scheme_id, sized, tuple(builder.entries))

    def entry(self, entry_id: str) -> LedgerEntry | None:
        return next((e for e in self.entries if e.entry_id == entry_id), None)

    def reversed_ids(self) -> frozenset[str]:
        return frozenset(e.details["reverses"] for e in self.entries if e.kind == "correction")

    def add(self, entry_id: str, seq: int, kind: str, on: date, payload: Mapping[str, Any]) -> Book:
        """The book with one more entry, or :class:`LedgerError` if it cannot be recorded."""
        builder = _Builder(self.scheme_id, self.sized, self.entries)
        builder.add(entry_id, seq, kind, on, payload)
        return attrs.evolve(self, entries=tuple(builder.entries))

    def up_to(self, on: date) -> tuple[LedgerEntry, ...]:
        return tuple(e for e in self.entries if e.on <= on)

    def balances(self, on: date) -> Balances:
        """Each partner's owes/owed counts from the entries dated on or before ``on``."""
        owes: dict[tuple[str, int | None], int] = defaultdict(int)
        owed: dict[tuple[str, int | None], int] = defaultdict(int)
        for entry in self.up_to(on):
            # A correction takes back the count its move added, so owes and owed stay counts
            # of the moves that stand.
            sign = 1 if entry.kind == "move" else -1
            for effect in entry.effects:
                counts = owes if effect.delta * sign < 0 else owed
                counts[(effect.partner, effect.size)] += sign
        keys = sorted(set(owes) | set(owed), key=lambda k: (k[0], -1 if k[1] is None else k[1]))
        rows = tuple(Balance(p, s, owes[(p, s)], owed[(p, s)]) for p, s in keys)
        return Balances(self.scheme_id, on, rows)


class _Builder:
    """A book being built: its entries and the running figures each new entry is checked
    against (each partner's net count by size, the entries by id, those reversed)."""

    def __init__(self, scheme_id: str, sized: bool, entries: Iterable[LedgerEntry] = ()) -> None:
        self.scheme_id, self.sized = scheme_id, sized
        self.entries: list[LedgerEntry] = []
        self.by_id: dict[str, LedgerEntry] = {}
        self.reversed: set[str] = set()
        self.net: dict[tuple[str, int | None], int] = defaultdict(int)
        for entry in entries:
            self._keep(entry)

    def _keep(self, entry: LedgerEntry) -> None:
        self.entries.append(entry)
        self.by_id.setdefault(entry.entry_id, entry)
        if entry.kind == "correction":
            self.reversed.add(entry.details["reverses"])
        for effect in entry.effects:
            self.net[(effect.partner, effect.size)] += effect.delta

    def add(self, entry_id: str, seq: int, kind: str, on: date, payload: Mapping[str, Any]) -> None:
        if kind not in ENTRY_PAYLOADS:
            raise LedgerError(f"unknown ledger entry kind {kind!r}")
        details = ENTRY_PAYLOADS[kind].model_validate(split_actor(payload)[1], context=STORED).model_dump(mode="json")
        if kind == "move":
            if self.sized and details["bedrooms"] is None:
                raise LedgerError(f"{self.scheme_id} owes homes of equal size: the move entry needs "
                                  "the bedrooms of the home let")
            if details["nominating"] == details["accepting"]:
                raise LedgerError("a move within one partner's own homes is not a reciprocal move")
            effects = move_effects(details, self.sized)
            accepting = effects[1]
            settles = self.net[(accepting.partner, accepting.size)] < 0
        else:
            target = self.by_id.get(details["reverses"])
            if target is None:
                raise LedgerError("no ledger entry with this id to reverse; "
                                  "`reciprocity ledger history` lists the entries")
            if target.kind != "move":
                raise LedgerError("a correction cannot itself be reversed; record the move again instead")
            if target.entry_id in self.reversed:
                raise LedgerError(f"entry {target.entry_id} has already been reversed")
            if on < target.on:
                raise LedgerError("a correction cannot be dated before the entry it reverses")
            effects = tuple(Effect(e.partner, e.size, -e.delta) for e in target.effects)
            settles = False
        self._keep(LedgerEntry(entry_id, seq, on, kind, details, effects, settles))  # type: ignore[arg-type]
