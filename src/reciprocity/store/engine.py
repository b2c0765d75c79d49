"""Connecting to the database behind an event store, and turning its errors into StoreErrors.

SQLite is set up the way SQLAlchemy's pysqlite documentation describes for real transactions:
the driver's own BEGIN handling is switched off and SQLAlchemy emits ``BEGIN`` itself (from a
``begin`` event hook), ``BEGIN IMMEDIATE`` for writes so that writers queue for the database's
write lock before they read. Connections use WAL journalling (readers never block the writer),
``synchronous=FULL`` (a commit survives power loss) and a busy timeout (a writer waits its turn
rather than failing). On PostgreSQL writers to different streams run in parallel, each holding
only its streams' locks (see :func:`writing` and :func:`numbering`).

Logging
-------
Engines log as ``sqlalchemy.engine.Engine.reciprocity`` (:data:`LOGGING_NAME`). With that
logger (or ``sqlalchemy``) at INFO, SQLAlchemy writes each statement's SQL text, which holds
placeholders and never a value (the store binds every value; the only literals are its own
PRAGMA settings and table names), the line ``[SQL parameters hidden due to
hide_parameters=True]`` in place of the parameters (``hide_parameters=True``, which also
keeps them out of error messages), and BEGIN, COMMIT and ROLLBACK. At DEBUG it would also
write each result's column names (``Col …``) and every row read (``Row …``, payloads and
all): a filter on the engine loggers (:class:`_NoRowRecords`) drops those two, so only the
count in "CursorResult rewound N row(s)" remains. The pool (``sqlalchemy.pool``) logs
connections checked in and out and, if one fails to reset or close, that error with its
traceback; none of these holds a statement's values.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import URL, Connection, Engine

from reciprocity.store.errors import StoreError, StoreUnusableError

__all__ = [
    "BUSY_TIMEOUT_MS", "LOGGING_NAME", "STATEMENT_TIMEOUT_FACTOR", "busy_timeout_ms", "describe", "make_engine",
    "numbering", "sqlite_file", "stream_lock_key", "translated",
    "writer", "writing",
]

#: How long a writer waits for another process's write to finish before giving up (SQLite's
#: busy timeout; PostgreSQL's lock timeout, and how long a transaction may sit idle before the
#: server ends it, so that one frozen client, such as a laptop asleep mid-write, holds the
#: others up for no longer than this). ``RECIPROCITY_STORE_TIMEOUT_MS`` changes it.
BUSY_TIMEOUT_MS = 30_000
#: PostgreSQL: the longest any one statement may run, as a multiple of the busy timeout.
STATEMENT_TIMEOUT_FACTOR = 4


def busy_timeout_ms() -> int:
    """The busy timeout in force: ``RECIPROCITY_STORE_TIMEOUT_MS`` if set (milliseconds, at
    least 1), else :data:`BUSY_TIMEOUT_MS`."""
    raw = os.environ.get("RECIPROCITY_STORE_TIMEOUT_MS", "")
    if raw.strip().isdigit() and int(raw) > 0:
        return int(raw)
    if raw.strip():
        raise StoreError("RECIPROCITY_STORE_TIMEOUT_MS must be a whole number of milliseconds, at least 1")
    return BUSY_TIMEOUT_MS
_WRITE = "reciprocity_write"

#: The name the store's engines log under, as ``sqlalchemy.engine.Engine.<name>``.
LOGGING_NAME = "reciprocity"

# SQLAlchemy's DEBUG records of a result ("Col %r": column names; "Row %r": a row's values),
# prefixed "[token] " when a connection has a logging_token (engine/cursor.py, base.py).
_ROW_RECORD = re.compile(r"(?:\[[^\]]*\] )?(?:Row|Col) %r")


class _NoRowRecords(logging.Filter):
    """Drops SQLAlchemy's records of result rows and columns; lets every other record by."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and _ROW_RECORD.fullmatch(record.msg))


_NO_ROWS = _NoRowRecords()


def _filter_engine_loggers() -> None:
    # A logger's filters see only records logged on it, not those passed up from a child, so
    # the filter goes on the named logger the engines use and on the unnamed one.
    for name in ("sqlalchemy.engine.Engine", f"sqlalchemy.engine.Engine.{LOGGING_NAME}"):
        logging.getLogger(name).addFilter(_NO_ROWS)  # once: addFilter ignores a repeat


