"""``reciprocity arbitration …``: arbitration panels (Kent RP MoU §4.7) on the store (``--db``).

``request`` asks whether a partner that owes the pool was justified in declining a case's
applicant: a panel of three signatory partners is drawn, never the declining or nominating
partner, from candidates and a seed that are recorded so anyone can draw it again
(:func:`reciprocity.casework.arbitration.draw_panel`). ``decide`` records the finding; a
refusal found not justified is a breach, which ``reciprocity partner remove --arbitration ID``
can follow.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import click
from rich.table import Table

from reciprocity.casework.actors import Actor
from reciprocity.casework.views import arbitration_view
from reciprocity.cli.options import (
    db_option,
    json_option,
    on_option,
    opened_store,
    print_json,
    scheme_option,
)
from reciprocity.cli.render import clean, console, plain, safe

__all__ = ["arbitration_group"]

_FINDINGS = {None: "not decided yet", "refusal_justified": "the refusal was justified",
             "refusal_not_justified": "the refusal was not justified (a breach)"}


def _print(a: Any, as_json: bool) -> None:
    data = arbitration_view(a)
    if as_json:
        print_json(data)
        return
    out = console()
    out.print(f"[bold]{safe(data['arbitration'])}[/] ({safe(data['scheme'])}) requested {data['requested_on']} "
              f"for {safe(data['arc'] or 'a case')}")
    out.print(plain(f"  declining: {clean(data['declining'])}; nominating: {clean(data['nominating'])} "
                    "(neither sits on the panel)"))
    out.print(plain(f"  panel: {', '.join(data['panel'])}"))
    out.print(plain(f"  candidates: {', '.join(data['candidates'])}"))
    out.print(plain(f"  seed: {data['seed']} (redraw: reciprocity.casework.arbitration.draw_panel(candidates, seed))"))
    decided = f" on {data['decided_on']}" if data["decided_on"] else ""
    out.print(plain(f"  finding: {_FINDINGS.get(data['finding'], data['finding'])}{decided}"))


@click.group("arbitration")
def arbitration_group() -> None:
    """Arbitration of a refusal by a partner that owes the pool (Kent RP MoU §4.7)."""


@arbitration_group.command("request")
@click.argument("case_id", metavar="CASE")
@click.option("--declining", "declining", required=True, metavar="PARTNER",
              help="The partner that declined the case's applicant.")
@on_option
@json_option
@db_option
def request_command(case_id: str, declining: str, on: date, as_json: bool, db: str) -> None:
    """Ask for arbitration of PARTNER's refusal of CASE's applicant; draws the panel of three."""
    from reciprocity.casework.arbitration import Arbitrations  # noqa: PLC0415

    with opened_store(db) as store:
        # The coordinator asks for arbitration and draws the panel (MoU §4.7); this door is the coordinator's.
        _print(Arbitrations(store).request(case_id, declining, on=on, actor=Actor.coordinator()), as_json)


@arbitration_group.command("decide")
@click.argument("arbitration_id", metavar="ID")
@scheme_option
@on_option
@click.option("--justified/--not-justified", "justified", default=None,
              help="The panel's finding: the refusal was justified, or not (a breach).")
@json_option
@db_option
def decide_command(arbitration_id: str, scheme_id: str, on: date, justified: bool | None, as_json: bool,
                   db: str) -> None:
    """Record the panel's finding on arbitration ID."""
    from reciprocity.casework.arbitration import Arbitrations  # noqa: PLC0415

    if justified is None:
        raise click.UsageError("give the finding: --justified or --not-justified")
    with opened_store(db) as store:
        _print(Arbitrations(store).decide(scheme_id, arbitration_id, on=on, justified=justified,
                                          actor=Actor.coordinator()), as_json)


@arbitration_group.command("show")
@click.argument("arbitration_id", metavar="[ID]", required=False)
@scheme_option
@json_option
@db_option
def show_command(arbitration_id: str | None, scheme_id: str, as_json: bool, db: str) -> None:
    """One arbitration (panel, candidates, seed, finding), or the scheme's arbitrations."""
    from reciprocity.casework.arbitration import Arbitrations  # noqa: PLC0415
    from reciprocity.partnership.policy import partnership_of  # noqa: PLC0415

    partnership_of(scheme_id)  # an unknown scheme is named, not shown as having no arbitrations
    with opened_store(db) as store:
        arbitrations = Arbitrations(store)
        if arbitration_id is not None:
            _print(arbitrations.get(scheme_id, arbitration_id), as_json)
            return
        rows = [arbitration_view(a) for a in arbitrations.all(scheme_id)]
    if as_json:
        print_json(rows)
        return
    table = Table("arbitration", "requested", "ARC", "declining", "panel", "finding")
    for r in rows:
        table.add_row(*(plain(v) for v in (r["arbitration"], r["requested_on"], r["arc"], r["declining"],
                                            ", ".join(r["panel"]), _FINDINGS.get(r["finding"], r["finding"]))))
    console().print(table if rows else plain(f"no arbitrations in {scheme_id}"))
