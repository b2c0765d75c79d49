"""A demonstration: a simulated year of a scheme with invented partners and households.

``simulate(store, scheme_id="kent_rp", year=2025, seed=2025)`` plays the year through the
library's public services (partners join and leave, households are referred, checked,
circulated, offered homes and moved, the ledger records each move) and returns a
:class:`Summary`. ``reciprocity demo`` runs it and prints the year's report. Everything is
invented; the same seed gives the same year. The simulation loads when first used, so the
command line stays quick to start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reciprocity.demo.simulation import simulate
    from reciprocity.demo.summary import Summary

__all__ = ["DEFAULT_HOUSEHOLDS", "SCHEMES", "Summary", "simulate"]

#: The schemes the demonstration can play (each has its own process, played step by step).
SCHEMES = ("kent_rp", "kent_krs", "cambridgeshire")

#: Households referred in the year by default: realistic, and small enough to run in seconds.
DEFAULT_HOUSEHOLDS = 45


def __getattr__(name: str) -> Any:
    if name == "simulate":
        from reciprocity.demo.simulation import simulate  # noqa: PLC0415

        return simulate
    if name == "Summary":
        from reciprocity.demo.summary import Summary  # noqa: PLC0415

        return Summary
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
