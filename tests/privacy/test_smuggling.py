"""Identifiers in disguise: the smuggling forms of issue 12, and text that must stay ordinary.

Issue 12 ("Privacy") found notes passing full-width e-mail addresses and NI numbers,
zero-width-split names, spaced phone and NI digits, spelled-out e-mail addresses and
addresses; each form is a test here, with the hit reported at the characters as written.
Every identifier is invented (``07700 900xxx`` is Ofcom's drama range).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reciprocity.privacy import IdentifierKind, find_identifiers, normalised

from . import BEFORE, ni_numbers, ordinary_text

K = IdentifierKind
ZWSP, ZWNJ, ZWJ, WJ, BOM, SHY = "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"
LRM, RLM = "\u200e", "\u200f"
LRE, RLE, PDF, LRO, RLO = "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"
LRI, RLI, FSI, PDI = "\u2066", "\u2067", "\u2068", "\u2069"
INVISIBLE = (ZWSP, ZWNJ, ZWJ, WJ, BOM, SHY, LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI)


def full_width(text: str) -> str:
    """``text`` in full-width forms (U+FF01–U+FF5E, the ideographic space)."""
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


def found(text: str, known: tuple[str, ...] = ()) -> list[tuple[IdentifierKind, str]]:
    """Each hit as its kind and the text it covers, as written."""
    return [(hit.kind, text[hit.start:hit.end]) for hit in find_identifiers(text, known=known)]


def only(text: str, part: str, kind: IdentifierKind, known: tuple[str, ...] = ()) -> None:
    """``text`` gives one hit: ``kind``, exactly over ``part``."""
    assert found(text, known) == [(kind, part)]


# --- full-width ------------------------------------------------------------------------------


def test_a_full_width_email_address_is_found() -> None:
    address = full_width("jane.doe@example.org")
    only(f"write to {address} today", address, K.EMAIL)


def test_a_full_width_ni_number_is_found() -> None:
    for ni in (full_width("AB123456C"), full_width("AB 12 34 56 C"), "ＡＢ１２３４５６Ｃ"):
        only(f"NI {ni} on file", ni, K.NI_NUMBER)


def test_full_width_phone_digits_and_a_full_width_at_alone_are_found() -> None:
    only("call ０７７００ ９００１２３", "０７７００ ９００１２３", K.PHONE)
    only("jane＠example.org", "jane＠example.org", K.EMAIL)


# --- invisible characters --------------------------------------------------------------------


def test_a_name_split_by_zero_width_spaces_is_found_as_known() -> None:
    name = f"J{ZWSP}a{ZWNJ}n{ZWJ}e D{WJ}o{BOM}e"
    only(f"{name} asked for a move", name, K.KNOWN, known=("Jane Doe",))


def test_a_known_name_matches_however_either_is_written() -> None:
    only("Ｊａｎｅ Ｄｏｅ asked", "Ｊａｎｅ Ｄｏｅ", K.KNOWN, known=("Jane Doe",))
    only("Jane Doe asked", "Jane Doe", K.KNOWN, known=(f"Ja{ZWSP}ne Ｄｏｅ",))
    only(f"Jane{ZWSP}Doe asked", f"Jane{ZWSP}Doe", K.KNOWN, known=("Jane Doe",))
    only("Zoë Doe asked", "Zoë Doe", K.KNOWN, known=("Zoe Doe",))


def test_soft_hyphens_inside_a_name_do_not_hide_it() -> None:
    only(f"Ja{SHY}ne Do{SHY}e", f"Ja{SHY}ne Do{SHY}e", K.KNOWN, known=("Jane Doe",))


@pytest.mark.parametrize("mark", [LRM, RLM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI],
                         ids=lambda m: f"U+{ord(m):04X}")
def test_an_email_address_split_by_a_bidi_mark_is_found(mark: str) -> None:
    address = f"jane{mark}.doe@exam{mark}ple.org"
    only(f"email {address} please", address, K.EMAIL)


def test_a_phone_number_split_by_invisible_characters_is_found() -> None:
    number = f"07700{ZWSP}900{RLO}123"
    only(f"call {number}", number, K.PHONE)


def test_look_alike_letters_do_not_hide_an_address() -> None:
    address = "j\u0430ne@ex\u0430mple.org"  # Cyrillic а
    only(address, address, K.EMAIL)


def test_a_titled_name_with_accents_is_found() -> None:
    only("spoke to Mr José Álvarez", "Mr José Álvarez", K.TITLED_NAME)


# --- spaced digits ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    ["0 7 7 0 0 9 0 0 1 2 3", "0.7.7.0.0.9.0.0.1.2.3", "0-7-7-0-0-9-0-0-1-2-3", "0 77 00 90 01 23",
     "+4 4 7 7 0 0 9 0 0 1 2 3", "0 7 7 0 0  9 0 0 1 2 3"],
)
def test_spaced_phone_digits_are_found(number: str) -> None:
    only(f"call {number} after six", number, K.PHONE)


@pytest.mark.parametrize("ni", ["AB 1 2 3 4 5 6 C", "AB 1 2 3 4 5 6", "AB 123 456 C",
                                "AB 1.2.3.4.5.6 C", "ab 1 2 3 4 5 6 c"])
def test_spaced_ni_digits_are_found(ni: str) -> None:
    only(f"NI {ni} on file", ni, K.NI_NUMBER)


def test_spaced_reference_digits_are_found() -> None:
    only("tenancy ref 1 2 3 4 5 6 7 8", "1 2 3 4 5 6 7 8", K.REFERENCE)
    only("account 1234 5678 90", "1234 5678 90", K.REFERENCE)


def test_spaced_digits_next_to_a_phone_number_do_not_hide_it() -> None:
    assert found("DASH score 14 07700 900123") == [(K.PHONE, "07700 900123")]


# --- spelled-out e-mail addresses ------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "jane dot doe at example dot com",
        "jane(at)example(dot)org",
        "jane [at] example [dot] co [dot] uk",
        "jane at example.com",
        "jane.doe at example.org.uk",
        "jane {at} example {dot} net",
        "jane (at) example (dot) gov (dot) uk",
        "JANE AT EXAMPLE DOT NHS DOT UK",
        "jane @ example.com",
        "jane_doe(at)example.co.uk",
        "jane.doe(@)example.org",
        "j.doe at mail dot example dot police dot uk",
    ],
)
def test_a_spelled_out_email_address_is_found(address: str) -> None:
    only(f"contact {address} for news", address, K.EMAIL)


def test_a_spelled_out_email_address_can_be_full_width_too() -> None:
    address = full_width("jane at example dot org")
    only(f"write to {address}", address, K.EMAIL)


# --- number words in addresses ---------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["twelve Acacia Avenue", "Twelve Acacia Avenue", "twenty-one Church Street",
     "twenty one Church Street", "forty two Old Mill Lane", "three The Grove",
     "seven acacia Avenue", "Flat three", "flat one", "Apartment twelve",
     "number one Acacia Avenue"],
)
def test_an_address_with_a_number_word_is_found(address: str) -> None:
    text = f"she lived at {address} before"
    start = address.index("one Acacia") if address.startswith("number") else 0
    only(text, address[start:], K.ADDRESS)


# --- what must stay ordinary -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # "at" and "dot" in sentences
        "she is at risk",
        "arrived at noon",
        "she is at risk. Me and her worker agreed",
        "met at the station at 10.30",
        "a dot on the map at the top",
        "the dot at the end of the line",
        "at home at weekends, at school on weekdays",
        "staying at a refuge at present",
        "looked at houses at the weekend. Co-operative landlord",
        # number words
        "two bedrooms",
        "three children",
        "needs two bedrooms and a box room",
        "three children at primary school",
        "two adults and three children",
        "one dog, two cats",
        "one more walk to the shops",
        "the house has two large gardens",
        "a flat two miles from school",
        "Flat two bedrooms needed",
        "a ground floor flat, two bedrooms",
        "twenty minutes walk from the station",
        "seven days to respond",
        "no one road is safe",
        # digits that are not spaced-out identifiers
        "aged 34 9 and 6",
        "rent year 2024-25",
        "year 2024 - 2025",
        "between 10.30-11.30",
        "moved in 2026. 3 children",
        "DASH score 14 - 2 bedrooms",
        "section 3.2.1 applies",
        # ordinary text in disguise is still ordinary
        full_width("needs 2 bedrooms"),
        f"Kent{ZWSP} Home Choice bids exhausted",
        f"DASH{RLO} score 14",
        "café near the school",
    ],
)
def test_ordinary_text_is_not_reported(text: str) -> None:
    assert find_identifiers(text) == ()


def test_a_hit_found_through_a_disguise_still_holds_no_text() -> None:
    text = "call 0 7 7 0 0 9 0 0 1 2 3"
    (hit,) = find_identifiers(text)
    assert "0 7 7" not in repr(hit) and "0 7 7" not in str(hit)
    assert str(hit) == "a phone number at characters 6-26"


def test_normalise_maps_every_character_back_to_where_it_was_written() -> None:
    text = f"Ｊa{ZWSP}né ﬁle{RLO} @ x"
    rewritten = normalised(text)
    assert rewritten.text == "Jane file @ x"
    origins = [text[slice(*rewritten.span_in_original(i, i + 1))]
               for i in range(len(rewritten.text))]
    assert origins == ["Ｊ", "a", "n", "é", " ", "ﬁ", "ﬁ", "l", "e", " ", "@", " ", "x"]
    assert rewritten.span_in_original(0, 4) == (0, 5)  # "Ｊa<ZWSP>né", the space inside


# --- the property ----------------------------------------------------------------------------

_LABEL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
_EMAILS = st.builds(
    "{}{}{}@{}.{}".format, _LABEL, st.sampled_from((".", "_", "+", "")), _LABEL, _LABEL,
    st.sampled_from(("com", "org", "org.uk", "co.uk", "gov.uk", "net", "nhs.uk")),
)
_MOBILE_FORMS = (
    lambda d: f"07{d}",
    lambda d: f"07{d[:3]} {d[3:]}",
    lambda d: f"07{d[:3]}-{d[3:6]}-{d[6:]}",
    lambda d: f"+447{d}",
    lambda d: f"+44 7{d[:3]} {d[3:]}",
    lambda d: f"0044 7{d[:3]} {d[3:]}",
)
_MOBILES = st.builds(lambda digits, form: form(digits),
                     st.text("0123456789", min_size=9, max_size=9), st.sampled_from(_MOBILE_FORMS))
_KINDS = {K.EMAIL: _EMAILS, K.NI_NUMBER: ni_numbers(), K.PHONE: _MOBILES}


@st.composite
def _invisible_inside(draw: st.DrawFn, text: str) -> str:
    """``text`` with invisible characters between some of its characters (never at the ends)."""
    chars = list(text)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(1, len(chars) - 1))
        chars.insert(at, draw(st.sampled_from(INVISIBLE)))
    return "".join(chars)


@st.composite
def _digits_spaced(draw: st.DrawFn, text: str) -> str:
    """``text`` with a space, dot or dash between each pair of digits that touch."""
    out = text[0]
    for before, char in zip(text, text[1:], strict=False):
        if before.isdigit() and char.isdigit():
            out += draw(st.sampled_from((" ", ".", "-", " ")))
        out += char
    return out


def _spelled(text: str) -> str:
    local, _, domain = text.partition("@")
    return local.replace(".", " dot ") + " at " + domain.replace(".", " dot ")


@st.composite
def smuggled(draw: st.DrawFn) -> tuple[IdentifierKind, str]:
    """An identifier disguised by one or two smuggling forms."""
    kind = draw(st.sampled_from(list(_KINDS)))
    text = draw(_KINDS[kind])
    forms = ["full_width", "invisible"] + (["spelled"] if kind is K.EMAIL else ["spaced"])
    for form in draw(st.lists(st.sampled_from(forms), min_size=1, max_size=2, unique=True)):
        if form == "full_width":
            text = full_width(text)
        elif form == "invisible":
            text = draw(_invisible_inside(text))
        elif form == "spaced":
            text = draw(_digits_spaced(text))
        elif "@" in text:  # spelled, before any full-width form
            text = _spelled(text)
    return kind, text


@given(smuggled())
def test_a_smuggled_identifier_alone_is_found_whole(case: tuple[IdentifierKind, str]) -> None:
    kind, text = case
    hits = find_identifiers(text)
    assert any(hit.start == 0 and hit.end == len(text) for hit in hits), f"{kind.value} missed"


@given(smuggled(), ordinary_text(max_size=3), ordinary_text(max_size=3), st.sampled_from(BEFORE))
def test_a_smuggled_identifier_in_ordinary_text_is_reported(
    case: tuple[IdentifierKind, str], before: str, after: str, join: str
) -> None:
    kind, identifier = case
    head = before + join if before else ""
    text = head + identifier + (". " + after if after else "")
    start, end = len(head), len(head) + len(identifier)
    hits = find_identifiers(text)
    assert any(hit.start < end and start < hit.end for hit in hits), f"{kind.value} missed"