def make_engine(url: str | URL) -> Engine:
    """An engine for ``url``, configured as described above; StoreError if it cannot be made."""
    _filter_engine_loggers()
    try:
        # No values in logs or error texts: see "Logging" above.
        engine = sa.create_engine(url, hide_parameters=True, logging_name=LOGGING_NAME,
                                  connect_args=_postgres_timeouts(url))
    except sa.exc.ArgumentError:
        raise StoreError(
            "the event store address is not a database URL (give a file path, or a URL such "
            "as sqlite:///cases.db or postgresql+psycopg://host/db)"
        ) from None
    except (ImportError, sa.exc.NoSuchModuleError) as error:
        raise StoreError(
            f"no database driver for this event store URL ({type(error).__name__}); install "
            "the driver its dialect needs, such as psycopg for PostgreSQL"
        ) from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _postgres_timeouts(url: str | URL) -> dict[str, Any]:
    """libpq's ``options`` setting the session's lock, idle-in-transaction and statement
    timeouts, for a PostgreSQL URL with a libpq driver (psycopg); nothing otherwise."""
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError:
        return {}
    if parsed.get_backend_name() != "postgresql" or not parsed.get_driver_name().startswith("psycopg"):
        return {}
    wait = busy_timeout_ms()
    return {"options": f"-c lock_timeout={wait} -c idle_in_transaction_session_timeout={wait} "
                       f"-c statement_timeout={wait * STATEMENT_TIMEOUT_FACTOR}"}


