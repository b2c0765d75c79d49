"""The event store on a SQL database: SQLite by default, PostgreSQL by URL (SQLAlchemy Core).

Every append is one transaction holding the locks of the streams it writes to (on SQLite, the
database's one write lock; see :mod:`reciprocity.store.engine`): it looks the event ids up,
reads those streams, lets the caller's ``expect`` refuse, inserts, brings the read models up to
date and commits, or else writes nothing at all. An insert that collides with another writer's
(the same event id appended at the same moment to another stream) is rolled back and the whole
append retried after a short random pause.
"""

from __future__ import annotations

import itertools
import logging
import os
import random
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection

from reciprocity.store import reading
from reciprocity.store.creation import create_whole
from reciprocity.store.engine import (
    describe,
    make_engine,
    numbering,
    sqlite_file,
    translated,
    writer,
    writing,
)
from reciprocity.store.errors import ConflictingEventError, StoreError
from reciprocity.store.events import CanonicalEvent, Event, Expect, Recorded, canonical
from reciprocity.store.projection import Projection, Snapshot
from reciprocity.store.reading import events_after, last_seq, read_stream, recorded, stream_ids
from reciprocity.store.schema import EVENTS, check_version, create, schema_version
from reciprocity.store.upkeep import (
    Difference,
    behind,
    check_names,
    compare,
    ensure,
    rebuild,
    take_in,
)

__all__ = ["DEFAULT_URL", "EventStore"]

DEFAULT_URL = "sqlite:///reciprocity.db"

