"""A case's state: the replay of its recorded events through its scheme's process.

:func:`replay` folds events into a :class:`CaseState`; :func:`check_event` says whether the
process allows an event now (its step, its roles, its guards), raising
:class:`TransitionRefused` naming the state, the event and the rule when it does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from reciprocity.errors import ReciprocityError
from reciprocity.lifecycle.events import split_actor, validate_payload
from reciprocity.lifecycle.process import COORDINATOR, NEW, Party, Process, Step
from reciprocity.model import Offer, Referral
from reciprocity.rules.condition import Env
from reciprocity.rules.rule import fill

__all__ = [
    "CaseState", "HistoryEntry", "RoundSent", "TransitionRefused", "apply", "check_event", "fold", "party_of", "replay",
]


class TransitionRefused(ReciprocityError):
    """The process does not allow this event now; the message names state, event and rule."""

    def __init__(self, message: str, *, state: str, event: str, rule: str | None = None,
                 allowed: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.state = state
        self.event = event
        self.rule = rule
        #: ``rule`` is a guard's id, or ``"role"`` / ``"actor"`` when the step is for another
        #: role or another party (who acts, not what is done: a door answers 403 for those).
        #: The events the process allows in ``state`` (filled in by :func:`check_event`).
        self.allowed = allowed


@attrs.frozen
class HistoryEntry:
    seq: int
    event: str
    on: date
    role: str
    state: str
    #: Who recorded it: a partner id, ``coordinator``, or None for an event recorded without one.
    actor: str | None = None


@attrs.frozen
class RoundSent:
    round: int
    on: date
    recipients: tuple[str, ...]
    respond_by: date


@attrs.frozen
class CaseState:
    """Everything a case's events have established, as of its last event."""

    case_id: str
    scheme_id: str
    state: str = NEW
    referral: Referral | None = None
    arc: str | None = None
    eligibility: str | None = None
    approved: bool = False
    signed_off: bool = False
    specialist_support_offered: bool = False
    rounds: tuple[RoundSent, ...] = ()
    responses: tuple[tuple[str, bool, date], ...] = ()
    information_sent: frozenset[str] = frozenset()
    accepted_by: str | None = None
    band_placed_on: date | None = None
    band_reviewed_on: date | None = None
    duty_taken_over_by: str | None = None
    duty_taken_over_on: date | None = None
    offers: tuple[tuple[date, Offer, str], ...] = ()
    #: The offer's review by the nominating partner's named lead, when it needed one:
    #: ``"approved"`` or ``"rejected"``, with the household's consent.
    offer_review: tuple[str, bool, date] | None = None
    viewing: str | None = None
    referred_on: date | None = None
    moved_on: date | None = None
    closed_on: date | None = None
    closed_reason: str | None = None
    duty_ended_on: date | None = None
    tenancy_ended_on: date | None = None
    feedback_requested_on: date | None = None
    #: The last time the requested areas were extended (the three-month review restarts).
    areas_extended_on: date | None = None
    #: Feedback received after the move: (who gave it, whether positive, when).
    feedback: tuple[tuple[str, bool | None, date], ...] = ()
    history: tuple[HistoryEntry, ...] = ()

    @property
    def unsafe_areas(self) -> frozenset[str] | None:
        if self.referral is None or self.referral.unsafe_areas is None:
            return None
        return frozenset(self.referral.unsafe_areas)

    @property
    def first_circulated_on(self) -> date | None:
        return self.rounds[0].on if self.rounds else None

    @property
    def last_offer(self) -> tuple[date, Offer, str] | None:
        return self.offers[-1] if self.offers else None

    @property
    def nominator(self) -> str | None:
        return None if self.referral is None else self.referral.nominating_partner.id

    @property
    def recipients(self) -> tuple[str, ...]:
        """The partners the latest request went to."""
        return self.rounds[-1].recipients if self.rounds else ()

    @property
    def contacted(self) -> frozenset[str]:
        """Every partner a request of the case went to, in any round."""
        return frozenset(p for r in self.rounds for p in r.recipients)

    @property
    def duty_holder(self) -> str | None:
        """Who holds the homelessness duty (KRS points 6, 14): the receiving council once it has
        taken the duty over, otherwise the referring (nominating) council."""
        return self.duty_taken_over_by or self.nominator