def _configure_sqlite(engine: Engine) -> None:
    @sa_event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN, not the driver
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
            # WAL mode is written into the file's header: set it only on a store, never on an
            # empty file or another application's database (opening either may be refused just
            # after, and must leave the file as it was). A new store gets it once its tables
            # exist: EventStore drops the connections it created them on.
            tables = {row[0] for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
            if "meta" in tables:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @sa_event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine, its transactions marked as writes (BEGIN IMMEDIATE on SQLite)."""
    return engine.execution_options(**{_WRITE: True})


@contextmanager
def writing(write_engine: Engine, *, exclusive: bool = False, streams: Iterable[str] = ()) -> Iterator[Connection]:
    """A write transaction, committed on a clean exit.

    SQLite: ``BEGIN IMMEDIATE`` takes the database's write lock, so every writer takes its
    turn whatever it writes. PostgreSQL:

    - ``streams``: the transaction holds an advisory lock on each of them (taken in one fixed
      order, so two writers never wait for each other in a circle) until it ends. Writers to
      different streams proceed in parallel; two writers to one stream take turns, so each
      reads the stream's last seq and its events as they stand.
    - ``exclusive``: ``LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE``, which waits for every
      writer in progress and holds off new ones (readers go on): for work that must see no event
      appended meanwhile (creating, rebuilding or checking read models, migrating).

    Each wait is bounded by the lock timeout (:func:`busy_timeout_ms`).
    """
    with write_engine.connect() as connection:
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    if exclusive:
                        connection.exec_driver_sql("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
                    for key in sorted({stream_lock_key(stream) for stream in streams}):
                        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({key})")
                yield connection
        finally:
            if connection.info.pop(_NUMBERING_HELD, False):
                # An insert failed while numbering: the transaction is rolled back by now, and
                # the session lock (which outlives it) is released before the connection is
                # pooled; if even that fails, the connection is closed, which releases it.
                try:
                    connection.exec_driver_sql(f"SELECT pg_advisory_unlock({_NUMBERING_LOCK})")
                    connection.commit()
                except sa.exc.SQLAlchemyError:
                    connection.invalidate()


def stream_lock_key(stream_id: str) -> int:
    """The advisory lock (a signed 64-bit key) that guards appends to ``stream_id`` on
    PostgreSQL. Two streams may share one (then their writers take turns); nothing else does."""
    digest = hashlib.blake2b(stream_id.encode("utf-8"), digest_size=8, person=b"recip-stream").digest()
    return int.from_bytes(digest, "big", signed=True)


#: The advisory lock held while events are numbered, in PostgreSQL's two-key form (a key space
#: apart from the streams' one-key locks): ``(class, object)``.
_NUMBERING_LOCK = "20260, 14"
_NUMBERING_HELD = "reciprocity_numbering_held"  # in Connection.info while the lock is held


@contextmanager
def numbering(connection: Connection) -> Iterator[None]:
    """Hold the store-wide numbering lock on PostgreSQL while the body inserts events.

    Writers commit in parallel, so commits do not come in position order. What keeps
    :meth:`EventStore.all <reciprocity.store.sql.EventStore.all>` handing out positions in
    increasing order is that a transaction is given its id (at its first write) and its events'
    positions (from the sequence) while holding this lock, before any other writer can take
    either: a transaction with a smaller id has only smaller positions. ``all`` then reads only
    the events of transactions older than every one still open (``tx`` below the snapshot's
    ``xmin``), so no event can later commit with a position below one it has handed out.

    The lock is a session lock, released as soon as the events are in (not at commit, so the
    slow part of a commit is done in parallel). If the body fails, the transaction is aborted
    and cannot release it: :func:`writing` releases it once it has rolled back. Nothing on
    SQLite, whose writers take turns anyway.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.info[_NUMBERING_HELD] = True
    connection.exec_driver_sql(f"SELECT pg_advisory_lock({_NUMBERING_LOCK})")
    yield
    connection.exec_driver_sql(f"SELECT pg_advisory_unlock({_NUMBERING_LOCK})")
    connection.info[_NUMBERING_HELD] = False


def sqlite_file(url: URL) -> str | None:
    """The file a SQLite URL names, or None for an in-memory database or another dialect."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return database


def describe(url: URL) -> str:
    """How messages name the store: its file, or its URL with any password hidden."""
    path = sqlite_file(url)
    if path is not None:
        return os.fspath(path)
    return url.render_as_string(hide_password=True)


@contextmanager
def translated(doing: str, where: str, *, passthrough: list[BaseException]) -> Iterator[None]:
    """Turn database errors raised while ``doing`` into StoreErrors with a helpful message.

    The database's own message is never repeated, because it can quote the statement's
    parameters (payloads); only SQLite's messages, which name no values, are kept. An error in
    ``passthrough`` (raised by a caller's callback) propagates unchanged.
    """
    try:
        yield
    except sa.exc.SQLAlchemyError as error:
        if any(error is p for p in passthrough):
            raise
        raise _store_error(error, doing, where) from None


#: PostgreSQL's SQLSTATE codes for the failures a user can act on (they name no values).
_LOCK_NOT_AVAILABLE, _QUERY_CANCELED, _IDLE_IN_TRANSACTION = "55P03", "57014", "25P03"
_DISK_FULL, _READ_ONLY = "53100", "25006"


def _postgres_error(error: sa.exc.SQLAlchemyError, original: Any, doing: str, where: str) -> StoreError | None:
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    wait = busy_timeout_ms() // 1000 or 1
    if state == _LOCK_NOT_AVAILABLE:
        return StoreUnusableError(f"the event store {where} is busy: another client held its lock for over {wait} s "
                          f"while this one tried to {doing}; nothing was written, try again")
    if state == _IDLE_IN_TRANSACTION:
        return StoreUnusableError(f"the connection to the event store {where} sat idle in a transaction for over "
                          f"{wait} s and the server ended it; nothing was written, try again")
    if state == _QUERY_CANCELED:
        return StoreUnusableError(f"the event store {where} took too long to {doing} (over "
                          f"{wait * STATEMENT_TIMEOUT_FACTOR} s); nothing was written, try again")
    if state == _DISK_FULL:
        return StoreUnusableError(f"the database server of the event store {where} is out of disk space; "
                          "nothing was written")
    if state == _READ_ONLY:
        return StoreUnusableError(f"cannot {doing}: the event store {where} is read-only")
    if state is None and isinstance(error, (sa.exc.OperationalError, sa.exc.InterfaceError)):
        return StoreUnusableError(f"cannot connect to the database server of the event store {where} to {doing}: "
                          "check that it is running and reachable and that the URL is right; nothing was "
                          "written, try again")
    return None


def _store_error(error: sa.exc.SQLAlchemyError, doing: str, where: str) -> StoreError:
    original = getattr(error, "orig", None)
    module = type(original).__module__ if original is not None else ""
    if module.startswith(("psycopg", "psycopg2")):
        found = _postgres_error(error, original, doing, where)
        if found is not None:
            return found
    detail = str(original) if module.startswith("sqlite3") else type(original or error).__name__
    lowered = detail.lower()
    if "not a database" in lowered:
        return StoreError(f"{where} is not a SQLite database, so it cannot be an event store; "
                          "check the path")
    if "unable to open database file" in lowered:
        return StoreError(f"cannot open the event store {where}: check that its folder exists "
                          "and can be written to")
    if "database is locked" in lowered or "database is busy" in lowered:
        return StoreUnusableError(f"the event store {where} is busy: another process kept it locked "
                          f"(waited up to {busy_timeout_ms() // 1000 or 1} s) while this one tried to "
                          f"{doing}; nothing was written, try again")
    if "malformed" in lowered or "file is not a database" in lowered or "disk image" in lowered:
        return StoreUnusableError(f"the event store {where} is damaged (the file is cut short or corrupted), so it "
                          f"cannot {doing}; restore it from a backup (nothing was written)")
    if "readonly" in lowered or "read-only" in lowered:
        return StoreUnusableError(f"cannot {doing}: the event store {where} is read-only")
    if "disk i/o" in lowered or "database or disk is full" in lowered:
        return StoreUnusableError(f"the event store {where} could not {doing}: the disk failed or is full; "
                                  "nothing was written, free some space and try again")
    return StoreError(f"the event store {where} could not {doing}: the database reported {detail}")
