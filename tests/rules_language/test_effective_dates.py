"""Effective dates, through the third-party example scheme: the rules and values in force decide."""

from __future__ import annotations

from datetime import date

import pytest

import reciprocity
from reciprocity import NoRulesInForceError, Outcome, Status
from reciprocity.rules import (
    Scheme,
)

from . import (
    finding,
    referral,
    statuses,
)


@pytest.mark.parametrize(
    ("on", "outcome", "tenure_from", "dash", "since"),
    [
        # 2024 rules: social tenants only (unknown here), DASH of at least 14 (12 is not).
        (date(2024, 1, 1), Outcome.INELIGIBLE, date(2024, 1, 1), Status.NOT_MET, "2024-01-01"),
        (date(2025, 3, 31), Outcome.INELIGIBLE, date(2024, 1, 1), Status.NOT_MET, "2024-01-01"),
        # From 2025-04-01 the DASH minimum is 10, so only the tenancy question is open.
        (date(2025, 4, 1), Outcome.NEEDS_INFORMATION, date(2024, 1, 1), Status.MET, "2025-04-01"),
        (date(2025, 9, 30), Outcome.NEEDS_INFORMATION, date(2024, 1, 1), Status.MET, "2025-04-01"),
        # From 2025-10-01 the main housing duty qualifies as well.
        (date(2025, 10, 1), Outcome.ELIGIBLE, date(2025, 10, 1), Status.MET, "2025-10-01"),
        (date(2030, 1, 1), Outcome.ELIGIBLE, date(2025, 10, 1), Status.MET, "2025-10-01"),
    ],
)
def test_the_rules_and_values_in_force_on_the_date_apply(
    example: Scheme, on: date, outcome: Outcome, tenure_from: date, dash: Status, since: str
) -> None:
    decision = reciprocity.evaluate("example", referral(), on=on)
    assert decision.on == on
    assert decision.outcome is outcome
    assert finding(decision, "example.tenure").effective_from == tenure_from
    assert finding(decision, "example.dash_score").status is dash
    assert decision.ruleset_version == f"example 0.0.1 (rules in force since {since})"
    assert decision.to_dict()["ruleset_version"] == decision.ruleset_version


def test_the_recorded_version_changes_between_dates(example: Scheme) -> None:
    versions = {
        day: reciprocity.evaluate("example", referral(), on=day).ruleset_version
        for day in (date(2024, 6, 1), date(2025, 3, 31), date(2025, 4, 1), date(2025, 10, 1))
    }
    assert versions[date(2024, 6, 1)] == versions[date(2025, 3, 31)]
    assert len({versions[date(2025, 3, 31)], versions[date(2025, 4, 1)], versions[date(2025, 10, 1)]}) == 3


def test_the_old_rule_version_asks_what_the_new_one_settles(example: Scheme) -> None:
    before = reciprocity.evaluate("example", referral(), on=date(2025, 9, 30))
    old = finding(before, "example.tenure")
    assert old.status is Status.NEEDS_INFORMATION
    assert old.missing == ("social_tenant",)
    assert "whether the household still holds a social tenancy" in old.sentence
    assert "Example MoU §2.1" in old.sentence
    assert before.missing_facts == ("social_tenant",)

    after = reciprocity.evaluate("example", referral(), on=date(2025, 10, 1))
    new = finding(after, "example.tenure")
    assert new.status is Status.MET
    assert new.citation == "Example MoU §2.1, §2.2"
    assert after.missing_facts == ()


def test_the_parameter_value_in_force_decides(example: Scheme) -> None:
    on_edge = referral(risk={"assessed_by": "idva", "at_risk": True, "dash_score": 10})
    assert statuses(reciprocity.evaluate("example", on_edge, on=date(2025, 3, 31)))["example.dash_score"] is Status.NOT_MET
    assert statuses(reciprocity.evaluate("example", on_edge, on=date(2025, 4, 1)))["example.dash_score"] is Status.MET
    assert example.parameter("minimum_dash_score").value_on(date(2025, 3, 31)) == (date(2024, 1, 1), 14)
    assert example.parameter("minimum_dash_score").value_on(date(2025, 4, 1)) == (date(2025, 4, 1), 10)


def test_on_defaults_to_the_referral_date(example: Scheme) -> None:
    early = reciprocity.evaluate("example", referral(referred_on="2024-06-01"))
    assert early.on == date(2024, 6, 1)
    assert early.outcome is Outcome.INELIGIBLE
    assert "since 2024-01-01" in early.ruleset_version

    late = reciprocity.evaluate("example", referral(referred_on="2025-12-01"))
    assert late.on == date(2025, 12, 1)
    assert late.outcome is Outcome.ELIGIBLE
    assert "since 2025-10-01" in late.ruleset_version

    # An explicit date wins over the referral's.
    overridden = reciprocity.evaluate("example", referral(referred_on="2024-06-01"), on=date(2025, 12, 1))
    assert overridden.on == date(2025, 12, 1)
    assert overridden.ruleset_version == late.ruleset_version


def test_a_date_before_any_rule_is_refused(example: Scheme) -> None:
    with pytest.raises(NoRulesInForceError) as caught:
        reciprocity.evaluate("example", referral(), on=date(2023, 12, 31))
    assert "2023-12-31" in str(caught.value)
    assert "example" in str(caught.value)
    with pytest.raises(NoRulesInForceError):
        reciprocity.evaluate("example", referral(referred_on="2023-06-01"))
    # The first day of the scheme is fine.
    assert reciprocity.evaluate("example", referral(), on=date(2024, 1, 1)).on == date(2024, 1, 1)


def test_evaluate_many_applies_each_referrals_own_date(example: Scheme) -> None:
    decisions = reciprocity.evaluate_many(
        "example", [referral(referred_on="2024-06-01"), referral(referred_on="2025-12-01")]
    )
    assert [d.outcome for d in decisions] == [Outcome.INELIGIBLE, Outcome.ELIGIBLE]
    assert [d.on for d in decisions] == [date(2024, 6, 1), date(2025, 12, 1)]


