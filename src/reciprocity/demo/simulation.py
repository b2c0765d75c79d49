"""A year of a scheme, played through the library's public services on an event store.

:func:`simulate` runs a small discrete-event simulation: every partner's membership and every
household's case is a generator that does what happens on a day and then yields the date of
its next step; a queue runs the steps of all of them in date order (ties in the order they
were queued), so the store's events come in the order they would in a real year. Every step
goes through :class:`~reciprocity.partnership.service.Partners`,
:class:`~reciprocity.casework.cases.Cases`,
:class:`~reciprocity.casework.arbitration.Arbitrations` and
:class:`~reciprocity.ledger.service.Ledger`, so the process's guards, the safe circulation and
the ledger apply exactly as they would to real cases. Randomness comes only from
``random.Random(seed)``; no clock, no network.
"""

from __future__ import annotations

import heapq
import random
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from reciprocity.api import assess_offer
from reciprocity.casework.actors import COORDINATOR
from reciprocity.casework.actors import Actor as CaseActor
from reciprocity.casework.arbitration import Arbitrations
from reciprocity.casework.cases import Cases
from reciprocity.decision import Outcome
from reciprocity.demo import DEFAULT_HOUSEHOLDS
from reciprocity.demo.cases import CirculatedCase, ReceivingCase
from reciprocity.demo.playbook import Playbook, hints_of, playable, process_on
from reciprocity.demo.summary import Summary, summarise
from reciprocity.demo.world import (
    Flaw,
    Household,
    completed,
    invent_household,
    invent_offer,
    layout,
    offer_terms,
)
from reciprocity.errors import NoRulesInForceError, ReciprocityError
from reciprocity.inputs import coerce_referral
from reciprocity.lifecycle.case import CaseState
from reciprocity.lifecycle.circulation import areas_of, recipients
from reciprocity.lifecycle.process import Party, Process
from reciprocity.lifecycle.workdays import england_and_wales
from reciprocity.model import MembershipStatus, Partner
from reciprocity.partnership.service import Partners
from reciprocity.plugins import get_scheme

__all__ = ["simulate"]

_MEMBERS = (MembershipStatus.ACTIVE, MembershipStatus.NOTICE_GIVEN)

#: A partner's membership or a household's case: each step yields the date of the next.
Actor = Iterator[date]


