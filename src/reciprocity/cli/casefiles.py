"""``reciprocity test PATH...``: run readable YAML test cases (see docs/test-cases.md).

Prints PASS or FAIL for each case and, for a failure, each finding that differs from what the
case expects (or why the case cannot be decided: no rule of its scheme in force on its date).
A case that is not valid is printed as ERROR with its wrong fields, and a file that is not a
case file at all as ERROR with the file's problem; the other cases and files still run.
Exit code 0 when every case passes, 1 when a case fails, 2 when a case is not valid or a file
is malformed (bad input, whether or not a case also failed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from reciprocity.cli.render import plain, safe
from reciprocity.errors import InputProblem, InvalidInputError

__all__ = ["test_command"]

FAILED = 1
MALFORMED = 2


@click.command("test")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def test_command(paths: tuple[Path, ...]) -> None:
    """Run the YAML test cases in PATHS (case files, or folders searched for *.yaml).

    Each case gives a referral and the outcome and findings a scheme should reach; see
    docs/test-cases.md. Exit code 0: all pass; 1: a case fails; 2: a case is not valid or a
    case file is malformed (the other cases still run).
    """
    from reciprocity.casefiles import InvalidCase, case_files, load_cases, run_case  # noqa: PLC0415

    console = Console(highlight=False, soft_wrap=True, emoji=False)
    files = case_files(paths)
    if not files:
        raise InvalidInputError("test case path", [InputProblem(
            ", ".join(str(p) for p in paths), "holds no .yaml case files", "give case files or their folders")])
    malformed = invalid = failed = passed = 0
    for path in files:
        try:
            cases = load_cases(path)
        except InvalidInputError as error:
            malformed += 1
            console.print(f"[bold magenta]ERROR[/] {safe(path)}")
            console.print(plain(error, style="magenta"))
            continue
        for case in cases:
            if isinstance(case, InvalidCase):
                invalid += 1
                console.print(f"[bold magenta]ERROR[/] {safe(case.label)}")
                for problem in case.problems:
                    console.print(plain(f"      {problem}", style="magenta"))
                continue
            result = run_case(case)
            if result.passed:
                passed += 1
                console.print(f"[green]PASS[/]  {safe(case.label)}")
            else:
                failed += 1
                console.print(f"[bold red]FAIL[/]  {safe(case.label)}")
                for line in result.report().splitlines():
                    console.print(plain(f"      {line}"))
    tally = f"{passed} passed, {failed} failed"
    if invalid:
        tally += f", {invalid} invalid case(s)"
    if malformed:
        tally += f", {malformed} malformed file(s)"
    colour = "green" if not (failed or invalid or malformed) else "red"
    console.print(f"[bold {colour}]{tally}[/]")
    if malformed or invalid:
        sys.exit(MALFORMED)
    if failed:
        sys.exit(FAILED)
