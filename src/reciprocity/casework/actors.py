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

from datetime import date
from typing import Any

from reciprocity.lifecycle.actors import COORDINATOR, Actor, ActorRefused, as_actor, coordinator_only
from reciprocity.model import MembershipStatus

__all__ = ["COORDINATOR", "Actor", "ActorRefused", "as_actor", "check_registered", "coordinator_only"]


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
        raise ActorRefused(f"the actor is not in the {scheme_id} partner register; only registered "
                           "partners and the coordinator act on cases (`reciprocity partner join`)")
    status = record.status_on(on)
    if own_case and status in (MembershipStatus.WITHDRAWN, MembershipStatus.REMOVED):
        return
    if status not in (MembershipStatus.ACTIVE, MembershipStatus.NOTICE_GIVEN):
        raise ActorRefused(f"{actor.partner} is {status.value.replace('_', ' ')} on {on.isoformat()} in "
                           f"{scheme_id}; only members act on cases")
