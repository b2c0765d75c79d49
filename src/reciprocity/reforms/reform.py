"""A reform: a proposed change to a scheme's rules from a date, as data.

A policy team writes one as a YAML (or JSON) file, or builds a :class:`Reform` in Python::

    id: no_home_choice_2027
    scheme: kent_rp
    title: Drop the Kent Home Choice requirement
    applies_from: 2027-04-01
    proposal: Kent RP review 2027, proposal 3 (invented)
    changes:
      - neutralise: kent_rp.kent_home_choice_exhausted
      - parameter: review_after_months
        value: 6
      - replace: kent_rp.urgent_homelessness_application
        require: {fact: homelessness.application_made, is: true}
      - add: kent_rp.dash_at_least_ten
        statement: The DASH score must be at least 10.
        require: {fact: risk.dash_score, at_least: 10}
        passed: the DASH score ({risk.dash_score}) is at least 10
        failed: the DASH score ({risk.dash_score}) is below 10

Applying it (:func:`apply_reform`) gives a new dated version of the scheme: from
``applies_from`` a neutralised rule is no longer in force, a replaced rule has a new version,
an added rule starts, and a parameter takes its new value; before that day the scheme is
unchanged. Every changed or added rule cites the proposal (a source of its own, cited
"<proposal>, change N"), and decisions under the reform name it in their version
(``kent_rp 2023.1+no_home_choice_2027 (rules in force since 2027-04-01)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import attrs
from pydantic import Field, StringConstraints, ValidationError

from reciprocity.documents import load_document
from reciprocity.errors import InputProblem, InvalidInputError, SchemeDefinitionError
from reciprocity.inputs import problems_from
from reciprocity.model.base import BoundaryModel
from reciprocity.reforms.conditions import condition_from_data
from reciprocity.rules import Clause, Condition, Parameter, Rule, Scheme, Source
from reciprocity.rules.rule import Outcome

__all__ = ["Change", "Reform", "ReformDocument", "apply_reform", "load_reform", "reform_from_data"]

_RULE_ID = r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"
RuleId = Annotated[str, StringConstraints(pattern=_RULE_ID, max_length=120)]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Words = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class _Neutralise(BoundaryModel):
    neutralise: RuleId = Field(description="The rule that stops being in force from the reform's date.")


class _Parameter(BoundaryModel):
    parameter: Name = Field(description="The parameter whose value changes from the reform's date.")
    value: Any = Field(description="Its new value (a list for a set of values).")


class _Replace(BoundaryModel):
    replace: RuleId = Field(description="The rule that gets a new version from the reform's date.")
    require: Any = Field(description="Its new condition (see reciprocity.reforms.conditions).")
    when: Any = Field(None, description="When it applies; left out, as the rule being replaced has it.")
    statement: Words | None = Field(None, description="Its new statement; left out, the old one.")
    passed: Words | None = None
    failed: Words | None = None
    not_applicable: Words | None = None


class _Add(BoundaryModel):
    add: RuleId = Field(description="The new rule's id (starting with the scheme id).")
    statement: Words
    require: Any = Field(description="Its condition (see reciprocity.reforms.conditions).")
    when: Any = None
    passed: Words
    failed: Words
    not_applicable: Words | None = None
    on_fail: Literal["ineligible", "needs_information"] = "ineligible"


_KINDS: dict[str, type[BoundaryModel]] = {"neutralise": _Neutralise, "parameter": _Parameter, "replace": _Replace,
                                          "add": _Add}


class ReformDocument(BoundaryModel):
    """A reform file as written (validated field by field; each change by its own kind)."""

    id: Name = Field(description="The reform's id, e.g. no_home_choice_2027; decisions under it name it.")
    scheme: Name = Field(description="The scheme it changes.")
    title: Words
    applies_from: date = Field(description="The first day the changes are in force.")
    proposal: Words = Field(description="The document proposing the changes, as changed rules cite it.")
    changes: list[dict[str, Any]] = Field(
        min_length=1, max_length=200,
        description="Each a mapping with exactly one of neutralise, parameter, replace, add (and its fields).")


@attrs.frozen
class Change:
    """One change of a reform: ``kind`` is neutralise, parameter, replace or add; ``target`` the
    rule or parameter; the rest as the kind needs (a condition built in Python or from data)."""

    kind: Literal["neutralise", "parameter", "replace", "add"]
    target: str
    value: Any = None
    require: Condition | None = None
    when: Condition | None = None
    statement: str | None = None
    passed: str | None = None
    failed: str | None = None
    not_applicable: str | None = None
    on_fail: Outcome = Outcome.INELIGIBLE


@attrs.frozen
class Reform:
    """A reform of one scheme from one date: its changes, and the proposal they come from."""

    id: str
    scheme: str
    title: str
    applies_from: date
    proposal: str
    changes: tuple[Change, ...] = attrs.field(converter=tuple)

    def source(self) -> Source:
        """The proposal as a source the changed rules cite."""
        return Source(key=f"reform:{self.id}", title=self.proposal, citation=self.proposal, file="",
                      clause_word="change")

    def clause(self, index: int) -> Clause:
        return Clause(self.source(), str(index + 1))


def reform_from_data(data: Any) -> Reform:
    """A :class:`Reform` from parsed YAML or JSON; InvalidInputError naming each field."""
    try:
        doc = ReformDocument.model_validate(data)
    except ValidationError as error:
        raise InvalidInputError("reform", problems_from(error)) from None
    problems: list[InputProblem] = []
    changes = []
    for index, raw in enumerate(doc.changes):
        at = f"changes[{index}]"
        kinds = set(_KINDS) & set(raw)
        if len(kinds) != 1:
            problems.append(InputProblem(at, "must name exactly one of neutralise, parameter, replace, add",
                                         "give one change per list item"))
            continue
        try:
            item = _KINDS[kinds.pop()].model_validate(raw)
            changes.append(_change(item, at))
        except ValidationError as error:
            problems += [InputProblem(f"{at}.{p.path}" if p.path else at, p.message, p.hint)
                         for p in problems_from(error)]
        except InvalidInputError as error:
            problems += list(error.problems)
    if problems:
        raise InvalidInputError("reform", problems)
    return Reform(doc.id, doc.scheme, doc.title, doc.applies_from, doc.proposal, tuple(changes))


def _change(item: BoundaryModel, at: str) -> Change:
    def cond(value: Any, where: str) -> Condition | None:
        return None if value is None else condition_from_data(value, path=f"{at}.{where}")

    if isinstance(item, _Neutralise):
        return Change("neutralise", item.neutralise)
    if isinstance(item, _Parameter):
        return Change("parameter", item.parameter, value=item.value)
    if isinstance(item, _Replace):
        return Change("replace", item.replace, require=cond(item.require, "require"), when=cond(item.when, "when"),
                      statement=item.statement, passed=item.passed, failed=item.failed,
                      not_applicable=item.not_applicable)
    assert isinstance(item, _Add)
    return Change("add", item.add, require=cond(item.require, "require"), when=cond(item.when, "when"),
                  statement=item.statement, passed=item.passed, failed=item.failed,
                  not_applicable=item.not_applicable, on_fail=Outcome(item.on_fail))


def load_reform(path: Path | str) -> Reform:
    """Read a reform file (``.yaml``, ``.yml`` or ``.json``)."""
    return reform_from_data(load_document(Path(path)))


# --- applying -----------------------------------------------------------------------------------


def apply_reform(scheme: Scheme, reform: Reform) -> Scheme:
    """``scheme`` with ``reform`` in force from its date: a new dated version of the scheme,
    unchanged before that day. InvalidInputError names the change at fault (a rule or parameter
    the scheme does not have, a condition reading a fact it does not declare)."""
    if reform.scheme != scheme.id:
        raise InvalidInputError("reform", [InputProblem("scheme", "names a different scheme from the one asked for",
                                                        "use the reform with its own scheme")])
    day = reform.applies_from
    rules: list[Rule] = list(scheme.rules)
    params = {p.name: p for p in scheme.parameters}
    ids = {r.id for r in rules}
    for index, change in enumerate(reform.changes):
        at = f"changes[{index}]"
        cites = reform.clause(index)
        if change.kind == "parameter":
            if change.target not in params:
                raise _refuse(at, "names a parameter the scheme does not have", "check the parameter's name")
            params[change.target] = _new_value(params[change.target], day, change.value, cites)
            continue
        if change.kind == "add":
            if change.target in ids:
                raise _refuse(at, "adds a rule id the scheme already has", "give the new rule an id of its own")
            assert change.require is not None and change.statement and change.passed and change.failed
            rules.append(Rule(id=change.target, clauses=cites, statement=change.statement, require=change.require,
                              passed=change.passed, failed=change.failed, when=change.when,
                              not_applicable=change.not_applicable or "", on_fail=change.on_fail,
                              effective_from=day))
            ids.add(change.target)
            continue
        if change.target not in ids:
            raise _refuse(at, "names a rule the scheme does not have", "check the rule's id")
        in_force = [r for r in rules if r.id == change.target and r.in_force_on(day)]
        rules = _ended(rules, change.target, day)
        if change.kind == "replace":
            old = in_force[0] if in_force else next(r for r in scheme.rules if r.id == change.target)
            assert change.require is not None
            rules.append(attrs.evolve(
                old, clauses=(*old.clauses, cites), require=change.require,
                when=change.when if change.when is not None else old.when,
                statement=change.statement or old.statement, passed=change.passed or old.passed,
                failed=change.failed or old.failed, not_applicable=change.not_applicable or old.not_applicable,
                effective_from=day, effective_to=None))
    try:
        return attrs.evolve(
            scheme, version=f"{scheme.version}+{reform.id}", sources=(*scheme.sources, reform.source()),
            rules=tuple(rules), parameters=tuple(params.values()),
            summary=f"{scheme.summary} Under reform {reform.id} from {day.isoformat()}: {reform.title}.",
        )
    except (SchemeDefinitionError, ValueError) as error:
        raise InvalidInputError("reform", [InputProblem("changes", str(error),
                                                        "check the facts and parameters the changes read")]) from None


def _ended(rules: Sequence[Rule], rule_id: str, day: date) -> list[Rule]:
    """``rules`` with every version of ``rule_id`` ended on ``day`` (those starting later dropped)."""
    out = []
    for rule in rules:
        if rule.id != rule_id or (rule.effective_to is not None and rule.effective_to <= day):
            out.append(rule)
        elif rule.effective_from is None or rule.effective_from < day:
            out.append(attrs.evolve(rule, effective_to=day))
    return out


def _new_value(parameter: Parameter, day: date, value: Any, cites: Clause) -> Parameter:
    """``parameter`` with ``value`` from ``day`` (later dated values dropped); a list given for a
    parameter whose values are sets is read as a set."""
    current = parameter.values[-1][1]
    if isinstance(current, frozenset | set) and isinstance(value, list | tuple):
        value = frozenset(value)
    elif isinstance(current, tuple) and isinstance(value, list):
        value = tuple(value)
    kept = [(start, v) for start, v in parameter.values if start is None or start < day]
    return attrs.evolve(parameter, values=(*kept, (day, value)), clauses=(*parameter.clauses, cites))


def _refuse(path: str, message: str, hint: str) -> InvalidInputError:
    return InvalidInputError("reform", [InputProblem(path, message, hint)])
