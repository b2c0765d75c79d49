"""Scheme plugins are found through the ``reciprocity`` entry-point group, like any package.

A third-party scheme (``tests/thirdparty/reciprocity_example_scheme``) is made
discoverable exactly as pip would leave it: a ``*.dist-info`` directory with METADATA and
entry_points.txt on ``sys.path``, next to the importable package. Broken plugins are
written the same way. Every test restores the process-wide registry afterwards.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from click.testing import CliRunner

import reciprocity
from reciprocity import plugins
from reciprocity.cli import cli
from reciprocity.errors import UnknownSchemeError

HERE = Path(__file__).resolve().parent
THIRDPARTY = HERE / "thirdparty"
EXAMPLE_PACKAGE = THIRDPARTY / "reciprocity_example_scheme"
EXAMPLES = HERE.parent / "examples"
BUILTIN = ("cambridgeshire", "kent_krs", "kent_rp")
ENV = plugins.LOAD_PLUGINS_ENV

#: A referral the example scheme finds eligible from 2025-10-01 (no personal data).
EXAMPLE_REFERRAL = {
    "id": "EX-0001",
    "referred_on": "2025-12-01",
    "nominating_partner": {"id": "north_homes", "kind": "registered_provider"},
    "tenure": "temporary_accommodation",
    "homelessness": {"duty": "main", "application_made": True},
    "risk": {"assessed_by": "idva", "at_risk": True, "dash_score": 12},
    "requested_areas": ["south_example"],
}


def _example_entry_points() -> dict[str, str]:
    """The entry points the example package declares in its own pyproject.toml."""
    with (EXAMPLE_PACKAGE / "pyproject.toml").open("rb") as handle:
        project = tomllib.load(handle)["project"]
    return dict(project["entry-points"]["reciprocity"])


def _write_dist(site: Path, name: str, group_entries: Mapping[str, str], version: str = "0.0.1") -> Path:
    """Write an installed distribution's metadata, as pip leaves it in site-packages."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = ["[reciprocity]", *(f"{ep} = {target}" for ep, target in group_entries.items()), ""]
    (info / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")
    return info


@dataclass
class Site:
    """A temporary site directory on sys.path, and the monkeypatch that put it there."""

    path: Path
    mp: pytest.MonkeyPatch

    def allow(self, *names: str) -> None:
        """Set the allow-list to exactly ``names``."""
        self.mp.setenv(ENV, ",".join(names))

    def install_example(self) -> None:
        """Install the third-party example scheme: its dist-info here, its parent on sys.path."""
        _write_dist(self.path, "reciprocity-example-scheme", _example_entry_points())
        self.mp.syspath_prepend(str(THIRDPARTY))

    def install_module(self, ep_name: str, module: str, source: str) -> None:
        """Install a one-module plugin distribution called ``ep_name``."""
        (self.path / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        _write_dist(self.path, f"plugin-{ep_name}", {ep_name: module})


def _forget_modules_under(*roots: Path) -> None:
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and any(Path(file).resolve().is_relative_to(root) for root in roots):
            del sys.modules[name]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """An isolated place to install plugins; the registry is rebuilt as it was afterwards."""
    before = reciprocity.reload_plugins()
    path = tmp_path / "site-packages"
    path.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(path))
        yield Site(path, mp)
    _forget_modules_under(path, THIRDPARTY)
    after = reciprocity.reload_plugins()
    assert list(after.schemes) == list(before.schemes), "the registry was not restored"
    assert "example" not in after.schemes


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


# --- a third-party scheme ---------------------------------------------------------------


def test_example_package_declares_itself_in_the_reciprocity_group() -> None:
    assert _example_entry_points() == {"example": "reciprocity_example_scheme"}


def test_third_party_scheme_is_found_through_the_entry_point_group(site: Site) -> None:
    site.install_example()
    site.allow(*BUILTIN, "example")

    found = {ep.name: ep.value for ep in entry_points(group="reciprocity")}
    assert found.get("example") == "reciprocity_example_scheme"

    registry = reciprocity.reload_plugins()
    assert registry.failures == ()
    assert "example" in registry.plugins
    assert [s.id for s in reciprocity.schemes()] == sorted([*BUILTIN, "example"])
    scheme = reciprocity.get_scheme("example")
    assert scheme.title == "Example Boroughs Reciprocal Agreement"
    assert scheme.area_ids == {"north_example", "south_example"}

    decision = reciprocity.evaluate("example", EXAMPLE_REFERRAL)
    assert decision.scheme_id == "example"
    assert decision.outcome is reciprocity.Outcome.ELIGIBLE
    assert decision.referral_id == "EX-0001"
    assert {f.rule_id for f in decision.findings} == {
        "example.tenure",
        "example.dash_score",
        "example.requested_areas",
    }
    # The built-in schemes load alongside it, unchanged.
    kent = json.loads((EXAMPLES / "kent_rp_referral.json").read_text(encoding="utf-8"))
    assert reciprocity.evaluate("kent_rp", kent).eligible


def test_third_party_scheme_is_evaluated_by_the_cli(site: Site) -> None:
    site.install_example()
    site.allow(*BUILTIN, "example")
    reciprocity.reload_plugins()
    referral = site.path.parent / "example_referral.json"
    referral.write_text(json.dumps(EXAMPLE_REFERRAL), encoding="utf-8")

    code, output = _cli("schemes", "--json")
    assert code == 0
    listed = {s["id"]: s for s in json.loads(output)["schemes"]}
    assert set(listed) == {*BUILTIN, "example"}
    assert listed["example"]["areas"] == ["north_example", "south_example"]

    code, output = _cli("check", "--scheme", "example", "--json", str(referral))
    assert code == 0, output
    assert json.loads(output)["outcome"] == "eligible"


def test_installed_scheme_is_seen_by_the_console_script_in_a_new_process(site: Site) -> None:
    """No in-process shortcut: a fresh interpreter finds it from sys.path alone."""
    site.install_example()
    env = {
        **os.environ,
        ENV: ",".join([*BUILTIN, "example"]),
        "PYTHONPATH": os.pathsep.join([str(site.path), str(THIRDPARTY)]),
    }
    script = shutil.which("reciprocity", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-c", "from reciprocity.cli import main; main()"]
    done = subprocess.run(
        [*command, "schemes", "--json"],
        capture_output=True, text=True, env=env, cwd=site.path.parent, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert "example" in [s["id"] for s in listed["schemes"]]
    assert listed["plugin_failures"] == []


def test_a_newly_installed_plugin_loads_on_reload_plugins(site: Site) -> None:
    site.allow(*BUILTIN, "example")
    reciprocity.reload_plugins()
    site.install_example()
    # The registry is built once per process: installing alone changes nothing ...
    with pytest.raises(UnknownSchemeError):
        reciprocity.get_scheme("example")
    # ... until the plugins are loaded again.
    reciprocity.reload_plugins()
    assert reciprocity.get_scheme("example").id == "example"


# --- the allow-list -----------------------------------------------------------------------


def test_installed_scheme_outside_the_allow_list_does_not_load(site: Site) -> None:
    site.install_example()
    site.allow(*BUILTIN)
    registry = reciprocity.reload_plugins()
    assert list(registry.schemes) == list(BUILTIN)
    assert "example" not in registry.plugins
    assert registry.failures == ()  # left out on purpose is not a failure
    with pytest.raises(UnknownSchemeError) as caught:
        reciprocity.evaluate("example", EXAMPLE_REFERRAL)
    assert caught.value.known == BUILTIN
    for name in BUILTIN:
        assert name in str(caught.value)


def test_without_the_allow_list_every_installed_plugin_loads(site: Site) -> None:
    site.install_example()
    site.mp.delenv(ENV, raising=False)
    registry = reciprocity.reload_plugins()
    assert {*BUILTIN, "example"} <= set(registry.schemes)


def test_an_empty_allow_list_loads_no_scheme(site: Site) -> None:
    site.install_example()
    site.allow()
    assert os.environ[ENV] == ""
    registry = reciprocity.reload_plugins()
    assert registry.schemes == {}
    assert registry.plugins == ()
    assert reciprocity.schemes() == ()
    with pytest.raises(UnknownSchemeError) as caught:
        reciprocity.get_scheme("kent_rp")
    assert caught.value.known == ()
    assert "none are loaded" in str(caught.value)

    code, output = _cli("schemes", "--json")
    assert code == 0
    assert json.loads(output)["schemes"] == []


def test_the_allow_list_limits_what_loads(site: Site) -> None:
    site.install_example()
    site.allow("kent_rp")
    registry = reciprocity.reload_plugins()
    assert list(registry.schemes) == ["kent_rp"]
    assert registry.plugins == ("kent_rp",)

    with pytest.raises(UnknownSchemeError) as caught:
        reciprocity.evaluate("kent_krs", {})
    assert caught.value.scheme_id == "kent_krs"
    assert caught.value.known == ("kent_rp",)
    assert "kent_rp" in str(caught.value)
    assert "reciprocity schemes" in str(caught.value)  # says how to list them


def test_the_allow_list_ignores_spaces_and_empty_entries(site: Site) -> None:
    site.install_example()
    site.mp.setenv(ENV, " kent_rp , ,example,")
    assert list(reciprocity.reload_plugins().schemes) == ["example", "kent_rp"]


def test_the_allow_list_names_entry_points_exactly(site: Site) -> None:
    site.install_example()
    site.allow("exampl", "KENT_RP")
    assert reciprocity.reload_plugins().schemes == {}


# --- broken plugins -------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    ep_name: str
    module: str
    source: str
    error: str  # a pattern the reported error must match


BROKEN = {
    "raises_on_import": Broken(
        "broken_import",
        "reciprocity_broken_import",
        """
        raise RuntimeError("this plugin cannot start")
        """,
        r"RuntimeError: this plugin cannot start",
    ),
    "hook_raises": Broken(
        "broken_hook",
        "reciprocity_broken_hook",
        """
        from reciprocity import hookimpl

        @hookimpl
        def reciprocity_register_schemes(register):
            raise RuntimeError("the hook failed")
        """,
        r"RuntimeError: the hook failed",
    ),
    "duplicate_scheme_id": Broken(
        "zz_duplicate",
        "reciprocity_zz_duplicate",
        """
        from reciprocity import hookimpl
        import reciprocity_kent_rp

        @hookimpl
        def reciprocity_register_schemes(register):
            register(reciprocity_kent_rp.SCHEME)
        """,
        r"scheme id 'kent_rp' is already registered",
    ),
    "misspelt_hook": Broken(
        "broken_spelling",
        "reciprocity_broken_spelling",
        """
        from reciprocity import hookimpl

        @hookimpl
        def reciprocity_register_scheme(register):  # missing the final "s"
            raise AssertionError("an unknown hook must never be called")
        """,
        r"reciprocity_register_scheme\b",
    ),
    "registers_a_non_scheme": Broken(
        "broken_type",
        "reciprocity_broken_type",
        """
        from reciprocity import hookimpl

        @hookimpl
        def reciprocity_register_schemes(register):
            register({"id": "not_a_scheme"})
        """,
        r"TypeError: registered dict, not a Scheme",
    ),
}


def _assert_good_schemes_load(registry: plugins.Registry) -> None:
    assert set(registry.schemes) == {*BUILTIN, "example"}
    assert reciprocity.evaluate("example", EXAMPLE_REFERRAL).eligible
    kent = json.loads((EXAMPLES / "kent_rp_referral.json").read_text(encoding="utf-8"))
    assert reciprocity.evaluate("kent_rp", kent).eligible


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_plugin_is_reported_and_the_others_load(site: Site, kind: str) -> None:
    broken = BROKEN[kind]
    site.install_example()
    site.install_module(broken.ep_name, broken.module, broken.source)
    site.allow(*BUILTIN, "example", broken.ep_name)

    registry = reciprocity.reload_plugins()

    failures = reciprocity.plugin_failures()
    assert [f.plugin for f in failures] == [broken.ep_name]
    assert re.search(broken.error, failures[0].error), failures[0].error
    assert broken.ep_name in str(failures[0]) and "not loaded" in str(failures[0])
    _assert_good_schemes_load(registry)

    code, output = _cli("schemes")
    assert code == 0
    assert "Traceback" not in output
    for name in BUILTIN:
        assert name in output
    flat = " ".join(output.split())  # rich may wrap long lines
    assert f"plugin '{broken.ep_name}' was not loaded" in flat
    assert re.search(broken.error, flat)

    code, output = _cli("schemes", "--json")
    assert code == 0
    listed = json.loads(output)
    assert [f["plugin"] for f in listed["plugin_failures"]] == [broken.ep_name]
    assert re.search(broken.error, listed["plugin_failures"][0]["error"])
    assert {s["id"] for s in listed["schemes"]} == {*BUILTIN, "example"}


def test_every_broken_plugin_is_reported_at_once(site: Site) -> None:
    site.install_example()
    for broken in BROKEN.values():
        site.install_module(broken.ep_name, broken.module, broken.source)
    site.allow(*BUILTIN, "example", *(b.ep_name for b in BROKEN.values()))

    registry = reciprocity.reload_plugins()

    reported = {f.plugin: f.error for f in registry.failures}
    assert set(reported) == {b.ep_name for b in BROKEN.values()}
    for broken in BROKEN.values():
        assert re.search(broken.error, reported[broken.ep_name])
    _assert_good_schemes_load(registry)


def test_a_plugin_claiming_an_id_first_still_leaves_one_scheme_per_id(site: Site) -> None:
    """Whichever claimant loads first, the clash is reported and the id still resolves."""
    site.install_module(
        "aa_duplicate",
        "reciprocity_aa_duplicate",
        """
        from reciprocity import hookimpl
        import reciprocity_kent_rp

        @hookimpl
        def reciprocity_register_schemes(register):
            register(reciprocity_kent_rp.SCHEME)
        """,
    )
    site.allow(*BUILTIN, "aa_duplicate")
    registry = reciprocity.reload_plugins()
    assert len(registry.failures) == 1
    assert "scheme id 'kent_rp' is already registered" in registry.failures[0].error
    assert registry.failures[0].plugin in {"aa_duplicate", "kent_rp"}
    assert set(registry.schemes) == set(BUILTIN)


def test_a_plugin_registering_one_id_twice_is_reported(site: Site) -> None:
    site.install_module(
        "twin_ids",
        "reciprocity_twin_ids",
        """
        import attrs
        from reciprocity import hookimpl
        import reciprocity_kent_rp

        FIRST = reciprocity_kent_rp.SCHEME
        SECOND = attrs.evolve(FIRST, version="second")

        @hookimpl
        def reciprocity_register_schemes(register):
            register(FIRST)
            register(SECOND)
        """,
    )
    site.allow("twin_ids")
    registry = reciprocity.reload_plugins()
    assert [f.plugin for f in registry.failures] == ["twin_ids"]
    assert "kent_rp" in registry.failures[0].error
