"""The condition language: facts, parameters and constants, and the tests of one fact.

How conditions combine (and, or, not) lives in :mod:`reciprocity.rules.condition`, their
words in :mod:`reciprocity.rules.render`; this module re-exports both, so rules import
everything from here.

Conditions read *facts* (named values computed from a referral) and *parameters* (dated
scheme settings). Every operator here has a durable_rules counterpart: comparisons map to
``m.x == v``, :class:`OneOf` to an ``|`` of equalities, :class:`AnyIn` / :class:`AllIn` to
``anyItem`` / ``allItems``, :class:`Present` to ``+m.x``, and :class:`CountCompare` (the
number of items of a list: ``fact("requested_areas").count().ge(5)``) to a comparison of
the list's length, posted beside it. Three-valued logic is expressed
in two-valued engines by compiling each condition into a "true" and a "false" test over
present facts (:func:`definitely`); unknown is neither.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs

from reciprocity.errors import SchemeDefinitionError
from reciprocity.rules.condition import (
    NO_MISSING,
    AllOf,
    AnyOf,
    Compiled,
    Condition,
    Env,
    Not,
    all_of,
    any_of,
)
from reciprocity.rules.logic import MISSING, Tri
from reciprocity.rules.render import Labeller, render_value

__all__ = [
    "AllIn",
    "AllOf",
    "AnyIn",
    "AnyOf",
    "Compare",
    "Compiled",
    "Condition",
    "Const",
    "Count",
    "CountCompare",
    "Env",
    "Fact",
    "Labeller",
    "NonEmpty",
    "Not",
    "OneOf",
    "Param",
    "Present",
    "Term",
    "all_of",
    "any_of",
    "counts",
    "fact",
    "param",
]

# --- terms -----------------------------------------------------------------------------


@attrs.frozen
class Fact:
    """A reference to a named fact. Build conditions from it: ``fact("urgent").is_true()``."""

    name: str

    def resolve(self, env: Env) -> Any:
        return env.facts.get(self.name, MISSING)

    def render(self, labels: Labeller) -> str:
        return labels.fact(self.name)

    # Builders, so rules read close to their statements.
    def eq(self, value: Any) -> Compare:
        return Compare("eq", self, _term(value))

    def ne(self, value: Any) -> Compare:
        return Compare("ne", self, _term(value))

    def lt(self, value: Any) -> Compare:
        return Compare("lt", self, _term(value))

    def le(self, value: Any) -> Compare:
        return Compare("le", self, _term(value))

    def gt(self, value: Any) -> Compare:
        return Compare("gt", self, _term(value))

    def ge(self, value: Any) -> Compare:
        return Compare("ge", self, _term(value))

    def is_true(self) -> Compare:
        return Compare("eq", self, Const(True))

    def is_false(self) -> Compare:
        return Compare("eq", self, Const(False))

    def one_of(self, values: Any) -> OneOf:
        return OneOf(self, _term(values, collection=True))

    def any_in(self, values: Any) -> AnyIn:
        return AnyIn(self, _term(values, collection=True))

    def all_in(self, values: Any) -> AllIn:
        return AllIn(self, _term(values, collection=True))

    def non_empty(self) -> NonEmpty:
        return NonEmpty(self)

    def present(self) -> Present:
        return Present(self)

    def count(self) -> Count:
        """The number of items of this list fact, to compare: ``fact("requested_areas").count().ge(5)``."""
        return Count(self)


@attrs.frozen
class Param:
    """A reference to a scheme parameter, resolved to the value in force on the date."""

    name: str

    def resolve(self, env: Env) -> Any:
        return env.params[self.name]

    def render(self, labels: Labeller) -> str:
        return labels.param(self.name)


@attrs.frozen
class Const:
    """A literal value written into a rule."""

    value: Any = attrs.field(converter=lambda v: frozenset(v) if isinstance(v, (set, list)) else v)

    def resolve(self, env: Env) -> Any:  # noqa: ARG002 - same signature as the other terms
        return self.value

    def render(self, labels: Labeller) -> str:  # noqa: ARG002
        return render_value(self.value)


Term = Fact | Param | Const


@attrs.frozen
class Count:
    """The number of items of a list fact; compare it to build a condition.

    ``fact("requested_areas").count().ge(5)``, or ``.le(param("most_unsafe_areas"))``. The
    count is unknown when the list is missing: an empty ``requested_areas`` is missing (not
    given), an empty ``unsafe_areas`` is a known count of 0. It is compared with a whole
    number or a parameter holding one, not with another fact.
    """

    subject: Fact

    def render(self, labels: Labeller) -> str:
        return f"the number of {self.subject.render(labels)}"

    def eq(self, value: Any) -> CountCompare:
        return CountCompare("eq", self.subject, _term(value))

    def ne(self, value: Any) -> CountCompare:
        return CountCompare("ne", self.subject, _term(value))

    def lt(self, value: Any) -> CountCompare:
        return CountCompare("lt", self.subject, _term(value))

    def le(self, value: Any) -> CountCompare:
        return CountCompare("le", self.subject, _term(value))

    def gt(self, value: Any) -> CountCompare:
        return CountCompare("gt", self.subject, _term(value))

    def ge(self, value: Any) -> CountCompare:
        return CountCompare("ge", self.subject, _term(value))


def _term(value: Any, *, collection: bool = False) -> Term:
    if isinstance(value, (Fact, Param, Const)):
        return value
    if collection:
        return Const(frozenset(value))
    return Const(value)


def fact(name: str) -> Fact:
    """Refer to the fact ``name`` in a condition."""
    return Fact(name)


def param(name: str) -> Param:
    """Refer to the scheme parameter ``name`` in a condition."""
    return Param(name)


# --- tests of one fact ---------------------------------------------------------------


@attrs.frozen
class _FactTest(Condition):
    """A test of one fact against a term; unknown when the fact is missing."""

    subject: Fact

    def facts(self) -> frozenset[str]:
        return frozenset({self.subject.name}) | _term_facts(getattr(self, "value", None))

    def params(self) -> frozenset[str]:
        value = getattr(self, "value", None)
        return frozenset({value.name}) if isinstance(value, Param) else frozenset()

    def evaluate(self, env: Env) -> tuple[Tri, frozenset[str]]:
        got = self.subject.resolve(env)
        value = getattr(self, "value", None)
        other = value.resolve(env) if value is not None else None
        if got is MISSING or other is MISSING:
            missing = {self.subject.name} if got is MISSING else set()
            if other is MISSING:
                missing.add(value.name)  # type: ignore[union-attr]
            return None, frozenset(missing)
        return self.test(got, other), NO_MISSING

    def test(self, got: Any, other: Any) -> bool:
        raise NotImplementedError

    def compile(self, params: Mapping[str, Any]) -> Compiled:
        name = self.subject.name
        asked = frozenset({name})
        test = self.test
        value = getattr(self, "value", None)
        if isinstance(value, Fact):
            other_name = value.name

            def run_pair(facts: Mapping[str, Any]) -> tuple[Tri, frozenset[str]]:
                got, other = facts.get(name, MISSING), facts.get(other_name, MISSING)
                if got is MISSING or other is MISSING:
                    return None, frozenset(n for n, v in ((name, got), (other_name, other)) if v is MISSING)
                return test(got, other), NO_MISSING

            return run_pair
        other = value.resolve(Env(facts={}, params=params)) if value is not None else None

        def run(facts: Mapping[str, Any]) -> tuple[Tri, frozenset[str]]:
            got = facts.get(name, MISSING)
            if got is MISSING:
                return None, asked
            return test(got, other), NO_MISSING

        return run


def _as_set(values: Any) -> frozenset[Any] | set[Any]:
    return values if isinstance(values, (frozenset, set)) else frozenset(values)


def _term_facts(value: Any) -> frozenset[str]:
    return frozenset({value.name}) if isinstance(value, Fact) else frozenset()


_OPS: dict[str, tuple[Callable[[Any, Any], bool], str]] = {
    "eq": (operator.eq, "is"),
    "ne": (operator.ne, "is not"),
    "lt": (operator.lt, "is less than"),
    "le": (operator.le, "is at most"),
    "gt": (operator.gt, "is more than"),
    "ge": (operator.ge, "is at least"),
}

#: Each comparison's negation: ``not (a < b)`` is ``a >= b``.
NEGATED_OPS: dict[str, str] = {"eq": "ne", "ne": "eq", "lt": "ge", "ge": "lt", "le": "gt", "gt": "le"}


@attrs.frozen
class Compare(_FactTest):
    """``fact <op> value`` for op in eq, ne, lt, le, gt, ge."""

    op: str = attrs.field(validator=attrs.validators.in_(_OPS))
    subject: Fact
    value: Term

    def test(self, got: Any, other: Any) -> bool:
        return bool(_OPS[self.op][0](got, other))

    def render(self, labels: Labeller) -> str:
        subject = self.subject.render(labels)
        if self.op == "eq" and isinstance(self.value, Const) and isinstance(self.value.value, bool):
            return subject if self.value.value else f"it is not so that {subject}"
        return f"{subject} {_OPS[self.op][1]} {self.value.render(labels)}"


def _whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count_value(instance: Any, attribute: Any, value: Any) -> None:  # noqa: ARG001 - attrs validator
    if isinstance(value, Param) or (isinstance(value, Const) and _whole_number(value.value)):
        return
    shown = value.name if isinstance(value, Fact) else repr(getattr(value, "value", value))
    raise TypeError(
        f"the number of items of {instance.subject.name} is compared with a whole number or "
        f"a parameter, not {shown}"
    )


@attrs.frozen
class CountCompare(_FactTest):
    """``count(list fact) <op> value`` for op in eq, ne, lt, le, gt, ge; built by
    :meth:`Fact.count`. Unknown when the list is missing (see :class:`Count`)."""

    op: str = attrs.field(validator=attrs.validators.in_(_OPS))
    subject: Fact
    value: Const | Param = attrs.field(validator=_count_value)

    @property
    def count(self) -> Count:
        return Count(self.subject)

    def test(self, got: Any, other: Any) -> bool:
        if not isinstance(got, (tuple, list, frozenset, set)):
            raise SchemeDefinitionError(
                f"the number of items of {self.subject.name} is asked for, but it is not a list"
            )
        if not _whole_number(other):
            raise SchemeDefinitionError(
                f"the number of items of {self.subject.name} is compared with parameter "
                f"{getattr(self.value, 'name', '?')}, which is not a whole number"
            )
        return bool(_OPS[self.op][0](len(got), other))

    def render(self, labels: Labeller) -> str:
        return f"{self.count.render(labels)} {_OPS[self.op][1]} {self.value.render(labels)}"


def counts(condition: Condition) -> Iterator[CountCompare]:
    """The count tests in ``condition`` (through and, or and not)."""
    if isinstance(condition, CountCompare):
        yield condition
    elif isinstance(condition, Not):
        yield from counts(condition.item)
    elif isinstance(condition, (AllOf, AnyOf)):
        for item in condition.items:
            yield from counts(item)


@attrs.frozen
class OneOf(_FactTest):
    """The fact's value is one of a set of values."""

    subject: Fact
    value: Term

    def test(self, got: Any, other: Any) -> bool:
        return got in other

    def render(self, labels: Labeller) -> str:
        return f"{self.subject.render(labels)} is one of: {self.value.render(labels)}"


