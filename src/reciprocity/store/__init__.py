"""An append-only event store: streams of events whose replay is the state of a thing.

A case (``case:ARC-…``) or a ledger (``ledger:kent_rp``) is a stream; its state is whatever
its events, replayed in order, make it. The store knows nothing about what events mean::

    from reciprocity.store import Event, EventStore

    with EventStore.at("cases.db") as store:
        store.append(Event("ev-1", "case:ARC-0001", "refer", date(2026, 4, 1),
                           "coordinator", {"scheme": "kent_rp"}), expect=check_transition)
        for recorded in store.stream("case:ARC-0001"):
            ...  # recorded.seq, recorded.position, recorded.event

Guarantees
----------
- **Idempotent ids.** An event id names one event for ever. Appending an id that is already
  recorded with identical content (stream, type, date, role, canonical JSON payload) returns
  the existing record and writes nothing, so a retried write is harmless; the same id with
  different content raises :class:`ConflictingEventError`.
- **All or nothing.** :meth:`EventStore.append` and :meth:`EventStore.append_many` each run
  in one transaction. If the caller's ``expect`` check raises, an event is invalid, an id
  conflicts or the database fails, nothing of the call is written; ``expect``'s own
  exception propagates unchanged.
- **Serialised writers.** Writers (threads or processes) take turns: on SQLite each append
  begins with ``BEGIN IMMEDIATE`` (WAL journal, busy timeout), on PostgreSQL it locks the
  events table against other writers. ``expect`` therefore sees the stream exactly as the
  event will follow it, and ``UNIQUE(stream_id, seq)`` backs this up (a collision is retried).
- **Crash safety.** A committed append survives the process being killed and (SQLite's
  ``synchronous=FULL``) power loss; an append interrupted before its commit leaves no trace.
- **Ordering.** ``seq`` numbers a stream's events 1, 2, 3 … with no gaps; ``position``
  orders all events in commit order (increasing, possibly with gaps on PostgreSQL).
  :meth:`EventStore.stream` reads in seq order, :meth:`EventStore.all` in position order,
  :meth:`EventStore.streams` lists streams in the order of their first events.
- **Exact payloads.** Payloads are stored as canonical JSON and read back equal to what was
  written (tuples read back as lists); anything that is not JSON is refused up front.
- **Nothing personal in errors or logs.** Messages name event ids, stream ids, event types,
  field paths and files, never payload values.

A database written by a newer reciprocity (a higher schema version) is refused, as is a file
that is not a SQLite database. ``EventStore`` (and SQLAlchemy) load only when first used, so
``from reciprocity.store import Event`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reciprocity.store.errors import (
    ConflictingEventError,
    DamagedStoreError,
    InvalidEventError,
    StoreError,
    StoreUnusableError,
)
from reciprocity.store.events import Event, Expect, Recorded

if TYPE_CHECKING:
    from reciprocity.store.sql import EventStore

__all__ = [
    "ConflictingEventError",
    "DamagedStoreError",
    "Event",
    "EventStore",
    "Expect",
    "InvalidEventError",
    "Recorded",
    "StoreError",
    "StoreUnusableError",
]


def __getattr__(name: str) -> Any:
    if name == "EventStore":  # SQLAlchemy loads with the store itself, not with the values
        from reciprocity.store.sql import EventStore  # noqa: PLC0415

        return EventStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
