"""Walk a Kent RP or Cambridgeshire case to a move between two given partners (test helper)."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from reciprocity.inputs import load_document
from reciprocity.lifecycle.case import CaseState
from reciprocity.casework.cases import Cases

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

_SOURCES = {
    "kent_rp": ("kent_rp_referral.json", "offers/kent_rp_offer.json", "coordinator", "approve", "nominating_officer"),
    "cambridgeshire": ("cambridgeshire_referral.yaml", "offers/cambridgeshire_offer.yaml", "specialist_service",
                       "sign_off", "specialist_service"),
}
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


def walk_to_move(cases: Cases, case_id: str, *, scheme: str, nominator: str, acceptor: str, moved_on: date,
                 decline: tuple[str, ...] = ()) -> CaseState:
    """Refer on ``moved_on`` − 30 days a household of ``nominator`` and move it into a home of
    ``acceptor`` on ``moved_on``; the partners in ``decline`` answer that they cannot help."""
    ref_file, offer_file, role, approval, accepter = _SOURCES[scheme]
    referral = copy.deepcopy(load_document(EXAMPLES / ref_file))
    offer = copy.deepcopy(load_document(EXAMPLES / offer_file))
    start = moved_on - timedelta(days=30)
    referral["referred_on"] = start.isoformat()
    referral["id"] = None
    home, safe = HOME_AREA[scheme], SAFE_AREA[scheme]
    referral["nominating_partner"] = partner(nominator, home)
    if referral.get("tenancy"):
        referral["tenancy"]["landlord"] = nominator
    if "risk" in referral and referral["risk"].get("assessed_on"):
        referral["risk"]["assessed_on"] = (start - timedelta(days=5)).isoformat()
    referral["current_area"] = home
    offer["landlord"] = partner(acceptor, safe)
    offer["area"] = safe
    offer["made_on"] = (moved_on - timedelta(days=10)).isoformat()
    directory = [partner(acceptor, safe), *(partner(p, safe) for p in decline)]
    cases.new(scheme, referral, case_id=case_id)
    cases.check(case_id, on=start, role=role)
    cases.accept(case_id, on=start, role=role)
    cases.record(case_id, approval, on=start + timedelta(days=1), role="named_lead")
    if scheme == "cambridgeshire":
        cases.record(case_id, "notify_outcome", on=start + timedelta(days=1), role=role)
    cases.circulate(case_id, directory, on=start + timedelta(days=2), role=role)
    for p in decline:
        cases.record(case_id, "respond", on=start + timedelta(days=3), role="named_lead",
                     payload={"partner": p, "can_help": False})
    cases.make_offer(case_id, offer, on=moved_on - timedelta(days=10), role="named_lead")
    cases.record(case_id, "accept_offer", on=moved_on - timedelta(days=5), role=accepter)
    return cases.record(case_id, "move", on=moved_on, role=role)
