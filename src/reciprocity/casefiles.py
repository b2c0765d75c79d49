"""Readable test cases: a referral, the outcome a scheme should reach, and the clauses that decide it.

A policy officer writes a case in YAML without Python (the format is in docs/test-cases.md);
``reciprocity test PATH`` and pytest (``tests/cases/conftest.py``) run them. A case file holds
one case (a mapping) or several (a list of mappings)::

    name: a police-only assessment does not meet §3.2
    scheme: kent_rp
    clause: Kent RP MoU §3.2 (first condition)
    referral:
      base: ../../../examples/kent_rp_referral.json
      changes:
        risk.assessed_by: police
    expect:
      outcome: ineligible
      decided_by: [assessed_at_risk]
      findings: {assessed_at_risk: not_met}
      others: met

A file that is not a valid case raises :class:`~reciprocity.errors.InvalidInputError` naming the
file and each wrong field. Running a case gives a :class:`CaseResult` listing every expectation
that differs, each with the actual finding's sentence; referral values are never shown other
than through those sentences.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal

import attrs
from pydantic import ConfigDict, Field, ValidationError, field_validator

from reciprocity.decision import Decision, Finding, Status
from reciprocity.errors import InputProblem, InvalidInputError, ReciprocityError
from reciprocity.inputs import coerce_referral, load_document, problems_from
from reciprocity.model.base import BoundaryModel
from reciprocity.rules.rule import Outcome

__all__ = [
    "CaseResult",
    "Difference",
    "TestCase",
    "case_files",
    "load_cases",
    "run_case",
]

_RULE_ID = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")
_PATH_PART = re.compile(r"^([a-z_][a-z0-9_]*|[0-9]+)$")


class _Strict(BoundaryModel):
    """Strict as every input is (no true for a number, a date only as YYYY-MM-DD in range)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Expect(_Strict):
    """What the decision must show."""

    outcome: Outcome = Field(description="eligible, ineligible or needs_information.")
    findings: dict[str, Status] = Field(
        default_factory=dict,
        description="Rule id (with or without the scheme prefix) -> met, not_met, needs_information "
                    "or not_applicable.")
    others: Status | list[Status] | None = Field(
        None, description="The status (or one of the statuses) of every finding not listed in findings.")
    decided_by: list[str] = Field(
        default_factory=list,
        description="Rule ids or clauses (text of a citation, e.g. 'Kent RP MoU §3.2') that must be "
                    "among the findings not met or needing information.")
    missing: list[str] = Field(
        default_factory=list, description="Facts the decision must ask for (e.g. risk.assessed_by).")

    @field_validator("findings")
    @classmethod
    def _rule_ids(cls, value: dict[str, Status]) -> dict[str, Status]:
        for key in value:
            if not _RULE_ID.match(key):
                raise ValueError("a key is not a rule id; write e.g. kent_rp.assessed_at_risk or assessed_at_risk")
        return value


class ReferralChanges(_Strict):
    """A referral given as a base file and the changes made to it."""

    base: str = Field(description="Path of a referral file (JSON or YAML), relative to the case file.")
    changes: dict[str, Any] = Field(
        default_factory=dict,
        description="Dotted field path -> new value; null leaves the field out (the referral does not give it).")


class CaseSpec(_Strict):
    """One case as written in the file."""

    name: str = Field(min_length=1)
    scheme: str = Field(min_length=1)
    clause: str | None = Field(None, description="The clause (or interpretation) the case illustrates.")
    note: str | None = None
    on: date | None = Field(None, description="Apply the rules in force that day; default: the referral date.")
    engine: Literal["native", "durable", "both"] = "both"
    referral: dict[str, Any]
    expect: Expect


@attrs.frozen
class TestCase:
    """A case read from a file, with its referral built and checked."""

    __test__ = False  # not a pytest test class

    spec: CaseSpec
    referral: dict[str, Any] = attrs.field(repr=False)
    source: Path
    index: int | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def label(self) -> str:
        """``file::name`` for listings."""
        return f"{self.source}::{self.spec.name}"


@attrs.frozen
class Difference:
    """One expectation the decision does not meet: what, expected, actual, and why."""

    what: str
    expected: str
    actual: str
    sentence: str = ""

    def __str__(self) -> str:
        text = f"{self.what}: expected {self.expected}, got {self.actual}"
        return f"{text}\n    {self.sentence}" if self.sentence else text


@attrs.frozen
class CaseResult:
    """The outcome of running one case."""

    case: TestCase
    differences: tuple[Difference, ...]
    summary: str = ""

    @property
    def passed(self) -> bool:
        return not self.differences

    def report(self) -> str:
        """The differing findings, one block each, for a failure message."""
        lines = [str(d) for d in self.differences]
        if self.summary:
            lines.append(f"decision: {self.summary}")
        return "\n".join(lines)


