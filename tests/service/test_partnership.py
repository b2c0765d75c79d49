"""The partnership over HTTP as the token's actor (issue 13): the partner register, the ledger,
arbitrations and reports, each showing what the command line's ``--json`` shows, each write the
library's command with the token's actor, refusals writing nothing (Kent RP MoU §2.2, §2.4,
§4.6, §4.7, §5.5, §6.1)."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reciprocity.access import Tokens
from reciprocity.casework import Actor
from reciprocity.casework.arbitration import draw_panel
from reciprocity.cli import cli
from reciprocity.ledger.service import Ledger
from service.conftest import Service, offer, referral, walk_to_circulated

MOVED_ON = "2026-04-24"


def _events(service: Service) -> int:
    return sum(len(service.store.stream(s)) for s in service.store.streams(""))


def _cli_json(db: str, *args: str) -> Any:
    """What the command line prints with --json for the service's store."""
    result = CliRunner().invoke(cli, [*args, "--json", "--db", db])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _token(service: Service, name: str, partner: str, role: str) -> None:
    """A token for one more actor, under ``name``."""
    issued = Tokens(service.store).create("kent_rp", partner, role, on=date(2026, 1, 1), actor=Actor.coordinator())
    service.headers[name] = {"Authorization": f"Bearer {issued.secret}"}


def _moved(service: Service) -> str:
    """Case K1, nominated by orchard_housing, moves to coast_homes on MOVED_ON (over HTTP); its ARC."""
    arc = walk_to_circulated(service)
    assert service.post(f"/requests/{arc}/respond", "coast_lead",
                        json={"on": "2026-03-06", "can_help": True}).status_code == 200
    r = service.post(f"/requests/{arc}/offer", "coast_lead", json={"on": "2026-04-10", "offer": offer()})
    assert r.status_code == 200, r.json()
    assert service.post("/cases/K1/accept-offer", "orchard_officer", json={"on": "2026-04-14"}).status_code == 200
    r = service.post("/cases/K1/move", "coordinator", json={"on": MOVED_ON})
    assert r.status_code == 200 and r.json()["state"] == "moved", r.json()
    return arc


def _signatory(pid: str, *areas: str) -> dict[str, Any]:
    return {"id": pid, "kind": "registered_provider", "stock_areas": list(areas),
            "data_sharing_protocol_signatory": True}


# --- the ledger -----------------------------------------------------------------------------------

def test_balances_sum_to_zero_and_are_the_librarys(service: Service, tmp_path: Path) -> None:
    """Kent RP MoU §4.6: after a move the nominating partner owes one home (-1), the accepting
    partner is owed one (+1), and the pool sums to zero; any member reads the balances."""
    _moved(service)
    r = service.get("/ledger/balances", "weald_lead", params={"on": MOVED_ON})
    assert r.status_code == 200, r.json()
    shown = r.json()
    rows = {b["partner"]: b["balance"] for b in shown["balances"]}
    assert rows == {"orchard_housing": -1, "coast_homes": 1}
    assert sum(rows.values()) == 0 and shown["totals"] == {"all": 0} and "§4.6" in shown["clause"]
    library = Ledger(service.store).balances("kent_rp", on=date.fromisoformat(MOVED_ON))
    assert rows == {b.partner: b.net for b in library.rows}
    assert shown == _cli_json(service.url, "ledger", "balances", "--scheme", "kent_rp", "--on", MOVED_ON)
    before = service.get("/ledger/balances", "weald_lead", params={"on": "2026-04-23"}).json()
    assert before["balances"] == [] and before["totals"] == {"all": 0}


def test_history_shows_the_arc_never_the_case_id(service: Service, tmp_path: Path) -> None:
    """Kent RP MoU §4.6: the ledger partners read names the case's ARC, never its id."""
    arc = _moved(service)
    r = service.get("/ledger/history", "dover_lead")
    assert r.status_code == 200, r.json()
    (entry,) = r.json()
    assert entry["arc"] == arc and entry["kind"] == "move" and "case" not in entry
    assert entry["nominating"] == "orchard_housing" and entry["accepting"] == "coast_homes"
    assert "K1" not in r.text.replace(arc, "") and referral()["id"] not in r.text
    assert r.json() == _cli_json(service.url, "ledger", "history", "--scheme", "kent_rp")
    assert service.get("/ledger/history", "dover_lead", params={"partner": "weald_homes"}).json() == []
    assert service.get("/ledger/history", "dover_lead", params={"partner": "coast_homes"}).json() == [entry]
    assert service.get("/ledger/history", "dover_lead", params={"start": "2026-04-25"}).json() == []
    assert service.get("/ledger/history", "dover_lead", params={"end": MOVED_ON}).json() == [entry]
    assert service.get("/ledger/history", "dover_lead", params={"end": "1800-01-01"}).status_code == 422


