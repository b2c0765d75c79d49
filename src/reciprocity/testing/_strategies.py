"""Hypothesis strategies for reciprocity's models and for referrals a scheme decides a given way.

The public functions are re-exported by :mod:`reciprocity.testing`; see its docstring.

How targeted referrals are built
--------------------------------
:func:`eligible_referrals` and :func:`referrals_failing` never generate referrals at
random and throw away the ones with the wrong outcome. They read the scheme's rules:

1. Each rule gets a target: *holds* (its finding is met or does not apply) or *fails*
   (it applies and is not met). A rule holds when its ``require`` condition is true, or
   when its ``when`` condition is false; it fails when ``when`` is true and ``require``
   false.
2. Each target is expanded, through the condition tree, into the ways it can be reached:
   ``a & b`` true needs both, ``a | b`` true needs one of them, ``~a`` flips the target,
   and so on down to single tests of facts ("risk.harm_types includes one of ...",
   "tenancy.landlord is nominator.id"). One way per rule, taken together, is a *plan*:
   a set of tests, each of which must come out true or false.
3. The referral is then assembled field by field. For each fact a rule reads, only
   values that pass the plan's tests on that fact are offered (the tests are the rule
   language's own condition objects, evaluated exactly as the engine evaluates them).
   Every fact no test mentions is irrelevant to the outcome, and is drawn freely: known
   or missing, any value.
4. Plans that no referral can satisfy (two rules wanting opposite things) are found once,
   by trial, and dropped. A finished referral is checked against the plan with the
   scheme's own fact computations. For the core's facts it is only a safety net (the
   builder models how each is computed); it is the one filter applied to a scheme's own
   derived facts (such as Cambridgeshire's ``moves_la_area``), whose input fields are
   drawn so that the interesting cases (the current area among the requested ones, or
   not) are common, and redrawn a few times before an example is given up.

Nothing here knows any particular scheme: everything comes from
``reciprocity.get_scheme(scheme_id)``, so a rule added or changed by a policy team is
picked up without touching this module.

Generated data never contains personal data: partners have ids such as ``partner_3`` and
no name, named leads are roles, referral ids look like ``case_12``, and household members
have only an age, a sex and a relationship.
"""

from __future__ import annotations

import functools
import itertools
import random
import threading
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from types import NoneType, SimpleNamespace
from typing import Any, TypeVar

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import reciprocity
from reciprocity.errors import NoRulesInForceError, UnknownSchemeError
from reciprocity.facts import BASE_FACTS, social_tenant
from reciprocity.model import (
    Area,
    Assessor,
    HarmType,
    Homelessness,
    HomelessnessDuty,
    Household,
    Member,
    Membership,
    MembershipStatus,
    Partner,
    PartnerKind,
    Referral,
    Relationship,
    RiskAssessment,
    Sex,
    SubjectRole,
    Tenancy,
    TenancyType,
    Tenure,
)
from reciprocity.model.partner import NOTICE_PERIOD
from reciprocity.rules import AllOf, AnyOf, Condition, FactContext, Not, Rule, RuleSet, Scheme, fact
from reciprocity.rules.expr import Env
from reciprocity.rules.logic import MISSING

__all__ = [
    "areas",
    "eligible_referrals",
    "homelessness",
    "households",
    "members",
    "memberships",
    "partners",
    "referrals",
    "referrals_failing",
    "register_type_strategies",
    "risk_assessments",
    "tenancies",
]

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


# --- the context a referral is built in -----------------------------------------------------


class _Context:
    """What a build needs: the scheme's areas, the referral date, and the rules' parameters."""

    def __init__(
        self,
        *,
        scheme: Scheme | None,
        day: date,
        universe: tuple[str, ...],
        ruleset: RuleSet | None = None,
    ) -> None:
        self.scheme = scheme
        self.scheme_id = scheme.id if scheme is not None else None
        self.scheme_areas = tuple(a.id for a in scheme.areas) if scheme is not None else universe
        self.day = day
        self.universe = universe
        self.ruleset = ruleset


def _all_schemes() -> tuple[Scheme, ...]:
    return reciprocity.schemes()


def _universe(scheme: Scheme | None) -> tuple[str, ...]:
    """The scheme's own areas first, then every other loaded scheme's, then one outside all."""
    own = [a.id for a in scheme.areas] if scheme is not None else []
    others = sorted({a.id for s in _all_schemes() for a in s.areas} - set(own))
    return (*own, *others, OUTSIDE_AREA)


def _scheme(scheme_id: str) -> Scheme:
    try:
        return reciprocity.get_scheme(scheme_id)
    except UnknownSchemeError as error:
        raise InvalidArgument(str(error)) from None