# --- reading ---------------------------------------------------------------------------------

def case_files(paths: Iterable[Path | str]) -> list[Path]:
    """The case files named: files as given, folders searched recursively for ``*.yaml``/``*.yml``."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise InvalidInputError("test case path", [InputProblem(str(path), "does not exist", "check the path")])
    return found


def load_cases(path: Path | str) -> list[TestCase]:
    """Read and check every case in one file; raises InvalidInputError naming the file and fields."""
    path = Path(path)
    what = f"test case file {path}"
    try:
        document = load_document(path)
    except InvalidInputError as error:
        raise InvalidInputError(what, error.problems) from None
    if isinstance(document, Mapping):
        entries: list[tuple[int | None, Any]] = [(None, document)]
    elif isinstance(document, list) and document:
        entries = list(enumerate(document))
    else:
        raise InvalidInputError(what, [InputProblem(
            "", "holds no case", "write one case (a mapping with name, scheme, referral and expect) or a list of them")])
    problems: list[InputProblem] = []
    cases: list[TestCase] = []
    for index, entry in entries:
        at = "" if index is None else f"[{index}]"
        try:
            cases.append(_load_case(entry, path, index))
        except _CaseProblems as error:
            problems.extend(InputProblem(_join(at, p.path), p.message, p.hint) for p in error.problems)
    if problems:
        raise InvalidInputError(what, problems)
    return cases


class _CaseProblems(Exception):
    def __init__(self, problems: list[InputProblem]) -> None:
        self.problems = problems


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    return f"{prefix}.{path}" if path and not path.startswith("[") else prefix + path


def _loc(loc: tuple[str | int, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = str(part) if _RULE_ID.match(str(part)) else "<unrecognised field>"
            text = f"{text}.{name}" if text else name
    return text


def _load_case(entry: Any, source: Path, index: int | None) -> TestCase:
    if not isinstance(entry, Mapping):
        raise _CaseProblems([InputProblem("", "is not a case", "give a mapping with name, scheme, referral and expect")])
    # YAML 1.1 reads a bare `on:` key as true; here it can only mean the date field.
    entry = {("on" if key is True else key): value for key, value in entry.items()}
    if any(not isinstance(key, str) for key in entry):
        raise _CaseProblems([InputProblem("", "has a key that is not a field name", "write field names as text")])
    try:
        spec = CaseSpec.model_validate(entry)
    except ValidationError as error:
        raise _CaseProblems([
            InputProblem(_loc(item["loc"]), p.message, p.hint)
            for item, p in zip(error.errors(include_input=False, include_url=False), problems_from(error), strict=True)
        ]) from None
    scheme = _scheme(spec)
    spec = _with_full_rule_ids(spec, scheme)
    referral = _build_referral(spec.referral, source)
    try:
        coerce_referral(referral)
    except InvalidInputError as error:
        raise _CaseProblems([InputProblem(_join("referral", p.path), p.message, p.hint) for p in error.problems]) from None
    if referral.get("scheme") not in (None, spec.scheme):
        raise _CaseProblems([InputProblem("referral.scheme", f"names a different scheme from the case ({spec.scheme})",
                                          "change it with changes: {scheme: null} or use the case's scheme")])
    return TestCase(spec=spec, referral=referral, source=source, index=index)


def _scheme(spec: CaseSpec) -> Any:
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    try:
        return get_scheme(spec.scheme)
    except ReciprocityError as error:
        raise _CaseProblems([InputProblem("scheme", str(error))]) from None


def _with_full_rule_ids(spec: CaseSpec, scheme: Any) -> CaseSpec:
    """Rule ids in ``findings`` and ``decided_by`` with the scheme prefix; unknown ones refused."""
    known = {rule.id for rule in scheme.rules}
    problems = []
    findings = {}
    for key, status in spec.expect.findings.items():
        full = key if "." in key else f"{scheme.id}.{key}"
        if full not in known:
            problems.append(InputProblem("expect.findings", f"names a rule that is not a rule of {scheme.id}",
                                         f"see docs/schemes/{scheme.id}.md for its rule ids"))
        findings[full] = status
    decided_by = [f"{scheme.id}.{item}" if f"{scheme.id}.{item}" in known else item for item in spec.expect.decided_by]
    # What the case expects is checked against the scheme's own vocabulary here, so that a
    # mismatch reported later names only the scheme's rule ids and facts, never a typed value.
    citations = [rule.citation for rule in (*scheme.rules, *scheme.offer_rules)]
    for index, item in enumerate(decided_by):
        if item not in known and not any(item in cited for cited in citations):
            problems.append(InputProblem(f"expect.decided_by[{index}]", f"is neither a rule id nor a clause of {scheme.id}",
                                         f"see docs/schemes/{scheme.id}.md for its rule ids and clauses"))
    facts = scheme.fact_catalogue
    for index, fact in enumerate(spec.expect.missing):
        if fact not in facts:
            problems.append(InputProblem(f"expect.missing[{index}]", f"is not a fact {scheme.id} reads",
                                         f"see docs/schemes/{scheme.id}.md for the facts its rules read"))
    if problems:
        raise _CaseProblems(problems)
    expect = spec.expect.model_copy(update={"findings": findings, "decided_by": decided_by})
    return spec.model_copy(update={"expect": expect})


def _build_referral(given: dict[str, Any], source: Path) -> dict[str, Any]:
    if "base" not in given:
        if "changes" in given:
            raise _CaseProblems([InputProblem("referral.changes", "needs a base referral",
                                              "add referral.base: the path of a referral file")])
        return dict(given)
    try:
        form = ReferralChanges.model_validate(given)
    except ValidationError as error:
        raise _CaseProblems([InputProblem(_join("referral", p.path), p.message, p.hint)
                             for p in problems_from(error)]) from None
    try:
        base = load_document(source.parent / form.base)
    except InvalidInputError as error:
        raise _CaseProblems([InputProblem("referral.base", p.message if p.path == str(source.parent / form.base)
                                          else f"{p.path}: {p.message}", p.hint) for p in error.problems]) from None
    if not isinstance(base, Mapping):
        raise _CaseProblems([InputProblem("referral.base", "is not a referral (an object of fields)", "check the path")])
    referral = copy.deepcopy(dict(base))
    problems = []
    for dotted, value in form.changes.items():
        problem = _apply(referral, dotted, value)
        if problem:
            problems.append(InputProblem(f"referral.changes.{dotted if _is_path(dotted) else '<unrecognised field>'}",
                                         problem[0], problem[1]))
    if problems:
        raise _CaseProblems(problems)
    return referral


def _is_path(dotted: str) -> bool:
    return all(_PATH_PART.match(part) for part in dotted.split("."))


def _apply(referral: dict[str, Any], dotted: str, value: Any) -> tuple[str, str] | None:
    """Set (or, for null, remove) one dotted field; returns (message, hint) when it cannot."""
    if not _is_path(dotted):
        return ("is not a field path", "write fields joined by dots, e.g. risk.assessed_by or household.members.0.age")
    parts = dotted.split(".")
    here: Any = referral
    for part in parts[:-1]:
        if isinstance(here, list):
            if not part.isdigit() or int(part) >= len(here):
                return ("names a list item the base referral does not have", "count list items from 0")
            here = here[int(part)]
        elif isinstance(here, dict):
            if here.get(part) is None:
                if value is None:
                    return None  # removing inside something absent: already absent
                here[part] = {}
            here = here[part]
        else:
            return ("goes inside a field that is not an object or list", "check the path")
    last = parts[-1]
    if isinstance(here, list):
        if not last.isdigit() or int(last) >= len(here):
            return ("names a list item the base referral does not have", "count list items from 0")
        if value is None:
            del here[int(last)]
        else:
            here[int(last)] = value
    elif isinstance(here, dict):
        if value is None:
            here.pop(last, None)
        else:
            here[last] = value
    else:
        return ("goes inside a field that is not an object or list", "check the path")
    return None


# --- running ---------------------------------------------------------------------------------

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
    """Decide the case's referral and compare the decision with what the case expects."""
    from reciprocity.api import evaluate  # noqa: PLC0415

    engines = _engines(case.spec.engine)
    decisions = [evaluate(case.spec.scheme, case.referral, on=case.spec.on, engine=name) for name in engines]
    decision = decisions[0]
    differences = list(_compare(decision, case.spec.expect))
    for other in decisions[1:]:
        differences.extend(_disagreements(decision, other))
    return CaseResult(case=case, differences=tuple(differences), summary=decision.summary() if differences else "")


def _status_text(status: Status | list[Status] | None) -> str:
    if isinstance(status, list):
        return " or ".join(s.value for s in status)
    return status.value if status is not None else "-"


def _compare(decision: Decision, expect: Expect) -> Iterator[Difference]:
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
    for fact in expect.missing:
        if fact not in decision.missing_facts:
            asked = ", ".join(decision.missing_facts) or "nothing"
            yield Difference(f"missing {fact}", "the decision asks for it", f"it asks for {asked}")


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
