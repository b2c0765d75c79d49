"""The facts a process step's guards can read: the case so far, and the event being recorded.

Guards are :class:`~reciprocity.rules.Rule` values like eligibility rules, evaluated in
three-valued logic over these facts, so a refusal names its rule, its clause and, when a
fact is unknown, what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from reciprocity.lifecycle.events import ACTOR_KEY, Information
from reciprocity.rules.logic import MISSING

if TYPE_CHECKING:
    from reciprocity.lifecycle.case import CaseState

__all__ = ["CASE_FACTS", "KRS_INFORMATION", "case_facts"]

#: Every case fact, with the words a refusal uses for it.
CASE_FACTS: dict[str, str] = {
    "case.eligibility": "the coordinator's eligibility check",
    "case.da_support": "the survivor has specialist domestic abuse support",
    "case.unsafe_areas_recorded": "the unsafe areas are recorded",
    "case.approved": "the nominating landlord's named lead has approved",
    "case.signed_off": "the named leads have signed off",
    "case.arc_issued": "an Application Reference Code has been issued",
    "case.information_outstanding": "information still to send before final acceptance",
    "case.accepted_by_receiver": "a receiving council has given final acceptance",
    "case.band_placed": "the receiving council placed the applicant in its highest band",
    "case.moved": "the household has moved",
    "case.duty_taken_over": "the receiving council has taken the homelessness duty over",
    "circulation.recipient_count": "partners the request goes to",
    "circulation.reaches_unsafe_area": "the request goes to a partner in an unsafe area",
    "circulation.reaches_nominator": "the request goes to the nominating partner",
    "offer.assessment": "the offer's assessment",
    "event.by_duty_holder": "the event is recorded by the council holding the homelessness duty",
    "duty.hclic_recorded": "the end of the duty is recorded in H-CLIC",
    "review.consent": "the household consents to the offered tenancy",
}

#: KRS point 11: what the referring council sends before a final acceptance.
KRS_INFORMATION = frozenset(i.value for i in Information)


def _or_missing(value: Any) -> Any:
    return MISSING if value is None else value


def _by_duty_holder(state: CaseState, role: str, payload: Mapping[str, Any]) -> bool:
    """Whether the event is recorded by the council holding the homelessness duty, in the role
    it holds it in (the receiving council once it took the duty over)."""
    actor = payload.get(ACTOR_KEY)
    expected_role = "receiving_council" if state.duty_taken_over_by else "referring_council"
    if actor is None:  # an event recorded without an actor: judged by its role alone
        return role == expected_role
    return actor == state.duty_holder and role == expected_role


def case_facts(
    state: CaseState, *, event: str, on: date, role: str, payload: Mapping[str, Any]  # noqa: ARG001
) -> dict[str, Any]:
    """The case facts for a guard deciding whether ``event`` may be recorded now."""
    referral = state.referral
    facts: dict[str, Any] = {
        "case.eligibility": _or_missing(state.eligibility),
        "case.da_support": MISSING if referral is None else _or_missing(referral.da_support),
        "case.unsafe_areas_recorded": state.unsafe_areas is not None,
        "case.approved": state.approved,
        "case.signed_off": state.signed_off,
        "case.arc_issued": state.arc is not None,
        "case.information_outstanding": tuple(sorted(KRS_INFORMATION - state.information_sent)),
        "case.accepted_by_receiver": state.accepted_by is not None,
        "case.band_placed": state.band_placed_on is not None,
        "case.moved": state.moved_on is not None,
        "case.duty_taken_over": state.duty_taken_over_by is not None,
        "event.by_duty_holder": _by_duty_holder(state, role, payload),
    }
    if event == "circulate":
        recipients = tuple(payload.get("recipients", ()))
        areas = payload.get("recipient_areas", {})
        unsafe = state.unsafe_areas
        facts["circulation.recipient_count"] = len(recipients)
        facts["circulation.reaches_nominator"] = (
            MISSING if referral is None else referral.nominating_partner.id in recipients
        )
        if unsafe is None or any(r not in areas for r in recipients):
            facts["circulation.reaches_unsafe_area"] = MISSING
        else:
            facts["circulation.reaches_unsafe_area"] = any(set(areas[r]) & unsafe for r in recipients)
    if event in ("make_offer", "propose_offer"):
        facts["offer.assessment"] = _or_missing(payload.get("assessment"))
    if event in ("approve_offer", "reject_offer"):
        facts["review.consent"] = _or_missing(payload.get("consent"))
    if event == "end_duty":
        facts["duty.hclic_recorded"] = _or_missing(payload.get("hclic_recorded"))
    return facts
