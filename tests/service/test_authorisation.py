"""Authorisation over HTTP (issue 13, done when): for every authenticated operation, each role, an
outsider partner and an actor of another scheme: the allowed ones succeed, the others get 403
and write nothing (docs/http.md, "Tokens and actors", "What each actor reads").

MATRIX has one row per operation: a setup, a body and who may. The generic event routes
(``POST /cases/{case_id}/{event}``, ``POST /requests/{arc}/{event}``) are checked for every event
at the door (who reads the case, who was sent the request); the events the Kent RP process
allows in a state a setup reaches have their own row. The other scheme's actor (a kent_krs
council) gets 403, or 404 where the id it names does not exist in its own scheme (a partner id:
each scheme has its own register); a read that filters shows it nothing of kent_rp.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import pytest
from lifecycle.register import join_all, partner

from reciprocity.access import Tokens
from reciprocity.casework import Actor
from reciprocity.casework.derive import process_of
from reciprocity.http import create_app
from reciprocity.lifecycle.events import COMMANDS, DERIVED, PAYLOADS
from service.conftest import ACTORS, Service, offer, referral, walk_to_circulated

OTHER = "krs_council"  # swale_bc, a referring council of kent_krs: another scheme
#: Every token's partner (the fixture's, two more of kent_rp, the other scheme's; garden and
#: hill join for the arbitration setups).
PARTNER_OF = {**{name: p for name, (p, _) in ACTORS.items()}, "coast_officer": "coast_homes",
              OTHER: "swale_bc", "garden_lead": "garden_homes", "hill_lead": "hill_homes"}
READERS = ("coordinator", "orchard_officer", "orchard_lead")  # the coordinator, the nominating partner
RECIPIENTS = ("coast_lead", "coast_officer", "dover_lead")  # partners K1's request was sent to


def _events(service: Service) -> int:
    return sum(len(service.store.stream(s)) for s in service.store.streams(""))


def _token(service: Service, name: str, scheme: str, pid: str, role: str) -> None:
    issued = Tokens(service.store).create(scheme, pid, role, on=date(2026, 1, 1), actor=Actor.coordinator())
    service.headers[name] = {"Authorization": f"Bearer {issued.secret}"}


@pytest.fixture
def svc(service: Service) -> Service:
    """The fixture's service, with another partner's officer and an actor of another scheme."""
    _token(service, "coast_officer", "kent_rp", "coast_homes", "nominating_officer")
    join_all(service.store, "kent_krs", [partner("swale_bc", "local_authority", "swale")])
    _token(service, OTHER, "kent_krs", "swale_bc", "referring_council")
    return service


def _post(service: Service, url: str, who: str, body: dict[str, Any], status: int = 200) -> Any:
    r = service.post(url, who, json=body)
    assert r.status_code == status, (url, who, r.json())
    return r.json()


# --- setups: each builds a state over HTTP and returns the ids the rows' paths name -----------

STEPS = (("check", "coordinator", "2026-03-03"), ("accept", "coordinator", "2026-03-03"),
         ("approve", "orchard_lead", "2026-03-04"), ("circulate", "coordinator", "2026-03-05"))


def _case(service: Service, steps: int, ref: dict[str, Any] | None = None) -> dict[str, Any]:
    """Case K1 of orchard_housing (the example referral, or ``ref``) after the first ``steps``."""
    shown = _post(service, "/cases", "orchard_officer", {"referral": ref or referral(), "case_id": "K1"}, 201)
    for command, who, on in STEPS[:steps]:
        shown = _post(service, f"/cases/K1/{command}", who, {"on": on})
    return {"case_id": "K1", "arc": shown["arc"]}


def no_case(service: Service) -> dict[str, Any]:
    return {}


def referred(service: Service) -> dict[str, Any]:
    return _case(service, 0)


def checked(service: Service) -> dict[str, Any]:
    return _case(service, 1)


def eligible(service: Service) -> dict[str, Any]:
    return _case(service, 2)


def approved(service: Service) -> dict[str, Any]:
    return _case(service, 3)


def ineligible(service: Service) -> dict[str, Any]:
    """K1 checked and found ineligible (the risk is not too great to remain: Kent RP MoU §3.2)."""
    return _case(service, 1, {**referral(), "risk_too_great_to_remain": False})


def unsupported(service: Service) -> dict[str, Any]:
    """K1 referred for a survivor with no specialist domestic abuse support."""
    return _case(service, 0, {**referral(), "da_support": False})


def circulated(service: Service) -> dict[str, Any]:
    return {"case_id": "K1", "arc": walk_to_circulated(service)}


def in_review(service: Service) -> dict[str, Any]:
    """K1 of a protected (secure fair-rent) tenant, offered a secure tenancy: the named leads'
    review (Kent RP MoU §4.5)."""
    ref = referral()
    ref["tenancy"]["type"] = "secure_fair_rent"
    ctx = _case(service, 4, ref)
    shown = _post(service, f"/requests/{ctx['arc']}/offer", "coast_lead",
                  {"on": "2026-04-10", "offer": {**offer(), "tenancy_type": "secure"}})
    assert shown["state"] == "offer_review"
    return ctx


def offered(service: Service) -> dict[str, Any]:
    ctx = circulated(service)
    _post(service, f"/requests/{ctx['arc']}/offer", "coast_lead", {"on": "2026-04-10", "offer": offer()})
    return ctx


def offer_accepted(service: Service) -> dict[str, Any]:
    ctx = offered(service)
    _post(service, "/cases/K1/accept-offer", "orchard_officer", {"on": "2026-04-14"})
    return ctx


def moved(service: Service) -> dict[str, Any]:
    """K1 moved to coast_homes on 2026-04-24: orchard_housing owes a home (Kent RP MoU §4.6)."""
    ctx = offer_accepted(service)
    _post(service, "/cases/K1/move", "coordinator", {"on": "2026-04-24"})
    (entry,) = service.get("/ledger/history", "coordinator").json()
    return {**ctx, "entry": entry["entry"]}


def noticed(service: Service) -> dict[str, Any]:
    _post(service, "/partners/weald_homes/notice", "coordinator", {"on": "2026-02-01"})
    return {}


def declined(service: Service) -> dict[str, Any]:
    """After K1's move, K2 (nominated by coast_homes) is declined by orchard_housing, which owes;
    garden_homes and hill_homes join, so the panel of three leaves one candidate out."""
    ctx = moved(service)
    for pid in ("garden_homes", "hill_homes"):
        _post(service, "/partners", "coordinator", {"on": "2026-01-01", "partner": {
            "id": pid, "kind": "registered_provider", "stock_areas": ["ashford"],
            "data_sharing_protocol_signatory": True}}, 201)
        _token(service, pid.replace("_homes", "_lead"), "kent_rp", pid, "named_lead")
    second = copy.deepcopy(referral())
    second.update(id="KRP-2026-020", referred_on="2026-05-04", current_area="thanet", unsafe_areas=["thanet"],
                  requested_areas=["swale", "canterbury"], nominating_partner={
                      "id": "coast_homes", "kind": "registered_provider", "stock_areas": ["thanet", "dover"],
                      "data_sharing_protocol_signatory": True, "membership": {"joined_on": "2021-01-01"}})
    second["tenancy"]["landlord"] = "coast_homes"
    _post(service, "/cases", "coast_officer", {"referral": second, "case_id": "K2"}, 201)
    for command, who in (("check", "coordinator"), ("accept", "coordinator"), ("approve", "coast_lead"),
                         ("circulate", "coordinator")):
        shown = _post(service, f"/cases/K2/{command}", who, {"on": "2026-05-06"})
    _post(service, f"/requests/{shown['arc']}/respond", "orchard_lead", {"on": "2026-05-07", "can_help": False})
    return ctx


def arbitrated(service: Service) -> dict[str, Any]:
    ctx = declined(service)
    shown = _post(service, "/arbitrations", "coordinator",
                  {"case_id": "K2", "declining": "orchard_housing", "on": "2026-05-08"}, 201)
    return {**ctx, "arbitration_id": shown["arbitration"], "panel": shown["panel"]}


# --- the matrix -------------------------------------------------------------------------------

def _arbitration_readers(ctx: dict[str, Any]) -> frozenset[str]:
    """Kent RP MoU §4.7: the coordinator, the declining (orchard) and nominating (coast) partners
    and the panel read an arbitration."""
    parties = {"coordinator", "orchard_housing", "coast_homes", *ctx["panel"]}
    return frozenset(name for name, pid in PARTNER_OF.items() if pid in parties)


@dataclass(frozen=True)
class Row:
    op: str  # method and path template, as in the OpenAPI document
    setup: Callable[[Service], dict[str, Any]]
    allowed: tuple[str, ...] | str | Callable[[dict[str, Any]], frozenset[str]]  # "*": kent_rp's; "**": all
    clause: str
    body: Any = None  # a dict, or a function of the setup's ids
    params: dict[str, str] | None = None
    filters: bool = False  # a read that shows a forbidden actor nothing, rather than 403
    arc_only: tuple[str, ...] = ()  # allowed, but they see the case by its ARC only, never its id
    elsewhere: int = 403  # what the other scheme's actor gets (404: the id is not in its scheme)


ON = {"on": "2026-05-01"}
RP_IDS = ('"orchard_housing"', '"coast_homes"', '"dover_dc"', '"weald_homes"')

MATRIX = [
    Row("GET /me", no_case, "**", "docs/http.md: any token says who it stands for"),
    # Case work, by id (Kent RP MoU §4.1-4.2: only the coordinator and the nominator see the application).
    Row("POST /cases", no_case, ("orchard_officer",), "Kent RP MoU §4.1: the nominating landlord's officer",
        {"referral": referral(), "case_id": "K1"}),
    Row("GET /cases", circulated, READERS, "§4.2: the coordinator pseudonymises before sharing", filters=True),
    Row("GET /cases/{case_id}", circulated, READERS, "§4.2"),
    Row("GET /cases/{case_id}/referral", circulated, READERS, "§4.2 (each read logged: a refusal logs none)"),
    Row("GET /cases/{case_id}/request", circulated, READERS, "§4.2"),
    Row("POST /cases/{case_id}/check", referred, ("coordinator",), "§4.2: the coordinator checks",
        {"on": "2026-03-03"}),
    Row("POST /cases/{case_id}/accept", checked, ("coordinator",), "§4.2", {"on": "2026-03-03"}),
    Row("POST /cases/{case_id}/decline", ineligible, ("coordinator",), "§4.2: the coordinator declines",
        {"on": "2026-03-04"}),
    Row("POST /cases/{case_id}/approve", eligible, ("orchard_lead",),
        "Kent RP process, Referral stage: the nominating landlord's named lead approves", {"on": "2026-03-04"}),
    Row("POST /cases/{case_id}/offer-specialist-support", unsupported, ("orchard_officer",),
        "Kent RP process, Referral stage: the nominating officer", {"on": "2026-03-03"}),
    Row("POST /cases/{case_id}/circulate", approved, ("coordinator",),
        "§4.2: the coordinator shares the redacted application", {"on": "2026-03-05"}),
    Row("POST /cases/{case_id}/extend-areas", circulated, ("coordinator",), "§4.3: areas extended",
        {"on": "2026-06-05", "requested_areas": ["thanet", "dover", "folkestone_hythe", "ashford"]}),
    Row("POST /cases/{case_id}/close", circulated, ("coordinator",), "§4.3: the request is closed",
        {"on": "2026-06-05", "reason": "withdrawn"}),
    Row("POST /cases/{case_id}/review-offer", in_review, ("orchard_lead",), "§4.5: the nominator's named lead",
        {"on": "2026-04-11", "approve": True, "consent": True}),
    Row("POST /cases/{case_id}/accept-offer", offered, ("orchard_officer",),
        "Kent RP process, Offer stage: the nominating officer", {"on": "2026-04-14"}),
    Row("POST /cases/{case_id}/refuse-offer", offered, ("orchard_officer",), "Kent RP process, Offer stage",
        {"on": "2026-04-14"}),
    Row("POST /cases/{case_id}/move", offer_accepted, ("coordinator",), "§4.6: the coordinator's count",
        {"on": "2026-04-24"}),
    Row("POST /cases/{case_id}/request-feedback", moved, ("coordinator",), "Kent RP process, Move stage", ON),
    Row("POST /cases/{case_id}/receive-feedback", moved, ("coordinator",), "Kent RP process, Move stage",
        {**ON, "source": "survivor"}),
    # Requests, by ARC (§4.3-4.4: the landlords the redacted request went to).
    Row("GET /requests", circulated, RECIPIENTS, "§4.2-4.3", filters=True, arc_only=RECIPIENTS),
    Row("GET /requests/{arc}", circulated, READERS + RECIPIENTS, "§4.2-4.3", arc_only=RECIPIENTS),
    Row("POST /requests/{arc}/respond", circulated, ("coast_lead", "dover_lead"),
        "§4.3, Kent RP process, Request stage: a recipient's named lead", {"on": "2026-03-06", "can_help": True}),
    Row("POST /requests/{arc}/offer", circulated, ("coast_lead",),  # coast's home: dover_dc may not offer it
        "§4.4: the accepting landlord offers its own home", {"on": "2026-04-10", "offer": offer()}),
    Row("GET /due", circulated, READERS + RECIPIENTS, "§4.2 (deadlines of what the caller reads)",
        params={"on": "2026-03-10"}, filters=True, arc_only=RECIPIENTS),
    # The partner register (§2.3 the coordinator manages membership, §2.4 the list is available to all).
    Row("GET /partners", no_case, "*", "§2.4 (first)", params={"on": "2026-03-01"}, filters=True),
    Row("GET /partners/{partner_id}", no_case, "*", "§2.4 (first)", params={"on": "2026-03-01"}, elsewhere=404),
    Row("POST /partners", no_case, ("coordinator",), "§2.2-2.3: the coordinator admits a signatory",
        {**ON, "partner": {"id": "garden_homes", "kind": "registered_provider", "stock_areas": ["ashford"],
                           "data_sharing_protocol_signatory": True}}),
    Row("POST /partners/{partner_id}/notice", no_case, ("coordinator", "weald_lead"),
        "§5.5: the partner notifies the coordinator", {"on": "2026-02-01"}, elsewhere=404),
    Row("POST /partners/{partner_id}/withdraw", noticed, ("coordinator", "weald_lead"),
        "§2.4 (second), §5.5", {"on": "2026-03-01"}, elsewhere=404),
    Row("POST /partners/{partner_id}/remove", no_case, ("coordinator",), "§2.3, §4.7",
        {"on": "2026-02-01", "reason": "other"}, elsewhere=404),
    Row("POST /partners/{partner_id}/lead", no_case, ("coordinator", "weald_lead"), "§6.1: each signatory's lead",
        {"on": "2026-03-05", "changed_on": "2026-03-02", "name": "Head of Housing"}, elsewhere=404),
    Row("POST /partners/{partner_id}/stock", no_case, ("coordinator",), "§2.4 (first): the coordinator's list",
        {"on": "2026-02-01", "stock_areas": ["ashford", "dover"]}, elsewhere=404),
    # The ledger (§4.6: the coordinator keeps the count of owed and awarded homes).
    Row("GET /ledger/balances", moved, "*", "§4.6, §2.4 (first)", params={"on": "2026-04-24"}, filters=True),
    Row("GET /ledger/history", moved, "*", "§4.6", filters=True),
    Row("POST /ledger/corrections", moved, ("coordinator",), "§4.6",
        lambda ctx: {**ON, "entry": ctx["entry"], "code": "wrong_partner"}),
    # Arbitration (§4.7) and reports.
    Row("GET /arbitrations", arbitrated, _arbitration_readers, "§4.7", filters=True),
    Row("GET /arbitrations/{arbitration_id}", arbitrated, _arbitration_readers, "§4.7"),
    Row("POST /arbitrations", declined, ("coordinator",), "§4.7: the Local Coordinator requests arbitration",
        {"case_id": "K2", "declining": "orchard_housing", "on": "2026-05-08"}),
    Row("POST /arbitrations/{arbitration_id}/decide", arbitrated, ("coordinator",), "§4.7",
        {"on": "2026-05-20", "justified": False}),
    Row("GET /reports", moved, ("coordinator",), "§4.6, docs/reports.md", params={"period": "2026Q2"}),
]


def _allowed(row: Row, ctx: dict[str, Any], service: Service) -> frozenset[str]:
    if callable(row.allowed):
        return row.allowed(ctx)
    if row.allowed in ("*", "**"):  # every kent_rp member ("**": the other scheme's actor too)
        return frozenset(n for n in service.headers if row.allowed == "**" or n != OTHER)
    return frozenset(row.allowed)


def _hidden(row: Row, ctx: dict[str, Any]) -> list[str]:
    """What a forbidden actor must not see: the case id, its ARC, the arbitration, kent_rp's partners."""
    shown = ['"K1"', ctx.get("arc"), ctx.get("arbitration_id")]
    if row.op.startswith(("GET /partners", "GET /ledger")):
        shown += RP_IDS
    return [s for s in shown if s]


