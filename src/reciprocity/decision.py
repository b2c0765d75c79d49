"""Decisions and findings: what was decided, by which rules, reading which facts, and why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import Enum, StrEnum
from typing import Any, NamedTuple

from reciprocity.rules.condition import Env
from reciprocity.rules.logic import MISSING
from reciprocity.rules.render import render_value
from reciprocity.rules.rule import Outcome, Rule, fill
from reciprocity.rules.scheme import RuleSet

__all__ = ["Decision", "FactReading", "Finding", "Status", "build_decision"]


class Status(StrEnum):
    """What one rule found."""

    MET = "met"
    NOT_MET = "not_met"
    NEEDS_INFORMATION = "needs_information"
    NOT_APPLICABLE = "not_applicable"


class FactReading(NamedTuple):
    """A fact a rule read, and its value (``None`` when the referral does not give it)."""

    name: str
    label: str
    value: Any

    @property
    def known(self) -> bool:
        return self.value is not None

    def text(self) -> str:
        return f"{self.label}: {render_value(self.value)}"


class Finding:
    """One rule's finding, with the sentence a caseworker reads.

    A finding keeps the rule, its status, the missing facts and the decision's fact values;
    everything a reader sees (citation, readings, questions, sentence) is derived from those
    on access, so deciding a large batch does not pay for text nobody reads. Two findings are
    equal when the same rule reached the same status on the same values.
    """

    __slots__ = ("_facts", "_kind", "_labels", "_params", "_sentence", "missing", "rule", "status")

    def __init__(
        self,
        rule: Rule,
        status: Status,
        missing: tuple[str, ...],
        facts: Mapping[str, Any],
        labels: Any,
        kind: str = "eligibility",
        params: Mapping[str, Any] | None = None,
    ) -> None:
        _set = object.__setattr__
        _set(self, "_kind", kind)
        _set(self, "_params", params or {})
        _set(self, "rule", rule)
        _set(self, "status", status)
        _set(self, "missing", missing)
        _set(self, "_facts", facts)
        _set(self, "_labels", labels)
        _set(self, "_sentence", None)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a Finding cannot be changed (tried to set {name!r})")

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def citation(self) -> str:
        return self.rule.citation

    @property
    def statement(self) -> str:
        return self.rule.statement

    @property
    def effective_from(self) -> date | None:
        return self.rule.effective_from

    @property
    def facts(self) -> tuple[FactReading, ...]:
        """The facts the rule read, with their values (``None`` when not given)."""
        facts = self._facts
        return tuple(
            FactReading(name, label, _value(facts.get(name, MISSING)))
            for name, label in self._labels.readings(self.rule)
        )

    @property
    def questions(self) -> tuple[str, ...]:
        """The missing facts as questions to ask."""
        return tuple(self._labels.question(name) for name in self.missing)

    @property
    def sentence(self) -> str:
        """Why, in a sentence a caseworker can read, ending with the clause."""
        if self._sentence is None:
            object.__setattr__(
                self, "_sentence", _sentence(self.rule, self.status, self._labels, self._facts, self.questions, self._kind,
                                           self._params)
            )
        return self._sentence  # type: ignore[return-value]

    def _key(self) -> tuple[Any, ...]:
        shown = sorted(set(self.rule.fact_order) | self.rule.mentions())
        values = tuple(_value(self._facts.get(name, MISSING)) for name in shown)
        return (self.rule.id, self.rule.citation, self.status, self.missing, values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.rule.id, self.status, self.missing))

    def __repr__(self) -> str:
        return f"Finding({self.rule.id!r}, {self.status.value!r}, missing={self.missing!r})"


def _value(value: Any) -> Any:
    return None if value is MISSING else value


class Decision:
    """The outcome for one referral under one scheme on one date, with every finding.

    Findings are built when first read, so a large batch that only needs outcomes does not
    pay for them. Two decisions are equal when scheme, outcome, date, rule set version,
    referral id and findings are equal, whichever engine made them.
    """

    __slots__ = ("_findings", "_verdicts", "engine", "on", "outcome", "referral_id", "ruleset", "scheme_id")

    def __init__(
        self,
        ruleset: RuleSet,
        verdicts: Sequence[tuple[Status, frozenset[str]]],
        facts: Mapping[str, Any],
        *,
        outcome: Outcome,
        on: date,
        referral_id: str | None = None,
        engine: str = "native",
    ) -> None:
        _set = object.__setattr__
        _set(self, "ruleset", ruleset)
        _set(self, "scheme_id", ruleset.scheme.id)
        _set(self, "outcome", outcome)
        _set(self, "on", on)
        _set(self, "referral_id", referral_id)
        _set(self, "engine", engine)
        _set(self, "_verdicts", (verdicts, facts))
        _set(self, "_findings", None)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a Decision cannot be changed (tried to set {name!r})")

    @property
    def ruleset_version(self) -> str:
        """Which rules decided: scheme, package version and the date the rules date from."""
        return self.ruleset.version

    @property
    def findings(self) -> tuple[Finding, ...]:
        """One finding per rule in force, in the scheme's rule order."""
        if self._findings is None:
            verdicts, facts = self._verdicts
            labels = self.ruleset.labels
            findings = tuple(
                Finding(rule, status, tuple(sorted(missing)) if missing else (), facts, labels, self.ruleset.kind,
                        self.ruleset.params)
                for rule, (status, missing) in zip(self.ruleset.rules, verdicts, strict=True)
            )
            object.__setattr__(self, "_findings", findings)
        return self._findings  # type: ignore[return-value]

    def _key(self) -> tuple[Any, ...]:
        return (self.scheme_id, self.outcome, self.on, self.ruleset_version, self.referral_id, self.findings)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.scheme_id, self.outcome, self.on, self.referral_id))

    def __repr__(self) -> str:
        ref = f" {self.referral_id}" if self.referral_id else ""
        return f"<Decision{ref} {self.scheme_id} {self.on.isoformat()}: {self.outcome.value}>"

    @property
    def eligible(self) -> bool:
        return self.outcome is Outcome.ELIGIBLE

    @property
    def failed(self) -> tuple[Finding, ...]:
        """Findings whose rule was not met."""
        return tuple(f for f in self.findings if f.status is Status.NOT_MET)

    @property
    def missing_facts(self) -> tuple[str, ...]:
        """Every fact the decision still needs, in the order rules asked for them."""
        return self._asked("missing")

    @property
    def questions(self) -> tuple[str, ...]:
        """The missing facts as questions to put to the nominating officer."""
        return self._asked("questions")

    def _asked(self, attribute: str) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for finding in self.findings:
            if finding.status is Status.NEEDS_INFORMATION:
                seen.update(dict.fromkeys(getattr(finding, attribute)))
        return tuple(seen)

    def summary(self) -> str:
        """One line: the outcome and why."""
        offer = self.ruleset.kind == "offer"
        if self.outcome is Outcome.ELIGIBLE:
            met = sum(f.status is Status.MET for f in self.findings)
            word = "suitable offer" if offer else "eligible"
            return f"{word} under {self.scheme_id}: all {met} applicable rules are met"
        if self.outcome is Outcome.INELIGIBLE:
            cited = "; ".join(f.citation for f in self.failed)
            word = "offer not suitable" if offer else "not eligible"
            return f"{word} under {self.scheme_id}: {len(self.failed)} rule(s) not met ({cited})"
        parts = []
        if self.missing_facts:
            parts.append(f"{len(self.missing_facts)} fact(s) missing ({', '.join(self.missing_facts)})")
        if self.failed:
            parts.append(f"{len(self.failed)} finding(s) for review ({'; '.join(f.citation for f in self.failed)})")
        return f"needs information under {self.scheme_id}: " + "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the decision."""
        return _jsonable(
            {
                "scheme": self.scheme_id,
            "assessment": self.ruleset.kind,
                "referral_id": self.referral_id,
                "outcome": self.outcome,
                "on": self.on,
                "ruleset_version": self.ruleset_version,
                "engine": self.engine,
                "summary": self.summary(),
                "missing_facts": self.missing_facts,
                "questions": self.questions,
                "findings": [
                    {
                        "rule": f.rule_id,
                        "clause": f.citation,
                        "status": f.status,
                        "sentence": f.sentence,
                        "statement": f.statement,
                        "facts": {r.name: r.value for r in f.facts},
                        "missing": f.missing,
                        "effective_from": f.effective_from,
                    }
                    for f in self.findings
                ],
            }
        )


