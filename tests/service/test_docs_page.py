"""The interactive API page works offline in a real browser (issue 13, done when): headless
Chromium (Debian's package) loads `/docs` from `reciprocity serve` with every host but the
loopback one unresolvable, and the page shows the service's operations.

CI installs Chromium (`.ci/run`, which sets RECIPROCITY_REQUIRE_BROWSER=1, so the test cannot
skip there); elsewhere it is skipped when no Chromium is installed."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from service.served import server  # noqa: F401 - the fixture

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("RECIPROCITY_REQUIRE_BROWSER"):
    raise RuntimeError("RECIPROCITY_REQUIRE_BROWSER is set but no chromium is installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium installed (CI installs it)")


def _rendered(url: str) -> str:
    """The page's DOM after its scripts ran, in headless Chromium that can reach no other host."""
    done = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--disable-extensions", "--disable-background-networking",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
         "--virtual-time-budget=15000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_docs_page_shows_the_operations_offline(server: tuple[str, dict[str, str]]) -> None:  # noqa: F811
    base, _ = server
    dom = _rendered(f"{base}/docs")
    assert "swagger-ui" in dom
    # Operations rendered by Swagger UI from /openapi.json (not only the page's static HTML).
    assert "opblock" in dom, dom[:2000]
    for path in ("/schemes/{scheme_id}/check", "/cases/{case_id}", "/requests/{arc}"):
        assert path in dom, path
