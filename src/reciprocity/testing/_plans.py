"""How targeted referrals are planned: which facts must pass which tests (see _strategies)."""

from __future__ import annotations

import itertools
import random
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from types import NoneType
from typing import Any, TypeVar

from hypothesis import strategies as st

from reciprocity.facts import BASE_FACTS
from reciprocity.model import (
    Assessor,
    HomelessnessDuty,
    PartnerKind,
    Referral,
    SubjectRole,
    Tenure,
)
from reciprocity.rules import AllOf, AnyOf, Condition, Not, Rule, fact
from reciprocity.rules.expr import Env
from reciprocity.rules.logic import MISSING

T = TypeVar("T")

# --- vocabulary -----------------------------------------------------------------------------

#: Partner ids used everywhere. A small pool, so that a tenancy's landlord is often the
#: nominating partner and often not.
PARTNER_IDS: tuple[str, ...] = tuple(f"partner_{n}" for n in range(1, 5))

#: Named leads are recorded as roles, never as people.
LEAD_ROLES: tuple[str, ...] = (
    "domestic abuse lead",
    "housing options manager",
    "tenancy sustainment lead",
)

#: An area id no scheme covers, so that every scheme sees an area outside it.
OUTSIDE_AREA = "outside_any_scheme"

#: Referral dates are drawn from this period (rules with effective dates narrow it).
EARLIEST = date(2020, 1, 1)
LATEST = date(2035, 12, 31)

_NOT_A_TENANT = (Tenure.PRIVATE_RENTED, Tenure.NON_TENANT_PRIORITY_NEED)
_HELD = object()  # stands for "a tenancy is given" when asking the core whether one is held
_FLAG_FIELDS: tuple[str, ...] = tuple(
    name
    for name, field in Referral.model_fields.items()
    if set(typing.get_args(field.annotation)) == {bool, NoneType}
)
_BASE_FACT_NAMES = frozenset(spec.name for spec in BASE_FACTS)
_BOOLS: tuple[bool | None, ...] = (None, True, False)
_MAX_PLANS = 4096
_TRIALS = 60  # attempts to realise a plan before calling it impossible
_AREA_RETRIES = 4


def _known(value: Any) -> Any:
    return MISSING if value is None else value


def _listed(value: Sequence[Any] | None) -> Any:
    return MISSING if value is None else tuple(value)


def _non_empty(value: Sequence[Any]) -> Any:
    return tuple(value) if value else MISSING


# --- choosing values: from hypothesis, or from a seeded Random when checking plans ---------


class _Chooser:
    """Makes every choice the builders need. Both implementations make the same kinds of choice."""

    def pick(self, options: Sequence[T], prefer: Iterable[Any] = (), missing: Any = None) -> T:
        raise NotImplementedError

    def coin(self) -> bool:
        raise NotImplementedError

    def integer(self, low: int, high: int) -> int:
        raise NotImplementedError

    def sublist(self, options: Sequence[T], max_size: int, min_size: int = 0) -> list[T]:
        raise NotImplementedError

    def permute(self, items: Sequence[T]) -> list[T]:
        raise NotImplementedError

    def free(self, strategy: st.SearchStrategy[T], fallback: T) -> T:
        """A value no rule can see: drawn in full by hypothesis, ``fallback`` when checking."""
        raise NotImplementedError


def _split(
    options: Sequence[T], prefer: Iterable[Any], missing: Any
) -> tuple[bool, list[T], list[T]]:
    has_missing = any(o == missing for o in options) and len(options) > 1
    rest = [o for o in options if not (has_missing and o == missing)]
    wanted = list(prefer)
    preferred = [o for o in rest if o in wanted]
    if len(preferred) == len(rest):
        preferred = []
    return has_missing, rest, preferred


