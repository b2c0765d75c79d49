"""The cases as a projection: each case's current state and open deadlines, kept with its events.

:class:`CaseProjection` keeps three tables, changed in the transaction of every case event
(see :mod:`reciprocity.store.projection`):

``case_index``      one row per case: scheme, state, ARC, nominating partner, the dates of its
                    first, latest and last events, and where it was opened in the store;
``case_contacts``   the partners a request of the case went to (any round);
``case_deadlines``  the deadlines open on the case (:func:`~reciprocity.lifecycle.deadlines.case_deadlines`);
``case_facts``      each event of the case with only what reports count of it (:data:`REPORTED`):
                    a report reads these small rows rather than every referral and request.

Each row is what replaying the case's events through its scheme's process gives
(:func:`case_rows`): the replay stays the definition, and ``reciprocity store verify`` compares
the tables with it. So ``case list``, ``due`` and a report's choice of cases are indexed queries
rather than a replay of every case. A case whose events its scheme cannot replay (a scheme no
longer installed, a store changed by hand) is indexed with no state and no deadlines; reading
the case itself says what is wrong.

A deadline's review months are those in force when the wait began (the first circulation, or
the last extension of the areas), so a row does not depend on the day it is read.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import attrs
import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from reciprocity.errors import ReciprocityError
from reciprocity.lifecycle.case import CaseState, replay
from reciprocity.lifecycle.deadlines import DEFAULT_REVIEW_MONTHS, Deadline, case_deadlines
from reciprocity.store.reading import read_stream, read_streams
from reciprocity.store.streams import CASE_PREFIX

__all__ = [
    "CASES", "CASE_CONTACTS", "CASE_DEADLINES", "CASE_FACTS", "CASE_INDEX", "REPORTED", "CaseProjection", "CaseSummary", "active_cases",
    "case_events", "case_facts", "case_rows", "contacted_cases", "deadlines_until", "open_deadlines", "remember", "reported", "summaries",
]

_METADATA = sa.MetaData()

CASE_INDEX = sa.Table(
    "case_index",
    _METADATA,
    sa.Column("case_id", sa.String(255), primary_key=True),
    sa.Column("scheme_id", sa.String(255), nullable=True),
    sa.Column("opened", sa.BigInteger, nullable=False),  # the position of its first event
    sa.Column("state", sa.String(64), nullable=True),  # None: its events cannot be replayed
    sa.Column("arc", sa.String(32), nullable=True),
    sa.Column("nominator", sa.String(255), nullable=True),
    sa.Column("first_on", sa.Date, nullable=False),
    sa.Column("latest_on", sa.Date, nullable=False),
    sa.Column("last_on", sa.Date, nullable=False),  # the date of its last event
    sa.Column("events", sa.Integer, nullable=False),
    sa.Index("case_index_scheme_opened", "scheme_id", "opened"),
)

CASE_CONTACTS = sa.Table(
    "case_contacts",
    _METADATA,
    sa.Column("case_id", sa.String(255), primary_key=True),
    sa.Column("partner", sa.String(255), primary_key=True),
    sa.Column("scheme_id", sa.String(255), nullable=True),
    sa.Index("case_contacts_partner", "scheme_id", "partner"),
)

CASE_DEADLINES = sa.Table(
    "case_deadlines",
    _METADATA,
    sa.Column("case_id", sa.String(255), primary_key=True),
    sa.Column("kind", sa.String(64), primary_key=True),
    sa.Column("scheme_id", sa.String(255), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("arc", sa.String(32), nullable=True),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("citation", sa.Text, nullable=False),
    sa.Index("case_deadlines_due", "due_on"),
)


CASE_FACTS = sa.Table(
    "case_facts",
    _METADATA,
    sa.Column("case_id", sa.String(255), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("type", sa.String(255), nullable=False),
    sa.Column("on_date", sa.Date, nullable=False),
    sa.Column("facts", sa.Text, nullable=False),  # JSON: the payload pruned to REPORTED's paths
)

#: What a report (and KRS's referral counts) reads of each kind of case event: the payload keeps
#: only these paths. Everything else (the referral, the request partners received) stays in the
#: events, read only by the case itself.
REPORTED: dict[str, tuple[tuple[str, ...], ...]] = {
    "refer": (("referral", "nominating_partner", "id"),),
    "accept": (("arc",),),
    "circulate": (("recipients",),),
    "respond": (("actor",), ("partner",), ("can_help",)),
    "final_acceptance": (("actor",), ("partner",)),
    "make_offer": (("offer", "landlord", "id"), ("offer", "bedrooms"), ("offer", "tenancy_type")),
    "close": (("reason",),),
    "receive_feedback": (("source",), ("positive",)),
}


def reported(kind: str, payload: Any) -> dict[str, Any]:
    """``payload`` pruned to what reports read of a ``kind`` event (same shape, fewer keys)."""
    out: dict[str, Any] = {}
    for path in REPORTED.get(kind, ()):
        value: Any = payload
        for key in path:
            if not isinstance(value, dict) or key not in value:
                break
            value = value[key]
        else:
            into = out
            for key in path[:-1]:
                into = into.setdefault(key, {})
            into[path[-1]] = value
    return out


@attrs.frozen
class CaseSummary:
    """What the case index says of one case (no referral: nothing personal)."""

    case_id: str
    scheme_id: str | None
    #: Its state in the scheme's process; None when its events cannot be replayed.
    state: str | None
    arc: str | None
    nominator: str | None
    opened_on: date
    last_event_on: date
    contacted: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        """The row ``case list`` and ``GET /cases`` show."""
        return {"case": self.case_id, "scheme": self.scheme_id, "state": self.state, "arc": self.arc,
                "last_event": self.last_event_on.isoformat()}


_recent = threading.local()


def _fingerprint(events: Sequence[Any]) -> tuple[Any, ...]:
    """What a case's events are, compared exactly (payloads as stored: JSON)."""
    return tuple((e.event_id, e.type, e.on, e.role, json.dumps(e.payload, sort_keys=True, default=str))
                 for e in events)


