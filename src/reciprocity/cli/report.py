"""``reciprocity report``: a scheme's performance over a period, from the case store (``--db``).

Tables on the terminal, tidy CSV or JSON on standard output, and optionally a chart (PNG or
SVG by the file's suffix; needs ``reciprocity[charts]``). See docs/reports.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from reciprocity.cli.options import db_option, open_cases, scheme_option
from reciprocity.cli.render import console, plain
from reciprocity.errors import InputProblem, InvalidInputError
from reciprocity.model.base import EARLIEST_DATE, LATEST_DATE

if TYPE_CHECKING:
    from reciprocity.reports.period import Period

__all__ = ["report_command"]


def _within_dates(period: Period) -> None:
    """A period lies within the dates any input may hold (its months are counted one by one,
    and the month after 9999-12 does not exist)."""
    if period.start < EARLIEST_DATE or period.end > LATEST_DATE:
        raise InvalidInputError("--period", [InputProblem(
            "--period", f"must lie between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}",
            "check the year")])


@click.command("report")
@scheme_option
@click.option("--period", "period_text", required=True, metavar="PERIOD",
              help="2026Q3 (quarter), 2026 (year), 2026-07 (month) or 2026-07-01..2026-09-30 (dates, inclusive).")
@click.option("--format", "output", type=click.Choice(("table", "csv", "json")), default="table",
              show_default=True, help="Tables for reading, tidy CSV (section,item,measure,value) or JSON.")
@click.option("--chart", "chart_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Also draw moves per month and net balances into this .png or .svg file.")
@db_option
def report_command(scheme_id: str, period_text: str, output: str, chart_file: Path | None, db: str) -> None:
    """A scheme's performance over a period: partners, referrals, circulations, offers, moves,
    feedback, days from referral, partner activity and the ledger."""
    from reciprocity.plugins import get_scheme  # noqa: PLC0415
    from reciprocity.reports import build_report, parse_period, render_tables, to_csv, to_json  # noqa: PLC0415
    from reciprocity.reports.chart import chart_format, require_charts, write_chart  # noqa: PLC0415

    period = parse_period(period_text)
    _within_dates(period)
    get_scheme(scheme_id)  # an unknown scheme is named before the store is opened
    if chart_file is not None:
        chart_format(chart_file)
        require_charts()
    with open_cases(db) as cases:
        report = build_report(cases.store, scheme_id, period)
    if chart_file is not None:
        try:
            write_chart(report, chart_file)
        except OSError as error:
            raise InvalidInputError("--chart", [InputProblem(
                "--chart", f"cannot write the chart ({error.strerror or type(error).__name__})",
                "check that the folder exists and can be written to")]) from None
        click.echo(f"wrote {chart_file}", err=True)
    if output == "json":
        click.echo(to_json(report))
    elif output == "csv":
        click.echo(to_csv(report), nl=False)
    else:
        render_tables(console(wide=False), report, plain)
