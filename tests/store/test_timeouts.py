"""One frozen client cannot stop the others (issue 14): on PostgreSQL a writer that took the
writers' lock and then froze (a laptop asleep mid-write, simulated with SIGSTOP) holds the
others up for no longer than the store's timeout: they are told the store is busy, and once the
server has ended the frozen client's idle transaction, they write.

PostgreSQL only (SQLite's busy timeout gives up the same way, tested with the store's errors);
CI runs it (.ci/run)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date

import pytest

from reciprocity.store import Event, EventStore, StoreError

from ._support import POSTGRES_URL, empty_postgres

pytestmark = [pytest.mark.skipif(not POSTGRES_URL, reason="no PostgreSQL (set RECIPROCITY_TEST_POSTGRES_URL)"),
              pytest.mark.skipif(sys.platform == "win32", reason="uses SIGSTOP")]

TIMEOUT_MS = 1500
FROZEN = """
import sys, time
from reciprocity.store.engine import make_engine
connection = make_engine(sys.argv[1]).connect()
connection.exec_driver_sql("BEGIN")
connection.exec_driver_sql("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE")
print("locked", flush=True)
time.sleep(120)
"""


def _event(n: int) -> Event:
    return Event(f"e{n}", "case:T1", "note", date(2026, 1, 1), "coordinator", {"n": n})


def test_a_sigstopped_writer_holds_the_others_up_no_longer_than_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECIPROCITY_STORE_TIMEOUT_MS", str(TIMEOUT_MS))
    url = empty_postgres()
    EventStore(url).close()
    frozen = subprocess.Popen([sys.executable, "-c", FROZEN, url], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "RECIPROCITY_STORE_TIMEOUT_MS": str(TIMEOUT_MS)})
    try:
        assert frozen.stdout is not None and frozen.stdout.readline().strip() == "locked"
        os.kill(frozen.pid, signal.SIGSTOP)
        with EventStore(url) as store:
            outcome: list[BaseException | None] = []

            def write() -> None:
                try:
                    store.append(_event(1))
                    outcome.append(None)
                except StoreError as error:
                    outcome.append(error)

            # A daemon thread: without the timeouts it would wait for ever, and must not keep
            # the test process alive.
            writer = threading.Thread(target=write, daemon=True)
            writer.start()
            writer.join(TIMEOUT_MS / 1000 * 3)
            assert not writer.is_alive(), "a frozen client held another writer up past the timeout"
            waited_out = outcome[0] is not None
            if waited_out:  # told, within the timeout, that the store is busy
                assert "busy" in str(outcome[0]) and "try again" in str(outcome[0])
            # By now the server has ended the frozen client's idle transaction: writes go on.
            time.sleep(TIMEOUT_MS / 1000 * 1.5)
            if waited_out:
                store.append(_event(1))
            store.append(_event(2))
            assert [r.event.event_id for r in store.stream("case:T1")] == ["e1", "e2"]
    finally:
        os.kill(frozen.pid, signal.SIGCONT)
        frozen.kill()
        frozen.wait()


def test_a_server_that_cannot_be_reached_is_named_as_such() -> None:
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    with pytest.raises(StoreError, match="cannot connect to the database server") as refused:
        EventStore(unreachable)
    assert "try again" in str(refused.value) and "OperationalError" not in str(refused.value)


def test_a_write_refused_half_way_leaves_no_lock_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    """The numbering lock (held while events are inserted, see store.engine.numbering) outlives
    a transaction: an append refused after its first insert must still release it, or every
    other writer would wait for it."""
    monkeypatch.setenv("RECIPROCITY_STORE_TIMEOUT_MS", str(TIMEOUT_MS))
    url = empty_postgres()

    def refuse(history: object) -> None:
        raise LookupError("refused")

    with EventStore(url) as one, EventStore(url) as other:
        first = Event("h1", "case:H1", "note", date(2026, 1, 1), "coordinator", {})
        second = Event("h2", "case:H2", "note", date(2026, 1, 1), "coordinator", {})
        for _ in range(2):  # twice: a pooled connection that kept the lock would hold it now
            with pytest.raises(LookupError):
                one.append_many([first, second], expect={"case:H2": refuse})
        started = time.perf_counter()
        other.append(_event(7))
        one.append(_event(8))
        assert time.perf_counter() - started < TIMEOUT_MS / 1000
        assert one.stream("case:H1") == [] and one.stream("case:H2") == []


def test_a_frozen_writer_on_one_case_does_not_hold_up_another_case(monkeypatch: pytest.MonkeyPatch) -> None:
    """Per-stream locking (issue 14): a writer frozen in the middle of an append to one case
    holds up only writers to that case (told after the timeout that it is busy); a writer to
    another case goes straight on."""
    monkeypatch.setenv("RECIPROCITY_STORE_TIMEOUT_MS", str(TIMEOUT_MS))
    url = empty_postgres()
    EventStore(url).close()
    frozen_writer = """
import sys, time
from reciprocity.store.engine import make_engine, stream_lock_key
connection = make_engine(sys.argv[1]).connect()
connection.exec_driver_sql("BEGIN")
connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({stream_lock_key('case:T1')})")
print("locked", flush=True)
time.sleep(120)
"""
    frozen = subprocess.Popen([sys.executable, "-c", frozen_writer, url], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "RECIPROCITY_STORE_TIMEOUT_MS": str(TIMEOUT_MS * 4)})
    try:
        assert frozen.stdout is not None and frozen.stdout.readline().strip() == "locked"
        os.kill(frozen.pid, signal.SIGSTOP)
        with EventStore(url) as store:
            started = time.perf_counter()
            store.append(Event("o1", "case:OTHER", "note", date(2026, 1, 1), "coordinator", {}))
            assert time.perf_counter() - started < TIMEOUT_MS / 1000 / 2
            with pytest.raises(StoreError, match="busy"):
                store.append(_event(1))
            assert store.stream("case:T1") == []
    finally:
        os.kill(frozen.pid, signal.SIGCONT)
        frozen.kill()
        frozen.wait()
