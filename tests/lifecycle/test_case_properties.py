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

from reciprocity.lifecycle.case import TransitionRefused
from reciprocity.lifecycle.circulation import areas_of
from reciprocity.lifecycle.service import Cases
from reciprocity.privacy import find_identifiers
from reciprocity.testing import eligible_referrals, partners

SCHEMES = ("kent_rp", "kent_krs", "cambridgeshire")
APPROVAL = {"kent_rp": ("approve", "named_lead"), "cambridgeshire": ("sign_off", "named_lead"), "kent_krs": None}
ROLE = {"kent_rp": "coordinator", "kent_krs": "referring_council", "cambridgeshire": "specialist_service"}
_counter = itertools.count()


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
    role = ROLE[scheme_id]
    on = referral.referred_on
    with Cases.at(tmp_path / f"p{next(_counter)}.db") as cases:
        state = cases.new(scheme_id, referral, case_id="P")
        cases.check("P", on=on, role=role)
        cases.accept("P", on=on, role=role)
        if APPROVAL[scheme_id]:
            event, by = APPROVAL[scheme_id]
            cases.record("P", event, on=on, role=by)
        later = on + timedelta(days=1)
        try:
            state = cases.circulate("P", directory, on=later, role=role)
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


def test_a_forged_circulation_to_the_nominator_is_refused(tmp_path: Path) -> None:
    """The guard re-checks the record itself: even a hand-built event cannot reach the nominator."""
    from reciprocity.inputs import load_document  # noqa: PLC0415

    examples = Path(__file__).resolve().parents[2] / "examples"
    with Cases.at(tmp_path / "f.db") as cases:
        cases.new("kent_rp", load_document(examples / "kent_rp_referral.json"), case_id="F")
        cases.check("F", on=date(2026, 3, 3), role="coordinator")
        cases.accept("F", on=date(2026, 3, 3), role="coordinator")
        cases.record("F", "approve", on=date(2026, 3, 4), role="named_lead")
        forged: dict[str, Any] = {"round": 1, "recipients": ["orchard_housing"], "recipient_areas":
                                  {"orchard_housing": ["thanet"]}, "respond_by": "2026-03-09", "request": {}}
        with pytest.raises(TransitionRefused, match="kent_rp.circulate_not_to_nominator"):
            cases.record("F", "circulate", on=date(2026, 3, 5), role="coordinator", payload=forged)
        forged = {**forged, "recipients": ["weald"], "recipient_areas": {"weald": ["dover", "maidstone"]}}
        with pytest.raises(TransitionRefused, match="kent_rp.circulate_not_to_unsafe_area"):
            cases.record("F", "circulate", on=date(2026, 3, 5), role="coordinator", payload=forged)
        assert cases.get("F").state == "approved"
        assert len(cases.store.stream("case:F")) == 4
