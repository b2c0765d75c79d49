"""HTTP service benchmark for reciprocity: run `python benchmarks/http_bench.py` (not part of the tests).

Starts the service (`reciprocity.http.create_app` on a temporary SQLite store) under uvicorn,
one worker, on a free loopback port in a subprocess, and drives it with an asyncio load
generator (httpx.AsyncClient, a bounded number of requests in flight, a fixed number of
requests, after a warm-up). Prints, from one run on this machine:
  (a) POST /schemes/kent_rp/check: requests/s, latency p50/p95/p99, server and client CPU per
      request; the same requests from a minimal asyncio-streams HTTP/1.1 client as a cross-check
      (httpx itself costs more CPU per request than the server does);
  (b) the same decisions in process (`reciprocity.api.evaluate` on the same dicts): the baseline;
      ratio a/b (HTTP per-request time over in-process per-decision time) and the targets;
      a decision request's steps timed in process: body parse, validation, evaluate, to_dict,
      response model;
  (c) case work on SQLite: POST /cases (nominating officer) then POST /cases/{id}/check
      (coordinator) on each case, events/s and latency, against the same commands in process.

The load generator and the server share the machine's cores: the figures are what one client
process can drive, and the server's own CPU per request is printed beside them.

Options: --quick (smaller counts, a smoke run), --concurrency N (requests in flight),
--profile (run the server under cProfile and print its top functions; slows the server down),
--variants (also time the check route declared `async def`, a variant built in this file).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import json
import os
import pstats
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from bench import (  # this folder's own benchmark: the same machine line and variants
    machine,
    per_call,
    variant,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kent_rp_referral.json"
TODAY = date(2026, 12, 3)
TARGET_RPS = 1500
TARGET_P99_MS = 20.0


# --- the store: Kent RP's partners and two tokens (as tests/service/conftest.py) -----------------


def partner(pid: str, kind: str, *areas: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": pid, "kind": kind, "stock_areas": list(areas), "data_sharing_protocol_signatory": True}
    if kind == "local_authority":
        out["authority_area"] = areas[0]
    return out


KENT_RP_PARTNERS = [
    partner("orchard_housing", "registered_provider", "maidstone", "swale", "canterbury"),  # the nominator
    partner("coast_homes", "registered_provider", "thanet", "dover"),
    partner("weald_homes", "registered_provider", "dover", "maidstone"),
    partner("dover_dc", "local_authority", "dover"),
]
ACTORS = {"coordinator": ("coordinator", "coordinator"), "officer": ("orchard_housing", "nominating_officer")}


def make_store(path: Path) -> dict[str, dict[str, str]]:
    """A store at ``path`` with Kent RP's partners joined; a bearer header per actor."""
    from reciprocity.access import Tokens  # noqa: PLC0415
    from reciprocity.casework import Actor  # noqa: PLC0415
    from reciprocity.partnership.service import Partners  # noqa: PLC0415
    from reciprocity.store import EventStore  # noqa: PLC0415

    store = EventStore.at(path)
    try:
        register = Partners(store)
        for p in KENT_RP_PARTNERS:
            register.join("kent_rp", p, on=date(2021, 1, 1), actor=("coordinator", "coordinator"))
        tokens = Tokens(store)
        headers = {}
        for name, (pid, role) in ACTORS.items():
            issued = tokens.create("kent_rp", pid, role, on=date(2026, 1, 1), actor=Actor.coordinator())
            headers[name] = {"Authorization": f"Bearer {issued.secret}"}
    finally:
        store.close()
    return headers


# --- referrals ----------------------------------------------------------------------------------


def referral_docs(count: int, seed: int = 20261203) -> list[dict[str, Any]]:
    """The example referral and ``count - 1`` variants of it (eligible, ineligible, incomplete)."""
    import reciprocity  # noqa: PLC0415

    rng = random.Random(seed)
    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    areas = sorted(a.id for a in reciprocity.get_scheme("kent_rp").areas)
    docs = [base]
    for _ in range(count - 1):
        docs.append(variant(rng, base, areas))
    return docs


