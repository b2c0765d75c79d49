"""A report as a dictionary (JSON), tidy CSV rows, or rich tables.

One layout serves all three. :func:`report_dict` gives ``{section: {...}}`` where a section is
either flat, ``{measure: value}``, or a table, ``{item: {measure: value}}`` (an item is a
partner id, an ARC, a month, a reason...). JSON is that dictionary with ISO dates; CSV has one
row per value, ``section,item,measure,value`` (``item`` empty in a flat section, ``value``
empty for "none"); the terminal shows one table per section, every cell a ``rich.text.Text``
so that no value (a partner id, an ARC, a label from the store) is ever read as console markup.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from reciprocity.reports.values import Report, Summary

__all__ = ["CSV_HEADER", "SECTION_TITLES", "render_tables", "report_dict", "tidy_rows", "to_csv", "to_json"]

CSV_HEADER = ("section", "item", "measure", "value")

#: Each section's heading in the terminal, in the order sections appear.
SECTION_TITLES: dict[str, str] = {
    "report": "Report",
    "partners": "Partners signed up",
    "referrals": "Referrals",
    "circulation": "Requests circulated",
    "offers": "Offers",
    "offered_bedrooms": "Offers by bedrooms",
    "offered_tenancies": "Offers by tenancy",
    "moves": "Successful moves",
    "closed": "Cases closed",
    "feedback": "Feedback received",
    "timing": "Days from referral, per case (by ARC)",
    "timing_summary": "Days from referral: mean and median",
    "activity": "Partner activity",
    "balances": "Owed and awarded homes at the period's end",
    "referral_counts": "Referrals made and received (KRS point 15)",
    "months": "Moves per month",
    "monthly_net_balance": "Net balance at each month's end",
}


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _summary(s: Summary) -> dict[str, Any]:
    return {"cases": s.cases, "mean_days": s.mean_days, "median_days": s.median_days}


def report_dict(report: Report) -> dict[str, dict[str, Any]]:
    """The report as JSON-ready sections (stable keys, ISO dates)."""
    r = report
    return {
        "report": {"scheme": r.scheme_id, "period": r.period.label, "start": _iso(r.period.start),
                   "end": _iso(r.period.end), "ledger": r.ledger},
        "partners": {"members_at_end": r.partners.members_at_end, "joined": r.partners.joined,
                     "left": r.partners.left},
        "referrals": {"made": r.referrals},
        "circulation": {"rounds": r.rounds_circulated, "cases": r.cases_circulated},
        "offers": {"made": r.offers_made, "accepted": r.offers_accepted, "refused": r.offers_refused},
        "offered_bedrooms": {str(k): {"offers": n} for k, n in r.offered_bedrooms},
        "offered_tenancies": {k: {"offers": n} for k, n in r.offered_tenancies},
        "moves": {"successful": r.moves},
        "closed": {k: {"cases": n} for k, n in r.closed},
        "feedback": {f.source: {"received": f.received, "positive": f.positive, "negative": f.negative,
                                "not_stated": f.not_stated} for f in r.feedback},
        "timing": {t.arc or "(no ARC)": {
            "referred_on": _iso(t.referred_on), "first_circulated_on": _iso(t.first_circulated_on),
            "days_to_circulation": t.days_to_circulation, "moved_on": _iso(t.moved_on),
            "days_to_move": t.days_to_move} for t in r.timings},
        "timing_summary": {"to_circulation": _summary(r.to_circulation), "to_move": _summary(r.to_move)},
        "activity": {a.partner: {
            "nominations": a.nominations, "requests_received": a.requests_received, "responses": a.responses,
            "could_help": a.could_help, "offers_made": a.offers_made, "moves_in": a.moves_in,
            "moves_out": a.moves_out, "balance": a.balance} for a in r.activity},
        "balances": {b.partner if b.bedrooms is None else f"{b.partner}:{b.bedrooms}": {
            "partner": b.partner, "bedrooms": b.bedrooms, "owes": b.owes, "owed": b.owed, "net": b.net}
            for b in r.balances},
        "referral_counts": {c.partner: {"made": c.made, "received": c.received} for c in r.referral_counts},
        "months": {m.month: {"start": _iso(m.start), "end": _iso(m.end), "moves": m.moves} for m in r.months},
        "monthly_net_balance": _monthly_nets(r),
    }


def _monthly_nets(report: Report) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for month in report.months:
        for partner, net in month.net_balances:
            out.setdefault(partner, {})[month.month] = net
    return out


def to_json(report: Report) -> str:
    """The report as indented JSON."""
    return json.dumps(report_dict(report), indent=2)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _is_table(section: dict[str, Any]) -> bool:
    return bool(section) and all(isinstance(v, dict) for v in section.values())


def tidy_rows(report: Report) -> Iterator[tuple[str, str, str, str]]:
    """``(section, item, measure, value)`` for every value of the report, as CSV text cells."""
    for name, section in report_dict(report).items():
        if _is_table(section):
            for item, measures in section.items():
                for measure, value in measures.items():
                    yield name, item, measure, _cell(value)
        else:
            for measure, value in section.items():
                yield name, "", measure, _cell(value)


def to_csv(report: Report) -> str:
    """The report as tidy CSV: a header, then ``section,item,measure,value`` rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(tidy_rows(report))
    return out.getvalue()