@pytest.mark.parametrize("who", ["orchard_lead", "coast_lead", "weald_lead"])
def test_a_partner_cannot_correct_the_ledger(service: Service, who: str) -> None:
    """Kent RP MoU §4.6: the coordinator keeps the count, so only the coordinator corrects it
    (not the partner that owes, nor the one owed, nor another); nothing is written."""
    _moved(service)
    (entry,) = service.get("/ledger/history", "coordinator").json()
    before = _events(service)
    r = service.post("/ledger/corrections", who, json={"on": "2026-05-01", "entry": entry["entry"],
                                                         "code": "wrong_partner"})
    assert r.status_code == 403, r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert _events(service) == before


def test_the_coordinator_corrects_and_its_note_is_never_shown(service: Service) -> None:
    """Kent RP MoU §4.6: the count is corrected by a reversing entry, for a reason from a closed
    list; the entry stays; the coordinator's note is kept but no response shows it."""
    _moved(service)
    (entry,) = service.get("/ledger/history", "coordinator").json()
    note = "Mary Roe asked for it"
    r = service.post("/ledger/corrections", "coordinator", json={"on": "2026-05-01", "entry": entry["entry"],
                                                                  "code": "wrong_partner", "note": note})
    assert r.status_code == 201, r.json()
    corrected = r.json()
    assert corrected["kind"] == "correction" and corrected["reverses"] == entry["entry"]
    assert corrected["arc"] == entry["arc"] and corrected["code"] == "wrong_partner"
    assert corrected["balances_after"] == {"orchard_housing": 0, "coast_homes": 0}
    after = service.get("/ledger/balances", "coast_lead", params={"on": "2026-05-01"}).json()
    assert all(b["balance"] == 0 for b in after["balances"]) and after["totals"] == {"all": 0}
    history = service.get("/ledger/history", "coast_lead")
    assert [h["kind"] for h in history.json()] == ["move", "correction"] and history.json()[0]["reversed"]
    assert "wrong partner" in history.json()[1]["description"]
    for text in (r.text, history.text, service.get("/ledger/history", "coordinator").text):
        assert "Mary" not in text and "Roe" not in text
    before = _events(service)
    again = service.post("/ledger/corrections", "coordinator", json={"on": "2026-05-02", "entry": entry["entry"],
                                                                      "code": "duplicate"})
    assert again.status_code == 409 and _events(service) == before
    unknown = service.post("/ledger/corrections", "coordinator", json={"on": "2026-05-02", "entry": "ledger-nope",
                                                                        "code": "duplicate"})
    assert unknown.status_code == 409 and "ledger-nope" not in unknown.text
    bad = service.post("/ledger/corrections", "coordinator", json={"on": "2026-05-02", "entry": entry["entry"],
                                                                    "code": "because"})
    assert bad.status_code == 422 and "because" not in bad.text


# --- the partner register -------------------------------------------------------------------------

def test_any_member_reads_the_register_with_balances(service: Service, tmp_path: Path) -> None:
    """Kent RP MoU §2.4 (first), §4.6: the register the coordinator keeps, each partner's
    standing on a date with its owed/awarded count; it holds no personal data."""
    _moved(service)
    r = service.get("/partners", "weald_lead", params={"on": MOVED_ON})
    assert r.status_code == 200, r.json()
    rows = {p["partner"]: p for p in r.json()}
    assert set(rows) == {"orchard_housing", "coast_homes", "weald_homes", "dover_dc"}
    assert rows["orchard_housing"]["balance"] == -1 and rows["coast_homes"]["balance"] == 1
    assert all(p["status"] == "active" and "by_size" not in p for p in rows.values())
    assert r.json() == _cli_json(service.url, "partner", "show", "--scheme", "kent_rp", "--on", MOVED_ON)
    one = service.get("/partners/coast_homes", "dover_lead", params={"on": MOVED_ON})
    assert one.status_code == 200 and one.json() == rows["coast_homes"]
    assert one.json() == _cli_json(service.url, "partner", "show", "coast_homes", "--scheme", "kent_rp",
                                   "--on", MOVED_ON)
    unknown = service.get("/partners/zelda_quarrington", "dover_lead", params={"on": MOVED_ON})
    assert unknown.status_code == 404 and "zelda" not in unknown.text.lower()
    assert service.get("/partners", None, params={"on": MOVED_ON}).status_code == 401


