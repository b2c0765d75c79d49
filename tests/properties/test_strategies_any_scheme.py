"""The targeted strategies build referrals for any scheme's rules, lists of any length included.

A scheme published outside this repository may ask for more than the built-in ones do: at
least six requested areas, at most two unsafe ones, three named areas among those requested.
``eligible_referrals`` and ``referrals_failing`` must meet such rules (or fail each on its
own), and a rule set no referral can satisfy must be reported at once, naming the rules and
the fact, not after minutes of search.

Everything here is read from an invented scheme (``many_areas``, "Many Areas Reciprocal
Agreement", written for these tests; it describes no real scheme, organisation or person),
registered for the module only. Its clauses are cited as "Many Areas MoU §n".
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


#: The scheme's own facts: how many areas a referral requests and marks unsafe. The rule
#: language has no count of a list, so a scheme counts through a derived fact like these.
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


RULES = (
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
        fact("requested_area_count").ge(param("minimum_requested_areas")),
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
        fact("unsafe_area_count").le(2),
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


def _scheme(scheme_id: str, rules: tuple[Rule, ...]) -> Scheme:
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
        parameters=PARAMETERS,
    )


SCHEME = _scheme("many_areas", RULES)
RULE_IDS = [r.id for r in SCHEME.rules]

#: Rule sets no referral satisfies: the rule added to the scheme's, and the rules and the
#: fact the error must name.
_EXTRA = {
    # At most two unsafe areas (§3.1) and at least three (an invented amendment).
    "unsafe_both_ways": (
        _rule("more_unsafe", "3.1", "At least three areas must be marked unsafe.",
              fact("unsafe_area_count").ge(3)),
        ("few_unsafe", "more_unsafe"),
        "unsafe_area_count",
    ),
    # The closed district (§2.4) must be requested after all.
    "closed_and_wanted": (
        _rule("wants_closed", "2.4", "The closed district must be requested.",
              fact("requested_areas").any_in({CLOSED})),
        ("closed_district", "wants_closed"),
        "requested_areas",
    ),
    # Nine districts, every one in the scheme (§2.1): the scheme has only eight.
    "nine_of_eight": (
        _rule("nine", "2.2", "The household must request at least nine districts.",
              fact("requested_area_count").ge(9)),
        ("requested_in_scheme", "nine"),
        "requested_area_count",
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
CONTRADICTORY = {
    f"contra_{name}": (_scheme(f"contra_{name}", (*RULES, extra)), named, fact_name)
    for name, (extra, named, fact_name) in _EXTRA.items()
}


@pytest.fixture(autouse=True, scope="module")
def _registered() -> Iterator[None]:
    """The invented schemes, registered for this module as a plugin would register them."""
    registry = reciprocity.plugins.registry()
    added = {SCHEME.id: SCHEME, **{sid: scheme for sid, (scheme, *_) in CONTRADICTORY.items()}}
    with pytest.MonkeyPatch.context() as mp:
        patched = attrs.evolve(registry, schemes={**registry.schemes, **added})
        mp.setattr(reciprocity.plugins, "_registry", patched)
        yield


def _areas(referral: Referral) -> tuple[set[str], set[str]]:
    return set(referral.requested_areas or ()), set(referral.unsafe_areas or ())


def _findings(referral: Referral, scheme_id: str = SCHEME.id) -> dict[str, Status]:
    decision = reciprocity.evaluate(scheme_id, referral)
    return {f.rule_id: f.status for f in decision.findings}


# --- every rule holds -------------------------------------------------------------------------


@settings(max_examples=60)
@given(eligible_referrals(SCHEME.id))
def test_eligible_referrals_request_six_districts_or_more(referral: Referral) -> None:
    """Many Areas MoU §2.1-§2.4 and §3.1 (invented): six or more of the scheme's districts,
    the three hubs among them and never the closed one; at most two unsafe areas."""
    assert reciprocity.evaluate(SCHEME.id, referral).outcome is Outcome.ELIGIBLE
    requested, unsafe = _areas(referral)
    assert len(referral.requested_areas or ()) == len(requested) >= 6
    assert requested <= AREA_IDS - {CLOSED}
    assert set(HUBS) <= requested
    assert len(unsafe) <= 2
    assert not requested & unsafe


def test_eligible_referrals_use_every_length_the_rules_allow() -> None:
    """Lengths are drawn from what the rules allow (six or seven of the seven open districts;
    no, one or two unsafe areas), not from a fixed maximum."""
    lengths, unsafe_lengths = set(), set()

    @settings(max_examples=100, database=None, phases=[Phase.generate])
    @given(eligible_referrals(SCHEME.id))
    def collect(referral: Referral) -> None:
        requested, unsafe = _areas(referral)
        lengths.add(len(requested))
        unsafe_lengths.add(len(unsafe))

    collect()
    assert lengths == {6, 7}
    assert unsafe_lengths == {0, 1, 2}


# --- one rule fails -------------------------------------------------------------------------


@pytest.mark.parametrize("rule_id", RULE_IDS)
@settings(max_examples=25)
@given(data=st.data())
def test_referrals_failing_fail_exactly_that_rule(rule_id: str, data: st.DataObject) -> None:
    """Each rule of the invented scheme fails on its own, every other one holding: §2.2 by
    fewer than six districts, §3.1 by three or more unsafe areas, and so on."""
    referral = data.draw(referrals_failing(SCHEME.id, rule_id))
    statuses = _findings(referral)
    assert statuses.pop(rule_id) is Status.NOT_MET
    assert set(statuses.values()) <= {Status.MET, Status.NOT_APPLICABLE}
    requested, unsafe = _areas(referral)
    if rule_id == "many_areas.wide_search":
        assert set(HUBS) <= requested and len(requested) < 6
    if rule_id == "many_areas.few_unsafe":
        assert len(unsafe) >= 3 and len(requested) >= 6
    if rule_id == "many_areas.closed_district":
        assert CLOSED in requested and len(requested) >= 6


# --- no referral satisfies the rules --------------------------------------------------------


@pytest.mark.parametrize("scheme_id", sorted(CONTRADICTORY))
def test_contradictory_rules_are_reported_naming_the_rules_and_the_fact(scheme_id: str) -> None:
    """At most two unsafe areas (§3.1) and at least three; the closed district (§2.4) both
    barred and required; a district barred and required by one rule; nine of the scheme's
    eight districts (§2.1). Each is reported when the strategy is first used, naming the rules at odds (and
    no other) and the fact they disagree on."""
    _, named, fact_name = CONTRADICTORY[scheme_id]

    @settings(max_examples=1, database=None, phases=[Phase.generate])
    @given(eligible_referrals(scheme_id))
    def draw(referral: Referral) -> None:
        pass

    with pytest.raises(InvalidArgument, match="contradictory") as raised:
        draw()
    message = str(raised.value)
    mentioned = {rule_id for rule_id in RULE_IDS + [f"many_areas.{n}" for n in named]
                 if rule_id.replace("many_areas.", f"{scheme_id}.", 1) in message}
    assert mentioned == {f"many_areas.{n}" for n in named}, message
    assert f"of {fact_name}:" in message


@pytest.mark.parametrize(
    ("rule", "unsafe_count_ok"),
    [("few_unsafe", lambda n: n >= 3), ("more_unsafe", lambda n: n <= 2)],
    ids=["few_unsafe", "more_unsafe"],
)
@settings(max_examples=20)
@given(data=st.data())
def test_each_of_two_contradictory_rules_still_fails_on_its_own(
    rule: str, unsafe_count_ok: Any, data: st.DataObject
) -> None:
    """The rules "at most two unsafe areas" (§3.1) and "at least three" (invented) cannot
    both hold, yet each can fail while the other holds: the contradiction is the pair's,
    and is not held against plans that need only one of them."""
    scheme_id = "contra_unsafe_both_ways"
    rule_id = f"{scheme_id}.{rule}"
    referral = data.draw(referrals_failing(scheme_id, rule_id))
    statuses = _findings(referral, scheme_id)
    assert statuses.pop(rule_id) is Status.NOT_MET
    assert set(statuses.values()) <= {Status.MET, Status.NOT_APPLICABLE}
    assert unsafe_count_ok(len(referral.unsafe_areas or ()))
