"""Command-line entry point: ``reciprocity schemes | check | offer | schema | docs | case | due |
partner | ledger | arbitration``.

A user's mistake (bad file, unknown scheme, invalid field, impossible date) ends with exit
code 2 and a message naming what is wrong and what to do, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from rich.console import Console

from reciprocity import api, plugins
from reciprocity.cli.render import render_decision, render_schemes
from reciprocity.docgen import write_scheme_docs
from reciprocity.engines import ENGINES
from reciprocity.errors import ReciprocityError
from reciprocity.inputs import load_document

__all__ = ["cli", "main"]

USER_ERROR = 2
F = TypeVar("F", bound=Callable[..., Any])


class _Group(click.Group):
    """Turns the library's own errors into a message and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReciprocityError as error:
            _fail(str(error))


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(USER_ERROR)


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007 - a calendar date, no zone
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a real date; write it as YYYY-MM-DD") from None


def _decision_options(default_date: str) -> Callable[[F], F]:
    """The options every deciding command takes: --scheme, --on, --engine, --json."""

    def add(command: F) -> F:
        for option in reversed((
            click.option("--scheme", "scheme_id", required=True,
                         help="Scheme id, e.g. kent_rp (see `reciprocity schemes`)."),
            click.option("--on", "on", callback=_date, metavar="DATE",
                         help=f"Apply the rules in force on this date (YYYY-MM-DD); default: {default_date}."),
            click.option("--engine", type=click.Choice(ENGINES), default="native", show_default=True,
                         help="Rules engine to evaluate with."),
            click.option("--json", "as_json", is_flag=True, help="Print the result as JSON."),
        )):
            command = option(command)
        return command

    return add


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reciprocity")
def cli() -> None:
    """Check referrals against UK domestic-abuse housing reciprocal schemes."""


@cli.command("schemes")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def schemes_command(as_json: bool) -> None:
    """List the schemes the installed plugins provide, and any plugin that failed to load."""
    registry = plugins.registry()
    if as_json:
        click.echo(json.dumps({
            "schemes": [
                {"id": s.id, "title": s.title, "version": s.version, "rules": len(s.rules),
                 "areas": [a.id for a in s.areas]}
                for s in registry.schemes.values()
            ],
            "plugin_failures": [{"plugin": f.plugin, "error": f.error} for f in registry.failures],
        }, indent=2))
        return
    render_schemes(Console(), registry)


@cli.command("check")
@click.argument("referral_file", metavar="REFERRAL", type=click.Path(path_type=Path, dir_okay=False))
@_decision_options("the referral date")
def check_command(referral_file: Path, scheme_id: str, on: date | None, engine: str, as_json: bool) -> None:
    """Decide whether the referral in REFERRAL (JSON or YAML) is eligible under a scheme."""
    document = load_document(referral_file)
    decision = api.evaluate(scheme_id, document, on=on, engine=engine)
    if as_json:
        click.echo(json.dumps(decision.to_dict(), indent=2, ensure_ascii=False))
    else:
        render_decision(Console(), decision)


@cli.command("offer")
@click.argument("referral_file", metavar="REFERRAL", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("offer_file", metavar="OFFER", type=click.Path(path_type=Path, dir_okay=False))
@_decision_options("the offer date")
def offer_command(
    referral_file: Path, offer_file: Path, scheme_id: str, on: date | None, engine: str, as_json: bool
) -> None:
    """Assess whether the home in OFFER suits the household in REFERRAL (JSON or YAML files)."""
    referral = load_document(referral_file)
    offer = load_document(offer_file)
    decision = api.assess_offer(scheme_id, referral, offer, on=on, engine=engine)
    if as_json:
        click.echo(json.dumps(decision.to_dict(), indent=2, ensure_ascii=False))
    else:
        render_decision(Console(), decision)


@cli.command("schema")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write to a file instead.")
def schema_command(out: Path | None) -> None:
    """Print the JSON Schema of a referral document."""
    text = json.dumps(api.referral_json_schema(), indent=2)
    if out is None:
        click.echo(text)
    else:
        try:
            out.write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            _fail(f"cannot write {out} ({error.strerror or type(error).__name__}); check the folder exists")
        click.echo(f"wrote {out}", err=True)


@cli.command("docs")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("docs/schemes"),
              show_default=True, help="Directory to write one Markdown page per scheme into.")
def docs_command(out_dir: Path) -> None:
    """Generate each scheme's documentation from its rules."""
    try:
        written = write_scheme_docs(plugins.schemes(), out_dir)
    except OSError as error:
        _fail(f"cannot write into {out_dir} ({error.strerror or type(error).__name__})")
    for path in written:
        click.echo(f"wrote {path}")


def _add_case_commands() -> None:
    from reciprocity.cli.cases import case_group, due_command  # noqa: PLC0415

    cli.add_command(case_group)
    cli.add_command(due_command)


_add_case_commands()


def _add_partnership_commands() -> None:
    from reciprocity.cli.arbitration import arbitration_group  # noqa: PLC0415
    from reciprocity.cli.ledger import ledger_group  # noqa: PLC0415
    from reciprocity.cli.partners import partner_group  # noqa: PLC0415

    for group in (partner_group, ledger_group, arbitration_group):
        cli.add_command(group)


_add_partnership_commands()


def _add_demo_command() -> None:
    from reciprocity.cli.demo import demo_command  # noqa: PLC0415

    cli.add_command(demo_command)


_add_demo_command()


def _add_report_command() -> None:
    from reciprocity.cli.report import report_command  # noqa: PLC0415

    cli.add_command(report_command)


_add_report_command()


def _add_test_command() -> None:
    from reciprocity.cli.casefiles import test_command  # noqa: PLC0415

    cli.add_command(test_command)


_add_test_command()


def _add_store_commands() -> None:
    from reciprocity.cli.store import store_group  # noqa: PLC0415

    cli.add_command(store_group)


_add_store_commands()


def main() -> None:
    """Run the command line."""
    cli(prog_name="reciprocity")
