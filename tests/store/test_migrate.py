"""A store written by the previous release opens after ``reciprocity store migrate``, with
nothing lost (issue 14).

``tests/fixtures/stores/v1-*.db`` are stores (schema version 1) written by reciprocity as it
was before the read models, by ``reciprocity demo --households 40 --db``; ``v1-answers/`` holds
what that release's ``due``, ``case list``, ``report`` and ``ledger balances`` printed for them.
``v2-*.db`` (schema version 2, read models tracked by a last position) were written by the
release before the projection gaps (2675c90): the same demo's events, the last 40 appended by a
bare ``EventStore``, so its read models had not taken them in; ``v2-answers/`` is what that
release printed (after taking them in). Migrated, they must be taken in all the same.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from reciprocity.cli import cli
from reciprocity.store import EventStore
from reciprocity.store.errors import StoreVersionError
from reciprocity.store.migrations import migrate
from reciprocity.store.schema import SCHEMA_VERSION

FIXTURES = Path(__file__).parent.parent / "fixtures" / "stores"
SCHEMES = ("kent_rp", "cambridgeshire")
RELEASES = (1, 2)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def events_of(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT * FROM events ORDER BY position").fetchall()


@pytest.fixture(params=[(v, s) for v in RELEASES for s in SCHEMES], ids=lambda p: f"v{p[0]}-{p[1]}")
def old(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path, int]:
    version, scheme_id = request.param
    copy = tmp_path / f"{scheme_id}.db"
    shutil.copyfile(FIXTURES / f"v{version}-{scheme_id}.db", copy)
    return scheme_id, copy, version


def test_an_older_store_is_refused_until_migrated_and_nothing_is_written(old: tuple[str, Path, int]) -> None:
    _, path, version = old
    before = path.read_bytes()
    with pytest.raises(StoreVersionError, match="older than this reciprocity's") as caught:
        EventStore.at(path, create=False)
    assert caught.value.found == version and "reciprocity store migrate" in str(caught.value)
    code, out = run("due", "--on", "2025-12-31", "--db", str(path))
    assert code == 3 and "store migrate" in out  # the store cannot be used yet: not a typo (2)
    assert path.read_bytes() == before


def test_after_migrate_every_event_is_kept_and_every_answer_is_the_same(old: tuple[str, Path, int]) -> None:
    scheme_id, path, version = old
    recorded = events_of(path)
    code, out = run("store", "migrate", "--db", str(path))
    assert code == 0, out
    assert f"from schema version {version} to {SCHEMA_VERSION}" in out
    assert events_of(path) == recorded  # nothing rewritten, nothing lost
    commands = {
        "due": ["due", "--on", "2025-12-31", "--json"],
        "list": ["case", "list", "--json"],
        "report": ["report", "--scheme", scheme_id, "--period", "2025", "--format", "json"],
        "balances": ["ledger", "balances", "--scheme", scheme_id, "--on", "2025-12-31", "--json"],
    }
    for name, args in commands.items():
        code, out = run(*args, "--db", str(path))
        assert code == 0, out
        answers = FIXTURES / f"v{version}-answers" / f"{scheme_id}.{name}.json"
        assert json.loads(out) == json.loads(answers.read_text()), name
    code, out = run("store", "verify", "--db", str(path))
    assert code == 0, out
    code, out = run("store", "migrate", "--db", str(path))
    assert code == 0 and "nothing to do" in out


def test_migrate_refuses_what_is_not_a_store(tmp_path: Path) -> None:
    code, out = run("store", "migrate", "--db", str(tmp_path / "typo.db"))
    assert code == 2 and "no event store" in out
    assert not (tmp_path / "typo.db").exists()
    with pytest.raises(Exception, match="no event store"):
        migrate(tmp_path / "typo.db")


def test_store_init_starts_a_store_and_leaves_one_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    code, out = run("store", "init", "--db", str(path))
    assert code == 0 and "(empty)" in out and path.is_file()
    code, out = run("due", "--on", "2026-01-01", "--json", "--db", str(path))
    assert code == 0 and json.loads(out)["overdue"] == []
    shutil.copyfile(FIXTURES / "v1-kent_rp.db", path)
    run("store", "migrate", "--db", str(path))
    code, out = run("store", "init", "--db", str(path))
    assert code == 0 and "already held" in out


def test_store_rebuild_rebuilds_the_read_models(old: tuple[str, Path, int]) -> None:
    _, path, _ = old
    run("store", "migrate", "--db", str(path))
    code, out = run("store", "rebuild", "--db", str(path))
    assert code == 0, out
    assert "rebuilt the cases read model" in out and "rebuilt the ledger read model" in out
