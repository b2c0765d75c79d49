"""The HTTP service on a temporary store with Kent RP's partners joined, and a token per actor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reciprocity.access import Tokens
from reciprocity.casework import Actor
from reciprocity.http import create_app
from reciprocity.store import EventStore

from lifecycle.register import join_all
from store._support import BACKENDS, empty_postgres
from lifecycle.test_walkthrough import KENT_RP_PARTNERS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = date(2026, 12, 3)

#: Who holds a token in the fixtures: name -> (partner, role).
ACTORS = {
    "coordinator": ("coordinator", "coordinator"),
    "orchard_officer": ("orchard_housing", "nominating_officer"),  # the nominating partner
    "orchard_lead": ("orchard_housing", "named_lead"),
    "coast_lead": ("coast_homes", "named_lead"),  # a recipient (homes in thanet, dover)
    "dover_lead": ("dover_dc", "named_lead"),  # a recipient
    "weald_lead": ("weald_homes", "named_lead"),  # homes in an unsafe area: never a recipient
}


def referral() -> dict[str, Any]:
    return json.loads((EXAMPLES / "kent_rp_referral.json").read_text(encoding="utf-8"))


def offer() -> dict[str, Any]:
    return json.loads((EXAMPLES / "offers" / "kent_rp_offer.json").read_text(encoding="utf-8"))


class Service:
    """A client of the service, with a bearer header for each fixture actor."""

    def __init__(self, client: TestClient, store: Any, headers: dict[str, dict[str, str]], url: str = "") -> None:
        self.client, self.store, self.headers, self.url = client, store, headers, url

    def as_(self, who: str | None) -> dict[str, str]:
        return self.headers[who] if who else {}

    def get(self, url: str, who: str | None = None, **kw: Any) -> Any:
        return self.client.get(url, headers={**self.as_(who), **kw.pop("headers", {})}, **kw)

    def post(self, url: str, who: str | None = None, **kw: Any) -> Any:
        return self.client.post(url, headers={**self.as_(who), **kw.pop("headers", {})}, **kw)


@pytest.fixture(params=BACKENDS)
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Service]:
    """The service on a fresh store: a SQLite file, and PostgreSQL too where the tests have one."""
    url = empty_postgres() if request.param == "postgresql" else f"sqlite:///{tmp_path / 'service.db'}"
    store = EventStore(url)
    join_all(store, "kent_rp", KENT_RP_PARTNERS)
    tokens = Tokens(store)
    headers = {}
    for name, (partner, role) in ACTORS.items():
        issued = tokens.create("kent_rp", partner, role, on=date(2026, 1, 1), actor=Actor.coordinator())
        headers[name] = {"Authorization": f"Bearer {issued.secret}"}
    with TestClient(create_app(store, today=lambda: TODAY)) as client:
        yield Service(client, store, headers, url)
    store.close()


def walk_to_circulated(service: Service, case_id: str = "K1") -> str:
    """Open, check, accept, approve and circulate a Kent RP case over HTTP; return its ARC."""
    r = service.post("/cases", "orchard_officer", json={"referral": referral(), "case_id": case_id})
    assert r.status_code == 201, r.json()
    assert service.post(f"/cases/{case_id}/check", "coordinator", json={"on": "2026-03-03"}).status_code == 200
    r = service.post(f"/cases/{case_id}/accept", "coordinator", json={"on": "2026-03-03"})
    assert r.status_code == 200, r.json()
    assert service.post(f"/cases/{case_id}/approve", "orchard_lead", json={"on": "2026-03-04"}).status_code == 200
    r = service.post(f"/cases/{case_id}/circulate", "coordinator", json={"on": "2026-03-05"})
    assert r.status_code == 200, r.json()
    return str(r.json()["arc"])
