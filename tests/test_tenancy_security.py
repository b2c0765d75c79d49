"""The no-downgrade comparison (Kent RP MoU §4.5, §5.2) and its dated security scale."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reciprocity.model import TenancyType as T
from reciprocity.rules import Parameter
from reciprocity.tenancy_security import (
    ENGLAND_SECURITY,
    SecurityResult,
    SecurityScale,
    compare_security,
    grantable,
)

ON = date(2026, 11, 23)
SAME, DOWN, NOT_GUARANTEED = SecurityResult.SAME_OR_BETTER, SecurityResult.DOWNGRADE, SecurityResult.NOT_GUARANTEED
OFFERABLE = [t for t in T if t is not T.SECURE_FAIR_RENT]


@pytest.mark.parametrize(
    ("current", "offered", "expected"),
    [
        # Lifetime tenancies in either sector are equally secure (§5.2: same terms "endeavoured").
        (T.SECURE, T.ASSURED, SAME),
        (T.ASSURED, T.SECURE, SAME),
        (T.ASSURED, T.ASSURED, SAME),
        # Fixed-term and trial tenancies below lifetime ones: a downgrade for a lifetime tenant.
        (T.SECURE, T.FLEXIBLE, DOWN),
        (T.ASSURED, T.FIXED_TERM_ASSURED, DOWN),
        (T.ASSURED, T.ASSURED_SHORTHOLD, DOWN),
        (T.SECURE, T.INTRODUCTORY, DOWN),
        (T.FLEXIBLE, T.ASSURED_SHORTHOLD, DOWN),
        (T.INTRODUCTORY, T.DEMOTED, DOWN),
        # Moving up is never a downgrade.
        (T.INTRODUCTORY, T.SECURE, SAME),
        (T.ASSURED_SHORTHOLD, T.FIXED_TERM_ASSURED, SAME),
        (T.DEMOTED, T.INTRODUCTORY, SAME),
        (T.FLEXIBLE, T.FIXED_TERM_ASSURED, SAME),
        # Protected tenancies: like for like cannot be guaranteed (§4.5) for a lifetime offer; a
        # less secure one is still a downgrade, refused as for any tenant ("should not have their
        # tenancy downgraded", §4.5; §5.2), not a case for the named leads to approve.
        (T.SECURE_FAIR_RENT, T.ASSURED, NOT_GUARANTEED),
        (T.SECURE_FAIR_RENT, T.SECURE, NOT_GUARANTEED),
        (T.SECURE_FAIR_RENT, T.ASSURED_SHORTHOLD, DOWN),
        (T.SECURE_FAIR_RENT, T.FLEXIBLE, DOWN),
        (T.SECURE_FAIR_RENT, T.INTRODUCTORY, DOWN),
        (T.SECURE_FAIR_RENT, T.SECURE_FAIR_RENT, SAME),
    ],
)
def test_no_downgrade_comparison(current: T, offered: T, expected: SecurityResult) -> None:
    """Kent RP MoU §4.5, §5.2: same or better, a downgrade, or like for like not guaranteed."""
    comparison = compare_security(current, offered, on=ON)
    assert comparison.result is expected
    assert current.value.replace("_", " ") in comparison.reason
    assert offered.value.replace("_", " ") in comparison.reason


def test_reasons_read_as_sentences() -> None:
    assert compare_security(T.SECURE, T.ASSURED, on=ON).reason == (
        "an assured tenancy is at least as secure as the current secure tenancy"
    )
    assert compare_security(T.ASSURED, T.FLEXIBLE, on=ON).reason == (
        "a flexible tenancy is less secure than the current assured tenancy"
    )
    assert "named leads" in compare_security(T.SECURE_FAIR_RENT, T.ASSURED, on=ON).reason


@given(current=st.sampled_from(list(T)), offered=st.sampled_from(OFFERABLE), better=st.sampled_from(OFFERABLE))
def test_a_more_secure_offer_never_turns_a_pass_into_a_downgrade(current: T, offered: T, better: T) -> None:
    """Kent RP MoU §5.2: if an offer keeps the tenant's security, any more secure offer does too."""
    scale = ENGLAND_SECURITY.value_on(ON)[1]
    if scale.rank(better) < scale.rank(offered):
        return
    first = compare_security(current, offered, on=ON).result
    second = compare_security(current, better, on=ON).result
    if first is SAME:
        assert second is SAME
    assert second is not DOWN or first is DOWN


