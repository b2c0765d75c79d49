"""Fixtures for the event store tests.

Every test that takes ``store_url`` runs on a fresh SQLite file; set
RECIPROCITY_TEST_POSTGRES_URL (for example ``postgresql+psycopg://localhost/reciprocity_test``,
a database whose ``events`` and ``meta`` tables the tests may drop) to run them on PostgreSQL
as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reciprocity.store import EventStore

from ._support import BACKENDS, empty_postgres


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database to open a store on."""
    if request.param == "postgresql":
        return empty_postgres()
    return f"sqlite:///{tmp_path / 'events.db'}"


@pytest.fixture
def store(store_url: str) -> Iterator[EventStore]:
    with EventStore(store_url) as opened:
        yield opened
