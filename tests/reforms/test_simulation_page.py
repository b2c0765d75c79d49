"""docs/simulation.md (issue 16): each documented reform, simulated on a synthetic caseload of
its scheme, gives the table the page shows, and every row agrees with the native engine
deciding that referral under the scheme and under the reformed scheme. Run with
``RECIPROCITY_SYNC_DOCS=1`` to write the tables, the inline reform and the chart into the page."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import reciprocity
from reciprocity.api import decide_with
from reciprocity.caseloads import synthetic
from reciprocity.engines import get_engine
from reciprocity.reforms import apply_reform, load_reform

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "simulation.md"
REFORMS = sorted((ROOT / "docs" / "reforms").glob("*.yaml"))
SYNC = os.environ.get("RECIPROCITY_SYNC_DOCS") == "1"
SECTION = re.compile(r"<!-- simulation: (?P<name>[^ ]+) -->\n(?P<body>.*?)<!-- end -->\n", re.S)
FILE = re.compile(r"<!-- file: (?P<path>[^ ]+) -->\n```(?P<lang>\w*)\n(?P<body>.*?)```\n", re.S)


def _simulated(path: Path) -> reciprocity.Simulation:
    reform = load_reform(path)
    return reciprocity.simulate(reform.scheme, synthetic(reform.scheme, 400, seed=2027), reform=reform)


@pytest.mark.parametrize("path", REFORMS, ids=lambda p: p.stem)
def test_each_reform_s_table_is_the_one_its_run_gives_row_by_row(path: Path) -> None:
    reform = load_reform(path)
    caseload = synthetic(reform.scheme, 400, seed=2027)
    result = reciprocity.simulate(reform.scheme, caseload, reform=reform)
    scheme = reciprocity.get_scheme(reform.scheme)
    reformed = apply_reform(scheme, reform)
    native = get_engine("native")
    for row, referral in zip(result.rows, caseload.referrals, strict=True):
        assert row.baseline is decide_with(scheme, native, referral, reform.applies_from).outcome
        assert row.reformed is decide_with(reformed, native, referral, reform.applies_from).outcome
    text = PAGE.read_text(encoding="utf-8")
    if SYNC:
        text = SECTION.sub(lambda m: m.group(0) if m["name"] != path.name else
                           f"<!-- simulation: {path.name} -->\n{result.markdown()}<!-- end -->\n", text)
        PAGE.write_text(text, encoding="utf-8")
    shown = {m["name"]: m["body"] for m in SECTION.finditer(text)}
    assert shown.get(path.name) == result.markdown(), (
        f"docs/simulation.md's table for {path.name} is stale: run this test with RECIPROCITY_SYNC_DOCS=1")


def test_every_documented_reform_has_its_table_and_the_page_shows_its_files() -> None:
    text = PAGE.read_text(encoding="utf-8")
    if SYNC:
        text = FILE.sub(lambda m: f"<!-- file: {m['path']} -->\n```{m['lang']}\n"
                        f"{(ROOT / m['path']).read_text(encoding='utf-8')}```\n", text)
        PAGE.write_text(text, encoding="utf-8")
        from reciprocity.reforms.chart import write_flow_chart  # noqa: PLC0415

        write_flow_chart(_simulated(ROOT / "docs" / "reforms" / "kent_rp_no_home_choice.yaml"),
                         ROOT / "docs" / "simulation-flows.png")
    assert {m["name"] for m in SECTION.finditer(text)} == {p.name for p in REFORMS}
    for match in FILE.finditer(text):
        assert match["body"] == (ROOT / match["path"]).read_text(encoding="utf-8"), match["path"]
    assert (ROOT / "docs" / "simulation-flows.png").is_file()
    assert "--8<--" not in text
