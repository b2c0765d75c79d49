"""Property: a store holds the distinct events appended, in first-write order, whatever the
mix of single appends, batches and repeats; appending everything again changes nothing."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from reciprocity.store import Event, EventStore

STREAMS = ("case:ARC-0001", "case:ARC-0002", "ledger:kent_rp", "ledger:kentXrp", "CASE:arc",
           "case:Ærø %")
PREFIXES = ("", "case:", "CASE", "ledger:kent_", "ledger:kent", "case:Æ", "none")

ids = st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=3)
json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: (st.lists(inner, max_size=3)
                   | st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=8,
)


@st.composite
def plans(draw: st.DrawFn) -> tuple[list[Event], list[list[int]]]:
    """A pool of distinct events, and the order of appends (batches of pool indexes, repeats
    allowed): each batch of one is an ``append``, longer ones an ``append_many``."""
    size = draw(st.integers(1, 8))
    pool = [
        Event(
            event_id=f"ev-{i}-{draw(ids)}",
            stream_id=draw(st.sampled_from(STREAMS)),
            type=draw(st.sampled_from(["refer", "approve", "owe"])),
            on=draw(st.dates()),
            role=draw(st.sampled_from(["coordinator", "partner"])),
            payload=draw(st.dictionaries(st.text(max_size=5), json_values, max_size=4)),
        )
        for i in range(size)
    ]
    batches = draw(st.lists(st.lists(st.integers(0, size - 1), min_size=1, max_size=3),
                            min_size=1, max_size=10))
    return pool, batches


def apply(store: EventStore, pool: list[Event], batches: list[list[int]]) -> None:
    for batch in batches:
        if len(batch) == 1:
            store.append(pool[batch[0]])
        else:
            store.append_many([pool[i] for i in batch])


@given(plans(), st.sampled_from(PREFIXES))
def test_replay_is_the_distinct_events_in_first_write_order(
    plan: tuple[list[Event], list[list[int]]], prefix: str
) -> None:
    pool, batches = plan
    distinct = list({pool[i].event_id: pool[i] for batch in batches for i in batch}.values())
    first_streams = list(dict.fromkeys(e.stream_id for e in distinct))
    with EventStore("sqlite://") as store:  # in memory: one fresh store per example
        apply(store, pool, batches)

        everything = list(store.all())
        assert [r.event for r in everything] == distinct
        positions = [r.position for r in everything]
        assert positions == sorted(set(positions))
        for stream in STREAMS:
            records = store.stream(stream)
            assert [r.event for r in records] == [e for e in distinct if e.stream_id == stream]
            assert [r.seq for r in records] == list(range(1, len(records) + 1))
        assert store.streams() == first_streams
        assert store.streams(prefix) == [s for s in first_streams if s.startswith(prefix)]

        apply(store, pool, batches)  # the whole sequence again
        assert list(store.all()) == everything
