"""A report read while others write is one moment of the store (issue 14).

Before, each stream was read in its own transaction: a report taken while moves were recorded
could count fewer moves than homes owed in its own ledger section. A move and its ledger entry
are written in one transaction (Kent RP MoU §4.6); a report now reads one snapshot, so its
moves always equal the homes its ledger says are owed.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from reciprocity.demo import simulate
from reciprocity.reports import build_report, parse_period
from reciprocity.store import Event, EventStore

from ._support import BACKENDS, empty_postgres


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return empty_postgres() if request.param == "postgresql" else f"sqlite:///{tmp_path / 'store.db'}"


def history() -> tuple[list[Event], list[list[Event]]]:
    """A year of kent_rp, split into everything but the moves, and each move with its ledger entry."""
    with EventStore("sqlite://") as memory:
        simulate(memory, scheme_id="kent_rp", year=2025, seed=11, households=40)
        events = [r.event for r in memory.all()]
    ledger = {e.event_id: e for e in events if e.stream_id.startswith("ledger:")}
    from reciprocity.ledger.service import move_entry_id

    moves = [[e, ledger[move_entry_id(e.event_id)]] for e in events if e.type == "move" and e.stream_id.startswith("case:")]
    held = {e.event_id for pair in moves for e in pair}
    # What follows a move on its case (feedback, closing) waits for the move: keep those back too.
    after: dict[str, list[Event]] = {}
    rest = []
    moved_streams: set[str] = set()
    for e in events:
        if e.event_id in held:
            moved_streams.add(e.stream_id)
            continue
        if e.stream_id in moved_streams:
            after.setdefault(e.stream_id, []).append(e)
            continue
        rest.append(e)
    return rest, [pair + after.get(pair[0].stream_id, []) for pair in moves]


def test_a_report_taken_during_moves_counts_as_many_moves_as_homes_owed(url: str) -> None:
    before, moves = history()
    assert len(moves) >= 3, "the simulation should move several households"
    with EventStore(url) as store:
        store.append_many(before)
        period = parse_period("2025")
        done = threading.Event()
        reports: list[Any] = []
        failures: list[BaseException] = []

        def write() -> None:
            try:
                with EventStore(url) as writer:
                    for batch in moves:
                        writer.append_many(batch)  # the move, its entry (one transaction), what followed
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)
            finally:
                done.set()

        thread = threading.Thread(target=write)
        thread.start()
        while not done.is_set() or len(reports) < 3:
            reports.append(build_report(store, "kent_rp", period))
        thread.join()
        assert not failures, failures
        reports.append(build_report(store, "kent_rp", period))  # after every write
        for report in reports:
            owed = sum(row.owes for row in report.balances)
            assert report.moves == owed, (report.moves, owed)
        assert reports[-1].moves == len(moves)
