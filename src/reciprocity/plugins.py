"""Finding scheme plugins: the ``reciprocity`` entry-point group, loaded through pluggy.

Every scheme, built-in or third-party, is found the same way. A plugin that fails to
import or register is reported in :func:`plugin_failures` and skipped; the others load.
Plugins load in entry-point name order; when two claim one scheme id, the first keeps it
and the second is reported, so no plugin silently replaces another's rules.
Set ``RECIPROCITY_LOAD_PLUGINS`` to a comma-separated list of entry-point names to load
only those (an empty value loads none).
"""

from __future__ import annotations

import logging
import os
import threading

import attrs
import pluggy

from reciprocity import hookspecs
from reciprocity.errors import UnknownSchemeError
from reciprocity.rules.scheme import Scheme

__all__ = [
    "LOAD_PLUGINS_ENV",
    "PluginFailure",
    "Registry",
    "get_scheme",
    "plugin_failures",
    "registry",
    "reload_plugins",
    "schemes",
]

LOAD_PLUGINS_ENV = "RECIPROCITY_LOAD_PLUGINS"
log = logging.getLogger(__name__)


@attrs.frozen
class PluginFailure:
    """A plugin that could not be loaded, and why (the error's type and message)."""

    plugin: str
    error: str

    def __str__(self) -> str:
        return f"plugin {self.plugin!r} was not loaded: {self.error}"


@attrs.frozen
class Registry:
    """The schemes the loaded plugins registered, and the plugins that failed."""

    schemes: dict[str, Scheme]
    failures: tuple[PluginFailure, ...]
    plugins: tuple[str, ...]

    def get(self, scheme_id: str) -> Scheme:
        try:
            return self.schemes[scheme_id]
        except (KeyError, TypeError):  # TypeError: not even text (a list, a dict)
            raise UnknownSchemeError(scheme_id, sorted(self.schemes)) from None


def _allowed() -> set[str] | None:
    raw = os.environ.get(LOAD_PLUGINS_ENV)
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def build_registry(group: str = hookspecs.PROJECT) -> Registry:
    """Load every allowed plugin in ``group`` and collect the schemes they register."""
    from importlib.metadata import entry_points  # noqa: PLC0415 - needed only when loading plugins

    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    failures: list[PluginFailure] = []
    loaded: list[str] = []
    allowed = _allowed()
    found = sorted(entry_points(group=group), key=lambda ep: ep.name)
    for ep in found:
        if allowed is not None and ep.name not in allowed:
            continue
        try:
            module = ep.load()
            manager.register(module, name=ep.name)
            manager.check_pending()  # a misspelt hook name is this plugin's fault alone
            if not manager.get_hookcallers(module):
                raise TypeError("it implements no reciprocity hook (missing @hookimpl?)")
        except Exception as error:  # noqa: BLE001 - a broken plugin must not stop the others
            if manager.has_plugin(ep.name):
                manager.unregister(name=ep.name)
            failures.append(PluginFailure(ep.name, _describe(error)))
            continue
        loaded.append(ep.name)

    collected: dict[str, Scheme] = {}
    for impl in manager.hook.reciprocity_register_schemes.get_hookimpls():
        mine: list[Scheme] = []
        try:
            impl.function(register=mine.append)
            ids: set[str] = set()
            for scheme in mine:
                if not isinstance(scheme, Scheme):
                    raise TypeError(f"registered {type(scheme).__name__}, not a Scheme")
                if scheme.id in collected or scheme.id in ids:
                    raise ValueError(f"scheme id {scheme.id!r} is already registered")
                ids.add(scheme.id)
        except Exception as error:  # noqa: BLE001
            failures.append(PluginFailure(impl.plugin_name, _describe(error)))
            loaded.remove(impl.plugin_name)
            continue
        collected.update((scheme.id, scheme) for scheme in mine)
    for failure in failures:
        log.warning("%s", failure)
    return Registry(schemes=dict(sorted(collected.items())), failures=tuple(failures), plugins=tuple(loaded))


_lock = threading.Lock()
_registry: Registry | None = None


def registry() -> Registry:
    """The process-wide registry, loaded on first use."""
    global _registry  # noqa: PLW0603 - a lazily built, process-wide cache
    if _registry is None:
        with _lock:
            if _registry is None:
                _registry = build_registry()
    return _registry


def reload_plugins() -> Registry:
    """Forget the loaded plugins and load them again (after installing one, or in tests)."""
    global _registry  # noqa: PLW0603
    with _lock:
        _registry = build_registry()
    return _registry


def schemes() -> tuple[Scheme, ...]:
    """Every loaded scheme, ordered by id."""
    return tuple(registry().schemes.values())


def get_scheme(scheme_id: str) -> Scheme:
    """The scheme ``scheme_id``; raises UnknownSchemeError naming the known ones."""
    return registry().get(scheme_id)


def plugin_failures() -> tuple[PluginFailure, ...]:
    """Plugins that were found but could not be loaded."""
    return registry().failures
