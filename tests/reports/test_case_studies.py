"""The two case studies of the Kent RP presentation (004, "Case study 1" and "Case study 2"),
replayed in 2026 through the real case service, and the days the report derives from them.

Case study 1: referral 28 June, request circulated 4 July, sign-up 16 August: 6 and 49 days.
Case study 2: referral 11 July, request circulated 15 July, sign-up 1 August: 4 and 21 days.
"""

from __future__ import annotations

from reciprocity.casework.cases import Cases
from reciprocity.reports import build_report, parse_period
from reciprocity.reports.values import CaseTiming, Summary

from .conftest import KentWalk, case_studies, d


def test_the_case_studies_days_from_referral(cases: Cases, kent: KentWalk) -> None:
    arc1, arc2 = case_studies(kent)
    report = build_report(cases.store, "kent_rp", parse_period("2026Q3"))
    assert report.timings == (
        CaseTiming(arc1, d("2026-06-28"), d("2026-07-04"), 6, d("2026-08-16"), 49),
        CaseTiming(arc2, d("2026-07-11"), d("2026-07-15"), 4, d("2026-08-01"), 21),
    )
    # Mean and median of 6 and 4 are both 5; of 49 and 21 both 35.
    assert report.to_circulation == Summary(2, 5.0, 5.0)
    assert report.to_move == Summary(2, 35.0, 35.0)
    # Case study 1 was referred in June (2026Q2); only case study 2's referral falls in Q3.
    assert (report.referrals, report.rounds_circulated, report.cases_circulated) == (1, 2, 2)
    assert (report.offers_made, report.offers_accepted, report.moves) == (2, 2, 2)
    assert [(m.month, m.moves) for m in report.months] == [("2026-07", 0), ("2026-08", 2), ("2026-09", 0)]


def test_a_measure_counts_in_the_period_of_its_end_event(cases: Cases, kent: KentWalk) -> None:
    """In 2026Q2 case study 1 has only been referred: no timing, one referral."""
    case_studies(kent)
    q2 = build_report(cases.store, "kent_rp", parse_period("2026Q2"))
    assert (q2.referrals, q2.timings, q2.to_move) == (1, (), Summary(0, None, None))
    july = build_report(cases.store, "kent_rp", parse_period("2026-07"))
    # Both circulations are in July, neither sign-up: the times to circulation only.
    assert [(t.days_to_circulation, t.days_to_move) for t in july.timings] == [(6, None), (4, None)]
    assert july.to_circulation == Summary(2, 5.0, 5.0)


def test_the_report_names_cases_by_arc_only(cases: Cases, kent: KentWalk) -> None:
    from reciprocity.reports import to_csv, to_json

    case_studies(kent)
    report = build_report(cases.store, "kent_rp", parse_period("2026"))
    for text in (to_json(report), to_csv(report)):
        assert "CS1" not in text and "CS2" not in text  # case ids
        assert "KRP-2026-014" not in text  # the referral's id
        assert "ARC-" in text
