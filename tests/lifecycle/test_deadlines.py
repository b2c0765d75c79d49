"""Working-day deadlines (Kent RP process, Request stage: answers ideally within two working
days; recirculation every fortnight; Kent RP MoU §4.3 three-month review, §2.4 (second) and
§5.5 one month's notice, §6.1 seven days; KRS point 2 three-month band review).

England and Wales bank holidays come from the ``holidays`` package."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reciprocity.lifecycle.deadlines import (
    Deadline,
    due,
    named_contact_notice_due,
    respond_by,
    withdrawal_takes_effect,
)
from reciprocity.lifecycle.workdays import england_and_wales


@pytest.mark.parametrize(
    ("circulated", "answer_by", "why"),
    [
        (date(2025, 12, 24), date(2025, 12, 30), "Christmas Day and Boxing Day, then a weekend"),
        (date(2025, 12, 31), date(2026, 1, 5), "New Year's Day, then Friday, then a weekend"),
        (date(2026, 12, 23), date(2026, 12, 29), "Christmas Friday; Boxing Day Saturday moves to Monday 28th"),
        (date(2026, 4, 2), date(2026, 4, 8), "Good Friday 3 April and Easter Monday 6 April 2026"),
        (date(2025, 4, 17), date(2025, 4, 23), "Good Friday 18 April and Easter Monday 21 April 2025"),
        (date(2026, 5, 22), date(2026, 5, 27), "Spring bank holiday Monday 25 May 2026"),
        (date(2026, 11, 23), date(2026, 11, 25), "an ordinary Monday"),
        (date(2026, 11, 27), date(2026, 12, 1), "a Friday: the weekend is skipped"),
    ],
)
def test_answers_are_due_two_working_days_after_circulation(circulated: date, answer_by: date, why: str) -> None:
    assert respond_by(circulated) == answer_by, why


def test_the_issue_example() -> None:
    """A request circulated on Wednesday 24 December 2025 is due a response on Tuesday 30 December 2025."""
    assert respond_by(date(2025, 12, 24)) == date(2025, 12, 30)
    assert respond_by(date(2025, 12, 24)).strftime("%A") == "Tuesday"


def test_bank_holidays_come_from_the_holidays_package() -> None:
    calendar = england_and_wales()
    assert calendar.holiday_name(date(2025, 12, 25)) == "Christmas Day"
    assert not calendar.is_working_day(date(2026, 4, 6))  # Easter Monday
    assert calendar.is_working_day(date(2026, 3, 17))  # St Patrick's Day is not a holiday in England
    assert calendar.between(date(2025, 12, 24), date(2025, 12, 30)) == 2


@given(st.dates(date(2020, 1, 1), date(2035, 12, 31)), st.integers(1, 15))
def test_n_working_days_later_is_a_working_day_with_exactly_n_between(start: date, n: int) -> None:
    calendar = england_and_wales()
    end = calendar.add(start, n)
    assert calendar.is_working_day(end)
    assert calendar.between(start, end) == n


def test_notice_and_named_contact_deadlines() -> None:
    """Kent RP MoU §5.5: one calendar month's notice; §6.1: named-contact changes within seven days."""
    assert withdrawal_takes_effect(date(2026, 1, 31)) == date(2026, 2, 28)
    assert withdrawal_takes_effect(date(2026, 3, 15)) == date(2026, 4, 15)
    assert named_contact_notice_due(date(2026, 12, 28)) == date(2027, 1, 4)


def test_due_sorts_overdue_today_and_upcoming() -> None:
    def d(day: int, kind: str) -> Deadline:
        return Deadline(date(2026, 1, day), kind, "c1", "ARC-X", kind, "cite")

    report = due([d(20, "c"), d(5, "a"), d(10, "b"), d(30, "z")], on=date(2026, 1, 10), within_days=14)
    assert [x.kind for x in report.overdue] == ["a"]
    assert [x.kind for x in report.today] == ["b"]
    assert [x.kind for x in report.upcoming] == ["c"]


def test_the_review_restarts_when_the_areas_are_extended() -> None:
    """Kent RP MoU §4.3: three months without a suitable home, then wider areas or closure; once
    the areas are extended, the next review is three months after the extension."""
    from reciprocity.lifecycle.case import CaseState, RoundSent
    from reciprocity.lifecycle.deadlines import case_deadlines

    rounds = (RoundSent(1, date(2026, 1, 5), ("p1",), date(2026, 1, 7)),)
    waiting = CaseState("c1", "kent_rp", state="circulating", rounds=rounds)
    declared = {"review": ()}
    (first,) = case_deadlines(waiting, declared)
    assert first.due_on == date(2026, 4, 5)
    extended = CaseState("c1", "kent_rp", state="circulating", rounds=rounds, areas_extended_on=date(2026, 4, 6))
    (second,) = case_deadlines(extended, declared)
    assert second.due_on == date(2026, 7, 6) and "after the areas were extended" in second.what
