"""What each actor may read of a scheme's cases.

- The scheme's coordinator reads every case of its scheme, its referral included.
- A case's nominating partner reads its own case, its referral included (it made it).
- A partner a request went to reads only the pseudonymised request (by the case's ARC, never
  its case id) and acts on it by the ARC: it answers, offers, arranges a viewing.
- Nobody reads another scheme's cases, and no other partner reads anything of a case.

A referral holds special category data (health, the abuse, children), so nothing returns it
to anyone but the coordinator and the nominating partner, and each such read is logged
(:mod:`reciprocity.access.reads`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reciprocity.lifecycle.actors import Actor, ActorRefused
from reciprocity.lifecycle.case import CaseState
from reciprocity.store.streams import arc_stream

__all__ = ["case_for_arc", "check_reads_case", "deadlines_for", "reads_case", "requests_for"]


def reads_case(actor: Actor, scheme_id: str, state: CaseState | Any) -> bool:
    """Whether ``actor`` (acting in ``scheme_id``) reads the case and its referral (``state``:
    the case's state, or anything with its ``scheme_id`` and ``nominator``, such as a
    :class:`~reciprocity.casework.projection.CaseSummary`)."""
    if state.scheme_id != scheme_id:
        return False
    return actor.is_coordinator or (state.nominator is not None and actor.partner == state.nominator)


def check_reads_case(actor: Actor, scheme_id: str, state: CaseState) -> None:
    """:class:`ActorRefused` unless ``actor`` reads the case (see :func:`reads_case`)."""
    if not reads_case(actor, scheme_id, state):
        raise ActorRefused("only the scheme's coordinator and the case's nominating partner read a case; a "
                           "partner a request went to reads the request, by its ARC (GET /requests)")


def requests_for(store: Any, scheme_id: str, partner_id: str) -> Iterator[dict[str, Any]]:
    """Every pseudonymised request of ``scheme_id`` sent to ``partner_id``, oldest first (only
    what the partner received: the request, never who else it went to)."""
    from reciprocity.casework.projection import CASES, case_events, contacted_cases  # noqa: PLC0415

    store.maintain(CASES)
    with store.snapshot() as snapshot:  # only the cases the partner was sent, from the case index
        cases = list(case_events(snapshot.connection, contacted_cases(snapshot.connection, scheme_id, partner_id)))
    for _, events in cases:
        for recorded in events:
            event = recorded.event
            if event.type == "circulate" and partner_id in event.payload.get("recipients", ()):
                yield dict(event.payload["request"])


def case_for_arc(store: Any, arc: str) -> str | None:
    """The case id an ARC was issued to, or None (the ARC stream's claim)."""
    if not isinstance(arc, str) or len(arc) > 32:
        return None
    claims = store.stream(arc_stream(arc))
    return str(claims[0].event.payload["case"]) if claims else None


def deadlines_for(report: Any, states: Any, actor: Actor, scheme_id: str,
                  partner_ids: frozenset[str]) -> dict[str, list[dict[str, Any]]]:
    """The deadlines of a :class:`~reciprocity.lifecycle.deadlines.DueReport` that ``actor`` may
    see, JSON-ready by group (overdue, today, upcoming): the coordinator every deadline of its
    scheme; a partner those of the cases it nominated (with the case id), of the requests sent
    to it (by ARC only) and its own (a named lead to name, a withdrawal taking effect).
    ``states``: the scheme's cases (states or summaries: ``case_id``, ``scheme_id``,
    ``nominator``, ``contacted``); ``partner_ids``: the scheme's register."""
    by_id = {s.case_id: s for s in states if s.scheme_id == scheme_id}

    def shown(d: Any) -> dict[str, Any] | None:
        item = {"due_on": d.due_on.isoformat(), "kind": d.kind, "case": d.case, "arc": d.arc, "what": d.what,
                "clause": d.citation, "about": d.about}
        if d.about != "case":
            ok = d.case in partner_ids and (actor.is_coordinator or d.case == actor.partner)
            return item if ok else None
        state = by_id.get(d.case)
        if state is None:
            return None
        if reads_case(actor, scheme_id, state):
            return item
        if actor.partner in state.contacted:
            return {**item, "case": None}
        return None

    groups = {"overdue": report.overdue, "today": report.today, "upcoming": report.upcoming}
    return {name: [i for i in (shown(d) for d in items) if i is not None] for name, items in groups.items()}
