"""Scheme performance reports: counts and times over a period, from the event store alone.

::

    from reciprocity.reports import build_report, parse_period, to_json

    report = build_report(store, "kent_rp", parse_period("2026Q3"))
    report.moves, report.to_move.median_days
    print(to_json(report))

See docs/reports.md for each figure, where it comes from and the clause behind it. Charts
(:mod:`reciprocity.reports.chart`) need the ``charts`` extra (matplotlib).
"""

from reciprocity.reports.figures import build_report
from reciprocity.reports.period import Period, parse_period
from reciprocity.reports.render import render_tables, report_dict, tidy_rows, to_csv, to_json
from reciprocity.reports.values import Report

__all__ = [
    "Period",
    "Report",
    "build_report",
    "parse_period",
    "render_tables",
    "report_dict",
    "tidy_rows",
    "to_csv",
    "to_json",
]
