"""``reciprocity report``: the three formats, the chart, and user mistakes (exit 2, no traceback)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reciprocity.cli import cli
from reciprocity.casework.cases import Cases

from .conftest import KentWalk, case_studies


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["report", *args], env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


@pytest.fixture
def db(tmp_path: Path, cases: Cases, kent: KentWalk) -> str:
    case_studies(kent)
    return str(tmp_path / "cases.db")


def test_json_csv_and_tables(db: str) -> None:
    code, out = run("--scheme", "kent_rp", "--period", "2026Q3", "--db", db, "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["moves"] == {"successful": 2}
    assert sorted(t["days_to_move"] for t in data["timing"].values()) == [21, 49]
    code, out = run("--scheme", "kent_rp", "--period", "2026Q3", "--db", db, "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "section,item,measure,value"
    assert "moves,,successful,2" in out.splitlines()
    code, out = run("--scheme", "kent_rp", "--period", "2026-07-01..2026-09-30", env={"RECIPROCITY_DB": db})
    assert code == 0 and "Successful moves" in out and "Partner activity" in out


def test_chart(db: str, tmp_path: Path) -> None:
    chart = tmp_path / "q3.svg"
    code, out = run("--scheme", "kent_rp", "--period", "2026Q3", "--db", db, "--format", "json",
                    "--chart", str(chart))
    assert code == 0, out
    assert b"<svg" in chart.read_bytes()[:2000]


def test_chart_without_matplotlib_says_what_to_install(db: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, out = run("--scheme", "kent_rp", "--period", "2026Q3", "--db", db, "--chart", str(tmp_path / "c.png"))
    assert code == 2 and "install reciprocity[charts]" in out
    assert "Successful moves" not in out  # refused before anything is printed


@pytest.mark.parametrize(("args", "says"), [
    (("--period", "2026Q5"), "invalid --period"),
    (("--period", "2026-02-30..2026-03-01"), "not a real date"),
    (("--period", "2026Q3", "--chart", "report.pdf"), ".png or .svg"),
    (("--period", "2026Q3", "--chart", "no/such/folder/report.png"), "cannot write the chart"),
    (("--period", "2026Q3", "--format", "xml"), "Invalid value for '--format'"),
    ((), "Missing option '--period'"),
])
def test_mistakes_exit_2(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...],
                         says: str) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run("--scheme", "kent_rp", "--db", db, *args)
    assert code == 2 and says in out


def test_unknown_scheme_and_missing_store_exit_2(db: str, tmp_path: Path) -> None:
    code, out = run("--scheme", "kent_xx", "--period", "2026", "--db", db)
    assert code == 2 and "no scheme with this id" in out
    missing = tmp_path / "nowhere.db"
    code, out = run("--scheme", "kent_rp", "--period", "2026", "--db", str(missing))
    assert code == 2 and "no case store at this path" in out and not missing.exists()
