"""Command-line entry point: ``reciprocity schemes | check | offer | schema | docs | case | due |
partner | ledger | arbitration``.

A user's mistake (bad file, unknown scheme, invalid field, impossible date) ends with exit
code 2 and a message naming what is wrong and what to do, never a traceback.

The command line starts without the library: ``COMMANDS`` names every command, the module that
defines it and the line ``reciprocity --help`` shows for it, so the listing imports no command
module (tests/cli/test_startup.py holds the lines equal to the commands' own help). A command's
module is imported when the command runs or its own ``--help`` is asked for; the library
(models, rules, plugins, rich) is imported inside the functions here that use it.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from datetime import date
from gettext import gettext
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn, TypeVar

import click

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = ["COMMANDS", "cli", "main"]

USER_ERROR = 2
#: The store is there but cannot be used now (busy, unreachable, full, read-only, damaged): not
#: a mistake in what was typed, so not 2.
STORE_UNUSABLE = 3
F = TypeVar("F", bound=Callable[..., Any])


class Entry(NamedTuple):
    """A command of ``reciprocity``, before its module is imported."""

    #: Where the command is defined: ``module:attribute``.
    target: str
    #: The first sentence of its help, which ``reciprocity --help`` shows (shortened to the
    #: terminal's width as click shortens it).
    short_help: str


#: Every command of ``reciprocity`` by name. A new command is added here as well as defined in its
#: module (tests/cli/test_startup.py fails until it is, and while a line differs from its help).
COMMANDS: dict[str, Entry] = {
    "arbitration": Entry("reciprocity.cli.arbitration:arbitration_group",
                         "Arbitration of a refusal by a partner that owes the pool (Kent RP MoU §4.7)."),
    "case": Entry("reciprocity.cli.cases:case_group",
                  "Cases on the store: open, move through the scheme's process, show, list."),
    "check": Entry("reciprocity.cli.main:check_command",
                   "Decide whether the referral in REFERRAL (JSON or YAML) is eligible under a scheme."),
    "demo": Entry("reciprocity.cli.demo:demo_command",
                  "Simulate a year of a scheme with invented partners and households, and print its report."),
    "docs": Entry("reciprocity.cli.main:docs_command", "Generate each scheme's documentation from its rules."),
    "due": Entry("reciprocity.cli.cases:due_command",
                 "What is overdue on a date, and what falls due next, across every case."),
    "ledger": Entry("reciprocity.cli.ledger:ledger_group",
                    "The partnership ledger: balances on a date, entries, corrections."),
    "offer": Entry("reciprocity.cli.main:offer_command",
                   "Assess whether the home in OFFER suits the household in REFERRAL (JSON or YAML files)."),
    "partner": Entry("reciprocity.cli.partners:partner_group",
                     "A scheme's partners: join, notice, withdraw, remove, named lead, stock, show."),
    "report": Entry("reciprocity.cli.report:report_command",
                    "A scheme's performance over a period: partners, referrals, circulations, offers, moves, "
                    "feedback, days from referral, partner activity and the ledger."),
    "schema": Entry("reciprocity.cli.main:schema_command", "Print the JSON Schema of a referral document."),
    "schemes": Entry("reciprocity.cli.main:schemes_command",
                     "List the schemes the installed plugins provide, and any plugin that failed to load."),
    "serve": Entry("reciprocity.cli.tokens:serve_command",
                   "Run the HTTP service on the store at --db (needs reciprocity[http]; the store must exist: "
                   "`reciprocity token create` makes one)."),
    "simulate": Entry("reciprocity.cli.simulate:simulate_command",
                      "Decide the referrals in CASELOAD (.jsonl, .csv or .parquet) under a scheme and a reform of it."),
    "store": Entry("reciprocity.cli.store:store_group",
                   "The event store itself: start, migrate, rebuild and verify it."),
    "test": Entry("reciprocity.cli.casefiles:test_command",
                  "Run the YAML test cases in PATHS (case files, or folders searched for *.yaml)."),
    "token": Entry("reciprocity.cli.tokens:token_group",
                   "API tokens for the HTTP service: create (shown once), list, revoke."),
}


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands by name, each imported the first time it is looked up; listing them
    (``in``, iteration, ``len``) imports nothing. A command added as an object is kept as given."""

    def __init__(self, entries: Mapping[str, Entry]) -> None:
        self._entries = dict(entries)
        self._loaded: dict[str, click.Command] = {}

    def pending(self, name: str) -> Entry | None:
        """``name``'s entry while its command is not imported yet; None once it is (or if it
        was added as an object, or is unknown)."""
        return None if name in self._loaded else self._entries.get(name)

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            target = self._entries[name].target
            module, _, attribute = target.partition(":")
            command = getattr(importlib.import_module(module), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{target} is not a click command")
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._entries.pop(name, None)
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._entries.pop(name, None)
        self._loaded.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._loaded or name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._entries, *self._loaded]))

    def __len__(self) -> int:
        return len(self._entries.keys() | self._loaded.keys())


