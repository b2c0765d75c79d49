"""``reciprocity demo``: a simulated year of a scheme on the embedded store, and its report.

The year is played with invented partners and households (:mod:`reciprocity.demo`) through
the case, partner and arbitration services, then written to a SQLite file, from which the
scheme's report for the year is built and printed. By default the file is made in a
temporary folder and removed afterwards; ``--db FILE`` keeps it, to explore with
``reciprocity case list --db FILE``, ``reciprocity ledger balances`` and ``reciprocity report``.

The simulation runs on a private in-memory SQLite store and its events are then copied to
the file in one transaction, in the order they were recorded: the file ends up with exactly
the events a run on the file would have written, without one synchronous disk write per event
(about 800 a year), which would take most of the time the demonstration may take.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from reciprocity.cli.render import console as terminal
from reciprocity.cli.render import plain
from reciprocity.demo import DEFAULT_HOUSEHOLDS, SCHEMES
from reciprocity.errors import InputProblem, InvalidInputError

__all__ = ["demo_command"]

#: The years the demonstration can be played in.
YEARS = click.IntRange(2000, 2099)


def _fresh(db: Path) -> None:
    """``--db`` must name a new file (or an empty store): the demo's year is not mixed with cases."""
    if not db.parent.exists():
        raise InvalidInputError("--db", [InputProblem("--db", "its folder does not exist",
                                                      "give a path in an existing folder")])
    if db.exists() and db.stat().st_size > 0:
        raise InvalidInputError("--db", [InputProblem("--db", "the file already exists",
                                                      "give the path of a new file for the demonstration's store")])


@click.command("demo")
@click.option("--scheme", "scheme_id", type=click.Choice(SCHEMES),
              default="kent_rp", show_default=True, help="The scheme whose year is played.")
@click.option("--year", type=YEARS, default=2025, show_default=True, help="The calendar year played.")
@click.option("--seed", type=int, default=2025, show_default=True,
              help="Seed of the simulation: the same seed plays the same year.")
@click.option("--households", type=click.IntRange(1, 500), default=DEFAULT_HOUSEHOLDS, show_default=True,
              help="How many households are referred during the year.")
@click.option("--db", type=click.Path(path_type=Path, dir_okay=False),
              help="Keep the store in this new SQLite file (default: a temporary file, removed afterwards).")
def demo_command(scheme_id: str, year: int, seed: int, households: int, db: Path | None) -> None:
    """Simulate a year of a scheme with invented partners and households, and print its report.

    Partners join, one leaves; households are referred, checked, accepted, circulated to safe
    partners, offered homes (some refused), moved (each move in the ledger), followed up or
    closed. Everything is invented; nothing is fetched.
    """
    from reciprocity.demo import simulate  # noqa: PLC0415
    from reciprocity.reports import build_report, parse_period, render_tables  # noqa: PLC0415
    from reciprocity.store import EventStore  # noqa: PLC0415

    if db is not None:
        _fresh(db)
    console = terminal(wide=False)
    with tempfile.TemporaryDirectory(prefix="reciprocity-demo-") as folder:
        path = db if db is not None else Path(folder) / "demo.db"
        with EventStore("sqlite://") as memory:
            summary = simulate(memory, scheme_id=scheme_id, year=year, seed=seed, households=households)
            events = [recorded.event for recorded in memory.all()]
        with EventStore.at(path) as store:
            store.append_many(events)
            for line in summary.lines():
                console.print(plain(line), highlight=False)
            console.print()
            render_tables(console, build_report(store, scheme_id, parse_period(str(year))), plain)
    if db is not None:
        console.print(plain(f"\nThe store is kept in {db}: try `reciprocity case list --db {db}` or "
                            f"`reciprocity report --scheme {scheme_id} --period {year} --db {db}`."), highlight=False)
