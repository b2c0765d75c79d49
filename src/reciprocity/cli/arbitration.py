"""``reciprocity arbitration …``: placeholder."""
import click

@click.group("arbitration")
def arbitration_group() -> None:
    """Arbitration."""
