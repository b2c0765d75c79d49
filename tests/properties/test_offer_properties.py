"""Properties of offer assessment that hold for every scheme with offer rules.

Kent RP MoU §1.2 (a safe area), KRS points 8-9 (only the councils the referring council
judges safe), Cambridgeshire MoU §1 and §3: whatever else an offer gets right, a home in an
area the referral marks unsafe is never a suitable offer.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reciprocity
from reciprocity import Outcome, Status
from reciprocity.testing import eligible_referrals, offers, referrals

SCHEMES = ("kent_rp", "kent_krs", "cambridgeshire")


@pytest.mark.parametrize("scheme_id", SCHEMES)
@settings(max_examples=200)
@given(data=st.data())
def test_an_offer_in_an_unsafe_area_is_never_suitable(scheme_id: str, data: st.DataObject) -> None:
    referral = data.draw(st.one_of(referrals(scheme_id), eligible_referrals(scheme_id)), label="referral")
    offer = data.draw(offers(scheme_id, referral), label="offer")
    decision = reciprocity.assess_offer(scheme_id, referral, offer)
    unsafe = referral.unsafe_areas
    if unsafe is not None and offer.area in unsafe:
        assert decision.outcome is not Outcome.ELIGIBLE
        (found,) = (f for f in decision.findings if f.rule_id == f"{scheme_id}.offer_not_in_unsafe_area")
        assert found.status is Status.NOT_MET
    if unsafe is None:
        # Never guessed: without the unsafe areas an offer cannot be called suitable.
        assert decision.outcome is not Outcome.ELIGIBLE


@pytest.mark.parametrize("scheme_id", SCHEMES)
@settings(max_examples=100)
@given(data=st.data())
def test_the_offer_strategy_reaches_suitable_and_unsafe_offers(scheme_id: str, data: st.DataObject) -> None:
    """The strategy is fit for the property above: offers are drawn in the referral's areas."""
    referral = data.draw(eligible_referrals(scheme_id), label="referral")
    offer = data.draw(offers(scheme_id, referral), label="offer")
    assert offer.made_on >= referral.referred_on
    assert offer.area in {a.id for a in reciprocity.get_scheme(scheme_id).areas} | set(referral.requested_areas or ()) | set(
        referral.unsafe_areas or ()
    )
