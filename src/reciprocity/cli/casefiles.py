"""``reciprocity test PATH...``: run readable YAML test cases (see docs/test-cases.md)."""

from __future__ import annotations

import click

__all__ = ["test_command"]


@click.command("test")
@click.argument("paths", nargs=-1, required=True)
def test_command(paths: tuple[str, ...]) -> None:
    """Run the YAML test cases in PATHS (files, or folders searched for *.yaml)."""
    raise click.UsageError("not implemented yet")
