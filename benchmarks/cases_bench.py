"""What recording a case event costs, against the store's own append, in the same run.

    .venv/bin/python benchmarks/cases_bench.py [--scheme kent_rp]

1. Plays the demo's year (``reciprocity.demo.simulate``) on an in-memory store: every event goes
   through the case, partner and ledger services (process check, guards, replay of the case).
2. Baseline: the same events appended one by one to a fresh in-memory store (no checks).
3. The same raw appends to a SQLite file (WAL, synchronous=FULL): the cost of durability.
4. The whole ``reciprocity demo`` command as a user runs it.
Prints each time and the ratios against the baseline.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reciprocity.demo import simulate
from reciprocity.store import EventStore


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scheme", default="kent_rp")
    args = parser.parse_args()
    with EventStore("sqlite://") as store:
        start = time.perf_counter()
        simulate(store, scheme_id=args.scheme)
        services = time.perf_counter() - start
        events = [r.event for r in store.all()]
    with EventStore("sqlite://") as bare:
        start = time.perf_counter()
        for event in events:
            bare.append(event)
        baseline = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder, EventStore.at(Path(folder) / "bench.db") as on_disk:
        start = time.perf_counter()
        for event in events:
            on_disk.append(event)
        durable = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).with_name("reciprocity")), "demo", "--scheme", args.scheme],
                   check=True, capture_output=True)
    command = time.perf_counter() - start
    n = len(events)
    print(f"{args.scheme}: {n} events in the simulated year")
    print(f"  raw append, in memory (baseline)   {baseline * 1e3 / n:7.2f} ms/event")
    print(f"  through the services, in memory    {services * 1e3 / n:7.2f} ms/event  "
          f"({services / baseline:.1f}x the baseline)")
    print(f"  raw append, SQLite file            {durable * 1e3 / n:7.2f} ms/event  "
          f"({durable / baseline:.1f}x the baseline)")
    print(f"  `reciprocity demo` command          {command:6.2f} s  (target: under 10 s)")


if __name__ == "__main__":
    main()
