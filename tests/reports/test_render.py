"""The report's three outputs share one layout: JSON sections, tidy CSV rows, rich tables;
and its chart, PNG or SVG by the file's suffix."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from reciprocity.casework.cases import Cases
from reciprocity.reports import Report, build_report, parse_period, render_tables, report_dict, to_csv, to_json
from reciprocity.reports.chart import ChartsUnavailableError, write_chart
from reciprocity.reports.render import CSV_HEADER, SECTION_TITLES

from .conftest import KentWalk, case_studies


@pytest.fixture
def report(cases: Cases, kent: KentWalk) -> Report:
    case_studies(kent)
    return build_report(cases.store, "kent_rp", parse_period("2026Q3"))


def test_json_has_stable_sections_and_iso_dates(report: Report) -> None:
    data = json.loads(to_json(report))
    assert data == report_dict(report)
    assert list(data) == list(SECTION_TITLES)
    assert data["report"] == {"scheme": "kent_rp", "period": "2026Q3", "start": "2026-07-01",
                              "end": "2026-09-30", "ledger": "properties"}
    assert data["timing_summary"] == {"to_circulation": {"cases": 2, "mean_days": 5.0, "median_days": 5.0},
                                      "to_move": {"cases": 2, "mean_days": 35.0, "median_days": 35.0}}
    timing = list(data["timing"].values())
    assert timing[0] == {"referred_on": "2026-06-28", "first_circulated_on": "2026-07-04",
                         "days_to_circulation": 6, "moved_on": "2026-08-16", "days_to_move": 49}
    assert data["balances"]["coast_homes"] == {"partner": "coast_homes", "bedrooms": None, "owes": 0,
                                               "owed": 2, "net": 2}
    assert data["monthly_net_balance"]["orchard_housing"] == {"2026-07": 0, "2026-08": -2, "2026-09": -2}


def _from_csv(text: str) -> dict[str, dict[str, Any]]:
    """Rebuild the sections from the tidy rows (flat sections have an empty item)."""
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_HEADER
    out: dict[str, dict[str, Any]] = {}
    for section, item, measure, value in rows[1:]:
        target = out.setdefault(section, {})
        if item:
            target = target.setdefault(item, {})
        target[measure] = value
    return out


def _as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    return "" if value is None else str(value)


def test_csv_round_trips_to_the_json_sections(report: Report) -> None:
    sections = report_dict(report)
    rebuilt = _from_csv(to_csv(report))
    # Empty sections (nothing closed, no feedback, no KRS counts) have no rows.
    assert rebuilt == {k: _as_text(v) for k, v in sections.items() if v}
    assert rebuilt["moves"] == {"successful": "2"}
    assert rebuilt["activity"]["coast_homes"]["moves_in"] == "2"


def test_tables_one_per_section(report: Report) -> None:
    console = Console(record=True, width=160, file=io.StringIO())
    render_tables(console, report)
    text = console.export_text()
    for name, title in SECTION_TITLES.items():
        # A Kent RP report keeps balances: the KRS referral counts (point 15) are not shown.
        assert (title in text) is (name != "referral_counts")
    assert "Feedback received: none in this period" in text
    assert "coast_homes" in text and "2026-08-16" in text


def test_a_table_too_wide_for_the_console_prints_one_row_per_value(report: Report) -> None:
    console = Console(record=True, width=60, file=io.StringIO())
    render_tables(console, report)
    text = console.export_text()
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 60
    # The activity table (nine columns) no longer fits: each measure is a row of its own.
    rows = [[cell.strip() for cell in line.split("│")[1:4]] for line in lines if "requests received" in line]
    assert rows == [["", "requests received", "2"], ["", "requests received", "0"]]  # coast, orchard


@pytest.mark.parametrize(("suffix", "signature"), [(".png", b"\x89PNG\r\n\x1a\n"), (".svg", b"<svg")])
def test_chart_files(report: Report, tmp_path: Path, suffix: str, signature: bytes) -> None:
    pytest.importorskip("matplotlib")
    path = write_chart(report, tmp_path / f"report{suffix.upper()}")
    data = path.read_bytes()
    if suffix == ".png":
        assert data.startswith(signature)
    else:
        assert signature in data[:2000] and data.rstrip().endswith(b"</svg>")


def test_chart_without_matplotlib(report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError
    with pytest.raises(ChartsUnavailableError, match=r"install reciprocity\[charts\]"):
        write_chart(report, tmp_path / "report.png")
    assert not (tmp_path / "report.png").exists()
