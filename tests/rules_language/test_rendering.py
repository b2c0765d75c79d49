"""Conditions rendered in words, plainly and with a scheme's vocabulary."""

from __future__ import annotations

from datetime import date

import pytest

from reciprocity.model import PartnerKind
from reciprocity.rules import (
    Condition,
    Scheme,
    all_of,
    any_of,
    fact,
    param,
)

from . import (
    LABELS,
    Colour,
    F,
    T,
    X,
    Y,
)

# --- rendering --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (fact("n").ge(3), "n is at least 3"),
        (fact("n").lt(param("p")), "n is less than p"),
        (fact("n").ne(3), "n is not 3"),
        (fact("a").is_true(), "a"),  # a flag reads as its label
        (fact("a").is_false(), "it is not so that a"),
        (fact("a").eq(3), "a is 3"),
        (fact("kind").eq(PartnerKind.REGISTERED_PROVIDER), "kind is registered provider"),
        (fact("c").one_of({Colour.RED, Colour.DARK_BLUE}), "c is one of: dark blue, red"),
        (fact("l").any_in(["b", "a"]), "l include at least one of: a, b"),
        (fact("l").all_in(["b", "a"]), "every one of l is one of: a, b"),
        (fact("l").non_empty(), "at least one is given for l"),
        (fact("x").present(), "x is known"),
        (~T, "not (t)"),
        (T & F, "t and f"),
        (T | F, "t or f"),
        (any_of(T, all_of(F, X)), "t or (f and x)"),
        (all_of(T, any_of(F, X)), "t and (f or x)"),
        (any_of(all_of(T, F), all_of(X, Y)), "(t and f) or (x and y)"),
        (all_of(T, ~F), "t and (not (f))"),
        (~(T | F), "not (t or f)"),
        (fact("b").eq(True) | fact("n").eq(0), "b or n is 0"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_rendering(condition: Condition, text: str) -> None:
    assert condition.render(LABELS) == text


def test_rendering_with_a_schemes_words(example: Scheme) -> None:
    ruleset = example.ruleset(date(2025, 12, 1))
    rendered = {r.id: r.require.render(ruleset.labels) for r in ruleset.rules}
    assert rendered["example.dash_score"] == "the DASH score is at least the minimum DASH score"
    assert rendered["example.tenure"] == (
        "the household holds a social tenancy or the homelessness duty accepted is main"
    )
    assert rendered["example.requested_areas"] == (
        "at least one is given for the requested areas and every one of the requested areas "
        "is one of: the example scheme areas"
    )


