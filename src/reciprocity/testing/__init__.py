"""Hypothesis strategies for property-testing reciprocity and the schemes built on it.

Import this module in tests only: it needs `hypothesis <https://hypothesis.readthedocs.io>`_
(the ``test`` extra), which ``import reciprocity`` never imports. Importing it registers
type strategies, so ``st.from_type(Referral)``, ``st.from_type(Partner)`` and the like work.

Generate referrals for a scheme and check a property of the decisions::

    from hypothesis import given
    import reciprocity
    from reciprocity.testing import eligible_referrals, referrals_failing

    @given(eligible_referrals("kent_rp"))
    def test_a_rule_change_keeps_these_eligible(referral):
        assert reciprocity.evaluate("kent_rp", referral).eligible

    @given(referrals_failing("kent_rp", "kent_rp.vawg_harm"))
    def test_only_the_harm_rule_fails(referral):
        decision = reciprocity.evaluate("kent_rp", referral)
        assert [f.rule_id for f in decision.failed] == ["kent_rp.vawg_harm"]

Whole case histories, for properties of cases and the ledger::

    from reciprocity.store import EventStore
    from reciprocity.testing import case_event_sequences

    @given(case_event_sequences("kent_rp"))
    def test_the_pool_balances(events):
        with EventStore("sqlite://") as store:
            store.append_many(list(events))
            ...

The targeted strategies read a scheme only through ``reciprocity.get_scheme(scheme_id)``:
they build referrals from the rules themselves, so they follow a rule that a policy team
changes. No strategy generates personal data.
"""

from reciprocity.testing._histories import case_event_sequences
from reciprocity.testing._strategies import (
    areas,
    eligible_referrals,
    homelessness,
    households,
    members,
    memberships,
    offers,
    partners,
    referrals,
    referrals_failing,
    register_type_strategies,
    risk_assessments,
    tenancies,
)

__all__ = [
    "areas",
    "case_event_sequences",
    "eligible_referrals",
    "homelessness",
    "households",
    "members",
    "memberships",
    "offers",
    "partners",
    "referrals",
    "referrals_failing",
    "register_type_strategies",
    "risk_assessments",
    "tenancies",
]

register_type_strategies()
