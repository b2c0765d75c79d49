"""Properties of cases through the service and the store.

Kent RP MoU §4.2 (pseudonymise, share with landlords with stock in the requested area), KRS
point 9 (only safe councils), Cambridgeshire MoU §3 (the ARC in all partner communications):
generated partners, areas and cases never circulate to an unsafe area or to the nominator, and
nothing partner-facing carries an identifier or the case's location."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reciprocity.casework import Actor, Cases
from reciprocity.errors import InvalidInputError
from reciprocity.lifecycle.case import TransitionRefused, apply
from reciprocity.lifecycle.circulation import areas_of
from reciprocity.partnership.service import Partners
from reciprocity.privacy import find_identifiers
from reciprocity.testing import eligible_referrals, partners

SCHEMES = ("kent_rp", "kent_krs", "cambridgeshire")
APPROVAL = {"kent_rp": ("approve", "named_lead"), "cambridgeshire": ("sign_off", "named_lead"), "kent_krs": None}
ROLE = {"kent_rp": "coordinator", "kent_krs": "referring_council", "cambridgeshire": "specialist_service"}
REFERRER = {"kent_rp": "nominating_officer", "kent_krs": "referring_council", "cambridgeshire": "specialist_service"}
_counter = itertools.count()


def _register(store: Any, scheme_id: str, members: list[Any], on: date) -> None:
    """Every generated partner joins the register before the referral (their generated standing
    dates are exercised by tests/lifecycle/test_circulation.py, which calls recipients() directly)."""
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    register = Partners(store)
    known = get_scheme(scheme_id).area_ids
    for member in members:
        if member.authority_area is not None and member.authority_area not in known:
            continue  # a council of another scheme: the register refuses it
        stock = tuple(a for a in member.stock_areas if a in known)
        register.join(scheme_id, member.model_copy(update={"membership": None, "stock_areas": stock,
                                                           "data_sharing_protocol_signatory": True}), on=on, actor=("coordinator", "coordinator"))


@pytest.mark.parametrize("scheme_id", SCHEMES)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_circulation_is_safe_and_partner_output_is_pseudonymised(
    scheme_id: str, data: st.DataObject, tmp_path: Path
) -> None:
    referral = data.draw(eligible_referrals(scheme_id), label="referral")
    assume(referral.unsafe_areas is not None)
    directory = data.draw(st.lists(partners(scheme_id), min_size=1, max_size=8, unique_by=lambda p: p.id),
                          label="partners")
    on = referral.referred_on
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    known = sorted(get_scheme(scheme_id).area_ids)
    nominating = referral.nominating_partner
    if nominating.authority_area is not None and nominating.authority_area not in known:
        # Only the scheme's own councils are in its register; draw-independent fix-up.
        area = referral.current_area if referral.current_area in known else known[0]
        nominating = nominating.model_copy(update={"authority_area": area})
        referral = referral.model_copy(update={"nominating_partner": nominating})
    nominator = referral.nominating_partner.id
    directory = [p for p in directory if p.id != nominator and p.id != "coordinator"]
    coordinator_role = ROLE[scheme_id]
    admin = Actor(nominator, coordinator_role) if scheme_id == "kent_krs" else Actor.coordinator(coordinator_role)
    referrer = Actor.coordinator(coordinator_role) if scheme_id == "cambridgeshire" else Actor(nominator, REFERRER[scheme_id])
    with Cases.at(tmp_path / f"p{next(_counter)}.db") as cases:
        _register(cases.store, scheme_id, [*directory, referral.nominating_partner], on - timedelta(days=400))
        state = cases.new(scheme_id, referral, case_id="P", actor=referrer)
        cases.check("P", on=on, actor=admin)
        cases.accept("P", on=on, actor=admin)
        if APPROVAL[scheme_id]:
            event, by = APPROVAL[scheme_id]
            cases.record("P", event, on=on, actor=Actor(nominator, by))
        later = on + timedelta(days=1)
        try:
            state = cases.circulate("P", on=later, actor=admin)
        except TransitionRefused as refused:
            assert refused.rule == f"{scheme_id}.circulate_to_someone", str(refused)
            return
        (sent,) = state.rounds
        by_id = {p.id: p for p in directory}
        unsafe = set(referral.unsafe_areas or ())
        assert referral.nominating_partner.id not in sent.recipients
        assert all(not (areas_of(by_id[r]) & unsafe) for r in sent.recipients)
        request = next(r.event.payload["request"] for r in cases.store.stream("case:P") if r.event.type == "circulate")
    # The request's own dates are the process's (circulated, answer by), not a person's.
    assert request.pop("circulated_on") == later.isoformat()
    assert request.pop("respond_by") == sent.respond_by.isoformat()
    text = json.dumps(request)
    assert find_identifiers(text) == ()
    assert state.arc in text
    forbidden = {referral.nominating_partner.id, *(referral.unsafe_areas or ())}
    if referral.id:
        forbidden.add(referral.id)
    if referral.current_area and referral.current_area not in (referral.requested_areas or ()):
        forbidden.add(referral.current_area)
    for value in forbidden:
        assert f'"{value}"' not in text, value


def test_a_forged_circulation_is_refused_by_the_service_and_by_the_process(tmp_path: Path) -> None:
    """Recipients are derived, never accepted (issue 12); and the process's guards re-check a
    circulation's own record on every replay, so even an event written into the store by hand
    cannot reach the nominator or an unsafe area (Kent RP MoU §4.2)."""
    from reciprocity.casework.derive import process_of  # noqa: PLC0415
    from reciprocity.inputs import load_document  # noqa: PLC0415

    from .register import COORDINATOR, join_all, lead, officer, partner  # noqa: PLC0415

    examples = Path(__file__).resolve().parents[2] / "examples"
    with Cases.at(tmp_path / "f.db") as cases:
        join_all(cases.store, "kent_rp", [partner("orchard_housing", "registered_provider", "maidstone")])
        cases.new("kent_rp", load_document(examples / "kent_rp_referral.json"), case_id="F",
                  actor=officer("orchard_housing"))
        cases.check("F", on=date(2026, 3, 3), actor=COORDINATOR)
        cases.accept("F", on=date(2026, 3, 3), actor=COORDINATOR)
        state = cases.record("F", "approve", on=date(2026, 3, 4), actor=lead("orchard_housing"))
        forged: dict[str, Any] = {"round": 1, "recipients": ["orchard_housing"], "recipient_areas":
                                  {"orchard_housing": ["thanet"]}, "respond_by": "2026-03-09", "request": {},
                                  "actor": "coordinator"}
        with pytest.raises(InvalidInputError, match="use Cases.circulate"):
            cases.record("F", "circulate", on=date(2026, 3, 5), actor=COORDINATOR, payload=forged)
        process = process_of("kent_rp")
        with pytest.raises(TransitionRefused, match="kent_rp.circulate_not_to_nominator"):
            apply(process, state, 5, "circulate", on=date(2026, 3, 5), role="coordinator", payload=forged)
        forged = {**forged, "recipients": ["weald"], "recipient_areas": {"weald": ["dover", "maidstone"]}}
        with pytest.raises(TransitionRefused, match="kent_rp.circulate_not_to_unsafe_area"):
            apply(process, state, 5, "circulate", on=date(2026, 3, 5), role="coordinator", payload=forged)
        assert cases.get("F").state == "approved"
        assert len(cases.store.stream("case:F")) == 4
