"""The partner request: what leaves the coordinator for partner landlords, and what never does.

Sources: Kent & Medway process (002), the Request step (requests go to the named leads of
partners with stock in the requested areas, and are recirculated until an offer is made);
Cambridgeshire draft MoU (001) §3 (the ARC in every partnership communication); domain notes
``reference/domain.md``, "Data protection" (direct identifiers, and the current landlord and
area among the quasi-identifiers).
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Iterator
from datetime import date, timedelta
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

import reciprocity
from reciprocity.inputs import load_document
from reciprocity.model import Referral, TenancyType
from reciprocity.privacy import (
    KNOWN_CONTEXT_KEY,
    IdentifierKind,
    PartnerRequest,
    RequestError,
    find_identifiers,
    new_arc,
)
from reciprocity.testing import referrals

from . import ORDINARY, JOINS, any_identifier

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCHEMES = ("kent_rp", "kent_krs", "cambridgeshire")
ARC = new_arc(lambda n: b"\x3a\x91\xc4\x07\xee"[:n])
ON = date(2026, 3, 9)
BY = date(2026, 3, 11)

#: The one free-text field, scanned by find_identifiers.
SCANNED = {"notes"}
#: The only dates a request may carry: dates of the process, never of a person.
PROCESS_DATES = {"circulated_on", "respond_by"}


def _example() -> dict[str, Any]:
    return load_document(EXAMPLES / "kent_rp_referral.json")


def _referral(**changes: Any) -> Referral:
    return Referral.model_validate({**_example(), **changes})


def _request(referral: Referral | None = None, **kwargs: Any) -> PartnerRequest:
    args: dict[str, Any] = {"arc": ARC, "circulated_on": ON, "respond_by": BY, "bedrooms_needed": 3}
    return PartnerRequest.for_referral(referral or _referral(), **{**args, **kwargs})


def _direct(**changes: Any) -> dict[str, Any]:
    return {
        "arc": ARC,
        "scheme": "kent_rp",
        "circulated_on": ON,
        "respond_by": BY,
        "requested_areas": ["thanet", "dover"],
        "bedrooms_needed": 2,
        "adults": 1,
        "children": 1,
        "tenancy_type": "assured",
        **changes,
    }


# --- the guarantee by type ------------------------------------------------------------------


def _leaves(annotation: Any, metadata: list[Any]) -> Iterator[tuple[Any, list[Any]]]:
    """Every leaf type of a field's annotation, with the constraints that apply to it."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        base, *extra = typing.get_args(annotation)
        yield from _leaves(base, [*metadata, *extra])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _leaves(arg, metadata)
    elif origin in (tuple, list, set, frozenset):
        for arg in typing.get_args(annotation):
            if arg is not Ellipsis:
                yield from _leaves(arg, [])
    else:
        yield annotation, metadata


def _pattern(metadata: list[Any]) -> str | None:
    return next((m.pattern for m in metadata if getattr(m, "pattern", None)), None)


def type_problems(model: type[BaseModel]) -> list[str]:
    """Each field of ``model`` that could carry personal data by its type, in words.

    Allowed: None, bool, int, enums (closed vocabularies), the process dates, strings held
    to a pattern, and the scanned notes. Anything else (a free ``str``, another date, a
    datetime, a nested model, ``Any``) is a problem until someone shows it is safe.
    """
    problems = []
    for name, field in model.model_fields.items():
        for leaf, metadata in _leaves(field.annotation, list(field.metadata)):
            if leaf is type(None) or leaf in (bool, int):
                continue
            if isinstance(leaf, type) and issubclass(leaf, Enum):
                continue
            if leaf is date:
                if name not in PROCESS_DATES:
                    problems.append(f"{name}: a date other than a process date (could be a birth date)")
            elif leaf is str:
                if name not in SCANNED and _pattern(metadata) is None:
                    problems.append(f"{name}: free text, neither held to a pattern nor scanned")
            else:
                problems.append(f"{name}: type {leaf!r} is not known to be unable to carry personal data")
    return problems


