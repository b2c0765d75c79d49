"""Reads and writes on a store a partnership keeps for years: 200, 2,000 and 20,000 cases.

    .venv/bin/python benchmarks/store_bench.py [--sizes 200,2000,20000] [--postgres URL] [--keep DIR]

1. Builds each store reproducibly (seed 2025): the demo's year of kent_rp (``simulate``) is
   played once, then its cases are copied with new ids, each copy moved on by whole weeks
   (52 of them per copy, cycling over ten years), appended to the bare store, and the read
   models built from them (what ``store migrate`` does for a store from an older release).
2. Times, through the Python API (median of 3): ``Cases.summaries``, ``Cases.due``,
   ``build_report`` for a year, ``Ledger.balances`` and ``Cases.get`` (one case); and the same
   commands as a user types them (``due``, ``case list``, ``report --period``, ``ledger
   balances``, ``case show``) against ``python -c pass`` and ``reciprocity --help``.
3. Eight processes appending at once, each to its own cases, through a store keeping the read
   models: events per second and p99 latency.
Prints the growth from the smallest store to the largest (flat or logarithmic is the target).
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from reciprocity.store import Event, EventStore

ON = date(2025, 12, 31)
YEAR = "2025"
SCHEME = "kent_rp"


def template() -> list[Event]:
    from reciprocity.demo import simulate

    with EventStore("sqlite://") as memory:
        simulate(memory, scheme_id=SCHEME, year=2025, seed=2025, households=200)
        return [r.event for r in memory.all()]


def _renamed(text: str, suffix: str) -> str:
    return text + suffix


def copies(events: list[Event], cases: int) -> list[Event]:
    """``events``'s partners once, then its cases (and their ARC claims and ledger entries)
    copied until there are ``cases`` of them."""
    partners = [e for e in events if e.stream_id.startswith("partner:")]
    rest = [e for e in events if not e.stream_id.startswith("partner:")]
    per_copy = sum(1 for e in rest if e.type == "refer")
    out = list(partners)
    k = 0
    made = 0
    while made < cases:
        shift = timedelta(weeks=52 * (k % 10))
        suffix = f"x{k}"
        keep = None
        if made + per_copy > cases:
            keep = {e.stream_id for e in rest if e.type == "refer"}
            keep = set(sorted(keep)[: cases - made])
        for e in rest:
            if keep is not None and e.stream_id.startswith("case:") and e.stream_id not in keep:
                continue
            stream = e.stream_id if e.stream_id.startswith("ledger:") else _renamed(e.stream_id, suffix)
            payload = dict(e.payload)
            if "case" in payload and isinstance(payload["case"], str):
                payload["case"] = _renamed(payload["case"], suffix)
            out.append(Event(_renamed(e.event_id, suffix), stream, e.type, e.on + shift, e.role, payload))
        made += per_copy if keep is None else len(keep)
        k += 1
    return out


def build(url: str, events: list[Event]) -> float:
    from reciprocity.casework.cases import Cases

    start = time.perf_counter()
    with EventStore(url) as bare:
        for i in range(0, len(events), 5000):
            bare.append_many(events[i:i + 5000])
    with EventStore(url) as store:
        Cases(store)  # builds the read models
    return time.perf_counter() - start


def median(fn: Callable[[], Any], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def api_times(url: str) -> dict[str, float]:
    from reciprocity.casework.cases import Cases
    from reciprocity.ledger.service import Ledger
    from reciprocity.reports import build_report, parse_period

    with EventStore(url) as store:
        cases = Cases(store)
        one = cases.summaries()[-1].case_id
        return {
            "case list": median(lambda: cases.summaries(limit=50)),
            "case list (all)": median(lambda: cases.summaries()),
            "due": median(lambda: cases.due(on=ON)),
            "report --period": median(lambda: build_report(store, SCHEME, parse_period(YEAR))),
            "ledger balances": median(lambda: Ledger(store).balances(SCHEME, on=ON)),
            "case show": median(lambda: cases.get(one)),
        }


def cli_times(url: str) -> dict[str, float]:
    exe = str(Path(sys.executable).with_name("reciprocity"))
    with EventStore(url) as store:
        from reciprocity.casework.cases import Cases

        one = Cases(store).summaries()[-1].case_id
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "reciprocity --help": [exe, "--help"],
        "due": [exe, "due", "--on", ON.isoformat(), "--json", "--db", url],
        "case list": [exe, "case", "list", "--limit", "50", "--json", "--db", url],
        "report --period": [exe, "report", "--scheme", SCHEME, "--period", YEAR, "--format", "json", "--db", url],
        "ledger balances": [exe, "ledger", "balances", "--scheme", SCHEME, "--on", ON.isoformat(), "--json",
                            "--db", url],
        "case show": [exe, "case", "show", one, "--json", "--db", url],
    }
    return {name: median(lambda argv=argv: subprocess.run(argv, check=True, capture_output=True), repeat=2)
            for name, argv in commands.items()}


def _writer(url: str, worker: int, count: int, out: Any) -> None:
    from reciprocity.casework.projection import CASES
    from reciprocity.ledger.projection import LEDGER

    latencies = []
    with EventStore(url) as store:
        store.maintain(CASES, LEDGER)
        for i in range(count):
            event = Event(f"bench-{worker}-{i}", f"case:bench-{worker}-{i % 10}", "note", ON, "coordinator",
                          {"i": i})
            start = time.perf_counter()
            store.append(event)
            latencies.append(time.perf_counter() - start)
    out.put(latencies)


def concurrent_writers(url: str, writers: int = 8, count: int = 60) -> tuple[float, float]:
    queue: Any = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_writer, args=(url, w, count, queue)) for w in range(writers)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    latencies = [x for _ in procs for x in queue.get()]
    for p in procs:
        p.join()
    wall = time.perf_counter() - start
    latencies.sort()
    return len(latencies) / wall, latencies[int(len(latencies) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="200,2000,20000")
    parser.add_argument("--postgres", default="", help="also measure on this (emptied) PostgreSQL database URL")
    parser.add_argument("--no-cli", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    base = template()
    backends = ["sqlite"] + (["postgresql"] if args.postgres else [])
    for backend in backends:
        results: dict[int, tuple[dict[str, float], dict[str, float]]] = {}
        with tempfile.TemporaryDirectory() as folder:
            for size in sizes:
                if backend == "sqlite":
                    url = f"sqlite:///{Path(folder) / f'store-{size}.db'}"
                else:
                    empty_postgres(args.postgres)
                    url = args.postgres
                events = copies(base, size)
                built = build(url, events)
                api = api_times(url)
                cli = {} if args.no_cli else cli_times(url)
                results[size] = (api, cli)
                print(f"{backend}, {size} cases ({len(events)} events; built in {built:.1f} s)")
                for name, seconds in api.items():
                    line = f"  API {name:18s} {seconds * 1e3:8.1f} ms"
                    if name in cli:
                        line += f"   CLI {cli[name]:6.2f} s"
                    print(line)
                for name in ("python -c pass", "reciprocity --help"):
                    if name in cli:
                        print(f"  CLI {name:18s} {cli[name]:6.2f} s")
                rate, p99 = concurrent_writers(url)
                print(f"  8 concurrent writers: {rate:6.0f} events/s, p99 {p99 * 1e3:.0f} ms")
        small, large = min(sizes), max(sizes)
        print(f"{backend}: growth from {small} to {large} cases (API time ratio)")
        for name in results[small][0]:
            print(f"  {name:18s} x{results[large][0][name] / max(results[small][0][name], 1e-9):.1f}")


def empty_postgres(url: str) -> None:
    """Drop the store's tables (and its read models') from the PostgreSQL database at ``url``."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        names = sa.inspect(connection).get_table_names()  # the store's and its read models', whichever schema made them
        if names:
            connection.exec_driver_sql(f"DROP TABLE {', '.join(names)} CASCADE")
    engine.dispose()


if __name__ == "__main__":
    main()
