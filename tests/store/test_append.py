"""Appending: idempotent ids, conflicts, the caller's expect check, all-or-nothing batches."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import date

import pytest
import sqlalchemy as sa

from reciprocity.store import (
    ConflictingEventError,
    EventStore,
    InvalidEventError,
    Recorded,
    StoreError,
)
from reciprocity.store import reading as store_reading
from reciprocity.store import sql as store_sql

from ._support import SECRET, ev


class Refused(Exception):
    """What a caller's expect raises to refuse a transition."""


def refuse(existing: Sequence[Recorded]) -> None:
    raise Refused(f"{len(existing)} events")


def test_append_numbers_each_stream_from_one_and_orders_the_store(store: EventStore) -> None:
    a1 = store.append(ev("a1", "case:A", name=SECRET))
    b1 = store.append(ev("b1", "case:B"))
    a2 = store.append(ev("a2", "case:A", type="approve", on=date(2026, 4, 2)))
    assert (a1.seq, b1.seq, a2.seq) == (1, 1, 2)
    assert a1.position < b1.position < a2.position
    assert store.stream("case:A") == [a1, a2]
    assert list(store.all()) == [a1, b1, a2]
    assert a1.event == ev("a1", "case:A", name=SECRET)


def test_an_identical_repeat_returns_the_existing_record_and_writes_nothing(
    store: EventStore,
) -> None:
    first = store.append(ev("e1", items=[1, 2], note="x"))
    store.append(ev("e2"))
    called: list[int] = []
    again = store.append(ev("e1", note="x", items=(1, 2)), expect=lambda h: called.append(len(h)))
    assert again == first
    assert called == []  # expect is not asked about an event already recorded
    assert [r.event.event_id for r in store.all()] == ["e1", "e2"]


@pytest.mark.parametrize(
    "changed",
    [
        ev("e1", stream_id="case:OTHER", name=SECRET),
        ev("e1", type="approve", name=SECRET),
        ev("e1", on=date(2026, 4, 2), name=SECRET),
        ev("e1", role="partner", name=SECRET),
        ev("e1", name=SECRET + "!"),
        ev("e1", name=SECRET, extra=None),
    ],
)
def test_the_same_id_with_other_content_conflicts_naming_nothing_given(
    store: EventStore, changed: object
) -> None:
    store.append(ev("e1", name=SECRET))
    with pytest.raises(ConflictingEventError) as caught:
        store.append(changed)  # type: ignore[arg-type]
    assert caught.value.event_id == "e1"
    assert "'e1'" not in str(caught.value) and SECRET not in str(caught.value)  # the id may be typed (issue 18)
    assert len(list(store.all())) == 1


def test_expect_sees_the_stream_and_its_refusal_propagates_with_nothing_written(
    store: EventStore,
) -> None:
    store.append(ev("e1"))
    seen: list[Sequence[Recorded]] = []
    store.append(ev("e2"), expect=seen.append)
    assert list(seen[0]) == store.stream("case:ARC-0001")[:1]

    error = Refused("no")

    def refuse_this(existing: Sequence[Recorded]) -> None:
        raise error

    with pytest.raises(Refused) as caught:
        store.append(ev("e3", name=SECRET), expect=refuse_this)
    assert caught.value is error
    assert [r.event.event_id for r in store.all()] == ["e1", "e2"]
    assert store.append(ev("e3")).seq == 3  # the refused id was never taken


def test_a_database_error_raised_by_expect_is_not_mistaken_for_the_stores(
    store: EventStore,
) -> None:
    error = sa.exc.OperationalError("SELECT 1", {}, Exception("the caller's own database"))

    def fails(existing: Sequence[Recorded]) -> None:
        raise error

    with pytest.raises(sa.exc.OperationalError) as caught:
        store.append(ev("e1"), expect=fails)
    assert caught.value is error
    assert store.stream("case:ARC-0001") == []


def test_append_many_is_all_or_nothing_across_streams(store: EventStore) -> None:
    store.append(ev("a1", "case:A"))
    calls: list[tuple[str, int]] = []

    def refuse_third(existing: Sequence[Recorded]) -> None:
        calls.append((existing[-1].event.stream_id if existing else "-", len(existing)))
        if len(calls) == 3:
            raise Refused

    batch = [ev("a2", "case:A"), ev("b1", "ledger:kent_rp"), ev("a3", "case:A")]
    with pytest.raises(Refused):
        store.append_many(batch, expect=refuse_third)
    # each call saw its own stream, including the rows this batch had inserted before it
    assert calls == [("case:A", 1), ("-", 0), ("case:A", 2)]
    assert [r.event.event_id for r in store.all()] == ["a1"]
    assert store.streams() == ["case:A"]

    written = store.append_many(batch)
    assert [(r.event.stream_id, r.seq) for r in written] == [
        ("case:A", 2), ("ledger:kent_rp", 1), ("case:A", 3)]
    assert store.append_many(batch) == written  # the whole batch again: a no-op


