"""Issue 12: the library computes what it records and knows who acts.

Kent RP MoU §4.2 (only partners with homes in the requested areas, never an unsafe one, receive
a request), §4.5 (protected tenancies go to the named leads), §4.7 (the Local Coordinator asks
for arbitration); KRS points 6 and 14 (only the receiving council takes the duty over; the
holder ends it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reciprocity.casework import Actor, ActorRefused, Cases
from reciprocity.casework.arbitration import Arbitrations
from reciprocity.errors import InvalidInputError
from reciprocity.inputs import load_document
from reciprocity.lifecycle.case import TransitionRefused
from reciprocity.partnership.service import Partners

from .register import COORDINATOR, counter_token, join_all, lead, officer, partner, receiving, referring
from .test_walkthrough import KENT_RP_PARTNERS, KRS_COUNCILS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
D = date.fromisoformat


@pytest.fixture
def cases(tmp_path: Path) -> Iterator[Cases]:
    with Cases.at(tmp_path / "cases.db", token=counter_token()) as opened:
        join_all(opened.store, "kent_rp", [*KENT_RP_PARTNERS, partner("medway_homes", "registered_provider", "medway")])
        join_all(opened.store, "kent_krs", KRS_COUNCILS)
        yield opened


def circulating(cases: Cases) -> str:
    """A Kent RP case sent to coast_homes and dover_dc (weald_homes left out: homes in an unsafe area)."""
    cases.new("kent_rp", load_document(EXAMPLES / "kent_rp_referral.json"), case_id="K1",
              actor=officer("orchard_housing"))
    cases.check("K1", on=D("2026-03-03"), actor=COORDINATOR)
    cases.accept("K1", on=D("2026-03-03"), actor=COORDINATOR)
    cases.record("K1", "approve", on=D("2026-03-04"), actor=lead("orchard_housing"))
    state = cases.circulate("K1", on=D("2026-03-05"), actor=COORDINATOR)
    assert state.recipients == ("coast_homes", "dover_dc")
    return "K1"


# --- no public call puts derived content into the store -------------------------------------

FORGED: dict[str, dict[str, Any]] = {
    "refer": {"scheme": "kent_rp", "referral": {}},
    "check_eligibility": {"outcome": "eligible"},
    "accept": {"arc": "ARC-7J8Q-MN8A"},
    "circulate": {"round": 1, "recipients": ["weald_homes"], "recipient_areas": {"weald_homes": ["dover"]},
                  "respond_by": "2026-03-09", "request": {"notes": "Jane Doe, AB123456C"}},
    "make_offer": {"offer": {}, "assessment": "eligible"},
    "propose_offer": {"offer": {}, "assessment": "needs_review"},
    "approve_offer": {"consent": True},
}


@pytest.mark.parametrize("event", sorted(FORGED))
def test_derived_events_cannot_be_recorded_from_a_payload(cases: Cases, event: str) -> None:
    circulating(cases)
    before = len(cases.store.stream("case:K1"))
    with pytest.raises(InvalidInputError, match="derived by the library") as refused:
        cases.record("K1", event, on=D("2026-03-06"), actor=COORDINATOR, payload=FORGED[event])
    assert "use Cases." in str(refused.value)
    assert len(cases.store.stream("case:K1")) == before


@pytest.mark.parametrize(("event", "payload"), [
    ("respond", {"partner": "coast_homes", "can_help": True}),  # who answers is the actor
    ("take_over_duty", {"partner": "ashford_bc"}),               # who takes over is the actor
    ("approve", {"actor": "orchard_housing"}),                   # the actor is not a payload field
])
def test_who_acts_is_never_a_payload_field(cases: Cases, event: str, payload: dict[str, Any]) -> None:
    circulating(cases)
    with pytest.raises(InvalidInputError):
        cases.record("K1", event, on=D("2026-03-06"), actor=lead("coast_homes"), payload=payload)


def test_the_recorded_derived_content_is_the_librarys(cases: Cases) -> None:
    circulating(cases)
    (circulate,) = [r.event for r in cases.store.stream("case:K1") if r.event.type == "circulate"]
    assert circulate.payload["recipient_areas"] == {"coast_homes": ["dover", "thanet"], "dover_dc": ["dover"]}
    assert ["weald_homes", "has_homes_in_an_unsafe_area"] in circulate.payload["excluded"]
    assert circulate.payload["actor"] == "coordinator"


# --- partner acts only from partners the request went to ------------------------------------

@pytest.mark.parametrize(("who", "error"), [
    ("not_a_partner", ActorRefused),      # no partner at all
    ("orchard_housing", TransitionRefused),  # the nominating partner itself
    ("weald_homes", TransitionRefused),   # left out: homes in an unsafe area
    ("medway_homes", TransitionRefused),  # a member the request never went to
])
def test_only_a_recipient_may_answer_or_offer(cases: Cases, who: str, error: type[Exception]) -> None:
    circulating(cases)
    with pytest.raises(error):
        cases.respond("K1", on=D("2026-03-06"), actor=lead(who), can_help=True)
    offer = {**load_document(EXAMPLES / "offers" / "kent_rp_offer.json")}
    offer["landlord"] = {**offer["landlord"], "id": who}
    with pytest.raises((ActorRefused, TransitionRefused)):
        cases.make_offer("K1", offer, on=D("2026-04-10"), actor=lead(who))
    assert cases.get("K1").responses == () and cases.get("K1").offers == ()


def test_a_partner_offers_only_its_own_homes(cases: Cases) -> None:
    circulating(cases)
    offer = load_document(EXAMPLES / "offers" / "kent_rp_offer.json")  # a coast_homes home
    with pytest.raises(TransitionRefused, match="a partner offers its own homes"):
        cases.make_offer("K1", offer, on=D("2026-04-10"), actor=lead("dover_dc"))


# --- role checks ---------------------------------------------------------------------------

def test_role_checks_refuse_and_say_who_may(cases: Cases) -> None:
    """The nominating partner's named lead approves (Kent RP process, Referral stage)."""
    cases.new("kent_rp", load_document(EXAMPLES / "kent_rp_referral.json"), case_id="K1",
              actor=officer("orchard_housing"))
    cases.check("K1", on=D("2026-03-03"), actor=COORDINATOR)
    cases.accept("K1", on=D("2026-03-03"), actor=COORDINATOR)
    on = D("2026-03-04")
    with pytest.raises(TransitionRefused, match=r"named_lead of the nominating partner \(orchard_housing\)"):
        cases.record("K1", "approve", on=on, actor=lead("coast_homes"))            # wrong partner
    with pytest.raises(TransitionRefused, match="is for named_lead, not the role given"):
        cases.record("K1", "approve", on=on, actor=officer("orchard_housing"))    # right partner, wrong role
    with pytest.raises(ActorRefused, match="not in the kent_rp partner register"):
        cases.record("K1", "approve", on=on, actor=lead("ghost_homes"))           # not in the register
    Partners(cases.store).remove("kent_rp", "coast_homes", on=D("2026-03-01"), actor=("coordinator", "coordinator"))
    with pytest.raises(ActorRefused, match="removed"):
        cases.respond("K1", on=on, actor=lead("coast_homes"), can_help=True)      # partner removed
    with pytest.raises(TransitionRefused, match="is for the scheme's coordinator, as coordinator"):
        cases.record("K1", "close", on=on, actor=Actor("orchard_housing", "coordinator"), payload={"reason": "other"})
    state = cases.record("K1", "approve", on=on, actor=lead("orchard_housing"))
    assert [(h.event, h.actor, h.role) for h in state.history][-1] == ("approve", "orchard_housing", "named_lead")
    assert all(h.actor for h in state.history)


