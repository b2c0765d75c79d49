"""Walk a Kent RP or Cambridgeshire case to a move between two given partners (test helper)."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from reciprocity.casework import Actor, Cases
from reciprocity.inputs import load_document
from reciprocity.lifecycle.case import CaseState
from reciprocity.partnership.service import Partners

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

#: Per scheme: referral, offer, the coordinator's role and the nominating partner's approval step.
_SOURCES = {
    "kent_rp": ("kent_rp_referral.json", "offers/kent_rp_offer.json", "coordinator", "approve"),
    "cambridgeshire": ("cambridgeshire_referral.yaml", "offers/cambridgeshire_offer.yaml", "specialist_service",
                       "sign_off"),
}
JOINED = date(2021, 1, 1)
#: Where the example households may move to (requested, safe, not their own area).
SAFE_AREA = {"kent_rp": "thanet", "cambridgeshire": "cambridge"}
HOME_AREA = {"kent_rp": "swale", "cambridgeshire": "fenland"}


def partner(pid: str, *areas: str, joined: str = "2021-01-01", signed: bool = True) -> dict[str, Any]:
    return {"id": pid, "kind": "registered_provider", "stock_areas": list(areas),
            "membership": {"joined_on": joined}, "data_sharing_protocol_signatory": signed}


def joining(pid: str, *areas: str, signed: bool = True) -> dict[str, Any]:
    """A partner record to join with (the join event's date is its joining date)."""
    record = partner(pid, *areas, signed=signed)
    del record["membership"]
    return record


def register(cases: Cases, scheme: str, pid: str, *areas: str) -> None:
    """Join ``pid`` to the scheme's register on 2021-01-01 unless the register already holds it."""
    partners = Partners(cases.store)
    if partners.find(scheme, pid) is None:
        partners.join(scheme, joining(pid, *areas), on=JOINED, actor=("coordinator", "coordinator"))


def walk_to_move(cases: Cases, case_id: str, *, scheme: str, nominator: str, acceptor: str, moved_on: date,
                 decline: tuple[str, ...] = ()) -> CaseState:
    """Refer on ``moved_on`` − 30 days a household of ``nominator`` and move it into a home of
    ``acceptor`` on ``moved_on``; the partners in ``decline`` answer that they cannot help.

    Partners the register does not hold yet join it on 2021-01-01 (the nominator with homes
    where the household lives, the others in the safe area); the request goes to the register's
    partners the scheme lets it reach, which must include the acceptor and the decliners."""
    ref_file, offer_file, coordinator_role, approval = _SOURCES[scheme]
    referral = copy.deepcopy(load_document(EXAMPLES / ref_file))
    offer = copy.deepcopy(load_document(EXAMPLES / offer_file))
    start = moved_on - timedelta(days=30)
    referral["referred_on"] = start.isoformat()
    referral["id"] = None
    home, safe = HOME_AREA[scheme], SAFE_AREA[scheme]
    register(cases, scheme, nominator, home)
    for pid in (acceptor, *decline):
        register(cases, scheme, pid, safe)
    referral["nominating_partner"] = partner(nominator, home)
    if referral.get("tenancy"):
        referral["tenancy"]["landlord"] = nominator
    if "risk" in referral and referral["risk"].get("assessed_on"):
        referral["risk"]["assessed_on"] = (start - timedelta(days=5)).isoformat()
    referral["current_area"] = home
    offer["landlord"] = partner(acceptor, safe)
    offer["area"] = safe
    offer["made_on"] = (moved_on - timedelta(days=10)).isoformat()
    coordinator = Actor.coordinator(coordinator_role)
    if scheme == "kent_rp":  # the nominating officer refers and reports the viewing (MoU §4.1)
        referrer = viewing = Actor(nominator, "nominating_officer")
    else:  # the specialist service refers and reports it (Cambridgeshire draft MoU §3)
        referrer = viewing = coordinator
    cases.new(scheme, referral, case_id=case_id, actor=referrer)
    cases.check(case_id, on=start, actor=coordinator)
    cases.accept(case_id, on=start, actor=coordinator)
    cases.record(case_id, approval, on=start + timedelta(days=1), actor=Actor(nominator, "named_lead"))
    if scheme == "cambridgeshire":
        cases.record(case_id, "notify_outcome", on=start + timedelta(days=1), actor=coordinator)
    state = cases.circulate(case_id, on=start + timedelta(days=2), actor=coordinator)
    assert {acceptor, *decline} <= set(state.rounds[-1].recipients), state.rounds[-1]
    for p in decline:
        cases.respond(case_id, on=start + timedelta(days=3), actor=Actor(p, "named_lead"), can_help=False)
    cases.make_offer(case_id, offer, on=moved_on - timedelta(days=10), actor=Actor(acceptor, "named_lead"))
    cases.record(case_id, "accept_offer", on=moved_on - timedelta(days=5), actor=viewing)
    return cases.record(case_id, "move", on=moved_on, actor=coordinator)
