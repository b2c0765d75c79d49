"""Keeping projections up to date inside the store's transactions (see :mod:`reciprocity.store.projection`).

Every function here runs on a connection inside a transaction the store opened: a write
transaction for anything that changes a projection, so projections change only in step with
the events and never half way.

Which events a projection has taken in: every event appended since it was (re)built, except
those listed for it in ``projection_gaps``. A store appending events adds the gaps for the
projections it does not maintain in the same transaction, and removes those it fills, so no
row is written by every append (on PostgreSQL, writers to different streams share no row).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from reciprocity.store.errors import StoreError
from reciprocity.store.projection import Projection
from reciprocity.store.reading import PAGE, events_after, last_position, recorded
from reciprocity.store.schema import EVENTS, META, PROJECTION_GAPS, PROJECTIONS

__all__ = ["Difference", "behind", "check_names", "compare", "ensure", "rebuild", "take_in"]

_RESERVED = frozenset({EVENTS.name, META.name, PROJECTIONS.name, PROJECTION_GAPS.name})


@attrs.frozen
class Difference:
    """A projection row that differs from what a rebuild from the events gives.

    ``kind``: ``missing`` (a rebuild has the row, the store does not), ``unexpected`` (the store
    has a row a rebuild does not) or ``changed`` (same key, other values). ``key`` is the row's
    primary key (references such as case ids and partner ids, never personal data).
    """

    projection: str
    table: str
    key: tuple[Any, ...]
    kind: str


def check_names(projection: Projection, attached: Iterable[Projection]) -> None:
    """TypeError/StoreError for a projection that is not one, or whose tables clash."""
    if not isinstance(projection, Projection):
        raise TypeError(f"not a projection: {type(projection).__name__} (see reciprocity.store.projection)")
    taken = {t.name for p in attached for t in p.tables} | _RESERVED
    clash = sorted(t.name for t in projection.tables if t.name in taken)
    if clash:
        raise StoreError(f"projection {projection.name!r} uses table(s) already taken: {', '.join(clash)}")


def _versions(connection: Connection) -> dict[str, int]:
    return {row.name: row.version for row in connection.execute(sa.select(PROJECTIONS.c.name, PROJECTIONS.c.version))}


def behind(connection: Connection, projections: Iterable[Projection]) -> bool:
    """Whether any of ``projections`` has not taken in every event (or was built by other code)."""
    chosen = list(projections)
    if not chosen:
        return False
    versions = _versions(connection)
    if any(versions.get(p.name) != p.version for p in chosen):
        return True
    gap = sa.select(PROJECTION_GAPS.c.name).where(PROJECTION_GAPS.c.name.in_([p.name for p in chosen])).limit(1)
    return connection.execute(gap).first() is not None


def ensure(connection: Connection, projection: Projection) -> None:
    """Create the projection's tables if missing and, if it is new or was built by other code,
    build it from every event; otherwise take in the events it missed. Needs the exclusive
    write transaction (no event may be appended meanwhile)."""
    _create(connection, projection)
    if _versions(connection).get(projection.name) != projection.version:
        rebuild(connection, projection)
        return
    _fill_gaps(connection, projection, streams=None)


def rebuild(connection: Connection, projection: Projection) -> int:
    """Empty the projection and take in every event again (in the exclusive write transaction);
    the number of events taken in."""
    _create(connection, projection)
    for table in reversed(projection.tables):
        connection.execute(sa.delete(table))
    connection.execute(sa.delete(PROJECTION_GAPS).where(PROJECTION_GAPS.c.name == projection.name))
    count = 0
    batch: list[Any] = []
    for event in events_after(connection, 0):
        batch.append(event)
        if len(batch) >= PAGE:
            projection.apply(connection, batch)
            count += len(batch)
            batch = []
    if batch:
        projection.apply(connection, batch)
        count += len(batch)
    _register(connection, projection, last_position(connection))
    return count


def take_in(connection: Connection, attached: Sequence[Projection], new: Sequence[Any]) -> None:
    """Bring the store's projections up to date with the events an append just inserted
    (``new``, in position order), in the append's transaction (which holds the locks of their
    streams).

    Each projection this store maintains, at the version the store records for it, first takes
    in the events of these streams it missed, then ``new``. Every other projection the store
    records (this store does not maintain it, or maintains another version of it) is told it
    missed ``new``: a gap per event, filled by a store that maintains it.
    """
    if not new:
        return
    versions = _versions(connection)
    if not versions:
        return
    mine = [p for p in attached if versions.get(p.name) == p.version]
    others = sorted(set(versions) - {p.name for p in mine})
    if others:
        connection.execute(sa.insert(PROJECTION_GAPS), [
            {"name": name, "position": r.position, "stream_id": r.event.stream_id} for name in others for r in new])
    if mine:
        streams = sorted({r.event.stream_id for r in new})
        missed = {row.name for row in connection.execute(
            sa.select(PROJECTION_GAPS.c.name).distinct().where(PROJECTION_GAPS.c.stream_id.in_(streams)))}
        for projection in mine:
            if projection.name in missed:
                _fill_gaps(connection, projection, streams=streams)
            projection.apply(connection, new)


def compare(connection: Connection, projection: Projection) -> list[Difference]:
    """The rows in which the projection differs from a rebuild from the events (checked in a
    savepoint that is rolled back: nothing is changed)."""
    stored = {t.name: _table_rows(connection, t) for t in projection.tables}
    savepoint = connection.begin_nested()
    try:
        rebuild(connection, projection)
        built = {t.name: _table_rows(connection, t) for t in projection.tables}
    finally:
        savepoint.rollback()
    found = []
    for table in projection.tables:
        have, want = stored[table.name], built[table.name]
        for key in sorted(set(have) | set(want), key=repr):
            if key not in have:
                found.append(Difference(projection.name, table.name, key, "missing"))
            elif key not in want:
                found.append(Difference(projection.name, table.name, key, "unexpected"))
            elif have[key] != want[key]:
                found.append(Difference(projection.name, table.name, key, "changed"))
    return found


def _create(connection: Connection, projection: Projection) -> None:
    for table in projection.tables:
        table.create(connection, checkfirst=True)


def _table_rows(connection: Connection, table: sa.Table) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    key_columns = list(table.primary_key.columns) or list(table.columns)
    out: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for row in connection.execute(sa.select(table)):
        mapping = row._mapping
        key = tuple(mapping[c] for c in key_columns)
        out[key] = tuple(mapping[c] for c in table.columns)
    return out


def _register(connection: Connection, projection: Projection, position: int) -> None:
    values = {"version": projection.version, "position": position}
    changed = connection.execute(sa.update(PROJECTIONS).where(PROJECTIONS.c.name == projection.name).values(**values))
    if changed.rowcount == 0:
        connection.execute(sa.insert(PROJECTIONS).values(name=projection.name, **values))


def _fill_gaps(connection: Connection, projection: Projection, *, streams: Sequence[str] | None) -> None:
    """Take in the events the projection missed (of ``streams`` only, if given), in position
    order, a page at a time, and forget the gaps."""
    gaps = PROJECTION_GAPS
    after = 0
    while True:
        query = (sa.select(EVENTS).join(gaps, gaps.c.position == EVENTS.c.position)
                 .where(gaps.c.name == projection.name, EVENTS.c.position > after))
        if streams is not None:
            query = query.where(gaps.c.stream_id.in_(streams))
        page = [recorded(row) for row in connection.execute(query.order_by(EVENTS.c.position).limit(PAGE))]
        if not page:
            return
        projection.apply(connection, page)
        connection.execute(sa.delete(gaps).where(gaps.c.name == projection.name,
                                                 gaps.c.position.in_([r.position for r in page])))
        after = page[-1].position
