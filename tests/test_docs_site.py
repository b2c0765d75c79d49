"""The documentation site builds with warnings treated as errors, and shows what it promises.

The site (``mkdocs.yml``, pages in ``docs/``) is built once for this module with
``mkdocs build --strict`` into a temporary folder, exactly as a developer builds it. The CLI
reference is generated from the click group and the API reference from docstrings, so the
checks below catch a command or a function that went missing from either. The example policy
property test in ``examples/`` is shown on the testing page and run here, so it cannot rot.
"""

from __future__ import annotations

import html
import importlib.util
import inspect
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import reciprocity
from reciprocity.cli import cli

ROOT = Path(__file__).resolve().parents[1]
POLICY_EXAMPLE = ROOT / "examples" / "policy_property_test.py"


def _mkdocs() -> list[str]:
    script = Path(sys.executable).with_name("mkdocs")
    return [str(script)] if script.exists() else [sys.executable, "-m", "mkdocs"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    started = time.perf_counter()
    done = subprocess.run(
        [*_mkdocs(), "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    seconds = time.perf_counter() - started
    assert done.returncode == 0, f"mkdocs build --strict failed after {seconds:.1f} s:\n{done.stderr}"
    print(f"docs site built in {seconds:.1f} s")
    return out


def _page(site: Path, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


def test_the_site_builds_without_warnings(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert (site / "search" / "search_index.json").is_file()


def test_the_cli_reference_lists_every_command(site: Path) -> None:
    page = _page(site, "cli")
    assert len(cli.commands) >= 10
    for name, command in cli.commands.items():
        assert f'id="reciprocity-{name}"' in page, f"`reciprocity {name}` is missing from cli.md"
        for sub in getattr(command, "commands", {}):
            assert f'id="reciprocity-{name}-{sub}"' in page, f"`reciprocity {name} {sub}` is missing"
    for name in ("check", "case", "due", "partner", "ledger", "arbitration", "report", "demo",
                 "docs", "schemes"):
        assert name in cli.commands


def test_the_api_reference_documents_the_public_functions(site: Path) -> None:
    page = _page(site, "api")
    for name in ("evaluate", "evaluate_many", "assess_offer", "get_scheme", "schemes"):
        assert f'id="reciprocity.{name}"' in page, f"reciprocity.{name} is missing from api.md"
    # The first line of evaluate's own docstring is on the page.
    first_line = inspect.getdoc(reciprocity.evaluate).splitlines()[0]
    assert first_line.split()[0] in page
    for module in ("reciprocity.rules", "reciprocity.casework.cases",
                   "reciprocity.partnership.service", "reciprocity.ledger.service",
                   "reciprocity.reports", "reciprocity.testing", "reciprocity.store"):
        assert f'id="{module}"' in page, f"{module} is missing from api.md"
    assert 'id="reciprocity.testing.eligible_referrals"' in page


def test_the_scheme_author_reference_is_in_the_site_and_the_api_page_covers_its_modules(site: Path) -> None:
    """Issue 15: the generated reference is a page of the site, in the nav, and the API page
    documents the modules a scheme author uses."""
    page = _page(site, "scheme-authors")
    for anchor in ("core-facts", "offer-facts", "case-facts", "events", "deadline-kinds", "duty-kinds",
                   "label-convention", "not-encoded", "areas-file", "reciprocity.lifecycle.process.Party"):
        assert f'id="{anchor}"' in page, anchor
    assert 'href="scheme-authors/"' in (site / "index.html").read_text(encoding="utf-8")
    api = _page(site, "api")
    for module in ("reciprocity.lifecycle.process", "reciprocity.lifecycle.guards", "reciprocity.rules.common",
                   "reciprocity.rules.extensions", "reciprocity.partnership", "reciprocity.model.area",
                   "reciprocity.lifecycle.events", "reciprocity.lifecycle.deadlines",
                   "reciprocity.lifecycle.time_limits", "reciprocity.lifecycle.duties", "reciprocity.sizes",
                   "reciprocity.tenancy_security"):
        assert f'id="{module}"' in api, f"{module} is missing from api.md"
    for name in ("reciprocity.lifecycle.process.Step", "reciprocity.lifecycle.time_limits.TimeLimit",
                 "reciprocity.partnership.LedgerKind", "reciprocity.model.area.load_areas"):
        assert f'id="{name}"' in api, name


@pytest.mark.parametrize("scheme", reciprocity.schemes(), ids=lambda s: s.id)
def test_every_scheme_has_its_page_in_the_site_and_the_nav(site: Path, scheme: reciprocity.Scheme) -> None:
    page = _page(site, f"schemes/{scheme.id}")
    assert html.escape(scheme.title, quote=False) in page
    assert f'href="schemes/{scheme.id}/"' in (site / "index.html").read_text(encoding="utf-8")


def test_the_pages_show_the_example_code_the_tests_run(site: Path) -> None:
    testing = _page(site, "testing")
    assert "test_the_same_referral_assessed_by_the_police_alone_is_not_eligible" in testing
    writing = _page(site, "writing-a-scheme")
    assert "reciprocity_register_schemes" in writing
    assert "northshire.consent_to_share" in writing


def _load_policy_example() -> object:
    spec = importlib.util.spec_from_file_location("policy_property_test", POLICY_EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


POLICY_TESTS = sorted(name for name in vars(_load_policy_example()) if name.startswith("test_"))


def test_the_policy_example_has_tests() -> None:
    assert len(POLICY_TESTS) >= 2


@pytest.mark.parametrize("name", POLICY_TESTS)
def test_the_policy_property_example_passes(name: str) -> None:
    getattr(_load_policy_example(), name)()


def test_the_api_page_shows_the_openapi_document_with_its_own_assets(site: Path) -> None:
    # Issue 13: the OpenAPI page is in the site and fetches nothing from the internet.
    page = _page(site, "http-api")
    assert "openapi.json" in page and (site / "openapi.json").is_file()
    frames = sorted((site / "http-api").glob("swagger-*.html"))
    assert frames, "the Swagger UI frame is missing"
    for text in (page, *(f.read_text(encoding="utf-8") for f in frames)):
        tags = re.findall(r"<(?:script|link)\b[^>]*>", text)
        assert not any(re.search(r"(?:src|href)=\"(?:https?:)?//", tag) for tag in tags), tags
    assert "swagger-ui-bundle.js" in frames[0].read_text(encoding="utf-8")
