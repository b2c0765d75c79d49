"""Guards many processes share, built with each scheme's own id and clauses.

Like :mod:`reciprocity.rules.common` for offers: a scheme still declares every guard it uses,
citing its own text; these only keep the conditions and wording in one place.
"""

from __future__ import annotations

from reciprocity.rules.expr import fact
from reciprocity.rules.rule import Clause, Rule

__all__ = [
    "consent_to_offer", "found_eligible", "found_ineligible", "offer_for_review", "safe_circulation",
    "specialist_support_needed", "suitable_offer",
]

Clauses = Clause | list[Clause]


def found_eligible(scheme_id: str, clauses: Clauses) -> Rule:
    return Rule(
        id=f"{scheme_id}.case_found_eligible",
        clauses=clauses,
        statement="A case is accepted only after the eligibility check found it eligible.",
        require=fact("case.eligibility").eq("eligible"),
        passed="the eligibility check found the case eligible",
        failed="the eligibility check found the case {case.eligibility}; run the check again when it changes",
    )


def found_ineligible(scheme_id: str, clauses: Clauses) -> Rule:
    return Rule(
        id=f"{scheme_id}.case_found_ineligible",
        clauses=clauses,
        statement="A case is declined only when the eligibility check found it ineligible.",
        require=fact("case.eligibility").eq("ineligible"),
        passed="the eligibility check found the case ineligible",
        failed="the eligibility check found the case {case.eligibility}, not ineligible",
    )


def safe_circulation(scheme_id: str, clauses: Clauses) -> tuple[Rule, ...]:
    """A request goes to someone, never to the nominating partner, never into an unsafe area."""
    return (
        Rule(
            id=f"{scheme_id}.circulate_unsafe_areas_known",
            clauses=clauses,
            statement="A request is circulated only once the case's unsafe areas are recorded.",
            require=fact("case.unsafe_areas_recorded").is_true(),
            passed="the unsafe areas are recorded",
            failed="the case's unsafe areas are not recorded (record an empty list if there are none)",
        ),
        Rule(
            id=f"{scheme_id}.circulate_not_to_unsafe_area",
            clauses=clauses,
            statement="A request is never sent to a partner with homes in an area the case marks unsafe.",
            require=fact("circulation.reaches_unsafe_area").is_false(),
            passed="no recipient has homes in an unsafe area",
            failed="a recipient has homes in an area the case marks unsafe",
        ),
        Rule(
            id=f"{scheme_id}.circulate_not_to_nominator",
            clauses=clauses,
            statement="A request is never sent to the nominating partner.",
            require=fact("circulation.reaches_nominator").is_false(),
            passed="the nominating partner is not a recipient",
            failed="the nominating partner is among the recipients",
        ),
        Rule(
            id=f"{scheme_id}.circulate_to_someone",
            clauses=clauses,
            statement="A request is circulated to at least one partner.",
            require=fact("circulation.recipient_count").gt(0),
            passed="the request goes to {circulation.recipient_count} partner(s)",
            failed="no partner may receive the request (none has homes in a requested, safe area); "
            "extend the requested areas",
        ),
    )


def suitable_offer(scheme_id: str, clauses: Clauses) -> Rule:
    return Rule(
        id=f"{scheme_id}.offer_is_suitable",
        clauses=clauses,
        statement="An offer is recorded only when its assessment finds it suitable.",
        require=fact("offer.assessment").eq("eligible"),
        passed="the offer's assessment found it suitable",
        failed="the offer's assessment found it {offer.assessment}; see `reciprocity offer` for the findings",
    )


def specialist_support_needed(scheme_id: str, clauses: Clauses) -> Rule:
    return Rule(
        id=f"{scheme_id}.specialist_support_needed",
        clauses=clauses,
        statement="A specialist referral is offered when the survivor has no specialist domestic abuse support.",
        require=fact("case.da_support").is_false(),
        passed="the survivor has no specialist domestic abuse support",
        failed="the survivor already has specialist domestic abuse support",
    )


def offer_for_review(scheme_id: str, clauses: Clauses) -> Rule:
    return Rule(
        id=f"{scheme_id}.offer_for_review",
        clauses=clauses,
        statement="An offer goes to the named leads' review only when its assessment flags it for them "
        "(like for like cannot be guaranteed).",
        require=fact("offer.assessment").eq("needs_review"),
        passed="the offer's assessment flags it for the named leads' review",
        failed="the offer's assessment found it {offer.assessment}, not one for review",
    )


def consent_to_offer(scheme_id: str, clauses: Clauses) -> Rule:
    return Rule(
        id=f"{scheme_id}.offer_review_consent",
        clauses=clauses,
        statement="A flagged offer is approved only with the household's consent.",
        require=fact("review.consent").is_true(),
        passed="the household consents to the offered tenancy",
        failed="the household has not consented to the offered tenancy; record the review as rejected",
    )
