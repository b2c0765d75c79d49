"""The committed scheme docs are exactly what the rules generate (they cannot drift)."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

import reciprocity
from reciprocity.docgen import scheme_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs" / "schemes"


def stale(scheme: reciprocity.Scheme) -> str | None:
    """Why the committed page of ``scheme`` is not what its rules generate, or None when it is."""
    committed = DOCS / f"{scheme.id}.md"
    if not committed.exists():
        return f"run `reciprocity docs --out docs/schemes` to create {committed.name}"
    if committed.read_text(encoding="utf-8") != scheme_markdown(scheme):
        return f"docs/schemes/{scheme.id}.md is stale: run `reciprocity docs --out docs/schemes` and commit the result"
    return None


@pytest.mark.parametrize("scheme", reciprocity.schemes(), ids=lambda s: s.id)
def test_committed_scheme_docs_are_current(scheme: reciprocity.Scheme) -> None:
    problem = stale(scheme)
    assert problem is None, problem


@pytest.mark.parametrize("scheme", reciprocity.schemes(), ids=lambda s: s.id)
def test_a_changed_rule_statement_makes_the_committed_docs_stale(scheme: reciprocity.Scheme) -> None:
    """The staleness check sees a rule's new statement that was not regenerated into the docs."""
    first, *rest = scheme.rules
    changed = attrs.evolve(scheme, rules=(attrs.evolve(first, statement=first.statement + " Changed."), *rest))
    assert changed.rules[0].statement != scheme.rules[0].statement
    assert stale(changed) == (
        f"docs/schemes/{scheme.id}.md is stale: run `reciprocity docs --out docs/schemes` and commit the result"
    )


@pytest.mark.parametrize("scheme", reciprocity.schemes(), ids=lambda s: s.id)
def test_scheme_docs_list_every_rule_and_interpretation(scheme: reciprocity.Scheme) -> None:
    text = scheme_markdown(scheme)
    for rule in (*scheme.rules, *scheme.offer_rules):
        assert f"### `{rule.id}`" in text
        assert rule.citation in text
    for item in scheme.interpretations:
        assert f"### `{item.id}`" in text
        assert item.reason in text
    for parameter in scheme.parameters:
        assert f"### `{parameter.name}`" in text


@pytest.mark.parametrize("scheme", reciprocity.schemes(), ids=lambda s: s.id)
def test_rules_are_documented_in_clause_order(scheme: reciprocity.Scheme) -> None:
    """Issue 7: the rules in clause order (source by source, clause by clause in its text)."""
    from reciprocity.docgen import in_clause_order

    def place(rule: reciprocity.Rule) -> tuple[int, int]:
        clause = rule.clauses[0]
        refs = [entry[0] for entry in clause.source.clauses]
        return ([s.key for s in scheme.sources].index(clause.source.key), refs.index(clause.source.entries(clause.ref)[0]))

    page = (DOCS / f"{scheme.id}.md").read_text(encoding="utf-8")
    for rules in (scheme.rules, scheme.offer_rules):
        ordered = in_clause_order(scheme, rules)
        assert [place(r) for r in ordered] == sorted(place(r) for r in ordered)
        positions = [page.index(f"### `{r.id}`\n") for r in ordered]
        assert positions == sorted(positions)
