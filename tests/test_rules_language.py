"""The rule language: three-valued conditions, rendering, scheme checks and effective dates."""

from __future__ import annotations

import itertools
import sys
import tomllib
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

import reciprocity
from reciprocity import NoRulesInForceError, Outcome, SchemeDefinitionError, Status
from reciprocity.model import PartnerKind
from reciprocity.rules import (
    MISSING,
    AllIn,
    AllOf,
    AnyIn,
    AnyOf,
    Clause,
    Condition,
    FactSpec,
    Interpretation,
    NonEmpty,
    Not,
    OneOf,
    Parameter,
    Present,
    Rule,
    Scheme,
    Source,
    all_of,
    any_of,
    fact,
    param,
)
from reciprocity.rules.expr import Env, Labeller

HERE = Path(__file__).resolve().parent
THIRDPARTY = HERE / "thirdparty"
EXAMPLE_PACKAGE = THIRDPARTY / "reciprocity_example_scheme"
BUILTIN = ("kent_rp", "kent_krs", "cambridgeshire")

LABELS = Labeller()  # names as they are: rendering without a scheme's vocabulary


def run(condition: Condition, params: dict[str, Any] | None = None, **facts: Any) -> tuple[Any, set[str]]:
    value, missing = condition.evaluate(Env(facts=facts, params=params or {}))
    return value, set(missing)


def flag(name: str) -> Condition:
    return fact(name).is_true()


# Facts named for their value: t is true, f is false, x and y are missing.
KNOWN = {"t": True, "f": False}
T, F, X, Y = flag("t"), flag("f"), flag("x"), flag("y")


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


class Colour(StrEnum):
    RED = "red"
    DARK_BLUE = "dark_blue"


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


# --- scheme construction ----------------------------------------------------------------------

MOU = Source(key="t1", title="Test agreement (invented)", citation="Test MoU", file="t1.txt")
OTHER = Source(key="t2", title="Another agreement (invented)", citation="Other MoU", file="t2.txt")


def rule(rule_id: str = "test.rule", *, source: Source = MOU, **changes: Any) -> Rule:
    fields: dict[str, Any] = {
        "id": rule_id,
        "clauses": Clause(source, "1.1"),
        "statement": "The need to move must be urgent.",
        "require": fact("urgent").is_true(),
        "passed": "the need is urgent",
        "failed": "the need is not urgent",
    }
    fields.update(changes)
    return Rule(**fields)


def scheme(*rules: Rule, **changes: Any) -> Scheme:
    fields: dict[str, Any] = {
        "id": "test",
        "title": "Test scheme",
        "summary": "An invented scheme.",
        "version": "1",
        "sources": (MOU,),
        "areas": (),
        "rules": rules or (rule(),),
    }
    fields.update(changes)
    return Scheme(**fields)


PARAM = Parameter(name="threshold", label="threshold", description="A threshold.", values=[(None, 3)])


