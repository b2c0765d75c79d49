"""The rule language: three-valued conditions, rendering, scheme checks and effective dates.

Shared helpers for the modules of this package."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import reciprocity
from reciprocity import Status
from reciprocity.rules import Clause, Condition, Parameter, Rule, Scheme, Source, fact
from reciprocity.rules.expr import Env, Labeller

HERE = Path(__file__).resolve().parent
THIRDPARTY = HERE.parent / "thirdparty"
EXAMPLE_PACKAGE = THIRDPARTY / "reciprocity_example_scheme"
BUILTIN = ("kent_rp", "kent_krs", "cambridgeshire")

LABELS = Labeller()  # names as they are: rendering without a scheme's vocabulary


def run(condition: Condition, params: dict[str, Any] | None = None, **facts: Any) -> tuple[Any, set[str]]:
    value, missing = condition.evaluate(Env(facts=facts, params=params or {}))
    return value, set(missing)


def flag(name: str) -> Condition:
    return fact(name).is_true()


class Colour(StrEnum):
    RED = "red"
    DARK_BLUE = "dark_blue"


# Facts named for their value: t is true, f is false, x and y are missing.
KNOWN = {"t": True, "f": False}
T, F, X, Y = flag("t"), flag("f"), flag("x"), flag("y")



MOU = Source(key="t1", title="Test agreement (invented)", citation="Test MoU", file="t1.txt")
OTHER = Source(key="t2", title="Another agreement (invented)", citation="Other MoU", file="t2.txt")


def rule(rule_id: str = "test.rule", *, source: Source = MOU, **changes: Any) -> Rule:
    fields: dict[str, Any] = {
        "id": rule_id,
        "clauses": Clause(source, "1.1"),
        "statement": "The need to move must be urgent.",
        "require": fact("urgent").is_true(),
        "passed": "the need is urgent",
        "failed": "the need is not urgent",
    }
    fields.update(changes)
    return Rule(**fields)


def scheme(*rules: Rule, **changes: Any) -> Scheme:
    fields: dict[str, Any] = {
        "id": "test",
        "title": "Test scheme",
        "summary": "An invented scheme.",
        "version": "1",
        "sources": (MOU,),
        "areas": (),
        "rules": rules or (rule(),),
    }
    fields.update(changes)
    return Scheme(**fields)


PARAM = Parameter(name="threshold", label="threshold", description="A threshold.", values=[(None, 3)])



def referral(**changes: Any) -> dict[str, Any]:
    """Not a social tenant as far as the referral says, owed the main duty, DASH 12."""
    base: dict[str, Any] = {
        "id": "EX-0002",
        "referred_on": "2024-06-01",
        "nominating_partner": {"id": "north_homes", "kind": "registered_provider"},
        "tenure": "temporary_accommodation",
        "homelessness": {"duty": "main", "application_made": True},
        "risk": {"assessed_by": "idva", "at_risk": True, "dash_score": 12},
        "requested_areas": ["south_example"],
    }
    base.update(changes)
    return base


def statuses(decision: reciprocity.Decision) -> dict[str, Status]:
    return {f.rule_id: f.status for f in decision.findings}


def finding(decision: reciprocity.Decision, rule_id: str) -> reciprocity.Finding:
    return next(f for f in decision.findings if f.rule_id == rule_id)

