"""Connecting to the database behind an event store, and turning its errors into StoreErrors.

SQLite is set up the way SQLAlchemy's pysqlite documentation describes for real transactions:
the driver's own BEGIN handling is switched off and SQLAlchemy emits ``BEGIN`` itself (from a
``begin`` event hook), ``BEGIN IMMEDIATE`` for writes so that writers queue for the database's
write lock before they read. Connections use WAL journalling (readers never block the writer),
``synchronous=FULL`` (a commit survives power loss) and a busy timeout (a writer waits its turn
rather than failing). PostgreSQL writers take a table lock instead (see :func:`writing`).

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

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import URL, Connection, Engine

from reciprocity.store.errors import StoreError, StoreUnusableError

__all__ = [
    "BUSY_TIMEOUT_MS", "LOGGING_NAME", "STATEMENT_TIMEOUT_FACTOR", "busy_timeout_ms", "describe", "make_engine",
    "sqlite_file", "translated",
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
def writing(write_engine: Engine, lock: str | None) -> Iterator[Connection]:
    """A write transaction: serialised with every other writer, committed on a clean exit.

    On SQLite ``BEGIN IMMEDIATE`` takes the write lock. On PostgreSQL ``lock`` names the table
    to lock in SHARE ROW EXCLUSIVE mode (which blocks other writers, not readers), so global
    positions are handed out in commit order and a reader that has seen position N will never
    later find a smaller one committed.
    """
    with write_engine.begin() as connection:
        if lock is not None and connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"LOCK TABLE {lock} IN SHARE ROW EXCLUSIVE MODE")
        yield connection


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
