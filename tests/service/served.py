"""`reciprocity serve` in a subprocess on a free loopback port, on a store with two Kent RP
partners and a token per actor made with the command line; stopped after the test."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PARTNERS = [
    {"id": "orchard_housing", "kind": "registered_provider", "stock_areas": ["maidstone", "swale", "canterbury"]},
    {"id": "coast_homes", "kind": "registered_provider", "stock_areas": ["thanet", "dover"]},
]


def _cli(*args: str, db: Path) -> str:
    script = Path(sys.executable).with_name("reciprocity")
    out = subprocess.run([str(script), *args, "--db", str(db)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    db = tmp_path / "served.db"
    for p in PARTNERS:
        f = tmp_path / f"{p['id']}.json"
        f.write_text(json.dumps({**p, "data_sharing_protocol_signatory": True}), encoding="utf-8")
        _cli("partner", "join", str(f), "--scheme", "kent_rp", "--on", "2021-01-01", db=db)
    tokens = {}
    for name, partner, role in [("coordinator", "coordinator", "coordinator"),
                                ("officer", "orchard_housing", "nominating_officer"),
                                ("lead", "orchard_housing", "named_lead"),
                                ("coast", "coast_homes", "named_lead")]:
        tokens[name] = _cli("token", "create", "--scheme", "kent_rp", "--partner", partner, "--role", role,
                            "--on", "2026-01-01", db=db).strip()
    port = _free_port()
    script = Path(sys.executable).with_name("reciprocity")
    process = subprocess.Popen([str(script), "serve", "--db", str(db), "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if process.poll() is not None:
                    raise AssertionError(process.stderr.read().decode() if process.stderr else "server died")
                time.sleep(0.1)
        yield base, tokens
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
