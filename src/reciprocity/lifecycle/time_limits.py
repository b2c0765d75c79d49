"""How long a scheme gives for each thing its process keeps a deadline for.

A scheme's :class:`~reciprocity.lifecycle.process.Process` maps each deadline kind it keeps to
a :class:`TimeLimit`: the clauses that set it and, where the text says, its length and unit
(England and Wales working days, calendar days, weeks or calendar months). A kind the core
knows (:data:`BUILT_IN`) has a default length, used when the scheme's text gives none; a kind
of the scheme's own says which event starts the clock and which events meet it, e.g.
"circulated within a week of approval"::

    TimeLimit(mou("4.1"), length=1, unit="weeks", starts="approve", ends="circulate",
              what="circulate the approved referral")

Nothing here reads the clock: each limit adds its length to a date it is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import attrs
from dateutil.relativedelta import relativedelta

from reciprocity.lifecycle.workdays import WorkingDays, england_and_wales
from reciprocity.rules.rule import Clause, cite_all

__all__ = ["BUILT_IN", "UNITS", "TimeLimit", "time_limit"]

#: The units a length may be given in.
UNITS = ("working_days", "days", "weeks", "months")

#: The deadline kinds the core computes, each with its default length and unit (None: the
#: scheme's ``review_after_months`` parameter, else three months). See
#: :mod:`reciprocity.lifecycle.deadlines` for what each kind measures.
BUILT_IN: dict[str, tuple[int | None, str]] = {
    "response": (2, "working_days"),
    "recirculation": (14, "days"),
    "review": (None, "months"),
    "band_review": (3, "months"),
}

_UNIT_WORDS = {"working_days": ("working day", "working days"), "days": ("day", "days"),
               "weeks": ("week", "weeks"), "months": ("month", "months")}


def _clauses(value: Clause | Iterable[Clause]) -> tuple[Clause, ...]:
    return (value,) if isinstance(value, Clause) else tuple(value)


def _events(value: str | Iterable[str]) -> frozenset[str]:
    return frozenset({value}) if isinstance(value, str) else frozenset(value)


@attrs.frozen
class TimeLimit:
    """One deadline a process keeps: the clauses that set it, its length, and (for a kind of
    the scheme's own) the event that starts it, the events that meet it and what is due.

    ``length`` and ``unit`` left out take the built-in kind's default. A kind of the scheme's
    own must give all of ``length``, ``unit``, ``starts``, ``ends`` and ``what``; the
    deadline is open from the latest ``starts`` event until an ``ends`` event follows it (or
    the case reaches a final state).
    """

    #: The clauses that set the limit.
    clauses: tuple[Clause, ...] = attrs.field(converter=_clauses)
    #: How many units (a whole number, zero or more); None: the built-in kind's default.
    length: int | None = attrs.field(default=None, kw_only=True)
    #: One of :data:`UNITS`; None: the built-in kind's default.
    unit: str | None = attrs.field(default=None, kw_only=True)
    #: For a kind of the scheme's own: the event that starts the clock.
    starts: str | None = attrs.field(default=None, kw_only=True)
    #: For a kind of the scheme's own: the event or events that meet it.
    ends: frozenset[str] = attrs.field(default=frozenset(), converter=_events, kw_only=True)
    #: For a kind of the scheme's own: what is due, as the due list shows it.
    what: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.unit is not None and self.unit not in UNITS:
            raise ValueError(f"unit {self.unit!r} is not one of {', '.join(UNITS)}")
        if self.length is not None and (isinstance(self.length, bool) or not isinstance(self.length, int)
                                        or self.length < 0):
            raise ValueError("a time limit's length is a whole number, zero or more")

    @property
    def citation(self) -> str:
        return cite_all(self.clauses)

    def resolved(self, kind: str) -> TimeLimit:
        """This limit with the built-in kind's default length and unit filled in."""
        default_length, default_unit = BUILT_IN.get(kind, (None, None))
        return attrs.evolve(self, length=self.length if self.length is not None else default_length,
                            unit=self.unit or default_unit)

    def after(self, start: date, *, length: int | None = None, calendar: WorkingDays | None = None) -> date:
        """The day due: ``length`` (default: this limit's) units after ``start``."""
        n = self.length if length is None else length
        if n is None or self.unit is None:
            raise ValueError("this time limit has no length or unit; resolve it for its kind first")
        if self.unit == "working_days":
            return (calendar or england_and_wales()).add(start, n)
        if self.unit == "days":
            return start + timedelta(days=n)
        if self.unit == "weeks":
            return start + timedelta(weeks=n)
        return start + relativedelta(months=n)

    def words(self, length: int | None = None) -> str:
        """The length in words: "2 working days", "1 week"."""
        n = self.length if length is None else length
        if n is None or self.unit is None:
            return "the time the scheme sets"
        one, many = _UNIT_WORDS[self.unit]
        return f"{n} {one if n == 1 else many}"


def time_limit(value: TimeLimit | Clause | Iterable[Clause]) -> TimeLimit:
    """``value`` as a TimeLimit: clauses alone give a limit of the kind's default length."""
    return value if isinstance(value, TimeLimit) else TimeLimit(_clauses(value))