def _quiet(error: click.UsageError) -> click.UsageError:
    """``error`` with a message that does not repeat what was typed: click quotes a refused
    name. Its own words otherwise: a missing option, an option without its value, and a path
    (files are named, as everywhere: the person needs to know which of them is wrong)."""
    if isinstance(error, click.BadParameter):
        from reciprocity.cli.options import OwnWords, expects  # noqa: PLC0415

        if isinstance(error, (OwnWords, click.MissingParameter)) or isinstance(
                getattr(error.param, "type", None), click.Path):
            return error
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


def _validation_error() -> type[ValidationError] | None:
    """pydantic's ValidationError, if pydantic is imported: a record can only have been refused
    by it if it was, and importing it only to find out would slow every command that does not
    use it."""
    core = sys.modules.get("pydantic_core")
    return core.ValidationError if core is not None else None


def _is_user_error(error: Exception) -> bool:
    """Whether ``error`` is the library's own error, an invalid record, or a file or encoding
    error: reported in a message (``_user_error``), not a traceback."""
    from reciprocity.errors import ReciprocityError  # noqa: PLC0415

    invalid = _validation_error()
    return isinstance(error, (ReciprocityError, OSError, UnicodeError)) or (
        invalid is not None and isinstance(error, invalid))


def _user_error(error: Exception) -> NoReturn:
    """End with ``error:`` and exit code 2 for a mistake the library or the system reported."""
    invalid = _validation_error()
    if invalid is not None and isinstance(error, invalid):
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

    # A case that kept changing under a command (CaseChangedError, after its own retries) is, like
    # a busy store, nothing the user typed wrong: try again.
    changing = type(error).__name__ == "CaseChangedError" and type(error).__module__ == "reciprocity.casework.cases"
    _fail(str(error), STORE_UNUSABLE if isinstance(error, StoreUnusableError) or changing else USER_ERROR)


