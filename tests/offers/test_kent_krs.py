"""Offer assessment under the Kent KRS joint statement (points 2, 4, 8, 9, 12)."""

from __future__ import annotations

from typing import Any

import pytest

import reciprocity
from reciprocity import Outcome, Status
from reciprocity.engines.durable import IMPORT_ERROR

from . import DROP, changed, example, finding

KRS_REFERRAL = example("kent_krs_referral.yaml")
KRS_OFFER = example("offers/kent_krs_offer.yaml")
FINAL = KRS_OFFER["final_offer"]

KRS_CASES = [
    ("kent_krs.offer_not_in_unsafe_area", {}, Status.MET),
    ("kent_krs.offer_not_in_unsafe_area", {"area": "canterbury"}, Status.NOT_MET),
    ("kent_krs.offer_final_by_referrer", {}, Status.MET),
    ("kent_krs.offer_final_by_referrer", {"final_offer": {**FINAL, "made_by": "ashford_bc"}}, Status.NOT_MET),
    ("kent_krs.offer_final_by_referrer", {"final_offer": DROP}, Status.NEEDS_INFORMATION),
    ("kent_krs.offer_final_in_form", {}, Status.MET),
    ("kent_krs.offer_final_in_form", {"final_offer": {**FINAL, "stated_final": False}}, Status.NOT_MET),
    ("kent_krs.offer_final_in_form", {"final_offer": {**FINAL, "review_right_explained": None}}, Status.NEEDS_INFORMATION),
    ("kent_krs.offer_tenancy_grantable", {}, Status.MET),
    ("kent_krs.offer_tenancy_grantable", {"tenancy_type": "secure_fair_rent"}, Status.NOT_MET),
    ("kent_krs.offer_highest_band", {}, Status.MET),
    ("kent_krs.offer_highest_band", {"highest_band": False}, Status.NOT_MET),
    ("kent_krs.offer_highest_band", {"highest_band": DROP}, Status.NEEDS_INFORMATION),
    ("kent_krs.offer_highest_band", {"via": "direct_let", "highest_band": DROP}, Status.NOT_APPLICABLE),
]


@pytest.mark.parametrize(("rule_id", "offer", "expected"), KRS_CASES,
                         ids=[f"{c[0]}-{c[2].value}-{i}" for i, c in enumerate(KRS_CASES)])
def test_each_krs_offer_rule(rule_id: str, offer: dict[str, Any], expected: Status) -> None:
    """KRS points 2 (highest band), 4 and 12 (the referring council's written final offer), 9 (safe councils)."""
    decision = reciprocity.assess_offer("kent_krs", KRS_REFERRAL, changed(KRS_OFFER, **offer))
    found = finding(decision, rule_id)
    assert found.status is expected, found.sentence
    assert found.citation.startswith("KRS point")
    if expected is Status.NOT_MET:
        assert decision.outcome is Outcome.INELIGIBLE
    if expected is Status.NEEDS_INFORMATION:
        assert decision.outcome is Outcome.NEEDS_INFORMATION and found.missing


def test_the_krs_example_offer_is_suitable_on_both_engines() -> None:
    native = reciprocity.assess_offer("kent_krs", KRS_REFERRAL, KRS_OFFER)
    assert native.outcome is Outcome.ELIGIBLE
    if IMPORT_ERROR is None:
        assert native == reciprocity.assess_offer("kent_krs", KRS_REFERRAL, KRS_OFFER, engine="durable")


def test_an_offer_when_the_unsafe_councils_are_not_recorded_needs_information() -> None:
    """KRS points 8-9: without the unsafe councils, no offer can be called safe."""
    referral = changed(KRS_REFERRAL, unsafe_areas=DROP)
    decision = reciprocity.assess_offer("kent_krs", referral, KRS_OFFER)
    found = finding(decision, "kent_krs.offer_not_in_unsafe_area")
    assert found.status is Status.NEEDS_INFORMATION and found.missing == ("offer.in_unsafe_area",)
    assert decision.outcome is Outcome.NEEDS_INFORMATION
