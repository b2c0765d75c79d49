"""``reciprocity store …``: the event store itself (``--db``).

``init`` starts a new store; ``migrate`` brings one written by an older reciprocity up to this
one's schema; ``rebuild`` rebuilds its read models (the case index, the cases' deadlines, the
ledger's balances) from the events. ``verify`` replays the store and recomputes what every recorded event should hold
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
    """The event store itself: start, migrate, rebuild and verify it."""


@store_group.command("init")
@db_option
def init_command(db: str) -> None:
    """Start a new, empty store at --db (a SQLite file, or a database URL whose database exists).
    A store already there is left as it is."""
    import os  # noqa: PLC0415

    text = os.fspath(db)
    existed = "://" in text or os.path.exists(os.path.expanduser(text))
    with open_cases(db, create=True) as cases:
        kept = len(cases.store.streams()) if existed else 0
    click.echo(f"an event store is at {db}" + (f" (it already held {kept} streams)" if kept else " (empty)"))


@store_group.command("migrate")
@db_option
def migrate_command(db: str) -> None:
    """Bring a store written by an older reciprocity up to this one's schema, then build its read
    models from the events. Nothing recorded is changed; back the store up first all the same.
    Exit code 0 also when there was nothing to do."""
    import os  # noqa: PLC0415

    from reciprocity.store.migrations import migrate  # noqa: PLC0415

    done = migrate(os.fspath(db))
    with open_cases(db):  # opening builds the read models from the events
        pass
    if done.changed:
        click.echo(f"migrated {done.where} from schema version {done.before} to {done.after}; "
                   "its read models are built from every event")
    else:
        click.echo(f"{done.where} is already at schema version {done.after}; nothing to do")


@store_group.command("rebuild")
@db_option
def rebuild_command(db: str) -> None:
    """Rebuild the store's read models (case index, deadlines, ledger balances) from its events,
    in one transaction (writers wait meanwhile). Run it after `store verify` reports a read-model
    problem, or after changing a scheme plugin's process."""
    with open_cases(db) as cases:
        rebuilt = cases.store.rebuild()
    for name, events in rebuilt.items():
        click.echo(f"rebuilt the {name} read model from {events} events")


@store_group.command("verify")
@json_option
@db_option
def verify_command(as_json: bool, db: str) -> None:
    """Replay the store at --db and report every event whose recorded content differs from what
    the library computes for it (process, actor, derived content, ledger, ARC, removal), and
    every read-model row that differs from a rebuild from the events (projection).

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
