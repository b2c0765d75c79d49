"""Building a referral that follows a plan, field by field (see _strategies)."""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from enum import Enum
from types import SimpleNamespace
from typing import Any, Literal, TypeVar

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
from reciprocity.model.base import plain_types
from reciprocity.model.partner import NOTICE_PERIOD
from reciprocity.rules import FactContext, RuleSet, Scheme
from reciprocity.rules.logic import MISSING

T = TypeVar("T")

from reciprocity.testing._list_choices import _ListDrawing, probe_for
from reciprocity.testing._lists import _Contradiction, disjoint_conflict
from reciprocity.testing._plans import (
    _AREA_RETRIES,
    _BASE_FACT_NAMES,
    _BOOLS,
    _FLAG_FIELDS,
    _HELD,
    _NOT_A_TENANT,
    LEAD_ROLES,
    OUTSIDE_AREA,
    PARTNER_IDS,
    _Chooser,
    _Impossible,
    _known,
    _listed,
    _non_empty,
    _Plan,
    _Test,
)

#: Referral fields a scheme's derived fact may name in ``reads``, and the facts they are.
_FIELD_FACTS = {"nominating_partner.stock_areas": "nominator.stock_areas"}

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
        #: The harm types a referral may list: the core's, then the scheme's own.
        self.harms: tuple[Any, ...] = (*HarmType, *(h.value for h in scheme.harm_types)) if scheme else tuple(HarmType)
        #: The lengths found to pass a probe that reads one list alone, by plan and needs.
        self.sizes: dict[tuple[Any, ...], list[int]] = {}


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