def test_the_coordinator_joins_a_partner_and_a_partner_cannot(service: Service) -> None:
    """Kent RP MoU §2.4 (first): the coordinator keeps the register, so it records a join; §2.2
    (first): a partner joins by signing the data sharing protocol. A refusal writes nothing."""
    body = {"partner": _signatory("garden_homes", "ashford"), "on": "2026-05-01"}
    before = _events(service)
    r = service.post("/partners", "coast_lead", json=body)
    assert r.status_code == 403 and _events(service) == before
    unsigned = {"partner": {**body["partner"], "data_sharing_protocol_signatory": False}, "on": "2026-05-01"}
    r = service.post("/partners", "coordinator", json=unsigned)
    assert r.status_code == 409 and "§2.2" in r.json()["detail"] and _events(service) == before
    r = service.post("/partners", "coordinator", json=body)
    assert r.status_code == 201, r.json()
    shown = r.json()
    assert shown["partner"] == "garden_homes" and shown["status"] == "active" and shown["joined_on"] == "2026-05-01"
    assert shown["balance"] == 0 and shown["stock_areas"] == ["ashford"]
    listed = service.get("/partners", "dover_lead", params={"on": "2026-05-01"}).json()
    assert "garden_homes" in [p["partner"] for p in listed]
    nowhere = {"partner": _signatory("hill_homes", "atlantis"), "on": "2026-05-01"}
    r = service.post("/partners", "coordinator", json=nowhere)
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "stock_areas[0]"


def test_a_partner_gives_its_own_notice(service: Service) -> None:
    """Kent RP MoU §2.4 (second), §5.5: a partner may withdraw on a month's notice, given by
    itself (or recorded by the coordinator), never by another partner; withdrawal is refused
    before the notice runs out."""
    before = _events(service)
    r = service.post("/partners/coast_homes/notice", "dover_lead", json={"on": "2026-01-10"})
    assert r.status_code == 403 and _events(service) == before
    r = service.post("/partners/coast_homes/notice", "coast_lead", json={"on": "2026-01-10"})
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "notice_given" and r.json()["notice_given_on"] == "2026-01-10"
    assert r.json()["withdrawal_takes_effect"] == "2026-02-10"
    before = _events(service)
    early = service.post("/partners/coast_homes/withdraw", "coast_lead", json={"on": "2026-02-01"})
    assert early.status_code == 409 and "§5.5" in early.json()["detail"] and _events(service) == before
    r = service.post("/partners/coast_homes/withdraw", "coast_lead", json={"on": "2026-02-10"})
    assert r.status_code == 200 and r.json()["status"] == "withdrawn" and r.json()["withdrawn_on"] == "2026-02-10"
    assert service.post("/partners/nobody_homes/notice", "coordinator", json={"on": "2026-01-10"}).status_code == 404


def test_a_partner_records_its_own_named_lead(service: Service) -> None:
    """Kent RP MoU §6.1: a change of named lead is notified within seven days (a later notice
    is marked late); the partner records its own, not another's."""
    assert service.post("/partners/orchard_housing/lead", "coast_lead",
                        json={"on": "2026-03-05", "changed_on": "2026-03-02", "vacant": True}).status_code == 403
    r = service.post("/partners/orchard_housing/lead", "orchard_lead",
                     json={"on": "2026-03-05", "changed_on": "2026-03-02", "vacant": True})
    assert r.status_code == 200, r.json()
    assert r.json()["named_lead"] is None and r.json()["lead_vacant_since"] == "2026-03-02"
    r = service.post("/partners/orchard_housing/lead", "orchard_lead",
                     json={"on": "2026-03-20", "changed_on": "2026-03-10", "name": "Head of Housing Options"})
    assert r.status_code == 200 and r.json()["named_lead"] == "Head of Housing Options"
    assert [c["late"] for c in r.json()["lead_changes"]] == [False, True]
    for body in ({"on": "2026-03-21", "changed_on": "2026-03-21"},
                 {"on": "2026-03-21", "changed_on": "2026-03-21", "name": "Lead", "vacant": True}):
        r = service.post("/partners/orchard_housing/lead", "orchard_lead", json=body)
        assert r.status_code == 422 and r.json()["errors"][0]["path"] == "name"


def test_the_coordinator_keeps_the_stock_areas(service: Service) -> None:
    """Kent RP MoU §2.4: the coordinator keeps the list of where partners hold homes; the
    partner itself does not record it."""
    before = _events(service)
    r = service.post("/partners/weald_homes/stock", "weald_lead", json={"on": "2026-02-01",
                                                                          "stock_areas": ["ashford"]})
    assert r.status_code == 403 and _events(service) == before
    r = service.post("/partners/weald_homes/stock", "coordinator", json={"on": "2026-02-01",
                                                                           "stock_areas": ["ashford", "dover"]})
    assert r.status_code == 200 and r.json()["stock_areas"] == ["ashford", "dover"]
    r = service.post("/partners/weald_homes/stock", "coordinator", json={"on": "2026-02-01", "stock_areas": []})
    assert r.status_code == 422


