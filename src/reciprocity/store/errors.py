"""Errors the event store raises. Messages name ids, event types and field paths, never values."""

from __future__ import annotations

from reciprocity.errors import ReciprocityError

__all__ = ["ConflictingEventError", "InvalidEventError", "StoreError"]


class StoreError(ReciprocityError):
    """The event store could not do what was asked; the message says why and what to do."""


class InvalidEventError(StoreError, ValueError):
    """An event that cannot be stored (an empty id, a datetime for a date, a non-JSON payload)."""


class ConflictingEventError(StoreError):
    """An event id already recorded with different content (an event id names one event)."""

    def __init__(self, event_id: str) -> None:
        self.event_id = event_id
        super().__init__(
            "an event with this id is already recorded with different content; an event id "
            "names one event for ever, so give a new event a new id"
        )
