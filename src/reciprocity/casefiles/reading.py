"""Reading case files: finding them (:func:`case_files`), reading and checking each case in
one (:func:`load_cases`), and building a case's referral from a base file and its changes.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reciprocity.casefiles.model import RULE_ID, CaseSpec, InvalidCase, ReferralChanges, TestCase
from reciprocity.errors import InputProblem, InvalidInputError, ReciprocityError
from reciprocity.inputs import coerce_referral, load_document, problems_from

__all__ = ["case_files", "load_cases"]

_PATH_PART = re.compile(r"^([a-z_][a-z0-9_]*|[0-9]+)$")


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
            name = str(part) if RULE_ID.match(str(part)) else "<unrecognised field>"
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
