"""Rules engines behind one interface; pick one by name."""

from __future__ import annotations

import importlib.util
import sys
import threading

from reciprocity.engines.base import Engine, Verdict
from reciprocity.engines.native import NativeEngine
from reciprocity.errors import ReciprocityError

__all__ = ["COLUMNAR_AVAILABLE", "ENGINES", "Engine", "EngineUnavailableError", "Verdict", "get_engine"]

#: Whether numpy, which the columnar engine needs, can be imported (looked up, not imported:
#: ``import reciprocity`` stays free of numpy).
def _numpy_installed() -> bool:
    try:
        return importlib.util.find_spec("numpy") is not None
    except (ImportError, ValueError, AttributeError):  # e.g. sys.modules["numpy"] set to None
        return False


COLUMNAR_AVAILABLE = _numpy_installed()

#: Engine names accepted by ``evaluate(..., engine=...)`` and the CLI's ``--engine``; the
#: columnar engine is listed where numpy is installed (the ``simulation`` extra).
ENGINES = ("native", "durable", "columnar") if COLUMNAR_AVAILABLE else ("native", "durable")

_NATIVE = NativeEngine()


class EngineUnavailableError(ReciprocityError):
    """An engine that exists but cannot run here (say, durable_rules on Python 3.13)."""


_DURABLE: Engine | None = None
_DURABLE_LOCK = threading.Lock()
_COLUMNAR: Engine | None = None


def get_engine(name: str) -> Engine:
    """The engine called ``name``; raises InvalidInputError for an unknown name and
    EngineUnavailableError when durable_rules cannot run on this Python, or numpy (for the
    columnar engine) is not installed."""
    global _DURABLE, _COLUMNAR  # noqa: PLW0603 - one of each per process, created on first use
    if name == "native":
        return _NATIVE
    if name == "columnar":
        if _COLUMNAR is None:
            try:
                from reciprocity.engines.columnar import ColumnarEngine  # noqa: PLC0415 - imports numpy
            except ImportError as error:
                raise EngineUnavailableError(
                    f"the columnar engine needs numpy, which cannot be imported ({error}); install it with "
                    "pip install 'reciprocity[simulation]', or use engine='native', which gives the same answers"
                ) from None
            _COLUMNAR = ColumnarEngine()
        return _COLUMNAR
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