class _Drawing(_Chooser):
    """Choices drawn by hypothesis, so examples shrink: missing first, then the first option.

    Options are drawn by index (``st.integers``), whose strategies hypothesis caches, so
    a referral's few dozen choices do not each build a new strategy.
    """

    def __init__(self, draw: Callable[[st.SearchStrategy[Any]], Any]) -> None:
        self._draw = draw

    def _one(self, options: Sequence[T]) -> T:
        return (
            options[self._draw(st.integers(0, len(options) - 1))]
            if len(options) > 1
            else options[0]
        )

    def pick(self, options: Sequence[T], prefer: Iterable[Any] = (), missing: Any = None) -> T:
        has_missing, rest, preferred = _split(options, prefer, missing)
        if has_missing and not self._draw(st.booleans()):
            return missing
        if preferred and self._draw(st.booleans()):
            return self._one(preferred)
        return self._one(rest)

    def coin(self) -> bool:
        return self._draw(st.booleans())

    def integer(self, low: int, high: int) -> int:
        return self._draw(st.integers(low, high))

    def sublist(self, options: Sequence[T], max_size: int, min_size: int = 0) -> list[T]:
        if not options:
            return []
        size = min(max_size, len(options))
        indices = self._draw(
            st.lists(
                st.integers(0, len(options) - 1),
                unique=True,
                min_size=min(min_size, size),
                max_size=size,
            )
        )
        return [options[i] for i in indices]

    def permute(self, items: Sequence[T]) -> list[T]:
        if len(items) < 2:
            return list(items)
        return [items[i] for i in self._draw(st.permutations(range(len(items))))]

    def free(self, strategy: st.SearchStrategy[T], fallback: T) -> T:  # noqa: ARG002
        return self._draw(strategy)


class _Sampling(_Chooser):
    """Choices from a seeded Random: used once per plan to tell whether it can be realised."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def pick(self, options: Sequence[T], prefer: Iterable[Any] = (), missing: Any = None) -> T:
        has_missing, rest, preferred = _split(options, prefer, missing)
        if has_missing and self._rng.random() < 0.5:
            return missing
        if preferred and self._rng.random() < 0.5:
            return self._rng.choice(preferred)
        return self._rng.choice(rest)

    def coin(self) -> bool:
        return self._rng.random() < 0.5

    def integer(self, low: int, high: int) -> int:
        return self._rng.randint(low, high)

    def sublist(self, options: Sequence[T], max_size: int, min_size: int = 0) -> list[T]:
        size = min(max_size, len(options))
        return self._rng.sample(list(options), self._rng.randint(min(min_size, size), size))

    def permute(self, items: Sequence[T]) -> list[T]:
        return self._rng.sample(list(items), len(items))

    def free(self, strategy: st.SearchStrategy[T], fallback: T) -> T:  # noqa: ARG002
        return fallback


# --- plans: which facts must pass which tests -----------------------------------------------


class _Test:
    """One atomic condition of a rule, and whether the plan needs it true or false."""

    __slots__ = ("condition", "facts", "truth")

    def __init__(self, condition: Condition, truth: bool) -> None:
        self.condition = condition
        self.truth = truth
        self.facts = condition.facts()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Test) and (self.condition, self.truth) == (
            other.condition,
            other.truth,
        )

    def __hash__(self) -> int:
        return hash((self.condition, self.truth))

    def passes(self, facts: Mapping[str, Any], params: Mapping[str, Any]) -> bool:
        value, _ = self.condition.evaluate(Env(facts=facts, params=params))
        return value is not None and bool(value) is self.truth


def _ways(condition: Condition, truth: bool) -> Iterator[tuple[_Test, ...]]:
    """Every minimal set of atomic tests that makes ``condition`` come out as ``truth``."""
    if isinstance(condition, Not):
        yield from _ways(condition.item, not truth)
    elif isinstance(condition, (AllOf, AnyOf)):
        if isinstance(condition, AllOf) == truth:  # every item must come out as ``truth``
            for parts in itertools.product(*(list(_ways(item, truth)) for item in condition.items)):
                yield tuple(itertools.chain.from_iterable(parts))
        else:  # one item coming out as ``truth`` settles it
            for item in condition.items:
                yield from _ways(item, truth)
    else:
        yield (_Test(condition, truth),)


def _holds(rule: Rule) -> list[tuple[_Test, ...]]:
    """The ways a rule's finding is met (require true) or does not apply (when false)."""
    ways = list(_ways(rule.require, True))
    if rule.when is not None:
        ways += list(_ways(rule.when, False))
    return ways


