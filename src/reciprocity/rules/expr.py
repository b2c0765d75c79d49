"""The condition language: small, typed, three-valued, and renderable as plain English.

Conditions read *facts* (named values computed from a referral) and *parameters* (dated
scheme settings). Every operator here has a durable_rules counterpart: comparisons map to
``m.x == v``, :class:`OneOf` to an ``|`` of equalities, :class:`AnyIn` / :class:`AllIn` to
``anyItem`` / ``allItems``, :class:`Present` to ``+m.x``. Three-valued logic is expressed
in two-valued engines by compiling each condition into a "true" and a "false" test over
present facts (:func:`definitely`); unknown is neither.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import Any, ClassVar

import attrs

from reciprocity.rules.logic import MISSING, Tri

__all__ = [
    "AllIn",
    "AllOf",
    "AnyIn",
    "AnyOf",
    "Compare",
    "Compiled",
    "Condition",
    "Const",
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
    "fact",
    "param",
]

_NO_MISSING: frozenset[str] = frozenset()

#: A compiled condition: fact values in, (three-valued truth, missing facts) out.
Compiled = Callable[[Mapping[str, Any]], tuple[Tri, frozenset[str]]]


@attrs.frozen
class Env:
    """What a condition is evaluated against: fact values and parameter values."""

    facts: Mapping[str, Any]
    params: Mapping[str, Any]


class Labeller:
    """Turns fact and parameter names into the words a reader sees (overridden by schemes)."""

    def fact(self, name: str) -> str:
        return name

    def param(self, name: str) -> str:
        return name


def render_value(value: Any) -> str:
    """A value as a reader sees it: enums by their words, collections as lists."""
    if value is MISSING or value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value).replace("_", " ")
    if isinstance(value, (frozenset, set)):
        return ", ".join(sorted(render_value(v) for v in value)) or "none"
    if isinstance(value, (tuple, list)):
        return ", ".join(render_value(v) for v in value) or "none"
    return str(value)


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


# --- conditions ------------------------------------------------------------------------


class Condition:
    """Base of every condition: evaluates to True, False or unknown, and renders as text."""

    precedence: ClassVar[int] = 3

    def evaluate(self, env: Env) -> tuple[Tri, frozenset[str]]:
        """The truth value, and when it is unknown, the missing facts that would settle it."""
        raise NotImplementedError

    def facts(self) -> frozenset[str]:
        """Every fact the condition reads."""
        raise NotImplementedError

    def params(self) -> frozenset[str]:
        """Every parameter the condition reads."""
        raise NotImplementedError

    def render(self, labels: Labeller) -> str:
        """The condition in words."""
        raise NotImplementedError

    def compile(self, params: Mapping[str, Any]) -> Compiled:
        """A fast function of the fact values giving what :meth:`evaluate` gives, with the
        parameter values bound. The native engine compiles each rule once per rule set."""
        def run(facts: Mapping[str, Any]) -> tuple[Tri, frozenset[str]]:
            return self.evaluate(Env(facts=facts, params=params))

        return run

    def __and__(self, other: Condition) -> AllOf:
        return all_of(self, other)

    def __or__(self, other: Condition) -> AnyOf:
        return any_of(self, other)

    def __invert__(self) -> Not:
        return Not(self)


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
        return self.test(got, other), _NO_MISSING

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
                return test(got, other), _NO_MISSING

            return run_pair
        other = value.resolve(Env(facts={}, params=params)) if value is not None else None

        def run(facts: Mapping[str, Any]) -> tuple[Tri, frozenset[str]]:
            got = facts.get(name, MISSING)
            if got is MISSING:
                return None, asked
            return test(got, other), _NO_MISSING

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
        return self.subject.resolve(env) is not MISSING, _NO_MISSING

    def facts(self) -> frozenset[str]:
        return frozenset({self.subject.name})

    def params(self) -> frozenset[str]:
        return frozenset()

    def render(self, labels: Labeller) -> str:
        return f"{self.subject.render(labels)} is known"


@attrs.frozen
class Not(Condition):
    """The negation; unknown stays unknown."""

    precedence: ClassVar[int] = 2
    item: Condition

    def evaluate(self, env: Env) -> tuple[Tri, frozenset[str]]:
        value, missing = self.item.evaluate(env)
        return (None if value is None else not value), missing

    def compile(self, params: Mapping[str, Any]) -> Compiled:
        inner = self.item.compile(params)

        def run(facts: Mapping[str, Any]) -> tuple[Tri, frozenset[str]]:
            value, missing = inner(facts)
            return (None if value is None else not value), missing

        return run

    def facts(self) -> frozenset[str]:
        return self.item.facts()

    def params(self) -> frozenset[str]:
        return self.item.params()

    def render(self, labels: Labeller) -> str:
        return f"not ({self.item.render(labels)})"


@attrs.frozen
class _Junction(Condition):
    items: tuple[Condition, ...] = attrs.field(
        converter=tuple, validator=attrs.validators.min_len(1)
    )
    word: ClassVar[str] = ""
    decisive: ClassVar[bool] = False  # the child value that settles the whole junction

    def evaluate(self, env: Env) -> tuple[Tri, frozenset[str]]:
        unknown: list[frozenset[str]] = []
        for item in self.items:
            value, missing = item.evaluate(env)
            if value is self.decisive:
                return self.decisive, _NO_MISSING
            if value is None:
                unknown.append(missing)
        if unknown:
            return None, frozenset().union(*unknown)
        return (not self.decisive), _NO_MISSING

    def compile(self, params: Mapping[str, Any]) -> Compiled:
        parts = tuple(item.compile(params) for item in self.items)
        decisive = self.decisive

        def run(facts: Mapping[str, Any]) -> tuple[Tri, frozenset[str]]:
            unknown: list[frozenset[str]] = []
            for part in parts:
                value, missing = part(facts)
                if value is decisive:
                    return decisive, _NO_MISSING
                if value is None:
                    unknown.append(missing)
            if unknown:
                return None, frozenset().union(*unknown)
            return (not decisive), _NO_MISSING

        return run

    def facts(self) -> frozenset[str]:
        return frozenset().union(*(i.facts() for i in self.items))

    def params(self) -> frozenset[str]:
        return frozenset().union(*(i.params() for i in self.items))

    def render(self, labels: Labeller) -> str:
        parts = []
        for item in self.items:
            text = item.render(labels)
            parts.append(f"({text})" if item.precedence < 3 else text)
        return f" {self.word} ".join(parts)


@attrs.frozen
class AllOf(_Junction):
    """Every condition holds: false as soon as one is false."""

    precedence: ClassVar[int] = 1
    word: ClassVar[str] = "and"
    decisive: ClassVar[bool] = False


@attrs.frozen
class AnyOf(_Junction):
    """At least one condition holds: true as soon as one is true."""

    precedence: ClassVar[int] = 0
    word: ClassVar[str] = "or"
    decisive: ClassVar[bool] = True


def _flatten(kind: type[_Junction], items: Iterable[Condition]) -> tuple[Condition, ...]:
    flat: list[Condition] = []
    for item in items:
        flat.extend(item.items if type(item) is kind else (item,))  # type: ignore[attr-defined]
    return tuple(flat)


def all_of(*items: Condition) -> AllOf:
    """Every one of ``items`` holds."""
    return AllOf(_flatten(AllOf, items))


def any_of(*items: Condition) -> AnyOf:
    """At least one of ``items`` holds."""
    return AnyOf(_flatten(AnyOf, items))
