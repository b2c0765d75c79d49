"""The values the event store keeps, and the canonical form an event is stored in.

An :class:`Event` is what a caller appends; a :class:`Recorded` is an event as the store holds
it, with its place in its stream (``seq``) and in the whole store (``position``). The store
knows nothing about what events mean: ``type``, ``role`` and the payload are the caller's.

Payloads are kept as canonical JSON text (keys sorted, no whitespace, no NaN or infinity), so
two writes of the same event compare equal byte for byte and a payload reads back exactly as
it was written. Only JSON values are accepted: ``str``, ``int``, ``float``, ``bool``, ``None``,
lists (tuples are stored, and read back, as lists) and mappings with string keys. Dates are
given as ISO strings by the caller.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import attrs

from reciprocity.store.errors import InvalidEventError

__all__ = ["CanonicalEvent", "Event", "Expect", "Recorded", "canonical"]

#: The longest id, stream id, type or role the store accepts (keeps index entries small).
MAX_ID_LENGTH = 255


@attrs.frozen
class Event:
    """One thing that happened to one stream, as the caller appends it.

    ``event_id`` is chosen by the caller and is the idempotency key: appending the same id
    with the same content again changes nothing. ``on`` is the business date the event
    happened (a :class:`datetime.date`, never a datetime; the store never reads the clock).
    """

    event_id: str
    stream_id: str
    type: str
    on: date
    role: str
    payload: Mapping[str, Any]


@attrs.frozen
class Recorded:
    """An event as the store holds it.

    ``seq`` counts the stream's events from 1 with no gaps; ``position`` orders every event
    in the store (increasing in commit order, not necessarily contiguous).
    """

    seq: int
    position: int
    event: Event


#: A caller's check of a stream's events so far, run inside the append's transaction; it
#: refuses the append by raising (its exception propagates unchanged, nothing is written).
Expect = Callable[[Sequence[Recorded]], None]


@attrs.frozen
class CanonicalEvent:
    """An event checked and put in the form it is stored and compared in (payload as text)."""

    event_id: str
    stream_id: str
    type: str
    on: date
    role: str
    payload: str

    def event(self) -> Event:
        """The event as it reads back from the store (the payload decoded from its JSON)."""
        return Event(self.event_id, self.stream_id, self.type, self.on, self.role,
                     json.loads(self.payload))


def canonical(event: Event) -> CanonicalEvent:
    """Check ``event`` and return its stored form; :class:`InvalidEventError` says what is wrong.

    The error names the field (or the payload key path, such as ``payload.household[2].age``)
    and the event type, never a value.
    """
    if not isinstance(event, Event):
        raise InvalidEventError(f"expected a reciprocity.store.Event, got {type(event).__name__}")
    for name in ("type", "event_id", "stream_id", "role"):
        _check_id(event, name)
    if not isinstance(event.on, date) or isinstance(event.on, datetime):
        raise InvalidEventError(
            f"event of type {event.type!r}: on must be a datetime.date (the business date), "
            f"not {type(event.on).__name__}"
        )
    if not isinstance(event.payload, Mapping):
        raise InvalidEventError(
            f"event of type {event.type!r}: payload must be a mapping, "
            f"not {type(event.payload).__name__}"
        )
    try:
        plain = _plain(event.payload, "payload", frozenset())
    except _NotJSON as problem:
        raise InvalidEventError(
            f"event of type {event.type!r}: {problem.path} {problem.reason}; payloads hold only "
            "str, int, float, bool, None, lists and mappings with string keys (give dates as "
            "ISO strings)"
        ) from None
    except RecursionError:
        raise InvalidEventError(
            f"event of type {event.type!r}: payload is nested too deeply"
        ) from None
    text = json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    return CanonicalEvent(event.event_id, event.stream_id, event.type, event.on, event.role, text)


def _check_id(event: Event, name: str) -> None:
    value = getattr(event, name)
    # Only the type is ever named in messages, and only once it has passed this check.
    what = f"event of type {event.type!r}: {name}" if name != "type" else "event type"
    if not isinstance(value, str) or not value:
        raise InvalidEventError(f"{what} must be non-empty text")
    if len(value) > MAX_ID_LENGTH:
        raise InvalidEventError(f"{what} must be at most {MAX_ID_LENGTH} characters")
    if not _valid_text(value) or any(unicodedata.category(c) == "Cc" for c in value):
        raise InvalidEventError(f"{what} must be valid text without control characters")


class _NotJSON(Exception):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path)
        self.path = path
        self.reason = reason


def _valid_text(text: str) -> bool:
    """False for text holding lone surrogates, which no database can store."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _plain(value: Any, path: str, seen: frozenset[int]) -> Any:
    """``value`` as plain dicts, lists and scalars, or :class:`_NotJSON` naming where it fails."""
    # Subclasses (enums and the like) become the plain value they stand for.
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _NotJSON(path, "is not a finite number (NaN and infinity cannot be stored)")
        return float(value)
    if isinstance(value, str):
        if not _valid_text(value):
            raise _NotJSON(path, "is text that is not valid Unicode")
        return str.__str__(value)
    if isinstance(value, Mapping | list | tuple):
        if id(value) in seen:
            raise _NotJSON(path, "contains itself")
        inner = seen | {id(value)}
        if isinstance(value, Mapping):
            plain: dict[str, Any] = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    kind = type(key).__name__
                    raise _NotJSON(path, f"has a key of type {kind} (keys must be strings)")
                if not _valid_text(key):
                    raise _NotJSON(path, "has a key that is not valid Unicode")
                plain[str.__str__(key)] = _plain(item, f"{path}.{key}", inner)
            return plain
        return [_plain(item, f"{path}[{i}]", inner) for i, item in enumerate(value)]
    raise _NotJSON(path, f"is a {type(value).__name__}, which is not a JSON value")