def _fails(rule: Rule) -> list[tuple[_Test, ...]]:
    """The ways a rule's finding is not met: it applies (when true) and require is false."""
    applies = list(_ways(rule.when, True)) if rule.when is not None else [()]
    return [a + r for a in applies for r in _ways(rule.require, False)]


class _Plan:
    """Tests that the facts of one referral must pass, indexed by the facts they read."""

    def __init__(self, tests: Iterable[_Test], params: Mapping[str, Any]) -> None:
        self.tests = tuple(dict.fromkeys(tests))
        self.params = params
        by_fact: dict[str, list[_Test]] = {}
        for test in self.tests:
            for name in test.facts:
                by_fact.setdefault(name, []).append(test)
        self.by_fact = {name: tuple(tests) for name, tests in by_fact.items()}
        #: Facts whose every test reads that fact alone: their allowed values never change.
        self._alone = frozenset(
            n for n, tests in self.by_fact.items() if all(t.facts == {n} for t in tests)
        )
        self._filtered: dict[tuple[Any, ...], list[Any]] = {}

    def filter(
        self,
        name: str,
        candidates: Sequence[T],
        to_fact: Callable[[T], Any],
        known: Mapping[str, Any],
    ) -> list[T]:
        """The candidates whose fact value the tests on ``name`` allow (memoised when they can be)."""
        if name not in self.by_fact:
            return list(candidates)
        if name not in self._alone:
            return [v for v in candidates if self.allows(name, to_fact(v), known)]
        key = (name, tuple(candidates), to_fact)
        found = self._filtered.get(key)
        if found is None:
            found = [v for v in candidates if self.allows(name, to_fact(v), {})]
            self._filtered[key] = found
        return list(found)

    def constrains(self, name: str) -> bool:
        return name in self.by_fact

    def allows(self, name: str, value: Any, known: Mapping[str, Any]) -> bool:
        """Whether fact ``name`` may take ``value`` given the facts already chosen.

        A test that also reads a fact not chosen yet is checked against every value that
        fact could still take (one step of look-ahead); anything further is left to the
        final check.
        """
        for test in self.by_fact.get(name, ()):
            facts = {**{f: known[f] for f in test.facts if f in known}, name: value}
            open_ = [f for f in test.facts if f not in facts]
            if not open_:
                ok = test.passes(facts, self.params)
            elif len(open_) == 1 and open_[0] in _LOOKAHEAD:
                ok = any(
                    test.passes({**facts, open_[0]: v}, self.params) for v in _LOOKAHEAD[open_[0]]
                )
            else:
                ok = True  # settled by the final check
            if not ok:
                return False
        return True

    def satisfied_by(self, facts: Mapping[str, Any]) -> bool:
        return all(test.passes(facts, self.params) for test in self.tests)


#: What a fact could still be, for look-ahead from a test that reads two facts.
_LOOKAHEAD: dict[str, tuple[Any, ...]] = {
    "nominator.id": PARTNER_IDS,
    "tenancy.landlord": (MISSING, *PARTNER_IDS),
    "subject_role": (MISSING, *SubjectRole),
    "tenure": (MISSING, *Tenure),
    "nominator.kind": tuple(PartnerKind),
    "risk.assessed_by": (MISSING, *Assessor),
    "homelessness.duty": (MISSING, *HomelessnessDuty),
}

_NO_PLAN = _Plan((), {})

#: The plan ``risk_assessments`` gives the builder: only that an assessment is present.
_RISK_PRESENT = _Plan([_Test(fact("risk.assessed_by").present(), True)], {})


class _Impossible(Exception):
    """No value of a fact passes the plan's tests, given the choices made so far."""