def remember(case_id: str, events: Sequence[Any], state: CaseState) -> None:
    """Tell the projection the state a command computed for the case's events (``Event`` values,
    the one being appended last), so that the append need not replay the case again. Kept for
    this thread's next append only, and used only if the stream it finds is exactly these events."""
    _recent.case = (case_id, _fingerprint(events), state)


def _known_state(case_id: str, events: Sequence[Any]) -> CaseState | None:
    known = getattr(_recent, "case", None)
    if known is None or known[0] != case_id:
        return None
    _recent.case = None
    return known[2] if known[1] == _fingerprint([r.event for r in events]) else None


class CaseProjection:
    """Each case's state and open deadlines (see the module)."""

    name = "cases"
    version = 2
    tables = (CASE_INDEX, CASE_CONTACTS, CASE_DEADLINES, CASE_FACTS)

    def apply(self, connection: Connection, events: Sequence[Any]) -> None:
        streams = dict.fromkeys(r.event.stream_id for r in events if r.event.stream_id.startswith(CASE_PREFIX))
        for stream in streams:
            case_id = stream[len(CASE_PREFIX):]
            recorded = read_stream(connection, stream)
            index, contacts, deadlines = case_rows(case_id, recorded)
            for table in (CASE_DEADLINES, CASE_CONTACTS, CASE_INDEX):
                connection.execute(sa.delete(table).where(table.c.case_id == case_id))
            if index is None:
                continue
            connection.execute(sa.insert(CASE_INDEX), [index])
            # Facts are per event and never change: only the events not yet there are added.
            have = int(connection.execute(sa.select(sa.func.max(CASE_FACTS.c.seq))
                                          .where(CASE_FACTS.c.case_id == case_id)).scalar() or 0)
            facts = [{"case_id": case_id, "seq": r.seq, "type": r.event.type, "on_date": r.event.on,
                      "facts": json.dumps(reported(r.event.type, r.event.payload), sort_keys=True)}
                     for r in recorded if r.seq > have]
            if facts:
                connection.execute(sa.insert(CASE_FACTS), facts)
            if contacts:
                connection.execute(sa.insert(CASE_CONTACTS), contacts)
            if deadlines:
                connection.execute(sa.insert(CASE_DEADLINES), deadlines)