class _Group(click.Group):
    """Turns the library's own errors, invalid records, file and encoding errors into a message
    and exit code 2, and click's usage errors into messages that do not repeat the input.

    Its commands are ``lazy_commands`` (a command's module is imported when it is looked up),
    listed in ``--help`` from their entries' lines until they are imported."""

    def __init__(self, *args: Any, lazy_commands: Mapping[str, Entry] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commands = LazyCommands(lazy_commands or {})
        commands.update(self.commands)
        self.commands = commands

    def _listed(self, ctx: click.Context, name: str) -> click.Command | None:
        """The command ``name`` as the listing in ``--help`` needs it: a stand-in with its
        entry's line while it is not imported, else the command itself."""
        entry = self.commands.pending(name) if isinstance(self.commands, LazyCommands) else None
        if entry is not None:
            return click.Command(name, help=entry.short_help)
        return self.get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's own listing of the commands (``click.Group.format_commands``), from
        ``_listed``: the same rows, with no command module imported to write them."""
        commands = []
        for name in self.list_commands(ctx):
            command = self._listed(ctx, name)
            if command is not None and not command.hidden:
                commands.append((name, command))
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section(gettext("Commands")):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in commands])

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as error:
            raise _quiet(error) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise _quiet(error) from None
        except Exception as error:
            if not _is_user_error(error):
                raise
            _user_error(error)


def _fail(message: str, code: int = 2) -> NoReturn:
    from reciprocity.cli.render import clean  # noqa: PLC0415

    click.echo(f"error: {clean(message)}", err=True)
    sys.exit(code)


class _EngineChoice(click.Choice):
    """``click.Choice(ENGINES)``, reading ``reciprocity.engines`` (which imports the rules and the
    models) when ``--engine`` is parsed or shown rather than when the command line starts."""

    def __init__(self, case_sensitive: bool = True) -> None:
        self.case_sensitive = case_sensitive

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        from reciprocity.engines import ENGINES  # noqa: PLC0415

        return ENGINES


def _date_value(ctx: click.Context | None, param: click.Parameter | None, value: str | None) -> date | None:
    """``reciprocity.cli.options.date_value``, imported when a date is given."""
    from reciprocity.cli.options import date_value  # noqa: PLC0415

    return date_value(ctx, param, value)


def load_document(path: Path) -> Any:
    """``reciprocity.inputs.load_document``, imported when a file is read (a name of this module,
    so a test can make reading fail)."""
    from reciprocity.inputs import load_document as load  # noqa: PLC0415

    return load(path)


def _decision_options(default_date: str) -> Callable[[F], F]:
    """The options every deciding command takes: --scheme, --on, --engine, --json."""

    def add(command: F) -> F:
        for option in reversed((
            click.option("--scheme", "scheme_id", required=True,
                         help="Scheme id, e.g. kent_rp (see `reciprocity schemes`)."),
            click.option("--on", "on", callback=_date_value, metavar="DATE",
                         help=f"Apply the rules in force on this date (YYYY-MM-DD); default: {default_date}."),
            click.option("--engine", type=_EngineChoice(), default="native", show_default=True,
                         help="Rules engine to evaluate with."),
            click.option("--json", "as_json", is_flag=True, help="Print the result as JSON."),
        )):
            command = option(command)
        return command

    return add


@click.group(cls=_Group, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="reciprocity")
def cli() -> None:
    """Check referrals against UK domestic-abuse housing reciprocal schemes."""


# The commands below are defined here but, like the others, reach ``cli`` through ``COMMANDS``.


@click.command("schemes")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def schemes_command(as_json: bool) -> None:
    """List the schemes the installed plugins provide, and any plugin that failed to load."""
    from reciprocity import plugins  # noqa: PLC0415
    from reciprocity.cli.render import console, render_schemes  # noqa: PLC0415

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


@click.command("check")
@click.argument("referral_file", metavar="REFERRAL", type=click.Path(path_type=Path, dir_okay=False))
@_decision_options("the referral date")
def check_command(referral_file: Path, scheme_id: str, on: date | None, engine: str, as_json: bool) -> None:
    """Decide whether the referral in REFERRAL (JSON or YAML) is eligible under a scheme."""
    from reciprocity import api  # noqa: PLC0415
    from reciprocity.cli.render import console, render_decision  # noqa: PLC0415

    document = load_document(referral_file)
    decision = api.evaluate(scheme_id, document, on=on, engine=engine)
    if as_json:
        click.echo(json.dumps(decision.to_dict(), indent=2, ensure_ascii=False))
    else:
        render_decision(console(wide=False), decision)


@click.command("offer")
@click.argument("referral_file", metavar="REFERRAL", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("offer_file", metavar="OFFER", type=click.Path(path_type=Path, dir_okay=False))
@_decision_options("the offer date")
def offer_command(
    referral_file: Path, offer_file: Path, scheme_id: str, on: date | None, engine: str, as_json: bool
) -> None:
    """Assess whether the home in OFFER suits the household in REFERRAL (JSON or YAML files)."""
    from reciprocity import api  # noqa: PLC0415
    from reciprocity.cli.render import console, render_decision  # noqa: PLC0415

    referral = load_document(referral_file)
    offer = load_document(offer_file)
    decision = api.assess_offer(scheme_id, referral, offer, on=on, engine=engine)
    if as_json:
        click.echo(json.dumps(decision.to_dict(), indent=2, ensure_ascii=False))
    else:
        render_decision(console(wide=False), decision)


@click.command("schema")
@click.option("--scheme", "scheme_id", default=None, metavar="ID",
              help="A referral to this scheme: its own fields (under extensions.ID) and harm types included.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write to a file instead.")
def schema_command(scheme_id: str | None, out: Path | None) -> None:
    """Print the JSON Schema of a referral document."""
    from reciprocity import api  # noqa: PLC0415

    text = json.dumps(api.referral_json_schema(scheme_id), indent=2)
    if out is None:
        click.echo(text)
    else:
        try:
            out.write_text(text + "\n", encoding="utf-8")
        except OSError as error:
            _fail(f"cannot write {out} ({error.strerror or type(error).__name__}); check the folder exists")
        click.echo(f"wrote {out}", err=True)


@click.command("docs")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("docs/schemes"),
              show_default=True, help="Directory to write one Markdown page per scheme into.")
@click.option("--reference", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the scheme author's reference (the core's facts, events, deadline and duty kinds, "
              "parties, areas file, ...) to this file instead of the scheme pages.")
def docs_command(out_dir: Path, reference: Path | None) -> None:
    """Generate each scheme's documentation from its rules.

    With --reference, write the scheme author's reference instead: generated from the library's
    own public names, so it does not depend on the schemes installed
    (`reciprocity docs --reference docs/scheme-authors.md`).
    """
    if reference is not None:
        from reciprocity.authoring import write_scheme_author_reference  # noqa: PLC0415

        try:
            write_scheme_author_reference(reference)
        except OSError as error:
            _fail(f"cannot write {reference} ({error.strerror or type(error).__name__}); check the folder exists")
        click.echo(f"wrote {reference}")
        return
    from reciprocity import plugins  # noqa: PLC0415
    from reciprocity.docgen import write_scheme_docs  # noqa: PLC0415

    try:
        written = write_scheme_docs(plugins.schemes(), out_dir)
    except OSError as error:
        _fail(f"cannot write into {out_dir} ({error.strerror or type(error).__name__})")
    for path in written:
        click.echo(f"wrote {path}")


def main() -> None:
    """Run the command line."""
    cli(prog_name="reciprocity")
