"""The example scheme installed as a plugin, for the tests that read its dated rules."""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

import reciprocity
from reciprocity.rules import (
    Scheme,
)

from . import BUILTIN, EXAMPLE_PACKAGE, THIRDPARTY


def _write_dist(site: Path) -> None:
    with (EXAMPLE_PACKAGE / "pyproject.toml").open("rb") as handle:
        declared = tomllib.load(handle)["project"]["entry-points"]["reciprocity"]
    info = site / "reciprocity_example_scheme-0.0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: reciprocity-example-scheme\nVersion: 0.0.1\n", encoding="utf-8"
    )
    lines = ["[reciprocity]", *(f"{k} = {v}" for k, v in declared.items()), ""]
    (info / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def example(tmp_path: Path) -> Iterator[Scheme]:
    """The example scheme, installed as a plugin and loaded through the registry."""
    site = tmp_path / "site-packages"
    site.mkdir()
    _write_dist(site)
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(site))
        mp.syspath_prepend(str(THIRDPARTY))
        mp.setenv("RECIPROCITY_LOAD_PLUGINS", ",".join([*BUILTIN, "example"]))
        reciprocity.reload_plugins()
        yield reciprocity.get_scheme("example")
    for name in [n for n in sys.modules if n.split(".")[0] == "reciprocity_example_scheme"]:
        del sys.modules[name]
    assert "example" not in reciprocity.reload_plugins().schemes


