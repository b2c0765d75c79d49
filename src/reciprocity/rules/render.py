"""Words for conditions: fact and parameter names as a reader sees them, and values."""

from __future__ import annotations

from enum import Enum
from typing import Any

from reciprocity.rules.logic import MISSING

__all__ = ["Labeller", "render_value"]


class Labeller:
    """Turns fact and parameter names into the words a reader sees (overridden by schemes)."""

    def fact(self, name: str) -> str:
        return name

    def param(self, name: str) -> str:
        return name


def render_value(value: Any) -> str:
    """A value as a reader sees it: enums by their words, collections as lists."""
    if value is MISSING or value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value).replace("_", " ")
    if isinstance(value, (frozenset, set)):
        return ", ".join(sorted(render_value(v) for v in value)) or "none"
    if isinstance(value, (tuple, list)):
        return ", ".join(render_value(v) for v in value) or "none"
    return str(value)