def _call(service: Service, row: Row, ctx: dict[str, Any], who: str) -> Any:
    method, template = row.op.split(" ", 1)
    url = template.format(**{"case_id": "K1", "partner_id": "weald_homes", **ctx})
    if method == "GET":
        return service.get(url, who, params=row.params)
    return service.post(url, who, json=row.body(ctx) if callable(row.body) else row.body)


@pytest.mark.parametrize("row", MATRIX, ids=[r.op for r in MATRIX])
def test_the_forbidden_are_refused_and_write_nothing_the_allowed_succeed(svc: Service, row: Row) -> None:
    ctx = row.setup(svc)
    allowed = _allowed(row, ctx, svc)
    hidden = _hidden(row, ctx)
    for who in sorted(set(svc.headers) - allowed):
        before = _events(svc)
        r = _call(svc, row, ctx, who)
        if row.filters:
            assert r.status_code == 200 and not [s for s in hidden if s in r.text], (row.clause, who, r.text)
        else:
            assert r.status_code == (row.elsewhere if who == OTHER else 403), (row.clause, who, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
        assert _events(svc) == before, (row.clause, who)
    writes = row.op.startswith("POST")
    callers = sorted(allowed)  # a read: every allowed actor
    if writes:
        assert isinstance(row.allowed, tuple), "a write names its actors"
        callers = [row.allowed[0]]  # its first actor; each other one on its own setup, below
    for who in callers:
        before = _events(svc)
        r = _call(svc, row, ctx, who)
        assert 200 <= r.status_code < 300, (row.clause, who, r.text)
        if writes:
            assert _events(svc) > before, (row.clause, who)
        if row.filters:
            assert any(s in r.text for s in hidden), (row.clause, who, r.text)
        if who in row.arc_only:
            assert '"K1"' not in r.text, (row.clause, who, r.text)


EACH_WRITER = [(row, who) for row in MATRIX if row.op.startswith("POST") and isinstance(row.allowed, tuple)
               for who in row.allowed[1:]]


@pytest.mark.parametrize("row, who", EACH_WRITER, ids=[f"{r.op}-{w}" for r, w in EACH_WRITER])
def test_each_allowed_writer_succeeds_on_its_own(svc: Service, row: Row, who: str) -> None:
    ctx = row.setup(svc)
    before = _events(svc)
    r = _call(svc, row, ctx, who)
    assert 200 <= r.status_code < 300 and _events(svc) > before, (row.clause, who, r.text)


# --- the generic event routes: the door's own rule for every event ---------------------------

ROUTED = [e for e in PAYLOADS if e not in DERIVED]
KENT_RP_EVENTS = {step.event for step in process_of("kent_rp").steps}


def _sample(annotation: Any) -> Any:
    """A simple valid value of a payload field's type (a string: an area of Kent RP)."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _sample(args[0])
    if origin is Literal:
        return args[0]
    if origin in (tuple, list):
        return [_sample(args[0])]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return next(iter(annotation)).value
    return True if annotation is bool else "dover"


def _minimal_body(event: str) -> dict[str, Any]:
    """``on`` and the event's required fields, valid for its model (so a 403 is no 422 in disguise)."""
    model = PAYLOADS[event]
    payload = {name: _sample(f.annotation) for name, f in model.model_fields.items() if f.is_required()}
    model.model_validate_json(json.dumps(payload))
    return {"on": "2026-03-06", **payload}


@pytest.mark.parametrize("event", ROUTED)
def test_every_event_route_refuses_who_may_not_address_the_case(svc: Service, event: str) -> None:
    """By id, only the coordinator and the nominating partner address a case (§4.2); by ARC, only
    they and the partners the request was sent to (§4.3); an event the process lacks is refused
    (409) even to the coordinator. Nothing is written."""
    arc = walk_to_circulated(svc)
    body = _minimal_body(event)
    command = COMMANDS[event]
    by_arc_refused = sorted(set(svc.headers) - set(READERS) - set(RECIPIENTS))
    assert by_arc_refused == sorted(["weald_lead", OTHER])
    for url, refused in ((f"/cases/K1/{command}", sorted(set(svc.headers) - set(READERS))),
                         (f"/requests/{arc}/{command}", by_arc_refused)):
        for who in refused:
            before = _events(svc)
            r = svc.post(url, who, json=body)
            assert r.status_code == 403 and _events(svc) == before, (url, who, r.text)
    if event not in KENT_RP_EVENTS:
        before = _events(svc)
        r = svc.post(f"/cases/K1/{command}", "coordinator", json=body)
        assert r.status_code == 409 and _events(svc) == before, (event, r.text)


# --- coverage -----------------------------------------------------------------------------------

def test_every_authenticated_operation_has_a_row(tmp_path: Path) -> None:
    """A new endpoint needs a MATRIX row (or is a generic event route); no row names a stale one."""
    doc = create_app(tmp_path / "unused.db").openapi()
    secured = {f"{method.upper()} {path}" for path, ops in doc["paths"].items()
               for method, op in ops.items() if op.get("security")}
    generic = {f"POST {prefix}/{COMMANDS[e]}" for e in ROUTED for prefix in ("/cases/{case_id}", "/requests/{arc}")}
    rows = {row.op for row in MATRIX}
    assert len(rows) == len(MATRIX), "one row per operation"
    assert sorted(secured - rows - generic) == [], "operations with no authorisation row"
    assert sorted(rows - secured) == [], "rows for no operation of the document"
    assert {e for e in ROUTED if e in KENT_RP_EVENTS} <= {r.op.rsplit("/", 1)[1].replace("-", "_")
                                                          for r in MATRIX}