# --- the builder ----------------------------------------------------------------------------


class _Builder:
    """Assembles one referral, fact by fact, offering each fact only values the plan allows."""

    def __init__(self, chooser: _Chooser, plan: _Plan, ctx: _Context) -> None:
        self.c = chooser
        self.plan = plan
        self.ctx = ctx
        self.known: dict[str, Any] = {}
        self.must_know = self._inputs_of_needed_derived_facts()

    # -- generic choices --

    def allowed(
        self, name: str, candidates: Sequence[T], to_fact: Callable[[T], Any] = _known
    ) -> list[T]:
        return self.plan.filter(name, candidates, to_fact, self.known)

    def choose(
        self,
        name: str,
        candidates: Sequence[T],
        *,
        to_fact: Callable[[T], Any] = _known,
        prefer: Iterable[Any] = (),
        missing: Any = None,
    ) -> T:
        options = self.allowed(name, candidates, to_fact)
        if name in self.must_know and len(options) > 1:
            options = [o for o in options if o != missing] or options
        if not options:
            raise _Impossible(name)
        value = self.c.pick(options, prefer, missing)
        self.known[name] = to_fact(value)
        return value

    def choose_set(
        self,
        name: str,
        elements: Sequence[str] | Sequence[HarmType],
        *,
        nullable: bool,
        to_fact: Callable[[Any], Any],
        max_extra: int = 3,
        prefer: Sequence[Any] = (),
    ) -> tuple[Any, ...] | None:
        """A list of distinct elements: a core that passes the tests, then extras.

        The core is the empty list, one element or (only when no single element will do)
        two. Extras are kept only when the whole list still passes, so tests such as "every
        one is a scheme area" or "none is domestic abuse" keep holding. A list no test
        reads is drawn directly: missing, or any elements (half the time only ``prefer``red
        ones, so that lists of areas are often all in the scheme).
        """
        missing = None if nullable else ()
        if not self.plan.constrains(name) and name not in self.must_know:
            whole: tuple[Any, ...] | None = missing
            if self.c.coin():
                preferred = [e for e in elements if e in prefer]
                pool = preferred if preferred and self.c.coin() else elements
                whole = tuple(self.c.sublist(pool, max_extra + 1, min_size=0 if nullable else 1))
            self.known[name] = to_fact(whole)
            return whole
        small: list[tuple[Any, ...] | None] = [None] if nullable else []
        small += [(), *((e,) for e in elements)]
        cores = self.allowed(name, small, to_fact)
        if not [c for c in cores if c != missing]:
            cores += self.allowed(name, list(itertools.combinations(elements, 2)), to_fact)
        core = self.choose(name, cores, to_fact=to_fact, missing=missing)
        if core is None:
            return None
        addable = [
            e
            for e in elements
            if e not in core and self.plan.allows(name, to_fact((*core, e)), self.known)
        ]
        extras = self.c.sublist(addable, max_extra)
        whole = (*core, *extras)
        if not self.plan.allows(name, to_fact(whole), self.known):
            whole = core
        whole = tuple(self.c.permute(whole))
        self.known[name] = to_fact(whole)
        return whole

    def _inputs_of_needed_derived_facts(self) -> frozenset[str]:
        """Fields read by a scheme's own derived fact that the plan needs known."""
        if self.ctx.scheme is None:
            return frozenset()
        catalogue = self.ctx.scheme.fact_catalogue
        needed: set[str] = set()
        for name in self.plan.by_fact:
            spec = catalogue.get(name)
            if (
                spec is not None
                and name not in _BASE_FACT_NAMES
                and not self.plan.allows(name, MISSING, {})
            ):
                needed.update(spec.reads)
        return frozenset(needed)

    # -- the parts of a referral --

    def membership(self, status: MembershipStatus | None, on: date) -> Membership:
        return _membership(self.c, status, on)

    def nominator(self, kinds: Sequence[PartnerKind] = tuple(PartnerKind)) -> Partner:
        universe = self.ctx.universe

        def authority_candidates(kind: PartnerKind) -> list[str | None]:
            return list(universe) if kind is PartnerKind.LOCAL_AUTHORITY else [None, *universe]

        def workable(kind: PartnerKind) -> bool:
            trial = {**self.known, "nominator.kind": kind}
            return any(
                self.plan.allows("nominator.authority_area", _known(a), trial)
                for a in authority_candidates(kind)
            )

        kind = self.choose("nominator.kind", [k for k in kinds if workable(k)])
        authority_area = self.choose(
            "nominator.authority_area", authority_candidates(kind), prefer=self.ctx.scheme_areas
        )
        partner_id = self.choose("nominator.id", PARTNER_IDS)
        signatory = self.choose("nominator.dsp_signatory", _BOOLS)
        if self.plan.constrains("nominator.membership_status"):
            status = self.choose("nominator.membership_status", tuple(MembershipStatus))
            membership = self.membership(status, self.ctx.day)
        else:
            membership = self.membership(None, self.ctx.day)
            self.known["nominator.membership_status"] = membership.status_on(self.ctx.day)
        return Partner(
            id=partner_id,
            name=None,
            kind=kind,
            authority_area=authority_area,
            stock_areas=tuple(self.c.sublist(self.ctx.scheme_areas, 3)),
            membership=membership,
            data_sharing_protocol_signatory=signatory,
            named_lead=self.c.pick((None, *LEAD_ROLES)),
        )

    _TENANCY_FACTS: tuple[tuple[str, tuple[Any, ...]], ...] = (
        ("tenancy.type", tuple(TenancyType)),
        ("tenancy.joint", _BOOLS),
        ("tenancy.landlord", PARTNER_IDS),
        ("tenancy.bedrooms", (None, *range(21))),
    )

    def tenure_and_tenancy(self) -> tuple[Tenure | None, Tenancy | None]:
        """Tenure and tenancy together: they decide the derived fact ``social_tenant``."""

        def facts_of(shape: tuple[Tenure | None, bool]) -> dict[str, Any]:
            tenure, held = shape
            holder = SimpleNamespace(tenure=tenure, tenancy=_HELD if held else None)
            return {"tenure": _known(tenure), "social_tenant": social_tenant(holder, None)}  # type: ignore[arg-type]

        def workable(shape: tuple[Tenure | None, bool]) -> bool:
            trial = {**self.known, **facts_of(shape)}
            if not all(self.plan.allows(n, v, trial) for n, v in facts_of(shape).items()):
                return False
            for name, values in self._TENANCY_FACTS:
                candidates = values if shape[1] else (None,)
                if not any(self.plan.allows(name, _known(v), trial) for v in candidates):
                    return False
            return True

        shapes = [
            (tenure, held)
            for tenure in (None, *Tenure)
            for held in (False, True)
            if not (held and tenure in _NOT_A_TENANT)
        ]
        options = [s for s in shapes if workable(s)]
        if not options:
            raise _Impossible("tenure")
        shape = self.c.pick(options, missing=object())
        self.known.update(facts_of(shape))
        tenure, held = shape
        if not held:
            self.known.update({name: MISSING for name, _ in self._TENANCY_FACTS})
            return tenure, None
        values = {
            name.split(".")[1]: self.choose(name, candidates)
            for name, candidates in self._TENANCY_FACTS
        }
        return tenure, Tenancy(**values)

    def risk(self) -> RiskAssessment | None:
        def options_for(
            assessor: Assessor | None,
        ) -> dict[str, tuple[Sequence[Any], Callable[[Any], Any]]]:
            present = assessor is not None
            concludes = present and assessor is not Assessor.NOBODY
            return {
                "risk.at_risk": (_BOOLS if concludes else (None,), _known),
                "risk.harm_types": (_harm_cores() if present else ((),), _non_empty),
                "risk.dash_score": ((None, *range(25)) if present else (None,), _known),
                "risk.marac_referral": (_BOOLS if present else (None,), _known),
            }

        def workable(assessor: Assessor | None) -> bool:
            trial = {**self.known, "risk.assessed_by": _known(assessor)}
            if not self.plan.allows("risk.assessed_by", _known(assessor), self.known):
                return False
            return all(
                any(self.plan.allows(name, to_fact(v), trial) for v in values)
                for name, (values, to_fact) in options_for(assessor).items()
            )

        assessor = self.choose("risk.assessed_by", [a for a in (None, *Assessor) if workable(a)])
        if assessor is None:
            self.known.update({name: MISSING for name in options_for(None)})
            return None
        at_risk = self.choose("risk.at_risk", options_for(assessor)["risk.at_risk"][0])
        harm_types = self.choose_set(
            "risk.harm_types", tuple(HarmType), nullable=False, to_fact=_non_empty
        )
        assessed_on = None
        if assessor is not Assessor.NOBODY:
            assessed_on = self.ctx.day - _days(self.c.integer(0, 730)) if self.c.coin() else None
        return RiskAssessment(
            assessed_by=assessor,
            assessed_on=assessed_on,
            at_risk=at_risk,
            harm_types=harm_types or (),
            dash_score=self.choose("risk.dash_score", (None, *range(25))),
            marac_referral=self.choose("risk.marac_referral", _BOOLS),
        )

    def homelessness(self) -> Homelessness:
        return Homelessness(
            duty=self.choose("homelessness.duty", (None, *HomelessnessDuty)),
            application_made=self.choose("homelessness.application_made", _BOOLS),
        )

    def areas(self) -> dict[str, Any]:
        universe = self.ctx.universe
        own = self.ctx.scheme_areas
        requested = self.choose_set(
            "requested_areas", universe, nullable=True, to_fact=_listed, prefer=own
        )
        outside_requested = [a for a in universe if a not in (requested or ())]
        unsafe = self.choose_set(
            "unsafe_areas", outside_requested, nullable=True, to_fact=_listed, prefer=own
        )
        current = self.choose(
            "current_area", (None, *universe), prefer=(*(requested or ()), *(unsafe or ()))
        )
        return {"requested_areas": requested, "unsafe_areas": unsafe, "current_area": current}

    def referral(self) -> Referral:
        """The whole referral; areas last, so a scheme's derived facts over them can be checked."""
        fields: dict[str, Any] = {
            "id": f"case_{self.c.integer(1, 9999)}" if self.c.coin() else None,
            "scheme": self.c.pick((None, self.ctx.scheme_id)) if self.ctx.scheme_id else None,
            "referred_on": self.ctx.day,
            "nominating_partner": self.nominator(),
        }
        fields["tenure"], fields["tenancy"] = self.tenure_and_tenancy()
        fields["risk"] = self.risk()
        fields["homelessness"] = self.homelessness()
        fields["subject_role"] = self.choose("subject_role", (None, *SubjectRole))
        for flag in _FLAG_FIELDS:
            fields[flag] = self.choose(flag, _BOOLS)
        fields["household"] = self.c.free(_maybe_household(), None)
        before = dict(self.known)
        for _ in range(_AREA_RETRIES):
            self.known = dict(before)
            referral = Referral(**fields, **self.areas())
            if self._scheme_facts_pass(referral):
                return referral
        raise _Impossible("a scheme's own derived facts")

    def _scheme_facts_pass(self, referral: Referral) -> bool:
        """Check the scheme's own derived facts, and record them."""
        if self.ctx.scheme is None or self.ctx.ruleset is None:
            return True
        catalogue = self.ctx.scheme.fact_catalogue
        context = FactContext(on=self.ctx.day, params=dict(self.ctx.ruleset.params))
        for name in self.plan.by_fact:
            if name in _BASE_FACT_NAMES or name not in catalogue:
                continue
            value = catalogue[name].compute(referral, context)
            if not self.plan.allows(name, value, self.known):
                return False
            self.known[name] = value
        return True


