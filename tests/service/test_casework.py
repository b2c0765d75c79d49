"""Case work over HTTP as the token's actor (issue 13): the Kent RP walk from referral to move,
each actor reading only what is its own, refusals as 401/403/404/409 writing nothing."""

from __future__ import annotations

import pytest

from reciprocity.access.reads import reads

from service.conftest import TODAY, Service, offer, referral, walk_to_circulated


def _events(service: Service) -> int:
    return sum(len(service.store.stream(s)) for s in service.store.streams(""))


def test_a_case_from_referral_to_move(service: Service) -> None:
    # Kent RP MoU §4.1 (referral by the nominating partner), §4.3 (circulation to partners with
    # homes in the requested areas, never an unsafe one), §4.4-4.6 (answer, offer, move).
    arc = walk_to_circulated(service)
    requests = service.get("/requests", "coast_lead").json()
    assert [r["arc"] for r in requests] == [arc]
    assert service.get("/requests", "weald_lead").json() == []  # it has homes in an area the case marks unsafe
    r = service.post(f"/requests/{arc}/respond", "coast_lead", json={"on": "2026-03-06", "can_help": True})
    assert r.status_code == 200 and r.json() == {"arc": arc, "state": "circulating", "event": "respond"}
    r = service.post(f"/requests/{arc}/offer", "coast_lead", json={"on": "2026-04-10", "offer": offer()})
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "offered"
    assert service.post("/cases/K1/accept-offer", "orchard_officer", json={"on": "2026-04-14"}).status_code == 200
    r = service.post("/cases/K1/move", "coordinator", json={"on": "2026-04-24"})
    assert r.status_code == 200 and r.json()["state"] == "moved"
    history = [(h["event"], h["actor"]) for h in service.get("/cases/K1", "coordinator").json()["history"]]
    assert history[-1] == ("move", "coordinator") and ("respond", "coast_homes") in history


def test_a_recipient_never_reads_the_case_or_its_referral(service: Service) -> None:
    arc = walk_to_circulated(service)
    for url in ("/cases/K1", "/cases/K1/referral", "/cases/K1/request"):
        r = service.get(url, "coast_lead")
        assert r.status_code == 403, url
    assert service.get("/cases", "coast_lead").json() == []
    request = service.get(f"/requests/{arc}", "coast_lead").json()
    assert len(request) == 1
    text = str(request).lower()
    subject = referral()
    assert "k1" not in text and subject["id"].lower() not in text
    assert "household" not in request[0] and "risk" not in request[0]


def test_only_the_coordinator_and_the_nominator_read_the_referral_and_each_read_is_logged(service: Service) -> None:
    walk_to_circulated(service)
    assert service.get("/cases/K1/referral", "coordinator").status_code == 200
    assert service.get("/cases/K1/referral", "orchard_lead").status_code == 200
    assert service.get("/cases/K1/referral", "dover_lead").status_code == 403
    logged = reads(service.store, "kent_rp", "K1")
    assert [(r.actor, r.role, r.on) for r in logged] == [
        ("coordinator", "coordinator", TODAY), ("orchard_housing", "named_lead", TODAY)]


@pytest.mark.parametrize("who, url, body", [
    ("coast_lead", "/cases/K1/approve", {"on": "2026-03-04"}),  # §4.2: the nominator's named lead approves
    ("orchard_officer", "/cases/K1/accept", {"on": "2026-03-04"}),  # the coordinator accepts
    ("dover_lead", "/cases/K1/circulate", {"on": "2026-03-05"}),
])
def test_a_refused_actor_gets_403_and_nothing_is_written(service: Service, who: str, url: str,
                                                         body: dict[str, str]) -> None:
    service.post("/cases", "orchard_officer", json={"referral": referral(), "case_id": "K1"})
    before = _events(service)
    r = service.post(url, who, json=body)
    assert r.status_code == 403, r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert _events(service) == before


