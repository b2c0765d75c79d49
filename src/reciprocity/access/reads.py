"""The log of reads of special category data: who read which case's referral, and when.

Each read of a referral through a door (the HTTP service) is an event on the scheme's access
stream (``access:<scheme>``): the case id, the actor and the day, never the data read. A data
protection officer answers "who has seen this person's referral" from it (UK GDPR Art. 5(2),
accountability; see the domain notes on special category data).
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import attrs

from reciprocity.lifecycle.actors import Actor
from reciprocity.store.events import Event
from reciprocity.store.streams import access_stream

__all__ = ["Read", "log_read", "reads"]


@attrs.frozen
class Read:
    case: str
    actor: str
    role: str
    on: date
    what: str


def log_read(store: Any, scheme_id: str, case_id: str, actor: Actor, *, on: date, what: str = "referral") -> None:
    """Record that ``actor`` read ``what`` of the case on ``on`` (nothing of the data itself)."""
    store.append(Event(f"read-{secrets.token_hex(12)}", access_stream(scheme_id), "read", on, actor.role,
                       {"case": case_id, "actor": actor.partner, "what": what}))


def reads(store: Any, scheme_id: str, case_id: str | None = None) -> list[Read]:
    """The logged reads of the scheme (of one case, if given), oldest first."""
    out = []
    for recorded in store.stream(access_stream(scheme_id)):
        e = recorded.event
        if case_id is None or e.payload["case"] == case_id:
            out.append(Read(e.payload["case"], e.payload["actor"], e.role, e.on, e.payload["what"]))
    return out
