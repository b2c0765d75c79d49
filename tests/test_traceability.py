"""Every clause of every source text is accounted for: encoded by something, or declared not encoded.

Each scheme's sources carry an inventory of their clauses (checked here against the texts);
the generated traceability table lists, per clause, what encodes it or the scheme's reason.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import attrs
import pytest

import reciprocity
from reciprocity.docgen import citations, scheme_markdown, traceability
from reciprocity.rules import Clause, Scheme, Source

SCHEMES = reciprocity.schemes()
SCHEME_TEXTS = Path(os.environ.get("RECIPROCITY_SCHEME_TEXTS",
                                   Path(__file__).resolve().parents[2] / "shared" / "schemes"))
#: A numbered clause, section or point at the start of a line (``3.2``, ``7.``); not ``2.0`` headings
#: nor the regulator's ``2.4.1-`` standards quoted in the presentation.
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)?)\.?[ \t]")
_FOOTNOTES = {"¹": "1", "²": "2", "³": "3"}
_ORDINALS = ("first", "second", "third")


def _by_source() -> list[tuple[Scheme, Source]]:
    return [(scheme, source) for scheme in SCHEMES for source in scheme.sources]


def _text(source: Source) -> str:
    if not SCHEME_TEXTS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"scheme source texts not found at {SCHEME_TEXTS}")
        pytest.skip(f"scheme source texts not found at {SCHEME_TEXTS}")
    return (SCHEME_TEXTS / source.file).read_text(encoding="utf-8")


def numbered_clauses(text: str) -> list[str]:
    """The numbered clauses and footnotes of a text, in order; a number used twice is told apart
    as ``2.2 (first)``, ``2.2 (second)``."""
    found: list[str] = []
    for line in text.splitlines():
        if match := _NUMBERED.match(line):
            if not match.group(1).endswith(".0"):
                found.append(match.group(1))
        elif line[:1] in _FOOTNOTES:
            found.append(f"footnote {_FOOTNOTES[line[0]]}")
    return [
        f"{ref} ({_ORDINALS[found[:i].count(ref)]})" if found.count(ref) > 1 else ref
        for i, ref in enumerate(found)
    ]


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def test_numbered_clauses_tell_repeated_numbers_apart() -> None:
    text = "1.0 Heading\n1.1\tone\n2.2\tA\n2.2\tB\n2.4.1- a standard\n3. Point\n¹ a footnote\n"
    assert numbered_clauses(text) == ["1.1", "2.2 (first)", "2.2 (second)", "3", "footnote 1"]


@pytest.mark.parametrize(("scheme", "source"), _by_source(), ids=lambda v: getattr(v, "id", getattr(v, "key", "")))
def test_inventory_matches_the_source_text(scheme: Scheme, source: Source) -> None:
    """Every numbered clause of the text is listed, in order; every listed part is in the text."""
    assert source.clauses, f"{scheme.id}: {source.citation} ({source.file}) has no clause inventory"
    text = _text(source)
    listed = [ref for ref, _, heading in source.clauses if not heading]
    assert listed == numbered_clauses(text), (
        f"{scheme.id}: {source.citation}: the inventory's numbered clauses differ from {source.file}'s"
    )
    for ref, title, heading in source.clauses:
        assert title, f"{scheme.id}: {source.citation} {ref} has no title"
        if heading:
            assert _words(heading) in _words(text), (
                f"{scheme.id}: {source.citation} '{ref}': heading {heading!r} is not in {source.file}"
            )


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.id)
def test_every_clause_is_accounted_for(scheme: Scheme) -> None:
    missing = [f"{scheme.id}: {row.source.citation} {row.source.short(row.ref)} ({row.title})"
               for row in traceability(scheme) if not row.accounted_for]
    assert not missing, "encoded by nothing and not declared not encoded:\n" + "\n".join(missing)


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.id)
def test_no_clause_declared_not_encoded_is_encoded(scheme: Scheme) -> None:
    stale = [f"{scheme.id}: {row.source.citation} {row.source.short(row.ref)} is declared not encoded "
             f"but is cited by {', '.join(f'{kind} {name}' for kind, name in row.encoded_by)}"
             for row in traceability(scheme) if row.encoded_by and row.not_encoded]
    assert not stale, "stale 'not encoded' declarations:\n" + "\n".join(stale)


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.id)
def test_every_cited_clause_is_in_the_inventory(scheme: Scheme) -> None:
    cited = [(clause, f"{kind} {name}") for clause, kind, name in citations(scheme)]
    cited += [(clause, "the 'not encoded' declarations") for clause, _ in scheme.not_encoded]
    unknown = sorted({f"{scheme.id}: {owner} cites {clause}, which is not in the inventory of {clause.source.file}"
                      for clause, owner in cited if not clause.source.entries(clause.ref)})
    assert not unknown, "\n".join(unknown)


@pytest.mark.parametrize("scheme", SCHEMES, ids=lambda s: s.id)
def test_traceability_table_lists_every_clause(scheme: Scheme) -> None:
    text = scheme_markdown(scheme)
    assert "## Traceability" in text
    for source in scheme.sources:
        assert f"### {source.citation}\n" in text
        for ref, title, _ in source.clauses:
            assert f"| {source.short(ref)} | {title} |" in text, f"{scheme.id}: {source.cite(ref)} not in its table"
    for clause, why in scheme.not_encoded:
        assert f"not encoded: {why} |" in text


def test_a_citation_names_the_clause_its_number_or_both_duplicates() -> None:
    mou = Source(key="t", title="t", citation="T", file="t.txt",
                 clauses=(("2.2 (first)", "a"), ("2.2 (second)", "b"), ("3.2", "c"), ("Appendix 1", "d", "Appendix 1")))
    assert mou.entries("2.2 (first)") == ("2.2 (first)",)
    assert mou.entries("2.2") == ("2.2 (first)", "2.2 (second)")
    assert mou.entries("3.2 (second condition)") == ("3.2",)
    assert mou.entries("Appendix 1") == ("Appendix 1",)
    assert mou.entries("3.3") == ()


def test_an_uncited_clause_without_a_reason_is_reported() -> None:
    scheme = next(s for s in SCHEMES if s.id == "kent_rp")
    dropped = attrs.evolve(scheme, not_encoded=scheme.not_encoded[1:])
    clause, _ = scheme.not_encoded[0]
    rows = [r for r in traceability(dropped) if not r.accounted_for]
    assert [(r.source, r.ref) for r in rows] == [(clause.source, clause.ref)]
    assert f"| {clause.source.short(clause.ref)} | " in scheme_markdown(dropped)
    assert "not encoded: (no reason given)" in scheme_markdown(dropped)


def test_a_declaration_for_a_cited_clause_is_reported() -> None:
    scheme = next(s for s in SCHEMES if s.id == "kent_rp")
    rule = scheme.rules[0]
    extra = attrs.evolve(scheme, not_encoded=(*scheme.not_encoded, (rule.clauses[0], "no rule")))
    stale = [r for r in traceability(extra) if r.encoded_by and r.not_encoded]
    assert [r.ref for r in stale] == [rule.clauses[0].ref]
    assert ("rule", rule.id) in stale[0].encoded_by


def test_a_not_encoded_clause_needs_a_scheme_source() -> None:
    scheme = next(s for s in SCHEMES if s.id == "kent_krs")
    stranger = Source(key="x", title="x", citation="X", file="x.txt")
    with pytest.raises(reciprocity.errors.SchemeDefinitionError, match="not-encoded clause"):
        attrs.evolve(scheme, not_encoded=((Clause(stranger, "1"), "why"),))
