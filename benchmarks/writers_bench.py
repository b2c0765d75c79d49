"""Several staff writing at once: events per second and latency, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/writers_bench.py [--writers 8] [--count 60] [--postgres URL]

Each writer is its own process with its own ``EventStore`` keeping the library's read models
(``CASES``, ``LEDGER``), as a member of staff's command line or a service worker does. Timing
starts once every writer has opened the store and attached the read models (a barrier), so the
figure is appends, not Python start-up. Two runs per backend:

- *different cases*: each writer appends to its own ten cases (the common case: staff working
  their own caseload). Target: at least 200 events/s on PostgreSQL, 100 on SQLite, p99 under
  250 ms.
- *same case*: every writer appends to one case with an ``expect`` check on the case's length
  (what a derived command does), retrying when it changed meanwhile (as ``Cases`` does, raising ``CaseChangedError`` after its retries); every
  conflict must be reported and retried, and none lost: the case ends with every event once.

The baseline printed beside them is one writer alone (the same appends, no contention), so the
ratio says how much the others slow each one down.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ON = date(2025, 12, 31)


class Changed(Exception):
    """The case changed between reading it and writing to it (what CaseChangedError reports)."""


def _writer(url: str, run_id: str, worker: int, count: int, same: bool, barrier: Any, out: Any) -> None:
    from reciprocity.casework.projection import CASES
    from reciprocity.ledger.projection import LEDGER
    from reciprocity.store import Event, EventStore

    latencies: list[float] = []
    conflicts = 0
    with EventStore(url) as store:
        store.maintain(CASES, LEDGER)
        barrier.wait()
        for i in range(count):
            stream = "case:bench-same" if same else f"case:bench-{run_id}-{worker}-{i % 10}"
            event = Event(f"bench-{run_id}-{worker}-{i}", stream, "note", ON, "coordinator", {"i": i})
            start = time.perf_counter()
            while True:
                seen = len(store.stream(stream)) if same else None

                def expect(history: Any, seen: int | None = seen) -> None:
                    if seen is not None and len(history) != seen:
                        raise Changed

                try:
                    store.append(event, expect=expect)
                    break
                except Changed:
                    conflicts += 1
            latencies.append(time.perf_counter() - start)
    out.put((latencies, conflicts))


def run(url: str, writers: int, count: int, same: bool) -> dict[str, float]:
    """Run ``writers`` processes of ``count`` appends each; events/s, p50/p99 latency, conflicts."""
    context = multiprocessing.get_context("spawn")
    queue: Any = context.Queue()
    barrier: Any = context.Barrier(writers + 1)
    procs = [context.Process(target=_writer, args=(url, f"{writers}", w, count, same, barrier, queue)) for w in range(writers)]
    for p in procs:
        p.start()
    barrier.wait()
    start = time.perf_counter()
    results = [queue.get() for _ in procs]
    wall = time.perf_counter() - start
    for p in procs:
        p.join()
    latencies = sorted(x for lat, _ in results for x in lat)
    return {"rate": len(latencies) / wall, "p50": latencies[len(latencies) // 2],
            "p99": latencies[max(int(len(latencies) * 0.99) - 1, 0)],
            "conflicts": sum(c for _, c in results)}


def _check_same(url: str, expected: int) -> None:
    from reciprocity.store import EventStore

    with EventStore(url) as store:
        history = store.stream("case:bench-same")
    ids = [r.event.event_id for r in history]
    if len(ids) != expected or len(set(ids)) != expected:
        raise SystemExit(f"same-case run lost or doubled events: {len(set(ids))} distinct of {expected}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--postgres", default="", help="also measure on this (emptied) PostgreSQL database URL")
    parser.add_argument("--only-postgres", action="store_true")
    args = parser.parse_args()
    from reciprocity.store import EventStore
    from store_bench import empty_postgres  # beside this script

    backends = ([] if args.only_postgres else ["sqlite"]) + (["postgresql"] if args.postgres else [])
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            for same in (False, True):
                if backend == "sqlite":
                    url = f"sqlite:///{Path(folder) / f'writers-{same}.db'}"
                else:
                    empty_postgres(args.postgres)
                    url = args.postgres
                EventStore(url).close()
                alone = run(url, 1, args.count, same)
                many = run(url, args.writers, args.count, same)
                label = "same case" if same else "different cases"
                print(f"{backend}, {args.writers} writers, {label}: {many['rate']:6.0f} events/s "
                      f"(one writer alone {alone['rate']:5.0f}, x{many['rate'] / alone['rate']:.2f}); "
                      f"p50 {many['p50'] * 1e3:.0f} ms, p99 {many['p99'] * 1e3:.0f} ms; "
                      f"conflicts retried {many['conflicts']}")
                if same:
                    _check_same(url, args.count * (args.writers + 1))


if __name__ == "__main__":
    main()
