"""``reciprocity demo``: a simulated year of a scheme on the embedded store, and its report."""

from __future__ import annotations

import click

__all__ = ["demo_command"]


@click.command("demo")
def demo_command() -> None:
    """Simulate a year of a scheme with invented partners and households, and print its report."""
    click.echo("reciprocity demo is being written (issue 6)")
