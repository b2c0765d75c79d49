"""Three-valued logic and each operator of the rule language."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from reciprocity.rules import (
    MISSING,
    AllIn,
    AllOf,
    AnyIn,
    AnyOf,
    Condition,
    NonEmpty,
    Not,
    OneOf,
    Present,
    all_of,
    any_of,
    fact,
    param,
)

from . import (
    KNOWN,
    LABELS,
    Colour,
    F,
    T,
    X,
    Y,
    flag,
    run,
)

# --- three-valued logic -----------------------------------------------------------------------

VALUES = {True: True, False: False, None: MISSING}


def _kleene_and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def _kleene_or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


TRUTHS = list(itertools.product([True, False, None], repeat=2))


@pytest.mark.parametrize(("a", "b"), TRUTHS)
@pytest.mark.parametrize("build", [all_of, lambda p, q: p & q], ids=["all_of", "&"])
def test_and_truth_table(a: bool | None, b: bool | None, build: Any) -> None:
    value, missing = run(build(flag("a"), flag("b")), a=VALUES[a], b=VALUES[b])
    assert value is _kleene_and(a, b)
    # Missing facts are reported only while they could still change the answer.
    expected = set() if value is not None else {n for n, v in (("a", a), ("b", b)) if v is None}
    assert missing == expected


@pytest.mark.parametrize(("a", "b"), TRUTHS)
@pytest.mark.parametrize("build", [any_of, lambda p, q: p | q], ids=["any_of", "|"])
def test_or_truth_table(a: bool | None, b: bool | None, build: Any) -> None:
    value, missing = run(build(flag("a"), flag("b")), a=VALUES[a], b=VALUES[b])
    assert value is _kleene_or(a, b)
    expected = set() if value is not None else {n for n, v in (("a", a), ("b", b)) if v is None}
    assert missing == expected


@pytest.mark.parametrize("a", [True, False, None])
@pytest.mark.parametrize("build", [Not, lambda p: ~p], ids=["Not", "~"])
def test_not_truth_table(a: bool | None, build: Any) -> None:
    value, missing = run(build(flag("a")), a=VALUES[a])
    assert value is (None if a is None else not a)
    assert missing == ({"a"} if a is None else set())


@pytest.mark.parametrize(
    ("condition", "value", "missing"),
    [
        (any_of(F, X), None, {"x"}),
        (all_of(F, X), False, set()),
        (all_of(X, F), False, set()),  # order does not matter
        (all_of(T, X), None, {"x"}),
        (any_of(T, X), True, set()),
        (any_of(X, T), True, set()),
        (all_of(X, Y), None, {"x", "y"}),
        (any_of(X, Y), None, {"x", "y"}),
        (any_of(all_of(F, Y), X), None, {"x"}),  # y cannot matter: its conjunction is false
        (all_of(any_of(T, Y), X), None, {"x"}),  # y cannot matter: its disjunction is true
        (any_of(all_of(T, Y), X), None, {"x", "y"}),
        (Not(all_of(F, X)), True, set()),
        (Not(any_of(F, X)), None, {"x"}),
        (T & ~F & ~~T, True, set()),
    ],
    ids=lambda v: (
        v.render(LABELS) if isinstance(v, Condition)
        else "{" + ",".join(sorted(v)) + "}" if isinstance(v, set)
        else str(v)
    ),
)
def test_missing_names_only_facts_that_could_change_the_answer(
    condition: Condition, value: bool | None, missing: set[str]
) -> None:
    got, asked = run(condition, **KNOWN)
    assert got is value
    assert asked == missing


def test_operators_build_the_same_conditions_as_the_functions() -> None:
    assert (T & X) == all_of(T, X)
    assert (T | X) == any_of(T, X)
    assert ~T == Not(T)
    # Chains flatten into one junction instead of nesting.
    assert isinstance(T & F & X, AllOf) and len((T & F & X).items) == 3
    assert isinstance(T | F | X, AnyOf) and len((T | F | X).items) == 3
    assert len(all_of(T & F, X & Y).items) == 4
    # But a different junction stays nested.
    mixed = T & (F | X)
    assert len(mixed.items) == 2 and isinstance(mixed.items[1], AnyOf)


def test_an_empty_junction_is_refused() -> None:
    with pytest.raises(ValueError):
        all_of()
    with pytest.raises(ValueError):
        any_of()


# --- each operator --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "got", "value"),
    [
        ("eq", 3, True), ("ne", 3, False), ("lt", 3, False),
        ("le", 3, True), ("gt", 3, False), ("ge", 3, True),
        ("eq", 2, False), ("ne", 2, True), ("lt", 2, True),
        ("le", 2, True), ("gt", 2, False), ("ge", 2, False),
        ("gt", 4, True),
    ],
)  # fmt: skip
def test_comparisons(op: str, got: int, value: bool) -> None:
    condition = getattr(fact("n"), op)(3)
    assert run(condition, n=got) == (value, set())
    assert run(condition) == (None, {"n"})


def test_comparison_against_a_parameter_uses_its_value() -> None:
    condition = fact("score").ge(param("minimum"))
    assert run(condition, {"minimum": 14}, score=14) == (True, set())
    assert run(condition, {"minimum": 14}, score=13) == (False, set())
    assert run(condition, {"minimum": 10}, score=13) == (True, set())
    assert condition.params() == {"minimum"}
    assert condition.facts() == {"score"}


def test_comparison_between_two_facts() -> None:
    condition = fact("landlord").eq(fact("nominator"))
    assert condition.facts() == {"landlord", "nominator"}
    assert run(condition, landlord="a", nominator="a") == (True, set())
    assert run(condition, landlord="a", nominator="b") == (False, set())
    assert run(condition, landlord="a") == (None, {"nominator"})
    assert run(condition, nominator="a") == (None, {"landlord"})


def test_comparison_between_two_missing_facts_asks_for_both() -> None:
    assert run(fact("landlord").eq(fact("nominator"))) == (None, {"landlord", "nominator"})


def test_one_of() -> None:
    condition = fact("c").one_of({Colour.RED, Colour.DARK_BLUE})
    assert isinstance(condition, OneOf)
    assert run(condition, c=Colour.RED) == (True, set())
    assert run(condition, c="red") == (True, set())  # a StrEnum equals its value
    assert run(condition, c="green") == (False, set())
    assert run(condition) == (None, {"c"})
    by_param = fact("c").one_of(param("colours"))
    assert run(by_param, {"colours": frozenset({"red"})}, c="red") == (True, set())
    assert run(by_param, {"colours": frozenset({"red"})}, c="dark_blue") == (False, set())


@pytest.mark.parametrize(
    ("items", "any_in", "all_in", "non_empty"),
    [
        (("a",), True, True, True),
        (("a", "b"), True, True, True),
        (("a", "z"), True, False, True),
        (("z",), False, False, True),
        ((), False, True, False),  # every item of nothing is allowed; none is given
    ],
)
def test_list_operators(items: tuple[str, ...], any_in: bool, all_in: bool, non_empty: bool) -> None:
    allowed = ["a", "b"]
    assert isinstance(fact("l").any_in(allowed), AnyIn)
    assert isinstance(fact("l").all_in(allowed), AllIn)
    assert isinstance(fact("l").non_empty(), NonEmpty)
    assert run(fact("l").any_in(allowed), l=items) == (any_in, set())
    assert run(fact("l").all_in(allowed), l=items) == (all_in, set())
    assert run(fact("l").non_empty(), l=items) == (non_empty, set())
    assert run(fact("l").all_in(param("p")), {"p": frozenset(allowed)}, l=items) == (all_in, set())


@pytest.mark.parametrize("build", [lambda f: f.any_in(["a"]), lambda f: f.all_in(["a"]), lambda f: f.non_empty()])
def test_list_operators_are_unknown_when_the_list_is_missing(build: Any) -> None:
    assert run(build(fact("l"))) == (None, {"l"})


def test_present_is_never_unknown() -> None:
    assert isinstance(fact("x").present(), Present)
    assert run(fact("x").present()) == (False, set())
    assert run(fact("x").present(), x=False) == (True, set())  # a known "no" is present
    assert run(fact("x").present(), x=()) == (True, set())
    assert run(~fact("x").present()) == (True, set())
    # So it can settle a junction that would otherwise ask for x.
    assert run(any_of(~fact("x").present(), X)) == (True, set())


def test_a_missing_fact_is_not_false() -> None:
    assert run(fact("x").is_false()) == (None, {"x"})
    assert run(fact("x").eq(None)) == (None, {"x"})
    assert run(fact("x").is_false(), x=False) == (True, set())


def test_conditions_list_what_they_read() -> None:
    condition = (flag("a") & fact("b").ge(param("p"))) | ~fact("c").one_of(param("q")) | fact("d").present()
    assert condition.facts() == {"a", "b", "c", "d"}
    assert condition.params() == {"p", "q"}