#: Makes a table cell from its text: never parsed as markup (the command line also removes
#: terminal escape sequences, with :func:`reciprocity.cli.render.plain`).
Cell = Callable[[str], Text]


def _wide_table(section: dict[str, dict[str, Any]], width: int, cell: Cell = Text) -> Table | None:
    """One row per item and a column per measure, or None when that would not fit ``width``."""
    columns = list(dict.fromkeys(m for measures in section.values() for m in measures))
    cells = [[item, *(_cell(measures.get(c)) or "-" for c in columns)] for item, measures in section.items()]
    headers = ["", *(c.replace("_", "\n") for c in columns)]  # headers break at underscores
    needed = sum(max(max(len(line) for line in h.split("\n")), *(len(row[i]) for row in cells)) + 3
                 for i, h in enumerate(headers)) + 1
    if needed > width:
        return None
    table = Table()
    for i, header in enumerate(headers):
        table.add_column(cell(header), no_wrap=True, justify="left" if i == 0 else "right")
    for row in cells:
        table.add_row(*(cell(text) for text in row))
    return table


def _long_table(section: dict[str, Any], nested: bool, cell: Cell = Text) -> Table:
    """One row per value: (item,) measure, value."""
    table = Table()
    if nested:
        table.add_column("", no_wrap=True)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in section.items():
        if not nested:
            table.add_row(cell(key.replace("_", " ")), cell(_cell(value) or "-"))
            continue
        for i, (measure, text) in enumerate(value.items()):
            table.add_row(cell(key if i == 0 else ""), cell(measure.replace("_", " ")), cell(_cell(text) or "-"),
                          end_section=i == len(value) - 1)
    return table


#: Sections that belong to the other kind of ledger (by "keeps only referral counts").
_LEDGER_SECTIONS = {True: frozenset({"balances", "monthly_net_balance"}), False: frozenset({"referral_counts"})}


def render_tables(console: Console, report: Report, cell: Cell = Text) -> None:
    """Print one table per section (a section with nothing in it says so). A table too wide
    for the console is printed long: one row per value. ``cell`` makes each cell from its
    text (default: ``Text``, never read as markup)."""
    counts_only = report.ledger == "referral_counts"
    for name, section in report_dict(report).items():
        if not section and name in _LEDGER_SECTIONS[counts_only]:
            continue  # the scheme keeps the other kind of ledger: nothing to say
        if not section:
            console.print(f"[bold]{SECTION_TITLES[name]}[/]: none in this period")
            continue
        console.print(f"[bold]{SECTION_TITLES[name]}[/]")
        nested = _is_table(section)
        wide = _wide_table(section, console.width, cell) if nested else None
        console.print(wide if wide is not None else _long_table(section, nested, cell))
