"""Rules, their clause citations, dated parameters and documented interpretations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any

import attrs

from reciprocity.rules.expr import Condition

__all__ = [
    "Clause",
    "cite_all",
    "fill",
    "Interpretation",
    "Outcome",
    "Parameter",
    "Rule",
    "Source",
    "in_force",
]

_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")

#: A ``{fact.name}`` placeholder in a rule's sentences.
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")


def fill(template: str, facts: Mapping[str, Any]) -> str:
    """A rule sentence with each ``{fact}`` placeholder replaced by the fact's value in words."""
    from reciprocity.rules.logic import MISSING  # noqa: PLC0415
    from reciprocity.rules.render import render_value  # noqa: PLC0415

    return PLACEHOLDER.sub(lambda m: render_value(facts.get(m.group(1), MISSING)), template)


class Outcome(StrEnum):
    """A decision's three possible outcomes."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    NEEDS_INFORMATION = "needs_information"


def _inventory(entries: Any) -> tuple[tuple[str, str, str], ...]:
    out = []
    for entry in entries:
        ref, title, *heading = entry
        if len(heading) > 1:
            raise ValueError(f"clause {ref!r}: give (ref, title) or (ref, title, heading)")
        out.append((ref, title, heading[0] if heading else ""))
    refs = [ref for ref, _, _ in out]
    if len(set(refs)) != len(refs):
        raise ValueError("a clause is listed twice in a source's inventory")
    return tuple(out)


def _base(ref: str) -> str:
    """A clause without its qualifier: ``3.2`` for ``3.2 (first condition)``."""
    return ref.split(" (", 1)[0]


@attrs.frozen
class Source:
    """A source document of a scheme and how its clauses are cited.

    ``citation`` is the short name readers recognise (``Kent RP MoU``); ``clause_word``
    goes between it and a numbered clause (``§`` gives ``Kent RP MoU §3.2``, ``point``
    gives ``KRS point 7``).

    ``clauses`` is the document's inventory, in order: every clause or part as
    ``(ref, title)``, or ``(ref, title, heading)`` for a part found by its heading in the
    text rather than by a number (``("Referral stage", "referral", "Referral")``).
    """

    key: str
    title: str
    citation: str
    file: str
    clause_word: str = "§"
    note: str = ""
    clauses: tuple[tuple[str, str, str], ...] = attrs.field(default=(), converter=_inventory, repr=False)

    def cite(self, ref: str) -> str:
        """The full citation of clause ``ref``: ``Kent RP MoU §3.2``, ``KRS point 7``, ``KRS Appendix 1``."""
        return f"{self.citation} {self.short(ref)}" if ref else self.citation

    def short(self, ref: str) -> str:
        """The clause without the document's name: ``§3.2``, ``point 7``, ``Appendix 1``."""
        if ref[:1].isdigit():
            return f"§{ref}" if self.clause_word == "§" else f"{self.clause_word} {ref}"
        return ref

    def entries(self, ref: str) -> tuple[str, ...]:
        """The inventory entries a citation of ``ref`` names.

        The entry itself when listed (``2.2 (first)``); otherwise every entry of the same
        clause number, so ``3.2 (first condition)`` names ``3.2`` and a bare ``2.2`` names
        both ``2.2 (first)`` and ``2.2 (second)``. Empty when the inventory has no such clause.
        """
        refs = [entry[0] for entry in self.clauses]
        if ref in refs:
            return (ref,)
        return tuple(r for r in refs if _base(r) == _base(ref))


@attrs.frozen
class Clause:
    """A place in a source document, e.g. clause ``3.2`` or ``2.2 (first)`` of the MoU."""

    source: Source
    ref: str

    def __str__(self) -> str:
        return self.source.cite(self.ref)


def _to_clauses(value: Clause | tuple[Clause, ...] | list[Clause]) -> tuple[Clause, ...]:
    return (value,) if isinstance(value, Clause) else tuple(value)


def cite_all(clauses: tuple[Clause, ...]) -> str:
    """Cite several clauses, naming each document once: ``KRS opening paragraphs, Appendix 1``."""
    groups: list[list[str]] = []
    last: Source | None = None
    for clause in clauses:
        if clause.source == last:
            groups[-1].append(clause.source.short(clause.ref))
        else:
            groups.append([str(clause)])
            last = clause.source
    return "; ".join(", ".join(group) for group in groups)


def in_force(start: date | None, end: date | None, on: date) -> bool:
    """Whether a period ``[start, end)`` (``None`` = open) contains ``on``."""
    return (start is None or start <= on) and (end is None or on < end)


