"""Translate rule conditions into durable_rules JSON conditions, keeping three-valued logic.

durable_rules matches or does not match: it has no "unknown". So each condition ``C`` is
compiled twice: ``definitely(C, True)`` matches exactly when ``C`` is true, and
``definitely(C, False)`` exactly when ``C`` is false; when neither matches, ``C`` is unknown.
Negation swaps the two, ``and``/``or`` follow De Morgan, and each test of a fact also requires
the fact to be known.

The facts go in as one flat message (:func:`encode_facts`). Measured behaviour this relies
on (durable_rules 2.0.28): a test of an absent key never matches, ``$nex`` never matches,
and ``$iall`` over an empty list does not match. So every fact carries ``<key>__known``
and every list ``<key>__n`` (its length), and the empty-list cases are spelled out.
durable_rules has no length operator either: a count test (``fact(x).count().ge(5)``)
compares ``<key>__n``, behind ``<key>__known``.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from reciprocity.errors import SchemeDefinitionError
from reciprocity.rules.expr import (
    NEGATED_OPS,
    AllIn,
    AllOf,
    AnyIn,
    AnyOf,
    Compare,
    Condition,
    Const,
    CountCompare,
    Fact,
    NonEmpty,
    Not,
    OneOf,
    Param,
    Present,
)
from reciprocity.rules.logic import MISSING

__all__ = ["ALWAYS", "count_key", "definitely", "encode_facts", "key"]

Json = dict[str, Any]

#: A key every message carries with the value ``True``, for constant conditions.
_CONSTANT = "t__"
ALWAYS: Json = {_CONSTANT: True}
NEVER: Json = {_CONSTANT: False}

_OP = {"eq": None, "ne": "$neq", "lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}


def key(fact_name: str) -> str:
    """The message key of a fact: dots become double underscores."""
    return fact_name.replace(".", "__")


def count_key(fact_name: str) -> str:
    """The message key of a list fact's number of items, posted beside it."""
    return f"{key(fact_name)}__n"


def _scalar(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"a fact value of type {type(value).__name__} cannot be sent to durable_rules")


def encode_facts(facts: Mapping[str, Any]) -> Json:
    """One flat durable_rules message holding every fact, with its known flag and list length."""
    message: Json = {_CONSTANT: True}
    for name, value in facts.items():
        k = key(name)
        if value is MISSING:
            message[f"{k}__known"] = False
            continue
        message[f"{k}__known"] = True
        if isinstance(value, (tuple, list, frozenset, set)):
            message[k] = [_scalar(item) for item in value]
            message[count_key(name)] = len(value)
        else:
            message[k] = _scalar(value)
    return message


def _all(parts: list[Json]) -> Json:
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _any(parts: list[Json]) -> Json:
    if not parts:
        return NEVER
    return parts[0] if len(parts) == 1 else {"$or": parts}


def _known(*facts: Fact) -> list[Json]:
    return [{f"{key(f.name)}__known": True} for f in facts]


def _values(term: Any, params: Mapping[str, Any]) -> list[Any]:
    if isinstance(term, Param):
        raw = params[term.name]
    elif isinstance(term, Const):
        raw = term.value
    else:
        raise SchemeDefinitionError("durable engine: a set of values must be a constant or a parameter")
    return sorted((_scalar(v) for v in raw), key=repr)


def _compare(cond: Compare, truth: bool, params: Mapping[str, Any]) -> Json:
    if cond.op not in ("eq", "ne"):
        _check_orderable(cond, params)
    op = cond.op if truth else NEGATED_OPS[cond.op]
    subject = key(cond.subject.name)
    known = _known(cond.subject)
    if isinstance(cond.value, Fact):
        known += _known(cond.value)
        rhs: Any = {"$m": key(cond.value.name)}
    elif isinstance(cond.value, Param):
        rhs = _scalar(params[cond.value.name])
    else:
        rhs = _scalar(cond.value.value)
    test = {subject: rhs} if _OP[op] is None else {_OP[op]: {subject: rhs}}
    return _all([*known, test])


