"""A policy property test, as a team running a Kent RP partnership would write it downstream.

The policy: **no referral is eligible under kent_rp on a risk assessment made by the police
alone** (Kent RP MoU §3.2, first condition: an IDVA or a domestic abuse professional must have
assessed the tenant as at risk). The strategies in ``reciprocity.testing`` build referrals from
the scheme's own rules, so these tests keep checking the policy when the rules change.

Run it with ``pytest examples/policy_property_test.py`` (needs the ``test`` extra);
``tests/test_docs_site.py`` runs it too, so this example cannot rot.
"""

from __future__ import annotations

from hypothesis import given

import reciprocity
from reciprocity import Assessor, Outcome, Referral, Status
from reciprocity.testing import eligible_referrals, referrals

SCHEME = "kent_rp"
RULE = "kent_rp.assessed_at_risk"


@given(eligible_referrals(SCHEME))
def test_no_eligible_referral_has_a_police_only_risk_assessment(referral: Referral) -> None:
    """Every referral the scheme finds eligible was assessed by someone other than the police."""
    assert referral.risk is not None
    assert referral.risk.assessed_by is not Assessor.POLICE


@given(eligible_referrals(SCHEME))
def test_the_same_referral_assessed_by_the_police_alone_is_not_eligible(referral: Referral) -> None:
    """Change only who assessed the risk: the referral is refused, and the rule says why."""
    assert referral.risk is not None
    by_police = referral.model_copy(
        update={"risk": referral.risk.model_copy(update={"assessed_by": Assessor.POLICE})}
    )

    decision = reciprocity.evaluate(SCHEME, by_police)

    assert decision.outcome is Outcome.INELIGIBLE
    assert [finding.rule_id for finding in decision.failed] == [RULE]
    finding = decision.failed[0]
    assert finding.status is Status.NOT_MET
    assert "§3.2" in finding.citation  # the clause the rule encodes
    assert "police" in finding.sentence  # the caseworker reads who assessed the risk


@given(referrals(SCHEME))
def test_any_referral_assessed_by_the_police_is_never_eligible(referral: Referral) -> None:
    """Over every valid referral, eligible ones included when they happen to come up."""
    decision = reciprocity.evaluate(SCHEME, referral)
    if referral.risk is not None and referral.risk.assessed_by is Assessor.POLICE:
        assert not decision.eligible
