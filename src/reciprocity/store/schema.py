"""The event store's tables, and checking (or creating) them when a store is opened.

``events`` holds one row per event: its global ``position`` (the primary key), its
``event_id`` (unique) and its ``seq`` within its stream (unique with ``stream_id``).
``meta`` holds the schema version, so a database written by a newer reciprocity is refused
rather than misread, and one written by an older reciprocity is refused until ``reciprocity
store migrate`` (:mod:`reciprocity.store.migrations`) brings it up to date. ``projections``
records, for each read model kept in the store (:mod:`reciprocity.store.projection`), the
version of the code that built it; ``projection_gaps`` lists the events a read model has not
taken in yet (appended by a store that did not maintain it). On PostgreSQL ``events`` also has
a ``tx`` column, the id of the transaction that wrote the row, so that :meth:`EventStore.all
<reciprocity.store.sql.EventStore.all>` hands out positions only in increasing order while
writers commit in parallel (see :mod:`reciprocity.store.engine`).

Schema versions: 1, events and meta (reciprocity up to December 2026); 2, adds
``projections``; 3, adds ``projection_gaps`` and (PostgreSQL) ``events.tx``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from reciprocity.store.errors import StoreError, StoreVersionError

__all__ = [
    "EVENTS", "META", "PROJECTIONS", "PROJECTION_GAPS", "SCHEMA_VERSION", "VERSION_KEY", "add_transaction_ids",
    "check_version", "create", "create_tables", "schema_version",
]

#: The schema this code reads and writes. Raise it (with a migration) when the tables change.
SCHEMA_VERSION = 3

_METADATA = sa.MetaData()

META = sa.Table(
    "meta",
    _METADATA,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(255), nullable=False),
)

EVENTS = sa.Table(
    "events",
    _METADATA,
    # INTEGER PRIMARY KEY AUTOINCREMENT on SQLite: never reused; BIGSERIAL-like elsewhere.
    sa.Column(
        "position",
        sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
        primary_key=True,
        autoincrement=True,
    ),
    sa.Column("event_id", sa.String(255), nullable=False),
    sa.Column("stream_id", sa.String(255), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("type", sa.String(255), nullable=False),
    sa.Column("on_date", sa.Date, nullable=False),
    sa.Column("role", sa.String(255), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.UniqueConstraint("event_id", name="events_event_id_key"),
    sa.UniqueConstraint("stream_id", "seq", name="events_stream_seq_key"),
    sa.CheckConstraint("seq >= 1", name="events_seq_positive"),
    sqlite_autoincrement=True,
)

PROJECTIONS = sa.Table(
    "projections",
    _METADATA,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    # The last event position when it was last built from every event (informative: which
    # later events it has taken in is known from projection_gaps, not from this).
    sa.Column("position", sa.BigInteger, nullable=False),
)

#: The events each projection has not taken in yet: written, in the same transaction as the
#: event, by a store that does not maintain that projection; removed once it is taken in.
PROJECTION_GAPS = sa.Table(
    "projection_gaps",
    _METADATA,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("position", sa.BigInteger, primary_key=True),
    sa.Column("stream_id", sa.String(255), nullable=False),
    sa.Index("projection_gaps_stream", "stream_id"),
)

VERSION_KEY = "schema_version"


def schema_version(connection: Connection, where: str) -> int | None:
    """The store's schema version, or None when the database holds no event store yet."""
    inspector = sa.inspect(connection)
    if not inspector.has_table(META.name):
        if inspector.has_table(EVENTS.name):
            raise StoreError(f"{where} has an events table but no reciprocity meta table, so it "
                             "is not a reciprocity event store")
        if connection.dialect.name == "sqlite" and inspector.get_table_names():
            # A SQLite file is one application's: never add the store's tables to another's.
            # (A PostgreSQL database may be shared on purpose, each application in its tables.)
            raise StoreError(f"{where} is another application's SQLite database (it holds other tables), "
                             "so it is not an event store; give a new file or an existing store")
        return None
    value = connection.execute(
        sa.select(META.c.value).where(META.c.key == VERSION_KEY)
    ).scalar_one_or_none()
    try:
        version = int(value) if value is not None else None
    except ValueError:
        version = None
    if version is None or version < 1:
        raise StoreError(f"{where} has a meta table without a valid schema version, so it is not "
                         "a reciprocity event store (or it is damaged)")
    return version


def check_version(version: int, where: str) -> None:
    """:class:`StoreVersionError` unless this code reads and writes a store of ``version``."""
    if version > SCHEMA_VERSION:
        raise StoreVersionError(
            f"the event store {where} has schema version {version}, newer than this reciprocity "
            f"understands (up to {SCHEMA_VERSION}); upgrade reciprocity to use it",
            found=version, expected=SCHEMA_VERSION,
        )
    if version < SCHEMA_VERSION:
        raise StoreVersionError(
            f"the event store {where} has schema version {version}, older than this reciprocity's "
            f"({SCHEMA_VERSION}); back it up, then run `reciprocity store migrate` with the same --db "
            "to bring it up to date (nothing recorded is changed)",
            found=version, expected=SCHEMA_VERSION,
        )


def create_tables(connection: Connection, *names: str) -> None:
    """Create the named tables of the current schema that are missing (a migration's step)."""
    _METADATA.create_all(connection, tables=[_METADATA.tables[name] for name in names])


def create(connection: Connection, where: str) -> int:
    """Create the tables in a write transaction unless another process just did; the version."""
    existing = schema_version(connection, where)
    if existing is not None:
        return existing
    _METADATA.create_all(connection)
    add_transaction_ids(connection)
    connection.execute(sa.insert(META).values(key=VERSION_KEY, value=str(SCHEMA_VERSION)))
    return SCHEMA_VERSION


def add_transaction_ids(connection: Connection) -> None:
    """On PostgreSQL, give ``events`` its ``tx`` column (the writing transaction's id, 64-bit,
    never wrapping; rows already there get this transaction's). Nothing on SQLite, whose writers
    commit one at a time in position order anyway."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "ALTER TABLE events ADD COLUMN IF NOT EXISTS tx xid8 NOT NULL DEFAULT pg_current_xact_id()")
