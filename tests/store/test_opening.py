"""Opening a store: paths and URLs, the schema version, databases that are not stores."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reciprocity.errors import ReciprocityError
from reciprocity.store import ConflictingEventError, EventStore, StoreError
from reciprocity.store.schema import SCHEMA_VERSION

from ._support import ev


def raw(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def test_a_new_store_records_its_schema_version_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    with EventStore.at(path) as store:
        store.append(ev("e1"))
    assert raw(path, "SELECT key, value FROM meta") == [("schema_version", str(SCHEMA_VERSION))]
    assert raw(path, "PRAGMA journal_mode") == [("wal",)]


def test_a_path_a_str_path_and_a_url_open_the_same_store(tmp_path: Path) -> None:
    path = tmp_path / "odd name #1?%.db"  # characters a URL would misread
    with EventStore.at(path) as store:
        store.append(ev("e1"))
    for again in (str(path), f"sqlite:///{tmp_path}/events2.db"):
        with EventStore.at(again) as store:
            store.append(ev("e1"))
            assert [r.event.event_id for r in store.all()] == ["e1"]
    assert path.exists() and (tmp_path / "events2.db").exists()


def test_a_store_survives_closing_and_reopening(tmp_path: Path) -> None:
    with EventStore.at(tmp_path / "e.db") as store:
        written = store.append_many([ev("e1"), ev("e2", "case:B")])
    with EventStore.at(tmp_path / "e.db", create=False) as store:
        assert list(store.all()) == written
        assert store.append(ev("e3")).seq == 2


def test_a_newer_schema_is_refused_with_advice_to_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "e.db"
    EventStore.at(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = ?", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match="newer than this reciprocity.*upgrade reciprocity"):
        EventStore.at(path)


@pytest.mark.parametrize("content", [b"name,phone\nJane,07700900123\n" * 200, b"\x00" * 4096])
def test_a_file_that_is_not_sqlite_is_refused_plainly(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="cases.csv is not a SQLite database") as caught:
        EventStore.at(path)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert "Jane" not in str(caught.value) and "[SQL" not in str(caught.value)
    assert path.read_bytes() == content  # untouched


def test_another_applications_database_is_not_mistaken_for_a_store(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    raw(path, "CREATE TABLE events (id INTEGER)")
    with pytest.raises(StoreError, match="not a reciprocity event store"):
        EventStore.at(path)
    raw(path, "CREATE TABLE meta (key TEXT, value TEXT)")
    with pytest.raises(StoreError, match="without a valid schema version"):
        EventStore.at(path)


def test_create_false_opens_only_an_existing_store(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(StoreError, match="no event store at .*missing.db"):
        EventStore.at(missing, create=False)
    assert not missing.exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(StoreError, match="holds no event store"):
        EventStore.at(empty, create=False)


def test_an_empty_file_is_not_set_up_as_a_store(tmp_path: Path) -> None:
    # A store truncated to nothing by accident must not silently start again with no cases.
    empty = tmp_path / "emptied.db"
    empty.touch()
    with pytest.raises(StoreError, match="is an empty file, not an event store; remove it"):
        EventStore.at(empty)
    assert empty.stat().st_size == 0
    empty.unlink()
    with EventStore.at(empty) as store:  # where no file is yet, a store is set up
        assert store.stream("x") == []


def test_a_folder_that_does_not_exist_is_named(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="check that its folder exists"):
        EventStore.at(tmp_path / "no" / "such" / "e.db")


@pytest.mark.parametrize("url", ["not a url", "nosuchdialect://x/y",
                                 "postgresql://reciprocity:hunter2@127.0.0.1:1/cases"])
def test_a_bad_url_is_a_store_error_that_hides_any_password(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        EventStore(url)
    assert "hunter2" not in str(caught.value)


def test_a_closed_store_says_so(tmp_path: Path) -> None:
    store = EventStore.at(tmp_path / "e.db")
    with store:
        store.append(ev("e1"))
    for use in (lambda: store.append(ev("e2")), lambda: store.stream("s"), store.streams,
                store.all):
        with pytest.raises(StoreError, match="is closed"):
            use()
    store.close()  # closing twice is harmless
    assert "closed" in repr(store)


def test_store_errors_are_reciprocity_errors() -> None:
    assert issubclass(StoreError, ReciprocityError)
    assert issubclass(ConflictingEventError, StoreError)


def test_the_events_need_no_database_library_until_a_store_is_opened() -> None:
    probe = (
        "import sys, reciprocity\n"
        "assert 'sqlalchemy' not in sys.modules, 'import reciprocity loaded sqlalchemy'\n"
        "from reciprocity.store import Event, Recorded, StoreError\n"
        "assert 'sqlalchemy' not in sys.modules, 'the store values loaded sqlalchemy'\n"
        "from reciprocity.store import EventStore\n"
        "assert 'sqlalchemy' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr


def test_losing_a_race_to_create_the_tables_uses_the_winners(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes opening a new PostgreSQL store at once: one creates the tables, the other's
    CREATE fails; the loser must open the winner's store rather than fail (simulated on SQLite)."""
    import sqlalchemy as sa

    from reciprocity.store import creation, sql
    from reciprocity.store.schema import create

    def created_by_someone_else(connection: sa.Connection, where: str) -> int:
        create(connection, where)  # the other process's tables, committed first ...
        connection.commit()
        raise sa.exc.IntegrityError("INSERT INTO meta", {}, Exception("duplicate key"))  # ... so ours fail

    for module in (sql, creation):  # in place, and in the new file built beside the path
        monkeypatch.setattr(module, "create", created_by_someone_else)
    with EventStore.at(tmp_path / "race.db") as store:
        assert store.streams() == []
    for module in (sql, creation):
        monkeypatch.setattr(module, "create", lambda connection, where: (_ for _ in ()).throw(
            sa.exc.OperationalError("CREATE TABLE", {}, Exception("disk full"))))
    with pytest.raises(StoreError):
        EventStore.at(tmp_path / "other.db")


def test_a_new_store_appears_whole_and_leaves_no_draft(tmp_path: Path) -> None:
    # The file is built beside its path and linked into place with its tables, so a file found
    # empty at a store's path is never one another process is creating (it is refused), and
    # processes creating one store at once share it (tests/store/test_processes.py).
    path = tmp_path / "new.db"
    with EventStore.at(path) as store:
        assert store.streams() == []
    assert path.stat().st_size > 0
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".new") or ".new-" in p.name]
    assert raw(path, "PRAGMA journal_mode") == [("wal",)]
