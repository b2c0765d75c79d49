"""Rules many schemes share, built with each scheme's own id and clauses.

A scheme still declares every rule it uses, citing its own text; these constructors only
keep the conditions and wording of common checks in one place.
"""

from __future__ import annotations

from reciprocity.model.enums import MembershipStatus
from reciprocity.rules.condition import Condition
from reciprocity.rules.expr import fact, param
from reciprocity.rules.rule import Clause, Outcome, Rule
from reciprocity.tenancy_security import SecurityResult

__all__ = [
    "offer_in_requested_area",
    "offer_landlord_partner",
    "offer_like_for_like",
    "offer_no_downgrade",
    "offer_not_in_unsafe_area",
    "offer_size",
    "offer_tenancy_grantable",
]

Clauses = Clause | list[Clause]


def offer_not_in_unsafe_area(scheme_id: str, clauses: Clauses) -> Rule:
    """The offered home is not in an area the referral marks unsafe."""
    return Rule(
        id=f"{scheme_id}.offer_not_in_unsafe_area",
        clauses=clauses,
        statement="An offered home must not be in an area the referral marks unsafe.",
        require=fact("offer.in_unsafe_area").is_false(),
        passed="the home is in {offer.area}, which the referral does not mark unsafe",
        failed="the home is in {offer.area}, an area the referral marks unsafe",
    )


def offer_in_requested_area(scheme_id: str, clauses: Clauses) -> Rule:
    """The offered home is in one of the requested areas."""
    return Rule(
        id=f"{scheme_id}.offer_in_requested_area",
        clauses=clauses,
        statement="An offered home must be in one of the areas the household asked for.",
        require=fact("offer.in_requested_area").is_true(),
        passed="the home is in {offer.area}, one of the requested areas",
        failed="the home is in {offer.area}, which is not one of the requested areas ({requested_areas})",
    )


def offer_size(scheme_id: str, clauses: Clauses) -> Rule:
    """The home has the bedrooms the household needs, less the scheme's overcrowding allowance.

    Reads the parameters ``size_standard`` (through the fact) and ``overcrowding_allowance``.
    """
    return Rule(
        id=f"{scheme_id}.offer_size",
        clauses=clauses,
        statement="An offered home must have the bedrooms the household needs, less any overcrowding allowance.",
        require=fact("offer.bedroom_shortfall").le(param("overcrowding_allowance")),
        passed="the home's {offer.bedrooms} bedroom(s) meet the household's need",
        failed="the home is {offer.bedroom_shortfall} bedroom(s) short of the household's need",
    )


_TENANTS_ONLY = "the household holds no tenancy to compare with"


def offer_no_downgrade(
    scheme_id: str,
    clauses: Clauses,
    *,
    when: Condition | None = None,
    to_named_leads: bool = False,
) -> Rule:
    """The tenancy offered is at least as secure as the current one.

    With ``to_named_leads`` a downgrade is not a refusal: the offer needs the named leads'
    sign-off (a needs-information finding). ``when`` limits the rule, e.g. to social tenants.
    """
    failed = "the {offer.tenancy_type} tenancy offered is less secure than the current {tenancy.type} tenancy"
    return Rule(
        id=f"{scheme_id}.offer_no_downgrade",
        clauses=clauses,
        statement="The tenancy offered must not be less secure than the one the tenant holds"
        + (" unless the named leads agree." if to_named_leads else "."),
        when=when,
        require=fact("offer.security").ne(SecurityResult.DOWNGRADE),
        on_fail=Outcome.NEEDS_INFORMATION if to_named_leads else Outcome.INELIGIBLE,
        passed="the {offer.tenancy_type} tenancy offered is not a downgrade of the current one",
        failed=failed + ("; the named leads must agree to the offer" if to_named_leads else ""),
        not_applicable=_TENANTS_ONLY if when is not None else "",
    )


def offer_like_for_like(scheme_id: str, clauses: Clauses, *, when: Condition | None = None) -> Rule:
    """A protected tenancy cannot be matched like for like: the named leads review the offer."""
    return Rule(
        id=f"{scheme_id}.offer_like_for_like",
        clauses=clauses,
        statement="Where like for like cannot be guaranteed (a protected tenancy), the named leads must "
        "consider the offer.",
        when=when,
        require=fact("offer.security").ne(SecurityResult.NOT_GUARANTEED),
        on_fail=Outcome.NEEDS_INFORMATION,
        passed="the offered tenancy can be compared like for like with the current one",
        failed="the current {tenancy.type} tenancy cannot be matched like for like; the named leads must "
        "consider the offer",
        not_applicable=_TENANTS_ONLY if when is not None else "",
    )


def offer_tenancy_grantable(scheme_id: str, clauses: Clauses) -> Rule:
    """The tenancy offered is one a landlord can grant now (not a pre-1989 fair-rent secure tenancy).

    Reads the parameter ``tenancy_security`` (through the fact), whose scale lists the types
    that cannot be newly granted.
    """
    return Rule(
        id=f"{scheme_id}.offer_tenancy_grantable",
        clauses=clauses,
        statement="The tenancy offered must be one a landlord can grant now.",
        require=fact("offer.tenancy_grantable").is_true(),
        passed="the {offer.tenancy_type} tenancy offered is one a landlord can grant now",
        failed="the offer is of a {offer.tenancy_type} tenancy, which no landlord can grant now (a secure "
        "tenancy with a fair rent can only be held from before 15 January 1989); the offer must name the new "
        "tenancy the household would get",
    )


def offer_landlord_partner(scheme_id: str, clauses: Clauses) -> Rule:
    """The offering landlord is a partner, active or in its notice period, on the offer date."""
    return Rule(
        id=f"{scheme_id}.offer_landlord_partner",
        clauses=clauses,
        statement="The offering landlord must be a partner, active or in its notice period, on the offer date.",
        require=fact("offer.landlord_membership").one_of({MembershipStatus.ACTIVE, MembershipStatus.NOTICE_GIVEN}),
        passed="the offering landlord {offer.landlord} is a partner ({offer.landlord_membership})",
        failed="the offering landlord {offer.landlord} is not a partner on the offer date "
        "({offer.landlord_membership})",
    )
