"""A chart of a report: moves per month, and each partner's net balance at each month's end.

matplotlib is optional (``pip install 'reciprocity[charts]'``) and loaded only here, with the
non-interactive Agg backend. The file's suffix chooses the format: ``.png`` or ``.svg``.
"""

from __future__ import annotations

from pathlib import Path

from reciprocity.errors import InputProblem, InvalidInputError, ReciprocityError
from reciprocity.reports.values import Report

__all__ = ["CHART_FORMATS", "ChartsUnavailableError", "chart_format", "require_charts", "write_chart"]

CHART_FORMATS = {".png": "png", ".svg": "svg"}


class ChartsUnavailableError(ReciprocityError):
    """matplotlib is not installed."""

    def __init__(self) -> None:
        super().__init__("charts need matplotlib: install reciprocity[charts] "
                         "(pip install 'reciprocity[charts]')")


def chart_format(path: Path) -> str:
    """``png`` or ``svg`` from the file's suffix; InvalidInputError (``--chart``) otherwise."""
    kind = CHART_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InvalidInputError("--chart", [InputProblem("--chart", "the file must end in .png or .svg",
                                                         "name the chart file, e.g. report.png or report.svg")])
    return kind


def require_charts() -> None:
    """Load matplotlib with the Agg backend; ChartsUnavailableError when it is not installed."""
    try:
        import matplotlib  # noqa: PLC0415
    except ImportError:
        raise ChartsUnavailableError() from None
    matplotlib.use("Agg")


def write_chart(report: Report, path: Path) -> Path:
    """Draw the report's chart into ``path`` (``.png`` or ``.svg``) and return the path."""
    kind = chart_format(path)
    require_charts()
    from matplotlib.figure import Figure  # noqa: PLC0415 - no pyplot: no global state, no GUI

    months = [m.month for m in report.months]
    figure = Figure(figsize=(8, 6), layout="constrained")
    moves, nets = figure.subplots(2, 1, sharex=True)
    moves.bar(months, [m.moves for m in report.months], color="tab:blue")
    moves.set_ylabel("moves")
    moves.set_title(f"{report.scheme_id} {report.period.label}: successful moves per month")
    moves.yaxis.get_major_locator().set_params(integer=True)
    partners = sorted({p for m in report.months for p, _ in m.net_balances})
    for partner in partners:
        values = [dict(m.net_balances).get(partner, 0) for m in report.months]
        nets.plot(months, values, marker="o", label=partner)
    nets.yaxis.get_major_locator().set_params(integer=True)
    nets.axhline(0, color="grey", linewidth=0.8)
    nets.set_ylabel("net homes (owed - owes)")
    nets.set_xlabel("month (balance at its end)")
    if partners:
        nets.legend(fontsize="small", loc="best")
        nets.set_title("net balance of each partner")
    else:
        nets.set_title("no property balances in this period"
                       + (" (the scheme counts referrals, not homes)" if report.ledger == "referral_counts" else ""))
    figure.savefig(path, format=kind)
    return path