def test_append_many_takes_a_check_per_stream(store: EventStore) -> None:
    checked: list[str] = []
    store.append_many(
        [ev("a1", "case:A"), ev("b1", "ledger:L"), ev("a2", "case:A")],
        expect={"case:A": lambda h: checked.append(f"case:A@{len(h)}")},
    )
    assert checked == ["case:A@0", "case:A@1"]
    with pytest.raises(Refused):
        store.append_many([ev("a3", "case:A"), ev("b2", "ledger:L")], expect={"ledger:L": refuse})
    assert len(list(store.all())) == 3


def test_a_conflict_or_an_invalid_event_anywhere_in_a_batch_writes_nothing(
    store: EventStore,
) -> None:
    store.append(ev("e1", n=1))
    with pytest.raises(ConflictingEventError):
        store.append_many([ev("e2"), ev("e1", n=2), ev("e3")])
    with pytest.raises(InvalidEventError):
        store.append_many([ev("e2"), ev("e3", when=date(2026, 1, 1))])
    with pytest.raises(ConflictingEventError):
        store.append_many([ev("e2", n=1), ev("e2", n=2)])  # conflicting within the batch
    assert [r.event.event_id for r in store.all()] == ["e1"]


def test_a_repeat_within_a_batch_is_written_once(store: EventStore) -> None:
    one, two = store.append_many([ev("e1", n=1), ev("e1", n=1)])
    assert one == two
    assert len(list(store.all())) == 1
    assert store.append_many([]) == []


def test_append_many_wants_a_sequence_of_events(store: EventStore) -> None:
    with pytest.raises(TypeError):
        store.append_many(ev("e1"))  # type: ignore[arg-type]


def test_a_lost_race_for_a_seq_is_retried(
    store: EventStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Without the write lock two writers could pick the same seq; UNIQUE(stream_id, seq)
    turns that into a retry (simulated here by reading a stale last seq once)."""
    store.append(ev("e1"))
    real = store_sql.last_seq
    stale = [0]
    monkeypatch.setattr(store_sql, "last_seq", lambda c, s: stale.pop() if stale else real(c, s))
    with caplog.at_level(logging.WARNING, logger="reciprocity.store"):
        recorded = store.append(ev("e2", name=SECRET))
    assert recorded.seq == 2
    assert "attempt 1 of 5" in caplog.text and SECRET not in caplog.text
    assert [r.seq for r in store.stream("case:ARC-0001")] == [1, 2]


def test_a_race_lost_every_time_ends_in_a_store_error_with_nothing_written(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.append(ev("e1", "case:A"))
    monkeypatch.setattr(store_sql, "last_seq", lambda c, s: 0)
    with pytest.raises(StoreError, match="could not append to case:A, case:B") as caught:
        store.append_many([ev("e2", "case:B", name=SECRET), ev("e3", "case:A", name=SECRET)])
    assert SECRET not in str(caught.value)
    assert [r.event.event_id for r in store.all()] == ["e1"]


# --- reading --------------------------------------------------------------------------------


def test_streams_are_listed_in_order_of_first_event_by_exact_prefix(store: EventStore) -> None:
    for event_id, stream in [("1", "ledger:kent_rp"), ("2", "case:B"), ("3", "case:A"),
                             ("4", "case:B"), ("5", "CASE:C"), ("6", "ledger:kentXrp"),
                             ("7", "case%:D")]:
        store.append(ev(event_id, stream))
    assert store.streams() == ["ledger:kent_rp", "case:B", "case:A", "CASE:C",
                               "ledger:kentXrp", "case%:D"]
    assert store.streams("case:") == ["case:B", "case:A"]  # case-sensitive
    assert store.streams("ledger:kent_") == ["ledger:kent_rp"]  # _ is not a wildcard
    assert store.streams("case%") == ["case%:D"]  # nor is %
    assert store.streams("nothing") == []
    assert store.stream("case:nothing") == []


def test_all_resumes_after_a_position_and_reads_page_by_page(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_reading, "PAGE", 3)
    written = store.append_many([ev(f"e{i}", f"case:{i % 3}", i=i) for i in range(10)])
    assert list(store.all()) == written
    assert list(store.all(after=written[3].position)) == written[4:]
    assert list(store.all(after=written[-1].position)) == []
    with pytest.raises(ValueError, match="after must be a position"):
        store.all(after=-1)


def test_the_business_date_and_the_payload_read_back_exactly(store: EventStore) -> None:
    payload = {"n": 10**20, "f": 0.1 + 0.2, "neg": -0.0, "s": "Ærø \u0000 ✓", "l": [[], {}],
               "t": True, "none": None, "nested": {"deep": [{"x": [1.5e300]}]}}
    event = ev("e1", on=date(1999, 12, 31), **payload)
    store.append(event)
    (back,) = store.stream("case:ARC-0001")
    assert back.event == event
    assert back.event.on == date(1999, 12, 31) and type(back.event.on) is date
    assert back.event.payload["f"] == 0.1 + 0.2


def test_threads_sharing_one_store_append_without_losing_events(store: EventStore) -> None:
    def write(tag: str) -> None:
        for i in range(25):
            store.append(ev(f"{tag}-{i}", i=i))

    threads = [threading.Thread(target=write, args=(f"t{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = store.stream("case:ARC-0001")
    assert [r.seq for r in records] == list(range(1, 101))
    for n in range(4):
        mine = [r.event.payload["i"] for r in records if r.event.event_id.startswith(f"t{n}-")]
        assert mine == list(range(25))
