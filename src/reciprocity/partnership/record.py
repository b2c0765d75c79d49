"""A partner's membership as the replay of its events, and the checks each event must pass.

:func:`fold` applies one event to a :class:`PartnerRecord` or raises :class:`MembershipRefused`
naming the partner, the event and the clause; :func:`replay` folds a whole stream.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

from reciprocity.errors import ReciprocityError
from reciprocity.lifecycle.deadlines import named_contact_notice_due
from reciprocity.model import Membership, MembershipStatus, Partner
from reciprocity.partnership.events import validate_partner_payload
from reciprocity.partnership.policy import Partnership

__all__ = ["LeadChange", "MembershipRefused", "PartnerRecord", "fold", "replay"]



class MembershipRefused(ReciprocityError):
    """The membership event is not allowed now; the message says why and what to do."""

    def __init__(self, message: str, *, partner: str, event: str) -> None:
        super().__init__(message)
        self.partner = partner
        self.event = event


@attrs.frozen
class LeadChange:
    changed_on: date
    notified_on: date
    named: bool

    @property
    def late(self) -> bool:
        return self.notified_on > named_contact_notice_due(self.changed_on)


@attrs.frozen
class PartnerRecord:
    """A partner's membership of one scheme, as its events leave it."""

    scheme_id: str
    partner: Partner
    lead_vacant_since: date | None = None
    lead_changes: tuple[LeadChange, ...] = ()
    removal_reason: str | None = None
    removal_arbitration: str | None = None
    events: int = 0

    @property
    def id(self) -> str:
        return self.partner.id

    @property
    def membership(self) -> Membership:
        assert self.partner.membership is not None
        return self.partner.membership

    def status_on(self, on: date) -> MembershipStatus:
        return self.membership.status_on(on)


def _membership(record: PartnerRecord, **changes: Any) -> Partner:
    membership = record.membership.model_copy(update=changes)
    return record.partner.model_copy(update={"membership": membership})


def fold(record: PartnerRecord | None, policy: Partnership, scheme_id: str, partner_id: str,
         event: str, on: date, payload: dict[str, Any]) -> PartnerRecord:
    """The record after ``event`` on ``on``, or :class:`MembershipRefused` saying why not."""

    def refuse(why: str) -> MembershipRefused:
        return MembershipRefused(f"{scheme_id} partner register: cannot record {event!r} on "
                                 f"{on.isoformat()}: {why}", partner=partner_id, event=event)

    p = validate_partner_payload(event, payload)
    if record is None:
        if event != "join":
            raise refuse("the partner has not joined this scheme; record `join` first")
        partner: Partner = p.partner  # type: ignore[attr-defined]
        if partner.id != partner_id:
            raise refuse("the partner record's id differs from the partner named")
        if partner.membership is not None:
            raise refuse("give no membership dates: the join event's date is the joining date")
        if policy.signatory_required and partner.data_sharing_protocol_signatory is not True:
            raise refuse("joining requires signing the data sharing protocol "
                         f"({policy.cite('signatory_required')}); record the signature first")
        joined = partner.model_copy(update={"membership": Membership(joined_on=on)})
        # A partner may join before naming its lead; the seven days (§6.1) run from a change.
        return PartnerRecord(scheme_id, joined, events=1)
    if event == "join":
        raise refuse("the partner has already joined; a partner that left rejoins under a new id")
    if record.membership.joined_on is not None and on < record.membership.joined_on:
        raise refuse("the date is before the partner joined")
    status = record.status_on(on)
    member = status in (MembershipStatus.ACTIVE, MembershipStatus.NOTICE_GIVEN)
    ch: dict[str, Any] = {"events": record.events + 1}
    if event == "give_notice":
        if not policy.notice:
            raise refuse("this scheme's text sets no notice period; record the withdrawal itself")
        if status is not MembershipStatus.ACTIVE:
            raise refuse(f"the partner is {status.value.replace('_', ' ')}, not an active member")
        ch["partner"] = _membership(record, notice_given_on=on)
    elif event == "withdraw":
        if record.membership.withdrawn_on is not None or status is MembershipStatus.REMOVED:
            raise refuse(f"the partner is {status.value.replace('_', ' ')} already")
        ends = record.membership.notice_ends_on
        if policy.notice and (ends is None or on < ends):
            when = "give notice first" if ends is None else f"it takes effect on {ends.isoformat()}"
            raise refuse(f"withdrawal takes one month's notice ({policy.cite('notice')}); {when}")
        # With a notice period the withdrawal takes effect when the notice ends, whenever the
        # coordinator records it; without one, on the day recorded.
        ch["partner"] = _membership(record, withdrawn_on=ends if policy.notice else on)
    elif event == "remove":
        if not member:
            raise refuse(f"the partner is {status.value.replace('_', ' ')}, not a member")
        ch["partner"] = _membership(record, removed_on=on)
        ch["removal_reason"] = p.reason  # type: ignore[attr-defined]
        ch["removal_arbitration"] = p.arbitration  # type: ignore[attr-defined]
    elif event == "change_named_lead":
        changed_on: date = p.changed_on  # type: ignore[attr-defined]
        lead = p.named_lead  # type: ignore[attr-defined]
        if changed_on > on:
            raise refuse("the change is dated after its notice; record it once it has happened")
        if not member:
            raise refuse(f"the partner is {status.value.replace('_', ' ')}, not a member")
        ch["partner"] = record.partner.model_copy(update={"named_lead": lead})
        ch["lead_vacant_since"] = None if lead else (record.lead_vacant_since or changed_on)
        ch["lead_changes"] = (*record.lead_changes, LeadChange(changed_on, on, lead is not None))
    elif event == "update_stock":
        if not member:
            raise refuse(f"the partner is {status.value.replace('_', ' ')}, not a member")
        ch["partner"] = record.partner.model_copy(update={"stock_areas": p.stock_areas})  # type: ignore[attr-defined]
    return attrs.evolve(record, **ch)


def replay(policy: Partnership, scheme_id: str, partner_id: str,
           events: Iterable[tuple[str, date, dict[str, Any]]]) -> PartnerRecord | None:
    """Fold ``(event, on, payload)`` triples in order; None when there are none."""
    record: PartnerRecord | None = None
    for event, on, payload in events:
        record = fold(record, policy, scheme_id, partner_id, event, on, payload)
    return record
