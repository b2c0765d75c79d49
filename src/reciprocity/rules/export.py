"""A scheme as data: its rules, offer rules, parameters, interpretations, areas and sources,
JSON-ready (what ``GET /schemes/{id}`` returns and a policy team can diff between versions).

Conditions are given in the words the generated documentation uses (fact and parameter names
as the scheme labels them), each rule with its clauses, statement and effective dates.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from reciprocity.rules.render import render_value
from reciprocity.rules.rule import Rule
from reciprocity.rules.scheme import Scheme

__all__ = ["scheme_document"]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, frozenset, set)):
        return [_jsonable(v) for v in (sorted(value, key=str) if isinstance(value, (set, frozenset)) else value)]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return render_value(value)


def _rule(rule: Rule, scheme: Scheme) -> dict[str, Any]:
    labels = scheme.labels
    return {
        "id": rule.id,
        "clauses": [str(c) for c in rule.clauses],
        "citation": rule.citation,
        "statement": rule.statement,
        "condition": rule.require.render(labels),
        "applies_when": rule.when.render(labels) if rule.when is not None else None,
        "when_not_met": rule.on_fail.value,
        "effective_from": _day(rule.effective_from),
        "effective_to": _day(rule.effective_to),
    }


def scheme_document(scheme: Scheme) -> dict[str, Any]:
    """``scheme`` as a JSON-ready dict (every rule, whatever its dates: each says when it is in force)."""
    return {
        "id": scheme.id,
        "title": scheme.title,
        "summary": scheme.summary,
        "version": scheme.version,
        "sources": [{"key": s.key, "title": s.title, "citation": s.citation} for s in scheme.sources],
        "areas": [a.model_dump(mode="json") for a in scheme.areas],
        "rules": [_rule(r, scheme) for r in scheme.rules],
        "offer_rules": [_rule(r, scheme) for r in scheme.offer_rules],
        "parameters": [
            {"name": p.name, "label": p.label, "description": p.description,
             "clauses": [str(c) for c in p.clauses],
             "values": [{"from": _day(start), "value": _jsonable(value)} for start, value in p.values]}
            for p in scheme.parameters
        ],
        "interpretations": [
            {"id": i.id, "clauses": [str(c) for c in i.clauses], "question": i.question, "choice": i.choice,
             "reason": i.reason}
            for i in scheme.interpretations
        ],
    }
