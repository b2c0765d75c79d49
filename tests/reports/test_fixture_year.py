"""Every figure of a Kent RP year, worked out by hand (002 "What does success look like?",
004 "How will we measure performance?", MoU §4.6 for the ledger).

The year, 2026, on one store (partners joined through ``Partners``, cases through ``Cases``):

Partners: orchard_housing joined 2023-09-01 (the nominator of every case); coast_homes joined
2026-01-02; weald_homes joined 2025-01-01, gave notice 2026-03-02 and withdrew 2026-04-02
(it also holds homes in maidstone, an unsafe area, so never receives a request); harbour_homes
joined 2026-10-01.

Cases (all nominated by orchard_housing):
  A  referred 2025-12-15 | circulated 2026-01-05 (coast) | coast can help 01-06 | coast offers
     2 bed assured 01-20 | accepted 01-27 | moved 02-10 | feedback: survivor positive 03-01,
     nominating officer (not stated) 03-02                         -> 21 and 57 days
  B  referred 2026-03-02 | circulated 03-05 (coast) | coast cannot help 03-06 | recirculated
     03-19 | coast offers 3 bed assured 04-10 | refused 04-17 | circulated 04-20 | coast offers
     2 bed assured 05-11 | accepted 05-15 | moved 06-01 | feedback: partner negative 06-10
                                                                   -> 3 and 91 days
  C  referred 07-01 | circulated 07-06 (coast) | closed, no property identified, 10-06 -> 5 days
  D  referred 09-01 | found ineligible 09-02 (assessed by the police) | declined 09-02
  E  referred 11-02 | circulated 11-05 (coast, harbour) | harbour can help 11-06 | harbour offers
     2 bed secure 12-01 | accepted 12-08 | moved 2027-01-04 (after the year)    -> 3 days
  K  a kent_krs case referred 2026-05-11 on the same store (swale_bc and ashford_bc joined the
     KRS register in 2021): never in a kent_rp report.

Every step is a command by the actor the process names (the nominating officer, the named
leads, the coordinator); requests go to the partners in the register on the day.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reciprocity.casework import Actor, Cases
from reciprocity.inputs import load_document
from reciprocity.partnership.service import Partners
from reciprocity.reports import Report, build_report, parse_period
from reciprocity.reports.values import (
    BalanceRow, CaseTiming, FeedbackRow, PartnerActivity, PartnerCounts, ReferralCountRow, Summary,
)

from .conftest import COORDINATOR, EXAMPLES, KentWalk, counter_token, d, officer

OFFICER = "nominating_officer"  # a source of feedback
SWALE, ASHFORD = Actor("swale_bc", "referring_council"), Actor("ashford_bc", "receiving_council")


def _join(partners: Partners, pid: str, on: str, *areas: str) -> None:
    partners.join("kent_rp", {"id": pid, "kind": "registered_provider", "stock_areas": list(areas),
                              "data_sharing_protocol_signatory": True}, on=d(on), actor=("coordinator", "coordinator"))


def _landlord(partners: Partners, pid: str) -> dict[str, Any]:
    return partners.get("kent_rp", pid).partner.model_dump(mode="json")


@pytest.fixture(scope="module")
def year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cases, dict[str, str]]]:
    path: Path = tmp_path_factory.mktemp("year") / "cases.db"
    with Cases.at(path, token=counter_token()) as cases:
        partners = Partners(cases.store)
        _join(partners, "orchard_housing", "2023-09-01", "maidstone", "swale")
        _join(partners, "weald_homes", "2025-01-01", "dover", "maidstone")
        _join(partners, "coast_homes", "2026-01-02", "thanet", "dover")
        partners.give_notice("kent_rp", "weald_homes", on=d("2026-03-02"), actor=("coordinator", "coordinator"))
        partners.withdraw("kent_rp", "weald_homes", on=d("2026-04-02"), actor=("coordinator", "coordinator"))
        _join(partners, "harbour_homes", "2026-10-01", "thanet", "folkestone_hythe")
        for council in ("swale_bc", "ashford_bc"):  # K's councils, in the KRS register
            area = council.removesuffix("_bc")
            partners.join("kent_krs", {"id": council, "kind": "local_authority", "authority_area": area,
                                       "stock_areas": [area]}, on=d("2021-01-01"), actor=("coordinator", "coordinator"))
        kent = KentWalk(cases)
        coast, harbour = _landlord(partners, "coast_homes"), _landlord(partners, "harbour_homes")

        circulate = kent.circulate  # to the partners in the register on the day

        arcs = {"A": kent.open("A", "2025-12-15", accepted="2025-12-16", approved="2025-12-17")}
        assert circulate("A", "2026-01-05") == ("coast_homes",)
        kent.respond("A", "2026-01-06", "coast_homes", True)
        kent.sign_up("A", offered="2026-01-20", accepted="2026-01-27", moved="2026-02-10", landlord=coast)
        kent.event("A", "request_feedback", "2026-02-17")
        kent.event("A", "receive_feedback", "2026-03-01", source="survivor", positive=True)
        kent.event("A", "receive_feedback", "2026-03-02", source=OFFICER)

        arcs["B"] = kent.open("B", "2026-03-02", accepted="2026-03-03", approved="2026-03-04")
        assert circulate("B", "2026-03-05") == ("coast_homes",)
        kent.respond("B", "2026-03-06", "coast_homes", False)
        circulate("B", "2026-03-19")
        kent.make_offer("B", "2026-04-10", landlord=coast, bedrooms=3)
        kent.event("B", "refuse_offer", "2026-04-17", actor=officer("orchard_housing"))
        circulate("B", "2026-04-20")
        kent.sign_up("B", offered="2026-05-11", accepted="2026-05-15", moved="2026-06-01", landlord=coast)
        kent.event("B", "receive_feedback", "2026-06-10", source="partner", positive=False)

        arcs["C"] = kent.open("C", "2026-07-01", accepted="2026-07-02", approved="2026-07-03")
        assert circulate("C", "2026-07-06") == ("coast_homes",)
        kent.event("C", "close", "2026-10-06", reason="no_property_identified")

        kent.refer("D", "2026-09-01", risk={**kent.referral["risk"], "assessed_by": "police"})
        assert cases.check("D", on=d("2026-09-02"), actor=COORDINATOR).eligibility == "ineligible"
        kent.event("D", "decline", "2026-09-02")

        arcs["E"] = kent.open("E", "2026-11-02", accepted="2026-11-03", approved="2026-11-04")
        assert circulate("E", "2026-11-05") == ("coast_homes", "harbour_homes")
        kent.respond("E", "2026-11-06", "harbour_homes", True)
        kent.sign_up("E", offered="2026-12-01", accepted="2026-12-08", moved="2027-01-04", landlord=harbour,
                     tenancy_type="secure")

        cases.new("kent_krs", load_document(EXAMPLES / "kent_krs_referral.yaml"), case_id="K", actor=SWALE)
        yield cases, arcs


@pytest.fixture(scope="module")
def report(year: tuple[Cases, dict[str, str]]) -> Report:
    return build_report(year[0].store, "kent_rp", parse_period("2026"))


def test_partners_signed_up(report: Report) -> None:
    # Members on 2026-12-31: orchard, coast, harbour (weald withdrew). Joined in 2026: coast,
    # harbour. Left in 2026: weald.
    assert report.partners == PartnerCounts(members_at_end=3, joined=2, left=1)


def test_referrals_circulations_offers_moves(report: Report) -> None:
    assert report.ledger == "properties"
    assert report.referrals == 4                   # B, C, D, E (A was referred in 2025; K is KRS)
    assert report.rounds_circulated == 6           # A1, B1, B2, B3, C1, E1
    assert report.cases_circulated == 4            # A, B, C, E
    assert (report.offers_made, report.offers_accepted, report.offers_refused) == (4, 3, 1)  # A, B x2, E
    assert report.offered_bedrooms == ((2, 3), (3, 1))  # A, B's second, E: 2 bed; B's first: 3 bed
    assert report.offered_tenancies == (("assured", 3), ("secure", 1))
    assert report.moves == 2                       # A (Feb), B (Jun); E moves in 2027
    assert report.closed == (("declined", 1), ("no_property_identified", 1))  # D, C


def test_feedback_received(report: Report) -> None:
    assert report.feedback == (
        FeedbackRow("nominating_officer", received=1, positive=0, negative=0, not_stated=1),
        FeedbackRow("partner", received=1, positive=0, negative=1, not_stated=0),
        FeedbackRow("survivor", received=1, positive=1, negative=0, not_stated=0),
    )


def test_days_from_referral(year: tuple[Cases, dict[str, str]], report: Report) -> None:
    arcs = year[1]
    assert report.timings == (
        CaseTiming(arcs["A"], d("2025-12-15"), d("2026-01-05"), 21, d("2026-02-10"), 57),
        CaseTiming(arcs["B"], d("2026-03-02"), d("2026-03-05"), 3, d("2026-06-01"), 91),
        CaseTiming(arcs["C"], d("2026-07-01"), d("2026-07-06"), 5, None, None),
        CaseTiming(arcs["E"], d("2026-11-02"), d("2026-11-05"), 3, None, None),
    )
    # To circulation: 21, 3, 5, 3: mean 32/4 = 8.0, median of 3, 3, 5, 21 = (3 + 5) / 2 = 4.0.
    assert report.to_circulation == Summary(4, 8.0, 4.0)
    # To sign-up: 57 and 91: mean and median 74.0.
    assert report.to_move == Summary(2, 74.0, 74.0)


def test_partner_activity(report: Report) -> None:
    assert report.activity == (
        # requests: A1, B1, B2, B3, C1, E1; answers A (yes), B (no); offers A, B x2; moves in A, B.
        PartnerActivity("coast_homes", nominations=0, requests_received=6, responses=2, could_help=1,
                        offers_made=3, moves_in=2, moves_out=0, balance=2),
        # E's request and answer and offer; E's move is in 2027, so no ledger entry yet.
        PartnerActivity("harbour_homes", 0, 1, 1, 1, 1, 0, 0, 0),
        # Nominated B, C, D, E in 2026 (A in 2025); A and B moved out: owes two homes.
        PartnerActivity("orchard_housing", 4, 0, 0, 0, 0, 0, 2, -2),
        PartnerActivity("weald_homes", 0, 0, 0, 0, 0, 0, 0, 0),
    )


def test_ledger_at_the_period_end(report: Report) -> None:
    assert report.balances == (BalanceRow("coast_homes", None, owes=0, owed=2, net=2),
                                BalanceRow("orchard_housing", None, owes=2, owed=0, net=-2))
    assert report.referral_counts == ()
    # Moves in February and June; coast's balance steps up at the end of each of those months.
    assert [m.moves for m in report.months] == [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert [dict(m.net_balances)["coast_homes"] for m in report.months] == [0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2]
    assert [dict(m.net_balances)["orchard_housing"] for m in report.months] == [
        0, -1, -1, -1, -1, -2, -2, -2, -2, -2, -2, -2]


def test_a_quarter_of_the_same_year(year: tuple[Cases, dict[str, str]]) -> None:
    q1 = build_report(year[0].store, "kent_rp", parse_period("2026Q1"))
    # Q1: B referred (03-02); A1, B1, B2 circulated; A offered, accepted and moved; two feedbacks.
    assert (q1.referrals, q1.rounds_circulated, q1.cases_circulated) == (1, 3, 2)
    assert (q1.offers_made, q1.offers_accepted, q1.moves) == (1, 1, 1)
    assert sum(f.received for f in q1.feedback) == 2
    assert [(t.days_to_circulation, t.days_to_move) for t in q1.timings] == [(21, 57), (3, None)]
    # Weald gave notice in Q1 but is still a member on 31 March (its withdrawal is 2 April).
    assert q1.partners == PartnerCounts(members_at_end=3, joined=1, left=0)


def test_krs_reports_referral_counts_not_balances(year: tuple[Cases, dict[str, str]]) -> None:
    """KRS point 15: councils count referrals made and received; no property balances. Swale
    refers K; Ashford, contacted, gives final acceptance once it has the information (point 11)
    and then takes the duty over (points 6 and 14: only that receiving council may)."""
    cases = year[0]
    cases.check("K", on=d("2026-05-11"), actor=SWALE)
    cases.accept("K", on=d("2026-05-11"), actor=SWALE)
    assert cases.circulate("K", on=d("2026-05-12"), actor=SWALE).rounds[-1].recipients == ("ashford_bc",)
    cases.respond("K", on=d("2026-05-13"), actor=ASHFORD, can_help=True)
    cases.record("K", "send_information", on=d("2026-05-14"), actor=SWALE,
                 payload={"kinds": ["dash_risk_assessment", "police_reports", "risk_assessment_matrix",
                                    "agency_reports"]})
    cases.record("K", "final_acceptance", on=d("2026-05-15"), actor=ASHFORD)
    cases.record("K", "take_over_duty", on=d("2026-05-20"), actor=ASHFORD)
    krs = build_report(cases.store, "kent_krs", parse_period("2026"))
    assert krs.ledger == "referral_counts"
    assert krs.referrals == 1 and krs.balances == ()
    # Referred 05-11, the councils contacted 05-12: one day; no move yet.
    arc = cases.get("K").arc
    assert krs.timings == (CaseTiming(arc, d("2026-05-11"), d("2026-05-12"), 1, None, None),)
    assert krs.referral_counts == (ReferralCountRow("ashford_bc", made=0, received=1),
                                   ReferralCountRow("swale_bc", made=1, received=0))
    assert [(a.partner, a.nominations, a.balance) for a in krs.activity] == [("ashford_bc", 0, None),
                                                                            ("swale_bc", 1, None)]
    assert all(m.net_balances == () for m in krs.months)
