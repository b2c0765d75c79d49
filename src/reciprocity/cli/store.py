"""``reciprocity store …``: the event store itself (``--db``).

``verify`` replays the store and recomputes what every recorded event should hold
(:func:`reciprocity.casework.verify.verify`): the eligibility outcome, the offer's assessment,
the circulation's recipients and request, the move's ledger entry, the actor, the ARC claim, a
removal's arbitration. It reads only; it never creates or changes a store.
"""

from __future__ import annotations

import sys

import click
from rich.table import Table

from reciprocity.cli.options import db_option, json_option, open_cases, print_json
from reciprocity.cli.render import console, plain

__all__ = ["PROBLEMS_FOUND", "store_group"]

#: The exit code of ``store verify`` when it found problems (2 stays a user's mistake).
PROBLEMS_FOUND = 1


@click.group("store")
def store_group() -> None:
    """The event store itself: verify what it records."""


@store_group.command("verify")
@json_option
@db_option
def verify_command(as_json: bool, db: str) -> None:
    """Replay the store at --db and report every event whose recorded content differs from what
    the library computes for it (process, actor, derived content, ledger, ARC, removal).

    Exit code 0: no problems; 1: problems were found (each is listed); 2: a mistake, such as a
    --db that is no event store. Problems name events, fields and references, never personal data.
    """
    from reciprocity.casework.verify import verify  # noqa: PLC0415
    with open_cases(db) as cases:
        report = verify(cases.store)
    if as_json:
        print_json(report.to_dict())
    else:
        out = console()
        out.print(f"{report.events_checked} events checked; "
                  f"{len(report.problems) or 'no'} problem{'' if len(report.problems) == 1 else 's'} found",
                  highlight=False)
        if report.problems:
            table = Table("position", "stream", "event", "kind", "problem")
            for p in report.problems:
                table.add_row(*(plain(v) for v in (p.position, p.stream, p.event_type, p.kind, p.message)))
            out.print(table)
    if not report.ok:
        sys.exit(PROBLEMS_FOUND)
