"""A ledger entry as partners read it: by the case's ARC, never its case id, and never a
correction's note (JSON-ready; shared by ``reciprocity ledger history --json`` and
``GET /ledger/history``)."""

from __future__ import annotations

from typing import Any

__all__ = ["entry_view"]


def entry_view(entry: Any, book: Any) -> dict[str, Any]:
    """An entry as partners may see it: its ARC, never the case id (and never a note)."""
    d = entry.details
    target = book.entry(d["reverses"]) if entry.kind == "correction" else None
    out: dict[str, Any] = {
        "entry": entry.entry_id,
        "seq": entry.seq,
        "on": entry.on.isoformat(),
        "kind": entry.kind,
        "arc": (target.arc if target is not None else entry.arc),
        "effects": [{"partner": e.partner, "size": e.size, "delta": e.delta} for e in entry.effects],
        "description": entry.describe(),
    }
    if entry.kind == "move":
        out.update(nominating=d["nominating"], accepting=d["accepting"], bedrooms=d.get("bedrooms"),
                   basis=d.get("basis"))
    else:
        out.update(reverses=d["reverses"], code=d["code"])
    if entry.entry_id in book.reversed_ids():
        out["reversed"] = True
    return out
