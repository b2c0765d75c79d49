"""A full case, referral to move, for each scheme, on the embedded store, through the commands.

Kent RP: MoU §4.1-§4.6 and the process's Referral, Request, Offer and Move stages.
KRS: points 2, 4, 6, 8-14. Cambridgeshire: draft MoU §1 and §3.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from reciprocity.casework import Actor, ActorRefused, Cases, UnknownCaseError
from reciprocity.inputs import load_document
from reciprocity.lifecycle.case import TransitionRefused
from .register import (
    COORDINATOR,
    SPECIALIST,
    counter_token,
    join_all,
    lead,
    officer,
    partner,
    receiving,
    referring,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

KENT_RP_PARTNERS = [
    partner("orchard_housing", "registered_provider", "maidstone", "swale", "canterbury"),  # the nominator
    partner("coast_homes", "registered_provider", "thanet", "dover"),
    partner("weald_homes", "registered_provider", "dover", "maidstone"),       # homes in an unsafe area
    partner("dover_dc", "local_authority", "dover"),
]
KRS_COUNCILS = [
    partner("swale_bc", "local_authority", "swale"),
    partner("ashford_bc", "local_authority", "ashford"),
    partner("tunbridge_wells_bc", "local_authority", "tunbridge_wells"),
    partner("canterbury_cc", "local_authority", "canterbury"),  # unsafe
    partner("thanet_dc", "local_authority", "thanet"),          # safe, though not a preference (point 9)
]
CAMBS_PARTNERS = [
    partner("fen_homes", "registered_provider", "fenland", "east_cambridgeshire"),
    partner("cambridge_city", "local_authority", "cambridge"),
    partner("south_cambs_dc", "local_authority", "south_cambridgeshire"),
    partner("hunts_dc", "local_authority", "huntingdonshire"),
]


@pytest.fixture
def cases(tmp_path: Path) -> Cases:
    with Cases.at(tmp_path / "cases.db", token=counter_token()) as opened:
        join_all(opened.store, "kent_rp", KENT_RP_PARTNERS)
        join_all(opened.store, "kent_krs", KRS_COUNCILS)
        join_all(opened.store, "cambridgeshire", CAMBS_PARTNERS)
        yield opened


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_kent_rp_from_referral_to_move(cases: Cases) -> None:
    referral = load_document(EXAMPLES / "kent_rp_referral.json")
    offer = load_document(EXAMPLES / "offers" / "kent_rp_offer.json")
    case = cases.new("kent_rp", referral, case_id="K1", actor=officer("orchard_housing"))
    assert case.state == "referred" and case.referred_on == d("2026-03-02")
    with pytest.raises(TransitionRefused, match="rule kent_rp.case_found_eligible"):
        cases.accept("K1", on=d("2026-03-03"), actor=COORDINATOR)
    case = cases.check("K1", on=d("2026-03-03"), actor=COORDINATOR)
    assert case.eligibility == "eligible"
    case = cases.accept("K1", on=d("2026-03-03"), actor=COORDINATOR)
    assert case.state == "eligible" and case.arc and case.arc.startswith("ARC-")
    with pytest.raises(TransitionRefused, match="is for named_lead, not the role given"):
        cases.record("K1", "approve", on=d("2026-03-04"), actor=COORDINATOR)
    with pytest.raises(TransitionRefused, match="named_lead of the nominating partner"):
        cases.record("K1", "approve", on=d("2026-03-04"), actor=lead("coast_homes"))
    case = cases.record("K1", "approve", on=d("2026-03-04"), actor=lead("orchard_housing"))
    case = cases.circulate("K1", on=d("2026-03-05"), actor=COORDINATOR)
    assert case.state == "circulating"
    assert case.rounds[-1].recipients == ("coast_homes", "dover_dc")
    assert case.rounds[-1].respond_by == d("2026-03-09")  # Thursday + 2 working days
    report = cases.due(on=d("2026-03-10"))
    assert [x.kind for x in report.overdue] == ["response"]
    assert {x.kind for x in report.upcoming} == {"recirculation"}
    case = cases.respond("K1", on=d("2026-03-06"), actor=lead("coast_homes"), can_help=True)
    assert case.responses[-1][:2] == ("coast_homes", True)
    unsuitable = {**offer, "area": "maidstone"}
    with pytest.raises(TransitionRefused, match="kent_rp.offer_is_suitable"):
        cases.make_offer("K1", unsuitable, on=d("2026-04-10"), actor=lead("coast_homes"))
    case = cases.make_offer("K1", offer, on=d("2026-04-10"), actor=lead("coast_homes"))
    assert case.state == "offered"
    case = cases.record("K1", "accept_offer", on=d("2026-04-14"), actor=officer("orchard_housing"))
    with pytest.raises(TransitionRefused, match="not allowed in state 'offer_accepted'"):
        cases.record("K1", "request_feedback", on=d("2026-04-20"), actor=COORDINATOR)
    case = cases.record("K1", "move", on=d("2026-04-24"), actor=COORDINATOR)
    assert case.state == "moved" and case.moved_on == d("2026-04-24")
    case = cases.record("K1", "request_feedback", on=d("2026-05-01"), actor=COORDINATOR)
    assert case.state == "completed"
    assert [h.event for h in case.history] == [
        "refer", "check_eligibility", "accept", "approve", "circulate", "respond", "make_offer",
        "accept_offer", "move", "request_feedback",
    ]
    assert [h.actor for h in case.history] == [
        "orchard_housing", "coordinator", "coordinator", "orchard_housing", "coordinator", "coast_homes",
        "coast_homes", "orchard_housing", "coordinator", "coordinator",
    ]
    assert cases.due(on=d("2026-05-02")).overdue == ()
    # The case's state is the replay of its events.
    assert cases.get("K1") == case


def test_kent_krs_from_referral_to_duty_ended(cases: Cases) -> None:
    referral = load_document(EXAMPLES / "kent_krs_referral.yaml")
    offer = load_document(EXAMPLES / "offers" / "kent_krs_offer.yaml")
    r = referring("swale_bc")
    cases.new("kent_krs", referral, case_id="S1", actor=r)
    cases.check("S1", on=d("2026-05-11"), actor=r)
    cases.accept("S1", on=d("2026-05-11"), actor=r)
    case = cases.circulate("S1", on=d("2026-05-12"), actor=r)
    assert case.state == "contacting"
    assert case.rounds[-1].recipients == ("ashford_bc", "thanet_dc", "tunbridge_wells_bc")
    cases.respond("S1", on=d("2026-05-13"), actor=receiving("ashford_bc"), can_help=True)
    with pytest.raises(TransitionRefused, match=r"kent_krs.information_before_acceptance \(KRS point 11\)"):
        cases.record("S1", "final_acceptance", on=d("2026-05-14"), actor=receiving("ashford_bc"))
    cases.record("S1", "send_information", on=d("2026-05-14"), actor=r,
                 payload={"kinds": ["dash_risk_assessment", "police_reports", "risk_assessment_matrix",
                                    "agency_reports"]})
    cases.record("S1", "final_acceptance", on=d("2026-05-15"), actor=receiving("ashford_bc"))
    case = cases.record("S1", "place_in_band", on=d("2026-05-18"), actor=receiving("ashford_bc"))
    (band,) = [x for x in cases.due(on=d("2026-08-19")).overdue if x.kind == "band_review"]
    assert band.due_on == d("2026-08-18") and "KRS point 2" in band.citation
    case = cases.make_offer("S1", offer, on=d("2026-06-20"), actor=r)
    cases.record("S1", "accept_offer", on=d("2026-06-25"), actor=receiving("ashford_bc"))
    case = cases.record("S1", "move", on=d("2026-07-06"), actor=receiving("ashford_bc"))
    (duty,) = cases.obligations("S1")
    assert duty.holder == "swale_bc" and duty.open
    with pytest.raises(TransitionRefused, match="the council holding the homelessness duty"):
        cases.record("S1", "end_duty", on=d("2026-07-07"), actor=receiving("ashford_bc"),
                     payload={"hclic_recorded": True})
    with pytest.raises(TransitionRefused, match="kent_krs.duty_end_in_hclic"):
        cases.record("S1", "end_duty", on=d("2026-07-07"), actor=r, payload={"hclic_recorded": False})
    case = cases.record("S1", "end_duty", on=d("2026-07-07"), actor=r, payload={"hclic_recorded": True})
    assert case.state == "duty_ended"
    (duty,) = cases.obligations("S1")
    assert duty.ended_on == d("2026-07-07") and not duty.open


def test_cambridgeshire_from_referral_to_tenancy_ended(cases: Cases) -> None:
    referral = load_document(EXAMPLES / "cambridgeshire_referral.yaml")
    offer = load_document(EXAMPLES / "offers" / "cambridgeshire_offer.yaml")
    s = SPECIALIST
    cases.new("cambridgeshire", referral, case_id="C1", actor=s)
    cases.check("C1", on=d("2026-09-14"), actor=s)
    case = cases.accept("C1", on=d("2026-09-15"), actor=s)
    arc = case.arc
    cases.record("C1", "sign_off", on=d("2026-09-16"), actor=lead("fen_homes"))
    cases.record("C1", "notify_outcome", on=d("2026-09-16"), actor=s)
    case = cases.circulate("C1", on=d("2026-09-17"), actor=s)
    assert case.rounds[-1].recipients == ("cambridge_city", "south_cambs_dc")
    (statutory,) = cases.obligations("C1")
    assert statutory.kind == "statutory_duty" and statutory.holder == "council of fenland" and statutory.open
    cases.make_offer("C1", offer, on=d("2026-10-20"), actor=lead("cambridge_city"))
    cases.record("C1", "accept_offer", on=d("2026-10-22"), actor=s)
    cases.record("C1", "move", on=d("2026-11-02"), actor=s)
    kinds = {o.kind: o for o in cases.obligations("C1")}
    assert not kinds["statutory_duty"].open and kinds["end_previous_tenancy"].open
    case = cases.record("C1", "end_previous_tenancy", on=d("2026-11-09"), actor=Actor("fen_homes", "originating_partner"))
    assert case.state == "completed" and case.arc == arc
    assert not {o.kind: o for o in cases.obligations("C1")}["end_previous_tenancy"].open


def test_a_repeated_write_is_a_no_op_and_unknown_cases_are_not_echoed(cases: Cases) -> None:
    referral = load_document(EXAMPLES / "kent_rp_referral.json")
    cases.new("kent_rp", referral, case_id="K2", actor=officer("orchard_housing"))
    cases.check("K2", on=d("2026-03-03"), actor=COORDINATOR)
    once = cases.record("K2", "close", on=d("2026-03-04"), actor=COORDINATOR, payload={"reason": "withdrawn"},
                        event_id="evt-1")
    again = cases.record("K2", "close", on=d("2026-03-04"), actor=COORDINATOR, payload={"reason": "withdrawn"},
                         event_id="evt-1")
    assert again == once and len(cases.get("K2").history) == 3
    with pytest.raises(UnknownCaseError) as refused:
        cases.get("nope")
    assert "nope" not in str(refused.value)