def _harm_cores() -> list[tuple[HarmType, ...]]:
    harms = tuple(HarmType)
    return [(), *((h,) for h in harms), *itertools.combinations(harms, 2)]


def _build(chooser: _Chooser, plan: _Plan, ctx: _Context) -> Referral:
    """Build a referral that passes ``plan``; raises _Impossible when the choices dead-end."""
    referral = _Builder(chooser, plan, ctx).referral()
    if plan.tests and ctx.ruleset is not None:
        facts = ctx.ruleset.facts_for(referral, ctx.day)
        if not plan.satisfied_by(facts):
            raise _Impossible("the final check")
    return referral


# --- memberships ----------------------------------------------------------------------------


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _membership(c: _Chooser, status: MembershipStatus | None, on: date) -> Membership:
    """A membership whose dates are in order and, when ``status`` is given, whose status on ``on`` is it."""

    def maybe(make: Callable[[], date]) -> date | None:
        return make() if c.coin() else None

    def after(start: date) -> date:  # strictly later than ``start``
        return start + _days(c.integer(1, 3650))

    def not_before(start: date) -> date:
        return start + _days(c.integer(0, 3650))

    def not_after(end: date) -> date:
        return end - _days(c.integer(0, 3650))

    joined = notice = withdrawn = removed = None
    if status is None:
        joined = maybe(lambda: not_after(on))
        base = joined or not_after(on)
        notice = maybe(lambda: not_before(base))
        withdrawn = maybe(lambda: not_before(max(base, notice or base)))
        removed = maybe(lambda: not_before(base))
    elif status is MembershipStatus.ACTIVE:
        joined = maybe(lambda: not_after(on))
        notice = maybe(lambda: after(on))
        withdrawn = maybe(lambda: after(notice or on))
        removed = maybe(lambda: after(on))
    elif status is MembershipStatus.NOT_YET_JOINED:
        joined = after(on)
        notice = maybe(lambda: not_before(joined))
        withdrawn = maybe(lambda: not_before(notice or joined))
        removed = maybe(lambda: not_before(joined))
    elif status is MembershipStatus.NOTICE_GIVEN:
        notice = on - _days(c.integer(0, 27))  # notice runs a month, so it has not ended
        joined = maybe(lambda: not_after(notice))
        withdrawn = maybe(lambda: after(on))
        removed = maybe(lambda: after(on))
    elif status is MembershipStatus.WITHDRAWN:
        if c.coin():
            withdrawn = not_after(on)
            notice = maybe(lambda: not_after(withdrawn))
        else:
            notice = not_after(on - NOTICE_PERIOD)
        joined = maybe(lambda: not_after(min(d for d in (notice, withdrawn) if d is not None)))
        removed = maybe(lambda: after(on))
    elif status is MembershipStatus.REMOVED:
        removed = not_after(on)
        joined = maybe(lambda: not_after(removed))
        base = joined or not_after(removed)
        notice = maybe(lambda: not_before(base))
        withdrawn = maybe(lambda: not_before(max(base, notice or base)))
    else:  # pragma: no cover - a new status needs a case here
        raise InvalidArgument(f"no way to build a membership whose status is {status!r}")
    return Membership(
        joined_on=joined, notice_given_on=notice, withdrawn_on=withdrawn, removed_on=removed
    )


