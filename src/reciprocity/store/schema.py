"""The event store's tables, and checking (or creating) them when a store is opened.

``events`` holds one row per event: its global ``position`` (the primary key), its
``event_id`` (unique) and its ``seq`` within its stream (unique with ``stream_id``).
``meta`` holds the schema version, so a database written by a newer reciprocity is refused
rather than misread, and one written by an older reciprocity is refused until ``reciprocity
store migrate`` (:mod:`reciprocity.store.migrations`) brings it up to date. ``projections``
records, for each read model kept in the store (:mod:`reciprocity.store.projection`), the
version of the code that built it and the last event position it has taken in.

Schema versions: 1, events and meta (reciprocity up to December 2026); 2, adds
``projections``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from reciprocity.store.errors import StoreError, StoreVersionError

__all__ = [
    "EVENTS", "META", "PROJECTIONS", "SCHEMA_VERSION", "VERSION_KEY", "check_version", "create", "create_tables", "schema_version",
]

#: The schema this code reads and writes. Raise it (with a migration) when the tables change.
SCHEMA_VERSION = 2

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
    # The last event position taken in: every event up to it is reflected, none after it.
    sa.Column("position", sa.BigInteger, nullable=False),
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
    connection.execute(sa.insert(META).values(key=VERSION_KEY, value=str(SCHEMA_VERSION)))
    return SCHEMA_VERSION
