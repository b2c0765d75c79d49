"""Checks every scheme must pass, and the helpers its test module uses.

In the style of python-holidays' ``CommonCountryTests``: each scheme's test module has a
class that subclasses :class:`SchemeTests`, names the scheme, its plugin module, its
example and its source documents, and gives a minimal fully eligible referral. The
checks below then run for that scheme. The module also gives its per-rule cases as
tables of :class:`Case`, and the helpers here (``assert_met``, ``assert_not_met``,
``assert_needs_information``, ``assert_not_applicable``) hold the
assertions every per-rule test makes, so each scheme is held to the same standard.

Referrals are built by copying the eligible dict and changing one thing
(:func:`changed`). All referral data is invented and carries no personal data.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar

import pytest

import reciprocity
from reciprocity import Decision, Finding, InvalidInputError, Outcome, Referral, Status
from reciprocity.hookspecs import PROJECT
from reciprocity.inputs import load_document
from reciprocity.rules import Scheme

__all__ = ["REMOVE", "Case", "SchemeTests", "changed", "finding", "params"]

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
#: The scheme source texts (see their README.md). Checks that read them skip when absent.
#: CI checks the project out with shared/ beside it, so there they must be present.
SCHEME_TEXTS = Path(os.environ.get("RECIPROCITY_SCHEME_TEXTS", REPO.parent / "shared" / "schemes"))


class _Remove:
    def __repr__(self) -> str:
        return "REMOVE"


#: A change that deletes the field, so the referral no longer gives that fact.
REMOVE: Any = _Remove()


def changed(base: Mapping[str, Any], changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A deep copy of ``base`` with each dotted path set to a value, or deleted by REMOVE.

    ``{"risk.at_risk": REMOVE, "nominating_partner.kind": "local_authority"}``. Missing
    intermediate objects are created, so ``{"homelessness.duty": "main"}`` works on a
    referral without ``homelessness``.
    """
    result = copy.deepcopy(dict(base))
    for path, value in (changes or {}).items():
        *parents, last = path.split(".")
        target = result
        for part in parents:
            target = target.setdefault(part, {})
        if value is REMOVE:
            target.pop(last, None)
        else:
            target[last] = copy.deepcopy(value)
    return result


@dataclass(frozen=True)
class Case:
    """One referral for one rule: the eligible referral with ``changes`` applied.

    ``missing`` is what a needs-information case expects in ``finding.missing`` (exactly).
    ``outcome`` overrides the outcome a check expects by default (met and not-applicable
    cases: eligible; not-met: ineligible; needs-information: needs information).
    """

    rule_id: str
    label: str
    changes: Mapping[str, Any] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    outcome: Outcome | None = None


def params(cases: Sequence[Case], citations: Mapping[str, str]) -> list[Any]:
    """Cases as pytest params whose ids name the rule, the case and the clause.

    "§" is written "s." because pytest escapes non-ASCII ids (``Kent RP MoU s.3.3``); the
    exact citation, with "§", is asserted in each test.
    """
    return [
        pytest.param(
            case,
            id=f"{case.rule_id}: {case.label} ({_ascii(citations.get(case.rule_id, '?'))})",
        )
        for case in cases
    ]


def _ascii(citation: str) -> str:
    return citation.replace("§", "s.")


def finding(decision: Decision, rule_id: str) -> Finding:
    """The one finding of ``rule_id`` in ``decision``."""
    found = [f for f in decision.findings if f.rule_id == rule_id]
    assert len(found) == 1, (
        f"expected one finding for {rule_id}, got {[f.rule_id for f in decision.findings]}"
    )
    return found[0]


def _explain(decision: Decision) -> str:
    return "\n".join(
        [
            decision.summary(),
            *(f"  {f.rule_id}: {f.status}: {f.sentence}" for f in decision.findings),
        ]
    )


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def clause_in_text(ref: str, text: str) -> bool:
    """Whether clause ``ref`` can be found in a source text.

    A numbered clause (``3.2``, ``7 (first limb)``, ``2.2 (second)``) must open a line of
    the text; ``(first)`` / ``(second)`` tell apart clauses the text numbers twice, so the
    number must then open at least two lines. ``Appendix N`` must appear, and ``footnote
    N`` needs its superscript marker. Descriptive references (``opening paragraphs``,
    ``case studies``) are not checked.
    """
    number = re.match(r"(\d+(?:\.\d+)*)", ref)
    if number:
        heads = re.findall(rf"(?m)^[ \t]*{re.escape(number.group(1))}(?:\.(?!\d)|[ \t])", text)
        needed = 2 if re.search(r"\((first|second)\)$", ref) else 1
        return len(heads) >= needed
    appendix = re.fullmatch(r"Appendix (\d+)", ref)
    if appendix:
        return ref in text
    footnote = re.fullmatch(r"footnote (\d+)", ref)
    if footnote:
        return footnote.group(1).translate(_SUPERSCRIPT) in text
    return True


