"""A demonstration: a simulated year of a scheme with invented partners and households.

``simulate(store, scheme_id="kent_rp", year=2025, seed=2025)`` plays the year through the
library's public services (partners join and leave, households are referred, checked,
circulated, offered homes and moved, the ledger records each move) and returns a
:class:`Summary`. ``reciprocity demo`` runs it and prints the year's report. Everything is
invented; the same seed gives the same year.

Any installed scheme that declares a case process and a partnership can be played
(:func:`schemes` lists them): the year follows its areas, its process (who may do what, in
which states), its partnership and its rules. A scheme may add :class:`SimulationHints`
(``Scheme(..., simulation=SimulationHints(...))``) so that its invented referrals and offers
look like its own forms. The simulation loads when first used, so the command line stays
quick to start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reciprocity.demo.hints import OfferDraft, ReferralDraft, SimulationHints, Stage
    from reciprocity.demo.simulation import simulate
    from reciprocity.demo.summary import Summary

__all__ = [
    "DEFAULT_HOUSEHOLDS", "OfferDraft", "ReferralDraft", "SimulationHints", "Stage", "Summary", "schemes", "simulate",
]

#: Households referred in the year by default: realistic, and small enough to run in seconds.
DEFAULT_HOUSEHOLDS = 45

_LAZY = {
    "simulate": "reciprocity.demo.simulation",
    "Summary": "reciprocity.demo.summary",
    "SimulationHints": "reciprocity.demo.hints",
    "Stage": "reciprocity.demo.hints",
    "ReferralDraft": "reciprocity.demo.hints",
    "OfferDraft": "reciprocity.demo.hints",
}


def schemes() -> tuple[str, ...]:
    """The ids of the installed schemes the demonstration can play (those declaring a case
    process and a partnership), in id order. Loads the scheme plugins."""
    from datetime import date  # noqa: PLC0415

    from reciprocity.demo.playbook import playable  # noqa: PLC0415
    from reciprocity.plugins import schemes as installed  # noqa: PLC0415

    today = date.today()  # noqa: DTZ011 - which schemes exist, not a decision's date
    return tuple(s.id for s in installed() if playable(s, today) is None)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib  # noqa: PLC0415

    return getattr(importlib.import_module(module), name)
