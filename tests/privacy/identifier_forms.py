"""Generated identifiers in the forms people smuggle them in, and how to tell one reached a text.

A helper of ``test_identifier_property`` (issue 12). An :class:`Identifier` is one invented
identifier (a name, a date of birth, a UK phone number, an NI number, a postcode, a street
address, an e-mail address, or several of these run together as in the case id
``Jane Doe AB123456C 1990-02-01``) as written into a field, possibly disguised: full-width
forms, zero-width and bidi characters inside, digits spaced out, an e-mail address spelled
out, or written as an id (``jane_doe``, ``ab123456c``).

:func:`leaked` says whether a text shows an identifier however it was disguised: both sides
are read after the library's own normalisation (:func:`reciprocity.privacy.normalised`: NFKC,
marks and invisible characters removed, look-alike letters read as Latin) and case folded,
and the identifier's words and digit groups are looked for in order with the separators
people put between them (spaces, dots, dashes, underscores, brackets) or none, and its digits
spaced out: ``AB 1 2 3 4 5 6 C``, ``ab123456c``, ``ab_12_34_56_c`` and ``ＡＢ１２３４５６Ｃ``
are one NI number. A phone number is also looked for by its national digits, a date in every
written form, an e-mail address spelled out. The strategies reuse the shapes of
:mod:`tests.privacy` and the disguises of ``test_smuggling``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import attrs
from hypothesis import strategies as st

from reciprocity.privacy import normalised

from . import AFTER, BEFORE, _written, emails, ni_numbers, ordinary_text, phones, postcodes
from .test_smuggling import _digits_spaced, _invisible_inside, _spelled, full_width

__all__ = [
    "ISSUE_FORMS",
    "ISSUE_ID_FORMS",
    "Identifier",
    "free_text",
    "identifiers",
    "id_text",
    "folded",
    "leaked",
]

#: Invented names (first and last names common in the UK; no one in particular).
FIRST_NAMES = ("Jane", "Mary", "John", "Aisha", "Priya", "Tomasz", "Chloe", "Grace", "Kwame",
               "Siobhan", "Zoë", "Darren")
LAST_NAMES = ("Doe", "Roe", "Smith", "Patel", "Nowak", "Okafor", "Murphy", "Evans", "Khan",
              "O'Neill", "Jones", "Begum")
_STREETS = ("Acacia", "Church", "Mill", "Station", "Victoria", "Old Mill", "Queen's", "Orchard")
_SUFFIXES = ("Road", "Street", "Avenue", "Lane", "Close", "Drive", "Way", "Court", "Crescent",
             "Gardens", "Terrace", "Grove")

#: The dates the worlds of the property use (2021 joins, 2026 cases): dates of birth are drawn
#: before them, so a date the library writes itself never looks like a leaked one.
BIRTH_DATES = (date(1920, 1, 1), date(2019, 12, 31))


@attrs.frozen
class Identifier:
    """One identifier: its parts (kind and plain form each) and the text as written.

    ``parts`` holds one ``(kind, plain)`` pair, or several for a compound such as a case id
    made of a name, an NI number and a date of birth; a date's plain form is ISO. ``text`` is
    how it is written into the field, disguised or not.
    """

    parts: tuple[tuple[str, str], ...]
    text: str

    @property
    def kind(self) -> str:
        return self.parts[0][0] if len(self.parts) == 1 else "compound"

    @property
    def known(self) -> tuple[str, ...]:
        """What a housing system holding this case would pass as ``known=``: its names and
        addresses, as the system writes them."""
        return tuple(plain for kind, plain in self.parts if kind in ("name", "address"))

    def patterns(self) -> tuple[re.Pattern[str], ...]:
        """What finds the identifier in a :func:`folded` text, however it is written there."""
        found = [_pattern(self.text)]
        for kind, plain in self.parts:
            found.extend(_patterns(kind, plain))
        return tuple(p for p in found if p is not None)

    def __str__(self) -> str:
        return f"{self.kind} {self.text!r}"


#: An identifier with fewer letters and digits than this could turn up by chance (the
#: shortest postcode, B1 1AA, has five).
_SHORTEST = 5

#: Text the store and its loggers write that can hold any digits or letters by chance:
#: hashes and event ids, object addresses, SQLAlchemy's statement timings.
_NOISE = re.compile(
    r"(?<![0-9A-Za-z])[0-9A-Fa-f]{20,}(?![0-9A-Za-z])|0x[0-9A-Fa-f]+"
    r"|\[(?:cached since|generated in) [0-9.e-]+s(?: ago)?\]"
)
#: Between two digits of one group: digits spaced out, as people smuggle them.
_IN_NUMBER = r"[\s.\-_]{0,2}"
#: Between two words or groups of an identifier: what people (and the id shape) write there.
_BETWEEN = r"[\s.,/\-_:@()'’+]{0,3}"
_ALNUM = re.compile(r"[0-9a-z]+")


def folded(text: str) -> str:
    """``text`` as the library normalises it (:func:`reciprocity.privacy.normalised`), case
    folded, without the store's noise."""
    return _NOISE.sub(" ", normalised(text).text).casefold()


