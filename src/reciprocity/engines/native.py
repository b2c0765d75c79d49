"""The native engine: evaluates conditions directly in Python with three-valued logic."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reciprocity.decision import Status
from reciprocity.engines.base import Verdict
from reciprocity.rules.expr import Env
from reciprocity.rules.logic import Tri
from reciprocity.rules.rule import Rule
from reciprocity.rules.scheme import RuleSet

__all__ = ["NativeEngine", "combine", "verdict"]

_NONE: frozenset[str] = frozenset()
_NOT_APPLICABLE: Verdict = (Status.NOT_APPLICABLE, _NONE)


def verdict(rule: Rule, env: Env) -> Verdict:
    """Judge one rule: does it apply, and if so, is its requirement met?"""
    if rule.when is not None:
        applies, applies_missing = rule.when.evaluate(env)
        if applies is False:
            return Status.NOT_APPLICABLE, _NONE
    else:
        applies, applies_missing = True, _NONE
    holds, holds_missing = rule.require.evaluate(env)
    return combine(applies, applies_missing, holds, holds_missing)


def combine(applies: Tri, applies_missing: frozenset[str], holds: Tri, holds_missing: frozenset[str]) -> Verdict:
    """The status of a rule from whether it applies and whether its requirement holds.

    Not applicable when it surely does not apply; met when its requirement surely holds;
    not met when it surely applies and surely does not hold; otherwise it needs the missing
    facts that could settle it. Every engine decides through this one function.
    """
    if applies is False:
        return Status.NOT_APPLICABLE, _NONE
    if holds is True:
        return Status.MET, _NONE
    if applies is None:
        return Status.NEEDS_INFORMATION, applies_missing | (holds_missing if holds is None else _NONE)
    if holds is False:
        return Status.NOT_MET, _NONE
    return Status.NEEDS_INFORMATION, holds_missing


class NativeEngine:
    """Evaluates every rule in Python. The reference implementation other engines must match."""

    name = "native"

    def run(self, ruleset: RuleSet, facts: Mapping[str, Any]) -> Sequence[Verdict]:
        verdicts = []
        for when, require in ruleset.compiled:
            if when is not None:
                applies, applies_missing = when(facts)
                if applies is False:
                    verdicts.append(_NOT_APPLICABLE)
                    continue
            else:
                applies, applies_missing = True, _NONE
            holds, holds_missing = require(facts)
            verdicts.append(combine(applies, applies_missing, holds, holds_missing))
        return verdicts