#: The projection the library maintains in every store it opens.
CASES = CaseProjection()


def _state(case_id: str, events: Sequence[Any]) -> CaseState | None:
    from reciprocity.casework.derive import process_for_events  # noqa: PLC0415

    first = events[0].event
    scheme_id = first.payload.get("scheme")
    if first.type != "refer" or not isinstance(scheme_id, str):
        return None
    try:
        return replay(process_for_events(scheme_id, events), case_id, events)
    except (ReciprocityError, ValidationError, KeyError, TypeError, ValueError):
        return None  # reading the case says what is wrong; the index cannot


def _months(scheme_id: str) -> Any:
    from reciprocity.casework.derive import scheme_param  # noqa: PLC0415

    return lambda began: int(scheme_param(scheme_id, began, "review_after_months", DEFAULT_REVIEW_MONTHS))


def open_deadlines(state: CaseState) -> list[Deadline]:
    """The deadlines open on the case, as its process declares them."""
    from reciprocity.casework.derive import case_process  # noqa: PLC0415

    process = case_process(state)
    return case_deadlines(state, process.deadlines, review_months=_months(state.scheme_id), final=process.final)


def case_rows(case_id: str, events: Sequence[Any]) -> tuple[dict[str, Any] | None, list[dict[str, Any]],
                                                          list[dict[str, Any]]]:
    """The rows the projection holds for a case with these recorded events (none without events)."""
    if not events:
        return None, [], []
    first = events[0].event
    scheme = first.payload.get("scheme")
    scheme_id = scheme if isinstance(scheme, str) else None
    state = _known_state(case_id, events) or _state(case_id, events)
    dates = [r.event.on for r in events]
    nominator = None
    if state is not None:
        nominator = state.nominator
    index = {"case_id": case_id, "scheme_id": scheme_id, "opened": events[0].position,
             "state": None if state is None else state.state, "arc": None if state is None else state.arc,
             "nominator": nominator, "first_on": min(dates), "latest_on": max(dates), "last_on": dates[-1],
             "events": len(events)}
    if state is None:
        return index, [], []
    contacts = [{"case_id": case_id, "partner": p, "scheme_id": scheme_id} for p in sorted(state.contacted)]
    try:
        deadlines = open_deadlines(state)
    except ReciprocityError:
        deadlines = []
    rows = [{"case_id": case_id, "kind": d.kind, "scheme_id": state.scheme_id, "due_on": d.due_on, "arc": d.arc,
             "what": d.what, "citation": d.citation} for d in deadlines]
    return index, contacts, rows


def summaries(connection: Connection, scheme_id: str | None = None, *, limit: int | None = None,
              after: str | None = None, nominator: str | None = None) -> list[CaseSummary]:
    """The cases (of ``scheme_id``, nominated by ``nominator``), in the order they were opened:
    at most ``limit`` of them, starting after the case ``after`` (a page; an unknown ``after``
    gives an empty page)."""
    query = sa.select(CASE_INDEX).order_by(CASE_INDEX.c.opened)
    if scheme_id is not None:
        query = query.where(CASE_INDEX.c.scheme_id == scheme_id)
    if nominator is not None:
        query = query.where(CASE_INDEX.c.nominator == nominator)
    if after is not None:
        opened = sa.select(CASE_INDEX.c.opened).where(CASE_INDEX.c.case_id == after).scalar_subquery()
        query = query.where(CASE_INDEX.c.opened > opened)
    if limit is not None:
        query = query.limit(limit)
    rows = list(connection.execute(query))
    contacted: dict[str, set[str]] = {}
    ids = [r.case_id for r in rows]
    for start in range(0, len(ids), 500):
        chunk = sa.select(CASE_CONTACTS.c.case_id, CASE_CONTACTS.c.partner).where(
            CASE_CONTACTS.c.case_id.in_(ids[start:start + 500]))
        for case_id, partner in connection.execute(chunk):
            contacted.setdefault(case_id, set()).add(partner)
    return [CaseSummary(r.case_id, r.scheme_id, r.state, r.arc, r.nominator, r.first_on, r.last_on,
                        frozenset(contacted.get(r.case_id, ()))) for r in rows]