def test_no_field_can_carry_personal_data_by_its_type() -> None:
    assert type_problems(PartnerRequest) == []


def test_the_type_check_catches_a_free_text_field_added_later() -> None:
    class WithName(PartnerRequest):
        name: str = "x"

    class WithBirthDate(PartnerRequest):
        date_of_birth: date | None = None

    class WithAnything(PartnerRequest):
        extra: dict[str, Any] = {}

    assert type_problems(WithName) == ["name: free text, neither held to a pattern nor scanned"]
    assert [p.split(":")[0] for p in type_problems(WithBirthDate)] == ["date_of_birth"]
    assert [p.split(":")[0] for p in type_problems(WithAnything)] == ["extra"]


@pytest.mark.parametrize(
    "identifier", ["Jane Doe", "jane@example.org", "07700 900123", "12 Acacia Avenue", "ME14 1XX"]
)
def test_every_pattern_refuses_identifiers_with_spaces_or_symbols(identifier: str) -> None:
    for name, field in PartnerRequest.model_fields.items():
        for leaf, metadata in _leaves(field.annotation, list(field.metadata)):
            pattern = _pattern(metadata) if leaf is str else None
            if pattern is not None:
                assert re.search(pattern, identifier) is None, name


def test_unknown_fields_are_refused_and_requests_are_immutable() -> None:
    with pytest.raises(ValidationError, match="name"):
        PartnerRequest.model_validate(_direct(name="Jane Doe"))
    request = PartnerRequest.model_validate(_direct())
    with pytest.raises(ValidationError):
        request.adults = 3  # type: ignore[misc]


# --- direct construction --------------------------------------------------------------------


def test_a_valid_request_round_trips_through_json() -> None:
    request = PartnerRequest.model_validate(_direct(notes="needs level access"))
    assert PartnerRequest.model_validate_json(request.model_dump_json()) == request
    assert request.tenancy_type is TenancyType.ASSURED
    assert request.round == 1


