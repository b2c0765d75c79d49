"""The ``reciprocity`` command line."""

from reciprocity.cli.main import cli, main

__all__ = ["cli", "main"]
