"""Working days in England and Wales, from the ``holidays`` package (no hand-kept list).

Deadlines such as "respond within two working days" (Kent RP process, Request stage) skip
weekends and the bank holidays of England and Wales, which share one list. The calendar is
built offline from the ``holidays`` package, so nothing is downloaded at run time.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

__all__ = ["WorkingDays", "england_and_wales"]


class WorkingDays:
    """A working-day calendar: Monday to Friday, less the region's bank holidays."""

    def __init__(self, country: str = "GB", subdiv: str = "ENG") -> None:
        import holidays  # noqa: PLC0415 - loaded on first use; keeps `import reciprocity` light

        self._calendar: Any = holidays.country_holidays(country, subdiv=subdiv)
        self.region = f"{country}-{subdiv}"

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (not a weekend day or a bank holiday)."""
        return bool(self._calendar.is_working_day(day))

    def holiday_name(self, day: date) -> str | None:
        """The bank holiday on ``day``, if there is one."""
        return self._calendar.get(day)

    def add(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``day`` itself is not counted).

        Two working days after Wednesday 24 December 2025 is Tuesday 30 December 2025: the
        25th and 26th are bank holidays and the 27th and 28th a weekend.
        """
        if count < 0:
            raise ValueError("count must be zero or more working days")
        if count == 0:
            return day
        return self._calendar.get_nth_working_day(day, count)  # type: ignore[no-any-return]

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
        if end <= start:
            return 0
        return int(self._calendar.get_working_days_count(start, end)) - int(self.is_working_day(start))


@functools.cache
def england_and_wales() -> WorkingDays:
    """The England and Wales working-day calendar (built once)."""
    return WorkingDays("GB", "ENG")