@given(current=st.sampled_from(OFFERABLE), offered=st.sampled_from(OFFERABLE))
def test_comparison_is_consistent_with_the_ranks(current: T, offered: T) -> None:
    """A downgrade exactly when the offered type ranks below the current one."""
    scale = ENGLAND_SECURITY.value_on(ON)[1]
    result = compare_security(current, offered, on=ON).result
    assert (result is DOWN) == (scale.rank(offered) < scale.rank(current))


def test_a_change_of_law_is_a_new_dated_scale_not_an_edit() -> None:
    """A later value of the scale applies from its date; earlier decisions keep the old one.

    The example is hypothetical (assured shorthold tenancies no longer grantable from a date),
    standing for a change such as the Renters' Rights Act's, whose commencement is unconfirmed.
    """
    old = ENGLAND_SECURITY.value_on(ON)[1]
    ranks = {t: r for t, r in old.ranks.items() if t is not T.ASSURED_SHORTHOLD}
    changed = Parameter(
        name="tenancy_security",
        label="security of tenure scale",
        description="test scale",
        values=[(None, old), (date(2030, 1, 1), SecurityScale(ranks, old.not_guaranteed))],
    )
    before = compare_security(T.ASSURED, T.ASSURED_SHORTHOLD, on=date(2029, 12, 31), scale=changed)
    assert before.result is DOWN
    with pytest.raises(ValueError, match="does not rank assured shorthold"):
        compare_security(T.ASSURED, T.ASSURED_SHORTHOLD, on=date(2030, 1, 1), scale=changed)
    assert compare_security(T.SECURE, T.ASSURED, on=date(2030, 1, 1), scale=changed).result is SAME


@pytest.mark.parametrize("offered", list(T))
def test_only_a_fair_rent_tenancy_cannot_be_newly_granted(offered: T) -> None:
    """A secure tenancy with a fair rent can only be held from before 15 January 1989: never offered."""
    assert grantable(offered, on=ON) is (offered is not T.SECURE_FAIR_RENT)
    assert ENGLAND_SECURITY.value_on(ON)[1].rank(T.SECURE_FAIR_RENT) is not None  # still held, so still ranked


def test_the_scale_says_what_cannot_be_granted() -> None:
    assert str(ENGLAND_SECURITY.value_on(ON)[1]).endswith("cannot be newly granted: secure fair rent")
    assert "newly granted" in ENGLAND_SECURITY.description


def test_grantability_is_dated_with_the_scale() -> None:
    """A change of law is a new dated scale: a type it stops granting (hypothetically, assured
    shorthold) is grantable before the date and not after; a type it no longer ranks is not grantable."""
    old = ENGLAND_SECURITY.value_on(ON)[1]
    stopped = SecurityScale(old.ranks, old.not_guaranteed, old.not_grantable | {T.ASSURED_SHORTHOLD})
    unranked = SecurityScale({t: r for t, r in old.ranks.items() if t is not T.ASSURED_SHORTHOLD},
                             old.not_guaranteed, old.not_grantable)
    for later in (stopped, unranked):
        changed = Parameter(name="tenancy_security", label="security of tenure scale", description="test scale",
                            values=[(None, old), (date(2030, 1, 1), later)])
        assert grantable(T.ASSURED_SHORTHOLD, on=date(2029, 12, 31), scale=changed)
        assert not grantable(T.ASSURED_SHORTHOLD, on=date(2030, 1, 1), scale=changed)
        assert grantable(T.ASSURED, on=date(2030, 1, 1), scale=changed)