class Year:
    """The simulation's state: the services, the queue, the random source, the tallies."""

    def __init__(self, store: Any, scheme_id: str, year: int, seed: int, households: int) -> None:
        self.scheme = get_scheme(scheme_id)
        self.scheme_id = scheme_id
        self.year = year
        self.households = households
        self.today = date(year, 1, 1)
        self.end = date(year, 12, 31)
        if (why := playable(self.scheme, self.today)) is not None:
            raise ReciprocityError(f"the demonstration plays a scheme's process and partnership: {why}")
        self.hints = hints_of(self.scheme)
        self.rng = random.Random(seed)  # noqa: S311 - a reproducible simulation, not a secret
        tokens = random.Random(f"{seed}:tokens")  # noqa: S311 - case ids and ARCs, reproducible
        self.cases = Cases(store, token=tokens.randbytes)
        self.partners = Partners(store)
        self.arbitrations = Arbitrations(store)
        self.calendar = england_and_wales()
        self.tally: Counter[str] = Counter()
        self.notes: list[tuple[date, str]] = []
        self._queue: list[tuple[date, int, Actor]] = []
        self._order = 0
        self._directory: list[Partner] | None = None
        self._offers = 0
        self._playbooks: dict[int, Playbook] = {}

    @property
    def process(self) -> Process:
        """The scheme's process in force today."""
        process = process_on(self.scheme, self.today)
        assert process is not None  # checked for the year's first day
        return process

    @property
    def playbook(self) -> Playbook:
        """How the process in force today is played."""
        return self._playbook(self.process)

    def case_process(self, state: CaseState) -> Process:
        """The process version the case follows: the one in force on its referral date."""
        day = state.referral.referred_on if state.referral is not None else self.today
        process = process_on(self.scheme, day)
        assert process is not None  # a case exists only under a process
        return process

    def case_playbook(self, state: CaseState) -> Playbook:
        """How the process version the case follows is played."""
        return self._playbook(self.case_process(state))

    def _playbook(self, process: Process) -> Playbook:
        found = self._playbooks.get(id(process))
        if found is None or found.process is not process:
            found = self._playbooks[id(process)] = Playbook.of(self.scheme, process)
        return found

    # --- the queue --------------------------------------------------------------------------

    def ticket(self) -> int:
        """The next number in queueing order (breaks ties between steps on one day)."""
        self._order += 1
        return self._order

    def spawn(self, process: Actor, on: date) -> None:
        """Run ``process``'s first step on ``on`` (if that is within the year)."""
        if on <= self.end:
            heapq.heappush(self._queue, (on, self.ticket(), process))

    def run(self) -> None:
        while self._queue:
            on, _, process = heapq.heappop(self._queue)
            self.today = on
            try:
                following = next(process)
            except StopIteration:
                continue
            if following < on:
                raise AssertionError("a process stepped back in time")  # a bug in this module
            self.spawn(process, following)

    # --- dates ------------------------------------------------------------------------------

    def workday(self, on: date) -> date:
        """``on``, or the next working day after it."""
        while not self.calendar.is_working_day(on):
            on += timedelta(days=1)
        return on

    def after(self, low: int, high: int | None = None) -> date:
        """A working day ``low`` to ``high`` working days after today."""
        return self.calendar.add(self.today, self.rng.randint(low, high if high is not None else low))

    # --- partners ---------------------------------------------------------------------------

    @property
    def coordinator(self) -> CaseActor:
        """The scheme's coordinator, who keeps the partner register (joins, withdrawals)."""
        return CaseActor.coordinator()

    def actor(self, state: CaseState, event: str, partner: str | None = None) -> CaseActor:
        """Who does ``event`` on the case: the demonstration plays every party, so it names the
        organisation the process's step asks for (``partner`` for a recipient or receiver), in
        the role the step gives it."""
        step = self.case_process(state).step(state.state, event)
        party = step.party if step is not None else Party.COORDINATOR
        if party is Party.COORDINATOR:
            organisation = COORDINATOR
        elif party is Party.NOMINATOR:
            organisation = state.nominator or ""
        elif party is Party.DUTY_HOLDER:
            organisation = state.duty_holder or ""
        elif party is Party.RECEIVER and partner is None:
            organisation = state.accepted_by or ""
        else:
            organisation = partner or ""
        role = self.case_playbook(state).role(state, event, step, organisation)
        return CaseActor.coordinator(role) if party is Party.COORDINATOR else CaseActor(organisation, role)

    def act(self, state: CaseState, event: str, payload: dict[str, Any] | None = None) -> CaseState:
        """Record ``event`` on the case by the party its step asks for (a payload's ``partner``
        names the recipient or receiver acting)."""
        body = dict(payload or {})
        partner = body.pop("partner", None)
        return self.cases.record(state.case_id, event, on=self.today, actor=self.actor(state, event, partner),
                                 payload=body)

    def directory(self) -> list[Partner]:
        if self._directory is None:
            self._directory = self.partners.directory(self.scheme_id)
        return self._directory

    def partner(self, partner_id: str) -> Partner:
        return next(p for p in self.directory() if p.id == partner_id)

    def member(self, partner: Partner, on: date, *statuses: MembershipStatus) -> bool:
        assert partner.membership is not None
        return partner.membership.status_on(on) in (statuses or _MEMBERS)

    def _membership_changed(self, note: str) -> None:
        self._directory = None
        self.notes.append((self.today, note))

    def membership(self) -> Actor:
        """Partners join (most at the start of the year, two later), a named lead changes, one
        partner leaves: with a month's notice where the partnership sets one (``notice``),
        otherwise by recording its withdrawal."""
        names = {a.id: a.name for a in self.scheme.areas}
        plan = layout(names, self.rng, self.year, providers=self.playbook.providers, councils=self.hints.councils)
        yield self.workday(date(self.year, 1, 2))
        for partner in plan.founders:
            self.partners.join(self.scheme_id, partner, on=self.today, actor=self.coordinator)
        self._membership_changed(f"{len(plan.founders)} partners joined")
        agenda: list[tuple[date, int, str, str]] = [
            (self.workday(on), i, "join", partner["id"]) for i, (on, partner) in enumerate(plan.late)]
        late = {p["id"]: p for _, p in plan.late}
        founders = [p["id"] for p in plan.founders]
        lead = self.rng.choice(founders)
        vacant = self.workday(date(self.year, 5, self.rng.randint(1, 20)))
        agenda += [(self.calendar.add(vacant, 2), 10, "lead_vacant", lead),
                   (self.calendar.add(vacant, 5), 11, "lead_named", lead)]
        housing = [p for p in founders if p.startswith("example_housing_")] or founders
        leaver = self.rng.choice(housing)
        leaves_on = self.workday(date(self.year, 9, self.rng.randint(1, 12)))
        agenda.append((leaves_on, 20, "leave", leaver))
        agenda.sort()
        for on, _, action, partner_id in agenda:
            yield on
            if action == "join":
                self.partners.join(self.scheme_id, late[partner_id], on=on, actor=self.coordinator)
                self._membership_changed(f"{late[partner_id]['name']} joined")
            elif action == "lead_vacant":
                self.partners.change_named_lead(self.scheme_id, partner_id, on=on, changed_on=vacant, named_lead=None,
                                                actor=CaseActor(partner_id, "named_lead"))
                self._membership_changed(f"{partner_id}'s named lead post fell vacant (notified)")
            elif action == "lead_named":
                self.partners.change_named_lead(self.scheme_id, partner_id, on=on, changed_on=on,
                                                named_lead="Reciprocal named lead (post 2)",
                                                actor=CaseActor(partner_id, "named_lead"))
                self._membership_changed(f"{partner_id} named its new named lead")
            elif self.scheme.partnership.notice:
                record = self.partners.give_notice(self.scheme_id, partner_id, on=on, actor=CaseActor(partner_id, "named_lead"))
                self._membership_changed(f"{partner_id} gave notice to withdraw")
                takes_effect = record.membership.notice_ends_on
                assert takes_effect is not None
                yield takes_effect
                self.partners.withdraw(self.scheme_id, partner_id, on=takes_effect, actor=self.coordinator)
                self._membership_changed(f"{partner_id}'s withdrawal took effect")
            else:
                self.partners.withdraw(self.scheme_id, partner_id, on=on, actor=self.coordinator)
                self._membership_changed(f"{partner_id} withdrew")

    # --- households -------------------------------------------------------------------------

    def arrivals(self) -> Actor:
        """Households referred on working days through the year (the last in late November)."""
        first, last = date(self.year, 1, 6), date(self.year, 11, 28)
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        days = [d for d in days if self.calendar.is_working_day(d)]
        for number, on in enumerate(sorted(self.rng.choices(days, k=self.households)), start=1):
            yield on
            household = self.invent(number, on)
            if household is not None:
                self.spawn(self.case(household), on)

    def invent(self, number: int, on: date) -> Household | None:
        """A household the nominating partner would refer: one whose requested areas some
        partner could be asked about (the referral form's areas are chosen with the coordinator)."""
        nominators = [p for p in self.directory()
                      if self.member(p, on, MembershipStatus.ACTIVE) and areas_of(p)]
        for _ in range(20):
            nominator = self.rng.choice(nominators)
            household = invent_household(self.scheme_id, self.hints, number, on, nominator,
                                         sorted(self.scheme.area_ids), self.rng)
            if self.process.circulate_to == "safe_scheme_areas":
                return household  # every safe area's partners are contacted, whatever was requested
            if recipients(coerce_referral(household.referral), self.directory(), on=on).recipients:
                return household
        return None

    def case(self, household: Household) -> Actor:
        """One household's case, from referral to the move and after (or to its closing)."""
        referrer = household.referral["nominating_partner"]["id"]
        first = self.playbook.first_step()
        opener = COORDINATOR if first.party is Party.COORDINATOR else referrer
        if opener != COORDINATOR and not self.member(self.partner(opener), self.today):
            return  # it left the scheme before sending the referral again: it cannot refer now
        role = self.playbook.role(CaseState(case_id="new", scheme_id=self.scheme_id), "refer", first, opener)
        state = self.cases.new(self.scheme_id, household.referral, actor=CaseActor(opener, role))
        case_id = state.case_id
        yield self.after(1, 3)
        state = self.cases.check(case_id, on=self.today, actor=self.actor(state, "check_eligibility"))
        if state.eligibility == Outcome.INELIGIBLE.value:
            yield self.after(0, 2)
            self.act(state, "decline")
            return
        if state.eligibility == Outcome.NEEDS_INFORMATION.value:
            # The referrer is asked for the missing fact; the case is closed and the referral
            # sent again, complete, as a new case.
            yield self.after(5, 10)
            self.act(state, "close", {"reason": "other"})
            again = Household(household.number, completed(household, self.after(2, 6)), Flaw.NONE,
                              household.accepts_first_offer, household.withdraws_after_days)
            self.spawn(self.case(again), date.fromisoformat(again.referral["referred_on"]))
            return
        state = self.cases.accept(case_id, on=self.today, actor=self.actor(state, "accept"))
        for stage in self.case_playbook(state).preparation(state.state):
            yield self.after(*stage.days)
            for event in stage.events:
                state = self.act(state, event)
        yield self.after(1, 2)
        kind = ReceivingCase if self.case_playbook(state).case_kind == "receiving" else CirculatedCase
        yield from kind(self, household, state).run()

    # --- offers -----------------------------------------------------------------------------

    def offer_terms(self, state: CaseState, partner_id: str) -> dict[str, Any]:
        """The scheme's own fields of the offer ``partner_id``'s home is about to be made with."""
        return offer_terms(self.hints, self.rng, self.today, partner_id, state.nominator or "")

    def offer_from(self, state: CaseState, partner_id: str, extra: dict[str, Any]) -> dict[str, Any] | None:
        """The home ``partner_id`` offers the case today, or None when it has none that suits.

        The partner reads the pseudonymised request (areas, bedrooms needed): a home in a
        requested area, or in any safe area where requests go to every safe area (the requested
        ones are then preferences only). The offer, with the scheme's fields ``extra``, is
        assessed with :func:`reciprocity.assess_offer` before it is made, as a named lead would.
        """
        landlord = self.partner(partner_id)
        if not self.member(landlord, self.today):
            return None
        request = self.cases.latest_request(state.case_id) or {}
        unsafe = state.unsafe_areas or frozenset()
        held = areas_of(landlord)
        if self.case_process(state).circulate_to != "safe_scheme_areas":
            held &= set(request.get("requested_areas") or ())
        places = sorted(held - unsafe)
        if not places:
            return None
        need = request.get("bedrooms_needed") or 1
        self._offers += 1
        offer = invent_offer(self._offers, self.today, landlord, self.rng.choice(places),
                             need + (1 if self.rng.random() < 0.15 else 0), extra)
        try:
            decision = assess_offer(self.scheme_id, state.referral, offer, on=self.today)
        except NoRulesInForceError:  # the scheme assesses no offers that day: none can be made
            return None
        return offer if decision.outcome is Outcome.ELIGIBLE else None

    def may_arbitrate(self, case_id: str, declining: str) -> None:
        """Where the partnership has arbitration, the first time a partner that owes the pool
        declines an applicant the coordinator asks for it; the panel decides some weeks later."""
        if not self.scheme.partnership.arbitration or self.tally["arbitrations"]:
            return
        try:
            arbitration = self.arbitrations.request(case_id, declining, on=self.today, actor=CaseActor.coordinator())
        except ReciprocityError:  # the partner owes nothing, or too few partners to sit
            return
        self.tally["arbitrations"] += 1
        self.notes.append((self.today, f"arbitration {arbitration.id} requested: {declining} declined while owing "
                                       f"a home; panel {', '.join(arbitration.panel)}"))

        def decide() -> Actor:
            yield self.after(10, 20)
            found = self.arbitrations.decide(self.scheme_id, arbitration.id, on=self.today, justified=True,
                                             actor=CaseActor.coordinator())
            self.notes.append((self.today, f"arbitration {found.id}: the refusal was found justified"))

        self.spawn(decide(), self.today)


def simulate(store: Any, *, scheme_id: str, year: int = 2025, seed: int = 2025,
             households: int = DEFAULT_HOUSEHOLDS) -> Summary:
    """Play a year of ``scheme_id`` on ``store`` (an empty ``reciprocity.store.EventStore``)
    with invented partners and ``households`` invented households; return what happened.

    The same seed on an empty store gives the same events and the same summary.
    """
    if store.streams(f"partner:{scheme_id}:") or store.streams("case:"):
        raise ReciprocityError("the demonstration plays its year on an empty store; give it a new one")
    world = Year(store, scheme_id, year, seed, households)
    world.spawn(world.membership(), date(year, 1, 1))
    world.spawn(world.arrivals(), date(year, 1, 1))
    world.run()
    world.today = world.end
    return summarise(world.cases, world.partners, scheme_id=scheme_id, process=world.process, year=year, seed=seed,
                     notes=tuple(world.notes), tally=dict(world.tally))