def test_a_well_formed_scheme_is_accepted() -> None:
    built = scheme(
        rule(),
        rule("test.score", require=fact("risk.dash_score").ge(param("threshold"))),
        rule("test.own", require=fact("test.own_fact").is_true()),
        parameters=(PARAM,),
        facts=(FactSpec("test.own_fact", "its own fact", "whether it holds", lambda r, c: MISSING),),
    )
    assert [r.id for r in built.rules] == ["test.rule", "test.score", "test.own"]
    assert "test.own_fact" in built.fact_catalogue
    assert "urgent" in built.fact_catalogue  # the core's facts are always there


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: scheme(rule(require=fact("no_such_fact").is_true())), "undeclared fact 'no_such_fact'"),
        (lambda: scheme(rule(when=fact("no_such_fact").is_true())), "undeclared fact 'no_such_fact'"),
        (lambda: scheme(rule(require=fact("urgent").eq(param("nope")))), "undeclared parameter 'nope'"),
        (lambda: scheme(rule(when=fact("risk.dash_score").ge(param("nope")))), "undeclared parameter 'nope'"),
        (lambda: scheme(rule(), rule()), "two versions of rule test.rule"),
        (
            lambda: scheme(
                rule(effective_to=date(2025, 1, 1)), rule(effective_from=date(2024, 6, 1))
            ),
            "two versions of rule test.rule",
        ),
        (
            lambda: scheme(
                rule(effective_from=date(2024, 1, 1), effective_to=date(2025, 1, 1)),
                rule(effective_from=date(2024, 12, 31), effective_to=date(2026, 1, 1)),
            ),
            "in force at the same time",
        ),
        (
            lambda: scheme(rule(effective_from=date(2024, 1, 1)), rule(effective_from=date(2026, 1, 1))),
            "in force at the same time",  # the first never ends
        ),
        (lambda: scheme(rule(source=OTHER)), "cites a source the scheme does not list"),
        (lambda: scheme(rule("other.rule")), "must start with the scheme id 'test'"),
        (lambda: scheme(rule("tests.rule")), "must start with the scheme id 'test'"),
        (lambda: scheme(parameters=(PARAM, PARAM)), "two parameters share a name"),
        (
            lambda: scheme(facts=(FactSpec("urgent", "urgent", "is it urgent", lambda r, c: MISSING),)),
            "shadows a core fact",
        ),
    ],
    ids=[
        "undeclared-fact",
        "undeclared-fact-in-when",
        "undeclared-param",
        "undeclared-param-in-when",
        "same-id-twice",
        "overlapping-versions",
        "overlap-by-a-day",
        "open-ended-overlap",
        "foreign-source",
        "wrong-prefix",
        "prefix-not-a-word-boundary",
        "duplicate-parameter",
        "shadowed-fact",
    ],
)
def test_scheme_construction_rejects_inconsistent_declarations(build: Any, message: str) -> None:
    with pytest.raises(SchemeDefinitionError) as caught:
        build()
    assert message in str(caught.value)
    assert str(caught.value).startswith("scheme test:")  # says which scheme is at fault


def test_adjacent_rule_versions_do_not_overlap() -> None:
    built = scheme(
        rule(effective_from=date(2024, 1, 1), effective_to=date(2025, 1, 1)),
        rule(effective_from=date(2025, 1, 1)),
    )
    assert [r.id for r in built.ruleset(date(2024, 12, 31)).rules] == ["test.rule"]
    assert built.ruleset(date(2024, 12, 31)).rules[0].effective_to == date(2025, 1, 1)
    assert built.ruleset(date(2025, 1, 1)).rules[0].effective_from == date(2025, 1, 1)


def test_a_rule_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        rule(effective_from=date(2025, 1, 1), effective_to=date(2025, 1, 1))


def test_a_failed_rule_cannot_make_a_referral_eligible() -> None:
    with pytest.raises(ValueError):
        rule(on_fail=Outcome.ELIGIBLE)


def test_parameter_values_must_be_in_date_order() -> None:
    with pytest.raises(ValueError):
        Parameter(name="p", label="p", description="d", values=[(date(2025, 1, 1), 1), (date(2024, 1, 1), 2)])
    with pytest.raises(ValueError):
        Parameter(name="p", label="p", description="d", values=[(date(2025, 1, 1), 1), (None, 2)])


@pytest.mark.parametrize("where", ["parameter", "interpretation"])
def test_every_clause_must_cite_a_source_of_the_scheme(where: str) -> None:
    foreign = Clause(OTHER, "9.9")
    with pytest.raises(SchemeDefinitionError):
        if where == "parameter":
            scheme(parameters=(Parameter(name="p", label="p", description="d", values=[(None, 1)], clauses=foreign),))
        else:
            scheme(interpretations=(Interpretation(id="test.i", clauses=foreign, question="q", choice="c", reason="r"),))


# --- effective dates, through the third-party example scheme ------------------------------


