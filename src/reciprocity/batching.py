"""Helpers for work over many records at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a batch allocates many small objects with no
    reference cycles (decisions, referrals): each collection would rescan everything the batch
    keeps alive (measured: about 70% of evaluate_many's time, and three times the time of a
    100,000-row caseload read). Reference counting still frees them; the collector's previous
    state is restored on exit (the technique of Mercurial's ``util.nogc``). The pause is
    process-wide while the batch runs."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
