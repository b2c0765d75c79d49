"""A scheme's process as data: states, the events that move a case between them, who may
fire each event, and the guards (rules with clauses) that must hold.

A scheme plugin declares a :class:`Process` on its :class:`~reciprocity.rules.Scheme`
(``process=``). The core replays a case's events through it (:mod:`reciprocity.lifecycle.case`)
and refuses an event that the process does not allow, naming the state, the event and the
rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

import attrs

from reciprocity.errors import SchemeDefinitionError
from reciprocity.lifecycle.time_limits import BUILT_IN, TimeLimit, time_limit
from reciprocity.rules.rule import Clause, Rule, cite_all

__all__ = ["COORDINATOR", "DEFAULT_PARTY", "NEW", "Party", "Process", "Step"]

#: The actor id of a scheme's coordinator (no partner may join under this id).
COORDINATOR = "coordinator"

#: The state of a case before its first event (the referral) is recorded.
NEW = "new"


class Party(StrEnum):
    """Who, in relation to the case, may fire a step (checked for every recorded event).

    A step's roles say in what capacity (``named_lead``, ``coordinator``); its party says
    which organisation: the library checks both against the actor a command names.
    """

    #: The scheme's coordinator (actor id ``coordinator``), e.g. the Kent RP Local Coordinator.
    COORDINATOR = "coordinator"
    #: The case's nominating partner (KRS: the referring council; Cambridgeshire: the
    #: originating partner), as the referral names it.
    NOMINATOR = "nominator"
    #: A partner the case's latest request was sent to.
    RECIPIENT = "recipient"
    #: The receiving council that gave the case final acceptance (KRS point 11).
    RECEIVER = "receiver"
    #: The council holding the case's homelessness duty: the referring council, or the
    #: receiving council once it has taken the duty over (KRS points 6, 14).
    DUTY_HOLDER = "duty_holder"

    @property
    def description(self) -> str:
        return _PARTY_WORDS[self]


_PARTY_WORDS = {
    Party.COORDINATOR: "the scheme's coordinator",
    Party.NOMINATOR: "the nominating partner",
    Party.RECIPIENT: "a partner the request was sent to",
    Party.RECEIVER: "the receiving council that gave final acceptance",
    Party.DUTY_HOLDER: "the council holding the homelessness duty",
}

#: The party of a step that names none, by event.
DEFAULT_PARTY: Mapping[str, Party] = {
    "refer": Party.NOMINATOR,
    "respond": Party.RECIPIENT,
    "make_offer": Party.RECIPIENT,
    "propose_offer": Party.RECIPIENT,
    "final_acceptance": Party.RECIPIENT,
    "approve": Party.NOMINATOR,
    "sign_off": Party.NOMINATOR,
    "approve_offer": Party.NOMINATOR,
    "reject_offer": Party.NOMINATOR,
    "end_previous_tenancy": Party.NOMINATOR,
    "offer_specialist_support": Party.NOMINATOR,
    "place_in_band": Party.RECEIVER,
    "review_band": Party.RECEIVER,
    "take_over_duty": Party.RECEIVER,
    "end_duty": Party.DUTY_HOLDER,
}


def _frozen(value: str | Iterable[str]) -> frozenset[str]:
    return frozenset({value}) if isinstance(value, str) else frozenset(value)


def _clauses(value: Clause | Iterable[Clause]) -> tuple[Clause, ...]:
    return (value,) if isinstance(value, Clause) else tuple(value)


@attrs.frozen
class Step:
    """One event a role may fire in some states, with the rules that must hold for it.

    ``target`` is the state the case moves to; ``None`` keeps it where it is (for example a
    partner's response while the request circulates). ``party`` says which organisation may
    fire it (default: :data:`DEFAULT_PARTY` for the event, else the coordinator).
    """

    #: The event it records, one of the core's (:data:`reciprocity.lifecycle.events.PAYLOADS`).
    event: str
    #: The state or states it may fire from (``new`` for the referral that starts a case).
    sources: frozenset[str] = attrs.field(converter=_frozen)
    #: The state the case moves to, or None to stay.
    target: str | None
    #: The role or roles that may fire it, each declared in ``Process.roles``.
    roles: frozenset[str] = attrs.field(converter=_frozen)
    #: The clauses of the scheme's text the step encodes.
    clauses: tuple[Clause, ...] = attrs.field(converter=_clauses)
    #: What the step is, in a sentence, as the scheme's page shows it.
    statement: str
    #: Rules over case facts that must hold for the event to be recorded.
    guards: tuple[Rule, ...] = attrs.field(converter=tuple, default=())
    #: Which organisation may fire it (None: :data:`DEFAULT_PARTY`, else the coordinator).
    party: Party = attrs.field(default=None, converter=attrs.converters.optional(Party))

    def __attrs_post_init__(self) -> None:
        if self.party is None:
            object.__setattr__(self, "party", DEFAULT_PARTY.get(self.event, Party.COORDINATOR))

    @property
    def citation(self) -> str:
        return cite_all(self.clauses)

    @property
    def who(self) -> str:
        """Who may fire the step, in words: ``named_lead of the nominating partner``."""
        roles = " or ".join(sorted(self.roles))
        if self.party is Party.COORDINATOR:
            return f"scheme's coordinator, as {roles}"
        return f"{roles} of {self.party.description}"


@attrs.frozen(eq=False)
class Process:
    """A scheme's process: its states in order, the first state, the final ones, the steps.

    ``roles`` maps each role to what it is (e.g. ``"coordinator": "the Local Coordinator"``).
    Construction checks the declaration: every state named exists, no state has two steps
    for one event, final states have no way out (a step may record something there, such
    as feedback, without leaving), every state can be reached, every role is
    declared, every guard's id starts with the scheme id and reads only case facts.
    """

    #: The id of the scheme it belongs to (guard ids start with it).
    scheme_id: str
    #: Every state, in order (not ``new``, the implicit state before the referral).
    states: tuple[str, ...] = attrs.field(converter=tuple)
    #: The state the referral leads to.
    initial: str
    #: The states a case ends in.
    final: frozenset[str] = attrs.field(converter=frozenset)
    #: The steps, each an event some roles may fire in some states.
    steps: tuple[Step, ...] = attrs.field(converter=tuple)
    #: Each role and what it is (``"coordinator": "the Local Coordinator"``).
    roles: Mapping[str, str]
    #: Deadline kinds the process keeps (see :mod:`reciprocity.lifecycle.deadlines`), each with
    #: its :class:`~reciprocity.lifecycle.time_limits.TimeLimit` (or only the clauses that set
    #: it: a built-in kind then takes its default length). Read back as TimeLimits, every
    #: length and unit filled in.
    deadlines: Mapping[str, TimeLimit] = attrs.field(factory=dict)
    #: Homelessness and tenancy obligations on its cases (see :mod:`reciprocity.lifecycle.duties`).
    duties: tuple[object, ...] = attrs.field(converter=tuple, default=())
    #: Where requests go: partners with homes in the requested areas, or (KRS point 9) every
    #: safe area of the scheme, the requested ones being preferences only (point 8).
    circulate_to: str = attrs.field(default="requested_areas",
                                    validator=attrs.validators.in_(("requested_areas", "safe_scheme_areas")))
    _index: dict[tuple[str, str], Step] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        from reciprocity.lifecycle.case_facts import CASE_FACTS  # noqa: PLC0415 - avoids a cycle

        known = set(self.states)
        if len(known) != len(self.states):
            self._fail("a state is listed twice")
        if NEW in known:
            self._fail(f"{NEW!r} is the implicit state before the referral; do not list it")
        if self.initial not in known or not self.final <= known:
            self._fail("the initial and final states must be listed states")
        index: dict[tuple[str, str], Step] = {}
        for step in self.steps:
            for source in step.sources:
                if source not in known and source != NEW:
                    self._fail(f"step {step.event!r} starts from unknown state {source!r}")
                if source in self.final and step.target not in (None, source):
                    self._fail(f"step {step.event!r} leaves final state {source!r}")
                if (source, step.event) in index:
                    self._fail(f"state {source!r} has two steps for event {step.event!r}")
                index[(source, step.event)] = step
            if step.target is not None and step.target not in known:
                self._fail(f"step {step.event!r} leads to unknown state {step.target!r}")
            if NEW in step.sources and step.target != self.initial:
                self._fail(f"the first event must lead to the initial state {self.initial!r}")
            if not step.roles or not step.roles <= set(self.roles):
                self._fail(f"step {step.event!r} names a role the process does not declare")
            for rule in step.guards:
                if not rule.id.startswith(self.scheme_id + "."):
                    self._fail(f"guard {rule.id!r} must start with the scheme id")
                unknown = (rule.facts() | rule.mentions()) - CASE_FACTS.keys()
                if unknown:
                    self._fail(f"guard {rule.id} reads unknown case facts {sorted(unknown)}")
        self._check_deadlines()
        if not any(NEW in s.sources for s in self.steps):
            self._fail("no step starts a case (a step from state 'new')")
        object.__setattr__(self, "_index", index)
        reached = {self.initial}
        frontier = [self.initial]
        while frontier:
            state = frontier.pop()
            for step in self.steps:
                if state in step.sources and step.target and step.target not in reached:
                    reached.add(step.target)
                    frontier.append(step.target)
        if unreachable := known - reached:
            self._fail(f"states {sorted(unreachable)} cannot be reached")

    def _fail(self, message: str) -> None:
        raise SchemeDefinitionError(f"process of scheme {self.scheme_id}: {message}")

    def _check_deadlines(self) -> None:
        limits: dict[str, TimeLimit] = {}
        events = set(self.events)
        for kind, declared in self.deadlines.items():
            try:
                limit = time_limit(declared).resolved(kind)
            except (TypeError, ValueError) as error:
                self._fail(f"deadline {kind!r}: {error}")
            if kind not in BUILT_IN:
                if None in (limit.length, limit.unit, limit.starts, limit.what) or not limit.ends:
                    self._fail(f"deadline {kind!r} is not a built-in kind ({', '.join(BUILT_IN)}), so it "
                               "must give its length, unit, the event that starts it (starts=), the events "
                               "that meet it (ends=) and what is due (what=)")
                if unknown := ({limit.starts} | limit.ends) - events:
                    self._fail(f"deadline {kind!r} names events the process has no step for: {sorted(unknown)}")
            elif limit.starts is not None or limit.ends:
                self._fail(f"deadline {kind!r} is built in: the core knows when it starts and ends, so "
                           "give only its clauses, length and unit")
            limits[kind] = limit
        object.__setattr__(self, "deadlines", limits)

    def step(self, state: str, event: str) -> Step | None:
        """The step ``event`` fires from ``state``, or None if the process has none."""
        return self._index.get((state, event))

    def events_from(self, state: str) -> tuple[str, ...]:
        """The events the process allows in ``state``, in declaration order."""
        return tuple(dict.fromkeys(s.event for s in self.steps if state in s.sources))

    @property
    def events(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.event for s in self.steps))

    def mermaid(self) -> str:
        """The process as a Mermaid state diagram."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        for step in self.steps:
            for source in sorted(step.sources - {NEW}):
                lines.append(f"    {source} --> {step.target or source}: {step.event}")
        lines.extend(f"    {state} --> [*]" for state in sorted(self.final))
        return "\n".join(lines)
