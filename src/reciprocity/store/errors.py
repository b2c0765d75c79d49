"""Errors the event store raises. Messages name ids, event types and field paths, never values."""

from __future__ import annotations

from reciprocity.errors import ReciprocityError

__all__ = [
    "ConflictingEventError", "DamagedStoreError", "InvalidEventError", "StoreError", "StoreUnusableError",
    "StoreVersionError",
]


class StoreError(ReciprocityError):
    """The event store could not do what was asked; the message says why and what to do."""


class StoreUnusableError(StoreError):
    """The store is there but cannot be used now: busy, unreachable, out of space, read-only,
    damaged. Not a mistake in what was typed: the command line exits 3 for it (2 stays a
    user's mistake), the HTTP service answers 503."""


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


class DamagedStoreError(StoreUnusableError):
    """A stored record this library cannot read: the store was changed outside the library
    (edited by hand, damaged on disk) or written by a newer version. Nothing is written; the
    message says where, never what the record holds."""

    def __init__(self, where: str) -> None:
        super().__init__(
            f"{where} cannot be read: the store was changed outside reciprocity, is damaged, or was "
            "written by a newer version; restore it from a backup (`reciprocity store verify` "
            "checks a store)"
        )


class StoreVersionError(StoreUnusableError):
    """The store's schema is older than this code (run ``reciprocity store migrate``) or newer
    (upgrade reciprocity). ``found`` and ``expected`` are the two schema versions."""

    def __init__(self, message: str, *, found: int, expected: int) -> None:
        super().__init__(message)
        self.found = found
        self.expected = expected
