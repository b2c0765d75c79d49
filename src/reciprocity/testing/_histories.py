"""Strategies for whole case histories: event sequences a scheme's process accepts.

A history is played by the same simulation as ``reciprocity demo`` (partners join, households
are referred and walked through the scheme's process, offers assessed, moves entered in the
ledger) on an in-memory store, with the number of households and the seed drawn by
hypothesis; the strategy yields the events recorded, in the order the store recorded them.
Every sequence is one the process accepted, so replaying it anywhere must give the same cases
and the same ledger.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st

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
    ``reciprocity.casework.cases.Cases`` and ``reciprocity.ledger.service.Ledger``.
    """
    if max_households < 1:
        raise ValueError("max_households must be at least 1")
    return st.builds(_play, st.just(scheme_id), st.sampled_from(tuple(years)),
                     st.integers(0, 2**32 - 1), st.integers(1, max_households))
