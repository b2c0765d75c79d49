"""A scheme declaration is checked when it is built."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reciprocity import Outcome, SchemeDefinitionError
from reciprocity.rules import (
    MISSING,
    Clause,
    FactSpec,
    Interpretation,
    Parameter,
    fact,
    param,
)

from . import (
    OTHER,
    PARAM,
    rule,
    scheme,
)


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




LATER = date(2025, 4, 1)
LATE_PARAM = Parameter(name="threshold", label="threshold", description="A threshold introduced later.",
                       values=[(LATER, 10)])


@pytest.mark.parametrize(
    "reader",
    [
        rule("test.score", require=fact("risk.dash_score").ge(param("threshold"))),
        rule("test.score", require=fact("risk.dash_score").ge(param("threshold")), effective_from=date(2025, 3, 31)),
        rule("test.score", when=fact("risk.dash_score").ge(param("threshold"))),
    ],
    ids=["from-the-start", "a-day-early", "in-when"],
)
def test_a_rule_reading_a_parameter_before_its_first_value_is_refused_naming_both(reader: Any) -> None:
    """Issue 15: such a scheme used to be accepted and then crash evaluation on early dates."""
    with pytest.raises(SchemeDefinitionError) as caught:
        scheme(rule(), reader, parameters=(LATE_PARAM,))
    assert "rule test.score" in str(caught.value)
    assert "parameter 'threshold'" in str(caught.value)
    assert "2025-04-01" in str(caught.value)


def test_a_parameter_that_starts_later_does_not_stop_earlier_dates_being_decided() -> None:
    """Before its first value nothing reads it, so a decision on an earlier date goes ahead."""
    built = scheme(
        rule(),
        rule("test.score", require=fact("risk.dash_score").ge(param("threshold")), effective_from=LATER),
        parameters=(LATE_PARAM,),
    )
    early = built.ruleset(date(2025, 3, 31))
    assert [r.id for r in early.rules] == ["test.rule"]
    assert "threshold" not in early.params
    assert built.ruleset(LATER).params["threshold"] == 10


@pytest.mark.parametrize("label", ["the minimum score", "The minimum score", "a minimum", "an age", " "])
def test_a_parameter_label_is_a_noun_phrase_without_an_article(label: str) -> None:
    """Rendered conditions add "the" ("at least the minimum score"); "the the" is refused."""
    with pytest.raises(ValueError, match="parameter p"):
        Parameter(name="p", label=label, description="d", values=[(None, 1)])
    Parameter(name="p", label="theoretical minimum", description="d", values=[(None, 1)])  # a word, not "the"
