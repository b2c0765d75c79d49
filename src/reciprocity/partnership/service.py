"""Partners kept in the event store: joining, notice, withdrawal, removal, named-lead changes.

:class:`Partners` is what a housing system or the CLI uses. Each partner's membership of a
scheme is its own stream (``partner:<scheme>:<id>``); every method takes the date it acts on,
and each event is checked against the scheme's partnership rules inside the store's
transaction, so a refused event writes nothing.

Every method names its actor (:class:`~reciprocity.lifecycle.actors.Actor`), recorded on the
event. The register is the coordinator's record (Kent RP MoU §2.4; KRS Appendix 1;
Cambridgeshire MoU 2): only the coordinator records a partner joining, its stock areas and
its removal. A partner's own notice, withdrawal and named-lead change are the partner's acts,
recorded by the partner itself or by the coordinator on its behalf.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError

from reciprocity.errors import InputProblem, InvalidInputError, ReciprocityError
from reciprocity.inputs import coerce_partner, problems_from
from reciprocity.lifecycle.actors import Actor, ActorRefused, as_actor
from reciprocity.lifecycle.deadlines import (
    Deadline,
    named_contact_notice_due,
    withdrawal_takes_effect,
)
from reciprocity.model import Partner
from reciprocity.lifecycle.events import ACTOR_KEY
from reciprocity.partnership.events import PARTNER_EVENTS
from reciprocity.partnership.policy import partnership_of
from reciprocity.partnership.record import PartnerRecord, fold, replay
from reciprocity.store.streams import PARTNER_PREFIX, partner_stream

__all__ = ["Partners", "UnknownPartnerError", "partner_stream"]

_PREFIX = PARTNER_PREFIX

#: Membership events only the coordinator records; the others (notice, withdrawal, a change of
#: named lead) are the partner's own acts and may also be recorded by the partner itself.
COORDINATOR_EVENTS = frozenset({"join", "remove", "update_stock"})


class UnknownPartnerError(ReciprocityError, LookupError):
    """No partner of this scheme has this id."""

    def __init__(self, scheme_id: str, partner_id: str) -> None:
        super().__init__(f"no partner with this id in scheme {scheme_id}; `reciprocity partner show "
                         f"--scheme {scheme_id}` lists the partners")
        self.partner_id = partner_id


def _check_partner_id(partner_id: str) -> None:
    """Refuse a partner id that looks like personal data (a date, an NI number...): partner ids
    are shown to every partner, in requests, ledgers and reports."""
    from reciprocity.privacy.reference import InvalidReferenceError, check_reference  # noqa: PLC0415

    try:
        check_reference(partner_id, "partner id")
    except InvalidReferenceError as error:
        raise InvalidInputError("partner", [InputProblem("id", str(error), "give the organisation's own id, "
                                                         "such as coast_homes")]) from None


def _check_areas(scheme_id: str, partner: Partner) -> None:
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    known = get_scheme(scheme_id).area_ids
    problems = [InputProblem(f"stock_areas[{i}]", "is not an area of this scheme",
                             f"use an area id listed under Areas in docs/schemes/{scheme_id}.md")
                for i, area in enumerate(partner.stock_areas) if area not in known]
    if partner.authority_area is not None and partner.authority_area not in known:
        problems.append(InputProblem("authority_area", "is not an area of this scheme",
                                     "a council joins the scheme its district belongs to"))
    if problems:
        raise InvalidInputError("partner", problems)


class Partners:
    """The partners of every scheme in one event store (``reciprocity.store.EventStore``)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    # --- reading ----------------------------------------------------------------------------

    def get(self, scheme_id: str, partner_id: str, *, before: int | None = None) -> PartnerRecord:
        """The partner's record; with ``before``, as the store stood before that store
        position (what a command recorded at that position saw)."""
        events = self.store.stream(partner_stream(scheme_id, partner_id))
        if before is not None:
            events = [r for r in events if r.position < before]
        record = replay(partnership_of(scheme_id), scheme_id, partner_id,
                        ((r.event.type, r.event.on, r.event.payload) for r in events))
        if record is None:
            raise UnknownPartnerError(scheme_id, partner_id)
        return record

    def all(self, scheme_id: str | None = None, *, before: int | None = None) -> list[PartnerRecord]:
        """Every partner record (of one scheme, or all), in the order they joined (``before``:
        as the store stood before that position)."""
        prefix = _PREFIX if scheme_id is None else f"{_PREFIX}{scheme_id}:"
        out = []
        for stream in self.store.streams(prefix):
            scheme, _, partner_id = stream[len(_PREFIX):].partition(":")
            try:
                out.append(self.get(scheme, partner_id, before=before))
            except UnknownPartnerError:  # joined after ``before``
                continue
        return out

    def directory(self, scheme_id: str, *, before: int | None = None) -> list[Partner]:
        """The scheme's partners with their membership dates, as circulation and offers read them
        (a partner's standing on any date follows from the dates)."""
        return [record.partner for record in self.all(scheme_id, before=before)]

    def find(self, scheme_id: str, partner_id: str, *, before: int | None = None) -> PartnerRecord | None:
        """The partner's record, or None when the register does not hold it."""
        try:
            return self.get(scheme_id, partner_id, before=before)
        except UnknownPartnerError:
            return None

    # --- recording --------------------------------------------------------------------------

    def record(self, scheme_id: str, partner_id: str, event: str, *, on: date, actor: Actor | tuple[str, str],
               payload: Mapping[str, Any] | None = None, event_id: str | None = None) -> PartnerRecord:
        """Record membership ``event`` for the partner on ``on`` by ``actor``; return its record after it.

        Raises :class:`~reciprocity.partnership.record.MembershipRefused` (nothing written)
        when the scheme's rules do not allow it, :class:`~reciprocity.lifecycle.actors.ActorRefused`
        when the actor may not record it (see :data:`COORDINATOR_EVENTS`), InvalidInputError for
        an invalid payload.
        """
        from reciprocity.store import Event  # noqa: PLC0415

        if not isinstance(on, date):
            raise TypeError("on must be a datetime.date")
        if event not in PARTNER_EVENTS:
            raise InvalidInputError("event", [InputProblem("event", "is not a membership event",
                                                           f"use one of {', '.join(PARTNER_EVENTS)}")])
        who = as_actor(actor)
        policy = partnership_of(scheme_id)
        if not who.is_coordinator and (event in COORDINATOR_EVENTS or who.partner != partner_id):
            may = ("the scheme's coordinator" if event in COORDINATOR_EVENTS
                   else "the partner itself or the scheme's coordinator")
            raise ActorRefused(f"only {may} records a partner's {event.replace('_', ' ')} "
                               f"({policy.cite('register') or 'the partner register'}), not another partner")
        body = dict(payload or {})
        if ACTOR_KEY in body:
            raise InvalidInputError(f"{event} event", [InputProblem(
                ACTOR_KEY, "is not a field of this event", "name who acts with actor=, not in the payload")])
        try:
            PARTNER_EVENTS[event].model_validate(body)
        except ValidationError as error:
            raise InvalidInputError(f"{event} event", problems_from(error)) from None
        body[ACTOR_KEY] = who.partner
        stream = partner_stream(scheme_id, partner_id)
        result: list[PartnerRecord] = []

        def expect(events: Sequence[Any]) -> None:
            record = replay(policy, scheme_id, partner_id,
                            ((r.event.type, r.event.on, r.event.payload) for r in events))
            result.append(fold(record, policy, scheme_id, partner_id, event, on, body))

        ident = event_id or _event_id(stream, event, on, body)
        self.store.append(Event(ident, stream, event, on, who.role, body), expect=expect)
        return result[-1] if result else self.get(scheme_id, partner_id)

    def join(self, scheme_id: str, partner: Partner | Mapping[str, Any], *, on: date,
             actor: Actor | tuple[str, str]) -> PartnerRecord:
        """Record that the partner joins the scheme on ``on`` (its join date)."""
        model = coerce_partner(partner)
        if model.id == "coordinator":
            raise InvalidInputError("partner", [InputProblem("id", "is reserved for the scheme's coordinator",
                                                             "give the organisation's own id")])
        _check_areas(scheme_id, model)
        _check_partner_id(model.id)
        return self.record(scheme_id, model.id, "join", on=on, actor=actor, payload={"partner": model.model_dump(mode="json")})

    def give_notice(self, scheme_id: str, partner_id: str, *, on: date,
                    actor: Actor | tuple[str, str]) -> PartnerRecord:
        """Record the partner's notice to withdraw (it takes effect a month later)."""
        return self.record(scheme_id, partner_id, "give_notice", on=on, actor=actor)

    def withdraw(self, scheme_id: str, partner_id: str, *, on: date, actor: Actor | tuple[str, str]) -> PartnerRecord:
        """Record the partner's withdrawal taking effect on ``on`` (its debts remain owed)."""
        return self.record(scheme_id, partner_id, "withdraw", on=on, actor=actor)

    def remove(self, scheme_id: str, partner_id: str, *, on: date, actor: Actor | tuple[str, str],
               reason: str = "breach", arbitration: str | None = None) -> PartnerRecord:
        """Remove the partner (its debts remain owed). A removal after an arbitration's finding of
        breach goes through :meth:`reciprocity.casework.Arbitrations.remove_in_breach`, which
        checks the finding; `reciprocity store verify` reports a removal naming an arbitration
        that found no breach."""
        return self.record(scheme_id, partner_id, "remove", on=on, actor=actor,
                           payload={"reason": reason, "arbitration": arbitration})

    def change_named_lead(self, scheme_id: str, partner_id: str, *, on: date, changed_on: date,
                          named_lead: str | None, actor: Actor | tuple[str, str]) -> PartnerRecord:
        """Record a change of named lead notified on ``on``; ``named_lead`` None while vacant."""
        return self.record(scheme_id, partner_id, "change_named_lead", on=on, actor=actor,
                           payload={"named_lead": named_lead, "changed_on": changed_on.isoformat()})

    def update_stock(self, scheme_id: str, partner_id: str, *, on: date, stock_areas: Iterable[str],
                     actor: Actor | tuple[str, str]) -> PartnerRecord:
        """Record where the partner now holds homes (the coordinator keeps this list, MoU §2.4)."""
        areas = tuple(stock_areas)
        record = self.get(scheme_id, partner_id)
        _check_areas(scheme_id, record.partner.model_copy(update={"stock_areas": areas}))
        return self.record(scheme_id, partner_id, "update_stock", on=on, actor=actor, payload={"stock_areas": list(areas)})

    # --- deadlines --------------------------------------------------------------------------

    def deadlines(self, *, on: date) -> list[Deadline]:
        """Partner deadlines still open on ``on``: withdrawals to record when notice runs out,
        named leads to be named within seven days of the post falling vacant."""
        out: list[Deadline] = []
        for record in self.all():
            policy = partnership_of(record.scheme_id)
            membership = record.membership
            if (policy.notice and membership.notice_given_on is not None and membership.withdrawn_on is None
                    and membership.removed_on is None):
                out.append(Deadline(withdrawal_takes_effect(membership.notice_given_on), "withdrawal", record.id,
                                    None, f"{record.id}'s withdrawal from {record.scheme_id} takes effect: record "
                                    "it (its debts remain owed)", policy.cite("notice"), about="partner"))
            if (policy.named_contact and record.lead_vacant_since is not None
                    and record.status_on(on).value in ("active", "notice_given")):
                out.append(Deadline(named_contact_notice_due(record.lead_vacant_since), "named_contact", record.id,
                                    None, f"{record.id} names its new named lead for {record.scheme_id}",
                                    policy.cite("named_contact"), about="partner"))
        return out


def _event_id(stream: str, event: str, on: date, body: Mapping[str, Any]) -> str:
    """Repeatable: the same membership event on the same day is one event (a retry is a no-op)."""
    text = json.dumps([stream, event, on.isoformat(), body], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
