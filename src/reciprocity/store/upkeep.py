"""Keeping projections up to date inside the store's transactions (see :mod:`reciprocity.store.projection`).

Every function here runs on a connection inside a transaction the store opened: a write
transaction for anything that changes a projection, so projections change only in step with
the events and never half way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from reciprocity.store.errors import StoreError
from reciprocity.store.projection import Projection
from reciprocity.store.reading import PAGE, events_after, last_position
from reciprocity.store.schema import EVENTS, META, PROJECTIONS

__all__ = ["Difference", "behind", "check_names", "compare", "ensure", "rebuild", "take_in"]

_RESERVED = frozenset({EVENTS.name, META.name, PROJECTIONS.name})


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


def _rows(connection: Connection) -> dict[str, tuple[int, int]]:
    return {row.name: (row.version, row.position) for row in connection.execute(sa.select(PROJECTIONS))}


def behind(connection: Connection, projections: Iterable[Projection]) -> bool:
    """Whether any of ``projections`` has not taken in every event (or was built by other code)."""
    rows = _rows(connection)
    latest: int | None = None
    for projection in projections:
        row = rows.get(projection.name)
        if row is None or row[0] != projection.version:
            return True
        if latest is None:
            latest = last_position(connection)
        if row[1] < latest:
            return True
    return False


def ensure(connection: Connection, projection: Projection) -> int:
    """Create the projection's tables if missing and, if it is new or was built by other code,
    empty them; then take in every event not yet taken in. The position it has reached."""
    _create(connection, projection)
    row = _rows(connection).get(projection.name)
    if row is None or row[0] != projection.version:
        _reset(connection, projection)
        return _catch_up(connection, projection, 0)
    return _catch_up(connection, projection, row[1])


def rebuild(connection: Connection, projection: Projection) -> int:
    """Empty the projection and take in every event again; the number of events taken in."""
    _create(connection, projection)
    _reset(connection, projection)
    _catch_up(connection, projection, 0)
    return int(connection.execute(sa.select(sa.func.count()).select_from(EVENTS)).scalar() or 0)


def take_in(connection: Connection, projections: Sequence[Projection], new: Sequence[Any]) -> None:
    """Apply the events an append just inserted (``new``, in position order) to each projection,
    first taking in any events it missed (appended without it)."""
    if not new or not projections:
        return
    rows = _rows(connection)
    first = new[0].position
    for projection in projections:
        row = rows.get(projection.name)
        if row is None or row[0] != projection.version:
            ensure(connection, projection)  # another process changed it under this one
            continue
        missed = connection.execute(sa.select(EVENTS.c.position).where(
            EVENTS.c.position > row[1], EVENTS.c.position < first).limit(1)).first()
        if missed is not None:
            _catch_up(connection, projection, row[1])
            continue
        projection.apply(connection, new)
        _set(connection, projection, new[-1].position)


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


def _reset(connection: Connection, projection: Projection) -> None:
    for table in reversed(projection.tables):
        connection.execute(sa.delete(table))
    _set(connection, projection, 0)


def _set(connection: Connection, projection: Projection, position: int) -> None:
    values = {"version": projection.version, "position": position}
    changed = connection.execute(sa.update(PROJECTIONS).where(PROJECTIONS.c.name == projection.name).values(**values))
    if changed.rowcount == 0:
        connection.execute(sa.insert(PROJECTIONS).values(name=projection.name, **values))


def _catch_up(connection: Connection, projection: Projection, position: int) -> int:
    """Take in the events after ``position``, a page at a time; the position reached."""
    batch: list[Any] = []
    for recorded in events_after(connection, position):
        batch.append(recorded)
        if len(batch) >= PAGE:
            projection.apply(connection, batch)
            position = batch[-1].position
            batch = []
    if batch:
        projection.apply(connection, batch)
        position = batch[-1].position
    _set(connection, projection, position)
    return position
