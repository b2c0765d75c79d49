"""Read models kept in the store beside the events, and reading one consistent snapshot.

A :class:`Projection` is a read model (the current state of each case, its open deadlines, the
ledger's balances) kept in tables of its own, changed in the same transaction as the events
that change it, so a read can use an indexed query instead of replaying every stream. The
events stay the source of truth: a projection is only ever derived from them, can be rebuilt
from them at any time (:meth:`~reciprocity.store.sql.EventStore.rebuild`) and compared with a
fresh rebuild (:meth:`~reciprocity.store.sql.EventStore.check_projections`).

The store knows nothing about what events mean; a projection does. It is attached to an open
store with :meth:`~reciprocity.store.sql.EventStore.maintain` (the library's ``Cases``,
``Ledger`` and the doors do this), after which:

- every append runs :meth:`Projection.apply` on the events it inserts, inside the append's
  transaction: the events and the read model commit together, or neither does;
- events appended by a store that did not maintain it (a script using the bare ``EventStore``,
  a program that attaches other projections) are listed as its gaps in the same transaction and
  taken in by a store that maintains it: those of a stream before that store's next append to
  the stream, all of them before its next snapshot;
- a projection whose recorded version differs from :attr:`Projection.version` (its code
  changed) is emptied and rebuilt from every event when it is attached.

The ``projections`` table records each projection's version; ``projection_gaps`` the events it
has not taken in. A :class:`Snapshot` reads events and projections in one read transaction, so a report sees
one moment of the store even while others write.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from reciprocity.store.reading import events_after, read_stream, stream_ids

__all__ = ["Projection", "Snapshot"]


@runtime_checkable
class Projection(Protocol):
    """A read model derived from the events (see the module's description)."""

    #: A stable name (the key of its row in the ``projections`` table).
    name: str
    #: Raise it whenever the tables or what :meth:`apply` writes change: the projection is then
    #: rebuilt from the events when next attached.
    version: int
    #: Its tables (created when missing, emptied before a rebuild). Their names must not be a
    #: store table's (``events``, ``meta``, ``projections``) or another projection's.
    tables: Sequence[sa.Table]

    def apply(self, connection: Connection, events: Sequence[Any]) -> None:
        """Take in ``events`` (``Recorded``, in position order, just inserted or being replayed)
        inside the open write transaction on ``connection``. It may read the events table (the
        new events are visible there) and its own tables; whatever it raises rolls the whole
        append back.

        The events of one stream always arrive in seq order, each once. Events of different
        streams may arrive out of position order (on PostgreSQL, appends to different streams
        run in parallel; a missed event is taken in later), so a row that combines several
        streams must not depend on the order they arrive in."""
        ...


class Snapshot:
    """One read transaction on a store: every read through it sees the same moment.

    It offers the reading half of the store's interface (:meth:`stream`, :meth:`streams`,
    :meth:`all`), so the library's readers (``Partners``, ``Ledger``, reports) take a snapshot
    wherever they take a store, and :attr:`connection` for queries on projection tables. Made
    by :meth:`~reciprocity.store.sql.EventStore.snapshot`; valid only inside its ``with``.
    """

    def __init__(self, connection: Connection, store: Any) -> None:
        self.connection = connection
        self.store = store

    def stream(self, stream_id: str) -> list[Any]:
        """Every event of ``stream_id`` in seq order, as of the snapshot."""
        if not isinstance(stream_id, str):
            raise TypeError("stream_id must be text")
        return read_stream(self.connection, stream_id)

    def streams(self, prefix: str = "") -> list[str]:
        """The ids of the streams starting with ``prefix``, in the order of their first events."""
        if not isinstance(prefix, str):
            raise TypeError("prefix must be text")
        return stream_ids(self.connection, prefix)

    def all(self, *, after: int = 0) -> Iterator[Any]:
        """Every event after position ``after``, in position order, as of the snapshot."""
        return events_after(self.connection, after)

    def snapshot(self) -> Any:
        """This snapshot itself (so code given a snapshot can ask for one)."""
        from contextlib import nullcontext  # noqa: PLC0415

        return nullcontext(self)

    def maintain(self, *projections: Projection) -> None:
        """Nothing: the store that made the snapshot keeps its projections up to date."""

    def __repr__(self) -> str:
        return f"Snapshot({self.store!r})"
