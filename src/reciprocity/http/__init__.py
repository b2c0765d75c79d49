"""The HTTP service: the library's decisions and a partnership's case work for housing systems
in any language (``reciprocity serve``; ``uvicorn reciprocity.http:app``; or mount
:func:`create_app` in your own ASGI application). Needs ``reciprocity[http]``.

``reciprocity.http:app`` is the service on the store named by ``RECIPROCITY_DB`` (default
``./reciprocity.db``), made when first asked for.
"""

from __future__ import annotations

from typing import Any

from reciprocity.http.service import create_app

__all__ = ["app", "create_app"]

_app: Any = None


def __getattr__(name: str) -> Any:
    global _app
    if name == "app":
        if _app is None:
            _app = create_app()
        return _app
    raise AttributeError(name)
