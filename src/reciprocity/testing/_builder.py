"""Building a referral that follows a plan, field by field (see _strategies)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any, TypeVar

from hypothesis.errors import InvalidArgument

import reciprocity
from reciprocity.errors import UnknownSchemeError
from reciprocity.facts import social_tenant
from reciprocity.model import (
    Assessor,
    HarmType,
    Homelessness,
    HomelessnessDuty,
    Membership,
    MembershipStatus,
    Partner,
    PartnerKind,
    Referral,
    RiskAssessment,
    SubjectRole,
    Tenancy,
    TenancyType,
    Tenure,
)
from reciprocity.model.partner import NOTICE_PERIOD
from reciprocity.rules import FactContext, RuleSet, Scheme
from reciprocity.rules.logic import MISSING

T = TypeVar("T")

from reciprocity.testing._plans import (
    _AREA_RETRIES,
    _BASE_FACT_NAMES,
    _BOOLS,
    _FLAG_FIELDS,
    _HELD,
    _MAX_PLANS,
    _NOT_A_TENANT,
    _TRIALS,
    LEAD_ROLES,
    OUTSIDE_AREA,
    PARTNER_IDS,
    _Chooser,
    _fails,
    _holds,
    _Impossible,
    _known,
    _listed,
    _non_empty,
    _Plan,
    _Sampling,
)

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
        from reciprocity.testing._strategies import _maybe_household  # noqa: PLC0415 - the public strategies import this module

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
