"""A household's case after acceptance, played step by step in the demo's year.

:class:`CirculatedCase` plays a process whose request goes to partners that answer, one that can
help offering a home (answers, offers, viewings, the move, then feedback or the end of the old
tenancy where the process has them, a review after three months without a home);
:class:`ReceivingCase` one where a partner that can help is sent the case's information and
gives final acceptance, and the nominating partner makes the offer of the home found (then
banding, a duty taken over and the duty ended where the process has them). Which steps there are,
who takes them and in which role come from the scheme's process (:mod:`reciprocity.demo.playbook`).
Each case keeps an agenda of dated actions and yields the date of the next one to the year's
queue (:mod:`reciprocity.demo.simulation`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from reciprocity.demo.world import Household
from reciprocity.lifecycle.actors import ActorRefused
from reciprocity.lifecycle.case import CaseState, TransitionRefused
from reciprocity.lifecycle.circulation import areas_of
from reciprocity.lifecycle.events import Information

if TYPE_CHECKING:
    from reciprocity.demo.simulation import Actor, Year

__all__ = ["MAX_ROUNDS", "CirculatedCase", "ReceivingCase"]

#: Circulations of one case before its review (fortnightly, then the review at three months).
MAX_ROUNDS = 4


class CirculatedCase:
    """The request circulates to partners, who answer; one that can help offers a home; the
    household views it; the move; feedback or the end of the tenancy, where the process has them."""

    def __init__(self, year: Year, household: Household, state: CaseState) -> None:
        self.y = year
        self.household = household
        self.case_id = state.case_id
        #: The case as its last recorded event left it (every write returns the new state).
        self.current = state
        self.agenda: list[tuple[date, int, str, str]] = []
        self.rounds = 0
        self.offers = 0
        self.waiting_for_offer = 0
        self.extended = False
        self.last_circulated: date | None = None

    def plan(self, on: date, action: str, partner: str = "") -> None:
        heapq.heappush(self.agenda, (on, self.y.ticket(), action, partner))

    def record(self, event: str, payload: dict[str, Any] | None = None) -> CaseState:
        self.current = self.y.act(self.current, event, payload)
        return self.current

    def allows(self, state: CaseState, event: str) -> bool:
        return self.y.case_playbook(state).allows(state.state, event)

    def settled(self, state: CaseState) -> bool:
        """The household has accepted a home (the move is next) or has moved."""
        return state.moved_on is not None or self.allows(state, "move")

    def run(self) -> Actor:
        y = self.y
        self.plan(y.today, "circulate")
        self.plan(y.workday(y.today + relativedelta(months=3)), "review")
        if self.household.withdraws_after_days is not None:
            self.plan(y.workday(y.today + timedelta(days=self.household.withdraws_after_days)), "withdraw")
        while self.agenda:
            on, _, action, partner = heapq.heappop(self.agenda)
            yield on
            state = self.current
            if state.state in y.case_process(state).final and action != "feedback":
                return
            step: Callable[[CaseState, str], bool | None] = getattr(self, "_" + action)
            try:
                if step(state, partner) is False:
                    return
            except ActorRefused:
                # The partner that was to act has left the scheme since (only members act on
                # cases): the case cannot go on with it, so the nominating side closes it.
                self._partner_left()
                return

    def _partner_left(self) -> None:
        try:
            self.record("close", {"reason": "no_property_identified"})
        except (ActorRefused, TransitionRefused):
            pass  # the process does not close the case from here: it is left where it stands

    def _circulate(self, state: CaseState, _: str) -> None:
        y = self.y
        if not self.allows(state, "circulate") or self.waiting_for_offer:
            return
        if self.rounds >= MAX_ROUNDS or (self.last_circulated and y.today < self.last_circulated + timedelta(days=7)):
            return  # enough rounds until the review, or one was sent this week
        try:
            state = self.current = y.cases.circulate(self.case_id, on=y.today, actor=y.actor(self.current, "circulate"))
        except TransitionRefused:  # nobody may receive it now (a partner left): widen the areas
            out = state.state == y.case_playbook(state).circulating
            if out and self._extend(state):
                self.plan(y.today, "circulate")
            elif not out:
                self.record("close", {"reason": "no_property_identified"})
            return
        self.rounds += 1
        self.last_circulated = y.today
        for partner in state.rounds[-1].recipients:
            if any(p == partner for p, _, _ in state.responses) or y.rng.random() < 0.25:
                continue  # it answered an earlier round, or does not answer this one
            self.plan(y.after(1, 4), "respond", partner)
        self.plan(y.workday(y.today + timedelta(days=14)), "circulate")

    def _respond(self, state: CaseState, partner: str) -> None:
        y = self.y
        if not self.allows(state, "respond"):
            return
        if partner not in state.recipients or not y.member(y.partner(partner), y.today):
            return  # recirculated without it, or it has left the scheme: it no longer answers
        can_help = y.rng.random() < 0.3
        self.record("respond", {"partner": partner, "can_help": can_help})
        if can_help:
            self.waiting_for_offer += 1
            self.plan(y.after(8, 25), "offer", partner)
        else:
            y.may_arbitrate(self.case_id, partner)

    def _offer(self, state: CaseState, partner: str) -> None:
        y = self.y
        self.waiting_for_offer -= 1
        if not self.allows(state, "make_offer"):
            if self.allows(state, "accept_offer") or self.allows(state, "move"):  # a home is being viewed
                self.waiting_for_offer += 1
                self.plan(y.after(10), "offer", partner)
            return
        offer = y.offer_from(state, partner, y.offer_terms(state, partner))
        if offer is None:
            y.tally["no_suitable_home"] += 1
            if not self.waiting_for_offer:
                self.plan(y.after(1), "circulate")
            return
        self.current = y.cases.make_offer(self.case_id, offer, on=y.today,
                                          actor=y.actor(self.current, "make_offer", partner))
        self.offers += 1
        self.plan(y.after(3, 8), "view")

    def _view(self, state: CaseState, _: str) -> None:
        y = self.y
        if self.household.accepts_first_offer or self.offers > 1 or y.rng.random() < 0.5:
            if self.allows(state, "accept_offer"):  # a process may go from the offer to the move
                self.record("accept_offer")
            self.plan(y.after(8, 20), "move")
            return
        self.record("refuse_offer")
        if not self.waiting_for_offer:
            self.plan(y.after(2, 5), "circulate")

    def _move(self, state: CaseState, _: str) -> None:
        y = self.y
        moved = self.record("move")
        if self.allows(moved, "request_feedback"):
            self.plan(y.after(4, 8), "request_feedback")
            for source in y.rng.sample(("survivor", "nominating_officer"), y.rng.choice((0, 1, 1, 2))):
                self.plan(y.after(10, 30), "feedback", source)
        if self.allows(moved, "end_previous_tenancy"):
            self.plan(y.after(5, 15), "end_tenancy")
        if self.allows(moved, "end_duty"):
            self.plan(y.after(5, 15), "end_duty")

    def _request_feedback(self, state: CaseState, _: str) -> None:
        self.record("request_feedback")

    def _feedback(self, state: CaseState, source: str) -> None:
        self.record("receive_feedback", {"source": source, "positive": self.y.rng.random() < 0.8})

    def _end_tenancy(self, state: CaseState, _: str) -> None:
        self.record("end_previous_tenancy")

    def _end_duty(self, state: CaseState, _: str) -> None:
        self.record("end_duty", {"hclic_recorded": True})

    def _review(self, state: CaseState, _: str) -> bool | None:
        """Three months without a suitable home: widen the areas, or close the request."""
        y = self.y
        if self.settled(state):
            return None
        if state.state != y.case_playbook(state).circulating or self.waiting_for_offer:
            self.plan(y.workday(y.today + relativedelta(months=1)), "review")  # a home is on offer: look again later
            return None
        if not self.extended and self._extend(state):
            self.rounds = 0
            self.plan(y.today, "circulate")
            self.plan(y.workday(y.today + relativedelta(months=3)), "review")
            return None
        self.record("close", {"reason": "no_property_identified"})
        return False

    def _extend(self, state: CaseState) -> bool:
        """Add two safe areas where partners hold homes; False when there are none to add (or
        the process does not widen a request)."""
        y = self.y
        assert state.referral is not None
        if not self.allows(state, "extend_areas"):
            return False
        unsafe = state.unsafe_areas or frozenset()
        held = set().union(*(areas_of(p) for p in y.directory() if y.member(p, y.today)))
        nominator = areas_of(y.partner(state.referral.nominating_partner.id))
        extra = sorted(held - unsafe - nominator - set(state.referral.requested_areas or ()))
        if not extra:
            return False
        areas = [*(state.referral.requested_areas or ()), *y.rng.sample(extra, min(2, len(extra)))]
        self.record("extend_areas", {"requested_areas": areas})
        self.extended = True
        return True

    def _withdraw(self, state: CaseState, _: str) -> bool | None:
        if self.settled(state):
            return None
        self.record("close", {"reason": "withdrawn"})
        return False


class ReceivingCase(CirculatedCase):
    """The request goes out; a partner that can help answers, is sent the case's information and
    gives final acceptance (then bands the applicant, may take a duty over and reviews the band,
    where the process has those steps); the nominating partner makes the offer of the home found;
    the move; the duty is ended. There is no three-month review of the request: it is sent at
    most ``MAX_ROUNDS // 2`` times."""

    receiver: str | None = None

    def _circulate(self, state: CaseState, _: str) -> bool | None:
        y = self.y
        if not self.allows(state, "circulate") or self.receiver is not None:
            return None
        if self.rounds >= MAX_ROUNDS // 2:
            self.record("close", {"reason": "no_property_identified"})
            return False
        try:
            state = self.current = y.cases.circulate(self.case_id, on=y.today, actor=y.actor(self.current, "circulate"))
        except TransitionRefused:  # no partner may be contacted
            self.record("close", {"reason": "no_property_identified"})
            return False
        self.rounds += 1
        for partner in state.rounds[-1].recipients:
            if y.rng.random() < 0.12:  # a partner that can help answers
                self.plan(y.after(1, 3), "respond", partner)
        self.plan(y.workday(y.today + timedelta(days=14)), "circulate")
        return None

    def _respond(self, state: CaseState, partner: str) -> None:
        y = self.y
        if not self.allows(state, "respond") or self.receiver is not None:
            return
        self.record("respond", {"partner": partner, "can_help": True})
        self.receiver = partner
        self.plan(y.after(1, 3), "send_information", partner)

    def _send_information(self, state: CaseState, partner: str) -> None:
        y = self.y
        if self.allows(state, "send_information"):
            self.record("send_information", {"kinds": [kind.value for kind in Information]})
        self.plan(y.after(2, 5), "final_acceptance", partner)

    def _final_acceptance(self, state: CaseState, partner: str) -> None:
        y = self.y
        self.record("final_acceptance", {"partner": partner})
        self.plan(y.after(1, 5), "place_in_band", partner)

    def _place_in_band(self, state: CaseState, partner: str) -> None:
        """After final acceptance: banding, perhaps the duty taken over, the band's review, the
        search for a home (each where the process has it)."""
        y = self.y
        if self.allows(state, "place_in_band"):
            self.record("place_in_band", {"partner": partner})
        if y.case_playbook(state).has("take_over_duty") and y.rng.random() < 0.15:
            self.plan(y.after(2, 10), "take_over_duty", partner)
        if y.case_playbook(state).has("review_band"):
            self.plan(y.workday(y.today + relativedelta(months=3)), "review_band", partner)
        self.plan(y.after(15, 45), "offer", partner)

    def _take_over_duty(self, state: CaseState, partner: str) -> None:
        if self.allows(state, "take_over_duty"):
            self.record("take_over_duty", {"partner": partner})

    def _review_band(self, state: CaseState, partner: str) -> None:
        if self.allows(state, "review_band"):
            self.record("review_band")

    def _offer(self, state: CaseState, partner: str) -> None:
        y = self.y
        if not self.allows(state, "make_offer"):
            return
        offer = y.offer_from(state, partner, y.offer_terms(state, partner))
        if offer is None:
            y.tally["no_suitable_home"] += 1
            self.plan(y.after(15, 30), "offer", partner)
            return
        self.current = y.cases.make_offer(self.case_id, offer, on=y.today,
                                          actor=y.actor(self.current, "make_offer", partner))
        self.offers += 1
        self.plan(y.after(3, 8), "view", partner)

    def _view(self, state: CaseState, partner: str) -> None:
        y = self.y
        if self.household.accepts_first_offer or self.offers > 1 or y.rng.random() < 0.5:
            if self.allows(state, "accept_offer"):  # a process may go from the offer to the move
                self.record("accept_offer")
            self.plan(y.after(8, 20), "move")
            return
        self.record("refuse_offer")
        self.plan(y.after(15, 30), "offer", partner)

    def _review(self, state: CaseState, _: str) -> None:
        return None  # the request is not reviewed: it is sent a few times, then closed
