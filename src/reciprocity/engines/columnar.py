"""The columnar engine: a rule set evaluated over whole columns of facts at once, with numpy.

Every condition of a batch is worked out for all rows together, in the native engine's
three-valued logic, as three arrays: *definitely true*, *definitely false* (unknown is
neither) and the *missing facts*, one bit per fact the rule set reads (``uint8`` to
``uint64``, or several 64-bit words when a rule set reads more than 64 facts), zero wherever
the value is known. The missing sets follow :mod:`reciprocity.rules.condition` exactly:

- a test of one fact (compare, one of, any in, all in, non-empty, count) is unknown when its
  fact is missing and then reports that fact; compared with another fact, it reports
  whichever of the two is missing;
- ``present()`` is never unknown;
- ``not`` swaps true and false and keeps the missing facts;
- ``and`` is false where any part is false (missing nothing), else unknown where any part is
  unknown, missing the union of the unknown parts' facts, else true; ``or`` the same way round;
- a rule is then combined from its ``when`` and ``require`` as
  :func:`reciprocity.engines.native.combine` does.

A test of one fact is worked out once per distinct value of the fact
(:class:`~reciprocity.engines.columns.ScalarColumn`), by the condition's own ``test``, the
function the native engine calls, and spread over the rows by indexing; a list held as an
Arrow-style :class:`~reciprocity.engines.columns.ListColumn` is tested once per distinct item
and reduced per row. Parameters are bound once per rule set. A condition type this module
does not know (a plugin's own) is evaluated row by row through its ``compile``; and where a
test raises on some value (a count of something that is not a list, say), the batch is
decided row by row by the native engine, which raises, or not, exactly where native does.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from reciprocity.engines.base import Verdict
from reciprocity.engines.batch import (
    ENGINE_NAME,
    NEEDS,
    NOT_APPLICABLE,
    OUTCOMES,
    STATUSES,
    Batch,
)
from reciprocity.engines.columns import FactColumns, ListColumn, ScalarColumn
from reciprocity.engines.native import NativeEngine
from reciprocity.rules.condition import AllOf, AnyOf, Condition, Env, Not
from reciprocity.rules.expr import (
    AllIn,
    AnyIn,
    Compare,
    CountCompare,
    Fact,
    NonEmpty,
    OneOf,
    Present,
)
from reciprocity.rules.rule import Outcome
from reciprocity.rules.scheme import RuleSet

__all__ = ["OUTCOMES", "STATUSES", "Batch", "ColumnarEngine", "FactColumns", "ListColumn", "ScalarColumn"]


_ORDER = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
          "gt": operator.gt, "ge": operator.ge}
_FACT_TESTS = (Compare, OneOf, AnyIn, AllIn, NonEmpty, CountCompare)
#: The tests a list column answers from its items; any other test reads each whole list.
_LIST_TESTS = (AnyIn, AllIn, NonEmpty, CountCompare)
#: Fact-to-fact comparisons list the value pairs present in a table this large at most.
_PAIR_TABLE = 1 << 22


class _Unvectorised(Exception):  # noqa: N818 - a signal inside this module, never raised to callers
    """A test raised on some value: the batch is decided row by row by the native engine."""


class _Tri(NamedTuple):
    true: np.ndarray  # bool (n,)
    false: np.ndarray  # bool (n,)
    missing: np.ndarray  # (n, words), zero wherever the value is known


class _Plan:
    """A rule set compiled once: every distinct condition as a node (children first), which
    bit stands for which fact, and the parameter values bound into the tests."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        read = sorted(set().union(*(rule.facts() for rule in ruleset.rules)))
        self.names: tuple[str, ...] = tuple(read)
        self.bit = {name: i for i, name in enumerate(read)}
        count = len(read)
        if count > 64:
            self.dtype, self.words = np.dtype(np.uint64), -(-count // 64)
        else:
            self.dtype = np.dtype(next(t for t in (np.uint8, np.uint16, np.uint32, np.uint64)
                                       if np.dtype(t).itemsize * 8 >= max(count, 1)))
            self.words = 1
        self.patterns = {name: self.pattern((name,)) for name in read}
        self.on_fail_ineligible = np.array([r.on_fail is Outcome.INELIGIBLE for r in ruleset.rules], dtype=bool)
        self._sets: dict[bytes, frozenset[str]] = {}
        self._env = Env(facts={}, params=ruleset.params)
        self._seen: dict[Any, int] = {}
        #: (kind, payload) per node; a node's children come before it.
        self.nodes: list[tuple[str, Any]] = []
        self.rules = [(None if rule.when is None else self._node(rule.when), self._node(rule.require))
                      for rule in ruleset.rules]
        del self._seen

    def _node(self, condition: Condition) -> int:
        try:
            found = self._seen.get(condition)
        except TypeError:  # an unhashable constant: compiled where it stands
            found = None
        if found is not None:
            return found
        kind = type(condition)
        node: tuple[str, Any]
        if kind in _FACT_TESTS:
            value = getattr(condition, "value", None)
            subject = condition.subject.name  # type: ignore[attr-defined]
            if isinstance(value, Fact):
                node = ("pair", (condition, subject, value.name))
            else:
                other = value.resolve(self._env) if value is not None else None
                node = ("test", (condition, subject, other, isinstance(condition, _LIST_TESTS)))
        elif kind is Present:
            node = ("present", condition.subject.name)  # type: ignore[attr-defined]
        elif kind is Not:
            node = ("not", self._node(condition.item))  # type: ignore[attr-defined]
        elif kind is AllOf or kind is AnyOf:
            node = ("any" if kind is AnyOf else "all", tuple(self._node(i) for i in condition.items))  # type: ignore[attr-defined]
        else:  # a condition type of a plugin's own: its compiled function, row by row
            node = ("rows", condition.compile(self.ruleset.params))
        self.nodes.append(node)
        index = len(self.nodes) - 1
        try:
            self._seen[condition] = index
        except TypeError:
            pass
        return index

    def pattern(self, names: Iterable[str]) -> np.ndarray:
        """The words with the bits of ``names`` set. KeyError for a fact the rules do not read."""
        words = np.zeros(self.words, dtype=self.dtype)
        for name in names:
            i = self.bit[name]
            word, shift = (i // 64, i % 64) if self.words > 1 else (0, i)
            words[word] |= self.dtype.type(1 << shift)
        return words

    def names_of(self, words: np.ndarray) -> frozenset[str]:
        """The facts whose bits are set in ``words``."""
        key = words.tobytes()
        found = self._sets.get(key)
        if found is None:
            width = 64 if self.words > 1 else self.dtype.itemsize * 8
            found = frozenset(self.names[w * 64 + b] for w, word in enumerate(words.tolist())
                              for b in range(width) if word >> b & 1)
            if len(self._sets) < 65536:
                self._sets[key] = found
        return found


class _Run:
    """One evaluation of a plan over one batch's columns: the nodes in order, each fact's
    missing bits worked out once."""

    def __init__(self, plan: _Plan, columns: FactColumns, rows: Sequence[Mapping[str, Any]] | None) -> None:
        self.plan, self.columns, self._rows = plan, columns, rows
        self.n = columns.length
        self.nothing = np.zeros(self.n, dtype=bool)
        self.none_missing = np.zeros((self.n, plan.words), dtype=plan.dtype)
        self._missing: dict[str, np.ndarray] = {}

    def rows(self) -> Sequence[Mapping[str, Any]]:
        if self._rows is None:
            names = self.plan.ruleset.fact_names
            self._rows = [self.columns.row(i, names) for i in range(self.n)]
        return self._rows

    def known(self, name: str) -> np.ndarray:
        column = self.columns.get(name)
        return self.nothing if column is None else column.known

    def missing_of(self, name: str) -> np.ndarray:
        """The fact's bit in every row where it is missing."""
        found = self._missing.get(name)
        if found is None:
            found = (~self.known(name))[:, None] * self.plan.patterns[name][None, :]
            self._missing[name] = found
        return found

    # --- conditions --------------------------------------------------------------------

    def evaluate(self) -> list[_Tri]:
        """Every node's value, in the plan's order."""
        done: list[_Tri] = []
        for kind, payload in self.plan.nodes:
            if kind == "test":
                done.append(self._fact_test(*payload))
            elif kind == "not":
                inner = done[payload]
                done.append(_Tri(inner.false, inner.true, inner.missing))
            elif kind == "all" or kind == "any":
                done.append(self._junction([done[i] for i in payload], decisive=kind == "any"))
            elif kind == "present":
                known = self.known(payload)
                done.append(_Tri(known, ~known, self.none_missing))
            elif kind == "pair":
                done.append(self._pair(*payload))
            else:
                done.append(self._row_by_row(payload))
        return done

    def _junction(self, parts: Sequence[_Tri], *, decisive: bool) -> _Tri:
        if len(parts) == 1:
            return parts[0]
        trues = functools.reduce(np.logical_or if decisive else np.logical_and, (p.true for p in parts))
        falses = functools.reduce(np.logical_and if decisive else np.logical_or, (p.false for p in parts))
        settled = trues if decisive else falses  # the rows a decisive part settles: nothing missing
        missing = functools.reduce(np.bitwise_or, (p.missing for p in parts))
        return _Tri(trues, falses, np.where(settled[:, None], 0, missing).astype(self.plan.dtype, copy=False))

    def _fact_test(self, condition: Any, name: str, other: Any, list_test: bool) -> _Tri:
        missing = self.missing_of(name)
        column = self.columns.get(name)
        if column is None:
            return _Tri(self.nothing, self.nothing, missing)
        if list_test and isinstance(column, ListColumn):
            true, false = _list_test(condition, column, other)
            return _Tri(true, false, missing)
        scalar = column.as_scalar()
        table = _table(condition.test, scalar.vocab, other)
        true = scalar.gather(table)
        return _Tri(true, scalar.known & ~true, missing)

    def _pair(self, condition: Any, name: str, other_name: str) -> _Tri:
        """A test of one fact against another: worked out once per pair of values present."""
        missing = self.missing_of(name) | self.missing_of(other_name)
        left_column, right_column = self.columns.get(name), self.columns.get(other_name)
        if left_column is None or right_column is None:
            return _Tri(self.nothing, self.nothing, missing)
        left, right = left_column.as_scalar(), right_column.as_scalar()
        both = np.flatnonzero((left.codes >= 0) & (right.codes >= 0))
        true, false = np.zeros(self.n, dtype=bool), np.zeros(self.n, dtype=bool)
        if both.size:
            width = len(right.vocab)
            keys = left.codes[both].astype(np.int64) * width + right.codes[both]
            if len(left.vocab) * width <= max(_PAIR_TABLE, 4 * both.size):
                seen = np.zeros(len(left.vocab) * width, dtype=bool)
                seen[keys] = True
                present = np.flatnonzero(seen)
                table = np.zeros(len(seen), dtype=bool)
                table[present] = _pairs(condition.test, left.vocab, right.vocab, present, width)
                hits = table[keys]
            else:
                present, inverse = np.unique(keys, return_inverse=True)
                hits = _pairs(condition.test, left.vocab, right.vocab, present, width)[inverse.reshape(-1)]
            true[both], false[both] = hits, ~hits
        return _Tri(true, false, missing)

    def _row_by_row(self, run: Any) -> _Tri:
        """A condition type this engine does not know: its own compiled function, per row."""
        true, false = np.zeros(self.n, dtype=bool), np.zeros(self.n, dtype=bool)
        missing = np.zeros((self.n, self.plan.words), dtype=self.plan.dtype)
        try:
            for i, facts in enumerate(self.rows()):
                value, asked = run(facts)
                if value is True:
                    true[i] = True
                elif value is False:
                    false[i] = True
                elif value is None:
                    missing[i] = self.plan.pattern(asked)
                else:
                    raise _Unvectorised
        except Exception as error:
            raise _Unvectorised from error
        return _Tri(true, false, missing)

    # --- rules -------------------------------------------------------------------------

    def verdicts(self) -> tuple[np.ndarray, np.ndarray]:
        """Per rule and row: the status code and the missing facts (rule-major arrays)."""
        plan = self.plan
        done = self.evaluate()
        status = np.empty((len(plan.rules), self.n), dtype=np.int8)
        missing = np.empty((len(plan.rules), self.n, plan.words), dtype=plan.dtype)
        for r, (when, require) in enumerate(plan.rules):
            holds = done[require]
            row = status[r]
            if when is None:  # met (0) where it holds, not met (1) where it does not, else open (2)
                np.subtract(NEEDS, holds.false, out=row, dtype=np.int8, casting="unsafe")
                row -= holds.true
                row -= holds.true
                missing[r] = holds.missing
                continue
            applies = done[when]
            np.subtract(NEEDS, applies.true & holds.false, out=row, dtype=np.int8, casting="unsafe")
            row -= holds.true
            row -= holds.true
            row[applies.false] = NOT_APPLICABLE
            np.multiply((row == NEEDS)[:, None], applies.missing | holds.missing, out=missing[r])
        return status, missing


def _table(test: Any, vocab: Sequence[Any], other: Any) -> np.ndarray:
    """``test(value, other)`` for each distinct value."""
    try:
        return np.fromiter((test(value, other) for value in vocab), dtype=bool, count=len(vocab))
    except Exception as error:
        raise _Unvectorised from error


def _pairs(test: Any, left: Sequence[Any], right: Sequence[Any], keys: np.ndarray, width: int) -> np.ndarray:
    try:
        return np.fromiter((test(left[k // width], right[k % width]) for k in keys.tolist()),
                           dtype=bool, count=len(keys))
    except Exception as error:
        raise _Unvectorised from error


def _list_test(condition: Any, column: ListColumn, other: Any) -> tuple[np.ndarray, np.ndarray]:
    """Definitely true and definitely false of a list test over an Arrow-style list column."""
    known = column.known
    if isinstance(condition, NonEmpty):
        hit = column.lengths > 0
        return hit, known & ~hit
    if isinstance(condition, CountCompare):
        if not known.any():
            return known, known
        lengths = column.lengths
        try:
            condition.test((), other)  # the native engine's check of the bound (a whole number)
            compare = _ORDER[condition.op]
            table = np.zeros(int(lengths.max()) + 1, dtype=bool)
            for k in np.flatnonzero(np.bincount(lengths)).tolist():
                table[k] = bool(compare(k, other))
        except Exception as error:
            raise _Unvectorised from error
        hit = table[lengths]
        return known & hit, known & ~hit
    try:
        wanted = other if isinstance(other, (frozenset, set)) else frozenset(other)
        inside = np.fromiter((item in wanted for item in column.vocab), dtype=bool, count=len(column.vocab))
    except Exception as error:
        raise _Unvectorised from error
    if isinstance(condition, AnyIn):
        some = column.any_item(inside)
        return some, known & ~some
    outside = column.any_item(~inside)
    return known & ~outside, outside


class ColumnarEngine:
    """Evaluates rule sets over columns of facts with numpy; answers equal the native engine's."""

    name = ENGINE_NAME

    def __init__(self) -> None:
        self._plans: dict[int, tuple[RuleSet, _Plan]] = {}

    def _plan(self, ruleset: RuleSet) -> _Plan:
        cached = self._plans.get(id(ruleset))
        if cached is not None and cached[0] is ruleset:
            return cached[1]
        if len(self._plans) >= 512:
            self._plans.clear()
        plan = _Plan(ruleset)
        self._plans[id(ruleset)] = (ruleset, plan)
        return plan

    def run(self, ruleset: RuleSet, facts: Mapping[str, Any]) -> Sequence[Verdict]:
        """One row's verdicts (a batch of one)."""
        return self.run_batch(ruleset, [facts]).verdicts(0)

    def run_batch(self, ruleset: RuleSet, facts_rows: Sequence[Mapping[str, Any]]) -> Batch:
        """Verdicts for many rows of facts (each as ``ruleset.facts_for`` gives them)."""
        rows = facts_rows if isinstance(facts_rows, list) else list(facts_rows)
        plan = self._plan(ruleset)
        columns = FactColumns.from_rows(rows, plan.names)
        return self._run(plan, columns, rows)

    def run_columns(self, ruleset: RuleSet, columns: FactColumns) -> Batch:
        """Verdicts over fact columns: a column per fact the rules read (a fact without
        one is missing in every row). A row's facts for its decision are read back from
        the columns, so give the facts the rules' sentences mention too (``ruleset.fact_names``)."""
        return self._run(self._plan(ruleset), columns, None)

    def _run(self, plan: _Plan, columns: FactColumns, rows: Sequence[Mapping[str, Any]] | None) -> Batch:
        run = _Run(plan, columns, rows)
        try:
            status, missing = run.verdicts()
        except _Unvectorised:
            status, missing = _natively(plan, run.rows())
        return Batch(plan, status, missing, columns, rows)


def _natively(plan: _Plan, rows: Sequence[Mapping[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """The native engine's verdicts, row by row, as a batch's arrays (raising where it raises)."""
    native = NativeEngine()
    rules = plan.ruleset.rules
    status = np.empty((len(rules), len(rows)), dtype=np.int8)
    missing = np.zeros((len(rules), len(rows), plan.words), dtype=plan.dtype)
    codes = {s: i for i, s in enumerate(STATUSES)}
    for i, facts in enumerate(rows):
        for r, (found, asked) in enumerate(native.run(plan.ruleset, facts)):
            status[r, i] = codes[found]
            if asked:
                missing[r, i] = plan.pattern(asked)
    return status, missing
