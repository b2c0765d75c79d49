"""The committed scheme docs are exactly what the rules generate (they cannot drift)."""

from __future__ import annotations

from pathlib import Path

import pytest

import reciprocity
from reciprocity.docgen import scheme_markdown

DOCS = Path(__file__).resolve().parents[1] / "docs" / "schemes"


@pytest.mark.parametrize("scheme", reciprocity.schemes(), ids=lambda s: s.id)
def test_committed_scheme_docs_are_current(scheme: reciprocity.Scheme) -> None:
    committed = DOCS / f"{scheme.id}.md"
    assert committed.exists(), f"run `reciprocity docs` to create {committed.name}"
    assert committed.read_text(encoding="utf-8") == scheme_markdown(scheme), (
        f"docs/schemes/{scheme.id}.md is stale: run `reciprocity docs` and commit the result"
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
