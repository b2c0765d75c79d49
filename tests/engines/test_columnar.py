"""The columnar engine decides as the native engine does, for whole batches at once.

Every rule of every installed scheme: batches of generated referrals (any referral, eligible
ones, ones failing each rule, and the same with facts left out, as MISSING or absent) give,
row by row, the native engine's verdicts (status and missing facts), outcome and decision;
once from the rows' fact mappings and once from Arrow-style columns (lists as offsets into
their items). Below the schemes, random conditions of the rule language (the generators of
``test_parity``: every condition type, missing operands, negation, empty sets and lists) in
random rule sets (with and without ``when``, failing to ineligible or to review), over
batches of random facts; count tests at their boundary; every operator on a grid of
boundary values; conditions that raise, where native raises; a plugin's own condition type;
a rule set reading more than 64 facts.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("numpy")

import numpy as np  # noqa: E402

import reciprocity  # noqa: E402
from reciprocity import Decision, Outcome, Referral, Status  # noqa: E402
from reciprocity.api import COLUMNAR_FROM  # noqa: E402
from reciprocity.decision import build_decision  # noqa: E402
from reciprocity.engines import ENGINES, get_engine  # noqa: E402
from reciprocity.engines.columnar import OUTCOMES, STATUSES, Batch, ColumnarEngine  # noqa: E402
from reciprocity.engines.columns import FactColumns, ListColumn, ScalarColumn  # noqa: E402
from reciprocity.engines.native import NativeEngine  # noqa: E402
from reciprocity.errors import SchemeDefinitionError  # noqa: E402
from reciprocity.rules import Clause, Rule, RuleSet  # noqa: E402
from reciprocity.rules.condition import NO_MISSING, Condition, Env  # noqa: E402
from reciprocity.rules.expr import Labeller, Not, all_of, any_of, fact, param  # noqa: E402
from reciprocity.rules.logic import MISSING, Tri  # noqa: E402

from .test_parity import (  # noqa: E402
    LIST_FACTS,
    SCHEMES,
    assert_reaches_every_branch,
    conditions,
    count_at_the_boundary,
    fact_values,
    mix,
    offer_pairs,
    parameters,
)

ENGINE = ColumnarEngine()
NATIVE = NativeEngine()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "kent_rp_referral.json"
scheme_ids = pytest.mark.parametrize("scheme_id", SCHEMES)


# --- comparing a batch with native, row by row ---------------------------------------------------


def _lists(ruleset: RuleSet) -> set[str]:
    catalogue = ruleset.scheme.fact_catalogue
    return {name for name in ruleset.fact_names if name in catalogue and catalogue[name].kind == "list"} | set(
        LIST_FACTS)


def arrow_like(ruleset: RuleSet, rows: Sequence[Mapping[str, Any]]) -> FactColumns:
    """The rows as a Parquet reader would give them: each list fact as offsets into its items."""
    lists = _lists(ruleset)
    columns: dict[str, Any] = {}
    for name in ruleset.fact_names:
        values = [row.get(name, MISSING) for row in rows]
        if name in lists and all(v is MISSING or isinstance(v, tuple) for v in values):
            columns[name] = ListColumn.from_values(values)
        else:
            columns[name] = ScalarColumn.from_values(values)
    return FactColumns(columns, len(rows))


def _where(ruleset: RuleSet, got: list[Any], expected: list[Any]) -> str:
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        for rule, a, b in zip(ruleset.rules, g, e, strict=True):
            if a != b:
                return f"row {i}, rule {rule.id}: columnar {a}, native {b}"
    return "same"


def assert_same_verdicts(ruleset: RuleSet, rows: Sequence[Mapping[str, Any]], on: date = date(2026, 5, 4)) -> Batch:
    """Columnar verdicts, outcomes and decisions equal native's on every row, from the rows
    and from Arrow-style columns."""
    expected = [list(NATIVE.run(ruleset, row)) for row in rows]
    batch = ENGINE.run_batch(ruleset, rows)
    got = [batch.verdicts(i) for i in range(len(rows))]
    assert got == expected, _where(ruleset, got, expected)
    natives = [build_decision(ruleset, v, row, on=on, referral_id=None, engine="native")
               for v, row in zip(expected, rows, strict=True)]
    assert batch.outcomes() == [d.outcome for d in natives]
    for r, rule in enumerate(ruleset.rules):
        assert batch.statuses(rule.id) == [v[r][0] for v in expected]
    decisions = batch.decisions(on=on)
    assert decisions == natives
    assert [d.outcome for d in decisions] == [d.outcome for d in natives]
    assert batch.decision(len(rows) - 1, on=on) == natives[-1]
    columns = ENGINE.run_columns(ruleset, arrow_like(ruleset, rows))
    by_columns = [columns.verdicts(i) for i in range(len(rows))]
    assert by_columns == expected, "from Arrow-style columns: " + _where(ruleset, by_columns, expected)
    return batch


# --- every rule of every scheme ------------------------------------------------------------------


@st.composite
def leaving_out(draw: st.DrawFn, scheme_id: str) -> tuple[Any, frozenset[str], bool]:
    """A referral of ``mix``, and facts to leave out of its facts (as MISSING, or absent)."""
    referral = draw(mix(scheme_id), label="referral")
    names = reciprocity.get_scheme(scheme_id).ruleset(referral.referred_on).fact_names
    dropped = draw(st.just(frozenset()) | st.frozensets(st.sampled_from(names), max_size=4), label="left out")
    return referral, dropped, draw(st.booleans(), label="absent rather than MISSING")


def _facts(ruleset: RuleSet, referral: Any, day: date, dropped: frozenset[str], absent: bool,
           offer: Any = None) -> dict[str, Any]:
    facts = ruleset.facts_for(referral, day, offer)
    for name in dropped:
        if absent:
            facts.pop(name, None)
        else:
            facts[name] = MISSING
    return facts


def _groups(items: Sequence[tuple[RuleSet, dict[str, Any], date]]) -> list[tuple[RuleSet, list[Any], list[date]]]:
    groups: dict[int, tuple[RuleSet, list[Any], list[date]]] = {}
    for ruleset, facts, day in items:
        group = groups.setdefault(id(ruleset), (ruleset, [], []))
        group[1].append(facts)
        group[2].append(day)
    return list(groups.values())


#: What the scheme property compared, per scheme: outcomes, and each rule's statuses.
_SEEN: dict[str, dict[str, set[Any]]] = {}


def _note(scheme_id: str, batch: Batch) -> None:
    seen = _SEEN.setdefault(scheme_id, {})
    seen.setdefault("outcome", set()).update(batch.outcomes())
    for rule in batch.ruleset.rules:
        seen.setdefault(rule.id, set()).update(batch.statuses(rule.id))


@scheme_ids
@given(data=st.data())
def test_columnar_decides_every_rule_of_every_scheme_as_native_does(scheme_id: str, data: st.DataObject) -> None:
    scheme = reciprocity.get_scheme(scheme_id)
    drawn = data.draw(st.lists(leaving_out(scheme_id), min_size=1, max_size=8), label="batch")
    items = []
    for referral, dropped, absent in drawn:
        ruleset = scheme.ruleset(referral.referred_on)
        items.append((ruleset, _facts(ruleset, referral, referral.referred_on, dropped, absent), referral.referred_on))
    for ruleset, rows, days in _groups(items):
        batch = assert_same_verdicts(ruleset, rows, days[0])
        _note(scheme_id, batch)


@scheme_ids
def test_the_scheme_property_reaches_every_branch(scheme_id: str) -> None:
    """Not vacuous: every outcome, every rule both met and not met, every rule with a ``when``
    also not applicable, and some rule needing information (runs the property, derandomised,
    if it has not run in this process)."""
    if scheme_id not in _SEEN:
        test_columnar_decides_every_rule_of_every_scheme_as_native_does(scheme_id=scheme_id)
    assert_reaches_every_branch(scheme_id, _SEEN[scheme_id])


@scheme_ids
@settings(max_examples=60)
@given(data=st.data())
def test_columnar_assesses_offers_as_native_does(scheme_id: str, data: st.DataObject) -> None:
    """The offer rules too (rule sets of kind "offer"), a batch of referral and offer pairs."""
    scheme = reciprocity.get_scheme(scheme_id)
    pairs = data.draw(st.lists(offer_pairs(scheme_id), min_size=1, max_size=6), label="pairs")
    items = []
    for referral, offer in pairs:
        ruleset = scheme.offer_ruleset(offer.made_on)
        items.append((ruleset, ruleset.facts_for(referral, offer.made_on, offer), offer.made_on))
    for ruleset, rows, days in _groups(items):
        assert_same_verdicts(ruleset, rows, days[0])


@scheme_ids
@settings(max_examples=25)
@given(data=st.data())
def test_evaluate_many_with_columnar_returns_natives_decisions(scheme_id: str, data: st.DataObject) -> None:
    """``evaluate_many(engine="columnar")``: the native decisions, in order, over referrals of
    several dates (several rule sets), given as models and JSON documents alternately."""
    batch = data.draw(st.lists(mix(scheme_id), min_size=1, max_size=12), label="batch")
    on = data.draw(st.none() | st.dates(date(2020, 1, 1), date(2035, 12, 31)), label="on")
    documents = [r if i % 2 else r.model_dump(mode="json") for i, r in enumerate(batch)]
    native = reciprocity.evaluate_many(scheme_id, documents, on=on, engine="native")
    columnar = reciprocity.evaluate_many(scheme_id, documents, on=on, engine="columnar")
    assert columnar == native
    assert [d.engine for d in columnar] == ["columnar"] * len(batch)
    for a, b in zip(columnar, native, strict=True):
        assert [(f.rule_id, f.status, f.missing, f.sentence) for f in a.findings] == [
            (f.rule_id, f.status, f.missing, f.sentence) for f in b.findings]
        assert {**a.to_dict(), "engine": "native"} == b.to_dict()
    assert columnar == [reciprocity.evaluate(scheme_id, r, on=on, engine="columnar") for r in batch]


def test_evaluate_many_picks_columnar_for_a_large_batch_and_native_for_a_small_one() -> None:
    referral = example()
    big = reciprocity.evaluate_many("kent_rp", [referral] * COLUMNAR_FROM)
    small = reciprocity.evaluate_many("kent_rp", iter([referral] * 3))
    assert {d.engine for d in big} == {"columnar"} and {d.engine for d in small} == {"native"}
    assert big[0] == small[0] == reciprocity.evaluate("kent_rp", referral)


def test_a_bad_referral_in_a_columnar_batch_is_reported_at_its_index() -> None:
    good = example()
    bad = {**good.model_dump(mode="json"), "urgent": "perhaps"}
    with pytest.raises(reciprocity.InvalidInputError) as caught:
        reciprocity.evaluate_many("kent_rp", [good, good, bad], engine="columnar")
    assert [p.path for p in caught.value.problems] == ["[2].urgent"]


# --- random conditions of the rule language ------------------------------------------------------

SCHEME = "kent_rp"


@functools.cache
def _clause() -> Clause:
    return reciprocity.get_scheme(SCHEME).rules[0].clauses[0]


def _rule(index: int, require: Condition, when: Condition | None = None, review: bool = False) -> Rule:
    return Rule(id=f"test.rule_{index}", clauses=_clause(), statement="A test.", require=require, when=when,
                passed="passed", failed="failed", on_fail=Outcome.NEEDS_INFORMATION if review else Outcome.INELIGIBLE)


def ruleset_of(rules: Sequence[Rule], params: Mapping[str, Any]) -> RuleSet:
    """A rule set of invented rules (under kent_rp's labels: facts named as they are)."""
    return RuleSet(scheme=reciprocity.get_scheme(SCHEME), rules=tuple(rules), params=dict(params), since="original")


@st.composite
def rows_of(draw: st.DrawFn, most: int = 12) -> list[dict[str, Any]]:
    """Random facts (MISSING included), some left out of the mapping altogether."""
    rows = draw(st.lists(fact_values, min_size=1, max_size=most), label="rows")
    for row in rows:
        for name in draw(st.frozensets(st.sampled_from(sorted(row)), max_size=2), label="absent"):
            del row[name]
    return rows


@given(
    require=conditions,
    other=conditions,
    when=st.none() | conditions,
    review=st.booleans(),
    params=parameters,
    rows=rows_of(),
)
def test_random_conditions_decide_as_native_over_a_batch(
    require: Condition, other: Condition, when: Condition | None, review: bool, params: dict[str, Any],
    rows: list[dict[str, Any]],
) -> None:
    """Each condition alone (its truth and missing facts are its rule's status and missing
    facts), negated, and as the ``require`` of a rule with a ``when``."""
    rules = [_rule(0, require), _rule(1, Not(require)), _rule(2, other, when=when or require, review=review),
             _rule(3, all_of(require, other)), _rule(4, any_of(other, require), review=not review)]
    ruleset = ruleset_of(rules, params)
    batch = assert_same_verdicts(ruleset, rows)
    for i, row in enumerate(rows):  # and the condition's own evaluation, not only its compiled one
        value, missing = require.evaluate(Env(facts=row, params=params))
        assert _tri(batch, 0, i) is value
        assert batch.missing_facts(0, i) == missing


def _tri(batch: Batch, rule: int, row: int) -> Tri:
    return {Status.MET: True, Status.NOT_MET: False, Status.NEEDS_INFORMATION: None}[
        STATUSES[int(batch.status[rule, row])]]


@settings(max_examples=300)
@given(cases=st.lists(count_at_the_boundary(), min_size=1, max_size=3))
def test_count_decides_as_native_at_the_boundary(cases: list[tuple[Condition, dict[str, Any], dict[str, Any]]]) -> None:
    """``count() <op> n`` on n - 1, n and n + 1 items and a missing list, negated and combined
    (a list column reads the length from its offsets)."""
    for condition, facts, params in cases:
        assert_same_verdicts(ruleset_of([_rule(0, condition), _rule(1, Not(condition))], params), [facts])


#: Boundary values: each comparison's operand is 2, the lists hold 0 to 3 items.
GRID_ROWS: list[dict[str, Any]] = [
    {"n": n, "m": m, "word": w, "items": items, "flag": flag}
    for n in (1, 2, 3, MISSING)
    for m in (2, MISSING)
    for w in ("a", "b", MISSING)
    for items in ((), ("a",), ("a", "b"), ("a", "c", "c"), MISSING)
    for flag in (True, False, MISSING)
]
GRID_CONDITIONS: list[Condition] = [
    *(getattr(fact("n"), op)(2) for op in ("eq", "ne", "lt", "le", "gt", "ge")),
    *(getattr(fact("n"), op)(param("two")) for op in ("eq", "ne", "lt", "le", "gt", "ge")),
    *(getattr(fact("n"), op)(fact("m")) for op in ("eq", "ne", "lt", "le", "gt", "ge")),
    *(getattr(fact("items").count(), op)(2) for op in ("eq", "ne", "lt", "le", "gt", "ge")),
    fact("items").count().ge(param("two")),
    fact("word").one_of({"a"}), fact("word").one_of(set()), fact("word").one_of(param("ab")),
    fact("items").any_in({"a"}), fact("items").any_in(set()), fact("items").any_in(param("ab")),
    fact("items").all_in({"a"}), fact("items").all_in(set()), fact("items").all_in(param("ab")),
    fact("items").non_empty(), fact("items").present(), fact("word").present(),
    fact("flag").is_true(), fact("flag").is_false(),
    all_of(fact("flag").is_true(), fact("n").ge(2)), any_of(fact("flag").is_true(), fact("n").ge(2)),
    all_of(fact("flag").is_false(), fact("word").eq("a"), fact("items").all_in({"a", "b"})),
    any_of(fact("flag").is_false(), fact("word").eq("a"), fact("items").any_in({"c"})),
    Not(any_of(fact("n").lt(fact("m")), Not(fact("items").non_empty()))),
    all_of(any_of(fact("flag").is_true(), fact("word").eq("b")), Not(all_of(fact("n").eq(3), fact("m").present()))),
]


@pytest.mark.parametrize("condition", GRID_CONDITIONS, ids=lambda c: c.render(Labeller()))
def test_every_operator_on_a_grid_of_boundary_values(condition: Condition) -> None:
    """Every operator on every combination of values at its boundary and missing, in one batch
    (plain and negated; ``when`` and ``require`` both)."""
    params = {"two": 2, "ab": frozenset({"a", "b"})}
    rules = [_rule(0, condition), _rule(1, Not(condition)), _rule(2, fact("flag").is_true(), when=condition),
             _rule(3, condition, when=fact("word").eq("a"), review=True)]
    batch = assert_same_verdicts(ruleset_of(rules, params), GRID_ROWS)
    assert len(batch) == len(GRID_ROWS)


def test_known_answers_of_three_valued_logic() -> None:
    """A few answers written out: and/or with an unknown part, and which facts each misses."""
    rows = [{"a": True, "b": MISSING, "c": MISSING}, {"a": False, "b": MISSING, "c": MISSING}]
    rules = [_rule(0, fact("a").is_true() & fact("b").is_true() & fact("c").is_true()),
             _rule(1, fact("a").is_true() | fact("b").is_true() | fact("c").is_true()),
             _rule(2, fact("b").is_true(), when=fact("c").is_true())]
    batch = assert_same_verdicts(ruleset_of(rules, {}), rows)
    need = Status.NEEDS_INFORMATION
    assert batch.verdicts(0) == [(need, frozenset("bc")), (Status.MET, NO_MISSING), (need, frozenset("bc"))]
    assert batch.verdicts(1) == [(Status.NOT_MET, NO_MISSING), (need, frozenset("bc")), (need, frozenset("bc"))]
    assert batch.outcomes() == [Outcome.NEEDS_INFORMATION, Outcome.INELIGIBLE]


# --- what the vectorised path cannot answer ------------------------------------------------------


def test_a_test_that_raises_raises_as_native_does() -> None:
    """The number of items of something that is not a list: native raises where it evaluates
    the test, and so does the columnar engine; where native's ``and`` stops before it, neither."""
    counted = fact("items").count().ge(1)
    ruleset = ruleset_of([_rule(0, all_of(fact("flag").is_true(), counted))], {})
    quiet = [{"flag": False, "items": "not a list"}, {"flag": True, "items": ("a",)}]
    assert_same_verdicts(ruleset, quiet)
    loud = [*quiet, {"flag": True, "items": "not a list"}]
    with pytest.raises(SchemeDefinitionError, match="not a list") as native_error:
        [NATIVE.run(ruleset, row) for row in loud]
    with pytest.raises(SchemeDefinitionError, match="not a list") as columnar_error:
        ENGINE.run_batch(ruleset, loud)
    assert str(columnar_error.value) == str(native_error.value)
    ordered = ruleset_of([_rule(0, any_of(fact("flag").is_false(), fact("word").lt(3)))], {})
    assert_same_verdicts(ordered, [{"flag": False, "word": "a"}, {"flag": True, "word": 2}])
    with pytest.raises(TypeError):
        ENGINE.run_batch(ordered, [{"flag": True, "word": "a"}])


class _Even(Condition):
    """A plugin's own condition type: the fact is an even number (unknown when missing)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def evaluate(self, env: Env) -> tuple[Tri, frozenset[str]]:
        value = env.facts.get(self.name, MISSING)
        return (None, frozenset({self.name})) if value is MISSING else (value % 2 == 0, NO_MISSING)

    def facts(self) -> frozenset[str]:
        return frozenset({self.name})

    def params(self) -> frozenset[str]:
        return frozenset()

    def render(self, labels: Any) -> str:
        return f"{self.name} is even"


def test_a_condition_type_of_a_plugins_own_is_evaluated_row_by_row() -> None:
    rules = [_rule(0, _Even("n")), _rule(1, all_of(_Even("n"), fact("flag").is_true())),
             _rule(2, Not(_Even("m")), when=fact("flag").is_true())]
    rows = [{"n": n, "m": m, "flag": f} for n in (1, 2, MISSING) for m in (3, MISSING) for f in (True, MISSING)]
    assert_same_verdicts(ruleset_of(rules, {}), rows)


def test_a_rule_set_reading_more_than_64_facts() -> None:
    """Missing facts need several 64-bit words: one rule reads 70 flags, another a few of them."""
    names = [f"flag_{i:02d}" for i in range(70)]
    rules = [_rule(0, all_of(*(fact(n).is_true() for n in names))),
             _rule(1, any_of(fact(names[0]).is_false(), fact(names[69]).is_true()), when=fact(names[65]).is_true())]
    rng = np.random.default_rng(16)
    choices = (True, False, MISSING)
    rows = [{n: choices[k] for n, k in zip(names, rng.choice(3, size=70, p=[0.8, 0.02, 0.18]).tolist(), strict=True)}
            for _ in range(40)]
    rows.append(dict.fromkeys(names, MISSING))
    batch = assert_same_verdicts(ruleset_of(rules, {}), rows)
    assert batch.missing.shape[2] == 2
    assert batch.missing_facts(0, len(rows) - 1) == frozenset(names)


# --- the columns themselves ----------------------------------------------------------------------


def test_columns_from_arrays_decide_as_the_rows() -> None:
    """A numpy array with a known-mask and an Arrow-style list array (offsets into one flat
    array of items) are read as the same facts."""
    rows = [{"n": 1, "items": ("a", "b")}, {"n": MISSING, "items": ()}, {"n": 3, "items": MISSING},
            {"n": 2, "items": ("c",)}]
    columns = FactColumns({
        "n": ScalarColumn.from_array(np.array([1, 0, 3, 2]), known=np.array([True, False, True, True])),
        "items": ListColumn.from_arrays(np.array([0, 2, 2, 2, 3]), np.array(["a", "b", "c"]),
                                        known=np.array([True, True, False, True])),
    })
    assert [columns.row(i) for i in range(4)] == rows
    rules = [_rule(0, fact("n").ge(2)), _rule(1, fact("items").any_in({"c"})),
             _rule(2, fact("items").count().le(1), when=fact("n").present()),
             _rule(3, fact("flag").is_true())]  # no column: missing everywhere
    ruleset = ruleset_of(rules, {})
    batch = ENGINE.run_columns(ruleset, columns)
    assert [batch.verdicts(i) for i in range(4)] == [list(NATIVE.run(ruleset, row)) for row in rows]
    picked = columns.take(np.array([3, 0, 0, 2]))
    assert [picked.row(i) for i in range(4)] == [rows[3], rows[0], rows[0], rows[2]]
    again = ENGINE.run_columns(ruleset, picked)
    assert [again.verdicts(i) for i in range(4)] == [batch.verdicts(i) for i in (3, 0, 0, 2)]
    assert batch.decision(0, on=date(2026, 5, 4)) == build_decision(
        ruleset, NATIVE.run(ruleset, rows[0]), rows[0], on=date(2026, 5, 4), referral_id=None, engine="native")


def test_columns_refuse_what_does_not_fit() -> None:
    with pytest.raises(ValueError, match="different lengths"):
        FactColumns({"a": ScalarColumn.from_values([1, 2]), "b": ScalarColumn.from_values([1])})
    with pytest.raises(TypeError, match="holds lists"):
        ListColumn.from_values([("a",), "b"])
    with pytest.raises(ValueError, match="missing list holds no items"):
        ListColumn(np.array([0, 1]), np.array([0]), ["a"], np.array([False]))
    with pytest.raises(ValueError, match="index its values"):
        ScalarColumn(np.array([0, 2]), ["a", "b"])


def test_unhashable_values_are_compared_as_native_compares_them() -> None:
    rows = [{"word": ["a"]}, {"word": ["a"]}, {"word": ("a",)}, {"word": MISSING}]
    assert_same_verdicts(ruleset_of([_rule(0, fact("word").eq(("a",))), _rule(1, fact("word").present())], {}), rows)


# --- the engine in the registry ------------------------------------------------------------------


def test_the_columnar_engine_is_registered() -> None:
    assert "columnar" in ENGINES
    engine = get_engine("columnar")
    assert engine.name == "columnar" and get_engine("columnar") is engine
    assert reciprocity.evaluate("kent_rp", example(), engine="columnar").engine == "columnar"
    assert OUTCOMES == (Outcome.ELIGIBLE, Outcome.INELIGIBLE, Outcome.NEEDS_INFORMATION)


def example() -> Referral:
    """The kent_rp example referral (eligible)."""
    return Referral.model_validate(json.loads(EXAMPLE.read_text(encoding="utf-8")))


def _fresh(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)


def test_without_numpy_the_engine_is_unavailable_and_names_what_to_install() -> None:
    done = _fresh(
        "import sys\n"
        "sys.modules['numpy'] = None\n"
        "from reciprocity.engines import ENGINES, EngineUnavailableError, get_engine\n"
        "assert 'columnar' not in ENGINES, ENGINES\n"
        "try:\n"
        "    get_engine('columnar')\n"
        "except EngineUnavailableError as error:\n"
        "    print(error)\n"
    )
    assert done.returncode == 0, done.stderr
    assert "reciprocity[simulation]" in done.stdout and "numpy" in done.stdout


def test_deciding_one_referral_or_a_small_batch_does_not_import_numpy() -> None:
    done = _fresh(
        "import json, sys, reciprocity\n"
        f"doc = json.loads({EXAMPLE.read_text(encoding='utf-8')!r})\n"
        "reciprocity.evaluate('kent_rp', doc)\n"
        "reciprocity.evaluate_many('kent_rp', [doc, doc])\n"
        "print('numpy' in sys.modules)\n"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_a_decision_of_a_batch_is_a_decision() -> None:
    referral = example()
    ruleset = reciprocity.get_scheme("kent_rp").ruleset(referral.referred_on)
    facts = ruleset.facts_for(referral, referral.referred_on)
    decision = ENGINE.run_batch(ruleset, [facts]).decision(0, on=referral.referred_on, referral_id=referral.id)
    assert isinstance(decision, Decision) and decision == reciprocity.evaluate("kent_rp", referral)


def test_an_empty_batch() -> None:
    ruleset = reciprocity.get_scheme("kent_rp").ruleset(date(2026, 5, 4))
    batch = ENGINE.run_batch(ruleset, [])
    assert len(batch) == 0 and batch.outcomes() == [] and batch.decisions(on=date(2026, 5, 4)) == []
    assert batch.status.shape == (len(ruleset.rules), 0)
    assert reciprocity.evaluate_many("kent_rp", []) == reciprocity.evaluate_many("kent_rp", [], engine="columnar") == []
