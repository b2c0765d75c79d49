"""Who acts: an :class:`Actor` is an organisation and the capacity it acts in.

A partner id from the scheme's register (or :data:`COORDINATOR`, the scheme's coordinator) and
a role (``named_lead``, ``referring_council``, ``coordinator``...). Every command of the case
work, the partner register and the ledger names one and records it on its event. This module
holds only the value; checking it against the register is the application layer's
(:mod:`reciprocity.casework.actors`), checking it against a case's step is the process's
(:mod:`reciprocity.lifecycle.case`).
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from reciprocity.errors import InputProblem, InvalidInputError, ReciprocityError
from reciprocity.lifecycle.process import COORDINATOR

__all__ = ["COORDINATOR", "Actor", "ActorRefused", "as_actor", "coordinator_only"]

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


def coordinator_only(actor: Actor | tuple[str, str] | Any, what: str, citation: str) -> Actor:
    """``actor`` as an Actor if it is the scheme's coordinator; :class:`ActorRefused` otherwise,
    saying that only the coordinator ``what`` (``citation``: the clause that says so)."""
    who = as_actor(actor)
    if not who.is_coordinator:
        raise ActorRefused(f"only the coordinator {what} ({citation}), not a partner; "
                           "act as Actor.coordinator()")
    return who
