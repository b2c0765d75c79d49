"""Reading events on an open connection: what the store, its snapshots and projections share."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from reciprocity.store.errors import DamagedStoreError
from reciprocity.store.events import Event, Recorded
from reciprocity.store.schema import EVENTS

__all__ = ["PAGE", "events_after", "last_position", "last_seq", "read_stream", "read_streams", "recorded", "stream_ids"]

#: Rows per query when reading many events.
PAGE = 1000
_IN_CHUNK = 500  # stream ids per IN (...) list


def read_stream(connection: Connection, stream_id: str) -> list[Recorded]:
    """Every event of ``stream_id`` in seq order."""
    query = sa.select(EVENTS).where(EVENTS.c.stream_id == stream_id).order_by(EVENTS.c.seq)
    return [recorded(row) for row in connection.execute(query)]


def read_streams(connection: Connection, stream_ids: Sequence[str]) -> dict[str, list[Recorded]]:
    """The events of each of ``stream_ids`` in seq order, read a few hundred streams per query."""
    found: dict[str, list[Recorded]] = {}
    wanted = list(dict.fromkeys(stream_ids))
    for start in range(0, len(wanted), _IN_CHUNK):
        chunk = wanted[start:start + _IN_CHUNK]
        query = sa.select(EVENTS).where(EVENTS.c.stream_id.in_(chunk)).order_by(EVENTS.c.stream_id, EVENTS.c.seq)
        for row in connection.execute(query):
            found.setdefault(row.stream_id, []).append(recorded(row))
    return found


def stream_ids(connection: Connection, prefix: str = "") -> list[str]:
    """The streams starting with ``prefix``, in the order of their first events."""
    query = sa.select(EVENTS.c.stream_id).where(EVENTS.c.seq == 1).order_by(EVENTS.c.position)
    if prefix:  # substr, not LIKE: exact and case-sensitive, with no wildcards to escape
        query = query.where(sa.func.substr(EVENTS.c.stream_id, 1, len(prefix)) == prefix)
    return list(connection.execute(query).scalars())


#: PostgreSQL: the events of transactions older than every transaction still open (see
#: :func:`reciprocity.store.engine.numbering` for why that keeps positions in order).
_SETTLED = sa.text("events.tx < pg_snapshot_xmin(pg_current_snapshot())")


def events_after(connection: Connection, after: int, *, upto: int | None = None,
                 settled: bool = False) -> Iterator[Recorded]:
    """The events with a position above ``after`` (and at most ``upto``), in position order, a
    page at a time on ``connection``. ``settled``: on PostgreSQL, only those no later commit can
    come before (what a reader resuming by position needs); no difference on SQLite."""
    while True:
        query = sa.select(EVENTS).where(EVENTS.c.position > after)
        if upto is not None:
            query = query.where(EVENTS.c.position <= upto)
        if settled and connection.dialect.name == "postgresql":
            query = query.where(_SETTLED)
        page = [recorded(row) for row in connection.execute(query.order_by(EVENTS.c.position).limit(PAGE))]
        yield from page
        if len(page) < PAGE:
            return
        after = page[-1].position


def last_seq(connection: Connection, stream_id: str) -> int:
    query = sa.select(sa.func.max(EVENTS.c.seq)).where(EVENTS.c.stream_id == stream_id)
    return int(connection.execute(query).scalar() or 0)


def last_position(connection: Connection) -> int:
    """The highest position in the store (0 when it holds no events)."""
    return int(connection.execute(sa.select(sa.func.max(EVENTS.c.position))).scalar() or 0)


def recorded(row: Row[Any]) -> Recorded:
    """An events row as a :class:`Recorded`; DamagedStoreError for a payload that is not a JSON object."""
    try:
        payload = json.loads(row.payload)
    except (TypeError, ValueError):  # not JSON text: changed outside the store
        raise DamagedStoreError(f"the event at store position {row.position}") from None
    if not isinstance(payload, dict):
        raise DamagedStoreError(f"the event at store position {row.position}")
    event = Event(row.event_id, row.stream_id, row.type, row.on_date, row.role, payload)
    return Recorded(row.seq, row.position, event)
