"""Rich rendering for the terminal: decisions, scheme lists, and the helpers every command
prints data through.

Text that came from input or from the store (a partner's name, a named lead, a case id, an
ARC, an area, a label) is never read as console markup: a table cell is :func:`plain` (a
``rich.text.Text``, which rich never parses), and a value put into a line that has markup of
its own goes through :func:`safe`. Both first :func:`clean` the text: a store written before
the model refused control characters may still hold an ANSI or OSC escape sequence, which
would otherwise rewrite the terminal it is printed on.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from reciprocity.decision import Decision, Status
from reciprocity.plugins import Registry
from reciprocity.rules.rule import Outcome

__all__ = ["clean", "console", "plain", "render_decision", "render_schemes", "safe"]

#: A terminal escape sequence: CSI (``ESC [ … final``, colours and cursor moves), OSC
#: (``ESC ] … BEL`` or ``ESC ] … ESC \\``, window titles and links), or any other two-byte
#: ``ESC x``; also the 8-bit CSI and OSC introducers.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-_]?"
)
#: What is left to remove: C0 and C1 control characters other than a line break, and the
#: bidirectional overrides and isolates, which reorder what the terminal shows.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(value: object) -> str:
    """``value`` as text without terminal escape sequences or control characters (a line
    break kept, a tab made a space); ``"-"`` for None. Not escaped for markup: for plain
    output such as an ``error:`` line."""
    if value is None:
        return "-"
    text = _ESCAPE_SEQUENCE.sub("", str(value)).replace("\t", " ")
    return _CONTROL.sub("", text)


def plain(value: object, style: str = "") -> Text:
    """``value`` as a rich Text: printed as it reads, never parsed as markup or emoji codes
    (see :func:`clean`); for table cells and whole lines of data."""
    return Text(clean(value), style=style)


def safe(value: object) -> str:
    """``value`` cleaned and escaped, to put inside a line that has markup of its own."""
    return escape(clean(value))


def console(*, wide: bool = True) -> Console:
    """Rich output for the commands: no emoji codes (``:name:`` in a stored text stays as
    written); when not on a terminal (a pipe, a file, a test) and ``wide``, wide enough not to
    cut ids."""
    out = Console(emoji=False)
    return out if out.is_terminal or not wide else Console(emoji=False, width=200)


_OUTCOME_STYLE = {
    Outcome.ELIGIBLE: ("ELIGIBLE", "bold green"),
    Outcome.INELIGIBLE: ("NOT ELIGIBLE", "bold red"),
    Outcome.NEEDS_INFORMATION: ("NEEDS INFORMATION", "bold yellow"),
}
_STATUS_STYLE = {
    Status.MET: ("met", "green"),
    Status.NOT_MET: ("not met", "red"),
    Status.NEEDS_INFORMATION: ("needs info", "yellow"),
    Status.NOT_APPLICABLE: ("n/a", "dim"),
}


def render_decision(console: Console, decision: Decision) -> None:
    """Print the outcome, every finding with its clause, and any questions to ask."""
    label, style = _OUTCOME_STYLE[decision.outcome]
    if decision.ruleset.kind == "offer":
        label = {Outcome.ELIGIBLE: "SUITABLE", Outcome.INELIGIBLE: "NOT SUITABLE"}.get(decision.outcome, label)
    ref = f" {safe(decision.referral_id)}" if decision.referral_id else ""
    console.print(f"[{style}]{label}[/]  referral{ref} under {safe(decision.scheme_id)} on {decision.on.isoformat()}")
    console.print(plain(decision.summary()))
    console.print(f"[dim]{safe(decision.ruleset_version)}; engine: {safe(decision.engine)}[/]")
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("finding", no_wrap=True)
    table.add_column("why (rule)")
    for finding in decision.findings:
        text, colour = _STATUS_STYLE[finding.status]
        table.add_row(
            f"[{colour}]{text}[/]", f"{safe(finding.sentence)}\n[dim]{safe(finding.rule_id)}[/]"
        )
    console.print(table)
    if decision.questions:
        console.print("[bold]To decide, ask the nominating officer:[/]")
        for question in decision.questions:
            console.print(plain(f"  - {clean(question)}"))


def render_schemes(console: Console, registry: Registry) -> None:
    """Print the loaded schemes, and plugins that failed to load."""
    table = Table(show_header=True, header_style="bold")
    for column in ("scheme", "title", "version", "rules", "areas"):
        table.add_column(column)
    for scheme in registry.schemes.values():
        table.add_row(plain(scheme.id), plain(scheme.title), plain(scheme.version), str(len(scheme.rules)),
                      str(len(scheme.areas)))
    console.print(table)
    for failure in registry.failures:
        console.print(plain(failure, style="red"))
