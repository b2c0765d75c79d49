"""Reading ``--period``: a quarter, a year, a month, or two dates (both days included)."""

from __future__ import annotations

from datetime import date

import pytest

from reciprocity.errors import InvalidInputError
from reciprocity.reports import Period, parse_period


@pytest.mark.parametrize(("text", "start", "end", "label"), [
    ("2026Q3", date(2026, 7, 1), date(2026, 9, 30), "2026Q3"),
    ("2026q1", date(2026, 1, 1), date(2026, 3, 31), "2026Q1"),
    ("2026Q4", date(2026, 10, 1), date(2026, 12, 31), "2026Q4"),
    ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026"),
    ("2026-07", date(2026, 7, 1), date(2026, 7, 31), "2026-07"),
    ("2028-02", date(2028, 2, 1), date(2028, 2, 29), "2028-02"),
    (" 2026-07-01..2026-09-30 ", date(2026, 7, 1), date(2026, 9, 30), "2026-07-01..2026-09-30"),
    ("2026-07-15..2026-07-15", date(2026, 7, 15), date(2026, 7, 15), "2026-07-15..2026-07-15"),
])
def test_periods_it_reads(text: str, start: date, end: date, label: str) -> None:
    assert parse_period(text) == Period(start, end, label)


@pytest.mark.parametrize(("text", "why"), [
    ("2026Q5", "is not a period"),
    ("Q3 2026", "is not a period"),
    ("", "is not a period"),
    ("2026-13", "not a real month"),
    ("0000", "not a real year"),
    ("0000Q1", "not a real year"),
    ("2026-02-30..2026-03-01", "not a real date"),
    ("2026-09-30..2026-07-01", "ends before it starts"),
])
def test_mistakes_name_the_field_and_what_to_write(text: str, why: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        parse_period(text)
    (problem,) = raised.value.problems
    assert problem.path == "--period" and why in problem.message
    assert "2026Q3" in problem.hint and "2026-07-01..2026-09-30" in problem.hint


def test_the_months_of_a_period_are_cut_to_it() -> None:
    period = parse_period("2026-07-15..2026-09-10")
    assert [(m.label, m.start, m.end) for m in period.months()] == [
        ("2026-07", date(2026, 7, 15), date(2026, 7, 31)),
        ("2026-08", date(2026, 8, 1), date(2026, 8, 31)),
        ("2026-09", date(2026, 9, 1), date(2026, 9, 10)),
    ]
    assert [m.label for m in parse_period("2026-12-01..2027-01-31").months()] == ["2026-12", "2027-01"]
    assert date(2026, 7, 15) in period and date(2026, 7, 14) not in period and "2026-08-01" not in period


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="cannot end before"):
        Period(date(2026, 2, 1), date(2026, 1, 1), "backwards")
