"""Arbitration (Kent RP MoU §4.7): when a partner that owes a home declines an applicant, the
coordinator may ask a panel of three signatory partners whether the refusal was justified.

The panel excludes the declining and the nominating partner. It is drawn reproducibly: the
candidates (signatory members on the day, sorted) and a seed derived from the arbitration's id
are recorded with the panel, so anyone can re-draw it with :func:`draw_panel` and get the same
three. A finding that the refusal was not justified is a breach, which the coordinator may
follow with the partner's removal (:meth:`Arbitrations.remove_in_breach`, which checks the finding).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Literal

import attrs
from pydantic import Field

from reciprocity.casework.actors import Actor, coordinator_only
from reciprocity.errors import InvalidInputError, ReciprocityError
from reciprocity.inputs import problems_from
from reciprocity.model import MembershipStatus
from reciprocity.model.base import BoundaryModel, PartnerId

__all__ = ["PANEL_SIZE", "Arbitration", "ArbitrationRefused", "Arbitrations", "draw_panel"]

PANEL_SIZE = 3
_PREFIX = "arbitration:"


class ArbitrationRefused(ReciprocityError):
    """The arbitration cannot be requested or decided (the message says why)."""


class _Request(BoundaryModel):
    case: str = Field(max_length=64)
    arc: str | None = None
    declining: PartnerId
    nominating: PartnerId
    candidates: tuple[PartnerId, ...]
    seed: str = Field(pattern=r"^[0-9a-f]{64}$")
    panel: tuple[PartnerId, ...] = Field(min_length=PANEL_SIZE, max_length=PANEL_SIZE)


class _Decide(BoundaryModel):
    finding: Literal["refusal_justified", "refusal_not_justified"]


def _coordinator_only(actor: Actor | tuple[str, str], what: str) -> Actor:
    return coordinator_only(actor, what, "Kent RP MoU §4.7")


def draw_panel(candidates: Iterable[str], seed: str, size: int = PANEL_SIZE) -> tuple[str, ...]:
    """``size`` of ``candidates`` drawn with ``seed`` (hex): the same inputs give the same panel."""
    pool = sorted(set(candidates))
    if len(pool) < size:
        raise ArbitrationRefused(f"a panel needs {size} signatory partners other than the parties; "
                                 f"only {len(pool)} are members on the day")
    return tuple(random.Random(int(seed, 16)).sample(pool, size))  # noqa: S311 (reproducible, not secret)


def _seed(scheme_id: str, arbitration_id: str) -> str:
    return hashlib.sha256(f"{scheme_id}|{arbitration_id}".encode()).hexdigest()


@attrs.frozen
class Arbitration:
    """One arbitration as its events leave it."""

    scheme_id: str
    id: str
    requested_on: date
    case: str
    arc: str | None
    declining: str
    nominating: str
    candidates: tuple[str, ...]
    seed: str
    panel: tuple[str, ...]
    finding: str | None = None
    decided_on: date | None = None

    @property
    def breach(self) -> bool:
        return self.finding == "refusal_not_justified"


class Arbitrations:
    """The arbitrations of every scheme in one event store."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def _stream(self, scheme_id: str, arbitration_id: str) -> str:
        return f"{_PREFIX}{scheme_id}:{arbitration_id}"

    @staticmethod
    def _replay(scheme_id: str, arbitration_id: str, events: Sequence[Any]) -> Arbitration | None:
        out: Arbitration | None = None
        for r in events:
            p = r.event.payload
            if r.event.type == "request":
                out = Arbitration(scheme_id, arbitration_id, r.event.on, p["case"], p.get("arc"), p["declining"],
                                  p["nominating"], tuple(p["candidates"]), p["seed"], tuple(p["panel"]))
            elif r.event.type == "decide" and out is not None:
                out = attrs.evolve(out, finding=p["finding"], decided_on=r.event.on)
        return out

    def get(self, scheme_id: str, arbitration_id: str) -> Arbitration:
        found = self._replay(scheme_id, arbitration_id, self.store.stream(self._stream(scheme_id, arbitration_id)))
        if found is None:
            raise ArbitrationRefused("no arbitration with this id in this scheme; "
                                     "`reciprocity arbitration show` lists them")
        return found

    def all(self, scheme_id: str) -> list[Arbitration]:
        prefix = f"{_PREFIX}{scheme_id}:"
        return [self.get(scheme_id, s[len(prefix):]) for s in self.store.streams(prefix)]

    def request(self, case_id: str, declining: str, *, on: date, actor: Actor | tuple[str, str]) -> Arbitration:
        """Ask for arbitration of ``declining``'s refusal of the case's applicant on ``on``.

        Only the coordinator asks (and so draws the panel, MoU §4.7). Refused unless the scheme
        has arbitration, ``declining`` answered the case's request that it cannot help, and it
        owes the pool a home on ``on``.
        """
        _coordinator_only(actor, "requests arbitration and draws its panel")
        from reciprocity.ledger.service import Ledger  # noqa: PLC0415
        from reciprocity.casework.cases import Cases  # noqa: PLC0415
        from reciprocity.partnership.policy import partnership_of  # noqa: PLC0415
        from reciprocity.partnership.service import Partners  # noqa: PLC0415
        from reciprocity.store import Event  # noqa: PLC0415

        case = Cases(self.store).get(case_id)
        policy = partnership_of(case.scheme_id)
        if not policy.arbitration:
            raise ArbitrationRefused(f"scheme {case.scheme_id}'s text provides no arbitration")
        if not any(p == declining and not can_help for p, can_help, _ in case.responses):
            raise ArbitrationRefused(f"the partner named has not declined case {case_id}'s request; arbitration "
                                     f"reviews a refusal ({policy.cite('arbitration')})")
        balance = Ledger(self.store).balances(case.scheme_id, on=on).of(declining)
        if balance >= 0:
            raise ArbitrationRefused(f"{declining} owes the pool no home on {on.isoformat()}; arbitration is for "
                                     f"a partner that owes ({policy.cite('arbitration')})")
        assert case.referral is not None
        nominating = case.referral.nominating_partner.id
        members = (MembershipStatus.ACTIVE, MembershipStatus.NOTICE_GIVEN)
        candidates = sorted(
            p.id for p in Partners(self.store).directory(case.scheme_id)
            if p.data_sharing_protocol_signatory and p.membership is not None
            and p.membership.status_on(on) in members and p.id not in {declining, nominating}
        )
        ident = "ARB-" + hashlib.sha256(f"{case_id}|{declining}|{on.isoformat()}".encode()).hexdigest()[:10].upper()
        seed = _seed(case.scheme_id, ident)
        body = {"case": case_id, "arc": case.arc, "declining": declining, "nominating": nominating,
                "candidates": candidates, "seed": seed, "panel": list(draw_panel(candidates, seed))}
        _Request.model_validate(body)
        stream = self._stream(case.scheme_id, ident)

        def expect(events: Sequence[Any]) -> None:
            if events and events[0].event.payload != body:
                raise ArbitrationRefused(f"arbitration {ident} already exists with other details")

        self.store.append(Event(ident + "-request", stream, "request", on, "coordinator", body), expect=expect)
        return self.get(case.scheme_id, ident)

    def decide(self, scheme_id: str, arbitration_id: str, *, on: date, justified: bool,
               actor: Actor | tuple[str, str]) -> Arbitration:
        """Record the panel's finding on ``on``: the refusal was justified, or not (a breach);
        the coordinator records it."""
        _coordinator_only(actor, "records the panel's finding")
        from pydantic import ValidationError  # noqa: PLC0415

        from reciprocity.store import Event  # noqa: PLC0415

        current = self.get(scheme_id, arbitration_id)
        body = {"finding": "refusal_justified" if justified else "refusal_not_justified"}
        try:
            _Decide.model_validate(body)
        except ValidationError as error:  # pragma: no cover - the body is built above
            raise InvalidInputError("decision", problems_from(error)) from None
        if current.finding is not None:
            if (current.finding, current.decided_on) == (body["finding"], on):
                return current  # the same finding recorded again: a retry
            raise ArbitrationRefused(f"arbitration {arbitration_id} has already been decided")
        if on < current.requested_on:
            raise ArbitrationRefused("the finding cannot be dated before the request")

        def expect(events: Sequence[Any]) -> None:
            if any(r.event.type == "decide" for r in events):
                raise ArbitrationRefused(f"arbitration {arbitration_id} has already been decided")

        self.store.append(Event(arbitration_id + "-decide", self._stream(scheme_id, arbitration_id), "decide", on,
                                "coordinator", body), expect=expect)
        return self.get(scheme_id, arbitration_id)

    def remove_in_breach(self, scheme_id: str, arbitration_id: str, *, on: date,
                         actor: Actor | tuple[str, str]) -> Any:
        """Remove the partner an arbitration found in breach (MoU §4.7), on ``on``; its debts
        remain owed. Only the coordinator removes; ArbitrationRefused when the finding is not a breach."""
        from reciprocity.partnership.service import Partners  # noqa: PLC0415

        who = _coordinator_only(actor, "removes a partner after a breach")
        found = self.get(scheme_id, arbitration_id)
        self.check_breach(scheme_id, arbitration_id, found.declining)
        return Partners(self.store).remove(scheme_id, found.declining, on=on, actor=who, reason="breach",
                                           arbitration=arbitration_id)

    def check_breach(self, scheme_id: str, arbitration_id: str, partner_id: str) -> Arbitration:
        """The arbitration, if it found ``partner_id`` in breach; ArbitrationRefused otherwise."""
        found = self.get(scheme_id, arbitration_id)
        if found.declining != partner_id or not found.breach:
            raise ArbitrationRefused(f"arbitration {arbitration_id} did not find {partner_id} in breach")
        return found
