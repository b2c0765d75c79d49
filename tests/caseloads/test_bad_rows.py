"""Bad rows are reported by row number and field path, skipped or failing the load as the user
chooses, and no value of a bad row appears in any message, report or log."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from reciprocity.caseloads import FORMATS, CaseloadError, read_caseload

#: Invented values that look like personal data, each put where a field cannot take it.
PERSONAL = {
    "id": "jane.doe@example.com",
    "referred_on": "12/07/1984",
    "current_area": "SW1A 1AA",
    "urgent": "07700 900123",
    "risk.dash_score": "Jane Doe",
    "risk.assessed_by": "QQ 12 34 56 C",
    "nominating_partner.named_lead": "Janet\x1b[2JSmith",
    "requested_areas": "12 Acacia Avenue;Flat 3 Mill Lane",
    "household.members.0.relationship": "mother of Jonathan Pemberton",
}
#: Where each is reported.
PATHS = {"id", "referred_on", "current_area", "urgent", "risk.dash_score", "risk.assessed_by",
         "nominating_partner.named_lead", "requested_areas[0]", "requested_areas[1]",
         "household.members[0].relationship"}
#: Text that must appear nowhere: each value, and the telling parts of each.
SECRETS = [*PERSONAL.values(), "Jane", "Doe", "07700", "SW1A", "Acacia", "Pemberton", "Janet", "Smith", "QQ 12"]

GOOD = {"referred_on": "2026-05-04", "nominating_partner.id": "partner_1", "urgent": "true"}


def _row(cells: dict[str, str]) -> dict[str, str]:
    return {**dict.fromkeys(["id", *GOOD, *PERSONAL], ""), **cells}


def _document(cells: dict[str, str]) -> dict[str, Any]:
    """A flat row as the nested JSON document of a JSON Lines line (lists split as CSV splits them)."""
    document: dict[str, Any] = {}
    for name, value in cells.items():
        if not value:
            continue
        *parents, last = name.split(".")
        here = document
        for part in parents:
            here = here.setdefault(part, {})
        here[last] = value.split(";") if name == "requested_areas" else {"true": True}.get(value, value)
    if "members" in document.get("household", {}):
        document["household"]["members"] = [document["household"]["members"]["0"]]
    document.setdefault("nominating_partner", {"id": "partner_1"})
    return document


def write(folder: Path, format: str, rows: list[dict[str, str]]) -> Path:  # noqa: A002
    path = folder / f"caseload.{format}"
    names = list(rows[0])
    if format == "csv":
        import csv

        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(names)
            writer.writerows([row[n] for n in names] for row in rows)
    elif format == "parquet":
        pq.write_table(pa.table({n: [row[n] or None for row in rows] for n in names}), path)
    else:
        path.write_text("\n".join(json.dumps(_document(row)) for row in rows) + "\n", encoding="utf-8")
    return path


def rows() -> list[dict[str, str]]:
    """Row 1 good, row 2 holding every invented value, row 3 good, row 4 a bad date alone."""
    return [_row(GOOD), _row({**GOOD, **PERSONAL, "nominating_partner.id": "partner_2"}),
            _row({**GOOD, "id": "case_3"}), _row({**GOOD, "referred_on": "2026-02-30"})]


def _shows_nothing_personal(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} appears in {text!r}"


@pytest.mark.parametrize("format", FORMATS)
def test_bad_rows_fail_the_load_by_default_naming_rows_and_fields(
    tmp_path: Path, format: str, caplog: pytest.LogCaptureFixture  # noqa: A002
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(CaseloadError) as raised:
        read_caseload(write(tmp_path, format, rows()))
    error = raised.value
    assert [r.row for r in error.rows] == [2, 4]
    assert {p.path for p in error.rows[0].problems} == PATHS
    assert [p.path for p in error.rows[1].problems] == ["referred_on"]
    shown = [str(p) for p in error.problems]
    assert any(s.startswith("row 2, risk.dash_score: must be a whole number; write a number") for s in shown)
    assert "row 4, referred_on: is not a real date; write dates as YYYY-MM-DD, e.g. 2026-03-31" in shown
    assert str(error).startswith("invalid caseload: 11 problems\n")
    _shows_nothing_personal(str(error), repr(error.rows), repr(error.problems), caplog.text)


@pytest.mark.parametrize("format", FORMATS)
def test_bad_rows_are_skipped_and_listed_when_asked(
    tmp_path: Path, format: str, caplog: pytest.LogCaptureFixture  # noqa: A002
) -> None:
    caplog.set_level(logging.DEBUG)
    caseload = read_caseload(write(tmp_path, format, rows()), on_error="skip")
    assert [r.row for r in caseload.rows] == [1, 3]
    assert caseload.rows[1].referral.id == "case_3"
    assert [s.row for s in caseload.skipped] == [2, 4]
    report = caseload.report()
    assert report.startswith(f"read 2 referrals from caseload.{format}; skipped 2 rows:\n")
    assert "  - row 4, referred_on: is not a real date" in report
    _shows_nothing_personal(report, repr(caseload), *(str(s) for s in caseload.skipped),
                            *(str(p) for p in caseload.problems), caplog.text)


def test_a_jsonl_line_that_is_no_referral_object_is_reported_without_its_text(tmp_path: Path) -> None:
    lines = ['{"referred_on": "2026-05-04", "nominating_partner": {"id": "p"}, "Jane Doe": "07700 900123"}',
             '{"id": "Jane Doe", ', '["Jane Doe"]', '{"id": "a", "id": "Jane Doe"}']
    (tmp_path / "c.jsonl").write_bytes("\n".join(lines).encode() + b"\n\xff\xfeJane Doe\n")
    caseload = read_caseload(tmp_path / "c.jsonl", on_error="skip")
    assert [(s.row, s.problems[0].path, s.problems[0].message) for s in caseload.skipped] == [
        (1, "", "holds a field this model does not have (its name is not repeated: it could be personal data)"),
        (2, "", "expecting property name enclosed in double quotes"),
        (3, "", "is not a JSON object"),
        (4, "", "holds the same key twice in one object"),
        (5, "", "is not UTF-8 text"),
    ]
    _shows_nothing_personal(caseload.report())


def test_an_unknown_column_with_a_personal_name_is_refused_by_position(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("referred_on,nominating_partner.id,Jane Doe 07700 900123\n2026-05-04,p,x\n", encoding="utf-8")
    for on_error in ("fail", "skip"):
        with pytest.raises(CaseloadError) as raised:
            read_caseload(path, on_error=on_error)  # type: ignore[arg-type]
        assert "column 3: is an unrecognised column" in str(raised.value)
        _shows_nothing_personal(str(raised.value))


def test_a_bad_extra_key_in_json_is_reported_at_the_object_holding_it(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text('referred_on,nominating_partner.id,tenancy\n2026-05-04,p,"{""Jane Doe"": 1}"\n', encoding="utf-8")
    with pytest.raises(CaseloadError) as raised:
        read_caseload(path)
    assert [p.path for p in raised.value.rows[0].problems] == ["tenancy"]
    _shows_nothing_personal(str(raised.value))


def test_on_error_must_be_fail_or_skip(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="on_error must be 'fail' or 'skip'"):
        read_caseload(write(tmp_path, "csv", rows()), on_error="ignore")  # type: ignore[arg-type]
