"""A partner's record as partners and the coordinator read it: JSON-ready views shared by the
doors (``reciprocity partner show --json`` and ``GET /partners``). The register holds no
personal data: ids, kinds, areas, dates, a named lead's role or staff reference."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from reciprocity.ledger.service import Ledger
from reciprocity.partnership.policy import partnership_of
from reciprocity.partnership.service import Partners

__all__ = ["partner_view", "partner_view_on", "standing"]


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
        "kind": p.kind.value,
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
