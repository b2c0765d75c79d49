"""The ASGI application: :func:`create_app` for a store URL, mounted or run under uvicorn.

One store per process, opened on first use (so each worker of a multi-process server opens its
own connection pool after forking) and closed at shutdown.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from fastapi import FastAPI

from reciprocity.http import casework, decisions, partnership
from reciprocity.http.problems import install

__all__ = ["DEFAULT_DB", "create_app"]

DEFAULT_DB = "reciprocity.db"
_DESCRIPTION = """\
The rules of UK domestic-abuse housing reciprocal schemes, and a partnership's case work.

- **Decisions** need no token and store nothing: the schemes and their rules as data, and the
  decision on a referral or an offered home, with every finding, its clause and the facts read.
- **Case work** acts as the actor of the bearer token (`reciprocity token create`): a partner of
  one scheme's register, or its coordinator, in one role. Each actor reads only what is its own.
- **Errors** are RFC 9457 problem details with each wrong field's path and what to do; no
  message repeats an input value.
"""


class Stores:
    """The service's event store, opened once on first use."""

    def __init__(self, store: Any) -> None:
        self._given = store
        self._store: Any = None if isinstance(store, (str, os.PathLike)) else store
        self._lock = threading.Lock()

    def get(self) -> Any:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from reciprocity.store import EventStore  # noqa: PLC0415

                    self._store = EventStore.at(os.fspath(self._given), create=False)
        return self._store

    def close(self) -> None:
        if self._store is not None and isinstance(self._given, (str, os.PathLike)):
            self._store.close()
            self._store = None


def create_app(store: Any = None, *, today: Callable[[], date] = date.today) -> FastAPI:
    """The service on ``store``: an :class:`~reciprocity.store.EventStore`, or its URL or SQLite
    path (default ``RECIPROCITY_DB``, else ``./reciprocity.db``; it must hold a store already:
    `reciprocity token create` makes one). ``today`` dates the log of referral reads."""
    _quiet_upstream_warning()
    stores = Stores(store if store is not None else os.environ.get("RECIPROCITY_DB", DEFAULT_DB))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        stores.close()

    app = FastAPI(
        title="reciprocity",
        version=_version(),
        description=_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # an offline page instead: see reciprocity.http.docs
        redoc_url=None,
    )
    app.state.stores = stores
    app.state.today = today
    install(app)
    app.include_router(decisions.router)
    app.include_router(casework.router)
    app.include_router(partnership.router)
    from reciprocity.http.docs import install_docs  # noqa: PLC0415

    install_docs(app)
    return app


def _quiet_upstream_warning() -> None:
    """FastAPI 0.165 with pydantic 2.14 warns, on a route's first request, of the alias it sets
    on every body parameter; the warning is about FastAPI's own code and harmless here."""
    from pydantic.warnings import UnsupportedFieldAttributeWarning  # noqa: PLC0415

    warnings.filterwarnings("ignore", message="The 'alias' attribute with value",
                            category=UnsupportedFieldAttributeWarning)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("reciprocity")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"