def test_the_arc_is_checked_and_written_canonically() -> None:
    request = PartnerRequest.model_validate(_direct(arc=ARC.lower().replace("-", " ")))
    assert request.arc == ARC
    last = ARC[-1]
    typo = ARC[:-1] + ("0" if last != "0" else "1")
    with pytest.raises(ValidationError, match="check character") as caught:
        PartnerRequest.model_validate(_direct(arc=typo))
    assert typo not in str(caught.value)
    with pytest.raises(ValidationError, match="starts with 'ARC'"):
        PartnerRequest.model_validate(_direct(arc="Jane Doe"))


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"respond_by": ON - timedelta(days=1)}, "respond_by", "before circulated_on"),
        ({"requested_areas": []}, "requested_areas", "at least one area"),
        ({"requested_areas": ["dover", "dover"]}, "requested_areas.1", "twice"),
        ({"requested_areas": ["Dover Town"]}, "requested_areas.0", "pattern"),
        ({"requested_areas": ["ab123456c"]}, "requested_areas.0", "National Insurance"),
        ({"children": None}, "children", "both adults and children"),
        ({"adults": 0, "children": 0}, "adults", "nobody"),
        ({"bedrooms_needed": 11}, "bedrooms_needed", "10"),
        ({"round": 0}, "round", "1"),
        ({"scheme": "Kent RP"}, "scheme", "pattern"),
        ({"notes": "x" * 281}, "notes", "280"),
    ],
)
def test_invalid_requests_are_refused_at_their_field(changes: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PartnerRequest.model_validate(_direct(**changes))
    (error,) = caught.value.errors()
    assert ".".join(str(p) for p in error["loc"]) == field
    assert words in error["msg"]


def test_counts_may_both_be_unknown() -> None:
    request = PartnerRequest.model_validate(_direct(adults=None, children=None))
    assert (request.adults, request.children) == (None, None)


@pytest.mark.parametrize(
    ("identifier", "kind"),
    [
        ("jane.doe@example.org", IdentifierKind.EMAIL),
        ("07700 900123", IdentifierKind.PHONE),
        ("ME14 1XX", IdentifierKind.POSTCODE),
        ("AB 12 34 56 C", IdentifierKind.NI_NUMBER),
        ("12/03/1990", IdentifierKind.DATE),
        ("12 Acacia Avenue", IdentifierKind.ADDRESS),
        ("T0012345", IdentifierKind.REFERENCE),
        ("Mrs Jane Doe", IdentifierKind.TITLED_NAME),
    ],
)
def test_identifying_notes_are_refused_by_kind_and_position_only(identifier: str, kind: IdentifierKind) -> None:
    notes = f"needs level access; {identifier}"
    with pytest.raises(ValidationError) as caught:
        PartnerRequest.model_validate(_direct(notes=notes))
    message = str(caught.value)
    assert identifier not in message
    assert kind.description in message
    assert f"characters 21-{20 + len(identifier)}" in message
    (error,) = caught.value.errors()
    assert error["loc"] == ("notes",)
    assert error["input"] is None


def test_known_strings_come_through_the_validation_context() -> None:
    data = _direct(notes="Jane prefers a quiet close")
    assert PartnerRequest.model_validate(data).notes == "Jane prefers a quiet close"
    with pytest.raises(ValidationError, match="a name or place held for this case") as caught:
        PartnerRequest.model_validate(data, context={KNOWN_CONTEXT_KEY: ["jane"]})
    assert "Jane" not in str(caught.value)


# --- built from a referral ------------------------------------------------------------------


def test_for_referral_copies_only_the_safe_facts() -> None:
    request = _request(round=2, notes="needs a walk-in shower")
    assert request.model_dump(mode="json") == {
        "arc": ARC,
        "scheme": "kent_rp",
        "circulated_on": "2026-03-09",
        "respond_by": "2026-03-11",
        "requested_areas": ["thanet", "dover", "folkestone_hythe"],
        "bedrooms_needed": 3,
        "adults": 1,
        "children": 2,
        "tenancy_type": "assured",
        "round": 2,
        "notes": "needs a walk-in shower",
    }


def test_for_referral_leaves_out_what_locates_or_names_the_household() -> None:
    text = _request().model_dump_json()
    for withheld in (
        "KRP-2026-014",  # the referral's id
        "orchard_housing",  # the nominating partner, also the current landlord
        "Orchard Housing",
        "maidstone",  # the current area, and unsafe
        "tonbridge_malling",  # unsafe
        "2026-03-02",  # referred on
        "2026-02-20",  # risk assessed on
        "stalking",
        "domestic_abuse",
        "idva",
        "relief",
        "survivor",
    ):
        assert withheld not in text


def test_carers_are_not_counted_and_adults_are_18_or_over() -> None:
    household = {"members": [
        {"relationship": "applicant", "age": 40},
        {"relationship": "other_relative", "age": 18},
        {"relationship": "child", "age": 17},
        {"relationship": "carer", "age": 50},
    ]}
    request = _request(_referral(household=household))
    assert (request.adults, request.children) == (2, 1)


def test_an_unknown_household_gives_unknown_counts_and_no_tenancy_no_type() -> None:
    referral = _referral(household=None, tenancy=None)
    request = _request(referral)
    assert (request.adults, request.children, request.tenancy_type) == (None, None, None)


def test_a_referral_without_requested_areas_cannot_be_circulated() -> None:
    with pytest.raises(RequestError, match="no requested areas"):
        _request(_referral(requested_areas=[]))
    with pytest.raises(RequestError, match="no requested areas"):
        _request(_referral(requested_areas=None))


def test_the_scheme_comes_from_the_referral_or_the_caller() -> None:
    without = _referral(scheme=None)
    with pytest.raises(RequestError, match="pass scheme="):
        _request(without)
    assert _request(without, scheme="kent_rp").scheme == "kent_rp"
    with pytest.raises(RequestError, match="differs"):
        _request(scheme="kent_krs")


@pytest.mark.parametrize(
    "notes",
    [
        "not safe in Maidstone",  # the current and unsafe area
        "avoid Tonbridge Malling",  # an unsafe area, written as a place
        "ask orchard_housing",  # the nominating partner and current landlord
        "Orchard Housing Association (invented) will support the move",
        "case KRP 2026 014",  # the referral id, spaced out
    ],
)
def test_notes_cannot_bring_back_what_the_request_withholds(notes: str) -> None:
    with pytest.raises(ValidationError, match="a name or place held for this case"):
        _request(notes=notes)


def test_notes_may_name_a_requested_area_or_the_arc() -> None:
    assert _request(notes="prefers Dover or Thanet").notes == "prefers Dover or Thanet"
    assert _request(notes=f"as {ARC}").notes == f"as {ARC}"
    # A referral whose id is the ARC itself (as the README suggests) may mention it.
    assert _request(_referral(id=ARC), notes=f"as {ARC}").notes == f"as {ARC}"


def test_known_names_reach_the_notes_check() -> None:
    with pytest.raises(ValidationError) as caught:
        _request(notes="Priya needs a ground floor flat", known=["Priya Shah", "Priya"])
    assert "Priya" not in str(caught.value)


def test_the_cambridgeshire_example_circulates_under_its_scheme() -> None:
    referral = Referral.model_validate(load_document(EXAMPLES / "cambridgeshire_referral.yaml"))
    request = _request(referral, bedrooms_needed=2)
    assert request.scheme == "cambridgeshire"
    assert request.requested_areas == ("south_cambridgeshire", "cambridge")
    assert (request.adults, request.children) == (1, 3)
    text = request.model_dump_json()
    assert "fenland" not in text and "east_cambridgeshire" not in text and "fen_homes" not in text


# --- properties over generated referrals ----------------------------------------------------

#: Invented organisation names (the strategies give partners none).
ORGANISATIONS = ("Orchard Vale Homes (invented)", "Example Borough Council (invented)")
#: Ordinary notes that name no area (an unsafe one would rightly be refused).
PLAIN_NOTES = tuple(p for p in ORDINARY if "_" not in p)


@st.composite
def circulable(draw: st.DrawFn, scheme_id: str) -> Referral:
    """A generated referral to ``scheme_id`` that can be circulated, with every withheld
    fact often present: requested areas always, unsafe areas and a partner name often."""
    referral = draw(referrals(scheme_id))
    doc = referral.model_dump(mode="json")
    areas = [a.id for a in reciprocity.get_scheme(scheme_id).areas]
    unsafe = list(referral.unsafe_areas or ())
    requested = list(referral.requested_areas or ())
    if not requested:
        free = [a for a in areas if a not in unsafe]
        assume(free)
        requested = draw(st.lists(st.sampled_from(free), min_size=1, max_size=5, unique=True))
        if referral.current_area is not None and referral.current_area not in unsafe and draw(st.booleans()):
            requested = [referral.current_area, *(a for a in requested if a != referral.current_area)]
    if not unsafe and draw(st.booleans()):
        spare = [a for a in areas if a not in requested]
        unsafe = draw(st.lists(st.sampled_from(spare), max_size=3, unique=True)) if spare else []
    doc["requested_areas"] = requested
    doc["unsafe_areas"] = unsafe
    doc["nominating_partner"]["name"] = draw(st.none() | st.sampled_from(ORGANISATIONS))
    return Referral.model_validate(doc)


@st.composite
def plain_notes(draw: st.DrawFn) -> str | None:
    phrases = draw(st.lists(st.sampled_from(PLAIN_NOTES), max_size=3))
    return draw(st.sampled_from(JOINS)).join(phrases) or None


arcs = st.binary(min_size=5, max_size=5).map(lambda b: new_arc(lambda n: b[:n]))
days = st.dates(date(2020, 1, 1), date(2035, 12, 31))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("scheme_id", SCHEMES)
@given(data=st.data())
def test_a_request_reveals_nothing_about_who_or_where(scheme_id: str, data: st.DataObject) -> None:
    referral = data.draw(circulable(scheme_id), label="referral")
    circulated_on = data.draw(days, label="circulated_on")
    respond_by = circulated_on + timedelta(days=data.draw(st.integers(0, 21), label="days to respond"))
    request = PartnerRequest.for_referral(
        referral,
        arc=data.draw(arcs, label="arc"),
        circulated_on=circulated_on,
        respond_by=respond_by,
        bedrooms_needed=data.draw(st.none() | st.integers(0, 10), label="bedrooms"),
        round=data.draw(st.integers(1, 30), label="round"),
        notes=data.draw(plain_notes(), label="notes"),
        scheme=scheme_id,
    )
    text = request.model_dump_json()

    # The scanner finds nothing but the two process dates, each where it belongs.
    process_dates = {circulated_on.isoformat(), respond_by.isoformat()}
    for hit in find_identifiers(text):
        assert hit.kind is IdentifierKind.DATE
        assert text[hit.start:hit.end] in process_dates

    dumped = json.loads(text)
    assert set(dumped) == set(PartnerRequest.model_fields)
    everywhere = set(_strings(dumped))
    outside_areas = set(_strings({k: v for k, v in dumped.items() if k != "requested_areas"}))
    partner = referral.nominating_partner
    never = [referral.id, partner.id, partner.name, *(referral.unsafe_areas or ())]
    if referral.tenancy is not None:
        never.append(referral.tenancy.landlord)
    for value in filter(None, never):
        assert value not in everywhere
        assert json.dumps(value) not in text
    # The current area appears only as a requested area, if the household asked for it.
    if referral.current_area is not None:
        assert referral.current_area not in outside_areas
        if referral.current_area not in referral.requested_areas:
            assert json.dumps(referral.current_area) not in text
    assert unsafe_is_meaningful(referral, request)

    assert request.requested_areas == referral.requested_areas
    if referral.household is not None:
        movers = [m for m in referral.household.members if m.relationship.value != "carer"]
        assert (request.adults or 0) + (request.children or 0) == len(movers)
    assert PartnerRequest.model_validate_json(text) == request


def unsafe_is_meaningful(referral: Referral, request: PartnerRequest) -> bool:
    """An unsafe area is never a requested one (the Referral model refuses it), so "no
    unsafe id in the request" tests the request, not the data."""
    return not set(referral.unsafe_areas or ()) & set(request.requested_areas)


@pytest.mark.parametrize("scheme_id", SCHEMES)
@given(data=st.data())
def test_notes_with_an_identifier_are_refused_without_repeating_it(scheme_id: str, data: st.DataObject) -> None:
    referral = data.draw(circulable(scheme_id), label="referral")
    kind, identifier = data.draw(any_identifier(), label="identifier")
    before = data.draw(plain_notes(), label="before") or ""
    notes = f"{before} {identifier}".strip()
    assume(len(notes) <= 280)
    with pytest.raises(ValidationError) as caught:
        PartnerRequest.for_referral(
            referral, arc=ARC, circulated_on=ON, respond_by=BY, bedrooms_needed=None,
            notes=notes, scheme=scheme_id,
        )
    message = str(caught.value)
    assert identifier not in message
    assert identifier.strip() not in repr(caught.value)
    assert kind.description in message
    errors = caught.value.errors()
    assert [e["loc"] for e in errors] == [("notes",)]
    assert errors[0]["input"] is None
