"""The figures of a scheme performance report, as frozen values (see docs/reports.md).

Every count is of events dated within the report's period; balances and membership are as
they stand on the period's last day. Cases appear only under their Application Reference
Code, partners under their ids: a report holds no personal data.
"""

from __future__ import annotations

from datetime import date

import attrs

from reciprocity.reports.period import Period

__all__ = [
    "BalanceRow", "CaseTiming", "FeedbackRow", "MonthRow", "PartnerActivity", "PartnerCounts",
    "ReferralCountRow", "Report", "Summary",
]


@attrs.frozen
class PartnerCounts:
    """Partners signed up: members on the period's last day, and who joined or left within it."""

    members_at_end: int
    joined: int
    left: int


@attrs.frozen
class FeedbackRow:
    """Feedback received in the period from one kind of source (never a name)."""

    source: str
    received: int
    positive: int
    negative: int
    not_stated: int


@attrs.frozen
class CaseTiming:
    """One case's days from referral to first circulation and to sign-up (the move).

    A measure is given only when its end event (the case's first circulation, its move) falls
    within the period; otherwise it is None.
    """

    arc: str | None
    referred_on: date
    first_circulated_on: date | None
    days_to_circulation: int | None
    moved_on: date | None
    days_to_move: int | None


@attrs.frozen
class Summary:
    """How many cases a timing measure covers, their mean (to one decimal) and median days."""

    cases: int
    mean_days: float | None
    median_days: float | None


@attrs.frozen
class PartnerActivity:
    """What one partner did in the period, and its ledger balance on the period's last day."""

    partner: str
    nominations: int
    requests_received: int
    responses: int
    could_help: int
    offers_made: int
    moves_in: int
    moves_out: int
    #: Homes owed to the partner minus homes it owes (None where the scheme keeps no balances).
    balance: int | None


@attrs.frozen
class BalanceRow:
    """A partner's owed and awarded homes on the period's last day (``bedrooms`` where sized)."""

    partner: str
    bedrooms: int | None
    owes: int
    owed: int
    net: int


@attrs.frozen
class ReferralCountRow:
    """Referrals a council made and received in the period (KRS point 15)."""

    partner: str
    made: int
    received: int


@attrs.frozen
class MonthRow:
    """One calendar month of the period (cut to it): moves, and each partner's net balance at its end."""

    month: str
    start: date
    end: date
    moves: int
    net_balances: tuple[tuple[str, int], ...]


@attrs.frozen
class Report:
    """A scheme's performance over a period, computed from the event store alone."""

    scheme_id: str
    period: Period
    #: The scheme's ledger kind (``properties``, ``properties_by_size``, ``referral_counts``) or None.
    ledger: str | None
    partners: PartnerCounts
    referrals: int
    rounds_circulated: int
    cases_circulated: int
    offers_made: int
    offers_accepted: int
    offers_refused: int
    #: Offers made by bedrooms of the home, and by the tenancy offered: ``(kind, count)`` sorted.
    offered_bedrooms: tuple[tuple[int, int], ...]
    offered_tenancies: tuple[tuple[str, int], ...]
    moves: int
    #: Cases closed in the period by reason (``declined`` for a refused referral).
    closed: tuple[tuple[str, int], ...]
    feedback: tuple[FeedbackRow, ...]
    timings: tuple[CaseTiming, ...]
    to_circulation: Summary
    to_move: Summary
    activity: tuple[PartnerActivity, ...]
    balances: tuple[BalanceRow, ...]
    referral_counts: tuple[ReferralCountRow, ...]
    months: tuple[MonthRow, ...]
