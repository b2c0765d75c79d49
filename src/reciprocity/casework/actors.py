"""Who acts: every command names an :class:`Actor`, checked against the partner register.

An actor is an organisation and the capacity it acts in: a partner id from the scheme's
register (or :data:`COORDINATOR`, the scheme's coordinator) and a role of the scheme's process
(``named_lead``, ``referring_council``...). Three checks stand between an actor and the store:

1. the role is one the step allows (the process's ``roles``);
2. the organisation stands in the step's relation to the case (:class:`~reciprocity.lifecycle.process.Party`:
   the nominating partner's named lead approves; only a partner the request went to answers
   or offers; only the receiving council that gave final acceptance takes a KRS duty over);
3. the organisation is in the scheme's register and a member on the day (active, or in its
   notice period), or it is the coordinator.

The first two are the process's and run inside the store's transaction and again on replay
(:func:`reciprocity.lifecycle.case.check_event`); the third is this module's. The actor is
recorded on every event (its id in the payload, its role as the event's role), so `case show`
and `reciprocity store verify` can say who did what. An HTTP door authenticates a caller into an
``Actor`` and calls the same commands: it needs no rules of its own.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import attrs

from reciprocity.errors import InputProblem, InvalidInputError, ReciprocityError
from reciprocity.lifecycle.process import COORDINATOR
from reciprocity.model import MembershipStatus

__all__ = ["COORDINATOR", "Actor", "ActorRefused", "as_actor", "check_registered"]

_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_ROLE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class ActorRefused(ReciprocityError):
    """The actor may not do this (not in the register, not a member on the day, wrong role);
    the message says who may."""


@attrs.frozen
class Actor:
    """An organisation acting in a role: ``Actor("coast_homes", "named_lead")``."""

    partner: str
    role: str

    def __attrs_post_init__(self) -> None:
        problems = []
        if not isinstance(self.partner, str) or not _ID.match(self.partner):
            problems.append(InputProblem("actor", "must be a partner id from the register (lower case letters, "
                                         "digits, _) or 'coordinator'", "see `reciprocity partner show`"))
        if not isinstance(self.role, str) or not _ROLE.match(self.role):
            problems.append(InputProblem("role", "must be a role of the scheme's process",
                                         "`reciprocity case show CASE` lists who may do what"))
        if problems:
            raise InvalidInputError("actor", problems)

    @classmethod
    def coordinator(cls, role: str = "coordinator") -> Actor:
        """The scheme's coordinator, acting in ``role`` (Cambridgeshire: ``specialist_service``)."""
        return cls(COORDINATOR, role)

    @property
    def is_coordinator(self) -> bool:
        return self.partner == COORDINATOR

    def __str__(self) -> str:
        return f"{self.partner} as {self.role}"


def as_actor(value: Actor | tuple[str, str] | Any) -> Actor:
    """``value`` as an :class:`Actor` (an Actor, or a ``(partner, role)`` pair)."""
    if isinstance(value, Actor):
        return value
    if isinstance(value, tuple) and len(value) == 2:
        return Actor(*value)
    raise InvalidInputError("actor", [InputProblem("actor", "must be an Actor(partner, role)",
                                                   "name who acts, e.g. Actor('coast_homes', 'named_lead')")])


def check_registered(store: Any, scheme_id: str, actor: Actor, on: date, *, before: int | None = None,
                     own_case: bool = False) -> None:
    """Refuse an actor that is not the coordinator, nor in the scheme's register as a member on
    ``on`` (active or in its notice period); ``before``: the register as it stood before that
    store position. ``own_case``: the actor is the case's nominating partner, which may still
    act on its open case after leaving the scheme (its duties to the household remain, as its
    debts do: Kent RP MoU §5.5; KRS point 6)."""
    if actor.is_coordinator:
        return
    from reciprocity.partnership.service import Partners  # noqa: PLC0415

    record = Partners(store).find(scheme_id, actor.partner, before=before)
    if record is None:
        raise ActorRefused(f"{actor.partner} is not in the {scheme_id} partner register; only registered "
                           "partners and the coordinator act on cases (`reciprocity partner join`)")
    status = record.status_on(on)
    if own_case and status in (MembershipStatus.WITHDRAWN, MembershipStatus.REMOVED):
        return
    if status not in (MembershipStatus.ACTIVE, MembershipStatus.NOTICE_GIVEN):
        raise ActorRefused(f"{actor.partner} is {status.value.replace('_', ' ')} on {on.isoformat()} in "
                           f"{scheme_id}; only members act on cases")
