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

A file that is not a case file at all (not YAML, or neither a case nor a list of cases) raises
:class:`~reciprocity.errors.InvalidInputError` naming the file. A case in it that is not valid
(a wrong field, or a referral its changes make invalid) is read as an :class:`InvalidCase`
naming each wrong field, and the file's other cases are read as usual. Running a case gives a
:class:`CaseResult` listing every expectation that differs, each with the actual finding's
sentence (a case dated before its scheme's rules are in force fails with that reason);
referral values are never shown other than through those sentences.

``expect.missing`` names the referral fields the decision must ask for, as a user fills them
(``tenancy``, ``risk.assessed_by``, ``nominating_partner.membership``): the fields the missing
facts are read from (:attr:`~reciprocity.rules.facts.FactSpec.fields`). The facts' own names
(``social_tenant``), which earlier versions took, are still accepted.
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
from reciprocity.errors import (
    InputProblem,
    InvalidInputError,
    NoRulesInForceError,
    ReciprocityError,
)
from reciprocity.inputs import coerce_referral, load_document, problems_from
from reciprocity.model.base import BoundaryModel
from reciprocity.rules.rule import Outcome

__all__ = [
    "CaseResult",
    "Difference",
    "InvalidCase",
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
        default_factory=list,
        description="Referral fields the decision must ask for (e.g. risk.assessed_by, tenancy); a fact's "
                    "name (social_tenant) is also accepted.")

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
class InvalidCase:
    """A case of a file that is not a valid case, with each wrong field (never its value).

    It fails on its own: the file's other cases still run. ``name`` is the case's name when it
    gives one as text, otherwise its place in the file (``[2]``).
    """

    __test__ = False  # not a pytest test class

    name: str
    source: Path
    index: int | None
    problems: tuple[InputProblem, ...]

    @property
    def label(self) -> str:
        """``file::name`` for listings."""
        return f"{self.source}::{self.name}"

    @property
    def error(self) -> InvalidInputError:
        """The problems as an error naming the case."""
        return InvalidInputError(f"test case {self.label}", self.problems)


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


def load_cases(path: Path | str) -> list[TestCase | InvalidCase]:
    """Read and check every case in one file, in order; a case that is not valid is an InvalidCase.

    Raises InvalidInputError naming the file when it is not a case file at all: not YAML (or
    JSON), or neither a case nor a non-empty list of cases.
    """
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
    cases: list[TestCase | InvalidCase] = []
    for index, entry in entries:
        try:
            cases.append(_load_case(entry, path, index))
        except _CaseProblems as error:
            cases.append(InvalidCase(name=_name_of(entry, index), source=path, index=index,
                                     problems=tuple(error.problems)))
    return cases


def _name_of(entry: Any, index: int | None) -> str:
    """An invalid case's name, when it gives one as text; otherwise its place in the file."""
    name = entry.get("name") if isinstance(entry, Mapping) else None
    if isinstance(name, str) and name.strip():
        return name
    return "(unnamed case)" if index is None else f"[{index}]"


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
    facts = {name for rule in scheme.rules for name in rule.facts() | rule.mentions()}
    fields = {field for name in facts for field in scheme.fact_catalogue[name].fields}
    for index, item in enumerate(spec.expect.missing):
        if item not in fields and item not in facts:
            problems.append(InputProblem(f"expect.missing[{index}]", f"is not a referral field {scheme.id}'s rules read",
                                         "name the field as the referral gives it, e.g. risk.assessed_by or tenancy "
                                         "(docs/test-cases.md)"))
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