# --- plans for a rule set, found once and cached --------------------------------------------

_lock = threading.Lock()
_plan_cache: dict[tuple[Any, ...], tuple[RuleSet, tuple[_Plan, ...]]] = {}


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
    if cached is not None:
        return cached[1]
    per_rule = [_fails(rule) if rule.id == failing else _holds(rule) for rule in ruleset.rules]
    combos = itertools.islice(itertools.product(*per_rule), _MAX_PLANS)
    candidates = list(
        dict.fromkeys(frozenset(itertools.chain.from_iterable(combo)) for combo in combos)
    )
    ctx = _Context(
        scheme=ruleset.scheme, day=day, universe=_universe(ruleset.scheme), ruleset=ruleset
    )
    plans = []
    for tests in candidates:
        plan = _Plan(sorted(tests, key=repr), ruleset.params)
        if _realisable(plan, ctx):
            plans.append(plan)
    if not plans:
        what = f"rule {failing} fails and every other rule holds" if failing else "every rule holds"
        raise InvalidArgument(
            f"no referral can be built in which {what} under scheme {ruleset.scheme.id} "
            f"({ruleset.version}); the rules ask for contradictory facts"
        )
    result = tuple(plans)
    with _lock:
        _plan_cache[key] = (ruleset, result)
    return result


