"""Issue 18: a store given by mistake (another application's SQLite file, a truncated store)
is refused with advice, and left exactly as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from reciprocity.store import EventStore, StoreError
from reciprocity.casework import Actor, Cases

from lifecycle.register import join_all
from lifecycle.test_walkthrough import KENT_RP_PARTNERS


def test_another_applications_sqlite_file_is_not_made_a_store(tmp_path: Path) -> None:
    other = tmp_path / "crm.db"
    with sqlite3.connect(other) as connection:
        connection.execute("create table customers (id integer)")
    before = other.read_bytes()
    with pytest.raises(StoreError, match="another application's SQLite database"):
        EventStore.at(other)
    assert other.read_bytes() == before


def test_a_truncated_store_says_it_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    with Cases.at(path) as cases:
        join_all(cases.store, "kent_rp", KENT_RP_PARTNERS)
    cut = tmp_path / "cut.db"
    shutil.copy(path, cut)
    with cut.open("r+b") as handle:
        handle.truncate(6000)
    before = cut.read_bytes()
    with pytest.raises(StoreError, match="is damaged") as refused:
        with EventStore.at(cut) as store:
            store.streams("")
    assert "in the event store" not in str(refused.value) and "backup" in str(refused.value)
    assert cut.read_bytes() == before
