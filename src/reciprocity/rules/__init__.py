"""The rule language: facts, conditions, rules with clauses and dates, parameters, schemes."""

from reciprocity.rules.expr import (
    AllIn,
    AllOf,
    AnyIn,
    AnyOf,
    Compare,
    Condition,
    Const,
    Count,
    CountCompare,
    Fact,
    NonEmpty,
    Not,
    OneOf,
    Param,
    Present,
    all_of,
    any_of,
    fact,
    param,
)
from reciprocity.rules.extensions import SchemeFields, SchemeHarm
from reciprocity.rules.facts import FactContext, FactSpec
from reciprocity.rules.logic import MISSING, Tri
from reciprocity.rules.rule import Clause, Interpretation, Outcome, Parameter, Rule, Source
from reciprocity.rules.scheme import RuleSet, Scheme

__all__ = [
    "MISSING",
    "AllIn",
    "AllOf",
    "AnyIn",
    "AnyOf",
    "Clause",
    "Compare",
    "Condition",
    "Const",
    "Count",
    "CountCompare",
    "Fact",
    "FactContext",
    "FactSpec",
    "Interpretation",
    "NonEmpty",
    "Not",
    "OneOf",
    "Outcome",
    "Param",
    "Parameter",
    "Present",
    "Rule",
    "RuleSet",
    "Scheme",
    "SchemeFields",
    "SchemeHarm",
    "Source",
    "Tri",
    "all_of",
    "any_of",
    "fact",
    "param",
]