def _tokens(text: str) -> list[str]:
    return _ALNUM.findall(folded(text))


def _sequence(tokens: list[str]) -> str:
    """The regex of ``tokens`` in order: digits within a token may be spaced out, letters and
    digits set apart, and the tokens joined by a few separators or none (``jane_doe``,
    ``JaneDoe``, ``AB 1 2 3 4 5 6 C``)."""
    parts = []
    for token in tokens:
        chars = [re.escape(token[0])]
        for before, char in zip(token, token[1:], strict=False):
            if before.isdigit() and char.isdigit():
                chars.append(_IN_NUMBER)
            elif before.isdigit() != char.isdigit():  # AB123456C is also AB 123456 C
                chars.append(_BETWEEN)
            chars.append(re.escape(char))
        parts.append("".join(chars))
    return _BETWEEN.join(parts)


def _pattern(text: str, *, after: str = r"(?<![0-9a-z])") -> re.Pattern[str] | None:
    tokens = _tokens(text)
    if sum(map(len, tokens)) < _SHORTEST:
        return None
    return re.compile(after + _sequence(tokens) + r"(?![0-9a-z])")


def _patterns(kind: str, plain: str) -> list[re.Pattern[str] | None]:
    out = [_pattern(plain)]
    if kind == "email":
        out.append(_pattern(_spelled(plain)))
    elif kind == "phone":
        digits = re.sub(r"\D", "", plain)
        for prefix in ("0044", "44", "0"):
            if digits.startswith(prefix):
                digits = digits[len(prefix):]
                break
        # The national number, after 0, 44 or 0044 or on its own: 07700…, +44 7700…, 0044 7700….
        out.append(_pattern(digits, after=r"(?<![1-35-9a-z])"))
    elif kind == "ni":
        out.append(_pattern(_tokens(plain)[0][:2] + re.sub(r"\D", "", plain)))  # a suffix aside
    elif kind == "date":
        day = date.fromisoformat(plain)
        out.extend(_pattern(_written(day, form)) for form in range(8))
    return out