# --- the server ---------------------------------------------------------------------------------


def async_check_route() -> Any:
    """For ``--variants``: POST /schemes/{scheme_id}/check as the service has it (same body
    reader, same response model, same call) but declared ``async def``, so that FastAPI runs it
    on the event loop instead of sending it, and its response validation, to the thread pool."""
    from fastapi import APIRouter  # noqa: PLC0415

    from reciprocity import api  # noqa: PLC0415
    from reciprocity.http.body import SafeJSONRoute  # noqa: PLC0415
    from reciprocity.http.schemas import DecisionView  # noqa: PLC0415
    from reciprocity.model import Referral  # noqa: PLC0415

    async def check(scheme_id: str, referral: Referral) -> dict[str, Any]:
        return api.evaluate(scheme_id, referral).to_dict()

    # This module's annotations are strings (PEP 563) naming local imports: give FastAPI the types.
    check.__annotations__ = {"scheme_id": str, "referral": Referral, "return": dict[str, Any]}
    router = APIRouter(route_class=SafeJSONRoute)
    router.add_api_route("/schemes/{scheme_id}/check", check, methods=["POST"], response_model=DecisionView)
    return router.routes[0]


def serve(port: int, db: str, profile: str | None, variant: str | None = None) -> None:
    """Run in the subprocess: the service under uvicorn, one worker, until SIGTERM."""
    import uvicorn  # noqa: PLC0415

    from reciprocity.http import create_app  # noqa: PLC0415

    app = create_app(db, today=lambda: TODAY)
    if variant == "async-check":
        app.router.routes.insert(0, async_check_route())  # matched before the service's own route
    config = uvicorn.Config(app, host="127.0.0.1", port=port, workers=1, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    # uvicorn re-raises a captured SIGTERM after its graceful shutdown, with the handler found
    # at start: make that handler a clean exit, so that `finally` blocks (the profile) run.
    signal.signal(signal.SIGTERM, _exit)
    if profile is None:
        server.run()
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        server.run()
    finally:
        profiler.disable()
        profiler.dump_stats(profile)


def _exit(_signum: int, _frame: Any) -> None:
    raise SystemExit(0)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(db: Path, profile: str | None = None, variant: str | None = None) -> Iterator[tuple[str, int]]:
    """The service in a subprocess: yields (base URL, pid); always stopped on the way out."""
    port = free_port()
    command = [sys.executable, str(Path(__file__).resolve()), "--serve", str(port), str(db)]
    if profile:
        command += ["--profile-to", profile]
    if variant:
        command += ["--variant", variant]
    proc = subprocess.Popen(command, cwd=ROOT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with {proc.returncode} before it answered")
            try:
                if httpx.get(f"{base}/schemes", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer within 60 s")
            time.sleep(0.1)
        yield base, proc.pid
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # uvicorn shuts down gracefully (and a profile is written)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def machine_busy() -> float:
    """CPU seconds every process on the machine has used so far (all cores)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the load generator -------------------------------------------------------------------------

Request = tuple[str, bytes, dict[str, str]]


async def drive(base: str, requests: list[Request], concurrency: int, expect: int,
                keep: int = 0) -> tuple[float, list[float], list[bytes]]:
    """POST every request with at most ``concurrency`` in flight; (elapsed s, latencies s, first
    ``keep`` bodies). Every response must have status ``expect``."""
    latencies = [0.0] * len(requests)
    kept: list[bytes] = [b""] * min(keep, len(requests))
    wrong: list[str] = []
    work = iter(enumerate(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def worker() -> None:
            for i, (url, body, headers) in work:
                start = time.perf_counter()
                response = await client.post(url, content=body, headers=headers)
                latencies[i] = time.perf_counter() - start
                if response.status_code != expect:
                    wrong.append(f"{url}: {response.status_code} {response.text[:300]}")
                if i < keep:
                    kept[i] = response.content

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    if wrong:
        raise AssertionError(f"{len(wrong)} of {len(requests)} responses were not {expect}; first: {wrong[0]}")
    return elapsed, latencies, kept


async def drive_raw(base: str, requests: list[Request], concurrency: int, expect: int,
                    keep: int = 0) -> tuple[float, list[float], list[bytes]]:
    """As :func:`drive`, with a minimal HTTP/1.1 client on asyncio streams (one keep-alive
    connection per worker, Content-Length bodies only): a cross-check whose own cost per request
    is a small fraction of httpx's, so that it shows what the server does when the client is cheap."""
    host, port = base.removeprefix("http://").split(":")
    latencies = [0.0] * len(requests)
    wrong: list[str] = []
    work = iter(enumerate(requests))
    status = f"HTTP/1.1 {expect} ".encode()

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for i, (url, body, headers) in work:
                head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
                message = (f"POST {url} HTTP/1.1\r\nhost: {host}\r\n{head}content-length: {len(body)}\r\n\r\n"
                           .encode() + body)
                start = time.perf_counter()
                writer.write(message)
                response = await reader.readuntil(b"\r\n\r\n")
                length = next(int(h.split(b":", 1)[1]) for h in response.split(b"\r\n")
                              if h.lower().startswith(b"content-length:"))
                await reader.readexactly(length)
                latencies[i] = time.perf_counter() - start
                if not response.startswith(status):
                    wrong.append(f"{url}: {response[:40]!r}")
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    if wrong:
        raise AssertionError(f"{len(wrong)} of {len(requests)} responses were not {expect}; first: {wrong[0]}")
    return elapsed, latencies, []


def pct(values: list[float], q: float) -> float:
    """The ``q``-th percentile of ``values`` (nearest rank), in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))] * 1e3


def measured(base: str, pid: int, requests: list[Request], concurrency: int, expect: int,
             keep: int = 0, client: Callable[..., Any] = drive) -> dict[str, Any]:
    """One timed run of ``requests``, with the server's and this process's CPU over it."""
    server_before, client_before, busy_before = cpu_seconds(pid), time.process_time(), machine_busy()
    elapsed, latencies, kept = asyncio.run(client(base, requests, concurrency, expect, keep))
    n = len(requests)
    server, client_cpu = cpu_seconds(pid) - server_before, time.process_time() - client_before
    return {
        "others": max(0.0, machine_busy() - busy_before - server - client_cpu) / elapsed * 100,
        "n": n, "elapsed": elapsed, "rate": n / elapsed, "latencies": latencies, "kept": kept,
        "p50": pct(latencies, 50), "p95": pct(latencies, 95), "p99": pct(latencies, 99),
        "max": max(latencies) * 1e3,
        "server_cpu_us": server / n * 1e6,
        "client_cpu_us": client_cpu / n * 1e6,
    }


def line(label: str, m: dict[str, Any], unit: str = "requests/s") -> str:
    return (f"  {label:<34} {m['n']:>6,} in {m['elapsed']:5.2f} s = {m['rate']:7,.0f} {unit}; "
            f"p50 {m['p50']:5.1f} ms, p95 {m['p95']:5.1f} ms, p99 {m['p99']:5.1f} ms, max {m['max']:5.1f} ms; "
            f"CPU per request: server {m['server_cpu_us']:,.0f} us, client {m['client_cpu_us']:,.0f} us; "
            f"other processes {m['others']:.0f}% of a core")


# --- in process ---------------------------------------------------------------------------------


def pieces(docs: list[dict[str, Any]], repeat: int) -> dict[str, float]:
    """Microseconds per request of each step the service takes for a decision, in process."""
    from fastapi.encoders import jsonable_encoder  # noqa: PLC0415
    from pydantic import TypeAdapter  # noqa: PLC0415

    from reciprocity import api  # noqa: PLC0415
    from reciprocity.documents import parse_document  # noqa: PLC0415
    from reciprocity.http.schemas import DecisionView  # noqa: PLC0415
    from reciprocity.model import Referral  # noqa: PLC0415

    texts = [json.dumps(d) for d in docs]
    models = [Referral.model_validate(d) for d in docs]
    decisions = [api.evaluate("kent_rp", m) for m in models]
    dicts = [d.to_dict() for d in decisions]
    view = TypeAdapter(DecisionView)
    views = [view.validate_python(d) for d in dicts]
    return {
        "json.loads (for comparison)": per_call(json.loads, texts, repeat),
        "parse body (parse_document)": per_call(lambda t: parse_document(t, name="the request body", kind="json"),
                                                texts, repeat),
        "validate (Referral)": per_call(Referral.model_validate, docs, repeat),
        "evaluate (model)": per_call(lambda m: api.evaluate("kent_rp", m), models, repeat),
        "Decision.to_dict()": per_call(lambda m: api.evaluate("kent_rp", m).to_dict(), models, repeat)
        - per_call(lambda m: api.evaluate("kent_rp", m), models, repeat),
        "response model: validate": per_call(view.validate_python, dicts, repeat),
        "response model: dump_json": per_call(view.dump_json, views, repeat),
        "jsonable_encoder (for comparison)": per_call(jsonable_encoder, dicts, repeat),
    }


def casework_in_process(path: Path, referral: dict[str, Any], n: int) -> dict[str, float]:
    """Microseconds per event of the same case work in process, on a SQLite file of its own: the
    library's command and the case view the service returns; and one token's authentication."""
    from reciprocity.access import Tokens  # noqa: PLC0415
    from reciprocity.casework import Actor  # noqa: PLC0415
    from reciprocity.casework.cases import Cases  # noqa: PLC0415
    from reciprocity.casework.views import case_view  # noqa: PLC0415
    from reciprocity.store import EventStore  # noqa: PLC0415

    headers = make_store(path)
    store = EventStore.at(path, create=False)
    try:
        cases = Cases(store)
        officer, coordinator = Actor("orchard_housing", "nominating_officer"), Actor.coordinator()
        on = date(2026, 3, 3)
        out = {}
        start = time.perf_counter()
        for i in range(n):
            case_view(cases.new("kent_rp", referral, actor=officer, case_id=f"P{i}"), cases)
        out["open: Cases.new + case_view"] = (time.perf_counter() - start) / n * 1e6
        start = time.perf_counter()
        for i in range(n):
            case_view(cases.check(f"P{i}", on=on, actor=coordinator), cases)
        out["check: Cases.check + case_view"] = (time.perf_counter() - start) / n * 1e6
        state = cases.get("P0")
        out["case_view alone"] = per_call(lambda _: case_view(state, cases), list(range(200)))
        secret = headers["coordinator"]["Authorization"].removeprefix("Bearer ")
        out["authenticate a token"] = per_call(lambda _: Tokens(store).authenticate(secret), list(range(200)))
    finally:
        store.close()
    return out


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def print_profile(path: str, top: int = 25) -> None:
    stats = pstats.Stats(path)
    print()
    print(f"server profile (cProfile, top {top} by cumulative time):")
    stats.sort_stats("cumulative").print_stats(top)
    print(f"server profile (top {top} by own time):")
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts, for a smoke run")
    parser.add_argument("--concurrency", type=int, default=24, help="requests in flight (default 24)")
    parser.add_argument("--profile", action="store_true",
                        help="profile the server with cProfile (its event-loop thread only; slower)")
    parser.add_argument("--variants", action="store_true",
                        help="also time the check route declared async def (a variant of the service, for comparison)")
    parser.add_argument("--serve", nargs=2, metavar=("PORT", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--profile-to", help=argparse.SUPPRESS)
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), args.serve[1], args.profile_to, args.variant)
        return

    n_warm = 200 if args.quick else 1_000
    n_decisions = 1_000 if args.quick else 10_000
    n_cases = 100 if args.quick else 1_000
    repeat = 3 if args.quick else 5
    concurrency = args.concurrency

    print(f"machine: {machine()}")
    print(f"load average before: {loadavg()}")
    print(f"server: uvicorn {uvicorn_version()}, one worker, 127.0.0.1, {server_stack()}; client: httpx "
          f"{httpx.__version__} AsyncClient, {concurrency} requests in flight; client and server share this "
          f"machine's {os.cpu_count()} cores")

    from reciprocity import api  # noqa: PLC0415

    docs = referral_docs(64)
    bodies = [json.dumps(d).encode("utf-8") for d in docs]
    json_header = {"content-type": "application/json"}
    check_url = "/schemes/kent_rp/check"
    outcomes = [api.evaluate("kent_rp", d).outcome.value for d in docs]
    mix = {o: outcomes.count(o) for o in ("eligible", "ineligible", "needs_information")}
    print(f"{len(docs)} referrals (the example and variants), cycled; outcomes {mix}")

    with tempfile.TemporaryDirectory(prefix="http_bench_") as tmp:
        db = Path(tmp) / "bench.db"
        headers = make_store(db)
        profile = str(Path(tmp) / "server.prof") if args.profile else None
        with server(db, profile) as (base, pid):
            # (a) decisions over HTTP: warm up (routes, validators, connections), then the runs.
            decisions = [(check_url, bodies[i % len(bodies)], json_header) for i in range(n_decisions)]
            measured(base, pid, decisions[:n_warm], concurrency, 200)
            http = measured(base, pid, decisions, concurrency, 200, keep=len(docs))
            served = [json.loads(b)["outcome"] for b in http["kept"]]
            assert served == outcomes, "the service and the library disagree on a decision"
            serial = measured(base, pid, decisions[: n_decisions // 10], 1, 200)
            raw = measured(base, pid, decisions, concurrency, 200, client=drive_raw)
            raw4 = measured(base, pid, decisions[: n_decisions // 3], 4, 200, client=drive_raw)

            # (c) case work on SQLite: open cases, then record an eligibility check on each.
            def opening(prefix: str, n: int) -> list[Request]:
                return [("/cases", json.dumps({"referral": docs[0], "case_id": f"{prefix}{i}"}).encode(),
                         {**json_header, **headers["officer"]}) for i in range(n)]

            check = [(f"/cases/B{i}/check", b'{"on": "2026-03-03"}', {**json_header, **headers["coordinator"]})
                     for i in range(n_cases)]
            measured(base, pid, opening("W", 30), 4, 201)  # warm-up
            opened = measured(base, pid, opening("B", n_cases), concurrency, 201)
            checked = measured(base, pid, check, concurrency, 200)

        variants = {}
        if args.variants:
            with server(db, variant="async-check") as (base, pid):
                measured(base, pid, decisions[:n_warm], 4, 200, client=drive_raw)
                variants["check as async def, raw client"] = (
                    measured(base, pid, decisions, concurrency, 200, client=drive_raw),
                    measured(base, pid, decisions[: n_decisions // 3], 4, 200, client=drive_raw))

        # (b) the baselines, after the server has stopped so that the two do not compete.
        items = [docs[i % len(docs)] for i in range(3_000)]
        in_process = per_call(lambda d: api.evaluate("kent_rp", d), items, repeat)
        with_dict = per_call(lambda d: api.evaluate("kent_rp", d).to_dict(), items, repeat)
        steps = pieces(docs, repeat * 20)
        case_steps = casework_in_process(Path(tmp) / "in_process.db", docs[0], n_cases // 2)
        if profile:
            print_profile(profile)

    def verdict(ok: bool) -> str:
        return "met" if ok else "missed"

    print()
    print("POST /schemes/kent_rp/check (uvicorn, one worker):")
    print(line(f"httpx, {concurrency} in flight", http))
    print(line("httpx, 1 in flight", serial))
    print(line(f"raw client, {concurrency} in flight (cross-check)", raw))
    print(line("raw client, 4 in flight (cross-check)", raw4))
    per_request = 1e6 / http["rate"]
    for name, (many, few) in variants.items():
        print(line(f"{name}, {concurrency} in flight", many))
        print(line(f"{name}, 4 in flight", few))
    print()
    print("the same decisions in process (reciprocity.api.evaluate on the same dicts, best of several passes):")
    print(f"  evaluate(dict)              {in_process:8.1f} us per decision = {1e6 / in_process:8,.0f} decisions/s")
    print(f"  evaluate(dict).to_dict()    {with_dict:8.1f} us per decision = {1e6 / with_dict:8,.0f} decisions/s")
    print(f"  HTTP / in process: {per_request:,.0f} us per request (1 / requests/s, httpx) / {in_process:.1f} us "
          f"= {per_request / in_process:.0f}x; server CPU per request / in process = "
          f"{http['server_cpu_us'] / in_process:.0f}x; with the raw client {1e6 / raw['rate'] / in_process:.0f}x")
    print(f"  targets: >= {TARGET_RPS:,} requests/s: {http['rate']:,.0f} with httpx, {raw['rate']:,.0f} with the raw "
          f"client ({verdict(max(http['rate'], raw['rate']) >= TARGET_RPS)}); p99 < {TARGET_P99_MS:.0f} ms: "
          f"{http['p99']:.1f} ms with httpx, {raw['p99']:.1f} ms with the raw client "
          f"({verdict(min(http['p99'], raw['p99']) < TARGET_P99_MS)})")
    print(f"  one worker's ceiling at {http['server_cpu_us']:,.0f} us server CPU per request: "
          f"{1e6 / http['server_cpu_us']:,.0f} requests/s")
    print()
    print("a decision request's steps, in process (us per request, best of several passes):")
    for name, us in steps.items():
        print(f"  {name:<34} {us:8.1f} us")
    accounted = sum(us for name, us in steps.items() if "comparison" not in name)
    print(f"  the service's steps together       {accounted:8.1f} us of {http['server_cpu_us']:,.0f} us server CPU per "
          "request; the rest is the HTTP stack (uvicorn, h11, starlette, fastapi, the thread pool)")
    print()
    print(f"case work over HTTP on SQLite ({n_cases:,} cases; httpx, {concurrency} in flight):")
    print(line("POST /cases (open; officer)", opened, "events/s"))
    print(line("POST /cases/{id}/check (coordinator)", checked, "events/s"))
    for name, m in (("open", opened), ("check", checked)):
        quarter = max(len(m["latencies"]) // 4, 1)
        print(f"  {name}: median latency {statistics.median(m['latencies'][:quarter]) * 1e3:.1f} ms over the first "
              f"quarter, {statistics.median(m['latencies'][-quarter:]) * 1e3:.1f} ms over the last")
    print(f"the same case work in process, on a SQLite file of its own ({n_cases // 2:,} cases):")
    for name, us in case_steps.items():
        print(f"  {name:<34} {us:8,.0f} us")
    print(f"  HTTP / in process: open {1e6 / opened['rate'] / case_steps['open: Cases.new + case_view']:.1f}x, "
          f"check {1e6 / checked['rate'] / case_steps['check: Cases.check + case_view']:.1f}x (1 / events/s over "
          "the in-process time per event)")
    print()
    print(f"load average after: {loadavg()}")


def server_stack() -> str:
    """What uvicorn's "auto" choices pick here: httptools and uvloop when installed."""
    import importlib.util  # noqa: PLC0415

    http = "httptools" if importlib.util.find_spec("httptools") else "h11 (httptools not installed)"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio loop (uvloop not installed)"
    return f"{http}, {loop}"


def uvicorn_version() -> str:
    import uvicorn  # noqa: PLC0415

    return str(uvicorn.__version__)


if __name__ == "__main__":
    main()