def _realisable(plan: _Plan, ctx: _Context) -> bool:
    for seed in range(_TRIALS):
        try:
            _build(_Sampling(seed), plan, ctx)
        except _Impossible:
            continue
        return True
    return False


# --- public strategies ----------------------------------------------------------------------


def areas(scheme_id: str) -> st.SearchStrategy[str]:
    """Returns a strategy which generates the id of an area the scheme ``scheme_id`` covers.

    The ids come from ``reciprocity.get_scheme(scheme_id).areas``, in the scheme's own
    order; examples shrink towards the scheme's first area. An unknown scheme raises
    :class:`~hypothesis.errors.InvalidArgument` when the strategy is first used.
    """
    return st.deferred(lambda: st.sampled_from([a.id for a in _scheme(scheme_id).areas]))


@functools.cache
def _maybe_household() -> st.SearchStrategy[Household | None]:
    return st.none() | households()


def memberships(
    status: MembershipStatus | None = None, *, on: date | None = None
) -> st.SearchStrategy[Membership]:
    """Returns a strategy which generates a partner's :class:`~reciprocity.Membership`.

    Dates are always in the order the model requires (nobody gives notice, withdraws or is
    removed before joining; withdrawal never precedes notice). With ``status`` and ``on``,
    every membership has that status on that date (``membership.status_on(on) is
    status``), built directly from the dates, never by filtering; ``status`` needs
    ``on``. Examples shrink towards a membership with no dates at all (an active member),
    or, with a status, towards the fewest dates that give it, close to ``on``.
    """
    if status is not None:
        status = MembershipStatus(status)
        if on is None:
            raise InvalidArgument(
                "memberships(status=...) needs the date the status holds on (on=...)"
            )

    @st.composite
    def build(draw: st.DrawFn) -> Membership:
        day = on if on is not None else draw(st.dates(EARLIEST, LATEST))
        return _membership(_Drawing(draw), status, day)

    return build()