def party_of(party: Party, state: CaseState) -> frozenset[str] | None:
    """The actor ids that stand as ``party`` to the case now (None: anyone may, e.g. the
    nominating partner of a case not yet opened, checked against the referral instead)."""
    if party is Party.COORDINATOR:
        return frozenset({COORDINATOR})
    if party is Party.NOMINATOR:
        return None if state.nominator is None else frozenset({state.nominator})
    if party is Party.RECIPIENT:
        return frozenset(state.recipients)
    if party is Party.RECEIVER:
        return frozenset({state.accepted_by} - {None})  # type: ignore[arg-type]
    holder = state.duty_holder
    return frozenset() if holder is None else frozenset({holder})


def _referral_with(state: CaseState, **changes: Any) -> Referral:
    assert state.referral is not None
    data = state.referral.model_dump(mode="json")
    data.update(changes)
    return Referral.model_validate(data)


def fold(state: CaseState, event: str, on: date, payload: Mapping[str, Any]) -> CaseState:
    """The state after ``event`` (already allowed by :func:`check_event`), without checking it
    again: the target state and history are set by the caller (:func:`apply`)."""
    actor, _ = split_actor(payload)
    p = validate_payload(event, payload)
    ch: dict[str, Any] = {}
    if event == "refer":
        ch = {"referral": p.referral, "referred_on": on}  # type: ignore[attr-defined]
    elif event == "check_eligibility":
        ch = {"eligibility": p.outcome}  # type: ignore[attr-defined]
    elif event == "accept":
        ch = {"arc": state.arc or p.arc}  # type: ignore[attr-defined]  # an ARC, once given, is stable
    elif event == "approve":
        ch = {"approved": True}
    elif event == "sign_off":
        ch = {"signed_off": True}
    elif event == "offer_specialist_support":
        ch = {"specialist_support_offered": True}
    elif event == "record_unsafe_areas":
        ch = {"referral": _referral_with(state, unsafe_areas=list(p.unsafe_areas))}  # type: ignore[attr-defined]
    elif event == "extend_areas":
        ch = {"referral": _referral_with(state, requested_areas=list(p.requested_areas)),  # type: ignore[attr-defined]
              "areas_extended_on": on}
    elif event == "circulate":
        sent = RoundSent(p.round, on, tuple(p.recipients), date.fromisoformat(p.respond_by))  # type: ignore[attr-defined]
        ch = {"rounds": (*state.rounds, sent)}
    elif event == "respond":
        ch = {"responses": (*state.responses, (actor, p.can_help, on))}  # type: ignore[attr-defined]
    elif event == "send_information":
        ch = {"information_sent": state.information_sent | {k.value for k in p.kinds}}  # type: ignore[attr-defined]
    elif event == "final_acceptance":
        ch = {"accepted_by": actor}
    elif event == "place_in_band":
        ch = {"band_placed_on": on}
    elif event == "review_band":
        ch = {"band_reviewed_on": on}
    elif event == "take_over_duty":
        ch = {"duty_taken_over_by": actor, "duty_taken_over_on": on}
    elif event in {"make_offer", "propose_offer"}:
        ch = {"offers": (*state.offers, (on, p.offer, p.assessment)), "viewing": None,  # type: ignore[attr-defined]
              "offer_review": None}
    elif event in {"approve_offer", "reject_offer"}:
        ch = {"offer_review": ("approved" if event == "approve_offer" else "rejected", p.consent, on)}  # type: ignore[attr-defined]
    elif event == "accept_offer":
        ch = {"viewing": "accepted"}
    elif event == "refuse_offer":
        ch = {"viewing": "refused"}
    elif event == "move":
        ch = {"moved_on": on}
    elif event == "request_feedback":
        ch = {"feedback_requested_on": on}
    elif event == "receive_feedback":
        ch = {"feedback": (*state.feedback, (p.source, p.positive, on))}  # type: ignore[attr-defined]
    elif event in {"close", "decline"}:
        ch = {"closed_on": on, "closed_reason": getattr(p, "reason", "ineligible")}
    elif event == "end_duty":
        ch = {"duty_ended_on": on}
    elif event == "end_previous_tenancy":
        ch = {"tenancy_ended_on": on}
    return attrs.evolve(state, **ch)