def test_a_request_not_sent_to_the_partner_is_403(service: Service) -> None:
    arc = walk_to_circulated(service)
    before = _events(service)
    r = service.post(f"/requests/{arc}/respond", "weald_lead", json={"on": "2026-03-06", "can_help": True})
    assert r.status_code == 403 and _events(service) == before
    assert service.get(f"/requests/{arc}", "weald_lead").status_code == 403


def test_a_transition_the_process_refuses_is_409_with_what_is_allowed(service: Service) -> None:
    service.post("/cases", "orchard_officer", json={"referral": referral(), "case_id": "K1"})
    r = service.post("/cases/K1/move", "coordinator", json={"on": "2026-03-04"})
    assert r.status_code == 409
    assert "check_eligibility" in r.json()["allowed_events"]


def test_tokens_missing_bad_or_revoked_are_401(service: Service) -> None:
    from reciprocity.access import Tokens
    from reciprocity.casework import Actor

    assert service.get("/cases").status_code == 401
    r = service.client.get("/cases", headers={"Authorization": "Bearer rcp_000000000000_" + "a" * 43})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    tokens = Tokens(service.store)
    issued = tokens.create("kent_rp", "coordinator", "coordinator", on=TODAY, actor=Actor.coordinator())
    auth = {"Authorization": f"Bearer {issued.secret}"}
    assert service.client.get("/me", headers=auth).status_code == 200
    tokens.revoke(issued.token.token_id, on=TODAY, actor=Actor.coordinator())
    assert service.client.get("/me", headers=auth).status_code == 401


def test_an_unknown_case_is_404_without_its_id(service: Service) -> None:
    r = service.get("/cases/ZeldaQuarrington07700900461", "coordinator")
    assert r.status_code == 404 and "zelda" not in r.text.lower()


def test_due_is_scoped(service: Service) -> None:
    walk_to_circulated(service)
    coordinator = service.get("/due", "coordinator", params={"on": "2026-03-10"}).json()
    assert [d["kind"] for d in coordinator["overdue"]] == ["response"]
    recipient = service.get("/due", "coast_lead", params={"on": "2026-03-10"}).json()
    assert all(d["case"] is None for group in ("overdue", "today", "upcoming") for d in recipient[group])
    outsider = service.get("/due", "weald_lead", params={"on": "2026-03-10"}).json()
    assert outsider["overdue"] == [] and outsider["upcoming"] == []


def test_a_racing_duplicate_is_a_409_conflict(service: Service) -> None:
    # The second of two requests recording one event at the same moment is told (issue 14).
    from fastapi.testclient import TestClient

    from reciprocity.http import create_app

    from hostile.test_case_events import _Racing

    walk_to_circulated(service)
    racing = TestClient(create_app(_Racing(service.store)))
    r = racing.post("/cases/K1/extend-areas", json={"on": "2026-03-20", "requested_areas": ["thanet"]},
                    headers=service.headers["coordinator"])
    assert r.status_code == 409 and r.json()["type"].endswith(":conflict"), r.json()
    history = service.get("/cases/K1", "coordinator").json()["history"]
    assert [h["event"] for h in history].count("extend_areas") == 1


def test_the_case_list_pages_and_shows_a_partner_only_its_own(service: Service) -> None:
    """GET /cases?limit=&after=: pages in the order the cases were opened; a nominating partner's
    pages hold only the cases it nominated (issue 14: the list reads the case index)."""
    for n in range(5):
        r = service.post("/cases", "orchard_officer", json={"referral": referral(), "case_id": f"K{n}"})
        assert r.status_code == 201, r.text
    listed = [c["case"] for c in service.get("/cases", "coordinator").json()]
    assert listed == [f"K{n}" for n in range(5)]
    first = service.get("/cases?limit=2", "coordinator").json()
    rest = service.get(f"/cases?limit=10&after={first[-1]['case']}", "coordinator").json()
    assert [c["case"] for c in first + rest] == listed
    assert [c["case"] for c in service.get("/cases?limit=2", "orchard_officer").json()] == ["K0", "K1"]
    assert service.get("/cases?limit=2", "coast_lead").json() == []
    assert service.get("/cases?limit=0", "coordinator").status_code == 422
