"""What a demonstration year reads off a scheme: its process in force, who records each event,
what a case goes through between acceptance and circulation, and the scheme's hints.

Nothing here knows a particular scheme: a scheme's process names its steps, their roles and
parties; its ``simulation`` (a :class:`~reciprocity.demo.hints.SimulationHints`, optional) says
what the process alone cannot.
"""

from __future__ import annotations

from collections import deque
from datetime import date

import attrs

from reciprocity.demo.hints import NO_HINTS, CaseKind, SimulationHints, Stage
from reciprocity.errors import ReciprocityError
from reciprocity.lifecycle.case import CaseState
from reciprocity.lifecycle.process import NEW, Process, Step
from reciprocity.rules import Scheme

__all__ = ["Playbook", "hints_of", "playable", "process_on"]

#: Events that end or turn back a case: never on the way from acceptance to circulation.
_NOT_FORWARD = frozenset({"close", "decline", "refuse_offer", "reject_offer"})


def process_on(scheme: Scheme, day: date) -> Process | None:
    """The scheme's process in force on ``day`` (the one place the demonstration asks for it):
    a case follows the version in force on its referral date."""
    return scheme.process_on(day)  # type: ignore[no-any-return]


def hints_of(scheme: Scheme) -> SimulationHints:
    """The scheme's simulation hints (none when it gives none); ReciprocityError when it gives
    something else."""
    hints = getattr(scheme, "simulation", None)
    if hints is None:
        return NO_HINTS
    if not isinstance(hints, SimulationHints):
        raise ReciprocityError(f"scheme {scheme.id}: its simulation hints must be a reciprocity.demo.SimulationHints, "
                               f"not {type(hints).__name__}")
    return hints


def playable(scheme: Scheme, day: date) -> str | None:
    """Why the demonstration cannot play ``scheme`` on ``day``, or None when it can."""
    if not scheme.areas:
        return f"scheme {scheme.id} declares no areas"
    if process_on(scheme, day) is None:
        return f"scheme {scheme.id} declares no case process"
    if scheme.partnership is None:
        return f"scheme {scheme.id} declares no partnership (no partner register, no ledger)"
    return None


@attrs.frozen
class Playbook:
    """How the demonstration plays one scheme's process (built once per process in force)."""

    scheme: Scheme
    process: Process
    hints: SimulationHints

    @classmethod
    def of(cls, scheme: Scheme, process: Process) -> Playbook:
        return cls(scheme, process, hints_of(scheme))

    def allows(self, state: str, event: str) -> bool:
        """Whether the process has a step for ``event`` in ``state``."""
        return self.process.step(state, event) is not None

    def has(self, event: str) -> bool:
        """Whether the process has ``event`` at all."""
        return event in self.process.events

    @property
    def case_kind(self) -> CaseKind:
        if self.hints.case_kind is not None:
            return self.hints.case_kind
        return "receiving" if self.has("final_acceptance") else "circulated"

    @property
    def circulating(self) -> str | None:
        """The state a case is in once its request is out (the first circulation's target)."""
        return next((s.target for s in self.process.steps if s.event == "circulate" and s.target), None)

    @property
    def providers(self) -> int:
        """How many registered providers to invent (none when requests go to every safe area)."""
        if self.hints.providers is not None:
            return self.hints.providers
        return 0 if self.process.circulate_to == "safe_scheme_areas" else 4

    def first_step(self) -> Step:
        step = self.process.step(NEW, "refer")
        if step is None:
            raise ReciprocityError(f"the {self.scheme.id} process has no 'refer' step to open a case with")
        return step

    def preparation(self, state: str) -> tuple[Stage, ...]:
        """What a case accepted into ``state`` records before its first circulation: the hint's
        stages, or the process's shortest way to a state it circulates from, as one stage."""
        if self.hints.preparation is not None:
            return self.hints.preparation
        path = self._way_to_circulation(state)
        return (Stage(path),) if path else ()

    def _way_to_circulation(self, state: str) -> tuple[str, ...]:
        seen = {state}
        queue: deque[tuple[str, tuple[str, ...]]] = deque([(state, ())])
        while queue:
            here, path = queue.popleft()
            if self.allows(here, "circulate"):
                return path
            for event in self.process.events_from(here):
                step = self.process.step(here, event)
                if step is None or event in _NOT_FORWARD or step.target is None or step.target in seen:
                    continue
                seen.add(step.target)
                queue.append((step.target, (*path, event)))
        return ()

    def role(self, state: CaseState, event: str, step: Step | None, organisation: str) -> str:
        """The role that records ``event``: the hint's, the step's only role, or (a step several
        roles may fire) the role ``organisation`` last recorded on the case, else the first."""
        hinted = self.hints.roles.get(event)
        if step is None:  # the process will refuse it: any role of the event will do
            if hinted is not None:
                return hinted
            roles = {r for s in self.process.steps if s.event == event for r in s.roles}
            return min(roles) if roles else min(self.process.roles)
        if hinted in step.roles:
            return hinted  # type: ignore[return-value]
        if len(step.roles) == 1:
            return next(iter(step.roles))
        for entry in reversed(state.history):
            if entry.actor == organisation and entry.role in step.roles:
                return entry.role
        return min(step.roles)
