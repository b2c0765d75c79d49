"""The command line starts fast: ``import reciprocity`` and ``reciprocity --help`` import only what
they need (benchmarks/startup_bench.py measures the times).

``reciprocity --help`` lists the commands from ``reciprocity.cli.main.COMMANDS`` (each command's
module and the line shown for it) without importing any command module; the tests below hold that
list equal to the commands themselves, so it cannot drift from them. The import checks run in a
fresh interpreter: this process has imported everything already.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import os
import pkgutil
import subprocess
import sys
from typing import Any

import click
import pytest
from click.testing import CliRunner

import reciprocity
import reciprocity.cli
from reciprocity.cli import cli
from reciprocity.cli.main import COMMANDS, LazyCommands, _Group

#: Heavy libraries a start that only lists or describes must not import.
HEAVY = ("pydantic", "pydantic_core", "sqlalchemy", "fastapi", "starlette", "uvicorn", "durable", "numpy",
         "durable_rules_engine", "rich", "yaml", "matplotlib")
#: The modules the three built-in schemes (and any other installed scheme plugin) live in.
SCHEME_MODULES = sorted({ep.module.split(".")[0]
                         for ep in importlib.metadata.entry_points(group="reciprocity")})
COLUMNS = "80"


def _fresh(code: str) -> dict[str, Any]:
    """Run ``code`` in a new interpreter; its stdout and the modules it left imported."""
    script = (
        "import contextlib, io, json, sys\n"
        "out = io.StringIO()\n"
        "code = 0\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try:\n"
        + "".join(f"        {line}\n" for line in code.splitlines())
        + "    except SystemExit as exit:\n"
        "        code = exit.code or 0\n"
        "print(json.dumps({'code': code, 'out': out.getvalue(), 'modules': sorted(sys.modules)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          check=False, env={**os.environ, "COLUMNS": COLUMNS})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _cli(*args: str) -> dict[str, Any]:
    """``reciprocity ARGS`` in a new interpreter, started as the console script starts it."""
    return _fresh(f"sys.argv = ['reciprocity', *{list(args)!r}]\n"
                  "from reciprocity.cli import main\n"
                  "main()")


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in {*HEAVY, *SCHEME_MODULES}]


def _module(name: str) -> str:
    return COMMANDS[name].target.partition(":")[0]


def test_the_scheme_modules_are_known() -> None:
    """The checks below look for the scheme plugins' modules: they must find some to look for."""
    assert {"reciprocity_kent_rp", "reciprocity_kent_krs", "reciprocity_cambridgeshire"} <= set(SCHEME_MODULES)


def test_import_reciprocity_imports_no_library() -> None:
    """``import reciprocity`` is quick: it imports no models, rules, engines, plugins, store or
    rich; each public name is imported when it is first used."""
    ran = _fresh("import reciprocity")
    assert _heavy(ran["modules"]) == []
    assert [m for m in ran["modules"] if m.startswith("reciprocity")] == ["reciprocity"]


def test_help_imports_no_command_module() -> None:
    """``reciprocity --help`` starts in a fraction of a second: it imports no command module, no
    library module and none of pydantic, SQLAlchemy, FastAPI, durable_rules, rich or the
    scheme plugins."""
    ran = _cli("--help")
    assert ran["code"] == 0
    assert _heavy(ran["modules"]) == []
    assert [m for m in ran["modules"] if m.startswith("reciprocity")] == [
        "reciprocity", "reciprocity.cli", "reciprocity.cli.main"]


def test_a_command_imports_only_its_own_module() -> None:
    """``reciprocity case --help`` imports the case commands' module and not the other commands'
    (nor the scheme plugins): a command pays for what it uses, not for the whole command line."""
    ran = _cli("case", "--help")
    assert ran["code"] == 0 and "Usage: reciprocity case" in ran["out"]
    others = {_module(name) for name in COMMANDS} - {_module("case"), "reciprocity.cli.main"}
    assert _module("case") in ran["modules"]
    assert others.isdisjoint(ran["modules"])
    assert [m for m in ran["modules"] if m.split(".")[0] in SCHEME_MODULES] == []


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """``reciprocity --help`` lists every command with its line, exactly as click writes it from
    the commands themselves (the fresh process has imported none; this one has them all)."""
    ran = _cli("--help")
    listed = ran["out"].partition("\nCommands:\n")[2].splitlines()
    assert [line.split()[0] for line in listed if line.startswith("  ") and line[2] != " "] == sorted(COMMANDS)
    for name in COMMANDS:  # import every command, so this listing comes from the real ones
        cli.commands[name]  # noqa: B018
    monkeypatch.setenv("COLUMNS", COLUMNS)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit:
        cli.main(["--help"], prog_name="reciprocity")
    assert exit.value.code == 0
    assert ran["out"] == capsys.readouterr().out


