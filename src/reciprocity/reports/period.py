"""The period a report covers: a quarter, a year, a month or two dates, both days included.

``parse_period`` reads what a coordinator types (``2026Q3``, ``2026``, ``2026-07``,
``2026-07-01..2026-09-30``); a report counts the events dated from ``start`` to ``end``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from datetime import date

import attrs

from reciprocity.errors import InputProblem, InvalidInputError

__all__ = ["Period", "parse_period"]

_FIELD = "--period"
_HOW = ("write a quarter (2026Q3), a year (2026), a month (2026-07) or two dates "
        "(2026-07-01..2026-09-30)")


@attrs.frozen
class Period:
    """The days from ``start`` to ``end``, both included; ``label`` is how the report names it."""

    start: date
    end: date
    label: str

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period cannot end before it starts")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def months(self) -> Iterator[Period]:
        """The calendar months the period touches, each cut to the period (label ``YYYY-MM``)."""
        year, month = self.start.year, self.start.month
        while date(year, month, 1) <= self.end:
            first = max(self.start, date(year, month, 1))
            last = min(self.end, _month_end(year, month))
            yield Period(first, last, f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _problem(message: str) -> InvalidInputError:
    # The typed value is not repeated (errors never echo input).
    return InvalidInputError(_FIELD, [InputProblem(_FIELD, message, _HOW)])


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _problem("a date in it is not a real date written YYYY-MM-DD") from None


def parse_period(text: str) -> Period:
    """The period ``text`` names; InvalidInputError (field ``--period``) when it names none or
    reaches outside 1900-01-01..2199-12-31."""
    return _bounded(_parse(text.strip()))


def _parse(value: str) -> Period:
    if match := re.fullmatch(r"(\d{4})[Qq]([1-4])", value):
        year, quarter = int(match[1]), int(match[2])
        if year < 1:
            raise _problem("the year is not a real year")
        first = 3 * quarter - 2
        return Period(date(year, first, 1), _month_end(year, first + 2), f"{year:04d}Q{quarter}")
    if re.fullmatch(r"\d{4}", value):
        year = int(value)
        if year < 1:
            raise _problem("the year is not a real year")
        return Period(date(year, 1, 1), date(year, 12, 31), value)
    if match := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = int(match[1]), int(match[2])
        if year < 1 or not 1 <= month <= 12:
            raise _problem("the month is not a real month")
        return Period(date(year, month, 1), _month_end(year, month), value)
    if match := re.fullmatch(r"(\S+)\.\.(\S+)", value):
        start, end = _day(match[1]), _day(match[2])
        if end < start:
            raise _problem("the period ends before it starts")
        return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
    raise _problem("is not a period this command reads")


def _bounded(period: Period) -> Period:
    """``period`` if it lies within the dates input may hold (1900-01-01 to 2199-12-31)."""
    from reciprocity.model.base import EARLIEST_DATE, LATEST_DATE  # noqa: PLC0415

    if period.start < EARLIEST_DATE or period.end > LATEST_DATE:
        raise _problem(f"must lie between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}")
    return period
