"""Layers look only down (issue 12): the case process, the partner register and the ledger never
import the application layer above them, and import no ring among themselves. Imports inside
functions count as much as those at the top of a module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "reciprocity"
DOMAIN = ("lifecycle", "partnership", "ledger")


def _imports(package: str) -> set[str]:
    """The reciprocity subpackages ``package``'s modules import (any import, anywhere)."""
    found: set[str] = set()
    for path in (SRC / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "reciprocity" and len(parts) > 1 and parts[1] != package:
                    found.add(parts[1])
    return found


def _graph() -> dict[str, set[str]]:
    packages = (*DOMAIN, "casework")
    return {p: _imports(p) & set(packages) for p in packages}


@pytest.mark.parametrize("package", DOMAIN)
def test_the_domain_packages_never_import_the_case_work(package: str) -> None:
    assert "casework" not in _imports(package)


def test_no_ring_among_cases_ledger_and_partners() -> None:
    graph = _graph()
    seen: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"import ring: {' -> '.join((*path, node))}"
        for nxt in sorted(graph[node]):
            visit(nxt, (*path, node))
        seen.add(node)

    for start in graph:
        visit(start, ())
    # The order that follows: the case process below the register, the register below the ledger.
    assert graph["lifecycle"] == set()
    assert graph["partnership"] <= {"lifecycle"}
    assert graph["ledger"] <= {"partnership", "lifecycle"}


def test_the_walk_sees_a_ring_when_there_is_one(tmp_path: Path) -> None:
    """The check can fail: a function-level import of the case work from the ledger is found."""
    fake = tmp_path / "reciprocity"
    for package in (*DOMAIN, "casework"):
        (fake / package).mkdir(parents=True)
        (fake / package / "__init__.py").write_text("")
    (fake / "ledger" / "x.py").write_text("def f():\n    from reciprocity.casework.cases import Cases\n")
    globals()["SRC"], old = fake, SRC
    try:
        assert "casework" in _imports("ledger")
    finally:
        globals()["SRC"] = old


LIBRARY = [p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists() and p.name not in ("cli", "http")]


@pytest.mark.parametrize("package", LIBRARY)
def test_the_library_never_imports_a_door(package: str) -> None:
    """The command line and the HTTP service sit on top: nothing below them imports either."""
    assert not {"cli", "http"} & _imports(package)


@pytest.mark.parametrize("package", DOMAIN)
def test_the_domain_packages_never_import_the_access_layer(package: str) -> None:
    assert "access" not in _imports(package)


def test_the_doors_share_nothing_private() -> None:
    """The HTTP service never imports the command line; the command line starts the service
    through its public ``reciprocity.http`` only (``reciprocity serve``)."""
    assert "cli" not in _imports("http")
    for path in (SRC / "cli").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reciprocity.http"):
                assert node.module == "reciprocity.http", (path.name, node.module)