class SchemeHelpers:
    """Deciding variations of a scheme's eligible referral; no tests of its own.

    Subclass it for tests of one scheme's interpretations; :class:`SchemeTests` adds the
    checks every scheme gets."""

    #: The scheme id, e.g. ``"kent_rp"``.
    scheme_id: ClassVar[str]
    #: Each rule's full citation, keyed by rule id: pins which clause each rule encodes.
    citations: ClassVar[Mapping[str, str]]

    def eligible_referral(self) -> dict[str, Any]:
        """A minimal referral that meets every rule that applies to it (a fresh dict)."""
        raise NotImplementedError

    @property
    def scheme(self) -> Scheme:
        return reciprocity.get_scheme(self.scheme_id)

    def referral(self, changes: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The eligible referral with ``changes`` applied."""
        return changed(self.eligible_referral(), changes)

    def decide(self, changes: Mapping[str, Any] | None = None, **kwargs: Any) -> Decision:
        """Evaluate the eligible referral with ``changes`` applied under this scheme."""
        return reciprocity.evaluate(self.scheme_id, self.referral(changes), **kwargs)

    def cite(self, rule_id: str) -> str:
        return self.citations[rule_id]


class SchemeTests(SchemeHelpers):
    """The checks common to every scheme. Subclass it as ``Test<Scheme>`` and fill in the blanks."""

    #: The plugin module the scheme's entry point names, e.g. ``"reciprocity_kent_rp"``.
    plugin_module: ClassVar[str]
    #: The example referral's file name in ``examples/``.
    example_file: ClassVar[str]
    #: The files of the scheme's own source documents (index in the scheme texts' README).
    source_files: ClassVar[frozenset[str]]
    #: Per-rule case tables; the meta-checks below make sure they cover every rule.
    met_cases: ClassVar[Sequence[Case]]
    not_met_cases: ClassVar[Sequence[Case]]
    needs_information_cases: ClassVar[Sequence[Case]]
    not_applicable_cases: ClassVar[Sequence[Case]] = ()
    #: Rules that can never need information for another reason, with that reason.
    needs_information_impossible: ClassVar[Mapping[str, str]] = {}

    # --- every rule: one test per case in the subclass's tables ---------------------

    #: Which table each per-case test runs over; pytest calls the hook below per method.
    _CASE_TABLES: ClassVar[Mapping[str, str]] = {
        "test_rule_met": "met_cases",
        "test_rule_not_met": "not_met_cases",
        "test_rule_needs_information": "needs_information_cases",
        "test_rule_not_applicable": "not_applicable_cases",
    }

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        table = self._CASE_TABLES.get(metafunc.function.__name__)
        if table is not None:
            metafunc.parametrize("case", params(getattr(self, table), self.citations))

    def test_rule_met(self, case: Case) -> None:
        self.assert_met(case)

    def test_rule_not_met(self, case: Case) -> None:
        self.assert_not_met(case)

    def test_rule_needs_information(self, case: Case) -> None:
        self.assert_needs_information(case)

    def test_rule_not_applicable(self, case: Case) -> None:
        self.assert_not_applicable(case)

    def assert_met(self, case: Case) -> Finding:
        """The rule is met, asks nothing, and says so citing its clause."""
        decision = self.decide(case.changes)
        found = finding(decision, case.rule_id)
        assert found.status is Status.MET, _explain(decision)
        assert found.missing == ()
        assert found.questions == ()
        assert found.sentence.startswith("met: ")
        assert found.sentence.endswith(f"({self.cite(case.rule_id)})")
        assert decision.outcome is (case.outcome or Outcome.ELIGIBLE), _explain(decision)
        return found

    def assert_not_met(self, case: Case) -> Finding:
        """The rule alone is not met, the referral is ineligible, and the sentence cites the clause.

        A rule that fails never asks for information (Kleene: false settles it).
        """
        decision = self.decide(case.changes)
        found = finding(decision, case.rule_id)
        assert found.status is Status.NOT_MET, _explain(decision)
        assert decision.outcome is (case.outcome or Outcome.INELIGIBLE), _explain(decision)
        assert [f.rule_id for f in decision.failed] == [case.rule_id], _explain(decision)
        assert self.cite(case.rule_id) in found.sentence
        assert found.sentence.startswith("not eligible: ")
        assert found.missing == ()
        assert found.questions == ()
        assert self.cite(case.rule_id) in decision.summary()
        return found

    def assert_needs_information(self, case: Case) -> Finding:
        """The rule is undecided, and the decision asks for exactly the facts that settle it."""
        decision = self.decide(case.changes)
        found = finding(decision, case.rule_id)
        assert found.status is Status.NEEDS_INFORMATION, _explain(decision)
        assert decision.outcome is (case.outcome or Outcome.NEEDS_INFORMATION), _explain(decision)
        assert found.missing == tuple(sorted(case.missing)), _explain(decision)
        assert set(case.missing) <= set(decision.missing_facts)
        catalogue = self.scheme.fact_catalogue
        assert found.questions == tuple(catalogue[name].question for name in found.missing)
        assert set(found.questions) <= set(decision.questions)
        assert found.sentence.startswith("needs information: ")
        assert found.sentence.endswith(f"({self.cite(case.rule_id)})")
        return found

    def assert_not_applicable(self, case: Case) -> Finding:
        """The rule's ``when`` is false: it does not apply and asks nothing."""
        decision = self.decide(case.changes)
        found = finding(decision, case.rule_id)
        assert found.status is Status.NOT_APPLICABLE, _explain(decision)
        assert found.missing == ()
        assert found.questions == ()
        assert found.sentence.startswith("does not apply: ")
        assert found.sentence.endswith(f"({self.cite(case.rule_id)})")
        assert decision.outcome is (case.outcome or Outcome.ELIGIBLE), _explain(decision)
        return found

    # --- registration ----------------------------------------------------------------

    def test_scheme_is_registered(self) -> None:
        scheme = reciprocity.get_scheme(self.scheme_id)
        assert scheme.id == self.scheme_id
        assert scheme in reciprocity.schemes()
        assert not [f for f in reciprocity.plugin_failures() if self.scheme_id in str(f)]

    def test_plugin_module_is_published_under_the_entry_point_group(self) -> None:
        published = [ep for ep in entry_points(group=PROJECT) if ep.value == self.plugin_module]
        assert len(published) == 1, f"{self.plugin_module} is not published under {PROJECT!r}"
        assert published[0].name == self.scheme_id
        module = published[0].load()
        registered: list[Scheme] = []
        module.reciprocity_register_schemes(register=registered.append)
        assert [s.id for s in registered] == [self.scheme_id]
        # The scheme the library hands out is the very object that module registers.
        assert registered[0] is reciprocity.get_scheme(self.scheme_id)

    # --- the scheme's declaration ----------------------------------------------------

    def test_sources_are_the_schemes_own_documents(self) -> None:
        assert {source.file for source in self.scheme.sources} == set(self.source_files)

    def test_every_rule_cites_a_clause_of_its_own_sources(self) -> None:
        for rule in self.scheme.rules:
            assert rule.clauses, f"{rule.id} cites no clause"
            for clause in rule.clauses:
                assert clause.source in self.scheme.sources, f"{rule.id} cites {clause}"
                assert clause.ref, f"{rule.id} cites a whole document, not a clause"
            assert rule.citation.startswith(rule.clauses[0].source.citation)

    def test_rule_citations_are_pinned(self) -> None:
        """Each rule encodes the clause the tests expect; moving it is a decision, not a tidy-up."""
        assert {rule.id: rule.citation for rule in self.scheme.rules} == dict(self.citations)

    def test_cited_clauses_exist_in_the_source_texts(self) -> None:
        if not SCHEME_TEXTS.is_dir():
            if os.environ.get("CI"):
                pytest.fail(f"scheme source texts not found at {SCHEME_TEXTS}")
            pytest.skip(f"scheme source texts not found at {SCHEME_TEXTS}")
        cited = [(r.id, c) for r in self.scheme.rules for c in r.clauses]
        cited += [(i.id, c) for i in self.scheme.interpretations for c in i.clauses]
        for owner, clause in cited:
            text = (SCHEME_TEXTS / clause.source.file).read_text(encoding="utf-8")
            assert clause_in_text(clause.ref, text), (
                f"{owner}: {clause} is not in {clause.source.file}"
            )

    def test_every_rule_statement_is_one_sentence(self) -> None:
        for rule in self.scheme.rules:
            statement = rule.statement
            assert statement == statement.strip(), rule.id
            assert "\n" not in statement, rule.id
            assert statement[:1].isupper(), f"{rule.id}: {statement!r} does not start a sentence"
            assert statement.endswith("."), f"{rule.id}: {statement!r} does not end a sentence"
            assert not re.search(r"[.!?]\s", statement), (
                f"{rule.id}: {statement!r} is more than one sentence"
            )

    def test_rule_ids_are_unique_and_prefixed_with_the_scheme_id(self) -> None:
        ids = [rule.id for rule in self.scheme.rules]
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        for rule_id in ids:
            assert rule_id.startswith(f"{self.scheme_id}."), rule_id

    def test_interpretations_cite_only_the_schemes_own_sources(self) -> None:
        ids = [i.id for i in self.scheme.interpretations]
        assert len(ids) == len(set(ids))
        for interpretation in self.scheme.interpretations:
            assert interpretation.id.startswith(f"{self.scheme_id}."), interpretation.id
            for clause in interpretation.clauses:
                assert clause.source in self.scheme.sources, f"{interpretation.id} cites {clause}"

    def test_every_interpretation_cites_a_clause(self) -> None:
        uncited = [i.id for i in self.scheme.interpretations if not i.clauses]
        assert uncited == []

    def test_sentence_placeholders_are_declared_and_filled(self) -> None:
        """Every {fact} a sentence shows is a declared fact, and the eligible example never
        renders one as 'unknown' when the referral gives it."""
        catalogue = self.scheme.fact_catalogue
        for rule in self.scheme.rules:
            for template in (rule.passed, rule.failed, rule.not_applicable):
                for name in _PLACEHOLDER.findall(template):
                    assert name in catalogue, f"{rule.id} shows undeclared {{{name}}}"
                    assert name in rule.facts() | rule.mentions()
        decision = self.decide({})
        for found in decision.findings:
            assert "unknown" not in found.sentence, found.sentence

    # --- the per-rule tables cover every rule ----------------------------------------

    def test_every_rule_has_a_met_not_met_and_needs_information_case(self) -> None:
        rule_ids = {rule.id for rule in self.scheme.rules}
        assert {c.rule_id for c in self.met_cases} == rule_ids
        assert {c.rule_id for c in self.not_met_cases} == rule_ids
        undecidable = {c.rule_id for c in self.needs_information_cases}
        never_missing = set(self.needs_information_impossible)
        assert undecidable | never_missing == rule_ids
        assert not undecidable & set(self.needs_information_impossible)

    def test_every_conditional_rule_has_a_not_applicable_case(self) -> None:
        conditional = {rule.id for rule in self.scheme.rules if rule.when is not None}
        assert {c.rule_id for c in self.not_applicable_cases} == conditional

    # --- decisions -------------------------------------------------------------------

    def test_example_referral_is_eligible(self) -> None:
        document = load_document(EXAMPLES / self.example_file)
        assert document["scheme"] == self.scheme_id
        decision = reciprocity.evaluate(self.scheme_id, document)
        assert decision.outcome is Outcome.ELIGIBLE, _explain(decision)
        assert {f.status for f in decision.findings} <= {Status.MET, Status.NOT_APPLICABLE}

    def test_eligible_referral_is_eligible(self) -> None:
        decision = self.decide()
        assert decision.outcome is Outcome.ELIGIBLE, _explain(decision)
        assert decision.eligible
        assert [
            f.status
            for f in decision.findings
            if f.status in (Status.NOT_MET, Status.NEEDS_INFORMATION)
        ] == []
        assert decision.missing_facts == ()
        assert decision.questions == ()
        assert decision.failed == ()
        # One finding per rule in force, in the scheme's order, each citing its clause.
        ruleset = self.scheme.ruleset(decision.on)
        assert [f.rule_id for f in decision.findings] == [r.id for r in ruleset.rules]
        for found in decision.findings:
            assert found.citation == self.cite(found.rule_id)
            assert found.sentence.endswith(f"({found.citation})")
        assert decision.summary().startswith(f"eligible under {self.scheme_id}")

    def test_eligible_referral_is_judged_on_its_referral_date(self) -> None:
        referral = self.eligible_referral()
        decision = reciprocity.evaluate(self.scheme_id, referral)
        assert decision.on.isoformat() == referral["referred_on"]
        assert decision.scheme_id == self.scheme_id

    def test_evaluation_is_deterministic(self) -> None:
        referral = self.eligible_referral()
        before = copy.deepcopy(referral)
        first = reciprocity.evaluate(self.scheme_id, referral)
        second = reciprocity.evaluate(self.scheme_id, referral)
        assert first == second
        assert first.to_dict() == second.to_dict()
        assert referral == before, "evaluate changed its input"
        # A validated model, and a batch, decide the same as the dict.
        assert reciprocity.evaluate(self.scheme_id, Referral.model_validate(referral)) == first
        assert reciprocity.evaluate_many(self.scheme_id, [referral, referral]) == [first, first]

    def test_decision_is_deterministic_when_it_needs_information(self) -> None:
        """Missing facts are asked for in the same order every time."""
        needs = self.needs_information_cases[0]
        first = self.decide(needs.changes)
        second = self.decide(needs.changes)
        assert first == second
        assert first.missing_facts == second.missing_facts
        assert first.to_dict() == second.to_dict()

    def test_decision_dict_is_json(self) -> None:
        decision = self.decide()
        data = json.loads(json.dumps(decision.to_dict()))
        assert data["scheme"] == self.scheme_id
        assert data["outcome"] == "eligible"
        assert [f["rule"] for f in data["findings"]] == [f.rule_id for f in decision.findings]
        assert [f["clause"] for f in data["findings"]] == [f.citation for f in decision.findings]