def check_event(
    process: Process, state: CaseState, event: str, *, on: date, role: str, payload: Mapping[str, Any]
) -> Step:
    """The step ``event`` takes from the case's state, or :class:`TransitionRefused` saying why
    not (with the events allowed now)."""
    try:
        return _checked(process, state, event, on=on, role=role, payload=payload)
    except TransitionRefused as refused:
        refused.allowed = refused.allowed or process.events_from(state.state)
        raise


def _checked(
    process: Process, state: CaseState, event: str, *, on: date, role: str, payload: Mapping[str, Any]
) -> Step:
    step = process.step(state.state, event)
    if step is None:
        allowed = ", ".join(process.events_from(state.state)) or "none (the case is closed)"
        raise TransitionRefused(
            f"event {event!r} is not allowed in state {state.state!r} of the {process.scheme_id} process; "
            f"allowed now: {allowed}",
            state=state.state, event=event,
        )
    if role not in step.roles:
        raise TransitionRefused(
            f"event {event!r} in state {state.state!r} is for {', '.join(sorted(step.roles))}, not the role given "
            f"({step.citation})",
            state=state.state, event=event, rule="role",
        )
    actor, _ = split_actor(payload)
    if actor is not None:
        allowed_ids = party_of(step.party, state)
        if event == "refer":
            refer_payload = split_actor(payload)[1].get("referral")
            nominator = refer_payload.get("nominating_partner", {}).get("id") if isinstance(refer_payload, dict) else None
            allowed_ids = frozenset({COORDINATOR} if step.party is Party.COORDINATOR else {nominator} - {None})
        if event == "refer" and step.party is not Party.COORDINATOR and actor not in allowed_ids:
            # The nominator here is what the referral says, not yet checked against anything:
            # it is not repeated (it may be any text, even personal data).
            raise TransitionRefused(
                f"event 'refer' is for the {step.who}: the referral's nominating_partner.id must be the "
                f"partner acting ({step.citation})",
                state=state.state, event=event, rule="actor",
            )
        if allowed_ids is not None and actor not in allowed_ids:
            names = ", ".join(sorted(allowed_ids)) or "nobody yet"
            raise TransitionRefused(
                f"event {event!r} in state {state.state!r} is for the {step.who} ({names}), not {actor} "
                f"({step.citation})",
                state=state.state, event=event, rule="actor",
            )
    if state.history and on < state.history[-1].on:
        raise TransitionRefused(
            f"event {event!r} is dated before the case's last event ({state.history[-1].on.isoformat()}); "
            "events are recorded in date order",
            state=state.state, event=event,
        )
    if step.guards:
        from reciprocity.lifecycle.case_facts import case_facts  # noqa: PLC0415 - avoids a cycle

        facts = case_facts(state, event=event, on=on, role=role, payload=payload)
        for rule in step.guards:
            env = Env(facts=facts, params={})
            if rule.when is not None and rule.when.evaluate(env)[0] is not True:
                continue
            value, missing = rule.require.evaluate(env)
            if value is True:
                continue
            why = rule.failed if value is False else "needs information: " + ", ".join(sorted(missing))
            raise TransitionRefused(
                f"event {event!r} refused in state {state.state!r}: rule {rule.id} ({rule.citation}): "
                f"{fill(why, facts)}",
                state=state.state, event=event, rule=rule.id,
            )
    return step


def apply(
    process: Process, state: CaseState, seq: int, event: str, *, on: date, role: str, payload: Mapping[str, Any]
) -> CaseState:
    """Check ``event`` against the process and return the state after it."""
    step = check_event(process, state, event, on=on, role=role, payload=payload)
    after = fold(state, event, on, payload)
    target = step.target or state.state
    history = (*state.history, HistoryEntry(seq, event, on, role, target, split_actor(payload)[0]))
    return attrs.evolve(after, state=target, history=history)


def replay(process: Process, case_id: str, events: Iterable[Any]) -> CaseState:
    """The case's state from its recorded events (``reciprocity.store.Recorded`` values)."""
    state = CaseState(case_id=case_id, scheme_id=process.scheme_id)
    for recorded in events:
        e = recorded.event
        state = apply(process, state, recorded.seq, e.type, on=e.on, role=e.role, payload=e.payload)
    return state