def test_only_the_coordinator_requests_arbitration(cases: Cases) -> None:
    """Kent RP MoU §4.7 gives arbitration to the Local Coordinator."""
    circulating(cases)
    cases.respond("K1", on=D("2026-03-06"), actor=lead("dover_dc"), can_help=False)
    with pytest.raises(ActorRefused, match="only the coordinator requests arbitration"):
        Arbitrations(cases.store).request("K1", "dover_dc", on=D("2026-03-07"), actor=lead("coast_homes"))


# --- protected tenancies (MoU §4.5) ---------------------------------------------------------

def protected_case(cases: Cases) -> str:
    referral = load_document(EXAMPLES / "kent_rp_referral.json")
    referral["tenancy"] = {**referral["tenancy"], "type": "secure_fair_rent"}
    cases.new("kent_rp", referral, case_id="K5", actor=officer("orchard_housing"))
    cases.check("K5", on=D("2026-03-03"), actor=COORDINATOR)
    cases.accept("K5", on=D("2026-03-03"), actor=COORDINATOR)
    cases.record("K5", "approve", on=D("2026-03-04"), actor=lead("orchard_housing"))
    cases.circulate("K5", on=D("2026-03-05"), actor=COORDINATOR)
    return "K5"


def secure_offer() -> dict[str, Any]:
    return {**load_document(EXAMPLES / "offers" / "kent_rp_offer.json"), "tenancy_type": "secure"}


