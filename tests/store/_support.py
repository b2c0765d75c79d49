"""Helpers shared by the event store tests."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

from reciprocity.store import Event

#: Set to run the store_url tests (and the racing writers) on PostgreSQL too.
POSTGRES_URL = os.environ.get("RECIPROCITY_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
# CI starts a PostgreSQL server and sets this: there, a PostgreSQL test must run, never skip.
if os.environ.get("RECIPROCITY_REQUIRE_POSTGRES") and not POSTGRES_URL:
    raise RuntimeError("RECIPROCITY_REQUIRE_POSTGRES is set but RECIPROCITY_TEST_POSTGRES_URL is not")


#: Every table a store of this version holds (its own and the library's read models).
STORE_TABLES = ("events", "meta", "projections", "case_index", "case_contacts", "case_deadlines", "case_facts", "ledger_effects",
                "projection_gaps")


def empty_postgres() -> str:
    """Drop the store's tables from the test PostgreSQL database; its URL."""
    import sqlalchemy as sa  # noqa: PLC0415

    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {', '.join(STORE_TABLES)}")
        left = sa.MetaData()
        left.reflect(connection)  # and whatever else a test or a newer schema left behind
        left.drop_all(connection)
    engine.dispose()
    return POSTGRES_URL


#: A value standing for personal data: it must never appear in a message or a log.
SECRET = "Jane-Doe-07700900123"


def ev(event_id: str, stream_id: str = "case:ARC-0001", type: str = "refer",  # noqa: A002
       on: date = date(2026, 4, 1), role: str = "coordinator", **payload: Any) -> Event:
    """An event with plain defaults; keyword arguments are its payload."""
    return Event(event_id, stream_id, type, on, role, payload)
