"""Bringing a store written by an older reciprocity up to the current schema.

A store's schema version is kept in its ``meta`` table. Opening a store of an older version is
refused (:class:`~reciprocity.store.errors.StoreVersionError`, naming ``reciprocity store
migrate``); :func:`migrate` applies each step from the store's version to
:data:`~reciprocity.store.schema.SCHEMA_VERSION` in order, all in one write transaction, so a
migration interrupted part way leaves the store as it was. A step only adds: no event is
rewritten or removed, and the read models a new version keeps are built from the events once
the store is next opened (:mod:`reciprocity.store.projection`).

The steps are numbered like Alembic's revisions, one per schema version, each the change from
the version before it::

    2: the projections table (which read model has taken in which events)
    3: the projection_gaps table, each event a read model had not yet taken in (those after
       its recorded position) listed in it; on PostgreSQL, events.tx (see schema)
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection

from reciprocity.store.engine import describe, make_engine, sqlite_file, translated, writer, writing
from reciprocity.store.errors import StoreError
from reciprocity.store.schema import (
    EVENTS,
    META,
    PROJECTION_GAPS,
    PROJECTIONS,
    SCHEMA_VERSION,
    VERSION_KEY,
    add_transaction_ids,
    check_version,
    create_tables,
    schema_version,
)

__all__ = ["STEPS", "Migrated", "migrate"]


def _add_projections(connection: Connection) -> None:
    create_tables(connection, PROJECTIONS.name)


def _add_gaps(connection: Connection) -> None:
    create_tables(connection, PROJECTION_GAPS.name)
    # Version 2 recorded, per read model, the last position it had taken in; every event after
    # it is one it has not: list them, so nothing it missed is forgotten.
    for name, position in connection.execute(sa.select(PROJECTIONS.c.name, PROJECTIONS.c.position)).all():
        connection.execute(sa.insert(PROJECTION_GAPS).from_select(
            ["name", "position", "stream_id"],
            sa.select(sa.literal(name, sa.String(64)), EVENTS.c.position, EVENTS.c.stream_id)
            .where(EVENTS.c.position > position)))
    add_transaction_ids(connection)


#: The step that brings a store to each version from the one before it.
STEPS: dict[int, Callable[[Connection], None]] = {2: _add_projections, 3: _add_gaps}


@attrs.frozen
class Migrated:
    """What :func:`migrate` did: the store's schema version before and after (equal: nothing to do)."""

    where: str
    before: int
    after: int

    @property
    def changed(self) -> bool:
        return self.before != self.after


def migrate(path_or_url: str | os.PathLike[str]) -> Migrated:
    """Bring the store at ``path_or_url`` (a SQLite path or a URL) to the current schema.

    Refuses a database that holds no event store (nothing is created) and one newer than this
    code. Raises :class:`~reciprocity.store.errors.StoreError` when the database fails; then
    nothing was changed.
    """
    if isinstance(path_or_url, str) and "://" in path_or_url:
        url = sa.make_url(path_or_url)
    else:
        url = URL.create("sqlite", database=str(Path(os.fspath(path_or_url)).expanduser()))
    where = describe(url)
    path = sqlite_file(url)
    if path is not None and (not os.path.isfile(path) or os.path.getsize(path) == 0):
        raise StoreError(f"no event store at {where} to migrate: check the path")
    engine = make_engine(url)
    try:
        with translated("migrate it", where, passthrough=[]):
            with writing(writer(engine), exclusive=True) as connection:
                before = schema_version(connection, where)
                if before is None:
                    raise StoreError(f"{where} holds no event store to migrate: check the path")
                if before > SCHEMA_VERSION:
                    check_version(before, where)  # newer than this code: refused
                for version in range(before + 1, SCHEMA_VERSION + 1):
                    STEPS[version](connection)
                if before != SCHEMA_VERSION:
                    connection.execute(sa.update(META).where(META.c.key == VERSION_KEY)
                                       .values(value=str(SCHEMA_VERSION)))
    finally:
        engine.dispose()
    return Migrated(where, before, SCHEMA_VERSION)
