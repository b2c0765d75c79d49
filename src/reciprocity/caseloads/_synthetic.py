"""Synthetic caseloads: referrals drawn from a scheme's rules with a seed, the same every time.

The referrals are built by the same machinery as :func:`reciprocity.testing.eligible_referrals`
and :func:`reciprocity.testing.referrals_failing`: each rule gets a target (hold, or fail),
a plan of tests on facts that reaches every target is chosen, and the referral is assembled
fact by fact from the values the plan allows. Where those strategies make each choice with
hypothesis (so that examples shrink, and differ from run to run), a synthetic caseload makes
it with a :class:`random.Random` seeded from the scheme id, the seed and the row number: the
same arguments give the same caseload in every process (and row ``i`` depends on nothing
drawn for another row). Hypothesis' database plays no part.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

from reciprocity.caseloads._caseload import (
    Caseload,
    CaseloadRow,
    MissingExtraError,
    garbage_collector_paused,
)
from reciprocity.errors import NoRulesInForceError, ReciprocityError
from reciprocity.model import Household, Member, Referral, Relationship, Sex

__all__ = ["DEFAULT_ELIGIBLE", "synthetic"]

#: The share of a synthetic caseload that is eligible by default; the rest fail one rule each.
DEFAULT_ELIGIBLE = 0.6
#: Attempts at one row (a new referral date and plan each time) before giving up.
_ATTEMPTS = 200


class SyntheticCaseloadError(ReciprocityError, ValueError):
    """A synthetic caseload that cannot be drawn (its rules contradict each other in the period)."""


def _testing() -> Any:
    try:
        from reciprocity.testing import _builder, _lists, _plans, _search, _strategies  # noqa: PLC0415
    except ImportError as error:
        if (error.name or "").split(".")[0] != "hypothesis":
            raise
        raise MissingExtraError("a synthetic caseload is drawn by reciprocity.testing, which needs hypothesis, "
                                "which is not installed: pip install hypothesis (or 'reciprocity[test]')") from None
    return _builder, _lists, _plans, _search, _strategies


def _household(rng: random.Random) -> Household | None:
    """A household drawn with ``rng``, or none (half the time), as the strategies draw one freely:
    the applicant, perhaps a partner, and up to six others (ages in plausible bands)."""
    if rng.random() < 0.5:
        return None

    def member(relationship: Relationship, low: int, high: int) -> Member:
        return Member(relationship=relationship, age=rng.randint(low, high), sex=rng.choice((None, *Sex)))

    people = [member(Relationship.APPLICANT, 16, 85)]
    if rng.random() < 0.4:
        people.append(member(Relationship.PARTNER, 16, 85))
    bands = {Relationship.CHILD: (0, 17), Relationship.OTHER_RELATIVE: (0, 90), Relationship.CARER: (18, 70),
             Relationship.OTHER: (0, 90)}
    others = rng.choices(list(bands), weights=(8, 1, 1, 1), k=rng.randint(0, 6))
    people += [member(relationship, *bands[relationship]) for relationship in others]
    rng.shuffle(people)
    return Household(members=tuple(people))


def _window(strategies: Any, scheme: Any, rule_id: str | None, low: date, high: date) -> tuple[date, date] | None:
    start, end = strategies._period(scheme, rule_id)
    start, end = max(start, low), min(end, high)
    return (start, end) if start <= end else None


class _Drawer:
    """Draws the rows of one scheme's synthetic caseload."""

    def __init__(self, scheme: Any, low: date, high: date) -> None:
        self.builder, lists, self.plans, self.search, self.strategies = _testing()
        self.dead_ends = (self.plans._Impossible, lists._Contradiction)
        self.scheme, self.low, self.high = scheme, low, high
        from hypothesis.errors import InvalidArgument  # noqa: PLC0415

        self.invalid = InvalidArgument
        self.why: dict[str | None, str] = {}

    def chooser(self, rng: random.Random) -> Any:
        sampling = self.plans._Sampling
        household = self.strategies._maybe_household()

        class Seeded(sampling):  # type: ignore[misc, valid-type]
            """The builder's seeded choices, with a household drawn where the strategies draw one freely."""

            def free(self, strategy: Any, fallback: Any) -> Any:
                return _household(self._rng) if strategy is household else fallback

        return Seeded(rng.getrandbits(64))

    def can_fail(self, rule_id: str) -> bool:
        """Whether ``rule_id`` can fail while every other rule holds on some day of the period
        (tried on its first, middle and last day)."""
        window = _window(self.strategies, self.scheme, rule_id, self.low, self.high)
        if window is None:
            return False
        start, end = window
        for day in (start, start + (end - start) / 2, end):
            try:
                ruleset = self.scheme.ruleset(day)
                if rule_id in {r.id for r in ruleset.rules} and self.search._plans(ruleset, rule_id, day):
                    return True
            except (NoRulesInForceError, self.invalid):
                continue
        return False

    def draw(self, target: str | None, rng: random.Random) -> Referral:
        window = _window(self.strategies, self.scheme, target, self.low, self.high)
        if window is not None:
            start, end = window
            for _ in range(_ATTEMPTS):
                day = start + timedelta(days=rng.randint(0, (end - start).days))
                try:
                    ruleset = self.scheme.ruleset(day)
                except NoRulesInForceError:
                    continue
                if target is not None and target not in {r.id for r in ruleset.rules}:
                    continue
                try:
                    plans = self.search._plans(ruleset, target, day)
                except self.invalid as error:
                    self.why[target] = str(error)
                    continue
                plan = plans[rng.randrange(len(plans))]
                ctx = self.builder._Context(scheme=self.scheme, day=day, universe=self.builder._universe(self.scheme),
                                            ruleset=ruleset)
                try:
                    return self.builder._build(self.chooser(rng), plan, ctx)
                except self.dead_ends:
                    continue
        what = "an eligible referral" if target is None else f"a referral failing rule {target} alone"
        raise SyntheticCaseloadError(self.why.get(target) or f"no {what} could be drawn under scheme "
                                     f"{self.scheme.id} with referral dates {self.low} to {self.high}")


