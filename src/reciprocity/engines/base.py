"""The interface every rules engine implements."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from reciprocity.decision import Status
from reciprocity.rules.scheme import RuleSet

__all__ = ["Engine", "Verdict"]

#: An engine's verdict on one rule: its status and, when it needs information, which facts.
Verdict = tuple[Status, frozenset[str]]


class Engine(Protocol):
    """Evaluates a rule set against computed facts; one verdict per rule, in rule order."""

    name: str

    def run(self, ruleset: RuleSet, facts: Mapping[str, Any]) -> Sequence[Verdict]:
        """Return a verdict for each of ``ruleset.rules``."""
        ...
