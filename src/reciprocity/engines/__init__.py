"""Rules engines behind one interface; pick one by name."""

from __future__ import annotations

from reciprocity.engines.base import Engine, Verdict
from reciprocity.engines.native import NativeEngine
from reciprocity.errors import ReciprocityError

__all__ = ["ENGINES", "Engine", "EngineUnavailableError", "Verdict", "get_engine"]

#: Engine names accepted by ``evaluate(..., engine=...)`` and the CLI's ``--engine``.
ENGINES = ("native",)

_NATIVE = NativeEngine()


class EngineUnavailableError(ReciprocityError):
    """An engine that exists but cannot run here (say, durable_rules on Python 3.13)."""


def get_engine(name: str) -> Engine:
    """The engine called ``name``; raises ValueError for an unknown name."""
    if name == "native":
        return _NATIVE
    raise ValueError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