@pytest.mark.parametrize("engine", ["native", "durable"])
def test_a_protected_tenants_offer_goes_to_the_named_leads_and_can_be_approved(cases: Cases, engine: str) -> None:
    protected_case(cases)
    state = cases.make_offer("K5", secure_offer(), on=D("2026-04-10"), actor=lead("coast_homes"), engine=engine)
    assert state.state == "offer_review" and state.offers[-1][2] == "needs_review"
    with pytest.raises(TransitionRefused, match="named_lead of the nominating partner"):
        cases.review_offer("K5", on=D("2026-04-11"), actor=lead("coast_homes"), approve=True, consent=True)
    with pytest.raises(TransitionRefused, match="kent_rp.offer_review_consent"):
        cases.review_offer("K5", on=D("2026-04-11"), actor=lead("orchard_housing"), approve=True, consent=False)
    state = cases.review_offer("K5", on=D("2026-04-11"), actor=lead("orchard_housing"), approve=True, consent=True)
    assert state.state == "offered" and state.offer_review == ("approved", True, D("2026-04-11"))
    state = cases.record("K5", "accept_offer", on=D("2026-04-14"), actor=officer("orchard_housing"))
    assert state.state == "offer_accepted"


def test_a_rejected_review_sends_the_request_round_again(cases: Cases) -> None:
    protected_case(cases)
    cases.make_offer("K5", secure_offer(), on=D("2026-04-10"), actor=lead("coast_homes"))
    state = cases.review_offer("K5", on=D("2026-04-11"), actor=lead("orchard_housing"), approve=False, consent=False)
    assert state.state == "circulating" and state.offer_review[0] == "rejected"


# --- KRS: the duty is taken over only by the receiving council (points 6, 14) ----------------

def krs_accepted(cases: Cases) -> str:
    r = referring("swale_bc")
    cases.new("kent_krs", load_document(EXAMPLES / "kent_krs_referral.yaml"), case_id="S1", actor=r)
    cases.check("S1", on=D("2026-05-11"), actor=r)
    cases.accept("S1", on=D("2026-05-11"), actor=r)
    cases.circulate("S1", on=D("2026-05-12"), actor=r)
    cases.record("S1", "send_information", on=D("2026-05-14"), actor=r,
                 payload={"kinds": ["dash_risk_assessment", "police_reports", "risk_assessment_matrix",
                                    "agency_reports"]})
    cases.record("S1", "final_acceptance", on=D("2026-05-15"), actor=receiving("thanet_dc"))
    return "S1"


def krs_moved_into_thanet(cases: Cases) -> None:
    """The taken-over S1 household offered a thanet_dc home, accepting it and moving in."""
    offer = load_document(EXAMPLES / "offers" / "kent_krs_offer.yaml")
    offer["landlord"] = {"id": "thanet_dc", "kind": "local_authority", "authority_area": "thanet"}
    offer["area"] = "thanet"
    cases.make_offer("S1", offer, on=D("2026-06-20"), actor=referring("swale_bc"))
    cases.record("S1", "accept_offer", on=D("2026-06-25"), actor=receiving("thanet_dc"))
    cases.record("S1", "move", on=D("2026-07-06"), actor=receiving("thanet_dc"))


@pytest.mark.parametrize(("who", "error"), [
    ("ashford_bc", TransitionRefused),      # contacted, but did not give final acceptance
    ("canterbury_cc", TransitionRefused),   # never contacted (unsafe for this household)
    ("nobody_council", ActorRefused),       # no partner at all
    ("swale_bc", TransitionRefused),        # the referring council itself
])
def test_krs_only_the_receiving_council_takes_the_duty_over(cases: Cases, who: str, error: type[Exception]) -> None:
    krs_accepted(cases)
    with pytest.raises(error):
        cases.record("S1", "take_over_duty", on=D("2026-05-20"), actor=receiving(who))
    (duty,) = cases.obligations("S1")
    assert duty.holder == "swale_bc"


