"""What the library derives for a case's commands, from the store, the scheme and the date.

Each function computes the content a command records (the eligibility outcome, the offer's
assessment, the circulation's recipients and request, the move's ledger entry); the commands
in :mod:`reciprocity.casework.cases` record exactly this, and `reciprocity store verify`
(:mod:`reciprocity.casework.verify`) computes it again for every recorded event and reports
any that differ. ``before`` reads the partner register as the store stood before an event's
position, which is what the command saw when it was recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError

from reciprocity.decision import Decision, Status
from reciprocity.errors import InvalidInputError, ReciprocityError
from reciprocity.inputs import problems_from
from reciprocity.lifecycle.case import CaseState
from reciprocity.lifecycle.circulation import areas_of, recipients
from reciprocity.lifecycle.deadlines import response_due
from reciprocity.lifecycle.process import Process
from reciprocity.model import Offer, Partner, Referral
from reciprocity.rules.rule import Outcome

__all__ = [
    "CaseWorkError", "all_roles", "bedrooms_needed", "case_process", "check_body", "circulation_body",
    "move_entry", "offer_body", "process_for_events", "process_of", "referral_date", "registered", "scheme_param",
]


class CaseWorkError(ReciprocityError):
    """A command cannot be done on the case as it stands (the message says what to do first)."""


def process_of(scheme_id: str, referred_on: date | None = None) -> Process:
    """The process of scheme ``scheme_id`` a case referred on ``referred_on`` follows (the
    version in force that day; without a date, the version in force from the start)."""
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    scheme = get_scheme(scheme_id)
    if scheme.process is None:
        raise ReciprocityError(f"scheme {scheme_id} declares no case process")
    return scheme.process if referred_on is None else scheme.process_on(referred_on)  # type: ignore[no-any-return]


def case_process(state: CaseState) -> Process:
    """The process version the case follows: the one in force on its referral's date."""
    referred = state.referral.referred_on if state.referral is not None else state.referred_on
    return process_of(state.scheme_id, referred)


def process_for_events(scheme_id: str, events: Sequence[Any]) -> Process:
    """The process version a case with these recorded events follows (its first event is the
    referral; the version is the one in force on the referral's ``referred_on`` date)."""
    return process_of(scheme_id, referral_date(events))


def referral_date(events: Sequence[Any]) -> date | None:
    """The ``referred_on`` date of the referral a case's first event records, or None."""
    if not events:
        return None
    first = events[0].event
    referral = first.payload.get("referral") if first.type == "refer" else None
    try:
        return date.fromisoformat(referral["referred_on"]) if isinstance(referral, dict) else None
    except (KeyError, TypeError, ValueError):
        return first.on


def all_roles(scheme_id: str) -> dict[str, str]:
    """Every role any version of the scheme's process declares, with what it is."""
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    roles: dict[str, str] = {}
    for _, process in get_scheme(scheme_id).processes:
        roles.update(process.roles)
    if not roles:
        raise ReciprocityError(f"scheme {scheme_id} declares no case process")
    return roles


def scheme_param(scheme_id: str, on: date, name: str, default: Any) -> Any:
    """The scheme parameter ``name`` in force on ``on``, or ``default`` when it has none."""
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    try:
        return get_scheme(scheme_id).ruleset(on).params.get(name, default)
    except ReciprocityError:  # no rules in force that day
        return default


def bedrooms_needed(scheme_id: str, referral: Referral, on: date) -> int | None:
    """The bedrooms the referral's household needs under the scheme's ``size_standard`` in force
    on ``on``, or None when the household (or a fact that could change the answer) is unknown."""
    from reciprocity.sizes import SizeStandard, bedroom_need  # noqa: PLC0415

    if referral.household is None:
        return None
    standard = scheme_param(scheme_id, on, "size_standard", SizeStandard.SOCIAL_SECTOR_SIZE_CRITERIA)
    need = bedroom_need(referral.household, SizeStandard(standard))
    return need if isinstance(need, int) else None


def registered(store: Any, scheme_id: str, partner: Partner, *, before: int | None = None) -> Partner:
    """``partner`` with its membership dates and data sharing protocol signature taken from the
    scheme's partner register when the register has it (the register is the coordinator's
    record, Kent RP MoU §2.4 (first); a snapshot in a referral or offer may be out of date, e.g.
    miss a notice to withdraw, §5.5)."""
    from reciprocity.partnership.service import Partners  # noqa: PLC0415

    record = Partners(store).find(scheme_id, partner.id, before=before)
    if record is None:
        return partner
    return partner.model_copy(update={
        "membership": record.partner.membership,
        "data_sharing_protocol_signatory": record.partner.data_sharing_protocol_signatory,
    })


def check_body(store: Any, state: CaseState, on: date, *, engine: str = "native",
               before: int | None = None) -> tuple[Decision, dict[str, Any]]:
    """The eligibility decision on ``on`` and the ``check_eligibility`` content recording it."""
    from reciprocity.api import evaluate  # noqa: PLC0415

    assert state.referral is not None
    nominator = registered(store, state.scheme_id, state.referral.nominating_partner, before=before)
    referral = state.referral.model_copy(update={"nominating_partner": nominator})
    decision = evaluate(state.scheme_id, referral, on=on, engine=engine)
    body = {"outcome": decision.outcome.value, "failed": [f.rule_id for f in decision.failed],
            "open": [f.rule_id for f in decision.findings if f.status is Status.NEEDS_INFORMATION]}
    return decision, body