def partners(
    scheme_id: str | None = None, *, kind: PartnerKind | None = None
) -> st.SearchStrategy[Partner]:
    """Returns a strategy which generates a :class:`~reciprocity.Partner` organisation.

    With ``scheme_id``, a council's ``authority_area`` and the ``stock_areas`` are that
    scheme's areas (an ``authority_area`` is occasionally outside it, as a mistaken
    referral would be); without, they are any loaded scheme's areas. ``kind`` fixes the
    kind of organisation; otherwise every :class:`~reciprocity.PartnerKind` appears. A
    local authority always has an ``authority_area``, as the model requires.

    Partners are organisations and carry no personal data: the id is one of
    ``partner_1`` ... ``partner_4``, ``name`` is always ``None``, and ``named_lead`` is a
    role such as ``"domestic abuse lead"`` or ``None``. Examples shrink towards
    ``partner_1``, the first kind, the scheme's first area, no optional field given, and a
    membership with no dates.
    """
    kinds = (PartnerKind(kind),) if kind is not None else tuple(PartnerKind)

    def build_strategy() -> st.SearchStrategy[Partner]:
        scheme = _scheme(scheme_id) if scheme_id is not None else None

        @st.composite
        def build(draw: st.DrawFn) -> Partner:
            universe = _universe(scheme)
            ctx = _Context(scheme=scheme, day=draw(st.dates(EARLIEST, LATEST)), universe=universe)
            return _Builder(_Drawing(draw), _NO_PLAN, ctx).nominator(kinds)

        return build()

    return st.deferred(build_strategy)


def tenancies(landlord: str | None = None) -> st.SearchStrategy[Tenancy]:
    """Returns a strategy which generates the social :class:`~reciprocity.Tenancy` a household holds.

    Every tenancy type appears (council and registered provider types alike); ``joint``
    and ``bedrooms`` are each known or missing. The landlord is ``landlord`` when given,
    else one of ``partner_1`` ... ``partner_4``. Examples shrink towards a ``secure``
    tenancy with ``partner_1``, neither its jointness nor its bedrooms known.
    """
    landlords = st.just(landlord) if landlord is not None else st.sampled_from(PARTNER_IDS)
    return st.builds(
        Tenancy,
        type=st.sampled_from(TenancyType),
        joint=st.sampled_from(_BOOLS),
        landlord=landlords,
        bedrooms=st.none() | st.integers(0, 20),
    )


def members(relationship: Relationship | None = None) -> st.SearchStrategy[Member]:
    """Returns a strategy which generates one household :class:`~reciprocity.Member`.

    A member is an age in whole years (0 to 125, the model's range), a sex (or unknown)
    and a relationship to the applicant (``relationship`` when given). No name, date of
    birth or other personal detail exists to generate. Examples shrink towards a newborn
    of unknown sex who is the applicant (or has the given relationship).
    """
    relationships = (
        st.just(Relationship(relationship))
        if relationship is not None
        else st.sampled_from(Relationship)
    )
    return st.builds(
        Member,
        relationship=relationships,
        age=st.integers(0, 125),
        sex=st.none() | st.sampled_from(Sex),
    )


_OTHERS = tuple(r for r in Relationship if r not in (Relationship.APPLICANT, Relationship.PARTNER))
_AGE_AND_SEX = st.tuples(st.integers(0, 125), st.sampled_from((None, *Sex)))


def households(max_size: int = 8) -> st.SearchStrategy[Household]:
    """Returns a strategy which generates a :class:`~reciprocity.Household` of one to ``max_size`` people.

    Exactly one member is the applicant and at most one is the applicant's partner, as the
    model requires; the rest are children, other relatives, carers or others, in any
    order. Members are drawn as in :func:`members`. Examples shrink towards a household
    of the applicant alone, a newborn of unknown sex.
    """
    if not 1 <= max_size <= 20:
        raise InvalidArgument(f"max_size={max_size!r} must be between 1 and 20 (the model's limit)")

    @st.composite
    def build(draw: st.DrawFn) -> Household:
        def member(relationship: Relationship) -> Member:
            age, sex = draw(_AGE_AND_SEX)
            return Member(relationship=relationship, age=age, sex=sex)

        applicant = member(Relationship.APPLICANT)
        rest = [member(Relationship.PARTNER)] if max_size > 1 and draw(st.booleans()) else []
        others = draw(st.lists(st.sampled_from(_OTHERS), max_size=max_size - 1 - len(rest)))
        rest += [member(r) for r in others]
        position = draw(st.integers(0, len(rest)))
        return Household(members=(*rest[:position], applicant, *rest[position:]))

    return build()


