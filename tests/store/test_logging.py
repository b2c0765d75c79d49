"""Logging: with every logger at DEBUG, nothing a payload holds reaches a log record.

SQLAlchemy at DEBUG logs each result row ("Row %r"); the store's engines drop those records
and hide statement parameters (store/engine.py, "Logging"). The last test shows the capture
really sees row records when the filter is switched off, so the first cannot pass vacuously.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from reciprocity.store import ConflictingEventError, EventStore
from reciprocity.store import engine as store_engine

from ._support import ev

#: Personal data as a payload might hold it; none may appear in any log record.
PERSONAL = ("Jane Doe", "AB123456C", "jane@example.org")


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))  # the message, any arguments and traceback


@pytest.fixture
def captured() -> Iterator[list[str]]:
    """Root and ``sqlalchemy`` loggers at DEBUG into a capturing handler; restored after."""
    handler = _Capture()
    loggers = [logging.getLogger(), logging.getLogger("sqlalchemy")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    loggers[0].addHandler(handler)
    try:
        yield handler.lines
    finally:
        loggers[0].removeHandler(handler)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _write_and_read(url: str) -> None:
    payload = {"name": PERSONAL[0], "ni": PERSONAL[1], "contact": {"email": PERSONAL[2]}}
    with EventStore(url) as store:
        store.append(ev("e1", "case:A", **payload))
        store.append_many([ev("e2", "case:A", type="approve", note=PERSONAL[0]),
                           ev("e3", "case:B", **payload)])
        store.append(ev("e1", "case:A", **payload))  # an identical repeat reads the row back
        with pytest.raises(ConflictingEventError):
            store.append(ev("e1", "case:A", name=PERSONAL[0] + "!"))
        assert [r.event.payload for r in store.stream("case:A")][0] == payload
        assert len(list(store.all())) == 3
        assert store.streams() == ["case:A", "case:B"]
    with EventStore(url, create=False) as reopened:
        assert len(reopened.stream("case:B")) == 1


def test_no_payload_value_reaches_any_log_record(store_url: str, captured: list[str]) -> None:
    _write_and_read(store_url)
    text = "\n".join(captured)
    assert "sqlalchemy.engine.Engine.reciprocity INFO SELECT" in text  # statements are logged
    assert "[SQL parameters hidden due to hide_parameters=True]" in text
    for value in PERSONAL:
        assert value not in text, f"{value!r} reached a log record"


def test_the_capture_sees_row_records_without_the_filter(
    store_url: str, captured: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_engine._NoRowRecords, "filter", lambda self, record: True)
    _write_and_read(store_url)
    text = "\n".join(captured)
    assert " DEBUG Row " in text
    assert all(value in text for value in PERSONAL)
