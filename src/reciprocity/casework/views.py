"""JSON-ready views shared by the doors (the command line's ``--json`` and the HTTP service):
a case as the coordinator and its nominating partner read it (``case show``, ``GET
/cases/{id}``), an arbitration, and a partner's record with its ledger standing (``partner
show``, ``GET /partners``: the register holds no personal data, only ids, kinds, areas, dates
and a named lead's role or staff reference). Here, above the register and the ledger, because
a partner's standing reads both.

The view holds the case's state, ARC, eligibility, history (who did what, when), the commands
allowed now and the case's obligations; never the referral itself, which is read on its own
(and, through the HTTP service, logged: :mod:`reciprocity.access.reads`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from reciprocity.casework.derive import case_process
from reciprocity.ledger.service import Ledger
from reciprocity.lifecycle.case import CaseState
from reciprocity.lifecycle.events import COMMANDS
from reciprocity.partnership.policy import partnership_of
from reciprocity.partnership.service import Partners

__all__ = ["allowed_commands", "arbitration_view", "case_view", "partner_view", "partner_view_on", "standing"]


def allowed_commands(state: CaseState) -> dict[str, list[str]]:
    """Each command allowed in the case's state, with who may give it ("named_lead of the
    nominating partner")."""
    allowed: dict[str, list[str]] = {}
    for step in case_process(state).steps:
        if state.state in step.sources:
            command = COMMANDS.get(step.event, step.event)
            entry = f"{'/'.join(sorted(step.roles))} of {step.party.description}"
            if entry not in allowed.setdefault(command, []):
                allowed[command].append(entry)
    return allowed


def case_view(state: CaseState, cases: Any) -> dict[str, Any]:
    """The case as a JSON-ready dict (``cases``: the :class:`~reciprocity.casework.cases.Cases`
    it was read from, for its obligations)."""
    return {
        "case": state.case_id,
        "scheme": state.scheme_id,
        "state": state.state,
        "arc": state.arc,
        "referred_on": state.referred_on.isoformat() if state.referred_on else None,
        "eligibility": state.eligibility,
        "allowed_commands": allowed_commands(state),
        "history": [{"seq": h.seq, "event": h.event, "on": h.on.isoformat(), "actor": h.actor, "role": h.role,
                     "state": h.state} for h in state.history],
        "obligations": [{"kind": o.kind, "holder": o.holder, "since": o.since.isoformat(),
                         "ended_on": o.ended_on.isoformat() if o.ended_on else None, "clause": o.citation}
                        for o in cases.obligations(state.case_id)],
    }


def arbitration_view(a: Any) -> dict[str, Any]:
    """An arbitration as partners may see it: the case's ARC, never its id."""
    return {
        "arbitration": a.id,
        "scheme": a.scheme_id,
        "requested_on": a.requested_on.isoformat(),
        "arc": a.arc,
        "declining": a.declining,
        "nominating": a.nominating,
        "candidates": list(a.candidates),
        "seed": a.seed,
        "panel": list(a.panel),
        "finding": a.finding,
        "decided_on": a.decided_on.isoformat() if a.decided_on else None,
        "breach": a.breach,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def standing(store: Any, scheme_id: str, on: date) -> Callable[[str], dict[str, Any]]:
    """Each partner's ledger standing on ``on``: its balance (by size where sizes are kept), or
    for a scheme that keeps no debt its referrals made and received."""
    policy = partnership_of(scheme_id)
    ledger = Ledger(store)
    if not policy.keeps_debts:
        counts = ledger.counts(scheme_id, end=on)
        return lambda pid: {"referrals_made": counts.made[pid], "referrals_received": counts.received[pid]}
    balances = ledger.balances(scheme_id, on=on)

    def of(pid: str) -> dict[str, Any]:
        out: dict[str, Any] = {"balance": balances.of(pid)}
        if policy.sized:
            out["by_size"] = {str(b.size): b.net for b in balances.rows if b.partner == pid}
        return out

    return of


def partner_view(record: Any, on: date, standing: dict[str, Any]) -> dict[str, Any]:
    m = record.membership
    p = record.partner
    return {
        "partner": record.id,
        "scheme": record.scheme_id,
        "name": p.name,
        "kind": None if p.kind is None else p.kind.value,
        "authority_area": p.authority_area,
        "status": record.status_on(on).value,
        "on": on.isoformat(),
        "joined_on": _iso(m.joined_on),
        "notice_given_on": _iso(m.notice_given_on),
        "withdrawal_takes_effect": _iso(m.notice_ends_on),
        "withdrawn_on": _iso(m.withdrawn_on),
        "removed_on": _iso(m.removed_on),
        "removal_reason": record.removal_reason,
        "removal_arbitration": record.removal_arbitration,
        "data_sharing_protocol_signatory": p.data_sharing_protocol_signatory,
        "stock_areas": list(p.stock_areas),
        "named_lead": p.named_lead,
        "lead_vacant_since": _iso(record.lead_vacant_since),
        "lead_changes": [{"changed_on": c.changed_on.isoformat(), "notified_on": c.notified_on.isoformat(),
                          "named": c.named, "late": c.late} for c in record.lead_changes],
        **standing,
    }


def partner_view_on(store: Any, scheme_id: str, partner_id: str, on: date) -> dict[str, Any]:
    """One partner's record as it stands on ``on`` (``partner show --json``)."""
    record = Partners(store).get(scheme_id, partner_id)
    return partner_view(record, on, standing(store, scheme_id, on)(record.id))