def risk_assessments() -> st.SearchStrategy[RiskAssessment]:
    """Returns a strategy which generates a :class:`~reciprocity.RiskAssessment`.

    Every assessor appears, including ``nobody``: the record that nobody has assessed the
    risk, which (as the model requires) never has an ``assessed_on`` date or an ``at_risk``
    conclusion. Harm types are distinct; each other field is known or missing. Examples
    shrink towards an IDVA's assessment that records nothing else.
    """

    @st.composite
    def build(draw: st.DrawFn) -> RiskAssessment:
        ctx = _Context(scheme=None, day=draw(st.dates(EARLIEST, LATEST)), universe=(OUTSIDE_AREA,))
        builder = _Builder(_Drawing(draw), _RISK_PRESENT, ctx)
        risk = builder.risk()
        assert risk is not None
        return risk

    return build()


def homelessness() -> st.SearchStrategy[Homelessness]:
    """Returns a strategy which generates a household's :class:`~reciprocity.Homelessness` position.

    The duty accepted and whether an application was made are each known or missing.
    Examples shrink towards a position where neither is known.
    """
    return st.builds(
        Homelessness,
        duty=st.none() | st.sampled_from(HomelessnessDuty),
        application_made=st.sampled_from(_BOOLS),
    )


def referrals(scheme_id: str) -> st.SearchStrategy[Referral]:
    """Returns a strategy which generates any valid :class:`~reciprocity.Referral` to scheme ``scheme_id``.

    Each optional fact is known about half the time and missing (``None``) otherwise, so
    most decisions are "ineligible" or "needs information" and an eligible referral is
    rare (use :func:`eligible_referrals` for those). Lists of areas are drawn half the time
    from the scheme's own areas and otherwise from every loaded scheme's areas plus one
    area no scheme covers; the current area is often one of the listed areas. Every
    referral is valid by construction and pydantic never rejects one: requested and unsafe
    areas are disjoint and free of duplicates, there is no tenancy when the tenure is
    ``private_rented`` or ``non_tenant_priority_need``, a council partner has an
    ``authority_area``, membership dates are in order, a household has exactly one
    applicant and at most one partner, and a risk assessed by ``nobody`` has no date or
    conclusion. ``scheme`` is ``None`` or ``scheme_id``. No personal data is generated.

    Examples shrink towards a referral that says as little as possible: every optional
    fact missing, the first value of each field, and the earliest date.
    """

    def build_strategy() -> st.SearchStrategy[Referral]:
        scheme = _scheme(scheme_id)

        @st.composite
        def build(draw: st.DrawFn) -> Referral:
            ctx = _Context(
                scheme=scheme, day=draw(st.dates(EARLIEST, LATEST)), universe=_universe(scheme)
            )
            return _Builder(_Drawing(draw), _NO_PLAN, ctx).referral()

        return build()

    return st.deferred(build_strategy)


def _period(scheme: Scheme, rule_id: str | None) -> tuple[date, date]:
    """The referral dates to draw from: when ``rule_id`` is given, the dates it is in force."""
    if rule_id is None:
        return EARLIEST, LATEST
    versions = [r for r in scheme.rules if r.id == rule_id]
    starts = [r.effective_from for r in versions]
    ends = [r.effective_to for r in versions]
    low = EARLIEST if None in starts else max(EARLIEST, min(s for s in starts if s is not None))
    if None in ends:
        high = LATEST if low <= LATEST else low + _days(3650)
    else:
        high = max(e for e in ends if e is not None) - _days(1)
    return low, max(low, high)


def _targeted(scheme_id: str, failing: str | None) -> st.SearchStrategy[Referral]:
    def build_strategy() -> st.SearchStrategy[Referral]:
        scheme = _scheme(scheme_id)
        if failing is not None and failing not in {r.id for r in scheme.rules}:
            known = ", ".join(sorted({r.id for r in scheme.rules}))
            raise InvalidArgument(
                f"scheme {scheme_id!r} has no rule {failing!r}; its rules are: {known}"
            )
        low, high = _period(scheme, failing)

        @st.composite
        def build(draw: st.DrawFn) -> Referral:
            day = draw(st.dates(low, high))
            try:
                ruleset = scheme.ruleset(day)
            except NoRulesInForceError:
                reject()
            if failing is not None and failing not in {r.id for r in ruleset.rules}:
                reject()
            plan = draw(st.sampled_from(_plans(ruleset, failing, day)))
            ctx = _Context(scheme=scheme, day=day, universe=_universe(scheme), ruleset=ruleset)
            try:
                return _build(_Drawing(draw), plan, ctx)
            except _Impossible:
                reject()

        return build()

    return st.deferred(build_strategy)


