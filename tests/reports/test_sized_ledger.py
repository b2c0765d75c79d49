"""Cambridgeshire owes a home of equal size (draft MoU preamble): the report keeps the sizes."""

from __future__ import annotations

from typing import Any

from reciprocity.casework import Actor, Cases
from reciprocity.inputs import load_document
from reciprocity.partnership.service import Partners
from reciprocity.reports import build_report, parse_period, report_dict
from reciprocity.reports.values import BalanceRow

from .conftest import EXAMPLES, d, lead


def _council(pid: str, area: str) -> dict[str, Any]:
    return {"id": pid, "kind": "local_authority", "authority_area": area, "stock_areas": [area]}


def test_cambridgeshire_balances_by_bedrooms(cases: Cases) -> None:
    # Walked as in tests/lifecycle/test_walkthrough.py: fen_homes nominates, the offered home's
    # landlord houses the household, which needs the number of bedrooms the ledger records.
    # The two partners join the register in 2021, before the case.
    partners = Partners(cases.store)
    partners.join("cambridgeshire", {"id": "fen_homes", "kind": "registered_provider",
                                     "stock_areas": ["fenland", "east_cambridgeshire"]}, on=d("2021-01-01"), actor=("coordinator", "coordinator"))
    partners.join("cambridgeshire", _council("cambridge_city", "cambridge"), on=d("2021-01-01"), actor=("coordinator", "coordinator"))
    referral = load_document(EXAMPLES / "cambridgeshire_referral.yaml")
    offer = load_document(EXAMPLES / "offers" / "cambridgeshire_offer.yaml")
    s = Actor.coordinator("specialist_service")
    cases.new("cambridgeshire", referral, case_id="C1", actor=s)
    cases.check("C1", on=d("2026-09-14"), actor=s)
    cases.accept("C1", on=d("2026-09-15"), actor=s)
    cases.record("C1", "sign_off", on=d("2026-09-16"), actor=lead("fen_homes"))
    cases.record("C1", "notify_outcome", on=d("2026-09-16"), actor=s)
    assert cases.circulate("C1", on=d("2026-09-17"), actor=s).rounds[-1].recipients == ("cambridge_city",)
    cases.make_offer("C1", offer, on=d("2026-10-20"), actor=lead("cambridge_city"))
    cases.record("C1", "accept_offer", on=d("2026-10-22"), actor=s)
    cases.record("C1", "move", on=d("2026-11-02"), actor=s)

    # The household (a parent, girls of 11 and 8 who share, a boy of 2) needs 3 bedrooms under
    # the size standard, so fen_homes owes, and cambridge_city (the offer's landlord) is owed,
    # one 3-bedroom home.
    report = build_report(cases.store, "cambridgeshire", parse_period("2026Q4"))
    assert report.ledger == "properties_by_size"
    assert report.balances == (BalanceRow("cambridge_city", 3, owes=0, owed=1, net=1),
                               BalanceRow("fen_homes", 3, owes=1, owed=0, net=-1))
    assert report_dict(report)["balances"]["fen_homes:3"] == {"partner": "fen_homes", "bedrooms": 3, "owes": 1,
                                                               "owed": 0, "net": -1}
    assert [(a.partner, a.requests_received, a.offers_made, a.moves_in, a.moves_out, a.balance)
            for a in report.activity] == [("cambridge_city", 0, 1, 1, 0, 1), ("fen_homes", 0, 0, 0, 1, -1)]
    assert [m.net_balances for m in report.months] == [
        (("cambridge_city", 0), ("fen_homes", 0)), (("cambridge_city", 1), ("fen_homes", -1)),
        (("cambridge_city", 1), ("fen_homes", -1))]
    # Q3 holds the referral and the circulation, not the move (which is in Q4).
    q3 = build_report(cases.store, "cambridgeshire", parse_period("2026Q3"))
    assert (q3.referrals, q3.cases_circulated, q3.moves, q3.balances) == (1, 1, 0, ())
    assert [(t.days_to_circulation, t.days_to_move) for t in q3.timings] == [(3, None)]
