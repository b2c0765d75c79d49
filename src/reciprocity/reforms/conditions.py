"""Conditions written as data, as a reform file gives them (YAML or JSON).

A condition is one mapping:

- ``{all: [ ... ]}``, ``{any: [ ... ]}``, ``{not: ...}``: and, or, not of other conditions;
- ``{fact: NAME, OP: VALUE}``: a test of one fact, where OP is one of

  ================  =====================================================
  ``is``            equals (``is: true`` for a yes-or-no fact)
  ``is_not``        does not equal
  ``less_than``     ``at_most``, ``more_than``, ``at_least``: comparisons
  ``one_of``        the value is one of a list
  ``any_in``        a list fact holds at least one of a list
  ``all_in``        every item of a list fact is in a list
  ``non_empty``     ``non_empty: true``: a list fact has an item
  ``present``       ``present: true``: the fact is known
  ``count_is``      ``count_at_least``, ``count_at_most``, ``count_less_than``,
                    ``count_more_than``: the number of items of a list fact
  ================  =====================================================

- VALUE is a constant (a number, ``true``/``false``, text, a list), ``{param: NAME}`` (a
  parameter of the scheme, its value in force on the day decided) or, for a comparison,
  ``{fact: NAME}`` (another fact).

A condition built in Python (``fact("urgent").is_true()``) may be given wherever a reform takes
one. Which facts and parameters exist is checked when the reform is applied to its scheme.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reciprocity.errors import InputProblem, InvalidInputError
from reciprocity.rules import Condition, all_of, any_of, fact, param
from reciprocity.rules.expr import Term

__all__ = ["OPERATORS", "condition_from_data"]

_COMPARE = {"is": "eq", "is_not": "ne", "less_than": "lt", "at_most": "le", "more_than": "gt", "at_least": "ge"}
_COUNT = {"count_is": "eq", "count_less_than": "lt", "count_at_most": "le", "count_more_than": "gt",
          "count_at_least": "ge"}
_SETS = ("one_of", "any_in", "all_in")
_FLAGS = ("non_empty", "present")

#: Every operator a fact test may use.
OPERATORS: tuple[str, ...] = (*_COMPARE, *_SETS, *_FLAGS, *_COUNT)


class _Bad(Exception):
    def __init__(self, path: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.problem = InputProblem(path, message, hint)


def condition_from_data(data: Any, *, path: str = "condition", what: str = "reform") -> Condition:
    """The condition ``data`` describes (see the module's docstring); InvalidInputError naming
    the place (``changes[1].require.all[0].at_least``) when it does not describe one. A
    :class:`~reciprocity.rules.Condition` is returned as it is."""
    try:
        return _condition(data, path)
    except _Bad as bad:
        raise InvalidInputError(what, [bad.problem]) from None


def _condition(data: Any, path: str) -> Condition:
    if isinstance(data, Condition):
        return data
    if not isinstance(data, Mapping):
        raise _Bad(path, "must be a condition (a mapping such as {fact: urgent, is: true})",
                   "write it as a mapping: all/any/not, or fact and one operator")
    keys = set(data)
    for junction, build in (("all", all_of), ("any", any_of)):
        if junction in keys:
            _only(data, {junction}, path)
            parts = data[junction]
            if not isinstance(parts, list) or len(parts) < 1:
                raise _Bad(f"{path}.{junction}", "must be a list of at least one condition", "give a list")
            return build(*(_condition(part, f"{path}.{junction}[{i}]") for i, part in enumerate(parts)))
    if "not" in keys:
        _only(data, {"not"}, path)
        return ~_condition(data["not"], f"{path}.not")
    if "fact" not in keys:
        raise _Bad(path, "names neither a fact nor all/any/not", "add fact: NAME and one operator")
    name = data["fact"]
    if not isinstance(name, str) or not name:
        raise _Bad(f"{path}.fact", "must be a fact's name", "see the scheme author's reference for the facts")
    ops = keys - {"fact"}
    if len(ops) != 1 or not ops <= set(OPERATORS):
        raise _Bad(path, "must give exactly one operator after the fact",
                   f"use one of: {', '.join(OPERATORS)}")
    (op,) = ops
    value = data[op]
    where = f"{path}.{op}"
    subject = fact(name)
    if op in _COMPARE:
        return getattr(subject, _COMPARE[op])(_term(value, where, facts=True))
    if op in _COUNT:
        if not isinstance(value, Mapping) and (isinstance(value, bool) or not isinstance(value, int)):
            raise _Bad(where, "must be a whole number or {param: NAME}", "write a number such as 5")
        return getattr(subject.count(), _COUNT[op])(_term(value, where))
    if op in _SETS:
        if not isinstance(value, list | Mapping):
            raise _Bad(where, "must be a list or {param: NAME}", "give a list, e.g. [thanet, dover]")
        return getattr(subject, op)(_term(value, where, collection=True))
    if value is not True:
        raise _Bad(where, "must be true", f"write {op}: true")
    return subject.non_empty() if op == "non_empty" else subject.present()


def _only(data: Mapping[str, Any], allowed: set[str], path: str) -> None:
    if set(data) - allowed:
        raise _Bad(path, "mixes a junction with other keys", "put the other tests inside the list")


def _term(value: Any, where: str, *, facts: bool = False, collection: bool = False) -> Term | Any:
    if isinstance(value, Mapping):
        if set(value) == {"param"} and isinstance(value["param"], str):
            return param(value["param"])
        if facts and set(value) == {"fact"} and isinstance(value["fact"], str):
            return fact(value["fact"])
        raise _Bad(where, "is a mapping that is neither {param: NAME} nor {fact: NAME}",
                   "give a constant, {param: NAME} or {fact: NAME}")
    if collection:
        return frozenset(value)
    return value