@attrs.frozen
class AnyIn(_FactTest):
    """At least one item of a list fact is in a set of values."""

    subject: Fact
    value: Term

    def test(self, got: Any, other: Any) -> bool:
        return not _as_set(other).isdisjoint(got)

    def render(self, labels: Labeller) -> str:
        return f"{self.subject.render(labels)} include at least one of: {self.value.render(labels)}"


@attrs.frozen
class AllIn(_FactTest):
    """Every item of a list fact is in a set of values (true of an empty list)."""

    subject: Fact
    value: Term

    def test(self, got: Any, other: Any) -> bool:
        return _as_set(other).issuperset(got)

    def render(self, labels: Labeller) -> str:
        return f"every one of {self.subject.render(labels)} is one of: {self.value.render(labels)}"


@attrs.frozen
class NonEmpty(_FactTest):
    """A list fact has at least one item."""

    subject: Fact

    def test(self, got: Any, other: Any) -> bool:  # noqa: ARG002
        return len(got) > 0

    def render(self, labels: Labeller) -> str:
        return f"at least one is given for {self.subject.render(labels)}"


@attrs.frozen
class Present(Condition):
    """The fact has been supplied. Never unknown."""

    subject: Fact

    def evaluate(self, env: Env) -> tuple[Tri, frozenset[str]]:
        return self.subject.resolve(env) is not MISSING, NO_MISSING

    def facts(self) -> frozenset[str]:
        return frozenset({self.subject.name})

    def params(self) -> frozenset[str]:
        return frozenset()

    def render(self, labels: Labeller) -> str:
        return f"{self.subject.render(labels)} is known"
