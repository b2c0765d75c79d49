"""A writer process for the store's crash and concurrency tests (run as a script, not collected).

    python _writer.py STORE MODE STREAM ARG...

Each mode prints one line per step, flushed, so the parent can follow (and time a kill).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from reciprocity.store import Event, EventStore, Recorded


def event(stream: str, tag: str, i: int) -> Event:
    """The ``i``-th event a writer tagged ``tag`` appends (the parent rebuilds the same)."""
    return Event(
        event_id=f"{tag}-{i}",
        stream_id=stream,
        type="step",
        on=date(2026, 1, 1) + timedelta(days=i % 365),
        role="coordinator",
        payload={"i": i, "writer": tag, "note": "Ærø ✓ " * (i % 4), "ratio": i / 7,
                 "items": [{"n": n, "ok": n % 2 == 0} for n in range(i % 5)], "none": None},
    )


def wait_for(go: Path) -> None:
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.005)


class Refused(Exception):
    pass


def main(argv: Sequence[str]) -> None:
    path, mode, stream, *args = argv
    store = EventStore.at(path)
    if mode == "append":  # TAG COUNT GO: append COUNT events once GO exists
        tag, count, go = args[0], int(args[1]), Path(args[2])
        wait_for(go)
        for i in range(count):
            print(store.append(event(stream, tag, i)).seq, flush=True)
    elif mode == "capped":  # TAG COUNT CAP GO: try COUNT appends, each refused once CAP are in
        tag, count, cap, go = args[0], int(args[1]), int(args[2]), Path(args[3])

        def below_cap(existing: Sequence[Recorded]) -> None:
            if len(existing) >= cap:
                raise Refused

        wait_for(go)
        written = refused = 0
        for i in range(count):
            try:
                store.append(event(stream, tag, i), expect=below_cap)
                written += 1
            except Refused:
                refused += 1
        print(f"written {written} refused {refused}", flush=True)
    elif mode == "forever":  # TAG: append until killed, printing each committed seq
        tag = args[0]
        print("ready", flush=True)
        i = 0
        while True:
            print(store.append(event(stream, tag, i)).seq, flush=True)
            i += 1
    elif mode == "crash":  # OTHER_STREAM: commit 3 events, then die inside a batch
        other = args[0]
        for i in range(3):
            store.append(event(stream, "ok", i))
        print("committed 3", flush=True)
        calls: list[int] = []

        def die_on_third(existing: Sequence[Recorded]) -> None:
            calls.append(len(existing))
            if len(calls) == 3:  # two rows of this batch are inserted, not committed
                print(f"dying with {len(existing)} events visible", flush=True)
                os.kill(os.getpid(), signal.SIGKILL)

        store.append_many(
            [event(stream, "killed", 0), event(other, "killed", 1), event(stream, "killed", 2)],
            expect=die_on_third,
        )
        print("survived", flush=True)  # never reached
    else:
        raise SystemExit(f"unknown mode {mode}")
    store.close()


if __name__ == "__main__":
    main(sys.argv[1:])
