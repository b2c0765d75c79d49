"""Projections (read models) kept in the store with the events (issue 14).

A toy projection (events per stream) shows the store's guarantees, whatever a projection means:
it changes in the append's own transaction, takes in events appended without it, is rebuilt
when its code changes, and ``check_projections`` finds a row altered by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from reciprocity.store import EventStore, StoreError
from reciprocity.store.projection import Projection

from ._support import ev

_METADATA = sa.MetaData()
COUNTS = sa.Table(
    "toy_counts", _METADATA,
    sa.Column("stream_id", sa.String(255), primary_key=True),
    sa.Column("events", sa.Integer, nullable=False),
)


class Counting:
    """Events per stream; raises on an event of type ``explode`` (to roll an append back)."""

    name = "toy"
    tables = (COUNTS,)

    def __init__(self, version: int = 1) -> None:
        self.version = version
        self.applied = 0

    def apply(self, connection: Connection, events: Sequence[Any]) -> None:
        for recorded in events:
            if recorded.event.type == "explode":
                raise RuntimeError("the projection refused")
            self.applied += 1
            stream = recorded.event.stream_id
            changed = connection.execute(sa.update(COUNTS).where(COUNTS.c.stream_id == stream)
                                         .values(events=COUNTS.c.events + 1))
            if changed.rowcount == 0:
                connection.execute(sa.insert(COUNTS).values(stream_id=stream, events=1))


def counts(store: EventStore) -> dict[str, int]:
    with store.snapshot() as snapshot:
        return dict(snapshot.connection.execute(sa.select(COUNTS.c.stream_id, COUNTS.c.events)).all())


@pytest.fixture(autouse=True)
def _no_toy_table_left(store_url: str) -> None:
    if store_url.startswith("postgresql"):
        engine = sa.create_engine(store_url)
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS toy_counts")
        engine.dispose()


def test_it_is_a_projection() -> None:
    assert isinstance(Counting(), Projection)


def test_an_append_changes_the_projection_in_its_own_transaction(store: EventStore) -> None:
    store.maintain(Counting())
    store.append_many([ev("e1", "s:a"), ev("e2", "s:a"), ev("e3", "s:b")])
    assert counts(store) == {"s:a": 2, "s:b": 1}
    store.append(ev("e1", "s:a"))  # a retry: nothing new, nothing counted
    assert counts(store) == {"s:a": 2, "s:b": 1}


def test_a_refusing_projection_writes_nothing_of_the_append(store: EventStore) -> None:
    store.maintain(Counting())
    store.append(ev("e1", "s:a"))
    with pytest.raises(RuntimeError, match="the projection refused"):
        store.append_many([ev("e2", "s:a"), ev("e3", "s:a", type="explode")])
    assert [r.event.event_id for r in store.stream("s:a")] == ["e1"]
    assert counts(store) == {"s:a": 1}


def test_a_failed_append_leaves_the_projection_as_it_was(store: EventStore) -> None:
    store.maintain(Counting())
    store.append(ev("e1", "s:a"))

    def refuse(_events: Any) -> None:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        store.append(ev("e2", "s:a"), expect=refuse)
    assert counts(store) == {"s:a": 1}


def test_events_appended_without_the_projection_are_taken_in(store_url: str) -> None:
    with EventStore(store_url) as bare:  # an older reciprocity, or a script on the bare store
        bare.append_many([ev("e1", "s:a"), ev("e2", "s:b")])
    with EventStore(store_url) as store:
        store.maintain(Counting())  # built from every event when first attached
        assert counts(store) == {"s:a": 1, "s:b": 1}
        with EventStore(store_url) as bare:
            bare.append(ev("e3", "s:a"))
        assert counts(store) == {"s:a": 2, "s:b": 1}  # a snapshot takes in what it missed
        with EventStore(store_url) as bare:
            bare.append(ev("e4", "s:b"))
        store.append(ev("e5", "s:c"))  # so does an append, before its own events
        assert counts(store) == {"s:a": 2, "s:b": 2, "s:c": 1}


def test_a_projection_built_by_other_code_is_rebuilt(store_url: str) -> None:
    with EventStore(store_url) as store:
        store.maintain(Counting(version=1))
        store.append_many([ev("e1", "s:a"), ev("e2", "s:a")])
    with EventStore(store_url) as store:
        newer = Counting(version=2)
        store.maintain(newer)
        assert newer.applied == 2 and counts(store) == {"s:a": 2}
    with EventStore(store_url) as store:
        same = Counting(version=2)
        store.maintain(same)  # up to date: nothing replayed
        assert same.applied == 0


def test_check_finds_a_row_altered_by_hand_and_rebuild_puts_it_right(store: EventStore) -> None:
    store.maintain(Counting())
    store.append_many([ev("e1", "s:a"), ev("e2", "s:b"), ev("e3", "s:c")])
    assert store.check_projections() == []
    engine = sa.create_engine(store._engine.url)
    with engine.begin() as connection:
        connection.execute(sa.update(COUNTS).where(COUNTS.c.stream_id == "s:a").values(events=7))
        connection.execute(sa.delete(COUNTS).where(COUNTS.c.stream_id == "s:b"))
        connection.execute(sa.insert(COUNTS).values(stream_id="s:z", events=1))
    engine.dispose()
    found = {(d.projection, d.table, d.key, d.kind) for d in store.check_projections()}
    assert found == {("toy", "toy_counts", ("s:a",), "changed"), ("toy", "toy_counts", ("s:b",), "missing"),
                     ("toy", "toy_counts", ("s:z",), "unexpected")}
    assert counts(store)["s:a"] == 7  # checking changed nothing
    assert store.rebuild() == {"toy": 3}
    assert store.check_projections() == [] and counts(store) == {"s:a": 1, "s:b": 1, "s:c": 1}


def test_a_projection_may_not_take_a_store_table(store: EventStore) -> None:
    clash = Counting()
    clash.tables = (sa.Table("events", sa.MetaData(), sa.Column("x", sa.Integer, primary_key=True)),)  # type: ignore[assignment]
    with pytest.raises(StoreError, match="already taken: events"):
        store.maintain(clash)
    with pytest.raises(TypeError, match="not a projection"):
        store.maintain(object())  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="no such projection"):
        store.rebuild(["nothing"])
