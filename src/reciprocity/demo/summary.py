"""What a demonstration year did, read back from the store through the public services."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from reciprocity.lifecycle.process import Process

__all__ = ["Summary", "summarise"]


def _frozen(value: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(value.items()))


@attrs.frozen
class Summary:
    """The figures of one simulated year (equal for equal seeds on empty stores)."""

    scheme_id: str
    year: int
    seed: int
    #: Partner ids in the order they joined, and those whose withdrawal took effect in the year.
    partners: tuple[str, ...]
    withdrawn: tuple[str, ...]
    case_ids: tuple[str, ...]
    #: Referrals sent again, complete, after a check found a fact missing.
    resubmitted: int
    #: Outcomes of the eligibility checks (one per case).
    checks: tuple[tuple[str, int], ...]
    #: Where the cases stand at the end of the year (state -> cases).
    states: tuple[tuple[str, int], ...]
    circulations: int
    responses: int
    could_help: int
    offers: int
    offers_refused: int
    offers_accepted: int
    moves: int
    median_days_to_move: float | None
    closed: tuple[tuple[str, int], ...]
    feedback: int
    arbitrations: int
    #: A scheme whose ledger keeps debts: each partner's net balance in the pool at the year's
    #: end (negative: owes homes); one that counts referrals: those each partner made and
    #: received (final acceptances).
    balances: tuple[tuple[str, int], ...]
    pool_total: int | None
    referrals_made: tuple[tuple[str, int], ...]
    referrals_received: tuple[tuple[str, int], ...]
    #: Partnership events worth telling, with their dates.
    notes: tuple[tuple[date, str], ...]
    #: Cases neither moved nor ended by the process (in one of its final states) at the year's end.
    open_at_end: int = 0
    #: Whether the scheme takes feedback after a move or has arbitration (the report says how much).
    follows_up: bool = False
    #: The clauses of the scheme's ledger (cited with the referral counts).
    ledger_citation: str = ""

    @property
    def cases(self) -> int:
        return len(self.case_ids)

    def lines(self) -> list[str]:
        """What happened, in a few sentences."""
        checks = dict(self.checks)
        closed = dict(self.closed)
        reasons = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(closed.items())) or "none"
        out = [
            f"Simulated {self.year} of {self.scheme_id} (seed {self.seed}) with invented partners and households.",
            f"Partners: {len(self.partners)} joined; {len(self.withdrawn)} withdrew "
            f"({', '.join(self.withdrawn) or 'none'}).",
            f"Cases: {self.cases} referrals ({self.resubmitted} sent again with a missing fact supplied); "
            f"checks found {checks.get('eligible', 0)} eligible, {checks.get('ineligible', 0)} ineligible, "
            f"{checks.get('needs_information', 0)} needing information.",
            f"Circulation: {self.circulations} requests sent, {self.responses} answers, "
            f"{self.could_help} could help.",
            f"Offers: {self.offers} made, {self.offers_refused} refused after the viewing, "
            f"{self.offers_accepted} accepted; {self.moves} households moved"
            + (f" (median {self.median_days_to_move:g} days from referral)." if self.median_days_to_move else "."),
            f"Closed without a move: {sum(closed.values())} "
            f"({reasons}); "
            f"{self.open_at_end} still open at the year's end.",
        ]
        if self.follows_up:
            out.append(f"Feedback received: {self.feedback}; arbitrations: {self.arbitrations}.")
        if self.pool_total is not None:
            owing = [f"{p} {n:+d}" for p, n in self.balances if n]
            out.append(f"Ledger at the year's end (pool total {self.pool_total}): {', '.join(owing) or 'all even'}.")
        else:
            out.append(f"Referrals made: {sum(n for _, n in self.referrals_made)}; final acceptances: "
                       f"{sum(n for _, n in self.referrals_received)} ({self.ledger_citation}).")
        out.extend(f"  {on.isoformat()}  {text}" for on, text in self.notes)
        return out


def summarise(cases: Any, partners: Any, *, scheme_id: str, process: Process, year: int, seed: int,
              notes: tuple[tuple[date, str], ...], tally: Mapping[str, int]) -> Summary:
    """The year's figures from the store (``cases``: a Cases service, ``partners``: Partners;
    ``process``: the scheme's process at the year's end)."""
    from reciprocity.ledger.service import Ledger  # noqa: PLC0415
    from reciprocity.partnership.policy import partnership_of  # noqa: PLC0415

    start, end = date(year, 1, 1), date(year, 12, 31)
    states = cases.all(scheme_id)
    records = partners.all(scheme_id)
    withdrawn = tuple(r.id for r in records
                      if r.membership.withdrawn_on is not None and start <= r.membership.withdrawn_on <= end)
    events = Counter(h.event for s in states for h in s.history)
    waits = [(s.moved_on - s.referred_on).days for s in states if s.moved_on and s.referred_on]
    ledger = Ledger(cases.store)
    balances: tuple[tuple[str, int], ...] = ()
    pool_total = None
    made: Mapping[str, int] = {}
    received: Mapping[str, int] = {}
    policy = partnership_of(scheme_id)
    if policy.keeps_debts:
        book = ledger.balances(scheme_id, on=end)
        balances = tuple((p, book.of(p)) for p in book.partners)
        pool_total = book.total()
    else:
        counts = ledger.counts(scheme_id, start=start, end=end)
        made, received = counts.made, counts.received
    return Summary(
        scheme_id=scheme_id, year=year, seed=seed,
        partners=tuple(r.id for r in records), withdrawn=withdrawn,
        case_ids=tuple(s.case_id for s in states),
        resubmitted=sum(1 for s in states if s.referral is not None and str(s.referral.id).endswith("-R")),
        checks=_frozen(Counter(s.eligibility for s in states if s.eligibility)),
        states=_frozen(Counter(s.state for s in states)),
        circulations=sum(len(s.rounds) for s in states),
        responses=sum(len(s.responses) for s in states),
        could_help=sum(1 for s in states for _, can, _ in s.responses if can),
        offers=sum(len(s.offers) for s in states),
        offers_refused=events["refuse_offer"], offers_accepted=events["accept_offer"],
        moves=len(waits), median_days_to_move=statistics.median(waits) if waits else None,
        closed=_frozen(Counter(s.closed_reason for s in states if s.state == "closed" and s.closed_reason)),
        feedback=sum(len(s.feedback) for s in states),
        arbitrations=int(tally.get("arbitrations", 0)),
        balances=balances, pool_total=pool_total,
        referrals_made=_frozen(made), referrals_received=_frozen(received),
        notes=notes,
        open_at_end=sum(1 for s in states if s.state not in process.final and s.moved_on is None),
        follows_up=bool(policy.arbitration) or "receive_feedback" in process.events,
        ledger_citation=policy.cite("ledger"),
    )
