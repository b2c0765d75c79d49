"""A household's case after acceptance, played step by step in the demo's year.

:class:`CirculatedCase` plays the Kent RP and Cambridgeshire processes (circulation to partners
with homes in the requested areas, answers, offers, viewings, the move, feedback or the end of
the old tenancy, the three-month review); :class:`KrsCase` the KRS one (safe councils contacted,
information sent, final acceptance, banding, the written final offer, the duty ended). Each keeps
an agenda of dated actions and yields the date of the next one to the year's queue
(:mod:`reciprocity.demo.simulation`).
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

if TYPE_CHECKING:
    from reciprocity.demo.simulation import Actor, _Year

__all__ = ["MAX_ROUNDS", "CirculatedCase", "KrsCase"]

#: Circulations of one case before its review (fortnightly, then the review at three months).
MAX_ROUNDS = 4


class CirculatedCase:
    """Kent RP and Cambridgeshire: the request circulates to partners, who answer; one that can
    help offers a home; the household views it; the move; feedback or the end of the tenancy."""

    def __init__(self, year: _Year, household: Household, state: CaseState) -> None:
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

    def record(self, event: str, role: str, payload: dict[str, Any] | None = None) -> CaseState:
        self.current = self.y.act(self.current, event, role, payload)
        return self.current

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
            if state.state in ("closed", "completed") and action != "feedback":
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
            self.record("close", self.y.roles["admin"], {"reason": "no_property_identified"})
        except (ActorRefused, TransitionRefused):
            pass  # the process does not close the case from here: it is left where it stands

    def _circulate(self, state: CaseState, _: str) -> None:
        y = self.y
        if state.state not in ("approved", "signed_off", "circulating") or self.waiting_for_offer:
            return
        if self.rounds >= MAX_ROUNDS or (self.last_circulated and y.today < self.last_circulated + timedelta(days=7)):
            return  # enough rounds until the review, or one was sent this week
        try:
            state = self.current = y.cases.circulate(self.case_id, on=y.today, actor=y.actor(self.current, "circulate", y.roles["admin"]))
        except TransitionRefused:  # nobody may receive it now (a partner left): widen the areas
            if state.state == "circulating" and self._extend(state):
                self.plan(y.today, "circulate")
            elif state.state != "circulating":
                self.record("close", y.roles["admin"], {"reason": "no_property_identified"})
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
        if state.state != "circulating":
            return
        if partner not in state.recipients or not y.member(y.partner(partner), y.today):
            return  # recirculated without it, or it has left the scheme: it no longer answers
        can_help = y.rng.random() < 0.3
        self.record("respond", y.roles["lead"], {"partner": partner, "can_help": can_help})
        if can_help:
            self.waiting_for_offer += 1
            self.plan(y.after(8, 25), "offer", partner)
        else:
            y.may_arbitrate(self.case_id, partner)

    def _offer(self, state: CaseState, partner: str) -> None:
        y = self.y
        self.waiting_for_offer -= 1
        if state.state != "circulating":
            if state.state in ("offered", "offer_accepted"):  # a home is already being viewed
                self.waiting_for_offer += 1
                self.plan(y.after(10), "offer", partner)
            return
        offer = y.offer_from(state, partner)
        if offer is None:
            y.tally["no_suitable_home"] += 1
            if not self.waiting_for_offer:
                self.plan(y.after(1), "circulate")
            return
        self.current = y.cases.make_offer(self.case_id, offer, on=y.today,
                                             actor=y.actor(self.current, "make_offer", y.roles["lead"], partner))
        self.offers += 1
        self.plan(y.after(3, 8), "view")

    def _view(self, state: CaseState, _: str) -> None:
        y = self.y
        if self.household.accepts_first_offer or self.offers > 1 or y.rng.random() < 0.5:
            self.record("accept_offer", y.roles["household"])
            self.plan(y.after(8, 20), "move")
            return
        self.record("refuse_offer", y.roles["household"])
        if not self.waiting_for_offer:
            self.plan(y.after(2, 5), "circulate")

    def _move(self, state: CaseState, _: str) -> None:
        y = self.y
        self.record("move", y.roles["move"])
        if y.scheme_id == "kent_rp":
            self.plan(y.after(4, 8), "request_feedback")
            for source in y.rng.sample(("survivor", "nominating_officer"), y.rng.choice((0, 1, 1, 2))):
                self.plan(y.after(10, 30), "feedback", source)
        else:
            self.plan(y.after(5, 15), "end_tenancy")

    def _request_feedback(self, state: CaseState, _: str) -> None:
        self.record("request_feedback", "coordinator")

    def _feedback(self, state: CaseState, source: str) -> None:
        self.record("receive_feedback", "coordinator", {"source": source, "positive": self.y.rng.random() < 0.8})

    def _end_tenancy(self, state: CaseState, _: str) -> None:
        self.record("end_previous_tenancy", "originating_partner")

    def _review(self, state: CaseState, _: str) -> bool | None:
        """Kent RP MoU §4.3: three months without a suitable home: widen the areas, or close."""
        y = self.y
        if state.state in ("moved", "offer_accepted"):
            return None
        if state.state != "circulating" or self.waiting_for_offer:
            self.plan(y.workday(y.today + relativedelta(months=1)), "review")  # a home is on offer: look again later
            return None
        if not self.extended and self._extend(state):
            self.rounds = 0
            self.plan(y.today, "circulate")
            self.plan(y.workday(y.today + relativedelta(months=3)), "review")
            return None
        self.record("close", y.roles["admin"], {"reason": "no_property_identified"})
        return False

    def _extend(self, state: CaseState) -> bool:
        """Add two safe areas where partners hold homes; False when there are none to add."""
        y = self.y
        assert state.referral is not None
        unsafe = state.unsafe_areas or frozenset()
        held = set().union(*(areas_of(p) for p in y.directory() if y.member(p, y.today)))
        nominator = areas_of(y.partner(state.referral.nominating_partner.id))
        extra = sorted(held - unsafe - nominator - set(state.referral.requested_areas or ()))
        if not extra:
            return False
        areas = [*(state.referral.requested_areas or ()), *y.rng.sample(extra, min(2, len(extra)))]
        self.record("extend_areas", y.roles["admin"], {"requested_areas": areas})
        self.extended = True
        return True

    def _withdraw(self, state: CaseState, _: str) -> bool | None:
        if state.state in ("offer_accepted", "moved"):
            return None
        self.record("close", self.y.roles["admin"], {"reason": "withdrawn"})
        return False


class KrsCase(CirculatedCase):
    """KRS: the referring council contacts the safe councils; one that can help asks for the
    information, gives final acceptance and bands the applicant; the referring council makes
    the written final offer of the home found; the move; the duty is ended (points 2-14)."""

    receiver: str | None = None

    def _circulate(self, state: CaseState, _: str) -> bool | None:
        y = self.y
        if state.state not in ("eligible", "contacting") or self.receiver is not None:
            return None
        if self.rounds >= MAX_ROUNDS // 2:
            self.record("close", "referring_council", {"reason": "no_property_identified"})
            return False
        try:
            state = self.current = y.cases.circulate(self.case_id, on=y.today, actor=y.actor(self.current, "circulate", "referring_council"))
        except TransitionRefused:  # no safe council may be contacted
            self.record("close", "referring_council", {"reason": "no_property_identified"})
            return False
        self.rounds += 1
        for partner in state.rounds[-1].recipients:
            if y.rng.random() < 0.12:  # point 10: a council that can help answers the group
                self.plan(y.after(1, 3), "respond", partner)
        self.plan(y.workday(y.today + timedelta(days=14)), "circulate")
        return None

    def _respond(self, state: CaseState, partner: str) -> None:
        y = self.y
        if state.state != "contacting" or self.receiver is not None:
            return
        self.record("respond", "receiving_council", {"partner": partner, "can_help": True})
        self.receiver = partner
        self.plan(y.after(1, 3), "send_information", partner)

    def _send_information(self, state: CaseState, partner: str) -> None:
        y = self.y
        kinds = ["dash_risk_assessment", "police_reports", "risk_assessment_matrix", "agency_reports"]
        self.record("send_information", "referring_council", {"kinds": kinds})
        self.plan(y.after(2, 5), "final_acceptance", partner)

    def _final_acceptance(self, state: CaseState, partner: str) -> None:
        y = self.y
        self.record("final_acceptance", "receiving_council", {"partner": partner})
        self.plan(y.after(1, 5), "place_in_band", partner)

    def _place_in_band(self, state: CaseState, partner: str) -> None:
        y = self.y
        self.record("place_in_band", "receiving_council", {"partner": partner})
        if y.rng.random() < 0.15:
            self.plan(y.after(2, 10), "take_over_duty", partner)
        self.plan(y.workday(y.today + relativedelta(months=3)), "review_band", partner)
        self.plan(y.after(15, 45), "offer", partner)

    def _take_over_duty(self, state: CaseState, partner: str) -> None:
        self.record("take_over_duty", "receiving_council", {"partner": partner})

    def _review_band(self, state: CaseState, partner: str) -> None:
        if state.state in ("accepted_by_receiver", "offered"):
            self.record("review_band", "receiving_council")

    def _offer(self, state: CaseState, partner: str) -> None:
        y = self.y
        if state.state != "accepted_by_receiver":
            return
        assert state.referral is not None
        offer = y.offer_from(state, partner, referring=state.referral.nominating_partner.id,
                             via_bid=y.rng.random() < 0.8)
        if offer is None:
            y.tally["no_suitable_home"] += 1
            self.plan(y.after(15, 30), "offer", partner)
            return
        self.current = y.cases.make_offer(self.case_id, offer, on=y.today,
                                             actor=y.actor(self.current, "make_offer", "referring_council"))
        self.offers += 1
        self.plan(y.after(3, 8), "view", partner)

    def _view(self, state: CaseState, partner: str) -> None:
        y = self.y
        if self.household.accepts_first_offer or self.offers > 1 or y.rng.random() < 0.5:
            self.record("accept_offer", "receiving_council")
            self.plan(y.after(8, 20), "move")
            return
        self.record("refuse_offer", "receiving_council")
        self.plan(y.after(15, 30), "offer", partner)

    def _move(self, state: CaseState, _: str) -> None:
        y = self.y
        self.record("move", "receiving_council")
        self.plan(y.after(5, 15), "end_duty")

    def _end_duty(self, state: CaseState, _: str) -> None:
        holder = "receiving_council" if state.duty_taken_over_by else "referring_council"
        self.record("end_duty", holder, {"hclic_recorded": True})

    def _review(self, state: CaseState, _: str) -> None:
        return None  # KRS has no three-month review of the request; the band review is point 2

    def _withdraw(self, state: CaseState, _: str) -> bool | None:
        if state.state in ("offer_accepted", "moved", "duty_ended"):
            return None
        self.record("close", "referring_council", {"reason": "withdrawn"})
        return False
