"""``reciprocity simulate`` (issue 16): a caseload file, a reform file, the transition table,
one row per referral written out, the flows drawn; mistakes exit 2 without a traceback."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reciprocity.caseloads import synthetic, write_caseload
from reciprocity.cli import cli

ROOT = Path(__file__).resolve().parents[2]
REFORM = ROOT / "docs" / "reforms" / "kent_rp_no_home_choice.yaml"


@pytest.fixture(scope="module")
def caseload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("caseload") / "kent_rp.jsonl"
    write_caseload(synthetic("kent_rp", 120, seed=3), path)
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_the_command_prints_the_transitions_and_writes_each_row(caseload: Path, tmp_path: Path) -> None:
    out, chart = tmp_path / "rows.csv", tmp_path / "flows.png"
    code, text = run("simulate", str(caseload), "--scheme", "kent_rp", "--reform", str(REFORM),
                     "--out", str(out), "--chart", str(chart), "--json")
    assert code == 0, text
    summary = json.loads(text)
    assert summary["referrals"] == 120 and summary["on"] == "2027-04-01"
    assert sum(t["count"] for t in summary["transitions"]) == 120
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 120 and {r["baseline"] for r in rows} <= {"eligible", "ineligible", "needs_information"}
    moved = [r for r in rows if r["moved"] == "True"]
    assert len(moved) == summary["moved"] > 0
    assert all(r["baseline"] == "ineligible" and r["reformed"] == "eligible" for r in moved)
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, text = run("simulate", str(caseload), "--scheme", "kent_rp", "--reform", str(REFORM))
    assert code == 0 and "baseline \\ reformed" in text and "kent_rp.kent_home_choice_exhausted" in text


@pytest.mark.parametrize("args", [
    ("--scheme", "nope"),
    ("--scheme", "kent_krs", "--reform", str(REFORM)),  # a reform of another scheme
    ("--scheme", "kent_rp", "--out", "rows.txt"),
    ("--scheme", "kent_rp", "--on", "2027-02-30"),
])
def test_mistakes_exit_2_with_a_message(caseload: Path, args: tuple[str, ...]) -> None:
    code, text = run("simulate", str(caseload), *args)
    assert code == 2, text


def test_a_bad_row_is_named_by_row_and_field_and_can_be_skipped(caseload: Path, tmp_path: Path) -> None:
    lines = caseload.read_text(encoding="utf-8").splitlines()
    bad = json.loads(lines[4])
    bad["risk"] = {"dash_score": "Jane Doe 07700 900123"}
    lines[4] = json.dumps(bad)
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, text = run("simulate", str(path), "--scheme", "kent_rp")
    assert code == 2 and "5" in text and "risk.dash_score" in text and "Jane" not in text
    code, text = run("simulate", str(path), "--scheme", "kent_rp", "--skip-bad-rows", "--json")
    assert code == 0
    summary = json.loads(text)
    assert summary["referrals"] == 119 and summary["skipped"] == [{"row": 5, "fields": ["risk.dash_score"]}]


@pytest.mark.parametrize("path", sorted((ROOT / "docs" / "reforms").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_documented_reform_runs_through_the_command_line(path: Path, tmp_path: Path) -> None:
    """The same transitions as the API gives for the same caseload."""
    import reciprocity  # noqa: PLC0415
    from reciprocity.reforms import load_reform  # noqa: PLC0415

    reform = load_reform(path)
    drawn = synthetic(reform.scheme, 60, seed=11)
    file = tmp_path / "caseload.jsonl"
    write_caseload(drawn, file)
    code, text = run("simulate", str(file), "--scheme", reform.scheme, "--reform", str(path), "--json")
    assert code == 0, text
    by_api = reciprocity.simulate(reform.scheme, drawn, reform=reform)
    assert {(t["baseline"], t["reformed"]): t["count"] for t in json.loads(text)["transitions"]} == \
        {(a.value, b.value): n for (a, b), n in by_api.transitions.items()}
