"""The committed docs are what the code generates (scheme pages, the scheme author's reference), and
no page sends its reader to the source instead."""

from __future__ import annotations

import re
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


# --- The scheme author's reference ------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "scheme-authors.md"
REGENERATE = "run `reciprocity docs --reference docs/scheme-authors.md` and commit the result"


def reference_stale(generated: str) -> str | None:
    """Why the committed reference is not ``generated``, or None when it is."""
    if not REFERENCE.exists():
        return f"docs/scheme-authors.md is missing: {REGENERATE}"
    if REFERENCE.read_text(encoding="utf-8") != generated:
        return f"docs/scheme-authors.md is stale: {REGENERATE}"
    return None


def test_committed_scheme_author_reference_is_current() -> None:
    from reciprocity.authoring import scheme_author_reference

    problem = reference_stale(scheme_author_reference())
    assert problem is None, problem


def test_a_changed_core_fact_makes_the_committed_reference_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page is read from the data: a fact's new question shows, and the committed page is stale."""
    from reciprocity import facts
    from reciprocity.authoring import scheme_author_reference

    first, *rest = facts.BASE_FACTS
    changed = attrs.evolve(first, question="a question nobody has asked yet")
    monkeypatch.setattr(facts, "BASE_FACTS", (changed, *rest))
    text = scheme_author_reference()
    assert "a question nobody has asked yet" in text
    assert reference_stale(text) == f"docs/scheme-authors.md is stale: {REGENERATE}"


def test_the_reference_lists_what_a_scheme_author_needs() -> None:
    """Every core fact, event, deadline and duty kind, party, ledger kind, size standard and areas
    key is on the page, and every public name of the modules it covers has its own heading."""
    from importlib import import_module

    from reciprocity.authoring import scheme_author_reference
    from reciprocity.facts import BASE_FACTS
    from reciprocity.lifecycle.case_facts import CASE_FACTS
    from reciprocity.lifecycle.duties import DUTY_KINDS
    from reciprocity.lifecycle.events import PAYLOADS
    from reciprocity.lifecycle.process import DEFAULT_PARTY, Party
    from reciprocity.lifecycle.time_limits import BUILT_IN, UNITS
    from reciprocity.model import Area
    from reciprocity.offer_facts import OFFER_FACTS
    from reciprocity.partnership import LedgerKind
    from reciprocity.sizes import SizeStandard

    text = scheme_author_reference()
    for spec in (*BASE_FACTS, *OFFER_FACTS):
        assert f"| `{spec.name}` | {spec.kind} | {spec.label} | {spec.question} |" in text, spec.name
    for name in CASE_FACTS:
        assert f"| `{name}` |" in text
    for event in PAYLOADS:
        assert f"| `{event}` |" in text, event
    for kind in (*BUILT_IN, *DUTY_KINDS):
        assert f"| `{kind}` |" in text, kind
    assert f"`UNITS = {UNITS!r}`" in text
    for enum in (Party, LedgerKind, SizeStandard):
        for member in enum:
            assert f"| `{member.value}` | `{member.name}` |" in text, member
    for event, party in DEFAULT_PARTY.items():
        assert f"| `{event}` | `{party.value}` |" in text
    for key in Area.model_fields:
        assert f"| `{key}` |" in text.split("{#areas-file}", 1)[1], key
    for module in ("reciprocity.lifecycle.process", "reciprocity.lifecycle.guards", "reciprocity.rules.common",
                   "reciprocity.rules.extensions", "reciprocity.partnership", "reciprocity.lifecycle.time_limits"):
        for name in import_module(module).__all__:
            anchor = "deadline-kinds" if name == "BUILT_IN" else f"{module}.{name}"  # its table's heading
            assert f"{{#{anchor}}}" in text, f"{module}.{name}"
    for anchor in ("not-encoded", "process-changes", "label-convention", "scheme-vocabulary", "core-facts",
                   "offer-facts", "events", "deadline-kinds", "duty-kinds", "areas-file",
                   "reciprocity.sizes.SizeStandard", "reciprocity.tenancy_security.SecurityScale"):
        assert f"{{#{anchor}}}" in text, anchor


def test_the_reference_examples_are_checked_by_the_core() -> None:
    """The label convention on the page is the one Parameter enforces, quoting its own refusal."""
    from reciprocity.authoring import scheme_author_reference
    from reciprocity.rules import Parameter

    with pytest.raises(ValueError, match="leading article") as refused:
        Parameter(name="minimum_dash_score", label="the minimum DASH score", description="...", values=[(None, 14)])
    text = scheme_author_reference()
    assert f"ValueError: {refused.value}" in text
    assert "*the DASH score is at least the minimum DASH score*" in text


