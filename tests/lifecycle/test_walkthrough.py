"""A full case, referral to move, for each scheme, on the embedded store.

Kent RP: MoU §4.1-§4.6 and the process's Referral, Request, Offer and Move stages.
KRS: points 2, 4, 6, 8-14. Cambridgeshire: draft MoU §1 and §3.
"""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reciprocity.lifecycle.case import TransitionRefused
from reciprocity.lifecycle.service import Cases, UnknownCaseError
from reciprocity.inputs import load_document

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def counter_token() -> Any:
    """Deterministic stand-in for secrets.token_bytes."""
    counter = itertools.count(1)
    return lambda n: next(counter).to_bytes(n, "big")


def member(pid: str, kind: str, *areas: str, **extra: Any) -> dict[str, Any]:
    out = {"id": pid, "kind": kind, "stock_areas": list(areas), "membership": {"joined_on": "2021-01-01"}, **extra}
    if kind == "local_authority":
        out.setdefault("authority_area", areas[0])
    return out


@pytest.fixture
def cases(tmp_path: Path) -> Cases:
    with Cases.at(tmp_path / "cases.db", token=counter_token()) as opened:
        yield opened


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_kent_rp_from_referral_to_move(cases: Cases) -> None:
    referral = load_document(EXAMPLES / "kent_rp_referral.json")
    offer = load_document(EXAMPLES / "offers" / "kent_rp_offer.json")
    directory = [
        member("orchard_housing", "registered_provider", "maidstone", "swale"),  # the nominator
        member("coast_homes", "registered_provider", "thanet", "dover"),
        member("weald_homes", "registered_provider", "dover", "maidstone"),       # homes in an unsafe area
        member("dover_dc", "local_authority", "dover"),
    ]
    case = cases.new("kent_rp", referral, case_id="K1")
    assert case.state == "referred" and case.referred_on == d("2026-03-02")
    with pytest.raises(TransitionRefused, match="rule kent_rp.case_found_eligible"):
        cases.accept("K1", on=d("2026-03-03"), role="coordinator")
    case = cases.check("K1", on=d("2026-03-03"), role="coordinator")
    assert case.eligibility == "eligible"
    case = cases.accept("K1", on=d("2026-03-03"), role="coordinator")
    assert case.state == "eligible" and case.arc and case.arc.startswith("ARC-")
    with pytest.raises(TransitionRefused, match="is for named_lead, not 'coordinator'"):
        cases.record("K1", "approve", on=d("2026-03-04"), role="coordinator")
    case = cases.record("K1", "approve", on=d("2026-03-04"), role="named_lead")
    case = cases.circulate("K1", directory, on=d("2026-03-05"), role="coordinator")
    assert case.state == "circulating"
    assert case.rounds[-1].recipients == ("coast_homes", "dover_dc")
    assert case.rounds[-1].respond_by == d("2026-03-09")  # Thursday + 2 working days
    report = cases.due(on=d("2026-03-10"))
    assert [x.kind for x in report.overdue] == ["response"]
    assert {x.kind for x in report.upcoming} == {"recirculation"}
    case = cases.record("K1", "respond", on=d("2026-03-06"), role="named_lead",
                        payload={"partner": "coast_homes", "can_help": True})
    unsuitable = {**offer, "area": "maidstone"}
    with pytest.raises(TransitionRefused, match="kent_rp.offer_is_suitable"):
        cases.make_offer("K1", unsuitable, on=d("2026-04-10"), role="named_lead")
    case = cases.make_offer("K1", offer, on=d("2026-04-10"), role="named_lead")
    assert case.state == "offered"
    case = cases.record("K1", "accept_offer", on=d("2026-04-14"), role="nominating_officer")
    with pytest.raises(TransitionRefused, match="not allowed in state 'offer_accepted'"):
        cases.record("K1", "request_feedback", on=d("2026-04-20"), role="coordinator")
    case = cases.record("K1", "move", on=d("2026-04-24"), role="coordinator")
    assert case.state == "moved" and case.moved_on == d("2026-04-24")
    case = cases.record("K1", "request_feedback", on=d("2026-05-01"), role="coordinator")
    assert case.state == "completed"
    assert [h.event for h in case.history] == [
        "refer", "check_eligibility", "accept", "approve", "circulate", "respond", "make_offer",
        "accept_offer", "move", "request_feedback",
    ]
    assert cases.due(on=d("2026-05-02")).overdue == ()
    # The case survives closing and reopening the store: its state is the replay of its events.
    path = cases.store
    assert cases.get("K1") == case
    del path