def _jsonable(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value  # the common case, checked by exact type first (isinstance on Mapping is slow)
    if kind is list or kind is tuple:
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple, frozenset, set)):
        items = [_jsonable(v) for v in value]
        return sorted(items) if isinstance(value, (set, frozenset)) else items
    return value


def _lower_first(text: str) -> str:
    text = text.rstrip(".")
    return text[:1].lower() + text[1:]


def _sentence(
    rule: Rule, status: Status, labels: Any, facts: Mapping[str, Any], questions: Sequence[str], kind: str,
    params: Mapping[str, Any],
) -> str:
    cite = rule.citation
    if status is Status.MET:
        if rule.when is not None and rule.when.evaluate(Env(facts, params))[0] is None:
            # Met because the requirement holds either way: the passed sentence would state the
            # unknown applicability as a fact, so say what is not known instead.
            return (f"met: it holds whether or not it applies (it applies only when {rule.when.render(labels)}, "
                    f"which is not known); the rule is that {_lower_first(rule.statement)} ({cite})")
        return f"met: {fill(rule.passed, facts)} ({cite})"
    if status is Status.NOT_MET:
        refused = "not suitable" if kind == "offer" else "not eligible"
        prefix = refused if rule.on_fail is Outcome.INELIGIBLE else "needs review"
        return f"{prefix}: {fill(rule.failed, facts)} ({cite})"
    if status is Status.NEEDS_INFORMATION:
        asked = questions[0] if len(questions) == 1 else "; ".join(questions[:-1]) + "; and " + questions[-1]
        return f"needs information: {asked}; the rule is that {_lower_first(rule.statement)} ({cite})"
    reason = rule.not_applicable or (
        f"it applies only when {rule.when.render(labels)}" if rule.when else "not applicable"
    )
    return f"does not apply: {fill(reason, facts)} ({cite})"


def build_decision(
    ruleset: RuleSet,
    verdicts: Sequence[tuple[Status, frozenset[str]]],
    facts: Mapping[str, Any],
    *,
    on: date,
    referral_id: str | None,
    engine: str,
) -> Decision:
    """Assemble a decision from an engine's verdicts, one per rule in ``ruleset.rules``.

    Ineligible if a rule that excludes is not met; otherwise needs information if any rule
    is open (or not met but only for review); otherwise eligible.
    """
    outcome = Outcome.ELIGIBLE
    for rule, (status, _) in zip(ruleset.rules, verdicts, strict=True):
        if status is Status.NOT_MET:
            if rule.on_fail is Outcome.INELIGIBLE:
                outcome = Outcome.INELIGIBLE
                break
            outcome = Outcome.NEEDS_INFORMATION
        elif status is Status.NEEDS_INFORMATION:
            outcome = Outcome.NEEDS_INFORMATION
    return Decision(ruleset, verdicts, facts, outcome=outcome, on=on, referral_id=referral_id, engine=engine)