def test_reciprocity_docs_writes_the_reference(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from reciprocity.authoring import scheme_author_reference
    from reciprocity.cli import cli

    target = tmp_path / "scheme-authors.md"
    result = CliRunner().invoke(cli, ["docs", "--reference", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == scheme_author_reference()
    assert not (tmp_path / "docs").exists()  # the scheme pages are not written with --reference
    missing = CliRunner().invoke(cli, ["docs", "--reference", str(tmp_path / "no" / "such" / "folder.md")])
    assert missing.exit_code == 2
    assert "cannot write" in missing.output and "Traceback" not in missing.output


# --- Pages never send a reader to the source ---------------------------------------------------

#: Pages under docs/ that are not pages: the worked scheme's package (mkdocs.yml exclude_docs).
NOT_PAGES = ("northshire",)
_INCLUDE = re.compile(r"""--8<--\s*["']?([^"'\s]+)""")
_LINK = re.compile(r"\]\(\s*<?([^)>\s]+)")
_PATH = re.compile(r"(?<![\w/.-])((?:\.{1,2}/)*(?:[\w*.-]+/)+[\w*.-]+\.py)\b")
_SRC = re.compile(r"(?<![\w/.-])(?:\.{1,2}/)*src/reciprocity\b")


def _into_source(path: str, root: Path) -> bool:
    """Whether a path named on a page is (or globs to) source of the library or of a built-in scheme."""
    parts = [p for p in path.split("/") if p not in (".", "..")]
    cleaned = "/".join(parts)
    if parts[:1] in (["src"], ["policies"]):
        return True
    if not cleaned.endswith(".py"):
        return False
    return any(any(base.glob(cleaned)) for base in (root / "src", root / "src" / "reciprocity", root / "policies"))


def source_references(docs: Path, root: Path = ROOT) -> list[str]:
    """Every place a page under ``docs`` sends its reader to the source instead of the docs: an
    include (``--8<--``) of a file under ``tests/``, a link into ``src/`` or ``policies/`` or to
    a ``.py`` file there, or a path naming one (``reciprocity/facts.py``, ``src/reciprocity``)."""
    found: list[str] = []
    for page in sorted(docs.rglob("*.md")):
        relative = page.relative_to(docs)
        if relative.parts[0] in NOT_PAGES:
            continue
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            where = f"docs/{relative.as_posix()}:{number}"
            for target in _INCLUDE.findall(line):
                if target.startswith("tests/"):
                    found.append(f"{where}: includes {target}, a test file (show the code from examples/ or a page)")
            for target in _LINK.findall(line):
                if re.match(r"^[a-z]+:", target):
                    continue
                path = target.split("#", 1)[0]
                linked = (page.parent / path).resolve()
                inside = any(linked.is_relative_to(root / d) for d in ("src", "policies"))
                if inside or "src/" in path or _into_source(path, root):
                    found.append(f"{where}: links to {target}, a source file (link the page that documents it)")
            text = _LINK.sub("](", _INCLUDE.sub("", line))
            for target in _PATH.findall(text):
                if _into_source(target, root):
                    found.append(f"{where}: names {target}, a source file (name the module or link its docs)")
            if _SRC.search(_PATH.sub("", text)):
                found.append(f"{where}: names src/reciprocity (name the module or link its docs)")
    return found


def test_no_page_sends_its_reader_to_the_source() -> None:
    """Issue 15: a third party follows the docs without reading the source. (Until main's rewrite
    of docs/writing-a-scheme.md lands, that page's two includes of tests/thirdparty fail this.)"""
    problems = source_references(ROOT / "docs")
    assert not problems, "pages point into the source:\n" + "\n".join(problems)


def test_the_source_reference_check_finds_each_kind(tmp_path: Path) -> None:
    """The check fails on the forms the old pages used, and passes the ones allowed."""
    docs = tmp_path / "docs"
    (docs / "concepts").mkdir(parents=True)
    (docs / "northshire").mkdir()
    (docs / "plugins.md").write_text(
        "- Facts every scheme can read are listed in `reciprocity/facts.py` (`risk.assessed_by`,\n"
        "like any other, but may also read the offer facts of\n"
        "`reciprocity/offer_facts.py` (`offer.area`, ...)\n"
        "  build theirs in `policies/*/process.py`.\n"
        "A command's own `--help` imports: `cli/options.py` imports pydantic\n",
        encoding="utf-8")
    (docs / "concepts" / "rules.md").write_text(
        "See [the facts](../../src/reciprocity/facts.py) and [the scheme](../../policies/kent_rp/scheme.py).\n"
        "The code is in src/reciprocity.\n",
        encoding="utf-8")
    (docs / "writing.md").write_text('```toml\n--8<-- "tests/thirdparty/reciprocity_example_scheme/pyproject.toml"\n```\n',
                                     encoding="utf-8")
    (docs / "fine.md").write_text(
        '--8<-- "examples/policy_property_test.py"\n'
        "Run `benchmarks/bench.py` and `tests/test_plugins.py`; read [rules](concepts/rules.md#facts),\n"
        "the module `reciprocity.lifecycle.case_facts` and [PyPI](https://pypi.org/project/x/src/y.py).\n",
        encoding="utf-8")
    (docs / "northshire" / "README.md").write_text("`reciprocity/facts.py`\n", encoding="utf-8")
    found = source_references(docs)
    assert [f.split(": ", 1)[0] for f in found] == [
        "docs/concepts/rules.md:1", "docs/concepts/rules.md:1", "docs/concepts/rules.md:2",
        "docs/plugins.md:1", "docs/plugins.md:3", "docs/plugins.md:4", "docs/plugins.md:5",
        "docs/writing.md:2",
    ], found
    assert "includes tests/thirdparty/reciprocity_example_scheme/pyproject.toml" in found[-1]


def test_the_reference_explains_only_arguments_that_exist() -> None:
    """The generator's words for arguments without a ``#:`` comment name real arguments of
    classes that still lack the comment (a comment, once written, wins and the entry can go)."""
    from reciprocity.authoring.names import MEANINGS, comments
    from reciprocity.rules import FactSpec, Parameter, Scheme

    classes = {cls.__name__: cls for cls in (FactSpec, Parameter, Scheme)}
    for cls_name, argument in MEANINGS:
        cls = classes[cls_name]
        assert argument in {f.alias for f in attrs.fields(cls) if f.init}, (cls_name, argument)
        assert argument not in comments(cls), f"{cls_name}.{argument} has a comment now: drop its entry"
