"""Strategies for whole case histories: event sequences a scheme's process accepts.

A history is played by the same simulation as ``reciprocity demo`` (partners join, households
are referred and walked through the scheme's process, offers assessed, moves entered in the
ledger) on an in-memory store, with the number of households and the seed drawn by
hypothesis; the strategy yields the events recorded, in the order the store recorded them.
Every sequence is one the process accepted, so replaying it anywhere must give the same cases
and the same ledger.

Any loaded scheme that declares a case process and a partnership can be played: the simulation
reads its areas, process, partnership and rules (and its optional simulation hints, see
:class:`reciprocity.demo.SimulationHints`).
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

__all__ = ["case_event_sequences"]


def _play(scheme_id: str, year: int, seed: int, households: int) -> tuple[object, ...]:
    from reciprocity.demo import simulate  # noqa: PLC0415
    from reciprocity.store import EventStore  # noqa: PLC0415

    with EventStore("sqlite://") as store:
        simulate(store, scheme_id=scheme_id, year=year, seed=seed, households=households)
        return tuple(r.event for r in store.all())


def case_event_sequences(scheme_id: str, *, max_households: int = 4,
                         years: Sequence[int] = (2025, 2026)) -> st.SearchStrategy[tuple[object, ...]]:
    """Returns a strategy which generates event sequences (tuples of ``reciprocity.store.Event``)
    of a year of ``scheme_id``: its partners' membership, up to ``max_households`` cases
    through the process, and the ledger entries. It shrinks towards one household, the first
    of ``years`` and seed 0.

    Replay them with ``EventStore.append_many`` and read them back with
    ``reciprocity.casework.cases.Cases`` and ``reciprocity.ledger.service.Ledger``. The scheme
    must be loaded and declare a case process and a partnership (InvalidArgument otherwise,
    when the strategy is first used).
    """
    if max_households < 1:
        raise ValueError("max_households must be at least 1")

    def build_strategy() -> st.SearchStrategy[tuple[object, ...]]:
        _check(scheme_id, years)
        return st.builds(_play, st.just(scheme_id), st.sampled_from(tuple(years)),
                         st.integers(0, 2**32 - 1), st.integers(1, max_households))

    return st.deferred(build_strategy)


def _check(scheme_id: str, years: Sequence[int]) -> None:
    """InvalidArgument unless the demonstration can play ``scheme_id`` in every one of ``years``."""
    from datetime import date  # noqa: PLC0415

    import reciprocity  # noqa: PLC0415
    from reciprocity.demo.playbook import playable  # noqa: PLC0415
    from reciprocity.errors import UnknownSchemeError  # noqa: PLC0415

    if not years:
        raise InvalidArgument("years must name at least one year")
    try:
        scheme = reciprocity.get_scheme(scheme_id)
    except UnknownSchemeError as error:
        raise InvalidArgument(str(error)) from None
    for year in years:
        if (why := playable(scheme, date(year, 1, 1))) is not None:
            raise InvalidArgument(f"case_event_sequences plays a scheme's process and partnership: {why}")
