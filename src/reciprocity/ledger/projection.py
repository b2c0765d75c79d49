"""The ledger's balances as a projection: one row per partner an entry moves, kept with the events.

:class:`LedgerProjection` keeps, for each ledger entry (``ledger:<scheme>`` streams), a row per
partner it affects: how many homes it adds to what the partner owes and to what it is owed
(a correction's rows take back its move's). A balance on a date is then one indexed sum over
the rows dated on or before it (:func:`balances_on`), equal to replaying the book
(:meth:`reciprocity.ledger.book.Book.balances`), which stays the definition: ``reciprocity store
verify`` compares the two.

An entry the book would refuse to read (changed by hand, or of a scheme no longer installed)
adds no rows: the book's replay reports it, and ``store verify`` lists the event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from reciprocity.errors import ReciprocityError
from reciprocity.ledger.book import Balance, Balances, move_effects
from reciprocity.ledger.entries import ENTRY_PAYLOADS
from reciprocity.lifecycle.events import split_actor
from reciprocity.model.base import STORED
from reciprocity.store.streams import ledger_stream

__all__ = ["LEDGER", "LEDGER_EFFECTS", "LedgerProjection", "balances_on"]

_METADATA = sa.MetaData()
_PREFIX = ledger_stream("")

LEDGER_EFFECTS = sa.Table(
    "ledger_effects",
    _METADATA,
    sa.Column("entry_id", sa.String(255), primary_key=True),
    sa.Column("partner", sa.String(255), primary_key=True),
    sa.Column("scheme_id", sa.String(255), nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("on_date", sa.Date, nullable=False),
    sa.Column("size", sa.Integer, nullable=True),
    sa.Column("owes", sa.Integer, nullable=False),
    sa.Column("owed", sa.Integer, nullable=False),
    sa.Index("ledger_effects_scheme_date", "scheme_id", "on_date"),
)


class LedgerProjection:
    """Each ledger entry's effect on what partners owe and are owed (see the module)."""

    name = "ledger"
    version = 1
    tables = (LEDGER_EFFECTS,)

    def apply(self, connection: Connection, events: Sequence[Any]) -> None:
        for recorded in events:
            event = recorded.event
            if not event.stream_id.startswith(_PREFIX):
                continue
            rows = _rows(connection, event.stream_id[len(_PREFIX):], recorded)
            if rows:
                connection.execute(sa.delete(LEDGER_EFFECTS).where(LEDGER_EFFECTS.c.entry_id == event.event_id))
                connection.execute(sa.insert(LEDGER_EFFECTS), rows)


#: The projection the library maintains in every store it opens.
LEDGER = LedgerProjection()


def _sized(scheme_id: str) -> bool | None:
    from reciprocity.partnership.policy import partnership_of  # noqa: PLC0415

    try:
        return bool(partnership_of(scheme_id).sized)
    except ReciprocityError:
        return None


def _rows(connection: Connection, scheme_id: str, recorded: Any) -> list[dict[str, Any]]:
    event = recorded.event
    base = {"entry_id": event.event_id, "scheme_id": scheme_id, "position": recorded.position, "on_date": event.on}
    if event.type not in ENTRY_PAYLOADS:
        return []
    try:
        details = ENTRY_PAYLOADS[event.type].model_validate(split_actor(event.payload)[1], context=STORED)
    except (ValidationError, ReciprocityError, TypeError):
        return []
    if event.type == "move":
        sized = _sized(scheme_id)
        data = details.model_dump(mode="json")
        if sized is None or (sized and data.get("bedrooms") is None) or data["nominating"] == data["accepting"]:
            return []
        owing, owed = move_effects(data, sized)
        return [{**base, "partner": owing.partner, "size": owing.size, "owes": 1, "owed": 0},
                {**base, "partner": owed.partner, "size": owed.size, "owes": 0, "owed": 1}]
    target = sa.select(LEDGER_EFFECTS).where(LEDGER_EFFECTS.c.entry_id == details.reverses)  # type: ignore[attr-defined]
    reversed_rows = list(connection.execute(target))
    if any(r.owes < 0 or r.owed < 0 for r in reversed_rows):
        return []  # a correction of a correction: the book refuses it
    return [{**base, "partner": r.partner, "size": r.size, "owes": -r.owes, "owed": -r.owed} for r in reversed_rows]


def balances_on(connection: Connection, scheme_id: str, on: date) -> Balances:
    """Every partner's balance in ``scheme_id`` on ``on`` (entries dated on or before it), from
    the projection; equal to :meth:`~reciprocity.ledger.book.Book.balances`."""
    c = LEDGER_EFFECTS.c
    query = (sa.select(c.partner, c.size, sa.func.sum(c.owes), sa.func.sum(c.owed))
             .where(c.scheme_id == scheme_id, c.on_date <= on).group_by(c.partner, c.size))
    found = [Balance(partner, size, int(owes), int(owed)) for partner, size, owes, owed in connection.execute(query)]
    rows = tuple(sorted(found, key=lambda b: (b.partner, -1 if b.size is None else b.size)))
    return Balances(scheme_id, on, rows)
