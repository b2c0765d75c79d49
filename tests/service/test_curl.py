"""A client in another language works (issue 13, done when): plain curl, in a subprocess,
drives a Kent RP case from referral to move against `reciprocity serve` on a free loopback
port; the server is stopped after."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from service.conftest import offer, referral
from service.served import server  # noqa: F401 - the fixture

def curl(base: str, method: str, path: str, token: str | None = None, body: Any = None) -> tuple[int, Any]:
    args = ["curl", "--silent", "--show-error", "--max-time", "20", "-X", method, "-w", "\n%{http_code}"]
    if token:
        args += ["-H", f"Authorization: Bearer {token}"]
    if body is not None:
        args += ["-H", "Content-Type: application/json", "--data-binary", json.dumps(body)]
    out = subprocess.run([*args, base + path], capture_output=True, text=True, timeout=30, check=True)
    text, _, status = out.stdout.rpartition("\n")
    return int(status), json.loads(text) if text else None


def test_curl_drives_a_case_from_referral_to_move(server: tuple[str, dict[str, str]]) -> None:
    base, t = server
    status, decision = curl(base, "POST", "/schemes/kent_rp/check", body=referral())
    assert status == 200 and decision["outcome"] == "eligible"
    status, case = curl(base, "POST", "/cases", t["officer"], {"referral": referral(), "case_id": "K1"})
    assert status == 201 and case["state"] == "referred"
    assert curl(base, "POST", "/cases/K1/check", t["coordinator"], {"on": "2026-03-03"})[0] == 200
    status, case = curl(base, "POST", "/cases/K1/accept", t["coordinator"], {"on": "2026-03-03"})
    assert status == 200
    arc = case["arc"]
    assert curl(base, "POST", "/cases/K1/approve", t["lead"], {"on": "2026-03-04"})[0] == 200
    assert curl(base, "POST", "/cases/K1/circulate", t["coordinator"], {"on": "2026-03-05"})[0] == 200
    status, requests = curl(base, "GET", "/requests", t["coast"])
    assert status == 200 and [r["arc"] for r in requests] == [arc]
    assert curl(base, "POST", f"/requests/{arc}/respond", t["coast"], {"on": "2026-03-06", "can_help": True})[0] == 200
    status, offered = curl(base, "POST", f"/requests/{arc}/offer", t["coast"], {"on": "2026-04-10", "offer": offer()})
    assert status == 200 and offered["state"] == "offered", offered
    assert curl(base, "POST", "/cases/K1/accept-offer", t["officer"], {"on": "2026-04-14"})[0] == 200
    status, moved = curl(base, "POST", "/cases/K1/move", t["coordinator"], {"on": "2026-04-24"})
    assert status == 200 and moved["state"] == "moved"
    status, problem = curl(base, "GET", "/cases/K1", t["coast"])
    assert status == 403 and problem["type"] == "urn:reciprocity:problem:forbidden"
    assert curl(base, "GET", "/cases/K1")[0] == 401