class _Builder(_ListDrawing):
    """Assembles one referral, fact by fact, offering each fact only values the plan allows.

    Lists are chosen by the methods of :class:`~reciprocity.testing._list_choices._ListDrawing`.
    """

    def __init__(self, chooser: _Chooser, plan: _Plan, ctx: _Context) -> None:
        self.c = chooser
        self.plan = plan
        self.ctx = ctx
        self.known: dict[str, Any] = {}
        self.needed_by = self._needed_derived_facts()
        self.must_know = frozenset(self.needed_by)

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

    def _needed_derived_facts(self) -> dict[str, tuple[_Test, ...]]:
        """Facts read by a scheme's own derived fact that the plan needs known, with the
        tests that need it."""
        if self.ctx.scheme is None:
            return {}
        catalogue = self.ctx.scheme.fact_catalogue
        needed: dict[str, tuple[_Test, ...]] = {}
        for name in self.plan.by_fact:
            spec = catalogue.get(name)
            if (
                spec is not None
                and name not in _BASE_FACT_NAMES
                and not self.plan.allows(name, MISSING, {})
            ):
                for field in spec.reads:
                    fact_name = _FIELD_FACTS.get(field, field)
                    needed[fact_name] = (*needed.get(fact_name, ()), *self.plan.by_fact[name])
        return needed

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
            stock_areas=self.choose_set(
                "nominator.stock_areas",
                universe,
                nullable=False,
                to_fact=_non_empty,
                max_extra=2,
                prefer=self.ctx.scheme_areas,
                free_pool=self.ctx.scheme_areas,
            ),
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
                "risk.dash_score": ((None, *range(25)) if present else (None,), _known),
                "risk.marac_referral": (_BOOLS if present else (None,), _known),
            }

        def workable(assessor: Assessor | None) -> bool:
            trial = {**self.known, "risk.assessed_by": _known(assessor)}
            if not self.plan.allows("risk.assessed_by", _known(assessor), self.known):
                return False
            if not self.list_possible("risk.harm_types", self.ctx.harms, trial, given=assessor is not None):
                return False
            return all(
                any(self.plan.allows(name, to_fact(v), trial) for v in values)
                for name, (values, to_fact) in options_for(assessor).items()
            )

        assessor = self.choose("risk.assessed_by", [a for a in (None, *Assessor) if workable(a)])
        if assessor is None:
            self.known.update({name: MISSING for name in (*options_for(None), "risk.harm_types")})
            return None
        at_risk = self.choose("risk.at_risk", options_for(assessor)["risk.at_risk"][0])
        harm_types = self.choose_set("risk.harm_types", self.ctx.harms, nullable=False, to_fact=_non_empty)
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

    def areas(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """The requested and unsafe areas, which never share an area, and the current area.

        When the plan asks something of both lists, the requested areas are drawn so as to
        leave the unsafe areas what they need. ``fields`` (the rest of the referral) let a
        scheme's own fact computed from one list alone be checked on each length tried.
        """
        universe = self.ctx.universe
        own = self.ctx.scheme_areas
        avoid: frozenset[str] = frozenset()
        keep = None
        unsafe_sizes = None
        unsafe_needs = self.needs_if_read("unsafe_areas", universe, _listed)
        if unsafe_needs is not None and unsafe_needs.present is not False:
            least = unsafe_needs.least()
            probe = probe_for(self.plan, self.ctx, "unsafe_areas", fields, self.known)
            if probe is not None and probe.static:  # such as "at most two unsafe areas"
                unsafe_sizes = self.lengths(unsafe_needs, probe, own)
                least = max(least, min(unsafe_sizes))
            requested_needs = self.needs_if_read("requested_areas", universe, _non_empty)
            if requested_needs is not None:
                reason = disjoint_conflict(requested_needs, unsafe_needs, least)
                if reason is not None:
                    raise requested_needs.contradiction(
                        reason, also=unsafe_needs.tests, static=unsafe_needs.static
                    )
            avoid = unsafe_needs.must()
            spare = frozenset(unsafe_needs.candidates()) - avoid
            if least > len(avoid):
                keep = (spare, len(spare) - (least - len(avoid)), unsafe_needs)
        requested = self.choose_set(
            "requested_areas",
            universe,
            nullable=True,
            to_fact=_non_empty,
            prefer=own,
            avoid=avoid,
            keep=keep,
            probe=probe_for(self.plan, self.ctx, "requested_areas", fields, self.known),
        )
        drawn = {**fields, "requested_areas": requested}
        unsafe = self.choose_set(
            "unsafe_areas",
            [a for a in universe if a not in (requested or ())],
            nullable=True,
            to_fact=_listed,
            prefer=own,
            probe=probe_for(self.plan, self.ctx, "unsafe_areas", drawn, self.known),
            sizes=unsafe_sizes,
        )
        places: Sequence[str | None] = (None, *universe)
        drawn["unsafe_areas"] = unsafe
        probe = probe_for(self.plan, self.ctx, "current_area", drawn, self.known)
        if probe is not None:  # such as Cambridgeshire's "moves to another council's area"
            places = [p for p in self.allowed("current_area", places) if probe.passes(p)]
        current = self.choose(
            "current_area", places, prefer=(*(requested or ()), *(unsafe or ()))
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
        own = self.own_fields()
        if own:
            fields["extensions"] = {self.ctx.scheme_id: own}
        from reciprocity.testing._strategies import _maybe_household  # noqa: PLC0415 - the public strategies import this module

        fields["household"] = self.c.free(_maybe_household(), None)
        before = dict(self.known)
        dead_end: _Impossible = _Impossible("a scheme's own derived facts")
        for _ in range(_AREA_RETRIES):
            self.known = dict(before)
            try:
                referral = Referral(**fields, **self.areas(fields))
            except _Contradiction:
                raise
            except _Impossible as error:
                dead_end = error
                continue
            failed = self._scheme_fact_failing(referral)
            if failed is None:
                return referral
            dead_end = _Impossible(failed)
        raise dead_end

    def own_fields(self) -> dict[str, Any]:
        """The scheme's own referral fields (``Scheme.referral_fields``): each drawn from its
        values as the plan allows (left out for unknown); a field of a type with no small set of
        values is left out, so a rule needing it known cannot be satisfied by drawing."""
        model = self.ctx.scheme.referral_fields if self.ctx.scheme is not None else None
        if model is None:
            return {}
        drawn: dict[str, Any] = {}
        for name, field in model.model_fields.items():
            value = self.choose(f"{self.ctx.scheme_id}.{name}", own_field_values(field.annotation))
            if value is not None:
                drawn[name] = value.value if isinstance(value, Enum) else value
        return drawn

    def _scheme_fact_failing(self, referral: Referral) -> str | None:
        """Check the scheme's own derived facts and record them: the first that fails, if any."""
        if self.ctx.scheme is None or self.ctx.ruleset is None:
            return None
        catalogue = self.ctx.scheme.fact_catalogue
        context = FactContext(on=self.ctx.day, params=dict(self.ctx.ruleset.params),
                              extension=self.ctx.scheme.read_fields(referral))
        for name in self.plan.by_fact:
            if name in _BASE_FACT_NAMES or name not in catalogue:
                continue
            value = catalogue[name].compute(referral, context)
            if not self.plan.allows(name, value, self.known):
                return name
            self.known[name] = value
        return None


def own_field_values(annotation: Any) -> tuple[Any, ...]:
    """The values drawn for a scheme's own field: None (unknown) and, for a yes-or-no, an enum,
    a Literal or a small whole number, each value it can take."""
    values: list[Any] = [None]
    for part in plain_types(annotation):
        if part is bool:
            values += [True, False]
        elif isinstance(part, type) and issubclass(part, Enum):
            values += list(part)
        elif typing.get_origin(part) is Literal:
            values += list(typing.get_args(part))
        elif part is int:
            values += list(range(11))
    return tuple(values)


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
