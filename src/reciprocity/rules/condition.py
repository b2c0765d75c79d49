"""Conditions and how they combine: the base class, and, or, not, in three-valued logic."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

import attrs

from reciprocity.rules.logic import Tri
from reciprocity.rules.render import Labeller

__all__ = ["NO_MISSING", "AllOf", "AnyOf", "Compiled", "Condition", "Env", "Not", "all_of", "any_of"]

NO_MISSING: frozenset[str] = frozenset()

#: A compiled condition: fact values in, (three-valued truth, missing facts) out.
Compiled = Callable[[Mapping[str, Any]], tuple[Tri, frozenset[str]]]


@attrs.frozen
class Env:
    """What a condition is evaluated against: fact values and parameter values."""

    facts: Mapping[str, Any]
    params: Mapping[str, Any]


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
                return self.decisive, NO_MISSING
            if value is None:
                unknown.append(missing)
        if unknown:
            return None, frozenset().union(*unknown)
        return (not self.decisive), NO_MISSING

    def compile(self, params: Mapping[str, Any]) -> Compiled:
        parts = tuple(item.compile(params) for item in self.items)
        decisive = self.decisive

        def run(facts: Mapping[str, Any]) -> tuple[Tri, frozenset[str]]:
            unknown: list[frozenset[str]] = []
            for part in parts:
                value, missing = part(facts)
                if value is decisive:
                    return decisive, NO_MISSING
                if value is None:
                    unknown.append(missing)
            if unknown:
                return None, frozenset().union(*unknown)
            return (not decisive), NO_MISSING

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
