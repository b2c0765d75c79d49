"""The test case model: a case as written (:class:`CaseSpec`, with its :class:`Expect` and
:class:`ReferralChanges`), a case read and checked (:class:`TestCase`) or refused
(:class:`InvalidCase`), and the outcome of running one (:class:`CaseResult`, listing each
:class:`Difference`).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Literal

import attrs
from pydantic import ConfigDict, Field, field_validator

from reciprocity.decision import Status
from reciprocity.errors import InputProblem, InvalidInputError
from reciprocity.model.base import BoundaryModel
from reciprocity.rules.rule import Outcome

__all__ = [
    "RULE_ID",
    "CaseResult",
    "CaseSpec",
    "Difference",
    "Expect",
    "InvalidCase",
    "ReferralChanges",
    "TestCase",
]

#: A rule id as a case names it, with or without its scheme prefix; a field name outside it is
#: not repeated in a problem (reading shows it as "<unrecognised field>").
RULE_ID = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")


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
            if not RULE_ID.match(key):
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