def synthetic(
    scheme_id: str,
    n: int,
    *,
    seed: int,
    eligible: float = DEFAULT_ELIGIBLE,
    referred: tuple[date, date] | None = None,
) -> Caseload:
    """A synthetic caseload of ``n`` referrals to ``scheme_id``, the same for the same arguments.

    ``round(n * eligible)`` of the referrals (60% by default) are ELIGIBLE, as
    :func:`reciprocity.testing.eligible_referrals` draws them; each of the rest fails exactly
    one rule while every other rule holds, as :func:`reciprocity.testing.referrals_failing`
    draws them (so it is INELIGIBLE, or NEEDS_INFORMATION for a rule whose failure calls for
    review). The failing rows go round the scheme's rules in turn (each rule that can fail
    alone in the period), and the eligible and failing rows are shuffled together. Facts no
    rule reads vary freely, known or missing, as in the strategies; a household, which no
    rule of the strategies' builder reads, is drawn half the time (ages in plausible bands).

    ``referred`` bounds the referral dates (by default 2020-01-01 to 2035-12-31, the
    strategies' period; a rule's own dates narrow it). ``seed`` is any whole number: the
    same ``scheme_id``, ``n``, ``seed``, ``eligible`` and ``referred`` give the same
    referrals, in every process, with this version of the library and of the scheme (a
    changed rule changes what is drawn). Row ``i`` is drawn with its own
    :class:`random.Random`, seeded from the scheme id, ``seed`` and ``i``.

    Needs hypothesis (the strategies' builder is part of :mod:`reciprocity.testing`):
    :class:`MissingExtraError` says so. Drawing takes about a millisecond a referral.
    """
    if not isinstance(n, int) or isinstance(n, bool) or not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError("n and seed must be whole numbers")
    if n < 0:
        raise ValueError("n must be 0 or more")
    if not 0.0 <= eligible <= 1.0:
        raise ValueError("eligible must be a share from 0.0 to 1.0")
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    scheme = get_scheme(scheme_id)
    plans = _testing()[2]
    low, high = referred if referred is not None else (plans.EARLIEST, plans.LATEST)
    if low > high:
        raise ValueError("referred must run from an earlier date to a later one")
    drawer = _Drawer(scheme, low, high)
    count = math.floor(n * eligible + 0.5)
    failing = n - count
    rules = list(dict.fromkeys(r.id for r in scheme.rules))
    failable = [rule for rule in rules if drawer.can_fail(rule)] if failing else []
    if failing and not failable:
        raise SyntheticCaseloadError(f"no rule of scheme {scheme.id} can fail alone with referral dates "
                                     f"{low} to {high}; ask for eligible=1.0")
    targets: list[str | None] = [None] * count + [failable[i % len(failable)] for i in range(failing)]
    random.Random(f"{scheme.id}/{seed}/order").shuffle(targets)
    with garbage_collector_paused():
        rows = [CaseloadRow(i + 1, drawer.draw(target, random.Random(f"{scheme.id}/{seed}/{i}")))
                for i, target in enumerate(targets)]
    return Caseload(rows, name=f"synthetic {scheme.id} caseload, seed {seed}")
