"""Reference fields: what a case id may be, and refusals that never repeat the value.

Issue 12 ("Privacy"): a case id like ``Jane Doe AB123456C 1990-02-01`` was accepted and
echoed in errors. A reference now matches a documented pattern and holds nothing the
identifier scanner finds, except the library's own generated ids and ARCs.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from reciprocity.errors import ReciprocityError
from reciprocity.privacy import (
    REFERENCE_PATTERN,
    InvalidReferenceError,
    ReferenceId,
    check_reference,
    new_arc,
)

from . import ni_numbers

#: Accepted: references as systems write them. ``ref-2026-001`` and ``KRP-2026-014`` mix
#: letters and digits with no run of six digits, which is what a reference field is for.
ACCEPTED = [
    "C-7A3F09B2C1",
    "C-0123456789",  # a generated case id, however many digits it drew
    "ARC-7KQ2-M9XD",
    "ref-2026-001",
    "KRP-2026-014",
    "case_17",
    "partner:ashford_bc",
    "kent_rp.2026.round-2",
    "a",
    "A" * 64,
    "12345",
]

#: Refused: personal data, shapes that are not references, and long digit runs.
REFUSED = [
    "Jane Doe AB123456C 1990-02-01",
    "AB123456C",
    "ab123456c",
    "jane.doe@example.org",
    "jane.doe(at)example.org",
    "1990-02-01",
    "01.02.1990",
    "12345678",
    "T0012345",
    "ref.2026.001",  # dots do not break a digit run
    "07700900123",
    "+447700900123",
    "ME141XX",
    "ME14-1XX",
    "Mr Smith",
    "",
    " C-7A3F09B2C1",
    "C-7A3F09B2C1\n",
    "A" * 65,
    "-leading-dash",
    "_leading_underscore",
    "naïve",
    "ｃａｓｅ１",
    "case\u200b17",
]


@pytest.mark.parametrize("value", ACCEPTED)
def test_references_are_accepted_unchanged(value: str) -> None:
    assert check_reference(value, "case id") == value


@pytest.mark.parametrize("value", REFUSED)
def test_what_is_not_a_reference_is_refused_without_repeating_it(value: str) -> None:
    with pytest.raises(InvalidReferenceError) as caught:
        check_reference(value, "case id")
    message = str(caught.value)
    assert message.startswith(
        "case id must look like a reference (letters, digits and _ . : -, at most 64 "
        "characters), not a name or personal detail"
    )
    for part in filter(None, [value.strip(), *value.split()]):
        assert part not in message
    assert caught.value.field == "case id"
    assert caught.value.args == (message,)


def test_the_message_says_what_the_scanner_saw() -> None:
    with pytest.raises(InvalidReferenceError, match="looks like a National Insurance number"):
        check_reference("AB123456C", "case id")
    with pytest.raises(InvalidReferenceError, match="six or more digits in a row"):
        check_reference("T0012345", "tenancy ref")


def test_an_invalid_reference_is_a_reciprocity_error_and_a_value_error() -> None:
    assert issubclass(InvalidReferenceError, ReciprocityError)
    assert issubclass(InvalidReferenceError, ValueError)


def test_a_name_the_case_knows_is_refused() -> None:
    assert check_reference("jane_doe", "case id") == "jane_doe"  # no pattern tells a name
    with pytest.raises(InvalidReferenceError, match="name or place held for this case"):
        check_reference("jane_doe", "case id", known=["Jane Doe"])
    with pytest.raises(InvalidReferenceError):
        check_reference("JaneDoe-1", "case id", known="Jane Doe")


def test_a_reference_must_be_text() -> None:
    with pytest.raises(InvalidReferenceError, match="must be text"):
        check_reference(12345678, "case id")  # type: ignore[arg-type]


def test_the_pattern_is_as_documented() -> None:
    assert REFERENCE_PATTERN.fullmatch("a.b:c-d_e9")
    assert not REFERENCE_PATTERN.fullmatch("a b")
    assert not REFERENCE_PATTERN.fullmatch(".a")
    assert not REFERENCE_PATTERN.fullmatch("a" * 65)


@given(st.binary(min_size=5, max_size=5))
def test_every_case_id_the_library_draws_is_accepted(token: bytes) -> None:
    case_id = "C-" + token.hex().upper()  # as lifecycle/service.py draws one
    assert check_reference(case_id, "case id") == case_id


@given(st.binary(min_size=5, max_size=5))
def test_every_arc_is_accepted(token: bytes) -> None:
    arc = new_arc(lambda n: token)
    assert check_reference(arc, "arc") == arc


@given(ni_numbers(), st.text("0123456789", min_size=9, max_size=9))
def test_generated_identifiers_are_refused(ni: str, mobile: str) -> None:
    for value in (ni.replace(" ", ""), "07" + mobile, "ref-07" + mobile):
        with pytest.raises(InvalidReferenceError) as caught:
            check_reference(value, "case id")
        assert value not in str(caught.value)


# --- the pydantic type -----------------------------------------------------------------------


class Plain(BaseModel):
    """A model that does not hide its input in errors: the type must hide it itself."""

    case_id: ReferenceId


def test_reference_id_accepts_references() -> None:
    assert Plain(case_id="C-7A3F09B2C1").case_id == "C-7A3F09B2C1"
    assert Plain.model_validate_json('{"case_id": "ref-2026-001"}').case_id == "ref-2026-001"


@pytest.mark.parametrize("value", ["Jane Doe AB123456C 1990-02-01", "AB123456C", "12345678",
                                   12345678, None])
def test_reference_id_refuses_without_the_value_in_any_rendering(value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Plain(case_id=value)  # type: ignore[arg-type]
    error = caught.value
    (detail,) = error.errors()
    assert detail["type"] == "reference"
    assert detail["msg"].startswith("case id must look like a reference")
    renderings = [str(error), repr(error), error.json(), json.dumps(error.errors(), default=repr)]
    for shown in renderings:
        for part in (str(value), *str(value).split()):
            assert part not in shown


def test_reference_id_screens_the_names_in_the_validation_context() -> None:
    assert Plain.model_validate({"case_id": "jane_doe"}).case_id == "jane_doe"
    with pytest.raises(ValidationError, match="name or place held for this case"):
        Plain.model_validate({"case_id": "jane_doe"}, context={"known": ["Jane Doe"]})


def test_reference_id_documents_its_pattern() -> None:
    schema = Plain.model_json_schema()["properties"]["case_id"]
    assert schema["maxLength"] == 64
    assert schema["pattern"] == f"^{REFERENCE_PATTERN.pattern}$"
