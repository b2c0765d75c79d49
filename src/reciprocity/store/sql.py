"""The event store on a SQL database: SQLite by default, PostgreSQL by URL (SQLAlchemy Core).

Every append is one transaction that is serialised with every other writer (see
:mod:`reciprocity.store.engine`): it looks the event ids up, reads the streams it writes to,
lets the caller's ``expect`` refuse, inserts, and commits, or else writes nothing at all. An
insert that collides with another writer's (only possible where writers are not serialised)
is rolled back and the whole append retried after a short random pause.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Row

from reciprocity.store.engine import (
    describe,
    make_engine,
    sqlite_file,
    translated,
    writer,
    writing,
)
from reciprocity.store.errors import ConflictingEventError, DamagedStoreError, StoreError
from reciprocity.store.events import CanonicalEvent, Event, Expect, Recorded, canonical
from reciprocity.store.schema import EVENTS, check_version, create, schema_version

__all__ = ["DEFAULT_URL", "EventStore"]

DEFAULT_URL = "sqlite:///reciprocity.db"

_log = logging.getLogger(__name__)
_ATTEMPTS = 5  # appends that lose a race for a seq (possible without a lock) are retried
_PAGE = 1000  # rows per query when reading the whole store


class _SeqTaken(Exception):
    """Another writer took the seq or event id this transaction was inserting."""


class EventStore:
    """Append-only event streams in one database. See :mod:`reciprocity.store` for guarantees.

    ``url`` is a SQLAlchemy URL (``sqlite:///cases.db``, ``postgresql+psycopg://…``); use
    :meth:`at` to open a file by path. With ``create=False`` a database that holds no event
    store yet is refused instead of set up. One store may serve several threads, and several
    processes may open the same database at once (an in-memory ``sqlite://`` store is private
    to the thread that uses it: meant for tests). Close it (or use ``with``) when done.
    """

    def __init__(self, url: str | URL = DEFAULT_URL, *, create: bool = True) -> None:
        parsed = _parse(url)
        self._where = describe(parsed)
        path = self._file = sqlite_file(parsed)
        if path is not None and not create and not os.path.exists(path):
            raise StoreError(f"no event store at {self._where}: the file does not exist; check the path "
                             "(a store is set up only by a command that starts one)")
        if path is not None and create and not os.path.exists(path):
            _create_whole(parsed, path)  # the file appears with its tables, never empty
        if path is not None and create and os.path.isfile(path) and os.path.getsize(path) == 0:
            # An empty file is not set up as a store: it may be a store emptied by accident, and
            # starting again silently would read as a partnership with no cases.
            raise StoreError(f"{self._where} is an empty file, not an event store; remove it to start a new "
                             "store there, or give the path of the store's file")
        self._engine = make_engine(parsed)
        self._writer = writer(self._engine)
        self._closed = False
        try:
            self._open(create)
        except BaseException:
            self._engine.dispose()
            raise

    @classmethod
    def at(cls, path_or_url: str | os.PathLike[str], *, create: bool = True) -> EventStore:
        """The store at a URL (anything with ``://``) or else a SQLite file path."""
        if isinstance(path_or_url, str) and "://" in path_or_url:
            return cls(path_or_url, create=create)
        path = Path(os.fspath(path_or_url)).expanduser()
        return cls(URL.create("sqlite", database=str(path)), create=create)

    def _open(self, create_missing: bool) -> None:
        with self._translated("open it"):
            with self._engine.connect() as connection:
                version = schema_version(connection, self._where)
            if version is None:
                if not create_missing:
                    raise StoreError(f"{self._where} holds no event store (an empty file, or another "
                                     "application's database); check the path")
                try:
                    with writing(self._writer, None) as connection:
                        version = create(connection, self._where)
                except sa.exc.DBAPIError:
                    # Another process created the tables at the same moment (possible on
                    # PostgreSQL, where creating tables is not serialised as SQLite's
                    # BEGIN IMMEDIATE is): use what it made, if it made it.
                    with self._engine.connect() as connection:
                        version = schema_version(connection, self._where)
                    if version is None:
                        raise
                if self._file is not None:
                    # New connections set WAL journalling now that the tables exist (see
                    # engine); an in-memory database would not survive its connection closing.
                    self._engine.dispose()
        check_version(version, self._where)

    # --- writing ------------------------------------------------------------------------------

    def append(self, event: Event, *, expect: Expect | None = None) -> Recorded:
        """Record ``event`` at the end of its stream, in one transaction; return it as recorded.

        - Its id already recorded with the same content: the existing record is returned and
          nothing is written (``expect`` is not called).
        - Its id already recorded with other content: :class:`ConflictingEventError`.
        - Otherwise ``expect(stream_so_far)`` is called inside the transaction; whatever it
          raises propagates unchanged and nothing is written. Then the event is inserted with
          the next seq and committed. ``expect`` may run more than once if a concurrent
          writer forces a retry, so it should only check, not act.

        Raises :class:`InvalidEventError` for an event that cannot be stored (before touching
        the database) and :class:`StoreError` when the database fails.
        """
        return self.append_many([event], expect=expect)[0]

    def append_many(
        self,
        events: Sequence[Event],
        *,
        expect: Expect | Mapping[str, Expect] | None = None,
    ) -> list[Recorded]:
        """Record ``events`` in order, all in one transaction: all are written or none is.

        Events may belong to one stream or to several. Each is treated as :meth:`append`
        treats one (an identical repeat is returned as recorded, a conflicting id raises).
        ``expect`` is called before each new event is inserted, with that event's stream as
        it stands then (including events inserted earlier in this batch); give a mapping of
        stream id to check to check only some streams, or each with its own check.
        """
        self._check_open()
        if isinstance(events, Event) or not isinstance(events, Sequence):
            raise TypeError("append_many takes a sequence of events")
        batch = [canonical(event) for event in events]
        if not batch:
            return []
        raised: list[BaseException] = []
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                with self._translated("append events", raised):
                    with writing(self._writer, EVENTS.name) as connection:
                        return _insert(connection, batch, expect, raised)
            except _SeqTaken:
                _log.warning("an append collided with a concurrent writer (attempt %d of %d); "
                             "retrying", attempt, _ATTEMPTS)
                time.sleep(random.uniform(0, 0.005 * 2**attempt))  # noqa: S311 (jitter, not secrets)
        streams = ", ".join(sorted({item.stream_id for item in batch}))
        raise StoreError(f"could not append to {streams}: concurrent writers kept taking the same "
                         f"places ({_ATTEMPTS} attempts); nothing was written, try again")

    # --- reading ------------------------------------------------------------------------------

    def stream(self, stream_id: str) -> list[Recorded]:
        """Every event of ``stream_id`` in seq order (empty if it has none)."""
        self._check_open()
        if not isinstance(stream_id, str):
            raise TypeError("stream_id must be text")
        with self._translated("read a stream"), self._engine.connect() as connection:
            return _read_stream(connection, stream_id)

    def streams(self, prefix: str = "") -> list[str]:
        """The ids of the streams starting with ``prefix``, in the order of their first events."""
        self._check_open()
        if not isinstance(prefix, str):
            raise TypeError("prefix must be text")
        query = sa.select(EVENTS.c.stream_id).where(EVENTS.c.seq == 1).order_by(EVENTS.c.position)
        if prefix:  # substr, not LIKE: exact and case-sensitive, with no wildcards to escape
            query = query.where(sa.func.substr(EVENTS.c.stream_id, 1, len(prefix)) == prefix)
        with self._translated("list streams"), self._engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def all(self, *, after: int = 0) -> Iterator[Recorded]:
        """Every event with a position greater than ``after``, in global order.

        Read a page at a time, so no transaction is held open between pages; events committed
        while iterating may appear at the end. Pass the last position seen as ``after`` to
        resume.
        """
        self._check_open()
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise ValueError("after must be a position: a whole number, 0 or more")
        return self._pages(after)

    def _pages(self, after: int) -> Iterator[Recorded]:
        while True:
            query = (sa.select(EVENTS).where(EVENTS.c.position > after)
                     .order_by(EVENTS.c.position).limit(_PAGE))
            with self._translated("read events"), self._engine.connect() as connection:
                page = [_recorded(row) for row in connection.execute(query)]
            yield from page
            if len(page) < _PAGE:
                return
            after = page[-1].position

    # --- lifetime -----------------------------------------------------------------------------

    def close(self) -> None:
        """Release the database connections; the store cannot be used afterwards."""
        if not self._closed:
            self._closed = True
            self._engine.dispose()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        state = ", closed" if self._closed else ""
        return f"EventStore({self._where!r}{state})"

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"the event store {self._where} is closed")

    def _translated(self, doing: str, raised: list[BaseException] | None = None
                    ) -> AbstractContextManager[None]:
        return translated(doing, self._where, passthrough=raised if raised is not None else [])


def _parse(url: str | URL) -> URL:
    try:
        return sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StoreError("the event store address is not a database URL (give a file path to "
                         "EventStore.at, or a URL such as sqlite:///cases.db)") from None


def _insert(
    connection: Connection,
    batch: Sequence[CanonicalEvent],
    expect: Expect | Mapping[str, Expect] | None,
    raised: list[BaseException],
) -> list[Recorded]:
    """Write ``batch`` inside the open transaction; raise to roll all of it back."""
    done: list[Recorded] = []
    histories: dict[str, list[Recorded]] = {}  # streams whose events a check needs
    lasts: dict[str, int] = {}  # the last seq of every stream written to
    for item in batch:
        by_id = sa.select(EVENTS).where(EVENTS.c.event_id == item.event_id)
        row = connection.execute(by_id).first()
        if row is not None:
            if not _same(row, item):
                raise ConflictingEventError(item.event_id)
            done.append(_recorded(row))
            continue
        check = expect.get(item.stream_id) if isinstance(expect, Mapping) else expect
        if check is not None:
            history = histories.get(item.stream_id)
            if history is None:
                history = histories[item.stream_id] = _read_stream(connection, item.stream_id)
            try:
                check(tuple(history))
            except BaseException as error:
                raised.append(error)
                raise
            lasts[item.stream_id] = history[-1].seq if history else 0
        elif item.stream_id not in lasts:
            lasts[item.stream_id] = _last_seq(connection, item.stream_id)
        seq = lasts[item.stream_id] + 1
        try:
            result = connection.execute(sa.insert(EVENTS).values(
                event_id=item.event_id, stream_id=item.stream_id, seq=seq, type=item.type,
                on_date=item.on, role=item.role, payload=item.payload,
            ))
        except sa.exc.IntegrityError:
            raise _SeqTaken from None
        recorded = Recorded(seq, int(result.inserted_primary_key[0]), item.event())
        lasts[item.stream_id] = seq
        if item.stream_id in histories:
            histories[item.stream_id].append(recorded)
        done.append(recorded)
    return done


def _read_stream(connection: Connection, stream_id: str) -> list[Recorded]:
    query = sa.select(EVENTS).where(EVENTS.c.stream_id == stream_id).order_by(EVENTS.c.seq)
    return [_recorded(row) for row in connection.execute(query)]


def _last_seq(connection: Connection, stream_id: str) -> int:
    query = sa.select(sa.func.max(EVENTS.c.seq)).where(EVENTS.c.stream_id == stream_id)
    return int(connection.execute(query).scalar() or 0)


def _same(row: Row[Any], item: CanonicalEvent) -> bool:
    return (row.stream_id, row.type, row.on_date, row.role, row.payload) == (
        item.stream_id, item.type, item.on, item.role, item.payload)


def _create_whole(url: URL, path: str) -> None:
    """Make a new SQLite store at ``path`` whole: built in a file of its own beside it, then
    linked into place only if nothing is there yet (atomic). A file at ``path`` is then never
    an empty file on its way to being a store, so an empty file found there is one to refuse;
    and when several processes create the store at once, one file wins and the others open it."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return  # opening reports the missing folder
    draft = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.{random.getrandbits(32):08x}.new")
    try:
        engine = make_engine(url.set(database=draft))
        try:
            try:
                with writing(writer(engine), None) as connection:
                    create(connection, draft)
            except sa.exc.SQLAlchemyError:
                return  # create in place instead, where a failure is reported as usual
            raw = engine.raw_connection()  # outside a transaction, as the journal mode must be set
            try:
                raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # into the header, before the link
            finally:
                raw.close()
        finally:
            engine.dispose()
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first: open that one
        except OSError:
            return  # a file system without hard links: create in place, as before
    finally:
        for leftover in (draft, draft + "-wal", draft + "-shm", draft + "-journal"):
            if os.path.exists(leftover):
                os.unlink(leftover)


def _recorded(row: Row[Any]) -> Recorded:
    try:
        payload = json.loads(row.payload)
    except (TypeError, ValueError):  # not JSON text: changed outside the store
        raise DamagedStoreError(f"the event at store position {row.position}") from None
    if not isinstance(payload, dict):
        raise DamagedStoreError(f"the event at store position {row.position}")
    event = Event(row.event_id, row.stream_id, row.type, row.on_date, row.role, payload)
    return Recorded(row.seq, row.position, event)