def leaked(identifier: Identifier, texts: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The first ``(where, text)`` of ``texts`` that shows ``identifier``, or None."""
    patterns = identifier.patterns()
    for where, text in texts:
        flat = folded(text)
        if any(p.search(flat) for p in patterns):
            return where, text
    return None


# --- the identifiers -------------------------------------------------------------------------


def names() -> st.SearchStrategy[str]:
    """Returns a strategy of invented full names (``Jane Doe``, ``Zoë O'Neill``)."""
    return st.builds("{} {}".format, st.sampled_from(FIRST_NAMES), st.sampled_from(LAST_NAMES))


def street_addresses() -> st.SearchStrategy[str]:
    """Returns a strategy of street addresses (``12 Acacia Avenue``, ``Flat 3, 7a Mill Lane``)."""
    number = st.integers(1, 250).map(str) | st.builds("{}{}".format, st.integers(1, 99),
                                                      st.sampled_from("ab"))
    street = st.builds("{} {} {}".format, number, st.sampled_from(_STREETS), st.sampled_from(_SUFFIXES))
    flat = st.sampled_from(("", "Flat 3, ", "Flat 12b, ", "Apartment 4, "))
    return st.builds("{}{}".format, flat, street)


def _birth_date() -> st.SearchStrategy[Identifier]:
    return st.builds(lambda day, form: Identifier((("date", day.isoformat()),), _written(day, form)),
                     st.dates(*BIRTH_DATES), st.integers(0, 7))


def _single(kind: str, strategy: st.SearchStrategy[str]) -> st.SearchStrategy[Identifier]:
    return strategy.map(lambda text: Identifier(((kind, text),), text))


@st.composite
def _address(draw: st.DrawFn) -> Identifier:
    street = draw(street_addresses())
    if draw(st.booleans()):
        return Identifier((("address", street),), street)
    postcode = draw(postcodes())
    return Identifier((("address", street), ("postcode", postcode)), f"{street}, {postcode}")


@st.composite
def _compound(draw: st.DrawFn, with_names: bool) -> Identifier:
    """Several identifiers run together, as in the case id ``Jane Doe AB123456C 1990-02-01``."""
    pool = [_single("ni", ni_numbers()), _birth_date(), _single("phone", phones()),
            _single("postcode", postcodes())]
    chosen = [draw(s) for s in draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2))]
    if with_names:
        chosen.insert(0, draw(_single("name", names())))
    if len(chosen) == 1:
        chosen.append(draw(_birth_date()))
    return Identifier(tuple(p for i in chosen for p in i.parts), " ".join(i.text for i in chosen))


def identifiers(*, with_names: bool = True) -> st.SearchStrategy[Identifier]:
    """Returns a strategy of undisguised identifiers of every kind (bare names only if
    ``with_names``: in a field whose value partners see by design, such as a partner id, no
    scanner can tell a bare name from an id, and the library does not claim to)."""
    kinds = [
        _birth_date(),
        _single("phone", phones()),
        _single("ni", ni_numbers()),
        _single("postcode", postcodes()),
        _address(),
        _single("email", emails()),
        _compound(with_names),
    ]
    if with_names:
        kinds.insert(0, _single("name", names()))
    return st.one_of(kinds)


# --- disguises -------------------------------------------------------------------------------


def _id_shaped(text: str, lower: bool) -> str:
    """``text`` written as an id: ``Jane Doe`` → ``jane_doe``, ``AB 12 34 56 C`` → ``ab_12_34_56_c``."""
    shaped = re.sub(r"[^A-Za-z0-9.:-]+", "_", normalised(text).text).strip("_.:-")
    return shaped.lower() if lower else shaped


@st.composite
def _disguised(draw: st.DrawFn, identifier: Identifier, forms: tuple[str, ...]) -> Identifier:
    text = identifier.text
    if identifier.kind == "email" and "spelled" in forms and draw(st.booleans()):
        text = _spelled(text)
    chosen = draw(st.lists(st.sampled_from([f for f in forms if f != "spelled"]), max_size=2, unique=True))
    for form in chosen:
        if form == "full_width":
            text = full_width(text)
        elif form == "invisible" and len(text) > 1:
            text = draw(_invisible_inside(text))
        elif form == "spaced" and identifier.kind in ("phone", "ni"):
            text = draw(_digits_spaced(text))
    return attrs.evolve(identifier, text=text)


