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
from typing import Any

import click

from reciprocity.cli.render import console as terminal
from reciprocity.cli.render import plain
from reciprocity.demo import DEFAULT_HOUSEHOLDS
from reciprocity.errors import InputProblem, InvalidInputError

__all__ = ["demo_command"]

#: The years the demonstration can be played in.
YEARS = click.IntRange(2000, 2099)
#: The scheme played when ``--scheme`` is not given, if it is installed (the README's first
#: demonstration); otherwise the first installed scheme the demonstration can play.
PREFERRED = "kent_rp"


class InstalledSchemes(click.Choice):  # type: ignore[type-arg]
    """The schemes the demonstration can play, read from the plugin registry when first needed
    (``--help``, or checking the value given), never when the command's module is imported."""

    def __init__(self) -> None:
        super().__init__((), case_sensitive=True)

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        from reciprocity.demo import schemes  # noqa: PLC0415 - loads the plugins

        return schemes()

    @choices.setter
    def choices(self, value: Any) -> None:
        pass  # the registry decides

    def __repr__(self) -> str:
        return "InstalledSchemes()"


def _default_scheme() -> str:
    from reciprocity.demo import schemes  # noqa: PLC0415

    installed = schemes()
    return PREFERRED if PREFERRED in installed or not installed else installed[0]


def _fresh(db: Path) -> None:
    """``--db`` must name a new file (or an empty store): the demo's year is not mixed with cases."""
    if not db.parent.exists():
        raise InvalidInputError("--db", [InputProblem("--db", "its folder does not exist",
                                                      "give a path in an existing folder")])
    if db.exists() and db.stat().st_size > 0:
        raise InvalidInputError("--db", [InputProblem("--db", "the file already exists",
                                                      "give the path of a new file for the demonstration's store")])


@click.command("demo")
@click.option("--scheme", "scheme_id", type=InstalledSchemes(), default=_default_scheme,
              show_default=f"{PREFERRED} if installed",
              help="The scheme whose year is played: any installed scheme with a case process and a partnership.")
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