def deadlines_until(connection: Connection, horizon: date) -> list[Deadline]:
    """Every open case deadline due on or before ``horizon`` (the overdue included)."""
    query = sa.select(CASE_DEADLINES).where(CASE_DEADLINES.c.due_on <= horizon)
    return [Deadline(r.due_on, r.kind, r.case_id, r.arc, r.what, r.citation) for r in connection.execute(query)]


def active_cases(connection: Connection, scheme_id: str, *, start: date | None, end: date) -> list[str]:
    """The case streams of ``scheme_id`` with an event dated between ``start`` and ``end`` or
    spanning them (first event on or before ``end``, latest on or after ``start``), in the order
    they were opened: the only cases a report of that period can count."""
    c = CASE_INDEX.c
    query = sa.select(c.case_id).where(c.scheme_id == scheme_id, c.first_on <= end).order_by(c.opened)
    if start is not None:
        query = query.where(c.latest_on >= start)
    return [CASE_PREFIX + case_id for case_id in connection.execute(query).scalars()]


def contacted_cases(connection: Connection, scheme_id: str, partner: str) -> list[str]:
    """The case streams of ``scheme_id`` whose requests went to ``partner``, in the order opened."""
    query = (sa.select(CASE_INDEX.c.case_id)
             .join(CASE_CONTACTS, CASE_CONTACTS.c.case_id == CASE_INDEX.c.case_id)
             .where(CASE_CONTACTS.c.scheme_id == scheme_id, CASE_CONTACTS.c.partner == partner)
             .order_by(CASE_INDEX.c.opened))
    return [CASE_PREFIX + case_id for case_id in connection.execute(query).scalars()]


def case_events(connection: Connection, streams: Sequence[str]) -> Iterator[tuple[str, list[Any]]]:
    """Each of ``streams`` with its events, in the order given (a few queries, not one per case)."""
    found = read_streams(connection, streams)
    for stream in streams:
        if found.get(stream):
            yield stream, found[stream]


def case_facts(connection: Connection, streams: Sequence[str]) -> Iterator[tuple[str, list[Any]]]:
    """Each of ``streams`` with its events as reports read them: ``Recorded`` values whose payload
    holds only what :data:`REPORTED` keeps (and no event id or role), in the order given."""
    from reciprocity.store.events import Event, Recorded  # noqa: PLC0415

    ids = [stream[len(CASE_PREFIX):] for stream in streams]
    found: dict[str, list[Any]] = {}
    for start in range(0, len(ids), 500):
        query = (sa.select(CASE_FACTS).where(CASE_FACTS.c.case_id.in_(ids[start:start + 500]))
                 .order_by(CASE_FACTS.c.case_id, CASE_FACTS.c.seq))
        for r in connection.execute(query):
            stream = CASE_PREFIX + r.case_id
            event = Event(f"{stream}#{r.seq}", stream, r.type, r.on_date, "", json.loads(r.facts))
            found.setdefault(r.case_id, []).append(Recorded(r.seq, 0, event))
    for case_id, stream in zip(ids, streams, strict=True):
        if found.get(case_id):
            yield stream, found[case_id]