def _write_dist(site: Path) -> None:
    with (EXAMPLE_PACKAGE / "pyproject.toml").open("rb") as handle:
        declared = tomllib.load(handle)["project"]["entry-points"]["reciprocity"]
    info = site / "reciprocity_example_scheme-0.0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: reciprocity-example-scheme\nVersion: 0.0.1\n", encoding="utf-8"
    )
    lines = ["[reciprocity]", *(f"{k} = {v}" for k, v in declared.items()), ""]
    (info / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def example(tmp_path: Path) -> Iterator[Scheme]:
    """The example scheme, installed as a plugin and loaded through the registry."""
    site = tmp_path / "site-packages"
    site.mkdir()
    _write_dist(site)
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(site))
        mp.syspath_prepend(str(THIRDPARTY))
        mp.setenv("RECIPROCITY_LOAD_PLUGINS", ",".join([*BUILTIN, "example"]))
        reciprocity.reload_plugins()
        yield reciprocity.get_scheme("example")
    for name in [n for n in sys.modules if n.split(".")[0] == "reciprocity_example_scheme"]:
        del sys.modules[name]
    assert "example" not in reciprocity.reload_plugins().schemes


def referral(**changes: Any) -> dict[str, Any]:
    """Not a social tenant as far as the referral says, owed the main duty, DASH 12."""
    base: dict[str, Any] = {
        "id": "EX-0002",
        "referred_on": "2024-06-01",
        "nominating_partner": {"id": "north_homes", "kind": "registered_provider"},
        "tenure": "temporary_accommodation",
        "homelessness": {"duty": "main", "application_made": True},
        "risk": {"assessed_by": "idva", "at_risk": True, "dash_score": 12},
        "requested_areas": ["south_example"],
    }
    base.update(changes)
    return base


def statuses(decision: reciprocity.Decision) -> dict[str, Status]:
    return {f.rule_id: f.status for f in decision.findings}


def finding(decision: reciprocity.Decision, rule_id: str) -> reciprocity.Finding:
    return next(f for f in decision.findings if f.rule_id == rule_id)


@pytest.mark.parametrize(
    ("on", "outcome", "tenure_from", "dash", "since"),
    [
        # 2024 rules: social tenants only (unknown here), DASH of at least 14 (12 is not).
        (date(2024, 1, 1), Outcome.INELIGIBLE, date(2024, 1, 1), Status.NOT_MET, "2024-01-01"),
        (date(2025, 3, 31), Outcome.INELIGIBLE, date(2024, 1, 1), Status.NOT_MET, "2024-01-01"),
        # From 2025-04-01 the DASH minimum is 10, so only the tenancy question is open.
        (date(2025, 4, 1), Outcome.NEEDS_INFORMATION, date(2024, 1, 1), Status.MET, "2025-04-01"),
        (date(2025, 9, 30), Outcome.NEEDS_INFORMATION, date(2024, 1, 1), Status.MET, "2025-04-01"),
        # From 2025-10-01 the main housing duty qualifies as well.
        (date(2025, 10, 1), Outcome.ELIGIBLE, date(2025, 10, 1), Status.MET, "2025-10-01"),
        (date(2030, 1, 1), Outcome.ELIGIBLE, date(2025, 10, 1), Status.MET, "2025-10-01"),
    ],
)
def test_the_rules_and_values_in_force_on_the_date_apply(
    example: Scheme, on: date, outcome: Outcome, tenure_from: date, dash: Status, since: str
) -> None:
    decision = reciprocity.evaluate("example", referral(), on=on)
    assert decision.on == on
    assert decision.outcome is outcome
    assert finding(decision, "example.tenure").effective_from == tenure_from
    assert finding(decision, "example.dash_score").status is dash
    assert decision.ruleset_version == f"example 0.0.1 (rules in force since {since})"
    assert decision.to_dict()["ruleset_version"] == decision.ruleset_version


