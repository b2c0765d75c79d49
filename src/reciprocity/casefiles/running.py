"""Running a case: deciding its referral (on each engine it names) and comparing the decision
with what the case expects (:func:`run_case`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from reciprocity.casefiles.model import CaseResult, Difference, Expect, TestCase
from reciprocity.decision import Decision, Finding, Status
from reciprocity.errors import NoRulesInForceError
from reciprocity.inputs import coerce_referral

__all__ = ["run_case"]


def _engines(choice: str) -> list[str]:
    if choice != "both":
        return [choice]
    from reciprocity.engines import EngineUnavailableError, get_engine  # noqa: PLC0415

    try:
        get_engine("durable")
    except EngineUnavailableError:
        return ["native"]
    return ["native", "durable"]


def run_case(case: TestCase) -> CaseResult:
    """Decide the case's referral and compare the decision with what the case expects.

    A case dated when no rule of its scheme is in force (or a parameter has no value) cannot
    be decided: it fails, saying so.
    """
    from reciprocity.api import evaluate  # noqa: PLC0415

    engines = _engines(case.spec.engine)
    try:
        decisions = [evaluate(case.spec.scheme, case.referral, on=case.spec.on, engine=name) for name in engines]
    except NoRulesInForceError:
        return CaseResult(case=case, differences=(_not_in_force(case),))
    decision = decisions[0]
    differences = list(_compare(decision, case.spec.expect, case.referral))
    for other in decisions[1:]:
        differences.extend(_disagreements(decision, other))
    return CaseResult(case=case, differences=tuple(differences), summary=decision.summary() if differences else "")


def _not_in_force(case: TestCase) -> Difference:
    """Why the case cannot be decided on its date, without the date (the referral's, by default)."""
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    scheme = get_scheme(case.spec.scheme)
    on = case.spec.on or coerce_referral(case.referral).referred_on
    when = "on the case's date (its on:, or else the referral's referred_on)"
    unset = [p.name for p in scheme.parameters if not any(start is None or start <= on for start, _ in p.values)]
    if any(rule.in_force_on(on) for rule in scheme.rules) and unset:
        reason = f"parameter {unset[0]} of {scheme.id} has no value in force {when}"
    else:
        reason = f"no rule of scheme {scheme.id} is in force {when}"
    starts = [rule.effective_from for rule in scheme.rules if rule.effective_from is not None]
    if len(starts) == len(scheme.rules) and on < min(starts) and not unset:
        advice = f"its first rules come into force on {min(starts).isoformat()}"
    else:
        advice = f"see docs/schemes/{scheme.id}.md for when its rules and parameters are in force"
    return Difference("decision", f"a decision under {scheme.id}", f"none: {reason}", advice)


def _status_text(status: Status | list[Status] | None) -> str:
    if isinstance(status, list):
        return " or ".join(s.value for s in status)
    return status.value if status is not None else "-"


def _compare(decision: Decision, expect: Expect, referral: Mapping[str, Any]) -> Iterator[Difference]:
    if decision.outcome is not expect.outcome:
        yield Difference("outcome", expect.outcome.value, decision.outcome.value)
    by_id = {f.rule_id: f for f in decision.findings}
    for rule_id, status in expect.findings.items():
        finding = by_id.get(rule_id)
        if finding is None:
            yield Difference(rule_id, status.value, "no finding (the rule is not in force on this date)")
        elif finding.status is not status:
            yield _differs(finding, status.value)
    if expect.others is not None:
        allowed = expect.others if isinstance(expect.others, list) else [expect.others]
        for finding in decision.findings:
            if finding.rule_id not in expect.findings and finding.status not in allowed:
                yield _differs(finding, _status_text(expect.others))
    deciding = [f for f in decision.findings if f.status in (Status.NOT_MET, Status.NEEDS_INFORMATION)]
    for item in expect.decided_by:
        if not any(_names(item, f) for f in deciding):
            named = [f for f in decision.findings if _names(item, f)]
            actual = ", ".join(f"{f.rule_id} {f.status.value}" for f in named) or "no rule with this id or clause"
            yield Difference(f"decided by {item}", "a finding not met or needing information", actual,
                             "\n    ".join(f.sentence for f in named))
    fields = _asked_fields(decision, referral)
    for item in expect.missing:
        # A field path, or (as earlier versions took) a fact's name: both are checked in field terms.
        if item not in fields and item not in decision.missing_facts:
            yield Difference(f"missing {item}", "the decision asks for it", f"it asks for {', '.join(fields) or 'nothing'}")


def _asked_fields(decision: Decision, referral: Mapping[str, Any]) -> tuple[str, ...]:
    """The referral fields the decision asks for, in the order it asks for the facts.

    A missing fact read from several fields (``social_tenant``: ``tenancy``, ``tenure``) asks
    for those of them the referral leaves out, or for all of them when it gives every one.
    """
    catalogue = decision.ruleset.scheme.fact_catalogue
    asked: dict[str, None] = {}
    for name in decision.missing_facts:
        fields = catalogue[name].fields
        asked.update(dict.fromkeys([f for f in fields if _left_out(referral, f)] or fields))
    return tuple(asked)


def _left_out(referral: Mapping[str, Any], dotted: str) -> bool:
    """Whether the referral does not give the field: absent, null, or an empty list or object."""
    here: Any = referral
    for part in dotted.split("."):
        if not isinstance(here, Mapping) or here.get(part) is None:
            return True
        here = here[part]
    return here in ([], {}, ())


def _names(item: str, finding: Finding) -> bool:
    return item == finding.rule_id or item in finding.citation


def _differs(finding: Finding, expected: str) -> Difference:
    return Difference(finding.rule_id, expected, finding.status.value, finding.sentence)


def _disagreements(first: Decision, other: Decision) -> Iterator[Difference]:
    if first.outcome is not other.outcome:
        yield Difference(f"engines ({first.engine}, {other.engine}) outcome", first.outcome.value, other.outcome.value)
    for mine, theirs in zip(first.findings, other.findings, strict=True):
        if mine.status is not theirs.status or mine.missing != theirs.missing:
            yield Difference(f"engines ({first.engine}, {other.engine}) {mine.rule_id}",
                             mine.status.value, theirs.status.value, theirs.sentence)