def test_krs_the_holder_ends_the_duty_and_since_is_the_take_over_date(cases: Cases) -> None:
    krs_accepted(cases)
    cases.record("S1", "take_over_duty", on=D("2026-05-20"), actor=receiving("thanet_dc"))
    before, now = cases.obligations("S1")
    assert (before.holder, before.since, before.ended_on) == ("swale_bc", D("2026-05-11"), D("2026-05-20"))
    assert (now.holder, now.since, now.ended_on) == ("thanet_dc", D("2026-05-20"), None)
    assert "KRS point 6" in now.citation and "point 14" in now.citation
    krs_moved_into_thanet(cases)
    with pytest.raises(TransitionRefused):
        cases.record("S1", "end_duty", on=D("2026-07-07"), actor=referring("swale_bc"),
                     payload={"hclic_recorded": True})
    state = cases.record("S1", "end_duty", on=D("2026-07-07"), actor=receiving("thanet_dc"),
                         payload={"hclic_recorded": True})
    assert state.state == "duty_ended" and cases.obligations("S1")[-1].ended_on == D("2026-07-07")


# --- privacy: case ids are references, never echoed ------------------------------------------

@pytest.mark.parametrize("case_id", ["Jane Doe AB123456C 1990-02-01", "AB123456C", "jane.doe@example.org"])
def test_a_case_id_must_look_like_a_reference_and_is_never_echoed(cases: Cases, case_id: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        cases.new("kent_rp", load_document(EXAMPLES / "kent_rp_referral.json"), case_id=case_id,
                  actor=officer("orchard_housing"))
    assert case_id not in str(refused.value) and "AB123456C" not in str(refused.value)
    assert cases.ids() == []


def test_a_protected_tenant_offered_a_less_secure_tenancy_is_refused_not_reviewed(cases: Cases) -> None:
    """Kent RP MoU §4.5: the tenant "should not have their tenancy downgraded"; like for like
    cannot be guaranteed for a protected tenancy, so a lifetime offer goes to the named leads,
    but a shorthold is a downgrade the leads cannot approve. Nothing is written."""
    protected_case(cases)
    before = cases.store.stream("case:K5")
    shorthold = {**secure_offer(), "tenancy_type": "assured_shorthold"}
    with pytest.raises(TransitionRefused, match="offer_no_downgrade|not suitable|ineligible"):
        cases.make_offer("K5", shorthold, on=D("2026-04-10"), actor=lead("coast_homes"))
    assert cases.store.stream("case:K5") == before


def test_what_is_stored_is_the_validated_payload(cases: Cases) -> None:
    """KRS point 14: a yes/no is stored as the model reads it (a bool), and text is refused,
    so the guard reading it and every later report see the same answer."""
    krs_accepted(cases)
    cases.record("S1", "take_over_duty", on=D("2026-05-20"), actor=receiving("thanet_dc"))
    krs_moved_into_thanet(cases)
    before = cases.store.stream("case:S1")
    with pytest.raises(InvalidInputError, match="hclic_recorded: must be true or false"):
        cases.record("S1", "end_duty", on=D("2026-07-07"), actor=receiving("thanet_dc"),
                     payload={"hclic_recorded": "true"})  # text is not a yes/no (issue 18)
    assert cases.store.stream("case:S1") == before
    state = cases.record("S1", "end_duty", on=D("2026-07-07"), actor=receiving("thanet_dc"),
                         payload={"hclic_recorded": True})
    assert state.state == "duty_ended"
    assert cases.store.stream("case:S1")[-1].event.payload["hclic_recorded"] is True


def test_identifying_notes_are_refused_as_input_without_echo(cases: Cases) -> None:
    """Kent RP MoU §4.2 (the coordinator pseudonymises the application by "redacting all identifying
    details") and §5.3: notes partners will read are screened; a refusal
    is a plain input error naming the field, never repeating the text, and writes nothing."""
    circulating(cases)
    before = cases.store.stream("case:K1")
    with pytest.raises(InvalidInputError) as refused:
        cases.circulate("K1", on=D("2026-03-20"), actor=COORDINATOR, notes="call her on 07700 900123")
    assert "notes" in str(refused.value) and "900123" not in str(refused.value)
    with pytest.raises(InvalidInputError):
        cases.circulate("K1", on=D("2026-03-20"), actor=COORDINATOR, notes="ground floor for Zelda",
                        known=["Zelda"])
    assert cases.store.stream("case:K1") == before
