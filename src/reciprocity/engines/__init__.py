"""Rules engines behind one interface; pick one by name."""

from __future__ import annotations

import sys
import threading

from reciprocity.engines.base import Engine, Verdict
from reciprocity.engines.native import NativeEngine
from reciprocity.errors import ReciprocityError

__all__ = ["ENGINES", "Engine", "EngineUnavailableError", "Verdict", "get_engine"]

#: Engine names accepted by ``evaluate(..., engine=...)`` and the CLI's ``--engine``.
ENGINES = ("native", "durable")

_NATIVE = NativeEngine()


class EngineUnavailableError(ReciprocityError):
    """An engine that exists but cannot run here (say, durable_rules on Python 3.13)."""


_DURABLE: Engine | None = None
_DURABLE_LOCK = threading.Lock()


def get_engine(name: str) -> Engine:
    """The engine called ``name``; raises ValueError for an unknown name and
    EngineUnavailableError when durable_rules cannot run on this Python."""
    global _DURABLE  # noqa: PLW0603 - one durable host per process, created on first use
    if name == "native":
        return _NATIVE
    if name == "durable":
        if _DURABLE is None:
            with _DURABLE_LOCK:
                if _DURABLE is None:
                    from reciprocity.engines import durable  # noqa: PLC0415 - imported only when asked for

                    if durable.IMPORT_ERROR is not None:
                        raise EngineUnavailableError(
                            f"the durable engine needs durable_rules, which cannot be imported on "
                            f"Python {sys.version.split()[0]} ({durable.IMPORT_ERROR}); "
                            "use engine='native', which gives the same answers"
                        )
                    _DURABLE = durable.DurableEngine()
        return _DURABLE
    from reciprocity.errors import InputProblem, InvalidInputError  # noqa: PLC0415

    raise InvalidInputError("engine", [InputProblem("engine", "is not an engine of this library",
                                                    f"choose one of: {', '.join(ENGINES)}")])