def _check_orderable(cond: Compare, params: Mapping[str, Any]) -> None:
    """Refuse ordering comparisons durable_rules 2.0.28 gets wrong.

    Measured: it orders text by reading past the end of the shorter string, so ``"a" < "a b"``
    comes out false. Only a comparison with a number is translated; text, or a second fact
    whose type is not known here, is refused rather than answered wrongly.
    """
    value = cond.value
    bound = params[value.name] if isinstance(value, Param) else value.value if isinstance(value, Const) else None
    if isinstance(value, Fact) or isinstance(bound, (str, bool)) or not isinstance(bound, (int, float)):
        raise SchemeDefinitionError(
            f"durable engine: cannot translate '{cond.op}' between {cond.subject.name} and "
            f"{value.name if isinstance(value, (Fact, Param)) else repr(bound)}: durable_rules orders text "
            "wrongly, so ordering comparisons are translated only against a number; use engine='native'"
        )


def _count(cond: CountCompare, truth: bool, params: Mapping[str, Any]) -> Json:
    """``count(x) <op> n`` as a comparison of the list's posted length (known lists only)."""
    bound = params[cond.value.name] if isinstance(cond.value, Param) else cond.value.value
    if not isinstance(bound, int) or isinstance(bound, bool):
        raise SchemeDefinitionError(
            f"durable engine: the number of items of {cond.subject.name} is compared with "
            f"{bound!r}, which is not a whole number"
        )
    op = cond.op if truth else NEGATED_OPS[cond.op]
    n = count_key(cond.subject.name)
    return _all([*_known(cond.subject), {n: bound} if _OP[op] is None else {_OP[op]: {n: bound}}])


def _item_in(values: list[Any]) -> Json:
    return _any([{"$i": v} for v in values])


def _item_not_in(values: list[Any]) -> Json:
    return _all([{"$neq": {"$i": v}} for v in values])


def definitely(cond: Condition, truth: bool, params: Mapping[str, Any]) -> Json:
    """A durable_rules condition that matches exactly when ``cond`` evaluates to ``truth``."""
    if isinstance(cond, AllOf):
        parts = [definitely(item, truth, params) for item in cond.items]
        return _all(parts) if truth else _any(parts)
    if isinstance(cond, AnyOf):
        parts = [definitely(item, truth, params) for item in cond.items]
        return _any(parts) if truth else _all(parts)
    if isinstance(cond, Not):
        return definitely(cond.item, not truth, params)
    if isinstance(cond, Present):
        return {f"{key(cond.subject.name)}__known": truth}
    if isinstance(cond, Compare):
        return _compare(cond, truth, params)
    if isinstance(cond, CountCompare):
        return _count(cond, truth, params)
    k = key(cond.subject.name) if hasattr(cond, "subject") else ""
    n = count_key(cond.subject.name) if hasattr(cond, "subject") else ""
    known = _known(cond.subject) if hasattr(cond, "subject") else []
    empty = {n: 0}
    if isinstance(cond, OneOf):
        values = _values(cond.value, params)
        if truth:
            return _all([*known, _any([{k: v} for v in values])]) if values else NEVER
        return _all([*known, *({"$neq": {k: v}} for v in values)])
    if isinstance(cond, AnyIn):
        values = _values(cond.value, params)
        if truth:
            return _all([*known, {"$iany": {k: _item_in(values)}}]) if values else NEVER
        if not values:  # nothing can be in an empty set: false whenever the list is known
            return _all(known)
        return _all([*known, _any([empty, {"$iall": {k: _item_not_in(values)}}])])
    if isinstance(cond, AllIn):
        values = _values(cond.value, params)
        if truth:
            every = [{"$iall": {k: _item_in(values)}}] if values else []
            return _all([*known, _any([empty, *every])])
        return _all([*known, {"$iany": {k: _item_not_in(values)}}]) if values else _all(
            [*known, {"$gt": {n: 0}}]
        )
    if isinstance(cond, NonEmpty):
        return _all([*known, {"$gt": {n: 0}} if truth else empty])
    raise SchemeDefinitionError(
        f"durable engine: no translation for condition type {type(cond).__name__}"
    )
