"""The core never imports a scheme package: schemes reach it only through the plugin registry.

Two independent checks: a static scan of every module's source, and a fresh interpreter
that imports every ``reciprocity.*`` module and then looks at ``sys.modules``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

import reciprocity

SRC = Path(reciprocity.__file__).resolve().parent
BUILTIN_PACKAGES = ("reciprocity_kent_rp", "reciprocity_kent_krs", "reciprocity_cambridgeshire")
SCHEME_PREFIX = "reciprocity_"
#: Names in the core that start with the prefix but are not packages: the hook itself.
HOOK_NAMES = frozenset({"reciprocity_register_schemes"})


def _scheme_packages() -> frozenset[str]:
    """The built-in scheme packages and every package registered in the entry-point group."""
    published = {ep.value.split(":")[0].split(".")[0] for ep in entry_points(group="reciprocity")}
    return frozenset(BUILTIN_PACKAGES) | published


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _core_files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def scheme_references(source: str, filename: str = "<source>") -> list[str]:
    """Every way ``source`` names a scheme package: imports, dynamic imports, bare names."""
    packages = _scheme_packages()
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith(SCHEME_PREFIX)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.startswith(SCHEME_PREFIX):
                found.append(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # importlib.import_module("reciprocity_kent_rp") and the like
            found += [p for p in packages if p in node.value]
        elif isinstance(node, ast.Name) and node.id.startswith(SCHEME_PREFIX):
            if node.id not in HOOK_NAMES:
                found.append(node.id)
    return found


# --- the static scan ------------------------------------------------------------------------


def test_the_scan_sees_every_core_module() -> None:
    names = {_module_name(p) for p in _core_files()}
    for expected in (
        "reciprocity",
        "reciprocity.api",
        "reciprocity.plugins",
        "reciprocity.cli.main",
        "reciprocity.engines.native",
        "reciprocity.rules.scheme",
        "reciprocity.model.referral",
    ):
        assert expected in names


@pytest.mark.parametrize(
    "source",
    [
        "import reciprocity_kent_rp",
        "import reciprocity_cambridgeshire.scheme as s",
        "from reciprocity_kent_krs import SCHEME",
        "from reciprocity_someone_elses import SCHEME",
        "import importlib\nimportlib.import_module('reciprocity_kent_rp')",
        "def f():\n    from reciprocity_kent_rp.scheme import RULES\n",
        "__import__('reciprocity_cambridgeshire')",
    ],
)
def test_the_scan_catches_a_planted_import(source: str) -> None:
    assert scheme_references(source)


def test_the_scan_allows_the_hook_name() -> None:
    source = "manager.hook.reciprocity_register_schemes\ndef reciprocity_register_schemes(): ..."
    assert scheme_references(source) == []


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: _module_name(p))
def test_no_core_module_names_a_scheme_package(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert scheme_references(source, str(path)) == []


# --- the dynamic check ------------------------------------------------------------------------

_PROBE = textwrap.dedent(
    """
    import importlib, json, os, pkgutil, sys

    PREFIX = "reciprocity_"
    import reciprocity
    from reciprocity import plugins

    def fail(name):
        raise ImportError(f"could not walk {name}")

    def names(path, prefix):
        # Every module under path, found without importing anything (parents first).
        for info in sorted(pkgutil.iter_modules(path, prefix), key=lambda i: i.name):
            yield info.name
            if info.ispkg:
                yield from names([os.path.join(path[0], info.name.rsplit(".", 1)[1])], info.name + ".")

    def schemes_loaded():
        return sorted(m for m in sys.modules if m.startswith(PREFIX))

    # Import one module at a time, noting any that brings in a scheme package or loads
    # the plugin registry (which imports every scheme) as a side effect.
    imported, culprits = ["reciprocity"], {}
    for name in names(list(reciprocity.__path__), "reciprocity."):
        before = set(schemes_loaded())
        registry_before = plugins._registry
        importlib.import_module(name)
        imported.append(name)
        new = sorted(set(schemes_loaded()) - before)
        if new or plugins._registry is not registry_before:
            culprits[name] = {"schemes": new, "built_registry": plugins._registry is not registry_before}

    # pkgutil's own walk must find nothing the listing above missed.
    walked = ["reciprocity"] + [
        i.name for i in pkgutil.walk_packages(reciprocity.__path__, "reciprocity.", onerror=fail)
    ]

    before = schemes_loaded()
    schemes = [s.id for s in reciprocity.schemes()]  # now the registry loads the plugins
    after = schemes_loaded()
    print(json.dumps({"imported": imported, "walked": walked, "culprits": culprits,
                      "before": before, "after": after, "schemes": schemes}))
    """
)


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Import every core module in a fresh interpreter and report what came with them."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        cwd=tmp_path_factory.mktemp("probe"),  # not the repository root
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_probe_imports_every_core_module(probe: dict[str, Any]) -> None:
    expected = {_module_name(p) for p in _core_files()}
    assert set(probe["imported"]) == expected
    assert set(probe["walked"]) == expected  # pkgutil's own walk finds nothing more


def test_the_probe_sees_scheme_packages_once_the_registry_is_used(probe: dict[str, Any]) -> None:
    assert sorted(probe["schemes"]) == ["cambridgeshire", "kent_krs", "kent_rp"]
    for package in BUILTIN_PACKAGES:
        assert package in probe["after"]


def test_no_core_module_imports_a_scheme_package_itself(probe: dict[str, Any]) -> None:
    direct = {name: c for name, c in probe["culprits"].items() if c["schemes"] and not c["built_registry"]}
    assert direct == {}, f"these core modules import scheme packages: {direct}"


def test_importing_every_core_module_imports_no_scheme(probe: dict[str, Any]) -> None:
    assert probe["culprits"] == {}, (
        "importing these core modules loaded scheme packages (directly, or by using the "
        f"plugin registry at import time): {probe['culprits']}"
    )
    assert probe["before"] == [], f"the core imported scheme packages: {probe['before']}"
