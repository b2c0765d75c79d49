"""`reciprocity store verify --db PATH [--json]` (issue 12): exit 0 with no problems, 1 with
problems (each listed), 2 for a user's mistake, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reciprocity.casework import Cases
from reciprocity.cli import cli

from verify.forge import D0, demo_store, forge_case, join_partners, walk


def run(*args: str) -> object:
    return CliRunner().invoke(cli, ["store", "verify", *args])


def test_a_demo_store_has_no_problems_exit_0(tmp_path: Path) -> None:
    db = demo_store(tmp_path, "kent_krs")
    result = run("--db", str(db))
    assert result.exit_code == 0, result.output
    assert "events checked; no problems found" in result.output
    data = json.loads(run("--db", str(db), "--json").output)
    assert data["ok"] is True and data["problems"] == [] and data["events_checked"] > 50


def test_a_forged_store_exits_1_listing_the_problem(tmp_path: Path) -> None:
    db = tmp_path / "forged.db"
    with Cases.at(db) as cases:
        join_partners(cases)
        walk(cases, "K1", "referred")
        forged = forge_case(cases.store, "K1", "check_eligibility", D0, "coordinator",
                            {"outcome": "ineligible", "failed": [], "open": []})
    result = run("--db", str(db))
    assert result.exit_code == 1, result.output
    assert "1 problem found" in result.output
    assert "case:K1" in result.output and "check_eligibility" in result.output and "derived_content" in result.output
    data = json.loads(run("--db", str(db), "--json").output)
    assert data["ok"] is False and data["events_checked"] == forged.position
    (problem,) = data["problems"]
    assert problem["position"] == forged.position and problem["kind"] == "derived_content"
    assert "outcome" in problem["message"]


@pytest.mark.parametrize("case", ["missing", "not_sqlite", "no_folder"])
def test_a_bad_db_exits_2_without_traceback(tmp_path: Path, case: str) -> None:
    db = {"missing": tmp_path / "none.db", "not_sqlite": tmp_path / "text.db",
          "no_folder": tmp_path / "nowhere" / "cases.db"}[case]
    if case == "not_sqlite":
        db.write_text("not a database\n")
    result = run("--db", str(db))
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: ") and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert case == "not_sqlite" or not db.exists()  # verifying never creates a store


def test_the_help_documents_the_exit_codes() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "0: no problems; 1: problems were found" in " ".join(result.output.split())