def test_the_recorded_version_changes_between_dates(example: Scheme) -> None:
    versions = {
        day: reciprocity.evaluate("example", referral(), on=day).ruleset_version
        for day in (date(2024, 6, 1), date(2025, 3, 31), date(2025, 4, 1), date(2025, 10, 1))
    }
    assert versions[date(2024, 6, 1)] == versions[date(2025, 3, 31)]
    assert len({versions[date(2025, 3, 31)], versions[date(2025, 4, 1)], versions[date(2025, 10, 1)]}) == 3


def test_the_old_rule_version_asks_what_the_new_one_settles(example: Scheme) -> None:
    before = reciprocity.evaluate("example", referral(), on=date(2025, 9, 30))
    old = finding(before, "example.tenure")
    assert old.status is Status.NEEDS_INFORMATION
    assert old.missing == ("social_tenant",)
    assert "whether the household still holds a social tenancy" in old.sentence
    assert "Example MoU §2.1" in old.sentence
    assert before.missing_facts == ("social_tenant",)

    after = reciprocity.evaluate("example", referral(), on=date(2025, 10, 1))
    new = finding(after, "example.tenure")
    assert new.status is Status.MET
    assert new.citation == "Example MoU §2.1, §2.2"
    assert after.missing_facts == ()


def test_the_parameter_value_in_force_decides(example: Scheme) -> None:
    on_edge = referral(risk={"assessed_by": "idva", "at_risk": True, "dash_score": 10})
    assert statuses(reciprocity.evaluate("example", on_edge, on=date(2025, 3, 31)))["example.dash_score"] is Status.NOT_MET
    assert statuses(reciprocity.evaluate("example", on_edge, on=date(2025, 4, 1)))["example.dash_score"] is Status.MET
    assert example.parameter("minimum_dash_score").value_on(date(2025, 3, 31)) == (date(2024, 1, 1), 14)
    assert example.parameter("minimum_dash_score").value_on(date(2025, 4, 1)) == (date(2025, 4, 1), 10)


def test_on_defaults_to_the_referral_date(example: Scheme) -> None:
    early = reciprocity.evaluate("example", referral(referred_on="2024-06-01"))
    assert early.on == date(2024, 6, 1)
    assert early.outcome is Outcome.INELIGIBLE
    assert "since 2024-01-01" in early.ruleset_version

    late = reciprocity.evaluate("example", referral(referred_on="2025-12-01"))
    assert late.on == date(2025, 12, 1)
    assert late.outcome is Outcome.ELIGIBLE
    assert "since 2025-10-01" in late.ruleset_version

    # An explicit date wins over the referral's.
    overridden = reciprocity.evaluate("example", referral(referred_on="2024-06-01"), on=date(2025, 12, 1))
    assert overridden.on == date(2025, 12, 1)
    assert overridden.ruleset_version == late.ruleset_version


def test_a_date_before_any_rule_is_refused(example: Scheme) -> None:
    with pytest.raises(NoRulesInForceError) as caught:
        reciprocity.evaluate("example", referral(), on=date(2023, 12, 31))
    assert "2023-12-31" in str(caught.value)
    assert "example" in str(caught.value)
    with pytest.raises(NoRulesInForceError):
        reciprocity.evaluate("example", referral(referred_on="2023-06-01"))
    # The first day of the scheme is fine.
    assert reciprocity.evaluate("example", referral(), on=date(2024, 1, 1)).on == date(2024, 1, 1)


def test_evaluate_many_applies_each_referrals_own_date(example: Scheme) -> None:
    decisions = reciprocity.evaluate_many(
        "example", [referral(referred_on="2024-06-01"), referral(referred_on="2025-12-01")]
    )
    assert [d.outcome for d in decisions] == [Outcome.INELIGIBLE, Outcome.ELIGIBLE]
    assert [d.on for d in decisions] == [date(2024, 6, 1), date(2025, 12, 1)]