@st.composite
def free_text(draw: st.DrawFn, *, with_names: bool = True, max_size: int = 200) -> tuple[str, Identifier]:
    """``(text, identifier)``: a disguised identifier, alone or set in ordinary housing text."""
    identifier = draw(identifiers(with_names=with_names).flatmap(
        lambda i: _disguised(i, ("full_width", "invisible", "spaced", "spelled"))))
    text = identifier.text
    if draw(st.booleans()):
        before, after = draw(ordinary_text(max_size=2)), draw(ordinary_text(max_size=2))
        text = (before + draw(st.sampled_from(BEFORE)) if before else "") + text
        text += draw(st.sampled_from(AFTER)) + after if after else ""
    return (text if len(text) <= max_size else identifier.text[:max_size]), identifier


@st.composite
def id_text(draw: st.DrawFn, *, with_names: bool = True) -> tuple[str, Identifier]:
    """``(text, identifier)``: an identifier written into an id field: as an id mostly (so that
    it passes an id's pattern and reaches what lies behind it), else as written, disguised."""
    identifier = draw(identifiers(with_names=with_names))
    if draw(st.integers(0, 3)):
        spaced = draw(_disguised(identifier, ("spaced",)))
        return _id_shaped(spaced.text, lower=draw(st.booleans())) or "x", identifier
    identifier = draw(_disguised(identifier, ("full_width", "invisible", "spaced")))
    return identifier.text, identifier


def _one(kind: str, plain: str, text: str | None = None) -> Identifier:
    return Identifier(((kind, plain),), plain if text is None else text)


#: The smuggling forms issue 12 lists, as ``(label, text fed, identifier)`` (the identifier's
#: text is the disguised identifier alone): every free-text field of the property is fed these
#: as explicit examples, every id field :data:`ISSUE_ID_FORMS`.
ISSUE_FORMS: tuple[tuple[str, str, Identifier], ...] = (
    ("full-width e-mail", full_width("jane.doe@example.org"),
     _one("email", "jane.doe@example.org", full_width("jane.doe@example.org"))),
    ("full-width NI number", full_width("AB123456C"), _one("ni", "AB123456C", full_width("AB123456C"))),
    ("zero-width-split name", "J\u200ba\u200cne D\u200do\u2060e asked for a move",
     _one("name", "Jane Doe", "J\u200ba\u200cne D\u200do\u2060e")),
    ("spaced phone digits", "call 0 7 7 0 0 9 0 0 1 2 3 after six",
     _one("phone", "07700900123", "0 7 7 0 0 9 0 0 1 2 3")),
    ("spaced NI digits", "NI AB 1 2 3 4 5 6 C on file", _one("ni", "AB123456C", "AB 1 2 3 4 5 6 C")),
    ("spelled-out e-mail", "write to jane at example dot com",
     _one("email", "jane@example.com", "jane at example dot com")),
    ("street address", "she lived at 12 Acacia Avenue, ME14 1XX",
     Identifier((("address", "12 Acacia Avenue"), ("postcode", "ME14 1XX")), "12 Acacia Avenue, ME14 1XX")),
    ("case id of personal details", "Jane Doe AB123456C 1990-02-01",
     Identifier((("name", "Jane Doe"), ("ni", "AB123456C"), ("date", "1990-02-01")),
                "Jane Doe AB123456C 1990-02-01")),
    ("correction reason", "Mary Roe asked for it", _one("name", "Mary Roe")),
)

#: The same, written as ids (what passes an id's pattern): ``(label, text fed, identifier)``.
ISSUE_ID_FORMS: tuple[tuple[str, str, Identifier], ...] = (
    ("NI number as an id", "ab123456c", _one("ni", "AB123456C")),
    ("case id of personal details", "Jane_Doe_AB123456C_1990-02-01",
     Identifier((("name", "Jane Doe"), ("ni", "AB123456C"), ("date", "1990-02-01")),
                "Jane Doe AB123456C 1990-02-01")),
    ("postcode as an id", "me14_1xx", _one("postcode", "ME14 1XX")),
    ("phone number as an id", "07700900123", _one("phone", "07700900123")),
    ("date of birth as an id", "1990-02-01", _one("date", "1990-02-01")),
    ("name as an id", "jane_doe", _one("name", "Jane Doe")),
)
