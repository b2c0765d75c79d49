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
   A list (areas, kinds of harm) is drawn from what its tests ask, the elements it must,
   may and must not hold, at any length they allow (see _lists). Every fact no test
   mentions is irrelevant to the outcome, and is drawn freely: known or missing, any value.
4. Plans that no referral can satisfy (two rules wanting opposite things) are found once
   and dropped: most by reading their tests, the rest by trial (see _search). When no
   plan is left, the error names the rules and the fact they disagree on. A finished
   referral is checked against the plan with the scheme's own fact computations. For the
   core's facts it is only a safety net (the builder models how each is computed). A
   scheme's own derived fact is computed while its inputs are drawn: one read from a list
   (such as a count of requested areas) is tried on lists of every length, and only the
   lengths that pass are drawn (see _list_choices); one read from the current area (such
   as Cambridgeshire's ``moves_la_area``) narrows the areas offered. Each is checked again
   on the finished referral, whose areas are redrawn a few times before an example is
   given up. A derived fact's ``reads`` must name every field it reads.

Nothing here knows any particular scheme: everything comes from
``reciprocity.get_scheme(scheme_id)``, so a rule added or changed by a policy team is
picked up without touching this module.

Generated data never contains personal data: partners have ids such as ``partner_3`` and
no name, named leads are roles, referral ids look like ``case_12``, and household members
have only an age, a sex and a relationship.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any, TypeVar

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from reciprocity.errors import NoRulesInForceError
from reciprocity.model import (
    Area,
    FinalOffer,
    Homelessness,
    HomelessnessDuty,
    Household,
    Member,
    Membership,
    MembershipStatus,
    Offer,
    Partner,
    PartnerKind,
    Referral,
    Relationship,
    RiskAssessment,
    Sex,
    Tenancy,
    TenancyType,
)
from reciprocity.rules import Scheme

__all__ = [
    "areas",
    "eligible_referrals",
    "homelessness",
    "households",
    "members",
    "memberships",
    "offers",
    "partners",
    "referrals",
    "referrals_failing",
    "register_type_strategies",
    "risk_assessments",
    "tenancies",
]

T = TypeVar("T")

from reciprocity.testing._builder import (
    _all_schemes,
    _build,
    _Builder,
    _Context,
    _days,
    _membership,
    _scheme,
    _universe,
)
from reciprocity.testing._plans import (
    _BOOLS,
    _NO_PLAN,
    _RISK_PRESENT,
    EARLIEST,
    LATEST,
    LEAD_ROLES,  # noqa: F401 - re-exported: tests read the roles here
    OUTSIDE_AREA,
    PARTNER_IDS,
    _Drawing,
    _Impossible,
)
from reciprocity.testing._search import _plans

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


def offers(scheme_id: str, referral: Referral | None = None) -> st.SearchStrategy[Offer]:
    """Returns a strategy which generates an :class:`~reciprocity.Offer` of a home under ``scheme_id``.

    The landlord comes from :func:`partners` for the scheme. The home's area is one of the
    scheme's areas or, with ``referral``, often one of the areas that referral requests or
    marks unsafe (so both "suitable" and "in an unsafe area" are common); the offer is then
    made on or after the referral date. Bedrooms run from 0 to 6; every tenancy type
    appears; ``joint``, ``via``, ``highest_band`` and the final Part 6 offer (and each of
    its parts) are each known or missing, and a final offer is made by the referral's
    nominating partner about half the time. Offers carry no address or personal data: the
    id looks like ``offer_7``. Examples shrink towards the scheme's first area, a studio
    on a secure tenancy, the earliest date and every optional field missing.
    """

    def build_strategy() -> st.SearchStrategy[Offer]:
        scheme = _scheme(scheme_id)
        own = [a.id for a in scheme.areas]
        near = [] if referral is None else [*(referral.requested_areas or ()), *(referral.unsafe_areas or ())]
        start = EARLIEST if referral is None else referral.referred_on
        makers = list(PARTNER_IDS) if referral is None else [referral.nominating_partner.id, *PARTNER_IDS]
        final = st.builds(
            FinalOffer,
            made_by=st.sampled_from(makers),
            in_writing=st.sampled_from(_BOOLS),
            stated_final=st.sampled_from(_BOOLS),
            refusal_consequences_explained=st.sampled_from(_BOOLS),
            review_right_explained=st.sampled_from(_BOOLS),
        )
        return st.builds(
            Offer,
            id=st.none() | st.integers(1, 999).map("offer_{}".format),
            made_on=st.dates(start, max(start, LATEST)),
            landlord=partners(scheme_id),
            area=st.sampled_from(own) | (st.sampled_from(near) if near else st.sampled_from(own)),
            bedrooms=st.integers(0, 6),
            tenancy_type=st.sampled_from(TenancyType),
            joint=st.sampled_from(_BOOLS),
            via=st.sampled_from((None, "bid", "direct_let")),
            highest_band=st.sampled_from(_BOOLS),
            final_offer=st.none() | final,
        )

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
