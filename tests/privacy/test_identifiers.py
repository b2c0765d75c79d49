"""The identifier scanner: a table of what it must find and must not, and properties.

The kinds follow the direct identifiers the domain notes list for a referral
(``reference/domain.md``, "Data protection"): names, addresses, dates of birth, NI numbers,
phone numbers, e-mail addresses, tenancy and case references. Every identifier below is
invented (``07700 900xxx`` and ``01632 960xxx`` are Ofcom's drama ranges).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reciprocity.privacy import IdentifierHit, IdentifierKind, find_identifiers, new_arc

from . import IDENTIFIERS, embedded, ordinary_text

K = IdentifierKind

#: (text, kind, the identifying part): each must be found as that kind, exactly there.
FOUND = [
    # e-mail
    ("write to jane.doe@example.org today", K.EMAIL, "jane.doe@example.org"),
    ("j.doe+housing@mail.example.co.uk", K.EMAIL, "j.doe+housing@mail.example.co.uk"),
    ("contact: JD_1990@Example.COM.", K.EMAIL, "JD_1990@Example.COM"),
    # phone: mobiles, landlines, +44
    ("call 07700 900123 after 6", K.PHONE, "07700 900123"),
    ("mobile 07700-900-123", K.PHONE, "07700-900-123"),
    ("mobile 07700900123", K.PHONE, "07700900123"),
    ("landline (020) 7946 0000", K.PHONE, "(020) 7946 0000"),
    ("landline 020 7946 0000", K.PHONE, "020 7946 0000"),
    ("landline 01632 960123", K.PHONE, "01632 960123"),
    ("landline 01632-960-123", K.PHONE, "01632-960-123"),
    ("0303 123 4567 is the line", K.PHONE, "0303 123 4567"),
    ("+44 7700 900123", K.PHONE, "+44 7700 900123"),
    ("+447700900123", K.PHONE, "+447700900123"),
    ("+44 (0)20 7946 0000", K.PHONE, "+44 (0)20 7946 0000"),
    ("0044 7700 900 123", K.PHONE, "0044 7700 900 123"),
    # postcodes
    ("lives at ME14 1XX now", K.POSTCODE, "ME14 1XX"),
    ("me14 1xx", K.POSTCODE, "me14 1xx"),
    ("ME141XX", K.POSTCODE, "ME141XX"),
    ("SW1A 1AA", K.POSTCODE, "SW1A 1AA"),
    ("E1 6AN", K.POSTCODE, "E1 6AN"),
    ("cb2 1tn", K.POSTCODE, "cb2 1tn"),
    ("somewhere in CT20 for now", K.POSTCODE, "CT20"),
    ("district ME14", K.POSTCODE, "ME14"),
    # National Insurance numbers
    ("NI AB 12 34 56 C", K.NI_NUMBER, "AB 12 34 56 C"),
    ("ni no. ab123456c", K.NI_NUMBER, "ab123456c"),
    ("NINO JG103759A", K.NI_NUMBER, "JG103759A"),
    ("NINO JG 10 37 59", K.NI_NUMBER, "JG 10 37 59"),
    # dates that could be dates of birth
    ("born 12/03/1990", K.DATE, "12/03/1990"),
    ("dob 12-03-90", K.DATE, "12-03-90"),
    ("dob 12.03.1990", K.DATE, "12.03.1990"),
    ("dob 1990-03-12", K.DATE, "1990-03-12"),
    ("dob 3/7/1985", K.DATE, "3/7/1985"),
    ("born 12 March 1990", K.DATE, "12 March 1990"),
    ("born 12th Mar 1990", K.DATE, "12th Mar 1990"),
    ("born 1st of May 2001", K.DATE, "1st of May 2001"),
    ("born March 12, 1990", K.DATE, "March 12, 1990"),
    ("born Sept 3 1979", K.DATE, "Sept 3 1979"),
    # street addresses and flats
    ("lives at 12 Acacia Avenue", K.ADDRESS, "12 Acacia Avenue"),
    ("12a Church Street", K.ADDRESS, "12a Church Street"),
    ("12-14 High St.", K.ADDRESS, "12-14 High St."),
    ("3 The Grove", K.ADDRESS, "3 The Grove"),
    ("7 Old Mill Lane", K.ADDRESS, "7 Old Mill Lane"),
    ("22 Orchard Close", K.ADDRESS, "22 Orchard Close"),
    ("4 st johns road", K.ADDRESS, "4 st johns road"),
    ("9 Victoria Mews", K.ADDRESS, "9 Victoria Mews"),
    ("1 Marine Parade", K.ADDRESS, "1 Marine Parade"),
    ("5 Castle Hill", K.ADDRESS, "5 Castle Hill"),
    ("10 Park Rd", K.ADDRESS, "10 Park Rd"),
    ("2 Kings Walk", K.ADDRESS, "2 Kings Walk"),
    ("Flat 3", K.ADDRESS, "Flat 3"),
    ("flat 3b, top floor", K.ADDRESS, "flat 3b"),
    ("Apartment 2", K.ADDRESS, "Apartment 2"),
    ("Apt. 14", K.ADDRESS, "Apt. 14"),
    # tenancy, account and case references
    ("tenancy ref 12345678", K.REFERENCE, "12345678"),
    ("ref 123456", K.REFERENCE, "123456"),
    ("account T0012345", K.REFERENCE, "T0012345"),
    ("ref HA/123456", K.REFERENCE, "HA/123456"),
    ("case KRP-2026-014", K.REFERENCE, "KRP-2026-014"),
    ("ref TEN_55512", K.REFERENCE, "TEN_55512"),
    ("ref ARC-1234-5678 (a mistyped ARC is not an ARC)", K.REFERENCE, "ARC-1234-5678"),
    # titled names
    ("spoke to Mr Smith", K.TITLED_NAME, "Mr Smith"),
    ("Mrs. Jane Doe called", K.TITLED_NAME, "Mrs. Jane Doe"),
    ("Ms Jones", K.TITLED_NAME, "Ms Jones"),
    ("Miss O'Neill", K.TITLED_NAME, "Miss O'Neill"),
    ("Dr J. Patel", K.TITLED_NAME, "Dr J. Patel"),
    ("Mx Taylor", K.TITLED_NAME, "Mx Taylor"),
    ("MR SMITH", K.TITLED_NAME, "MR SMITH"),
]

#: Ordinary housing text that must give no hit at all.
NOT_FOUND = [
    "needs 2 bedrooms",
    "2 bedroom house near the hill",
    "3 children",
    "3 children at school on the hill",
    "2 adults and 3 children",
    "DASH score 14",
    "DASH score 14, court hearing next month",
    "requested folkestone_hythe and tunbridge_wells",
    "current area tonbridge_malling",
    "moved in 2026",
    "2026",
    "rent year 2025/26",
    "year 2024-2025",
    "Kent Home Choice bids exhausted",
    "MARAC referral made; IDVA support in place",
    "a ground floor flat, 2 bedrooms",
    "a flat 2 miles from school",
    "Flat 2 bedrooms needed",
    "priority band B",
    "band A since 2024",
    "Mr X is not to be told",
    "did not miss appointments",
    "may 10 days be enough",
    "CO2 alarm fitted",
    "circulated on 3 March",
    "respond within 2 working days",
    "24/7 support",
    "partner_1 and case_12",
    "Housing Act 1996 s.193",
    "HA 1985 s.81ZA",
    "aged 34, 9 and 6",
    "1 bed flat",
    "the way forward",
    "Street Lane and Hill Road are words, not addresses",
    "age 16 or over",
    "kent_rp round 2",
    "",
]


@pytest.mark.parametrize(("text", "kind", "part"), FOUND, ids=[f"{k.value}:{p}" for _, k, p in FOUND])
def test_finds(text: str, kind: IdentifierKind, part: str) -> None:
    start = text.index(part)
    assert find_identifiers(text) == (IdentifierHit(kind, (start, start + len(part))),)


@pytest.mark.parametrize("text", NOT_FOUND)
def test_leaves_ordinary_text_alone(text: str) -> None:
    assert find_identifiers(text) == ()


@pytest.mark.parametrize(
    "text",
    [
        "QQ 12 34 56 C",  # QQ is the specimen prefix, never allocated (and D, F, I, Q, U, V never lead)
        "GB 12 34 56",  # an unallocated prefix, and too few digits to be a reference
        "NT 12 34 56",
        "AO 12 34 56",  # O is never the second letter
    ],
)
def test_ni_prefix_rules(text: str) -> None:
    assert K.NI_NUMBER not in {hit.kind for hit in find_identifiers(text)}


def test_a_date_after_a_number_is_still_found_whole() -> None:
    """Found by hypothesis: "14 January 10" must not hide "January 10, 2000"."""
    text = "DASH score 14 January 10, 2000"
    start = text.index("January")
    assert IdentifierHit(K.DATE, (start, len(text))) in find_identifiers(text)


@pytest.mark.parametrize("text", ["32/13/1990 is no date", "1990-13-40", "00/00/00"])
def test_impossible_dates_are_not_dates(text: str) -> None:
    assert K.DATE not in {hit.kind for hit in find_identifiers(text)}


def test_known_strings_are_found_as_whole_words_in_any_case() -> None:
    text = "Jane saw O'Brien in Tunbridge Wells; Janet did not"
    hits = find_identifiers(text, known=["jane", "o’brien", "tunbridge_wells"])
    assert [(h.kind, text[h.start:h.end]) for h in hits] == [
        (K.KNOWN, "Jane"),
        (K.KNOWN, "O'Brien"),
        (K.KNOWN, "Tunbridge Wells"),
    ]


def test_one_known_string_is_not_read_as_its_characters() -> None:
    assert [h.span for h in find_identifiers("a Jane b", known="Jane")] == [(2, 6)]


def test_known_strings_without_letters_or_digits_are_ignored() -> None:
    assert find_identifiers("a - b", known=["", "  ", "-"]) == ()


def test_several_identifiers_are_reported_in_order() -> None:
    text = "Mrs Jane Doe, 12 Acacia Avenue, ME14 1XX, 07700 900123"
    assert [h.kind for h in find_identifiers(text)] == [K.TITLED_NAME, K.ADDRESS, K.POSTCODE, K.PHONE]


def test_a_hit_inside_another_is_reported_once_as_the_more_specific_kind() -> None:
    # An e-mail address holding a six-digit run, a phone number that is also a digit run.
    assert [h.kind for h in find_identifiers("jd123456@example.org")] == [K.EMAIL]
    assert [h.kind for h in find_identifiers("07700900123")] == [K.PHONE]
    assert [h.kind for h in find_identifiers("AB123456C")] == [K.NI_NUMBER]


def test_an_arc_is_never_an_identifier() -> None:
    """The ARC is the pseudonym every partnership communication uses (Cambridgeshire MoU §3)."""
    digits_only = iter([b"\x00\x10\x84\x21\x08"] + [bytes([n]) * 5 for n in range(256)])
    arcs = [new_arc(lambda n: next(digits_only)) for _ in range(40)]
    for arc in arcs:
        assert find_identifiers(f"see {arc} and {arc.lower()}") == ()


def test_a_hit_never_holds_the_text() -> None:
    text = "call 07700 900123"
    (hit,) = find_identifiers(text)
    for shown in (repr(hit), str(hit)):
        assert "07700" not in shown
        assert "900123" not in shown
    assert str(hit) == "a phone number at characters 6-17"
    assert text[hit.start:hit.end] == "07700 900123"


def test_a_hit_needs_a_real_span() -> None:
    with pytest.raises(ValueError, match="span"):
        IdentifierHit(K.EMAIL, (3, 3))


def test_text_must_be_text() -> None:
    with pytest.raises(TypeError):
        find_identifiers(b"07700 900123")  # type: ignore[arg-type]


# --- properties -----------------------------------------------------------------------------


@given(embedded())
def test_an_identifier_in_ordinary_text_is_found(case: tuple[IdentifierKind, str, tuple[int, int]]) -> None:
    kind, text, (start, end) = case
    hits = find_identifiers(text)
    covering = [h for h in hits if h.start <= start and end <= h.end]
    assert covering, f"{kind.value} not found"
    assert kind in {h.kind for h in covering}


@pytest.mark.parametrize("kind", list(IDENTIFIERS), ids=lambda k: k.value)
@given(data=st.data())
def test_each_kind_is_found_alone(kind: IdentifierKind, data: st.DataObject) -> None:
    identifier = data.draw(IDENTIFIERS[kind])
    assert find_identifiers(identifier) == (IdentifierHit(kind, (0, len(identifier))),)


@given(ordinary_text(max_size=8))
def test_ordinary_text_gives_no_hit(text: str) -> None:
    assert find_identifiers(text) == ()


@given(st.text(max_size=300), st.lists(st.text(max_size=12), max_size=4))
def test_any_text_scans_and_hits_are_well_formed(text: str, known: list[str]) -> None:
    hits = find_identifiers(text, known=known)
    assert list(hits) == sorted(hits, key=lambda h: h.span)
    for hit in hits:
        assert 0 <= hit.start < hit.end <= len(text)
    for earlier, later in zip(hits, hits[1:], strict=False):
        assert not (earlier.start <= later.start and later.end <= earlier.end)
