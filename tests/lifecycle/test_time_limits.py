"""Scheme-declared time limits and dated process versions (issue 15).

A scheme says each deadline's length and unit, can declare a deadline kind of its own ("the
request is circulated within a week of approval"), and can give its process new dated
versions; a case follows the version in force on its referral date. The texts cited are
the Kent RP ones the built-in process uses; the changed lengths are invented for the tests.
"""

from __future__ import annotations

from datetime import date

import attrs
import pytest

import reciprocity
from reciprocity import SchemeDefinitionError
from reciprocity.lifecycle.case import CaseState, HistoryEntry, RoundSent
from reciprocity.lifecycle.deadlines import case_deadlines, response_due
from reciprocity.lifecycle.time_limits import TimeLimit
from reciprocity.rules import Clause

KENT = reciprocity.get_scheme("kent_rp")
MOU = KENT.sources[0]
CLAUSE = Clause(MOU, "4.2")


@pytest.mark.parametrize(
    ("length", "unit", "start", "due"),
    [
        (2, "working_days", date(2025, 12, 24), date(2025, 12, 30)),  # over Christmas and Boxing Day
        (5, "working_days", date(2026, 3, 30), date(2026, 4, 8)),  # over Good Friday and Easter Monday 2026
        (14, "days", date(2026, 1, 5), date(2026, 1, 19)),
        (1, "weeks", date(2026, 1, 5), date(2026, 1, 12)),
        (3, "months", date(2025, 11, 30), date(2026, 2, 28)),  # month ends clip
    ],
)
def test_a_time_limit_counts_in_its_own_unit(length: int, unit: str, start: date, due: date) -> None:
    assert TimeLimit(CLAUSE, length=length, unit=unit).after(start) == due


@pytest.mark.parametrize("bad", [{"unit": "fortnights", "length": 1}, {"unit": "days", "length": -1},
                                 {"unit": "days", "length": True}])
def test_a_time_limit_refuses_an_unknown_unit_or_a_negative_length(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        TimeLimit(CLAUSE, **bad)  # type: ignore[arg-type]


def _circulating(on: date, *, extended: date | None = None) -> CaseState:
    rounds = (RoundSent(1, on, ("p1",), on),)
    return CaseState("c1", "kent_rp", state="circulating", rounds=rounds, areas_extended_on=extended)


def test_a_built_in_kind_takes_the_schemes_length() -> None:
    """A scheme whose text gives a fortnight for a review rather than three months."""
    declared = {"review": TimeLimit(CLAUSE, length=2, unit="weeks"),
                "recirculation": TimeLimit(CLAUSE, length=7, unit="days")}
    found = {d.kind: d for d in case_deadlines(_circulating(date(2026, 1, 5)), declared)}
    assert found["review"].due_on == date(2026, 1, 19)
    assert "2 weeks after first circulation" in found["review"].what
    assert found["recirculation"].due_on == date(2026, 1, 12)


def test_clauses_alone_keep_the_core_defaults() -> None:
    found = {d.kind: d for d in case_deadlines(_circulating(date(2026, 1, 5)),
                                               {"review": (CLAUSE,), "recirculation": CLAUSE})}
    assert found["review"].due_on == date(2026, 4, 5)
    assert found["recirculation"].due_on == date(2026, 1, 19)


def test_the_response_date_follows_the_processes_limit() -> None:
    assert response_due({}, date(2025, 12, 24)) == date(2025, 12, 30)  # the core's two working days
    week = {"response": TimeLimit(CLAUSE, length=1, unit="weeks")}
    assert response_due(week, date(2025, 12, 24)) == date(2025, 12, 31)


WITHIN_A_WEEK = TimeLimit(CLAUSE, length=1, unit="weeks", starts="approve", ends={"circulate", "close"},
                          what="circulate the approved request")


def _history(*events: tuple[str, date]) -> CaseState:
    entries = tuple(HistoryEntry(i + 1, event, on, "coordinator", "x") for i, (event, on) in enumerate(events))
    return CaseState("c1", "kent_rp", state="approved", history=entries)


def test_a_kind_of_the_schemes_own_runs_from_its_start_event_until_an_end_event() -> None:
    declared = {"circulation": WITHIN_A_WEEK}
    approved = _history(("refer", date(2026, 3, 2)), ("approve", date(2026, 3, 4)))
    (due,) = case_deadlines(approved, declared)
    assert (due.kind, due.due_on, due.what) == ("circulation", date(2026, 3, 11), "circulate the approved request")
    assert due.citation == "Kent RP MoU §4.2"
    circulated = _history(("refer", date(2026, 3, 2)), ("approve", date(2026, 3, 4)), ("circulate", date(2026, 3, 5)))
    assert case_deadlines(circulated, declared) == []
    assert case_deadlines(approved, declared, final={"approved"}) == []  # a final state stops it


def test_a_kind_of_the_schemes_own_must_say_when_it_starts_and_ends() -> None:
    process = KENT.process
    with pytest.raises(SchemeDefinitionError, match="circulation"):
        attrs.evolve(process, deadlines={"circulation": TimeLimit(CLAUSE, length=1, unit="weeks")})
    with pytest.raises(SchemeDefinitionError, match="no step for"):
        attrs.evolve(process, deadlines={"circulation": attrs.evolve(WITHIN_A_WEEK, starts="approval")})
    with pytest.raises(SchemeDefinitionError, match="built in"):
        attrs.evolve(process, deadlines={"response": attrs.evolve(WITHIN_A_WEEK)})
    kept = attrs.evolve(process, deadlines={**process.deadlines, "circulation": WITHIN_A_WEEK})
    assert kept.deadlines["circulation"].length == 1
    assert kept.deadlines["response"].unit == "working_days"  # clauses alone: the default, filled in


def test_a_case_follows_the_process_version_in_force_on_its_referral_date() -> None:
    revised = attrs.evolve(KENT.process, deadlines={**KENT.process.deadlines, "circulation": WITHIN_A_WEEK})
    changed = attrs.evolve(KENT, process_changes=((date(2026, 4, 1), revised),))
    assert changed.process_on(date(2026, 3, 31)) is KENT.process
    assert changed.process_on(date(2026, 4, 1)) is revised
    assert [start for start, _ in changed.processes] == [None, date(2026, 4, 1)]


@pytest.mark.parametrize(
    "changes",
    [((date(2026, 4, 1), "not a process"),), ((date(2026, 4, 1), None), (date(2026, 1, 1), None))],
    ids=["not-a-process", "out-of-order"],
)
def test_process_versions_are_checked(changes: tuple[tuple[date, object], ...]) -> None:
    with pytest.raises(SchemeDefinitionError):
        attrs.evolve(KENT, process_changes=changes)