@attrs.frozen
class Rule:
    """One eligibility rule: a requirement, the clause it encodes, and when it applies.

    The finding is *met* when ``require`` holds, *not met* when it does not, *needs
    information* when the facts cannot settle it, and *does not apply* when ``when`` is
    false. ``passed`` and ``failed`` complete the sentence a caseworker reads.
    """

    id: str = attrs.field(validator=attrs.validators.matches_re(_RULE_ID))
    clauses: tuple[Clause, ...] = attrs.field(converter=_to_clauses, validator=attrs.validators.min_len(1))
    statement: str
    require: Condition
    passed: str
    failed: str
    when: Condition | None = None
    not_applicable: str = ""
    on_fail: Outcome = Outcome.INELIGIBLE
    effective_from: date | None = None
    effective_to: date | None = None
    # Worked out once from the fields above, because every decision reads them.
    citation: str = attrs.field(init=False, eq=False, repr=False)
    fact_order: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)
    _mentioned: frozenset[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.on_fail is Outcome.ELIGIBLE:
            raise ValueError(f"rule {self.id}: a failed rule cannot make a referral eligible")
        if self.effective_from and self.effective_to and self.effective_to <= self.effective_from:
            raise ValueError(f"rule {self.id}: effective_to must be after effective_from")
        # Every clause the rule encodes, e.g. ``Kent RP MoU §2.2 (first), §5.3``.
        object.__setattr__(self, "citation", cite_all(self.clauses))
        # The facts the rule reads, in the order findings list them.
        object.__setattr__(self, "fact_order", tuple(sorted(self.facts())))
        text = " ".join((self.passed, self.failed, self.not_applicable))
        object.__setattr__(self, "_mentioned", frozenset(PLACEHOLDER.findall(text)))

    def in_force_on(self, on: date) -> bool:
        return in_force(self.effective_from, self.effective_to, on)

    def facts(self) -> frozenset[str]:
        """Every fact the rule's conditions read."""
        found = self.require.facts()
        return found | self.when.facts() if self.when is not None else found

    def params(self) -> frozenset[str]:
        found = self.require.params()
        return found | self.when.params() if self.when is not None else found

    def mentions(self) -> frozenset[str]:
        """Facts named in the rule's sentences (``{fact}`` placeholders), which are shown, not read."""
        return self._mentioned


#: The leading words a parameter's label may not start with (rendered text adds "the").
ARTICLES = frozenset({"the", "a", "an"})


@attrs.frozen
class Parameter:
    """A scheme setting with dated values: a change of policy is a new dated value.

    ``values`` pairs a start date (``None`` for "from the start") with the value in force
    from then until the next start.

    ``label`` is a noun phrase without a leading article ("minimum DASH score", not "the
    minimum DASH score"): rendered conditions put "the" in front of it ("at least the minimum
    DASH score"), so a label starting with "the", "a" or "an" is refused.
    """

    name: str
    label: str
    description: str
    values: tuple[tuple[date | None, Any], ...] = attrs.field(
        converter=tuple, validator=attrs.validators.min_len(1)
    )
    clauses: tuple[Clause, ...] = attrs.field(default=(), converter=_to_clauses)

    def __attrs_post_init__(self) -> None:
        first = self.label.split(" ", 1)[0].lower()
        if first in ARTICLES or not self.label.strip():
            raise ValueError(
                f"parameter {self.name}: write its label without a leading article "
                f"({self.label.split(' ', 1)[-1]!r}, not {self.label!r}); rendered text adds 'the'"
                if first in ARTICLES else f"parameter {self.name}: give it a label"
            )
        starts = [start for start, _ in self.values]
        if starts[1:] and None in starts[1:]:
            raise ValueError(f"parameter {self.name}: only the first value may be undated")
        dated = [s for s in starts if s is not None]
        if dated != sorted(set(dated)):
            raise ValueError(f"parameter {self.name}: values must be in date order, one per date")

    def value_on(self, on: date) -> tuple[date | None, Any]:
        """The start date and value in force on ``on``; raises LookupError before the first."""
        current: tuple[date | None, Any] | None = None
        for start, value in self.values:
            if start is None or start <= on:
                current = (start, value)
        if current is None:
            raise LookupError(f"parameter {self.name} has no value in force on {on.isoformat()}")
        return current

    @property
    def first_in_force(self) -> date | None:
        """The day its first value takes effect (None: from the start, whatever the date)."""
        return self.values[0][0]


@attrs.frozen
class Interpretation:
    """A documented choice where a scheme text is ambiguous or silent, and why."""

    id: str
    clauses: tuple[Clause, ...] = attrs.field(converter=_to_clauses)
    question: str
    choice: str
    reason: str
