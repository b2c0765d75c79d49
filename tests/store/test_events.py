"""Events and their canonical form: what can be stored, and what the refusals say."""

from __future__ import annotations

import enum
import json
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

import pytest

from reciprocity.store import Event, InvalidEventError, StoreError
from reciprocity.store.events import canonical

from ._support import SECRET, ev


def test_the_payload_is_canonical_json_whatever_the_key_order() -> None:
    one = canonical(ev("e1", b=[1, 2.5, None], a={"y": True, "x": "Ærø"}))
    two = canonical(ev("e1", a={"x": "Ærø", "y": True}, b=(1, 2.5, None)))
    assert one == two
    assert one.payload == '{"a":{"x":"Ærø","y":true},"b":[1,2.5,null]}'


def test_the_stored_form_reads_back_as_plain_json_values() -> None:
    class Colour(enum.StrEnum):
        RED = "red"

    class Size(enum.IntEnum):
        TWO = 2

    payload = {"tuple": (1, (2, 3)), "enum": Colour.RED, "int_enum": Size.TWO,
               "proxy": MappingProxyType({"k": 1}), "big": 10**30, "neg_zero": -0.0,
               "tiny": 5e-324, Colour.RED: "key"}
    back = canonical(Event("e1", "s", "t", date(2026, 1, 1), "r", payload)).event().payload
    assert back == {"tuple": [1, [2, 3]], "enum": "red", "int_enum": 2, "proxy": {"k": 1},
                    "big": 10**30, "neg_zero": -0.0, "tiny": 5e-324, "red": "key"}
    assert type(back["enum"]) is str and type(back["int_enum"]) is int
    assert json.dumps(back["neg_zero"]) == "-0.0"


@pytest.mark.parametrize(
    ("payload", "path", "reason"),
    [
        ({"when": date(2026, 1, 1)}, "payload.when", "is a date"),
        ({"household": {"members": [{"age": 3}, {"born": datetime(2020, 1, 1)}]}},
         "payload.household.members[1].born", "is a datetime"),
        ({"ids": {SECRET}}, "payload.ids", "is a set"),
        ({"raw": SECRET.encode()}, "payload.raw", "is a bytes"),
        ({"score": float("nan")}, "payload.score", "not a finite number"),
        ({"score": [float("inf")]}, "payload.score[0]", "not a finite number"),
        ({"by_age": {7: SECRET}}, "payload.by_age", "has a key of type int"),
        ({"text": "\ud800" + SECRET}, "payload.text", "not valid Unicode"),
    ],
)
def test_a_payload_that_is_not_json_is_refused_naming_type_and_path(
    payload: dict[str, Any], path: str, reason: str
) -> None:
    with pytest.raises(InvalidEventError) as caught:
        canonical(ev("e1", type="approve", **payload))
    message = str(caught.value)
    assert "'approve'" in message and f"{path} " in message and reason in message
    assert SECRET not in message and "2020" not in message


def test_a_payload_that_contains_itself_is_refused() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(InvalidEventError, match=r"payload\.loop\[0\] contains itself"):
        canonical(ev("e1", loop=loop))


def test_the_payload_must_be_a_mapping() -> None:
    with pytest.raises(InvalidEventError, match="payload must be a mapping, not list"):
        canonical(Event("e1", "s", "t", date(2026, 1, 1), "r", [SECRET]))  # type: ignore[arg-type]


@pytest.mark.parametrize("on", [datetime(2026, 1, 1, 9, 30), "2026-01-01", None])
def test_on_must_be_a_date_not_a_datetime_or_text(on: Any) -> None:
    with pytest.raises(InvalidEventError, match=r"on must be a datetime\.date"):
        canonical(Event("e1", "s", "t", on, "r", {}))


@pytest.mark.parametrize("field", ["event_id", "stream_id", "type", "role"])
@pytest.mark.parametrize("value", ["", None, "x" * 256, "tab\there", "\ud800"])
def test_ids_type_and_role_must_be_short_plain_text(field: str, value: Any) -> None:
    fields = {"event_id": "e1", "stream_id": "s", "type": "t", "role": "r"} | {field: value}
    with pytest.raises(InvalidEventError) as caught:
        canonical(Event(on=date(2026, 1, 1), payload={}, **fields))
    assert field.replace("type", "event type") in str(caught.value)


def test_invalid_events_are_store_errors_and_value_errors() -> None:
    assert issubclass(InvalidEventError, StoreError)
    assert issubclass(InvalidEventError, ValueError)
