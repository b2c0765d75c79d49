"""Real processes: a writer killed mid-transaction, and writers racing for one stream.

Each test starts writers with ``tests/store/_writer.py`` (``sys.executable``), so what is
tested is SQLite's file locking and recovery, not threads sharing one connection.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from reciprocity.store import EventStore, Recorded

from ._writer import event
from ._support import BACKENDS, empty_postgres

WRITER = Path(__file__).with_name("_writer.py")
TIMEOUT = 120

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")


def start(store: Path | str, mode: str, stream: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(store), mode, stream, *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(process: subprocess.Popen[str]) -> list[str]:
    out, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, err
    return out.split()


def run_together(store: Path | str, tmp_path: Path, *writers: tuple[str, ...]) -> list[list[str]]:
    """Start every writer, let them all go at once, and return each one's output lines."""
    go = tmp_path / "go"
    processes = [start(store, *w, go) for w in writers]
    for process in processes:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line == "ready", process.stderr.read() if process.stderr else ""
    go.touch()
    return [finish(process) for process in processes]


def sound(path: Path | str) -> None:
    """SQLite's own check of the file finds nothing wrong."""
    if not isinstance(path, Path):
        return  # a PostgreSQL URL
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def contiguous(records: Sequence[Recorded]) -> None:
    assert [r.seq for r in records] == list(range(1, len(records) + 1))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "events.db"
    EventStore.at(path).close()  # created once, before the writers race to open it
    return path


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest, path: Path) -> Path | str:
    """Where the racing writers write: a SQLite file, or PostgreSQL when configured."""
    if request.param == "sqlite":
        return path
    url = empty_postgres()
    EventStore(url).close()
    return url


def test_a_writer_killed_before_commit_leaves_no_trace(path: Path) -> None:
    writer = start(path, "crash", "case:A", "case:B")
    out, err = writer.communicate(timeout=TIMEOUT)
    assert writer.returncode == -signal.SIGKILL, err
    # the third check saw the 3 committed events plus the batch's first row, then died
    assert out.splitlines() == ["committed 3", "dying with 4 events visible"]

    sound(path)
    assert raw_count(path) == 3  # no half-written or uncommitted row
    with EventStore.at(path, create=False) as store:
        committed = store.stream("case:A")
        assert [r.event for r in committed] == [event("case:A", "ok", i) for i in range(3)]
        contiguous(committed)
        assert store.stream("case:B") == [] and store.streams() == ["case:A"]
        assert list(store.all()) == committed
        # the killed batch's ids were never taken: writing it now just works
        again = store.append_many([event("case:A", "killed", 0), event("case:B", "killed", 1)])
        assert [(r.event.stream_id, r.seq) for r in again] == [("case:A", 4), ("case:B", 1)]


def raw_count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("SELECT count(*) FROM events").fetchone()[0])


def test_a_writer_killed_at_any_moment_keeps_exactly_what_it_committed(path: Path) -> None:
    writer = start(path, "forever", "case:A", "w")
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "ready"
    acknowledged = [int(writer.stdout.readline()) for _ in range(25)]
    writer.send_signal(signal.SIGKILL)  # wherever it is: mid-append, mid-commit, between
    writer.communicate(timeout=TIMEOUT)
    assert acknowledged == list(range(1, 26))

    sound(path)
    with EventStore.at(path, create=False) as store:
        kept = store.stream("case:A")
        assert len(kept) >= 25  # every acknowledged commit survives
        assert [r.event for r in kept] == [event("case:A", "w", i) for i in range(len(kept))]
        contiguous(kept)
        assert store.append(event("case:A", "after", 0)).seq == len(kept) + 1


def test_two_processes_appending_to_one_stream_lose_nothing(
    target: Path | str, tmp_path: Path
) -> None:
    outputs = run_together(target, tmp_path, ("append", "case:A", "p1", 50),
                           ("append", "case:A", "p2", 50))
    with EventStore.at(target, create=False) as store:
        records = store.stream("case:A")
    contiguous(records)
    assert len(records) == 100
    for tag, seqs in zip(("p1", "p2"), outputs, strict=True):
        mine = [r for r in records if r.event.payload["writer"] == tag]
        # each writer's events are all there, in its order, at the seqs it was told
        assert [r.event for r in mine] == [event("case:A", tag, i) for i in range(50)]
        assert [str(r.seq) for r in mine] == seqs
    sound(target)


def test_two_processes_writing_the_same_ids_record_each_once(
    target: Path | str, tmp_path: Path
) -> None:
    outputs = run_together(target, tmp_path, ("append", "case:A", "same", 40),
                           ("append", "case:A", "same", 40))
    with EventStore.at(target, create=False) as store:
        records = store.stream("case:A")
    assert [r.event for r in records] == [event("case:A", "same", i) for i in range(40)]
    assert outputs[0] == outputs[1] == [str(i) for i in range(1, 41)]


def test_expect_sees_a_stream_no_other_writer_can_change_under_it(
    target: Path | str, tmp_path: Path
) -> None:
    """Both writers refuse to go past 100 events: a check-then-insert race would overshoot."""
    outputs = run_together(target, tmp_path, ("capped", "case:A", "c1", 60, 100),
                           ("capped", "case:A", "c2", 60, 100))
    with EventStore.at(target, create=False) as store:
        records = store.stream("case:A")
    contiguous(records)
    assert len(records) == 100
    written = [int(out[1]) for out in outputs]
    refused = [int(out[3]) for out in outputs]
    assert sum(written) == 100 and sum(refused) == 20


def test_processes_creating_a_new_store_at_once_share_it(tmp_path: Path) -> None:
    fresh = tmp_path / "new.db"
    run_together(fresh, tmp_path, *[("append", "case:A", f"n{k}", 10) for k in range(3)])
    with EventStore.at(fresh, create=False) as store:
        records = store.stream("case:A")
    contiguous(records)
    assert len(records) == 30
    sound(fresh)