def test_kent_krs_from_referral_to_duty_ended(cases: Cases) -> None:
    referral = load_document(EXAMPLES / "kent_krs_referral.yaml")
    offer = load_document(EXAMPLES / "offers" / "kent_krs_offer.yaml")
    councils = [
        member("swale_bc", "local_authority", "swale"),
        member("ashford_bc", "local_authority", "ashford"),
        member("tunbridge_wells_bc", "local_authority", "tunbridge_wells"),
        member("canterbury_cc", "local_authority", "canterbury"),  # unsafe
        member("thanet_dc", "local_authority", "thanet"),          # safe, though not a preference (point 9)
    ]
    r = "referring_council"
    cases.new("kent_krs", referral, case_id="S1")
    cases.check("S1", on=d("2026-05-11"), role=r)
    cases.accept("S1", on=d("2026-05-11"), role=r)
    case = cases.circulate("S1", councils, on=d("2026-05-12"), role=r)
    assert case.state == "contacting"
    assert case.rounds[-1].recipients == ("ashford_bc", "thanet_dc", "tunbridge_wells_bc")
    cases.record("S1", "respond", on=d("2026-05-13"), role="receiving_council",
                 payload={"partner": "ashford_bc", "can_help": True})
    with pytest.raises(TransitionRefused, match=r"kent_krs.information_before_acceptance \(KRS point 11\)"):
        cases.record("S1", "final_acceptance", on=d("2026-05-14"), role="receiving_council",
                     payload={"partner": "ashford_bc"})
    cases.record("S1", "send_information", on=d("2026-05-14"), role=r,
                 payload={"kinds": ["dash_risk_assessment", "police_reports", "risk_assessment_matrix",
                                    "agency_reports"]})
    cases.record("S1", "final_acceptance", on=d("2026-05-15"), role="receiving_council", payload={"partner": "ashford_bc"})
    case = cases.record("S1", "place_in_band", on=d("2026-05-18"), role="receiving_council",
                        payload={"partner": "ashford_bc"})
    (band,) = [x for x in cases.due(on=d("2026-08-19")).overdue if x.kind == "band_review"]
    assert band.due_on == d("2026-08-18") and "KRS point 2" in band.citation
    case = cases.make_offer("S1", offer, on=d("2026-06-20"), role=r)
    cases.record("S1", "accept_offer", on=d("2026-06-25"), role="receiving_council")
    case = cases.record("S1", "move", on=d("2026-07-06"), role="receiving_council")
    (duty,) = cases.obligations("S1")
    assert duty.holder == "swale_bc" and duty.open
    with pytest.raises(TransitionRefused, match="kent_krs.duty_ended_by_holder"):
        cases.record("S1", "end_duty", on=d("2026-07-07"), role="receiving_council", payload={"hclic_recorded": True})
    with pytest.raises(TransitionRefused, match="kent_krs.duty_end_in_hclic"):
        cases.record("S1", "end_duty", on=d("2026-07-07"), role=r, payload={"hclic_recorded": False})
    case = cases.record("S1", "end_duty", on=d("2026-07-07"), role=r, payload={"hclic_recorded": True})
    assert case.state == "duty_ended"
    (duty,) = cases.obligations("S1")
    assert duty.ended_on == d("2026-07-07") and not duty.open


def test_krs_receiving_council_can_take_over_the_duty(cases: Cases) -> None:
    """KRS point 6: the receiving council may take over the homelessness duty; then it ends it (point 14)."""
    referral = load_document(EXAMPLES / "kent_krs_referral.yaml")
    cases.new("kent_krs", referral, case_id="S2")
    cases.check("S2", on=d("2026-05-11"), role="referring_council")
    cases.accept("S2", on=d("2026-05-11"), role="referring_council")
    cases.record("S2", "take_over_duty", on=d("2026-05-20"), role="receiving_council", payload={"partner": "ashford_bc"})
    (duty,) = cases.obligations("S2")
    assert duty.holder == "ashford_bc"


def test_cambridgeshire_from_referral_to_tenancy_ended(cases: Cases) -> None:
    referral = load_document(EXAMPLES / "cambridgeshire_referral.yaml")
    offer = load_document(EXAMPLES / "offers" / "cambridgeshire_offer.yaml")
    partners = [
        member("fen_homes", "registered_provider", "fenland", "east_cambridgeshire"),
        member("cambridge_city", "local_authority", "cambridge"),
        member("south_cambs_dc", "local_authority", "south_cambridgeshire"),
        member("hunts_dc", "local_authority", "huntingdonshire"),
    ]
    s = "specialist_service"
    cases.new("cambridgeshire", referral, case_id="C1")
    cases.check("C1", on=d("2026-09-14"), role=s)
    case = cases.accept("C1", on=d("2026-09-15"), role=s)
    arc = case.arc
    cases.record("C1", "sign_off", on=d("2026-09-16"), role="named_lead")
    cases.record("C1", "notify_outcome", on=d("2026-09-16"), role=s)
    case = cases.circulate("C1", partners, on=d("2026-09-17"), role=s)
    assert case.rounds[-1].recipients == ("cambridge_city", "south_cambs_dc")
    (statutory,) = cases.obligations("C1")
    assert statutory.kind == "statutory_duty" and statutory.holder == "council of fenland" and statutory.open
    cases.make_offer("C1", offer, on=d("2026-10-20"), role="named_lead")
    cases.record("C1", "accept_offer", on=d("2026-10-22"), role=s)
    cases.record("C1", "move", on=d("2026-11-02"), role=s)
    kinds = {o.kind: o for o in cases.obligations("C1")}
    assert not kinds["statutory_duty"].open and kinds["end_previous_tenancy"].open
    case = cases.record("C1", "end_previous_tenancy", on=d("2026-11-09"), role="originating_partner")
    assert case.state == "completed" and case.arc == arc
    assert not {o.kind: o for o in cases.obligations("C1")}["end_previous_tenancy"].open


def test_a_repeated_write_is_a_no_op_and_unknown_cases_are_named(cases: Cases) -> None:
    referral = load_document(EXAMPLES / "kent_rp_referral.json")
    cases.new("kent_rp", referral, case_id="K2")
    first = cases.record("K2", "check_eligibility", on=d("2026-03-03"), role="coordinator",
                         payload={"outcome": "eligible"}, event_id="evt-1")
    again = cases.record("K2", "check_eligibility", on=d("2026-03-03"), role="coordinator",
                         payload={"outcome": "eligible"}, event_id="evt-1")
    assert again == first and len(cases.get("K2").history) == 2
    with pytest.raises(UnknownCaseError, match="no case 'nope'"):
        cases.get("nope")
