"""The targeted strategies build referrals for any scheme's rules, lists of any length included.

A scheme published outside this repository may ask for more than the built-in ones do: at
least six requested areas, at most two unsafe ones, three named areas among those requested.
``eligible_referrals`` and ``referrals_failing`` must meet such rules (or fail each on its
own), and a rule set no referral can satisfy must be reported at once, naming the rules and
the fact, not after minutes of search.

Everything here is read from an invented scheme (``many_areas``, "Many Areas Reciprocal
Agreement", written for these tests; it describes no real scheme, organisation or person),
registered for the module only. Its clauses are cited as "Many Areas MoU §n". It comes in
two spellings with the same meaning: ``many_areas`` counts the areas through derived facts
(``requested_area_count``), ``many_counted`` with the rule language's own count
(``fact("requested_areas").count().ge(...)``); every property is checked of both. A third
invented scheme, ``exact_areas``, asks for an exact number of areas and rules one number
out (``count().eq(param)``, ``count().ne(1)``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import reciprocity
from reciprocity import Area, HarmType, Outcome, Referral, Scheme, Status
from reciprocity.engines import durable
from reciprocity.rules import (
    MISSING,
    Clause,
    FactContext,
    FactSpec,
    Parameter,
    Rule,
    Source,
    all_of,
    fact,
    param,
)
from reciprocity.testing import eligible_referrals, referrals_failing

MOU = Source(
    key="many",
    title="Many Areas Reciprocal Agreement (invented, for tests)",
    citation="Many Areas MoU",
    file="many_areas_mou.txt",
)


def _clause(ref: str) -> Clause:
    return Clause(MOU, ref)


#: Eight invented districts; the first three are the "hub" districts of §2.3, the last is
#: closed to new referrals (§2.4).
AREAS = tuple(
    Area(id=f"district_{n}", name=f"District {n}", council=f"District {n} Council (invented)")
    for n in range(1, 9)
)
AREA_IDS = frozenset(a.id for a in AREAS)
HUBS = ("district_1", "district_2", "district_3")
CLOSED = "district_8"


def _count(field: str) -> Any:
    def compute(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
        areas = getattr(referral, field)
        return MISSING if areas is None else len(areas)

    return compute


#: The scheme's own facts: how many areas a referral requests and marks unsafe, as a scheme
#: counted before the rule language had ``count()`` (and still may).
FACTS = (
    FactSpec(
        "requested_area_count",
        "the number of requested areas",
        "which areas the household asks to move to",
        _count("requested_areas"),
        kind="number",
        derived=True,
        reads=("requested_areas",),
    ),
    FactSpec(
        "unsafe_area_count",
        "the number of unsafe areas",
        "which areas are unsafe for the household",
        _count("unsafe_areas"),
        kind="number",
        derived=True,
        reads=("unsafe_areas",),
    ),
)

PARAMETERS = (
    Parameter(
        name="scheme_areas",
        label="Many Areas districts",
        description="The districts a household can ask to move to.",
        values=[(None, AREA_IDS)],
        clauses=_clause("1.1"),
    ),
    Parameter(
        name="minimum_requested_areas",
        label="fewest areas a household must request",
        description="A household must accept a wide search.",
        values=[(None, 6)],
        clauses=_clause("2.2"),
    ),
)


def _rule(rule_id: str, ref: str, statement: str, require: Any) -> Rule:
    return Rule(
        id=f"many_areas.{rule_id}",
        clauses=_clause(ref),
        statement=statement,
        require=require,
        passed=f"{statement} (met)",
        failed=f"{statement} (not met)",
    )


#: The derived fact that counts each list, in the ``derived`` spelling.
_COUNT_FACTS = {"requested_areas": "requested_area_count", "unsafe_areas": "unsafe_area_count"}


def _counted(spelling: str, list_fact: str) -> tuple[Any, str]:
    """What counts ``list_fact`` in ``spelling``, and the fact a contradiction of it names."""
    if spelling == "derived":
        return fact(_COUNT_FACTS[list_fact]), _COUNT_FACTS[list_fact]
    return fact(list_fact).count(), list_fact


def _rules(spelling: str) -> tuple[Rule, ...]:
    requested, _ = _counted(spelling, "requested_areas")
    unsafe, _ = _counted(spelling, "unsafe_areas")
    return (
        _rule(
            "requested_in_scheme",
            "2.1",
            "Every requested area must be one of the scheme's districts.",
            fact("requested_areas").non_empty() & fact("requested_areas").all_in(param("scheme_areas")),
        ),
        _rule(
            "wide_search",
            "2.2",
            "The household must request at least six districts.",
            requested.ge(param("minimum_requested_areas")),
        ),
        _rule(
            "hubs_requested",
            "2.3",
            "The three hub districts must all be requested.",
            all_of(*(fact("requested_areas").any_in({hub}) for hub in HUBS)),
        ),
        _rule(
            "closed_district",
            "2.4",
            "The closed district may not be requested.",
            ~fact("requested_areas").any_in({CLOSED}),
        ),
        _rule(
            "few_unsafe",
            "3.1",
            "At most two areas may be marked unsafe.",
            unsafe.le(2),
        ),
        _rule(
            "abuse",
            "3.2",
            "The household must be at risk of domestic abuse.",
            fact("risk.harm_types").any_in({HarmType.DOMESTIC_ABUSE}),
        ),
        _rule(
            "social_tenant",
            "3.3",
            "The household must hold a social tenancy.",
            fact("social_tenant").is_true(),
        ),
    )


RULES = _rules("derived")


def _scheme(scheme_id: str, rules: tuple[Rule, ...], *, parameters: tuple[Parameter, ...] = PARAMETERS) -> Scheme:
    return Scheme(
        id=scheme_id,
        title="Many Areas Reciprocal Agreement (invented)",
        summary="An invented scheme whose rules ask for long lists of areas.",
        version="test.1",
        sources=(MOU,),
        areas=AREAS,
        rules=tuple(
            attrs.evolve(r, id=r.id.replace("many_areas.", f"{scheme_id}.", 1)) for r in rules
        ),
        facts=FACTS,
        parameters=parameters,
    )


SCHEME = _scheme("many_areas", RULES)
COUNTED = _scheme("many_counted", _rules("count"))
#: The scheme of each spelling.
SPELLINGS = {"derived": SCHEME.id, "count": COUNTED.id}
RULE_NAMES = [r.id.removeprefix("many_areas.") for r in SCHEME.rules]
spellings = pytest.mark.parametrize("scheme_id", [SCHEME.id, COUNTED.id], ids=list(SPELLINGS))

def _in_both_spellings(spelling: str) -> dict[str, tuple[Rule, tuple[str, ...], str]]:
    requested, requested_fact = _counted(spelling, "requested_areas")
    unsafe, unsafe_fact = _counted(spelling, "unsafe_areas")
    return {
        # At most two unsafe areas (§3.1) and at least three (an invented amendment).
        "unsafe_both_ways": (
            _rule("more_unsafe", "3.1", "At least three areas must be marked unsafe.", unsafe.ge(3)),
            ("few_unsafe", "more_unsafe"),
            unsafe_fact,
        ),
        # Nine districts, every one in the scheme (§2.1): the scheme has only eight.
        "nine_of_eight": (
            _rule("nine", "2.2", "The household must request at least nine districts.", requested.ge(9)),
            ("requested_in_scheme", "nine"),
            requested_fact,
        ),
    }


#: Rule sets no referral satisfies: the rule added to the scheme's, and the rules and the
#: fact the error must name. With derived facts the error names the count fact; with
#: ``count()``, the list itself.
_EXTRA = {
    **_in_both_spellings("derived"),
    # The closed district (§2.4) must be requested after all.
    "closed_and_wanted": (
        _rule("wants_closed", "2.4", "The closed district must be requested.",
              fact("requested_areas").any_in({CLOSED})),
        ("closed_district", "wants_closed"),
        "requested_areas",
    ),
    # One rule at odds with itself: a district both required and barred.
    "at_odds": (
        _rule("at_odds", "2.4", "District 4 must be requested and must not be.",
              fact("requested_areas").any_in({"district_4"})
              & ~fact("requested_areas").any_in({"district_4"})),
        ("at_odds",),
        "requested_areas",
    ),
}
_EXTRA_COUNTED = {
    **_in_both_spellings("count"),
    # The fewest areas raised above what the scheme has, through the parameter (§2.2).
    "nine_by_parameter": (
        None,
        ("requested_in_scheme", "wide_search"),
        "requested_areas",
    ),
    # At least two unsafe areas but not two (an invented amendment), and at most two (§3.1).
    "two_but_not_two": (
        _rule("not_two_unsafe", "3.1", "At least two areas, but not two, must be marked unsafe.",
              fact("unsafe_areas").count().ge(2) & fact("unsafe_areas").count().ne(2)),
        ("few_unsafe", "not_two_unsafe"),
        "unsafe_areas",
    ),
    # More than two unsafe areas (an invented amendment) and at most two (§3.1).
    "more_than_two_unsafe": (
        _rule("more_than_two", "3.1", "More than two areas must be marked unsafe.",
              fact("unsafe_areas").count().gt(2)),
        ("few_unsafe", "more_than_two"),
        "unsafe_areas",
    ),
    # One rule at odds with itself: fewer than one unsafe area, and at least one.
    "unsafe_at_odds": (
        _rule("unsafe_at_odds", "3.1", "Fewer than one area, and at least one, must be marked unsafe.",
              fact("unsafe_areas").count().lt(1) & fact("unsafe_areas").count().ge(1)),
        ("unsafe_at_odds",),
        "unsafe_areas",
    ),
}
_NINE = tuple(
    attrs.evolve(p, values=[(None, 9)]) if p.name == "minimum_requested_areas" else p for p in PARAMETERS
)
CONTRADICTORY = {
    **{
        f"contra_{name}": (_scheme(f"contra_{name}", (*RULES, extra)), named, fact_name)
        for name, (extra, named, fact_name) in _EXTRA.items()
    },
    **{
        f"contra_counted_{name}": (
            _scheme(
                f"contra_counted_{name}",
                (*_rules("count"), *((extra,) if extra is not None else ())),
                parameters=_NINE if extra is None else PARAMETERS,
            ),
            named,
            fact_name,
        )
        for name, (extra, named, fact_name) in _EXTRA_COUNTED.items()
    },
}


# --- an exact number of areas, and a number ruled out -----------------------------------------

EXACT = Scheme(
    id="exact_areas",
    title="Exact Areas Reciprocal Agreement (invented)",
    summary="An invented scheme asking for an exact number of areas.",
    version="test.1",
    sources=(MOU,),
    areas=AREAS,
    rules=(
        Rule(
            id="exact_areas.four_requested",
            clauses=_clause("5.1"),
            statement="The household must request exactly the number of districts the scheme sets.",
            require=fact("requested_areas").count().eq(param("requested_areas_exactly")),
            passed="the number is as set",
            failed="the number is not as set",
        ),
        Rule(
            id="exact_areas.not_one_unsafe",
            clauses=_clause("5.2"),
            statement="Name no unsafe area or at least two, and at most three.",
            require=fact("unsafe_areas").count().ne(1) & fact("unsafe_areas").count().lt(4),
            passed="the unsafe areas are as the scheme asks",
            failed="the unsafe areas are not as the scheme asks",
        ),
    ),
    parameters=(
        Parameter(
            name="requested_areas_exactly",
            label="number of districts to request",
            description="How many districts a household requests.",
            values=[(None, 4)],
            clauses=_clause("5.1"),
        ),
    ),
)


@pytest.fixture(autouse=True, scope="module")
def _registered() -> Iterator[None]:
    """The invented schemes, registered for this module as a plugin would register them."""
    registry = reciprocity.plugins.registry()
    added = {
        SCHEME.id: SCHEME, COUNTED.id: COUNTED, EXACT.id: EXACT,
        **{sid: scheme for sid, (scheme, *_) in CONTRADICTORY.items()},
    }
    with pytest.MonkeyPatch.context() as mp:
        patched = attrs.evolve(registry, schemes={**registry.schemes, **added})
        mp.setattr(reciprocity.plugins, "_registry", patched)
        yield


def _areas(referral: Referral) -> tuple[set[str], set[str]]:
    return set(referral.requested_areas or ()), set(referral.unsafe_areas or ())


def _findings(referral: Referral, scheme_id: str = SCHEME.id) -> dict[str, Status]:
    decision = reciprocity.evaluate(scheme_id, referral)
    return {f.rule_id: f.status for f in decision.findings}


def _same_on_durable(scheme_id: str, referral: Referral) -> None:
    """The durable engine decides the referral as the native one does (when it imports)."""
    if durable.IMPORT_ERROR is None:
        assert reciprocity.evaluate(scheme_id, referral, engine="durable") == reciprocity.evaluate(
            scheme_id, referral
        )


# --- every rule holds -------------------------------------------------------------------------


@spellings
@settings(max_examples=60)
@given(data=st.data())
def test_eligible_referrals_request_six_districts_or_more(scheme_id: str, data: st.DataObject) -> None:
    """Many Areas MoU §2.1-§2.4 and §3.1 (invented): six or more of the scheme's districts,
    the three hubs among them and never the closed one; at most two unsafe areas. Spelt
    with derived facts or with ``count()``, on both engines."""
    referral = data.draw(eligible_referrals(scheme_id))
    assert reciprocity.evaluate(scheme_id, referral).outcome is Outcome.ELIGIBLE
    requested, unsafe = _areas(referral)
    assert len(referral.requested_areas or ()) == len(requested) >= 6
    assert requested <= AREA_IDS - {CLOSED}
    assert set(HUBS) <= requested
    assert len(unsafe) <= 2
    assert not requested & unsafe
    _same_on_durable(scheme_id, referral)


def _lengths(strategy: st.SearchStrategy[Referral]) -> tuple[set[int], set[int]]:
    """The lengths of requested and unsafe areas in 100 drawn referrals."""
    lengths: set[int] = set()
    unsafe_lengths: set[int] = set()

    @settings(max_examples=100, database=None, phases=[Phase.generate])
    @given(strategy)
    def collect(referral: Referral) -> None:
        requested, unsafe = _areas(referral)
        lengths.add(len(requested))
        unsafe_lengths.add(len(unsafe))

    collect()
    return lengths, unsafe_lengths


@spellings
def test_eligible_referrals_use_every_length_the_rules_allow(scheme_id: str) -> None:
    """Lengths are drawn from what the rules allow (six or seven of the seven open districts;
    no, one or two unsafe areas), not from a fixed maximum."""
    assert _lengths(eligible_referrals(scheme_id)) == ({6, 7}, {0, 1, 2})


# --- one rule fails -------------------------------------------------------------------------


@spellings
@pytest.mark.parametrize("rule", RULE_NAMES)
@settings(max_examples=25)
@given(data=st.data())
def test_referrals_failing_fail_exactly_that_rule(scheme_id: str, rule: str, data: st.DataObject) -> None:
    """Each rule of the invented scheme fails on its own, every other one holding: §2.2 by
    fewer than six districts, §3.1 by three or more unsafe areas, and so on."""
    rule_id = f"{scheme_id}.{rule}"
    referral = data.draw(referrals_failing(scheme_id, rule_id))
    statuses = _findings(referral, scheme_id)
    assert statuses.pop(rule_id) is Status.NOT_MET
    assert set(statuses.values()) <= {Status.MET, Status.NOT_APPLICABLE}
    requested, unsafe = _areas(referral)
    if rule == "wide_search":
        assert set(HUBS) <= requested and len(requested) < 6
    if rule == "few_unsafe":
        assert len(unsafe) >= 3 and len(requested) >= 6
    if rule == "closed_district":
        assert CLOSED in requested and len(requested) >= 6
    _same_on_durable(scheme_id, referral)


# --- no referral satisfies the rules --------------------------------------------------------


def _contradiction(scheme_id: str) -> str:
    """The error ``eligible_referrals`` raises when first used (measured: about 0.01 s each; no
    time is asserted here, as a timed assertion fails on a busy machine)."""

    @settings(max_examples=1, database=None, phases=[Phase.generate])
    @given(eligible_referrals(scheme_id))
    def draw(referral: Referral) -> None:
        pass

    with pytest.raises(InvalidArgument, match="contradictory") as raised:
        draw()
    return str(raised.value)


@pytest.mark.parametrize("scheme_id", sorted(CONTRADICTORY))
def test_contradictory_rules_are_reported_naming_the_rules_and_the_fact(scheme_id: str) -> None:
    """At most two unsafe areas (§3.1) and at least three; the closed district (§2.4) both
    barred and required; a district barred and required by one rule; nine of the scheme's
    eight districts (§2.1), by a rule or by the parameter of §2.2; at most two unsafe areas
    (§3.1) and at least two but not two, or more than two; fewer than one unsafe area and at
    least one. Each is reported when the strategy is first used, naming the rules
    at odds (and no other) and the fact they disagree on."""
    _, named, fact_name = CONTRADICTORY[scheme_id]
    message = _contradiction(scheme_id)
    names = {*RULE_NAMES, *named}
    mentioned = {name for name in names if f"{scheme_id}.{name}" in message}
    assert mentioned == set(named), message
    assert f"of {fact_name}:" in message


@pytest.mark.parametrize(
    ("scheme_id", "reason"),
    [
        ("contra_counted_unsafe_both_ways", "it must hold at least 3 and at most 2 elements"),
        ("contra_counted_nine_of_eight", "it must hold at least 9 but can hold at most 8"),
        ("contra_counted_nine_by_parameter", "it must hold at least 9 but can hold at most 8"),
        ("contra_counted_two_but_not_two", "it must hold 2 elements, but not (2)"),
        ("contra_counted_more_than_two_unsafe", "it must hold at least 3 and at most 2 elements"),
        ("contra_counted_unsafe_at_odds", "it must hold at least 1 and at most 0 elements"),
    ],
)
def test_a_count_contradiction_says_which_lengths_are_asked(scheme_id: str, reason: str) -> None:
    """A count test is a length limit the strategies read, so the error gives the lengths at
    odds, not only that no length passed."""
    assert reason in _contradiction(scheme_id)


@pytest.mark.parametrize(
    ("spelling", "rule", "unsafe_count_ok"),
    [
        ("", "few_unsafe", lambda n: n >= 3),
        ("", "more_unsafe", lambda n: n <= 2),
        ("counted_", "few_unsafe", lambda n: n >= 3),
        ("counted_", "more_unsafe", lambda n: n <= 2),
    ],
    ids=["few_unsafe", "more_unsafe", "counted-few_unsafe", "counted-more_unsafe"],
)
@settings(max_examples=20)
@given(data=st.data())
def test_each_of_two_contradictory_rules_still_fails_on_its_own(
    spelling: str, rule: str, unsafe_count_ok: Any, data: st.DataObject
) -> None:
    """The rules "at most two unsafe areas" (§3.1) and "at least three" (invented) cannot
    both hold, yet each can fail while the other holds: the contradiction is the pair's,
    and is not held against plans that need only one of them."""
    scheme_id = f"contra_{spelling}unsafe_both_ways"
    rule_id = f"{scheme_id}.{rule}"
    referral = data.draw(referrals_failing(scheme_id, rule_id))
    statuses = _findings(referral, scheme_id)
    assert statuses.pop(rule_id) is Status.NOT_MET
    assert set(statuses.values()) <= {Status.MET, Status.NOT_APPLICABLE}
    assert unsafe_count_ok(len(referral.unsafe_areas or ()))


# --- an exact number, by a parameter, and a number ruled out --------------------------------


def test_an_exact_count_and_a_count_ruled_out_are_drawn_exactly() -> None:
    """Exact Areas §5.1 (invented): exactly the parameter's four districts; §5.2: never
    exactly one unsafe area, and fewer than four. Every length allowed is drawn, no other."""
    assert _lengths(eligible_referrals(EXACT.id)) == ({4}, {0, 2, 3})


@pytest.mark.parametrize("rule", ["four_requested", "not_one_unsafe"])
@settings(max_examples=30)
@given(data=st.data())
def test_an_exact_count_fails_on_its_own(rule: str, data: st.DataObject) -> None:
    """Exact Areas §5.1 fails by any number of districts but four (the list given: a missing
    list leaves the count unknown, not wrong); §5.2 by one unsafe area or four or more."""
    rule_id = f"{EXACT.id}.{rule}"
    referral = data.draw(referrals_failing(EXACT.id, rule_id))
    statuses = _findings(referral, EXACT.id)
    assert statuses.pop(rule_id) is Status.NOT_MET
    assert set(statuses.values()) <= {Status.MET, Status.NOT_APPLICABLE}
    requested, unsafe = _areas(referral)
    if rule == "four_requested":
        assert requested and len(requested) != 4 and len(unsafe) in {0, 2, 3}
    else:
        assert referral.unsafe_areas is not None and len(unsafe) in {1, *range(4, 30)}
        assert len(requested) == 4
    _same_on_durable(EXACT.id, referral)
