"""The caseload examples the docs show (docs/caseloads.md includes them) read as the page says."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import reciprocity
from reciprocity.caseloads import read_caseload
from reciprocity.model import Assessor, HarmType

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "caseloads"
PAGE = Path(__file__).resolve().parents[2] / "docs" / "caseloads.md"


def test_the_page_includes_the_examples() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for name in ("caseload.jsonl", "small.csv", "parquet_caseloads.py"):
        assert f'--8<-- "examples/caseloads/{name}"' in page


def test_the_json_lines_example_is_the_csv_example_and_kent_rp_decides_it() -> None:
    jsonl, csv = read_caseload(EXAMPLES / "caseload.jsonl"), read_caseload(EXAMPLES / "caseload.csv")
    assert jsonl.referrals == csv.referrals and len(jsonl) == 3
    assert [d.outcome.value for d in reciprocity.evaluate_many("kent_rp", list(jsonl))] == [
        "eligible", "ineligible", "ineligible"]


def test_the_small_csv_example_reads_as_the_conventions_say() -> None:
    first, second, third = read_caseload(EXAMPLES / "small.csv", scheme_id="kent_rp").referrals
    assert first.risk is not None and first.risk.harm_types == (HarmType.DOMESTIC_ABUSE, HarmType.STALKING)
    assert first.household is not None and [m.age for m in first.household.members] == [34, 9]
    assert first.requested_areas == ("thanet", "dover") and first.unsafe_areas == ("maidstone",)
    assert second.tenancy is not None and second.tenancy.type is None  # {}: held, nothing known
    assert second.unsafe_areas == () and second.requested_areas == ("swale",) and second.urgent is False
    assert third.risk is not None and third.risk.assessed_by is Assessor.NOBODY
    assert third.urgent is None and third.household is None and third.unsafe_areas is None


def test_the_parquet_example_runs(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("parquet_caseloads", EXAMPLES / "parquet_caseloads.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    assert (tmp_path / "flat.parquet").is_file() and (tmp_path / "nested.parquet").is_file()