# --- reports --------------------------------------------------------------------------------------

def test_the_report_is_the_coordinators(service: Service) -> None:
    """Kent RP MoU §4.6 and docs/reports.md: the coordinator reports on the scheme over a period
    (cases by ARC, partners by id), as `reciprocity report --format json`; partners are refused."""
    from reciprocity.reports import build_report, parse_period, to_json

    arc = _moved(service)
    for who in ("orchard_lead", "coast_lead", "weald_lead"):
        assert service.get("/reports", who, params={"period": "2026Q2"}).status_code == 403
    r = service.get("/reports", "coordinator", params={"period": "2026Q2"})
    assert r.status_code == 200, r.json()
    assert r.json() == json.loads(to_json(build_report(service.store, "kent_rp", parse_period("2026Q2"))))
    assert r.json()["moves"] == {"successful": 1} and arc in r.json()["timing"]
    assert "K1" not in r.text.replace(arc, "")
    bad = service.get("/reports", "coordinator", params={"period": "summer-2026"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "period (query)"
    assert "summer" not in bad.text


# --- arbitration ----------------------------------------------------------------------------------

def _declined(service: Service) -> None:
    """K1 moves (orchard_housing owes a home); case K2, nominated by coast_homes, goes to
    orchard_housing, which declines it on 2026-05-07. Two more signatories join first, so the
    panel of three leaves one candidate out."""
    _moved(service)
    for pid in ("garden_homes", "hill_homes"):
        r = service.post("/partners", "coordinator", json={"partner": _signatory(pid, "ashford"), "on": "2026-01-01"})
        assert r.status_code == 201, r.json()
    _token(service, "coast_officer", "coast_homes", "nominating_officer")
    second = copy.deepcopy(referral())
    second.update(id="KRP-2026-020", referred_on="2026-05-04", current_area="thanet", unsafe_areas=["thanet"],
                  requested_areas=["swale", "canterbury"],
                  nominating_partner={**_signatory("coast_homes", "thanet", "dover"),
                                      "membership": {"joined_on": "2021-01-01"}})
    second["tenancy"]["landlord"] = "coast_homes"
    r = service.post("/cases", "coast_officer", json={"referral": second, "case_id": "K2"})
    assert r.status_code == 201, r.json()
    for url, who, on in (("/cases/K2/check", "coordinator", "2026-05-05"), ("/cases/K2/accept", "coordinator", "2026-05-05"),
                         ("/cases/K2/approve", "coast_lead", "2026-05-05")):
        r = service.post(url, who, json={"on": on})
        assert r.status_code == 200, (url, r.json())
    r = service.post("/cases/K2/circulate", "coordinator", json={"on": "2026-05-06"})
    assert r.status_code == 200, r.json()
    arc = r.json()["arc"]
    r = service.post(f"/requests/{arc}/respond", "orchard_lead", json={"on": "2026-05-07", "can_help": False})
    assert r.status_code == 200, r.json()


def test_an_arbitration_request_and_decision(service: Service, tmp_path: Path) -> None:
    """Kent RP MoU §4.7: the coordinator asks a panel of three signatory partners, neither the
    declining nor the nominating partner, whether a refusal by a partner that owes was justified;
    the recorded candidates and seed redraw the panel; a refusal found not justified is a breach,
    for which the partner may be removed, its debt still owed (§2.4, §5.5)."""
    _declined(service)
    body = {"case_id": "K2", "declining": "orchard_housing", "on": "2026-05-08"}
    before = _events(service)
    r = service.post("/arbitrations", "coast_lead", json=body)
    assert r.status_code == 403 and _events(service) == before
    r = service.post("/arbitrations", "coordinator", json=body)
    assert r.status_code == 201, r.json()
    shown = r.json()
    arbitration = shown["arbitration"]
    assert shown["declining"] == "orchard_housing" and shown["nominating"] == "coast_homes"
    assert shown["candidates"] == ["dover_dc", "garden_homes", "hill_homes", "weald_homes"]
    assert len(set(shown["panel"])) == 3 and set(shown["panel"]) <= set(shown["candidates"])
    assert draw_panel(shown["candidates"], shown["seed"]) == tuple(shown["panel"])
    assert "K2" not in r.text.replace(shown["arc"], "")
    assert shown == _cli_json(service.url, "arbitration", "show", arbitration, "--scheme", "kent_rp")

    # Who reads it: the coordinator, the parties, the panel; another partner is refused.
    (outsider,) = set(shown["candidates"]) - set(shown["panel"])
    _token(service, "outsider", outsider, "named_lead")
    _token(service, "panel_member", shown["panel"][0], "named_lead")
    for who in ("coordinator", "orchard_lead", "coast_lead", "panel_member"):
        assert service.get("/arbitrations", who).json() == [shown], who
        assert service.get(f"/arbitrations/{arbitration}", who).json() == shown, who
    assert service.get("/arbitrations", "outsider").json() == []
    assert service.get(f"/arbitrations/{arbitration}", "outsider").status_code == 403
    assert service.get("/arbitrations/ARB-NOPE", "outsider").status_code == 403
    assert service.get("/arbitrations/ARB-NOPE", "coordinator").status_code == 404

    # The finding: the coordinator records it, once.
    before = _events(service)
    for who in ("orchard_lead", "panel_member"):
        r = service.post(f"/arbitrations/{arbitration}/decide", who, json={"on": "2026-05-20", "justified": False})
        assert r.status_code == 403 and _events(service) == before
    r = service.post(f"/arbitrations/{arbitration}/decide", "coordinator", json={"on": "2026-05-01", "justified": False})
    assert r.status_code == 409 and "before the request" in r.json()["detail"]
    r = service.post(f"/arbitrations/{arbitration}/decide", "coordinator", json={"on": "2026-05-20", "justified": False})
    assert r.status_code == 200, r.json()
    decided = r.json()
    assert decided["finding"] == "refusal_not_justified" and decided["breach"] and decided["decided_on"] == "2026-05-20"
    before = _events(service)
    r = service.post(f"/arbitrations/{arbitration}/decide", "coordinator", json={"on": "2026-05-21", "justified": True})
    assert r.status_code == 409 and "already been decided" in r.json()["detail"] and _events(service) == before

    # The removal after the breach cites the arbitration, which must have found this partner in breach.
    remove = {"on": "2026-05-21", "arbitration": arbitration}
    r = service.post("/partners/coast_homes/remove", "coordinator", json=remove)
    assert r.status_code == 409 and "did not find coast_homes in breach" in r.json()["detail"]
    r = service.post("/partners/orchard_housing/remove", "coordinator", json={**remove, "reason": "other"})
    assert r.status_code == 422 and r.json()["errors"][0]["path"] == "reason"
    r = service.post("/partners/orchard_housing/remove", "coast_lead", json=remove)
    assert r.status_code == 403 and _events(service) == before
    r = service.post("/partners/orchard_housing/remove", "coordinator", json=remove)
    assert r.status_code == 200, r.json()
    removed = r.json()
    assert removed["status"] == "removed" and removed["removal_reason"] == "breach"
    assert removed["removal_arbitration"] == arbitration and removed["balance"] == -1


def test_arbitration_only_for_a_partner_that_declined_and_owes(service: Service) -> None:
    """Kent RP MoU §4.7: arbitration reviews a refusal by a partner that owes the pool a home;
    a case of no scheme of the token, or none at all, is not arbitrated."""
    _declined(service)
    before = _events(service)
    r = service.post("/arbitrations", "coordinator", json={"case_id": "K2", "declining": "weald_homes",
                                                             "on": "2026-05-08"})
    assert r.status_code == 409 and "has not declined" in r.json()["detail"]
    r = service.post("/arbitrations", "coordinator", json={"case_id": "Zelda07700900461", "declining": "weald_homes",
                                                             "on": "2026-05-08"})
    assert r.status_code == 404 and "zelda" not in r.text.lower()
    assert _events(service) == before


@pytest.mark.parametrize("method, url", [
    ("get", "/partners?on=2026-01-01"), ("get", "/partners/coast_homes?on=2026-01-01"), ("post", "/partners"),
    ("post", "/partners/coast_homes/notice"), ("get", "/ledger/balances?on=2026-01-01"), ("get", "/ledger/history"),
    ("post", "/ledger/corrections"), ("get", "/arbitrations"), ("post", "/arbitrations"),
    ("get", "/reports?period=2026"),
])
def test_every_partnership_route_needs_a_token(service: Service, method: str, url: str) -> None:
    """Kent RP MoU §2.4 (first): the register and ledger are the partnership's; the service acts
    only for a token's actor (401 without one)."""
    r = getattr(service, method)(url, None, **({"json": {}} if method == "post" else {}))
    assert r.status_code == 401
