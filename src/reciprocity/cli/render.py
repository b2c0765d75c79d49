"""Rich rendering of decisions and scheme lists for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from reciprocity.decision import Decision, Status
from reciprocity.plugins import Registry
from reciprocity.rules.rule import Outcome

__all__ = ["render_decision", "render_schemes"]

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
    ref = f" {escape(decision.referral_id)}" if decision.referral_id else ""
    console.print(f"[{style}]{label}[/]  referral{ref} under {decision.scheme_id} on {decision.on.isoformat()}")
    console.print(escape(decision.summary()))
    console.print(f"[dim]{escape(decision.ruleset_version)}; engine: {decision.engine}[/]")
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("finding", no_wrap=True)
    table.add_column("why (rule)")
    for finding in decision.findings:
        text, colour = _STATUS_STYLE[finding.status]
        table.add_row(
            f"[{colour}]{text}[/]", f"{escape(finding.sentence)}\n[dim]{escape(finding.rule_id)}[/]"
        )
    console.print(table)
    if decision.questions:
        console.print("[bold]To decide, ask the nominating officer:[/]")
        for question in decision.questions:
            console.print(f"  - {escape(question)}")


def render_schemes(console: Console, registry: Registry) -> None:
    """Print the loaded schemes, and plugins that failed to load."""
    table = Table(show_header=True, header_style="bold")
    for column in ("scheme", "title", "version", "rules", "areas"):
        table.add_column(column)
    for scheme in registry.schemes.values():
        table.add_row(scheme.id, escape(scheme.title), scheme.version, str(len(scheme.rules)), str(len(scheme.areas)))
    console.print(table)
    for failure in registry.failures:
        console.print(f"[red]{escape(str(failure))}[/]")
