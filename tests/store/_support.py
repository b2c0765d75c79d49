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



def empty_postgres() -> str:
    """Drop every table of the test PostgreSQL database (the store's and its read models'); its URL."""
    import sqlalchemy as sa  # noqa: PLC0415

    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        names = sa.inspect(connection).get_table_names()  # the store's, its read models' and any a test left behind
        if names:
            connection.exec_driver_sql(f"DROP TABLE {', '.join(names)} CASCADE")
    engine.dispose()
    return POSTGRES_URL


#: A value standing for personal data: it must never appear in a message or a log.
SECRET = "Jane-Doe-07700900123"


def ev(event_id: str, stream_id: str = "case:ARC-0001", type: str = "refer",  # noqa: A002
       on: date = date(2026, 4, 1), role: str = "coordinator", **payload: Any) -> Event:
    """An event with plain defaults; keyword arguments are its payload."""
    return Event(event_id, stream_id, type, on, role, payload)
