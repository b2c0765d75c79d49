"""``reciprocity ledger …``: placeholder, filled in below."""
import click

@click.group("ledger")
def ledger_group() -> None:
    """The scheme's ledger."""
