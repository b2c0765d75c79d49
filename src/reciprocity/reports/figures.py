"""Computing a scheme's performance report from the event store alone (see docs/reports.md).

:func:`build_report` reads the scheme's case streams, its partners' membership streams and
its ledger; it never reads the clock, and counts each event by the date it is recorded on.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from reciprocity.model import MembershipStatus
from reciprocity.reports.period import Period
from reciprocity.reports.values import (
    BalanceRow,
    CaseTiming,
    FeedbackRow,
    MonthRow,
    PartnerActivity,
    PartnerCounts,
    ReferralCountRow,
    Report,
    Summary,
)

__all__ = ["build_report"]

_MEMBER = (MembershipStatus.ACTIVE, MembershipStatus.NOTICE_GIVEN)


class _Tally:
    """Counts of the events dated within the period, overall and per partner."""

    def __init__(self, period: Period) -> None:
        self.period = period
        self.events: Counter[str] = Counter()
        self.partner: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.circulated: set[str] = set()
        self.bedrooms: Counter[int] = Counter()
        self.tenancies: Counter[str] = Counter()
        self.closed: Counter[str] = Counter()
        self.feedback: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self.moved_on: list[date] = []
        self.timings: list[CaseTiming] = []

    def case(self, stream: str, events: Sequence[Any]) -> None:
        """Count one case's events within the period, and its timing if it falls there; nothing
        dated after the period's end is read, so later events never change a past period's figures."""
        referral = events[0].event.payload["referral"]
        nominator: str = referral["nominating_partner"]["id"]
        referred_on: date = events[0].event.on
        arc: str | None = None
        landlord: str | None = None
        first_circulated: date | None = None
        moved: date | None = None
        for recorded in events:
            event = recorded.event
            if event.on > self.period.end:
                break  # a case's events are in date order; the report is as of the period's end
            payload = event.payload
            if event.type == "accept":
                arc = arc or payload["arc"]
            elif event.type == "circulate":
                first_circulated = first_circulated or event.on
            elif event.type == "make_offer":
                landlord = payload["offer"]["landlord"]["id"]
            elif event.type == "move":
                moved = event.on
            if event.on in self.period:
                self._count(stream, event.type, event.on, payload, nominator, landlord)
        self._time(arc, referred_on, first_circulated, moved)

    def _count(self, stream: str, kind: str, on: date, payload: Any, nominator: str, landlord: str | None) -> None:
        self.events[kind] += 1
        if kind == "refer":
            self.partner[nominator]["nominations"] += 1
        elif kind == "circulate":
            self.circulated.add(stream)
            for recipient in payload["recipients"]:
                self.partner[recipient]["requests_received"] += 1
        elif kind == "respond":
            who = payload.get("actor") or payload["partner"]  # the answering partner is the actor
            self.partner[who]["responses"] += 1
            self.partner[who]["could_help"] += bool(payload["can_help"])
        elif kind == "make_offer":
            offer = payload["offer"]
            self.bedrooms[offer["bedrooms"]] += 1
            self.tenancies[offer["tenancy_type"]] += 1
            self.partner[offer["landlord"]["id"]]["offers_made"] += 1
        elif kind == "move":
            self.moved_on.append(on)
            self.partner[nominator]["moves_out"] += 1
            if landlord is not None:
                self.partner[landlord]["moves_in"] += 1
        elif kind in ("close", "decline"):
            self.closed[payload["reason"] if kind == "close" else "declined"] += 1
        elif kind == "receive_feedback":
            verdict = {True: "positive", False: "negative", None: "not_stated"}[payload.get("positive")]
            self.feedback[payload["source"]][verdict] += 1

    def _time(self, arc: str | None, referred_on: date, circulated: date | None, moved: date | None) -> None:
        to_circulation = (circulated - referred_on).days if circulated in self.period else None
        to_move = (moved - referred_on).days if moved in self.period else None
        if to_circulation is not None or to_move is not None:
            self.timings.append(CaseTiming(arc, referred_on, circulated, to_circulation, moved, to_move))


def _summary(days: Iterable[int | None]) -> Summary:
    values = [d for d in days if d is not None]
    if not values:
        return Summary(0, None, None)
    return Summary(len(values), round(float(statistics.mean(values)), 1), float(statistics.median(values)))


def _partner_counts(records: Sequence[Any], period: Period) -> PartnerCounts:
    members = sum(r.status_on(period.end) in _MEMBER for r in records)
    joined = sum(r.membership.joined_on in period for r in records)
    left = sum((r.membership.withdrawn_on in period) or (r.membership.removed_on in period) for r in records)
    return PartnerCounts(members, joined, left)


def _activity(tally: _Tally, partners: Iterable[str], balance_of: Any) -> tuple[PartnerActivity, ...]:
    rows = []
    for pid in sorted(set(partners) | set(tally.partner)):
        c = tally.partner[pid]
        rows.append(PartnerActivity(pid, c["nominations"], c["requests_received"], c["responses"], c["could_help"],
                                    c["offers_made"], c["moves_in"], c["moves_out"], balance_of(pid)))
    return tuple(rows)


def build_report(store: Any, scheme_id: str, period: Period) -> Report:
    """The scheme's performance over ``period``, from ``store`` (a ``reciprocity.store.EventStore``).

    Raises UnknownSchemeError for a scheme no plugin provides.
    """
    from reciprocity.casework.projection import CASES  # noqa: PLC0415
    from reciprocity.ledger.projection import LEDGER  # noqa: PLC0415
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    policy = get_scheme(scheme_id).partnership
    store.maintain(CASES, LEDGER)  # the case index and the ledger's balances, kept with the events
    with store.snapshot() as snapshot:  # every figure of one moment, however many write meanwhile
        return _report(snapshot, scheme_id, policy, period)


def _report(snapshot: Any, scheme_id: str, policy: Any, period: Period) -> Report:
    from reciprocity.casework.projection import active_cases, case_facts  # noqa: PLC0415
    from reciprocity.ledger.service import Ledger  # noqa: PLC0415
    from reciprocity.partnership.policy import LedgerKind  # noqa: PLC0415
    from reciprocity.partnership.service import Partners  # noqa: PLC0415

    store = snapshot
    tally = _Tally(period)
    # Only cases with an event within (or spanning) the period can count in it.
    cases = list(case_facts(snapshot.connection, active_cases(snapshot.connection, scheme_id,
                                                                start=period.start, end=period.end)))
    for stream, events in cases:
        tally.case(stream, events)
    records = Partners(store).all(scheme_id) if policy is not None else []
    months = list(period.months())
    balances: tuple[BalanceRow, ...] = ()
    counts: tuple[ReferralCountRow, ...] = ()
    nets: list[tuple[tuple[str, int], ...]] = [() for _ in months]
    balance_of: Any = lambda _pid: None  # noqa: E731
    known = {r.id for r in records}
    if policy is not None and policy.ledger is LedgerKind.REFERRAL_COUNTS:
        made_received = Ledger(store).counts(scheme_id, start=period.start, end=period.end, cases=cases)
        ids = sorted(set(made_received.made) | set(made_received.received))
        counts = tuple(ReferralCountRow(p, made_received.made[p], made_received.received[p]) for p in ids)
        known |= set(ids)
    elif policy is not None:
        ledger = Ledger(store)
        at_end = ledger.balances(scheme_id, on=period.end)
        balances = tuple(BalanceRow(b.partner, b.size, b.owes, b.owed, b.net) for b in at_end.rows)
        balance_of = at_end.of
        known |= set(at_end.partners)
        month_ends = [ledger.balances(scheme_id, on=m.end) for m in months]  # one indexed sum per month
        nets = [tuple((p, b.of(p)) for p in at_end.partners) for b in month_ends]
    return Report(
        scheme_id=scheme_id, period=period, ledger=None if policy is None else policy.ledger.value,
        partners=_partner_counts(records, period),
        referrals=tally.events["refer"],
        rounds_circulated=tally.events["circulate"], cases_circulated=len(tally.circulated),
        offers_made=tally.events["make_offer"], offers_accepted=tally.events["accept_offer"],
        offers_refused=tally.events["refuse_offer"],
        offered_bedrooms=tuple(sorted(tally.bedrooms.items())),
        offered_tenancies=tuple(sorted(tally.tenancies.items())),
        moves=tally.events["move"],
        closed=tuple(sorted(tally.closed.items())),
        feedback=tuple(FeedbackRow(source, sum(c.values()), c["positive"], c["negative"], c["not_stated"])
                       for source, c in sorted(tally.feedback.items())),
        timings=tuple(sorted(tally.timings, key=lambda t: (t.referred_on, t.arc or ""))),
        to_circulation=_summary(t.days_to_circulation for t in tally.timings),
        to_move=_summary(t.days_to_move for t in tally.timings),
        activity=_activity(tally, known, balance_of),
        balances=balances,
        referral_counts=counts,
        months=tuple(MonthRow(m.label, m.start, m.end, sum(d in m for d in tally.moved_on), net)
                     for m, net in zip(months, nets, strict=True)),
    )
