"""Command-line entry point: ``reciprocity schemes | check | offer | schema | docs | case | due |
partner | ledger | arbitration``.

A user's mistake (bad file, unknown scheme, invalid field, impossible date) ends with exit
code 2 and a message naming what is wrong and what to do, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from reciprocity import api, plugins
from reciprocity.cli.arbitration import arbitration_group
from reciprocity.cli.casefiles import test_command
from reciprocity.cli.cases import case_group, due_command
from reciprocity.cli.demo import demo_command
from reciprocity.cli.ledger import ledger_group
from reciprocity.cli.options import OwnWords, date_value, expects
from reciprocity.cli.partners import partner_group
from reciprocity.cli.render import clean, console, render_decision, render_schemes
from reciprocity.cli.report import report_command
from reciprocity.cli.store import store_group
from reciprocity.cli.tokens import serve_command, token_group
from reciprocity.docgen import write_scheme_docs
from reciprocity.engines import ENGINES
from reciprocity.errors import ReciprocityError
from reciprocity.inputs import load_document

__all__ = ["cli", "main"]

USER_ERROR = 2
#: The store is there but cannot be used now (busy, unreachable, full, read-only, damaged): not
#: a mistake in what was typed, so not 2.
STORE_UNUSABLE = 3
F = TypeVar("F", bound=Callable[..., Any])



def _quiet(error: click.UsageError) -> click.UsageError:
    """``error`` with a message that does not repeat what was typed: click quotes a refused
    name. Its own words otherwise: a missing option, an option without its value, and a path
    (files are named, as everywhere: the person needs to know which of them is wrong)."""
    if isinstance(error, (OwnWords, click.MissingParameter)) or (
            isinstance(error, click.BadParameter) and isinstance(getattr(error.param, "type", None), click.Path)):
        return error
    if isinstance(error, click.BadParameter):
        return OwnWords(expects(error.param), ctx=error.ctx, param=error.param, param_hint=error.param_hint)
    if isinstance(error, click.NoSuchOption):
        maybe = f"; did you mean {' or '.join(error.possibilities)}?" if error.possibilities else " (see --help)"
        return click.UsageError(f"an option this command does not take{maybe}", ctx=error.ctx)
    message = error.format_message()
    if message.startswith("Got unexpected extra argument"):
        return click.UsageError("more arguments than this command takes; put a value that has spaces in "
                                "quotes (see --help)", ctx=error.ctx)
    if message.startswith("No such command"):
        return click.UsageError("no such command (see --help for the commands)", ctx=error.ctx)
    return error


def _user_error(error: Exception) -> NoReturn:
    """End with ``error:`` and exit code 2 for a mistake the library or the system reported."""
    from pydantic import ValidationError  # noqa: PLC0415

    if isinstance(error, ValidationError):
        from reciprocity.errors import InvalidInputError  # noqa: PLC0415
        from reciprocity.inputs import problems_from  # noqa: PLC0415

        _fail(str(InvalidInputError(f"{error.title} record", problems_from(error))))
    if isinstance(error, UnicodeError):
        _fail("text could not be read or written as UTF-8; save the file as UTF-8 (or set a UTF-8 "
              "locale, e.g. LANG=C.UTF-8, for the terminal)")
    if isinstance(error, OSError):
        # The path is not repeated: the system's words say what went wrong, the paths were typed.
        _fail(f"a file could not be read or written ({error.strerror or type(error).__name__}); "
              "check the paths given, that their folders exist and can be read and written")
    from reciprocity.store.errors import StoreUnusableError  # noqa: PLC0415

    _fail(str(error), STORE_UNUSABLE if isinstance(error, StoreUnusableError) else USER_ERROR)


class _Group(click.Group):
    """Turns the library's own errors, invalid records, file and encoding errors into a message
    and exit code 2, and click's usage errors into messages that do not repeat the input."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as error:
            raise _quiet(error) from None

    def invoke(self, ctx: click.Context) -> Any:
        from pydantic import ValidationError  # noqa: PLC0415

        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise _quiet(error) from None
        except (ReciprocityError, ValidationError, OSError, UnicodeError) as error:
            _user_error(error)


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"error: {clean(message)}", err=True)
    sys.exit(code)


def _decision_options(default_date: str) -> Callable[[F], F]:
    """The options every deciding command takes: --scheme, --on, --engine, --json."""

    def add(command: F) -> F:
        for option in reversed((
            click.option("--scheme", "scheme_id", required=True,
                         help="Scheme id, e.g. kent_rp (see `reciprocity schemes`)."),
            click.option("--on", "on", callback=date_value, metavar="DATE",
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
    render_schemes(console(wide=False), registry)


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
        render_decision(console(wide=False), decision)


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
        render_decision(console(wide=False), decision)


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


# The other command modules import nothing from this one (their shared options live in
# reciprocity.cli.options), so they are imported here and added to the group.
for _command in (case_group, due_command, partner_group, ledger_group, arbitration_group, demo_command,
                 report_command, test_command, store_group, token_group, serve_command):
    cli.add_command(_command)


def main() -> None:
    """Run the command line."""
    cli(prog_name="reciprocity")
