"""A case as the coordinator and its nominating partner read it: a JSON-ready view shared by
the doors (``reciprocity case show --json`` and ``GET /cases/{id}``).

The view holds the case's state, ARC, eligibility, history (who did what, when), the commands
allowed now and the case's obligations; never the referral itself, which is read on its own
(and, through the HTTP service, logged: :mod:`reciprocity.access.reads`).
"""

from __future__ import annotations

from typing import Any

from reciprocity.casework.derive import process_of
from reciprocity.lifecycle.case import CaseState
from reciprocity.lifecycle.events import COMMANDS

__all__ = ["allowed_commands", "arbitration_view", "case_view"]


def allowed_commands(state: CaseState) -> dict[str, list[str]]:
    """Each command allowed in the case's state, with who may give it ("named_lead of the
    nominating partner")."""
    allowed: dict[str, list[str]] = {}
    for step in process_of(state.scheme_id).steps:
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