def test_each_commands_line_is_its_help() -> None:
    """The line ``reciprocity --help`` shows for a command is the first sentence of the command's
    own help (a changed docstring fails here until COMMANDS is changed to match)."""
    for name, entry in COMMANDS.items():
        command = cli.commands[name]
        assert command.name == name, entry.target
        assert not command.hidden and not command.deprecated, f"{name}: the listing does not hide or mark it"
        assert entry.short_help == command.get_short_help_str(limit=10**6), name


@pytest.mark.parametrize("width", [50, 60, 80, 120, 400])
def test_the_listing_is_clicks_at_any_width(width: int) -> None:
    """At any terminal width, the commands listed before any is imported are the rows click
    writes from the commands themselves (each line shortened in the same place)."""
    lazy = _Group("reciprocity", lazy_commands=COMMANDS)
    real = click.Group("reciprocity", commands={name: cli.commands[name] for name in COMMANDS})
    written = []
    for group in (lazy, real):
        formatter = click.HelpFormatter(width=width)
        group.format_commands(click.Context(group), formatter)
        written.append(formatter.getvalue())
    assert written[0] == written[1]
    assert isinstance(lazy.commands, LazyCommands)
    assert all(lazy.commands.pending(name) is not None for name in COMMANDS), "listing imported a command"


def _defined_commands() -> set[click.Command]:
    """The top-level commands the command modules define: every click command at module level in
    ``reciprocity.cli.*`` that is not a subcommand of a group there, the root group aside."""
    found: set[click.Command] = set()
    for info in pkgutil.iter_modules(reciprocity.cli.__path__, "reciprocity.cli."):
        module = importlib.import_module(info.name)
        found |= {v for v in vars(module).values() if isinstance(v, click.Command)}
    subcommands = {sub for group in found if isinstance(group, click.Group) and group is not cli
                   for sub in group.commands.values()}
    return found - subcommands - {cli}


def test_the_registry_names_every_command_defined() -> None:
    """Every command a command module defines is reachable as ``reciprocity NAME`` (a new one
    fails here until it is added to COMMANDS), and COMMANDS names no command that does not exist."""
    registered = {name: cli.commands[name] for name in COMMANDS}
    assert set(registered.values()) == _defined_commands()
    assert sorted(cli.list_commands(click.Context(cli))) == sorted(COMMANDS)


def test_the_group_still_maps_its_commands() -> None:
    """``cli.commands`` is still the mapping of every command (the docs site's CLI page is built
    from it by mkdocs-click), and an unknown name is still a usage error."""
    assert set(cli.commands) == set(COMMANDS) and len(cli.commands) == len(COMMANDS)
    assert "check" in cli.commands and "nosuch" not in cli.commands
    assert dict(cli.commands.items())["check"] is cli.get_command(click.Context(cli), "check")
    result = CliRunner().invoke(cli, ["nosuch"])
    assert result.exit_code == 2 and "no such command" in result.output


def test_the_public_names_load_on_first_use() -> None:
    """``from reciprocity import evaluate`` and every name in ``reciprocity.__all__`` still work,
    ``dir(reciprocity)`` lists them, and each is the object its module defines."""
    assert set(reciprocity.__all__) <= set(dir(reciprocity))
    for name in reciprocity.__all__:
        assert getattr(reciprocity, name) is not None, name
    from reciprocity import Referral, evaluate  # noqa: PLC0415
    from reciprocity.api import evaluate as api_evaluate  # noqa: PLC0415
    from reciprocity.model import Referral as model_referral  # noqa: PLC0415

    assert evaluate is api_evaluate and Referral is model_referral
    assert reciprocity.errors.ReciprocityError is reciprocity.ReciprocityError
    with pytest.raises(AttributeError):
        reciprocity.no_such_name  # noqa: B018
