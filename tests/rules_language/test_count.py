"""The number of items of a list fact: ``fact("requested_areas").count().ge(5)`` (issue 15).

An outside scheme needed "the household must ask for at least five areas" and had to count
through a derived fact. ``count()`` says it in the language itself: a comparison of a list's
length with a whole number or a parameter, three-valued like every test (unknown when the
list is missing), with its words, and refused by the scheme when it counts a fact that is not
a list or compares with a parameter that is not a whole number.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from reciprocity import Referral, SchemeDefinitionError
from reciprocity.rules import (
    MISSING,
    Count,
    CountCompare,
    FactSpec,
    Parameter,
    all_of,
    any_of,
    fact,
    param,
)
from reciprocity.rules.export import scheme_document
from reciprocity.rules.expr import Env, counts

from . import KNOWN, LABELS, PARAM, F, T, X, referral, rule, run, scheme

OPS = ("eq", "ne", "lt", "le", "gt", "ge")
EXPECTED = {
    "eq": lambda n, k: n == k, "ne": lambda n, k: n != k, "lt": lambda n, k: n < k,
    "le": lambda n, k: n <= k, "gt": lambda n, k: n > k, "ge": lambda n, k: n >= k,
}  # fmt: skip


def _items(n: int) -> tuple[str, ...]:
    return tuple(f"area_{i}" for i in range(n))


# --- the truth table ----------------------------------------------------------------------------


@pytest.mark.parametrize(("op", "threshold"), list(itertools.product(OPS, (0, 1, 3))))
@pytest.mark.parametrize("negated", [False, True], ids=["plain", "negated"])
def test_count_truth_table_at_the_boundary_and_missing(op: str, threshold: int, negated: bool) -> None:
    """Each comparison at the threshold and one either side, ``~`` swapping true and false;
    a missing list is unknown and asks for the list, negated or not."""
    condition = getattr(fact("l").count(), op)(threshold)
    if negated:
        condition = ~condition
    for n in (threshold - 1, threshold, threshold + 1):
        if n < 0:
            continue
        expected = EXPECTED[op](n, threshold) is not negated
        assert run(condition, l=_items(n)) == (expected, set()), (op, threshold, n)
    assert run(condition) == (None, {"l"})
    assert run(condition, l=MISSING) == (None, {"l"})


@pytest.mark.parametrize("op", OPS)
def test_count_against_a_parameter_uses_its_value(op: str) -> None:
    condition = getattr(fact("l").count(), op)(param("p"))
    assert condition.facts() == {"l"}
    assert condition.params() == {"p"}
    for p, n in itertools.product((1, 2), (1, 2, 3)):
        assert run(condition, {"p": p}, l=_items(n)) == (EXPECTED[op](n, p), set())
    assert run(condition, {"p": 2}) == (None, {"l"})


def test_count_compiled_gives_what_evaluate_gives() -> None:
    """The native engine runs the compiled form: same truth, same missing facts."""
    condition = fact("l").count().ge(param("p")) | ~fact("m").count().eq(0)
    compiled = condition.compile({"p": 2})
    for l_value, m_value in itertools.product((MISSING, (), _items(1), _items(2)), repeat=2):
        facts = {"l": l_value, "m": m_value}
        assert compiled(facts) == condition.evaluate(Env(facts=facts, params={"p": 2}))


def test_count_combines_with_and_or_in_three_valued_logic() -> None:
    """A count test is one more three-valued test: false settles an and, true an or, and a
    missing list is asked for only while it could change the answer."""
    five = fact("l").count().ge(5)
    assert run(five & F, **KNOWN) == (False, set())
    assert run(five & T, **KNOWN) == (None, {"l"})
    assert run(five | T, **KNOWN) == (True, set())
    assert run(any_of(five, X), **KNOWN) == (None, {"l", "x"})
    assert run(all_of(five, T), l=_items(5), **KNOWN) == (True, set())
    assert run(all_of(five, T), l=_items(4), **KNOWN) == (False, set())
    assert run(~five | F, l=_items(4), **KNOWN) == (True, set())


def test_an_empty_list_counts_zero_when_known() -> None:
    assert run(fact("l").count().eq(0), l=()) == (True, set())
    assert run(fact("l").count().gt(0), l=()) == (False, set())


def test_the_core_list_conventions_decide_when_a_count_is_known() -> None:
    """src/reciprocity/facts.py: no requested areas is "not given" (count unknown); no unsafe
    areas is a known empty list (count 0)."""
    built = scheme(
        rule(require=fact("requested_areas").count().ge(1) & fact("unsafe_areas").count().eq(0)),
    )
    on = date(2024, 6, 1)
    ruleset = built.ruleset(on)
    facts = ruleset.facts_for(Referral.model_validate(referral(requested_areas=[], unsafe_areas=[])), on)
    assert facts["requested_areas"] is MISSING
    assert facts["unsafe_areas"] == ()
    assert run(fact("requested_areas").count().eq(0), **facts) == (None, {"requested_areas"})
    assert run(fact("unsafe_areas").count().eq(0), **facts) == (True, set())
    given = ruleset.facts_for(
        Referral.model_validate(referral(requested_areas=["a", "b"], unsafe_areas=["c"])), on
    )
    assert run(fact("requested_areas").count().eq(2), **given) == (True, set())
    assert run(fact("unsafe_areas").count().eq(0), **given) == (False, set())


# --- building, words, and what a scheme refuses ---------------------------------------------------


def test_count_builds_a_count_compare() -> None:
    counted = fact("l").count()
    assert counted == Count(fact("l"))
    condition = counted.le(2)
    assert isinstance(condition, CountCompare)
    assert (condition.op, condition.subject, condition.count) == ("le", fact("l"), counted)
    assert list(counts(T & ~(condition | F))) == [condition]


@pytest.mark.parametrize("value", [fact("m"), 2.5, "5", True, None])
def test_count_is_compared_with_a_whole_number_or_a_parameter(value: Any) -> None:
    with pytest.raises(TypeError, match="whole number or a parameter"):
        fact("l").count().ge(value)


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (fact("l").count().ge(5), "the number of l is at least 5"),
        (fact("l").count().eq(0), "the number of l is 0"),
        (fact("l").count().ne(1), "the number of l is not 1"),
        (fact("l").count().lt(param("p")), "the number of l is less than p"),
        (~fact("l").count().gt(2), "not (the number of l is more than 2)"),
        (fact("l").count().le(2) & T, "the number of l is at most 2 and t"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_count_rendering(condition: Any, text: str) -> None:
    assert condition.render(LABELS) == text


def test_count_renders_with_a_schemes_words_and_in_the_scheme_document() -> None:
    """A scheme's labels ("the requested areas", "the threshold"), in its generated words and
    in ``GET /schemes/{id}`` (rules/export.py gives each condition in those words)."""
    built = scheme(
        rule(require=fact("requested_areas").count().ge(param("threshold"))),
        parameters=(PARAM,),
    )
    text = "the number of the requested areas is at least the threshold"
    assert built.rules[0].require.render(built.labels) == text
    assert scheme_document(built)["rules"][0]["condition"] == text


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: scheme(rule(require=fact("risk.dash_score").count().ge(1))), "which is not a list fact"),
        (
            lambda: scheme(
                rule(require=fact("test.own").count().ge(1)),
                facts=(FactSpec("test.own", "its own", "what", lambda r, c: MISSING),),
            ),
            'declares kind="list"',
        ),
        (
            lambda: scheme(
                rule(require=fact("requested_areas").count().ge(param("p"))),
                parameters=(Parameter(name="p", label="p", description="d", values=[(None, 2), (date(2025, 1, 1), 2.5)]),),
            ),
            "whose every value must be a whole number",
        ),
    ],
    ids=["core-scalar", "own-fact-not-a-list", "fractional-parameter"],
)
def test_a_scheme_refuses_counting_what_is_not_a_list_or_by_what_is_not_a_number(build: Any, message: str) -> None:
    with pytest.raises(SchemeDefinitionError, match="rule test.rule") as caught:
        build()
    assert message in str(caught.value)


def test_a_scheme_accepts_counting_its_own_list_fact() -> None:
    built = scheme(
        rule(require=fact("test.own").count().ge(1)),
        facts=(FactSpec("test.own", "its own", "what", lambda r, c: MISSING, kind="list"),),
    )
    assert built.rules[0].require.facts() == {"test.own"}
