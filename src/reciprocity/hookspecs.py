"""The hooks a scheme plugin implements. Built-in schemes use exactly these hooks."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from reciprocity.rules.scheme import Scheme

__all__ = ["PROJECT", "hookimpl", "hookspec"]

#: The pluggy project name, which is also the entry-point group plugins publish under.
PROJECT = "reciprocity"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def reciprocity_register_schemes(register: Callable[[Scheme], None]) -> None:
    """Register each scheme the plugin provides by calling ``register(scheme)``."""
