"""What the partnership's routes return (``/partners``, ``/ledger``, ``/arbitrations``,
``/reports``): the shapes of the library's JSON-ready views, for the OpenAPI document."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from reciprocity.ledger.entries import CorrectionCode

__all__ = [
    "ArbitrationView", "BalanceRowView", "CorrectionEntryView", "CorrectionView", "EffectView",
    "EntryOut", "LeadChangeView", "LedgerBalancesView", "MoveEntryView", "PartnerCountsView",
    "PartnerOut", "PartnerView", "ReferralCountView", "ReferralCountsView", "ReportActivity",
    "ReportBalance", "ReportCirculation", "ReportClosed", "ReportFeedback", "ReportHeading",
    "ReportMonth", "ReportMoves", "ReportOfferCount", "ReportOffers", "ReportPartners",
    "ReportReferralCount", "ReportReferrals", "ReportSummary", "ReportTiming",
    "ReportTimingSummary", "ReportView",
]


# --- what the routes return -----------------------------------------------------------------------

class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LeadChangeView(_Out):
    changed_on: date = Field(description="The day the change happened.")
    notified_on: date = Field(description="The day it was recorded (notified).")
    named: bool = Field(description="Whether a lead was named (false: the post fell vacant).")
    late: bool = Field(description="Notified later than the scheme allows (Kent RP MoU §6.1: seven days).")


class _PartnerRecordView(_Out):
    partner: str
    scheme: str
    name: str | None
    kind: str | None
    authority_area: str | None
    status: str = Field(description="The partner's standing on the date asked for.")
    on: date = Field(description="The date the standing is for.")
    joined_on: date | None
    notice_given_on: date | None
    withdrawal_takes_effect: date | None
    withdrawn_on: date | None
    removed_on: date | None
    removal_reason: str | None
    removal_arbitration: str | None
    data_sharing_protocol_signatory: bool | None
    stock_areas: list[str]
    named_lead: str | None
    lead_vacant_since: date | None
    lead_changes: list[LeadChangeView]


class PartnerView(_PartnerRecordView):
    """A partner's record on a date, with its ledger balance (a scheme that keeps debts)."""

    balance: int = Field(description="Homes owed to the partner minus homes it owes (negative: it owes the pool).")
    by_size: dict[str, int] = Field(default_factory=dict, description="The balance by bedrooms of home (given "
                                                                      "only where the scheme owes homes of equal "
                                                                      "size).")


class PartnerCountsView(_PartnerRecordView):
    """A partner's record on a date, with its referrals made and received (a scheme that keeps no debt)."""

    referrals_made: int
    referrals_received: int


PartnerOut = PartnerView | PartnerCountsView


class BalanceRowView(_Out):
    partner: str
    size: int | None = Field(description="Bedrooms of the homes counted (null where sizes are not kept).")
    owes: int
    owed: int
    balance: int


class LedgerBalancesView(_Out):
    """Every partner's balance on a date; the pool's totals are always zero."""

    scheme: str
    on: date
    ledger: Literal["properties", "properties_by_size"]
    clause: str
    balances: list[BalanceRowView]
    totals: dict[str, int] = Field(description="The pool's total ('all', or by size): always zero.")


class ReferralCountView(_Out):
    partner: str
    made: int
    received: int


class ReferralCountsView(_Out):
    """For a scheme that keeps no debt (KRS point 15): the referrals each council made and received."""

    scheme: str
    on: date
    ledger: Literal["referral_counts"]
    clause: str
    why: str
    counts: list[ReferralCountView]


class EffectView(_Out):
    partner: str
    size: int | None
    delta: int


class _EntryView(_Out):
    entry: str = Field(description="The entry's id (what a correction names).")
    seq: int
    on: date
    arc: str | None = Field(description="The case's Application Reference Code (never its id).")
    effects: list[EffectView]
    description: str
    reversed: bool = Field(False, description="Given (true) only when a correction has reversed the entry.")


class MoveEntryView(_EntryView):
    kind: Literal["move"]
    nominating: str
    accepting: str
    bedrooms: int | None
    basis: Literal["tenant", "non_tenant_agreement"]


class CorrectionEntryView(_EntryView):
    kind: Literal["correction"]
    reverses: str
    code: CorrectionCode


EntryOut = Annotated[MoveEntryView | CorrectionEntryView, Field(discriminator="kind")]


class CorrectionView(CorrectionEntryView):
    """The correction recorded (its note is kept, never shown), and the balances it changed."""

    balances_after: dict[str, int] = Field(description="Each partner the correction changed: its balance now.")


class ArbitrationView(_Out):
    """An arbitration (Kent RP MoU §4.7): the case's ARC, never its id."""

    arbitration: str
    scheme: str
    requested_on: date
    arc: str | None
    declining: str
    nominating: str
    candidates: list[str] = Field(description="The signatory members on the day, the parties left out.")
    seed: str = Field(description="With the candidates, redraws the panel: "
                                  "reciprocity.casework.arbitration.draw_panel(candidates, seed).")
    panel: list[str]
    finding: Literal["refusal_justified", "refusal_not_justified"] | None
    decided_on: date | None
    breach: bool


# The report, as `reciprocity report --format json` prints it (reciprocity.reports.report_dict).

class ReportHeading(_Out):
    scheme: str
    period: str
    start: date
    end: date
    ledger: str | None


class ReportPartners(_Out):
    members_at_end: int
    joined: int
    left: int


class ReportReferrals(_Out):
    made: int


class ReportCirculation(_Out):
    rounds: int
    cases: int


class ReportOffers(_Out):
    made: int
    accepted: int
    refused: int


class ReportOfferCount(_Out):
    offers: int


class ReportMoves(_Out):
    successful: int


class ReportClosed(_Out):
    cases: int


class ReportFeedback(_Out):
    received: int
    positive: int
    negative: int
    not_stated: int


class ReportTiming(_Out):
    referred_on: date | None
    first_circulated_on: date | None
    days_to_circulation: int | None
    moved_on: date | None
    days_to_move: int | None


class ReportSummary(_Out):
    cases: int
    mean_days: float | None
    median_days: float | None


class ReportTimingSummary(_Out):
    to_circulation: ReportSummary
    to_move: ReportSummary


class ReportActivity(_Out):
    nominations: int
    requests_received: int
    responses: int
    could_help: int
    offers_made: int
    moves_in: int
    moves_out: int
    balance: int | None


class ReportBalance(_Out):
    partner: str
    bedrooms: int | None
    owes: int
    owed: int
    net: int


class ReportReferralCount(_Out):
    made: int
    received: int


class ReportMonth(_Out):
    start: date
    end: date
    moves: int


class ReportView(_Out):
    """A scheme's performance over a period (docs/reports.md); cases by ARC, partners by id."""

    report: ReportHeading
    partners: ReportPartners
    referrals: ReportReferrals
    circulation: ReportCirculation
    offers: ReportOffers
    offered_bedrooms: dict[str, ReportOfferCount]
    offered_tenancies: dict[str, ReportOfferCount]
    moves: ReportMoves
    closed: dict[str, ReportClosed]
    feedback: dict[str, ReportFeedback]
    timing: dict[str, ReportTiming] = Field(description="Each case by its ARC.")
    timing_summary: ReportTimingSummary
    activity: dict[str, ReportActivity]
    balances: dict[str, ReportBalance]
    referral_counts: dict[str, ReportReferralCount]
    months: dict[str, ReportMonth]
    monthly_net_balance: dict[str, dict[str, int]] = Field(description="Partner -> month -> net balance.")