def _needs_review(decision: Decision) -> bool:
    """Whether the offer's only open findings are ones its rules send to the named leads'
    review (a rule not met whose failure means review, such as like for like, MoU §4.5)."""
    findings = decision.findings
    review = [f for f in findings if f.status is Status.NOT_MET and f.rule.on_fail is Outcome.NEEDS_INFORMATION]
    blocking = [f for f in findings if f.status is Status.NEEDS_INFORMATION
                or (f.status is Status.NOT_MET and f.rule.on_fail is not Outcome.NEEDS_INFORMATION)]
    return bool(review) and not blocking


def offer_body(store: Any, state: CaseState, offer: Offer, on: date, *, engine: str = "native",
               before: int | None = None) -> tuple[Decision, str, dict[str, Any]]:
    """The offer's assessment on ``on``, the event recording it (``make_offer`` when suitable,
    ``propose_offer`` when it needs the named leads' review) and its content."""
    from reciprocity.api import assess_offer  # noqa: PLC0415

    model = offer.model_copy(update={"landlord": registered(store, state.scheme_id, offer.landlord, before=before)})
    decision = assess_offer(state.scheme_id, state.referral, model, on=on, engine=engine)
    review = decision.outcome is Outcome.NEEDS_INFORMATION and _needs_review(decision)
    body = {"offer": model.model_dump(mode="json"),
            "assessment": "needs_review" if review else decision.outcome.value,
            "failed": [f.rule_id for f in decision.findings if f.status in (Status.NOT_MET, Status.NEEDS_INFORMATION)]}
    return decision, ("propose_offer" if review else "make_offer"), body


def circulation_body(store: Any, state: CaseState, on: date, *, notes: str | None = None,
                     known: Iterable[str] = (), before: int | None = None) -> dict[str, Any]:
    """The ``circulate`` content: the recipients and their areas from the partner register on
    ``on``, those left out and why, the reply date and the pseudonymised request."""
    from reciprocity.partnership.service import Partners  # noqa: PLC0415
    from reciprocity.plugins import get_scheme  # noqa: PLC0415
    from reciprocity.privacy import PartnerRequest  # noqa: PLC0415

    referral = state.referral
    assert referral is not None
    if state.arc is None:
        raise CaseWorkError("the case has no Application Reference Code yet; accept it first")
    if state.unsafe_areas is None:
        raise CaseWorkError("the case has no unsafe areas recorded; record them (an empty list if none) "
                            "before circulating")
    directory = Partners(store).directory(state.scheme_id, before=before)
    scheme = get_scheme(state.scheme_id)
    sought = None
    process = case_process(state)
    if process.circulate_to == "safe_scheme_areas":
        # Another borough (KRS preamble): never the area the household lives in now.
        sought = sorted(scheme.area_ids - state.unsafe_areas - {referral.current_area})
    sent = recipients(referral, directory, on=on, areas=sought)
    by_id = {p.id: p for p in directory}
    if not referral.requested_areas and sought:
        # KRS point 8: preferences are not a commitment; with none, the request names the
        # safe councils contacted, which point 10 makes known to the whole group anyway.
        referral = referral.model_copy(update={"requested_areas": tuple(sought)})
    if not referral.requested_areas:
        raise CaseWorkError("the case names no requested areas; record them (extend-areas) first")
    need = bedrooms_needed(state.scheme_id, referral, on)
    due_on = response_due(process.deadlines, on)
    try:
        request = PartnerRequest.for_referral(
            referral, arc=state.arc, circulated_on=on, respond_by=due_on, bedrooms_needed=need,
            round=len(state.rounds) + 1, notes=notes, scheme=state.scheme_id, known=tuple(known),
        )
    except ValidationError as error:  # the notes hold something identifying, or are too long
        raise InvalidInputError("circulation", problems_from(error)) from None
    return {
        "round": len(state.rounds) + 1,
        "recipients": list(sent.recipients),
        "excluded": [[e.partner, e.reason.value] for e in sent.excluded],
        "recipient_areas": {r: sorted(areas_of(by_id[r])) for r in sent.recipients},
        "respond_by": due_on.isoformat(),
        "request": request.model_dump(mode="json"),
    }


def move_entry(state: CaseState, on: date) -> Any | None:
    """The ledger entry a case's move writes (``state``: the case before the move), or None when
    the scheme keeps no property debt. The nominating partner owes; the landlord of the accepted
    offer is owed; where sizes are kept, the size is the bedrooms the moved household needs
    under the scheme's ``size_standard`` (Cambridgeshire's reading of 'an equal size property')."""
    from reciprocity.ledger.book import LedgerError  # noqa: PLC0415
    from reciprocity.ledger.entries import MoveEntry  # noqa: PLC0415
    from reciprocity.partnership.policy import partnership_of  # noqa: PLC0415

    policy = partnership_of(state.scheme_id)
    if not policy.keeps_debts:
        return None
    offer = state.last_offer[1] if state.last_offer else None
    if offer is None or state.referral is None:
        raise LedgerError("the case has no accepted offer to move into")
    bedrooms = None
    if policy.sized:
        bedrooms = bedrooms_needed(state.scheme_id, state.referral, on)
        if bedrooms is None:
            raise LedgerError("the household's bedroom need is not known, so the size of the home owed cannot "
                              "be recorded; complete the household before the move")
    return MoveEntry(case=state.case_id, arc=state.arc, nominating=state.referral.nominating_partner.id,
                     accepting=offer.landlord.id, bedrooms=bedrooms,
                     basis="tenant" if state.referral.tenancy is not None else "non_tenant_agreement",
                     case_event="")
