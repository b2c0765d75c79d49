"""A partner never receives a field of the referral beyond the pseudonymised request (issue 13,
done when), a property over generated Kent RP referrals with identifiers planted in every text
a referral can carry (its id, the nominating partner's name and its named lead).

Each referral is opened, checked, accepted, approved and circulated over HTTP; then every
response a recipient partner gets (its requests, the request by ARC, the answer to its own
response) is searched for the planted identifiers, disguised as people write them, and holds
no key the pseudonymised request does not have. The search is issue 12's
(:func:`privacy.identifier_forms.leaked`)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lifecycle.register import join_all
from lifecycle.test_walkthrough import KENT_RP_PARTNERS
from privacy.identifier_forms import free_text, id_text, leaked

from reciprocity.access import Tokens
from reciprocity.casework import Actor
from reciprocity.http import create_app
from reciprocity.model import Referral
from reciprocity.privacy.request import PartnerRequest
from reciprocity.store import EventStore
from reciprocity.testing import eligible_referrals

_CASES = itertools.count(1)
_STATE: dict[str, Any] = {}
PARTNERS = ("coast_lead", "dover_lead")


def _service(tmp: Path) -> tuple[TestClient, dict[str, dict[str, str]]]:
    if not _STATE:
        store = EventStore.at(tmp / "property.db")
        join_all(store, "kent_rp", KENT_RP_PARTNERS, on=date(1900, 1, 1))  # before any generated referral
        tokens = Tokens(store)
        headers = {}
        for name, (partner, role) in {"coordinator": ("coordinator", "coordinator"),
                                      "officer": ("orchard_housing", "nominating_officer"),
                                      "lead": ("orchard_housing", "named_lead"),
                                      "coast_lead": ("coast_homes", "named_lead"),
                                      "dover_lead": ("dover_dc", "named_lead")}.items():
            secret = tokens.create("kent_rp", partner, role, on=date(1900, 1, 1), actor=Actor.coordinator()).secret
            headers[name] = {"Authorization": f"Bearer {secret}"}
        _STATE.update(client=TestClient(create_app(store)), headers=headers)
    return _STATE["client"], _STATE["headers"]


@st.composite
def planted(draw: st.DrawFn) -> tuple[Referral, list[Any]]:
    """An eligible Kent RP referral from orchard_housing asking for thanet (where two partners
    hold homes and none is unsafe), with identifiers in its id, nominator name and named lead."""
    referral = draw(eligible_referrals("kent_rp"))
    ref_text, ref_id = draw(id_text())
    name_text, name_id = draw(free_text(max_size=200))
    lead_text, lead_id = draw(free_text(max_size=120))
    data = referral.model_dump(mode="json")
    data["id"] = ref_text
    data["nominating_partner"].update(id="orchard_housing", name=name_text, named_lead=lead_text,
                                      kind="registered_provider", data_sharing_protocol_signatory=True)
    if data.get("tenancy"):
        data["tenancy"]["landlord"] = "orchard_housing"  # Kent RP MoU §3.1: a tenant of the nominator
    data["requested_areas"] = ["thanet"]
    data["unsafe_areas"] = [a for a in (data.get("unsafe_areas") or []) if a not in ("thanet", "dover")] or ["swale"]
    try:
        changed = Referral.model_validate(data)
    except ValueError:
        assume(False)
    return changed, [ref_id, name_id, lead_id]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=planted())
def test_no_referral_field_reaches_a_recipient(tmp_path_factory: Any, case: tuple[Referral, list[Any]]) -> None:
    client, h = _service(tmp_path_factory.mktemp("property"))
    referral, planted_ids = case
    case_id = f"prop-case-{next(_CASES):05d}"  # lowercase: never a chance substring of an upper-case ARC
    day = referral.referred_on
    body = {"referral": referral.model_dump(mode="json"), "case_id": case_id}
    r = client.post("/cases", json=body, headers=h["officer"])
    assume(r.status_code == 201)
    later = (day + timedelta(days=1)).isoformat()
    for who, command in (("coordinator", "check"), ("coordinator", "accept"), ("lead", "approve"),
                         ("coordinator", "circulate")):
        r = client.post(f"/cases/{case_id}/{command}", json={"on": later}, headers=h[who])
        assume(r.status_code == 200)
    arc = r.json()["arc"]
    seen: list[tuple[str, str]] = []
    recipients = 0
    for who in PARTNERS:
        listed = client.get("/requests", headers=h[who])
        one = client.get(f"/requests/{arc}", headers=h[who])
        answer = client.post(f"/requests/{arc}/respond", json={"on": later, "can_help": False}, headers=h[who])
        assert listed.status_code == 200
        sent = [x for x in listed.json() if x["arc"] == arc]
        # A partner the request did not go to learns nothing of it (dover_dc: no homes in thanet).
        assert (one.status_code, answer.status_code in (200, 409)) == ((200, True) if sent else (403, False))
        recipients += bool(sent)
        for request in (one.json() if sent else []):
            assert set(request) <= set(PartnerRequest.model_fields), set(request) - set(PartnerRequest.model_fields)
        seen += [(f"{who} /requests", listed.text), (f"{who} /requests/arc", one.text),
                 (f"{who} respond", answer.text)]
        assert case_id not in listed.text + one.text + answer.text
    for identifier in planted_ids:
        assert leaked(identifier, seen) is None, (identifier, leaked(identifier, seen))
    assert recipients >= 1  # coast_homes holds homes in thanet
