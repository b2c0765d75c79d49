"""Install docs/northshire with pip into a folder of its own, as a user would, and load it.

The package is built from its own pyproject.toml (no core edit, no test-only shortcut); the
folder goes on ``sys.path`` for the tests in this process and on ``PYTHONPATH`` for the
command-line runs, so the console script finds it through the entry-point group.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import reciprocity
from reciprocity.rules import Scheme

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "docs" / "northshire"


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder pip installed the package into."""
    target = tmp_path_factory.mktemp("northshire-site")
    source = tmp_path_factory.mktemp("northshire-src") / "northshire"
    shutil.copytree(PACKAGE, source)  # pip builds in place: keep the repository clean
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--target", str(target), str(source)],
        check=True, capture_output=True, timeout=300,
    )
    assert (target / "reciprocity_northshire" / "agreement.md").is_file()
    return target


@pytest.fixture(scope="module")
def northshire(installed: Path) -> Iterator[Scheme]:
    """The scheme, loaded through the registry from the installed package."""
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(installed))
        mp.setenv("RECIPROCITY_LOAD_PLUGINS", os.environ.get("RECIPROCITY_LOAD_PLUGINS", "") + ",northshire")
        mp.setenv("PYTHONPATH", os.pathsep.join([str(installed), *filter(None, [os.environ.get("PYTHONPATH")])]))
        reciprocity.reload_plugins()
        assert reciprocity.plugin_failures() == ()
        yield reciprocity.get_scheme("northshire")
    for name in [n for n in sys.modules if n.split(".")[0] == "reciprocity_northshire"]:
        del sys.modules[name]
    assert "northshire" not in reciprocity.reload_plugins().schemes
