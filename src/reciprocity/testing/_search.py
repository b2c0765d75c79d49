"""Finding the plans a rule set can be built to, and why there is none (see _strategies).

A plan is one way of reaching each rule's target, so a rule set has as many candidate plans
as the product of its rules' ways (at most ``_MAX_PLANS`` are tried). Each is realisable or
not, and only trying to build a referral tells for sure, which is slow when a plan is not:
sixty attempts. So a candidate is first read (:func:`static_contradiction`): a fact whose
own tests no value passes, a list that must hold more than it can. Such a plan, and a plan
whose build hits a contradiction (:class:`_Contradiction`, such as a scheme's count of
areas that no number of areas satisfies), is dropped at once, and its conflicting tests are
remembered: every later candidate holding them all is dropped unread.

A build can also dead-end by chance. Those attempts are budgeted: once
``_BUDGET`` attempts have failed in one search, each further plan gets
``_FEW_TRIALS``, and after ``_GIVE_UP`` the search stops with the plans found so far (a
realisable plan is nearly always built on the first or second attempt). So a rule set no
referral satisfies is reported within seconds, by an error naming the fact and the rules.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from hypothesis.errors import InvalidArgument

from reciprocity.model import (
    Assessor,
    HarmType,
    HomelessnessDuty,
    MembershipStatus,
    PartnerKind,
    SubjectRole,
    TenancyType,
    Tenure,
)
from reciprocity.rules import RuleSet
from reciprocity.testing._builder import _build, _Context, _universe
from reciprocity.testing._lists import (
    LIST_FACTS,
    _Contradiction,
    _fewest,
    _ListNeeds,
    disjoint_conflict,
    list_pool,
)
from reciprocity.testing._plans import (
    _BOOLS,
    _FLAG_FIELDS,
    _MAX_PLANS,
    _TRIALS,
    PARTNER_IDS,
    _fails,
    _holds,
    _Impossible,
    _known,
    _Plan,
    _Sampling,
    _Test,
)

#: Failed attempts, over one search, after which each plan gets only ``_FEW_TRIALS``.
_BUDGET = 10 * _TRIALS
_FEW_TRIALS = 3
#: Failed attempts after which the search stops with the plans it has found.
_GIVE_UP = 40 * _TRIALS

_lock = threading.Lock()
#: The plans found for each rule set and target, or why there are none.
_plan_cache: dict[tuple[Any, ...], tuple[RuleSet, tuple[_Plan, ...] | str]] = {}


def _plans(ruleset: RuleSet, failing: str | None, day: date) -> tuple[_Plan, ...]:
    """The realisable plans for every rule holding except ``failing``, which must fail."""
    key = (
        ruleset.scheme.id,
        tuple(id(rule) for rule in ruleset.rules),
        tuple((name, id(value)) for name, value in sorted(ruleset.params.items())),
        failing,
    )
    with _lock:
        cached = _plan_cache.get(key)
    if cached is None:
        try:
            result: tuple[_Plan, ...] | str = _Search(ruleset, failing, day).run()
        except InvalidArgument as error:
            result = str(error)
        with _lock:
            cached = _plan_cache[key] = (ruleset, result)
    if isinstance(cached[1], str):
        raise InvalidArgument(cached[1])
    return cached[1]


class _Search:
    """One search for the realisable plans of a rule set and target."""

    def __init__(self, ruleset: RuleSet, failing: str | None, day: date) -> None:
        self.ruleset = ruleset
        self.failing = failing
        self.ctx = _Context(
            scheme=ruleset.scheme, day=day, universe=_universe(ruleset.scheme), ruleset=ruleset
        )
        self.origins: dict[_Test, set[str]] = {}  # the rules each test comes from
        self.nogoods: list[_Contradiction] = []
        self.memo: dict[Any, _Contradiction | None] = {}
        self.pruned: Counter[_Contradiction] = Counter()  # candidates each nogood dropped
        self.failed = 0  # attempts that dead-ended
        self.unbuilt = 0  # candidates no attempt built
        self.dead_ends: Counter[str] = Counter()  # where the attempts dead-ended
        self.readers: dict[str, set[str]] = {}  # the rules whose tests read each such fact

    def run(self) -> tuple[_Plan, ...]:
        per_rule = []
        for rule in self.ruleset.rules:
            ways = _fails(rule) if rule.id == self.failing else _holds(rule)
            for way in ways:
                for test in way:
                    self.origins.setdefault(test, set()).add(rule.id)
            before = Counter(self.pruned)
            viable = [way for way in ways if not self._contradicted(frozenset(way))]
            if not viable:
                self.pruned -= before  # report only why this rule's ways are contradictory
                raise InvalidArgument(self._message(rule.id))
            per_rule.append(viable)
        combos = itertools.islice(itertools.product(*per_rule), _MAX_PLANS)
        candidates = dict.fromkeys(
            frozenset(itertools.chain.from_iterable(combo)) for combo in combos
        )
        plans = []
        for tests in candidates:
            if self.failed >= _GIVE_UP:
                break
            if self._contradicted(tests):
                continue
            plan = _Plan(sorted(tests, key=repr), self.ruleset.params)
            if self._realisable(plan):
                plans.append(plan)
        if not plans:
            raise InvalidArgument(self._message())
        return tuple(plans)

    def _contradicted(self, tests: frozenset[_Test]) -> bool:
        """Whether ``tests`` hold a known contradiction, or one their facts show at once."""
        known = next((nogood for nogood in self.nogoods if nogood.tests <= tests), None)
        if known is not None:
            self.pruned[known] += 1
            return True
        plan = _Plan(tests, self.ruleset.params)
        found = static_contradiction(plan, self.ctx.universe, self.memo, self.ctx.harms)
        if found is not None:
            self._learn(found)
            return True
        return False

    def _learn(self, found: _Contradiction) -> None:
        self.nogoods.append(found)
        self.pruned[found] += 1

    def _realisable(self, plan: _Plan) -> bool:
        trials = _TRIALS if self.failed < _BUDGET else _FEW_TRIALS
        for seed in range(trials):
            try:
                _build(_Sampling(seed), plan, self.ctx)
            except _Contradiction as found:
                self._learn(found)
                return False
            except _Impossible as dead_end:
                self.failed += 1
                spot = str(dead_end.args[0]) if dead_end.args else "?"
                self.dead_ends[spot] += 1
                rules = self.readers.setdefault(spot, set())
                for test in plan.by_fact.get(spot, ()):
                    rules |= self.origins.get(test, set())
                continue
            return True
        self.unbuilt += 1
        return False

    def _message(self, rule_id: str | None = None) -> str:
        ruleset, failing = self.ruleset, self.failing
        what = f"rule {failing} fails and every other rule holds" if failing else "every rule holds"
        head = (
            f"no referral can be built in which {what} under scheme {ruleset.scheme.id} "
            f"({ruleset.version}); the rules ask for contradictory facts"
        )
        if rule_id is not None:
            target = "fail" if rule_id == failing else "hold"
            head += f": rule {rule_id} cannot {target} on its own"
        causes = [(n, self._reason(nogood)) for nogood, n in self.pruned.most_common()]
        if self.unbuilt:
            spots = ", ".join(
                spot + (f" (read by {_rules(rules)})" if (rules := self.readers.get(spot)) else "")
                for spot, _ in self.dead_ends.most_common(3)
            )
            causes.append(
                (
                    self.unbuilt,
                    f"no referral was built to {self.unbuilt} of them in {self.failed} attempts, "
                    f"which dead-ended most often at {spots}",
                )
            )
        causes.sort(key=lambda cause: -cause[0])
        total = sum(n for n, _ in causes)
        unit = "of its ways" if rule_id is not None else "plans"
        parts = [f"{text} ({n} of {total} {unit})" for n, text in causes[:3]]
        return f"{head}: " + "; ".join(parts) + ("; ..." if len(causes) > 3 else "")

    def _reason(self, nogood: _Contradiction) -> str:
        rules = set().union(*(self.origins.get(test, set()) for test in nogood.tests))
        verb = "asks" if len(rules) == 1 else "ask"
        return f"{_rules(rules)} {verb} of {nogood.fact}: {nogood.reason}"


def _rules(rules: set[str]) -> str:
    """``rule x`` or ``rules x, y``."""
    names = sorted(rules)
    return f"rule {names[0]}" if len(names) == 1 else "rules " + ", ".join(names)


#: Every value the builder can give each scalar core fact (``None``: not given). A superset
#: is safe; a value missing here could make a satisfiable plan look contradictory.
SCALAR_VALUES: dict[str, tuple[Any, ...]] = {
    "subject_role": (None, *SubjectRole),
    "tenure": (None, *Tenure),
    "social_tenant": _BOOLS,
    "tenancy.type": (None, *TenancyType),
    "tenancy.joint": _BOOLS,
    "tenancy.landlord": (None, *PARTNER_IDS),
    "tenancy.bedrooms": (None, *range(21)),
    "risk.assessed_by": (None, *Assessor),
    "risk.at_risk": _BOOLS,
    "risk.dash_score": (None, *range(25)),
    "risk.marac_referral": _BOOLS,
    "homelessness.duty": (None, *HomelessnessDuty),
    "homelessness.application_made": _BOOLS,
    "nominator.id": PARTNER_IDS,
    "nominator.kind": tuple(PartnerKind),
    "nominator.dsp_signatory": _BOOLS,
    "nominator.membership_status": tuple(MembershipStatus),
    **{flag: _BOOLS for flag in _FLAG_FIELDS},
}

#: Scalar facts whose value is an area: any area the builder knows, or not given.
AREA_FACTS = ("current_area", "nominator.authority_area")


# --- a plan's contradictions, found without building a referral ---------------------------


def static_contradiction(
    plan: _Plan, universe: Sequence[str], memo: dict[Any, _Contradiction | None],
    harms: Sequence[Any] = tuple(HarmType),
) -> _Contradiction | None:
    """A contradiction among the tests of one fact that read that fact alone, if there is one.

    A scalar fact is contradictory when none of its values passes; a list fact when its
    needs conflict (and the requested and unsafe areas when they cannot be kept apart).
    ``memo`` remembers the answer for each fact's tests across the plans of one search.
    """
    alone = {
        name: tests
        for name, tests in plan.by_fact.items()
        if all(test.facts == {name} for test in tests)
    }
    for name, tests in alone.items():
        key = (name, frozenset(tests))
        if key not in memo:
            memo[key] = _fact_contradiction(plan, name, tuple(tests), universe, harms)
        if memo[key] is not None:
            return memo[key]
    lists = {
        name: _ListNeeds.read(
            plan, name, list_pool(name, universe, harms), {}, empty_is_missing=LIST_FACTS[name]
        )
        for name in ("requested_areas", "unsafe_areas")
        if name in alone
    }
    if len(lists) == 2:
        requested, unsafe = lists["requested_areas"], lists["unsafe_areas"]
        reason = disjoint_conflict(requested, unsafe)
        if reason is not None:
            return _Contradiction("requested_areas", [*requested.tests, *unsafe.tests], reason)
    return None


def _fact_contradiction(
    plan: _Plan, name: str, tests: tuple[_Test, ...], universe: Sequence[str],
    harms: Sequence[Any] = tuple(HarmType),
) -> _Contradiction | None:
    if name in LIST_FACTS:
        pool = list_pool(name, universe, harms)

        def conflict(some: Sequence[_Test]) -> str | None:
            needs = _ListNeeds.of(
                name, some, plan.params, pool, {}, empty_is_missing=LIST_FACTS[name]
            )
            return needs.conflict()
    else:
        values = (None, *universe) if name in AREA_FACTS else SCALAR_VALUES.get(name)
        if values is None:
            return None  # a scheme's own fact: only building a referral tells

        def conflict(some: Sequence[_Test]) -> str | None:
            trial = _Plan(some, plan.params)
            if any(trial.allows(name, _known(v), {}) for v in values):
                return None
            return "no value passes every test"

    if conflict(tests) is None:
        return None
    culprits = _fewest(tests, lambda some: conflict(some) is not None)
    return _Contradiction(name, culprits, conflict(culprits) or "no value passes every test")