_log = logging.getLogger(__name__)
_ATTEMPTS = 5  # appends that lose a race for a seq (possible without a lock) are retried


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
            create_whole(parsed, path)  # the file appears with its tables, never empty
        if path is not None and create and os.path.isfile(path) and os.path.getsize(path) == 0:
            # An empty file is not set up as a store: it may be a store emptied by accident, and
            # starting again silently would read as a partnership with no cases.
            raise StoreError(f"{self._where} is an empty file, not an event store; remove it to start a new "
                             "store there, or give the path of the store's file")
        self._engine = make_engine(parsed)
        self._writer = writer(self._engine)
        self._closed = False
        self._projections: dict[str, Projection] = {}
        # This process's writers queue here, in turn, rather than meeting at the database's
        # lock (SQLite's busy handler sleeps and retries, so many waiting threads make a long tail).
        self._write_lock = threading.Lock()
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
                    with writing(self._writer) as connection:
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
                with self._write_lock, self._translated("append events", raised):
                    with writing(self._writer, streams=[item.stream_id for item in batch]) as connection:
                        done, new = _insert(connection, batch, expect, raised)
                        take_in(connection, list(self._projections.values()), new)
                        return done
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
            return read_stream(connection, stream_id)

    def streams(self, prefix: str = "") -> list[str]:
        """The ids of the streams starting with ``prefix``, in the order of their first events."""
        self._check_open()
        if not isinstance(prefix, str):
            raise TypeError("prefix must be text")
        with self._translated("list streams"), self._engine.connect() as connection:
            return stream_ids(connection, prefix)

    def all(self, *, after: int = 0) -> Iterator[Recorded]:
        """Every event with a position greater than ``after``, in global order.

        Read a page at a time, so no transaction is held open between pages; events committed
        while iterating may appear at the end. Pass the last position seen as ``after`` to
        resume: no event can later appear with a smaller position than one already handed out.
        On PostgreSQL, where writers commit in parallel, that holds because an event is handed out
        only once every transaction that began writing before it has ended (so an event may
        appear a moment after its append returned, while an older write is still in progress).
        """
        self._check_open()
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise ValueError("after must be a position: a whole number, 0 or more")
        return self._pages(after)

    def _pages(self, after: int) -> Iterator[Recorded]:
        while True:
            with self._translated("read events"), self._engine.connect() as connection:
                page = list(itertools.islice(events_after(connection, after, settled=True), reading.PAGE))
            yield from page
            if len(page) < reading.PAGE:
                return
            after = page[-1].position

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """One read transaction: every read through the :class:`Snapshot` sees the same moment
        of the store (SQLite: one WAL snapshot; PostgreSQL: REPEATABLE READ), and the projections
        this store maintains have taken in every event of it (any they missed are taken in first).
        """
        self._check_open()
        for _ in range(_ATTEMPTS):
            with self._translated("read a snapshot"), self._engine.connect() as connection:
                if connection.dialect.name != "sqlite":
                    connection = connection.execution_options(isolation_level="REPEATABLE READ")
                with connection.begin():
                    if not self._projections or not behind(connection, self._projections.values()):
                        yield Snapshot(connection, self)
                        return
            self._catch_up()
        raise StoreError(f"the event store {self._where}: its read models kept falling behind other writers; "
                         "try again")

    # --- projections --------------------------------------------------------------------------

    def maintain(self, *projections: Projection) -> None:
        """Keep ``projections`` up to date from now on: each is created or caught up (rebuilt if
        it was built by other code) now, and every append changes it in its own transaction.
        Attaching one already attached does nothing."""
        self._check_open()
        fresh: list[Projection] = []
        for projection in projections:
            if not isinstance(projection, Projection) or projection.name not in self._projections:
                check_names(projection, [*self._projections.values(), *fresh])
                fresh.append(projection)
        if not fresh:
            return
        with self._translated("set up its read models"):
            ready = False
            with self._engine.connect() as connection:
                inspector = sa.inspect(connection)
                if all(inspector.has_table(t.name) for p in fresh for t in p.tables):
                    ready = not behind(connection, fresh)  # in the transaction the inspector began
            if not ready:
                with writing(self._writer, exclusive=True) as connection:
                    for projection in fresh:
                        ensure(connection, projection)
        for projection in fresh:
            self._projections[projection.name] = projection

    @property
    def projections(self) -> tuple[str, ...]:
        """The names of the projections this store maintains."""
        return tuple(self._projections)

    def rebuild(self, names: Sequence[str] | None = None) -> dict[str, int]:
        """Empty and rebuild from every event the named projections (default: all this store
        maintains), in one write transaction; how many events each took in."""
        chosen = self._chosen(names)
        with self._translated("rebuild its read models"), writing(self._writer, exclusive=True) as connection:
            return {p.name: rebuild(connection, p) for p in chosen}

    def check_projections(self, names: Sequence[str] | None = None) -> list[Difference]:
        """Every row of the named projections (default: all maintained) that differs from a
        rebuild from the events, found without changing anything (in a rolled-back savepoint,
        inside a write transaction so that no event is appended meanwhile)."""
        chosen = self._chosen(names)
        with self._translated("check its read models"), writing(self._writer, exclusive=True) as connection:
            found: list[Difference] = []
            for projection in chosen:
                ensure(connection, projection)  # events it has not taken in yet are not differences
                found.extend(compare(connection, projection))
            return found

    def _chosen(self, names: Sequence[str] | None) -> list[Projection]:
        self._check_open()
        if names is None:
            return list(self._projections.values())
        unknown = sorted(set(names) - set(self._projections))
        if unknown:
            raise StoreError(f"no such projection in this store: {', '.join(unknown)}")
        return [self._projections[n] for n in names]

    def _catch_up(self) -> None:
        with self._translated("bring its read models up to date"), writing(self._writer, exclusive=True) as connection:
            for projection in self._projections.values():
                ensure(connection, projection)

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
) -> tuple[list[Recorded], list[Recorded]]:
    """Write ``batch`` inside the open transaction (raise to roll all of it back); the batch as
    recorded, and the events of it that were new (the rest were already there)."""
    done: list[Recorded] = []
    new: list[Recorded] = []
    histories: dict[str, list[Recorded]] = {}  # streams whose events a check needs
    lasts: dict[str, int] = {}  # the last seq of every stream written to
    inserted: dict[str, tuple[CanonicalEvent, Recorded]] = {}  # this batch's new events by id
    with ExitStack() as numbered:
        for item in batch:
            already = _already(connection, inserted, item)
            if already is not None:
                done.append(already)
                continue
            check = expect.get(item.stream_id) if isinstance(expect, Mapping) else expect
            if check is not None:
                history = histories.get(item.stream_id)
                if history is None:
                    history = histories[item.stream_id] = read_stream(connection, item.stream_id)
                try:
                    check(tuple(history))
                except BaseException as error:
                    raised.append(error)
                    raise
                lasts[item.stream_id] = history[-1].seq if history else 0
            elif item.stream_id not in lasts:
                lasts[item.stream_id] = last_seq(connection, item.stream_id)
            if not new:  # the first write of the transaction: number it and what follows in turn
                numbered.enter_context(numbering(connection))
            written = _write(connection, item, lasts[item.stream_id] + 1)
            lasts[item.stream_id] = written.seq
            if item.stream_id in histories:
                histories[item.stream_id].append(written)
            inserted[item.event_id] = (item, written)
            done.append(written)
            new.append(written)
    return done, new


def _already(connection: Connection, inserted: Mapping[str, tuple[CanonicalEvent, Recorded]],
             item: CanonicalEvent) -> Recorded | None:
    """The event as recorded if ``item``'s id is already in the store or earlier in the batch
    with the same content; ConflictingEventError if with other content; None if it is new."""
    if item.event_id in inserted:
        earlier, written = inserted[item.event_id]
        if _content(earlier) != _content(item):
            raise ConflictingEventError(item.event_id)
        return written
    row = connection.execute(sa.select(EVENTS).where(EVENTS.c.event_id == item.event_id)).first()
    if row is None:
        return None
    if (row.stream_id, row.type, row.on_date, row.role, row.payload) != _content(item):
        raise ConflictingEventError(item.event_id)
    return recorded(row)


def _write(connection: Connection, item: CanonicalEvent, seq: int) -> Recorded:
    try:
        result = connection.execute(sa.insert(EVENTS).values(
            event_id=item.event_id, stream_id=item.stream_id, seq=seq, type=item.type,
            on_date=item.on, role=item.role, payload=item.payload,
        ))
    except sa.exc.IntegrityError:
        # Another writer took this id (on another stream) or, with a writer that does not lock
        # streams, this seq, since it was read: start again.
        raise _SeqTaken from None
    return Recorded(seq, int(result.inserted_primary_key[0]), item.event())


def _content(item: CanonicalEvent) -> tuple[Any, ...]:
    return (item.stream_id, item.type, item.on, item.role, item.payload)