def eligible_referrals(scheme_id: str) -> st.SearchStrategy[Referral]:
    """Returns a strategy which generates referrals that scheme ``scheme_id`` decides are ELIGIBLE.

    The referrals are built from the scheme's rules, not found by filtering: every rule in
    force on the referral date is made to hold, either by meeting its requirement or, for
    a rule with a ``when`` condition, by that condition being false, and every way of
    doing so that the rules allow together is used (for example a Cambridgeshire social
    tenant and a non-tenant in priority need with the lead's discretion). Facts that no
    rule needs are varied freely, known or missing, so a test sees eligible referrals with
    and without a household, an urgent flag, a DASH score and so on. See the module
    docstring for how this works; it reads only ``reciprocity.get_scheme(scheme_id)``, so a
    changed rule is followed automatically.

    ``evaluate(scheme_id, referral).outcome`` is ``Outcome.ELIGIBLE`` for every example.
    Examples shrink towards the first way of satisfying each rule, the first value each
    rule accepts, and every irrelevant fact missing. Raises
    :class:`~hypothesis.errors.InvalidArgument` (on first use) for an unknown scheme or
    when no referral can satisfy every rule.
    """
    return _targeted(scheme_id, None)


def referrals_failing(scheme_id: str, rule_id: str) -> st.SearchStrategy[Referral]:
    """Returns a strategy which generates referrals eligible under ``scheme_id`` but for rule ``rule_id``.

    In every example the finding of ``rule_id`` is NOT_MET and every other rule's finding
    is MET or NOT_APPLICABLE, so the outcome is INELIGIBLE (or NEEDS_INFORMATION for a rule
    whose failure only calls for review). A rule with a ``when`` condition is failed by
    making it apply. Every way the rule can fail is used: ``a & b`` fails through ``a`` in
    some examples and through ``b`` in others. Referral dates fall in the rule's effective
    period. Built from the rules like :func:`eligible_referrals`, never by filtering.

    Examples shrink towards the first way of failing the rule, the first values the rules
    accept, and every irrelevant fact missing. Raises
    :class:`~hypothesis.errors.InvalidArgument` (on first use) for an unknown scheme or
    rule, or when the rule cannot fail while every other rule holds.
    """
    return _targeted(scheme_id, rule_id)


# --- st.from_type -----------------------------------------------------------------------


def _any_scheme_referral() -> st.SearchStrategy[Referral]:
    loaded = _all_schemes()
    if not loaded:
        raise InvalidArgument("st.from_type(Referral) needs at least one scheme plugin loaded")
    return st.one_of([referrals(s.id) for s in loaded])


def _any_area() -> st.SearchStrategy[Area]:
    known = [a for s in _all_schemes() for a in s.areas]
    if known:
        return st.sampled_from(list({a.id: a for a in known}.values()))
    return st.integers(1, 99).map(
        lambda n: Area(id=f"area_{n}", name=f"Area {n}", council=f"Council of area {n}")
    )


def _registered(strategy: st.SearchStrategy[T], model: type[T]) -> st.SearchStrategy[T]:  # noqa: ARG001
    return strategy


def register_type_strategies() -> None:
    """Register this module's strategies with :func:`hypothesis.strategies.register_type_strategy`.

    Called when :mod:`reciprocity.testing` is imported, after which ``st.from_type`` works
    for every model: :class:`~reciprocity.Referral` (to any loaded scheme),
    :class:`~reciprocity.Partner`, :class:`~reciprocity.Membership`,
    :class:`~reciprocity.Tenancy`, :class:`~reciprocity.Household`,
    :class:`~reciprocity.Member`, :class:`~reciprocity.RiskAssessment`,
    :class:`~reciprocity.Homelessness` and :class:`~reciprocity.Area`. Calling it again is
    harmless. Nothing is loaded until a strategy is first used.
    """
    registrations: dict[type, st.SearchStrategy[Any]] = {
        Area: st.deferred(_any_area),
        Homelessness: homelessness(),
        Household: households(),
        Member: members(),
        Membership: memberships(),
        Partner: partners(),
        Referral: st.deferred(_any_scheme_referral),
        RiskAssessment: risk_assessments(),
        Tenancy: tenancies(),
    }
    for model, strategy in registrations.items():
        # A function, not the strategy itself: hypothesis would check a strategy for
        # emptiness now, which would load every scheme plugin at import time.
        st.register_type_strategy(model, functools.partial(_registered, strategy))
