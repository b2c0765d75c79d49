"""Writers on different cases at once (issue 14): on PostgreSQL they run in parallel, each
holding only its streams' locks, yet a reader following ``EventStore.all(after=)`` still sees
positions only increase and misses nothing; on SQLite they take turns. Both backends."""

from __future__ import annotations

import threading
from datetime import date

from reciprocity.casework.projection import CASES
from reciprocity.ledger.projection import LEDGER
from reciprocity.store import Event, EventStore

WRITERS, EACH = 4, 40


def test_a_reader_following_all_sees_every_event_once_in_increasing_positions(store_url: str) -> None:
    EventStore(store_url).close()
    done = threading.Event()
    seen: list[int] = []

    def write(worker: int) -> None:
        with EventStore(store_url) as store:  # its own store: its own connections and write lock
            store.maintain(CASES, LEDGER)
            for i in range(EACH):
                store.append(Event(f"p-{worker}-{i}", f"case:P{worker}-{i % 3}", "note", date(2026, 1, 1),
                                   "coordinator", {"i": i}))

    def follow() -> None:
        with EventStore(store_url) as store:
            after = 0
            while True:
                finished = done.is_set()  # read before the page: a last page after the writers ended
                for recorded in store.all(after=after):
                    seen.append(recorded.position)
                    after = recorded.position
                if finished:
                    return

    writers = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    reader = threading.Thread(target=follow)
    reader.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    reader.join(60)
    assert not reader.is_alive()
    assert seen == sorted(seen) and len(set(seen)) == len(seen)  # never a smaller one later
    with EventStore(store_url) as store:
        assert seen == [r.position for r in store.all()]  # and none missed
        assert len(seen) == WRITERS * EACH
        assert store.check_projections() == []  # the read models took in every one of them
