"""Find text that could identify a person: the scanner behind every free-text field that leaves.

:func:`find_identifiers` looks for the direct identifiers the domain notes list for a referral
(``reference/domain.md``, "Data protection": names, addresses, dates of birth, National
Insurance numbers, phone numbers and e-mail addresses, tenancy and case references) and
reports *what kind* of thing it found and *where*, never the text itself, so that a refusal
built from a hit can be shown, logged or raised without repeating personal data.

What it detects (each is an :class:`IdentifierKind`):

``EMAIL``
    ``name@example.org``, sub-domains and ``+tags`` included; and spelled out
    (``jane dot doe at example dot com``, ``jane(at)example(dot)org``, ``jane [at] example
    [dot] co [dot] uk``, ``jane at example.com``) when it ends in a real top-level label
    (``com``, ``org``, ``uk``, ``gov``, ``nhs``…), so that "she is at risk" is not one.
``PHONE``
    UK numbers: ``07…`` mobiles and ``01…``/``02…``/``03…`` landlines of 10 or 11 digits,
    written with spaces, dashes or brackets (``(020) 7946 0000``), and the international
    forms ``+44 7700 900123``, ``+44 (0)20 …`` and ``0044 …``.
``POSTCODE``
    A full postcode, with or without the space (``ME14 1XX``, ``me141xx``), following the
    real letter rules (no Q, V or X first; no C, I, K, M, O or V in the inward letters); and,
    in capitals only, an outward code on its own for the two-letter postcode areas
    (``CT20``), which already narrows a home to a few streets.
``NI_NUMBER``
    Two prefix letters that HMRC allocates (neither D, F, I, Q, U or V; O never second;
    not BG, GB, KN, NK, NT, TN or ZZ), six digits and an optional A–D suffix, with or
    without spaces: ``AB 12 34 56 C``.
``DATE``
    A day, month and year that could be a date of birth: ``12/03/1990``, ``12-03-90``,
    ``12.03.1990``, ``1990-03-12``, ``12 March 1990``, ``12th Mar 1990``,
    ``March 12, 1990``. A year alone (``2026``) or a day and month with no year is not a
    date of birth and is not reported.
``ADDRESS``
    A house number (``12``, ``12a``, ``12-14``) followed by one to three words ending in a
    street suffix (Road, Rd, Street, St, Avenue, Ave, Lane, Ln, Close, Cl, Drive, Dr, Way,
    Court, Ct, Place, Pl, Crescent, Cres, Gardens, Gdns, Terrace, Terr, Grove, Hill, Row,
    Walk, Square, Sq, Mews, Parade): ``12 Acacia Avenue``, ``3 The Grove``; and ``Flat 3``,
    ``Apartment 2B``, ``Apt. 4``, ``Unit 7``. The number may be in words (``twelve Acacia
    Avenue``, ``Flat three``) if the street's name has a capital, so that "two large gardens"
    is not an address. Counting phrases (``2 bedrooms``, ``three children``) never start one.
``REFERENCE``
    A run of six or more digits, or a code mixing letters and at least five digits
    (``T0012345``, ``HA/123456``): tenancy, account and case references. A year range such
    as ``2025/26`` is not a reference.
``TITLED_NAME``
    A title (Mr, Mrs, Ms, Miss, Mx, Dr; with or without a full stop) before a capitalised
    name, initials allowed: ``Mr Smith``, ``Mrs. Jane Doe``, ``Dr J. Patel``. ``Mr X`` (a
    single letter, as notes use to anonymise) is not reported.
``KNOWN``
    Any string the caller passes in ``known``, case-insensitively and as whole words, with
    spaces, hyphens and underscores treated alike (``tunbridge_wells`` finds "Tunbridge
    Wells" and "TunbridgeWells") and either apostrophe: the names, landlords and places a
    housing system holds for the case.

An Application Reference Code (:mod:`reciprocity.privacy.arc`) is the pseudonym the
Cambridgeshire draft MoU (001) §3 says every partnership communication uses, so a valid ARC
is never reported, however many digits it happens to contain.

Disguises it sees through
-------------------------
The text and the ``known`` strings are normalised alike first (:mod:`.normalise`: full-width
forms, accents, zero-width and bidi characters, look-alike letters), so
``ｊａｎｅ＠ｅｘａｍｐｌｅ．ｏｒｇ`` and a name split by zero-width spaces are found; copies are
then scanned with digits un-spaced (``0 7 7 0 0 9 0 0 1 2 3``, ``AB 1 2 3 4 5 6 C``), with
``at`` and ``dot`` as symbols and with number words as digits, each reporting only what its
rewriting revealed (:func:`find_identifiers` says how that joins the other hits). Positions
are always in the text as written, invisible characters included.

What it cannot catch
--------------------
A bare personal name ("Jane told her worker…") looks like any other word: nothing in the
text marks it, and no list of names is complete. The same holds for house names ("Rose
Cottage"), a street named without a number, a workplace or school named in words, a
social-media handle, a description ("the flat above the chemist on the corner"), digits in
words ("seven seven double-oh..."), a house number in words before a street name in lower
case, or "one" other than after flat, apartment, unit or number, an e-mail address spelled
without a top-level label ("jane at example") or with other words ("point"), letters spaced
out ("A B 1 2 3 4 5 6 C"), digits split by commas, slashes or letters, spaced runs of fewer
than five digits, and look-alike characters outside the normalisation's table.
Quasi-identifiers (household make-up, ages, a rare tenancy type in a small area) are not
text patterns at all. The scanner is therefore one layer, not the guarantee: callers keep
free text short (a partner request's notes are at most 280 characters), pass every name
they hold in ``known``, and where they can, check free text against a fixed vocabulary of
phrases rather than accepting anything the scanner lets through.

It errs towards refusing: a false alarm costs a caseworker one rewording, a miss can cost
a survivor their safety ("the office at kent.gov.uk" reads as an e-mail address, "2024
2025" as a reference). Ordinary housing text (bedroom and child counts in digits or words,
DASH scores, area ids such as ``folkestone_hythe``, years and year ranges, "she is at
risk", "Kent Home Choice") is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum

import attrs

from reciprocity.privacy.arc import is_arc
from reciprocity.privacy.normalise import (
    TOP_LEVEL_LABELS,
    Normalised,
    email_words_as_symbols,
    normalised,
    number_words_as_digits,
    unspace_digits,
)

__all__ = ["IdentifierHit", "IdentifierKind", "find_identifiers"]


class IdentifierKind(StrEnum):
    """The kinds of identifying text :func:`find_identifiers` reports."""

    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"
    NI_NUMBER = "ni_number"
    DATE = "date"
    ADDRESS = "address"
    REFERENCE = "reference"
    TITLED_NAME = "titled_name"
    KNOWN = "known"

    @property
    def description(self) -> str:
        """The kind in words, for messages: ``an e-mail address``."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS = {
    IdentifierKind.EMAIL: "an e-mail address",
    IdentifierKind.PHONE: "a phone number",
    IdentifierKind.POSTCODE: "a postcode",
    IdentifierKind.NI_NUMBER: "a National Insurance number",
    IdentifierKind.DATE: "a date (possibly of birth)",
    IdentifierKind.ADDRESS: "a street address",
    IdentifierKind.REFERENCE: "a reference number",
    IdentifierKind.TITLED_NAME: "a person's name after a title",
    IdentifierKind.KNOWN: "a name or place held for this case",
}

#: When two hits cover the same text, the earlier kind here is reported.
_PRIORITY = (
    IdentifierKind.KNOWN,
    IdentifierKind.EMAIL,
    IdentifierKind.NI_NUMBER,
    IdentifierKind.POSTCODE,
    IdentifierKind.PHONE,
    IdentifierKind.DATE,
    IdentifierKind.ADDRESS,
    IdentifierKind.TITLED_NAME,
    IdentifierKind.REFERENCE,
)


def _check_span(instance: IdentifierHit, attribute: attrs.Attribute[tuple[int, int]],
                value: tuple[int, int]) -> None:
    start, end = value
    if not 0 <= start < end:
        raise ValueError(f"{attribute.name} must be (start, end) with 0 <= start < end")


@attrs.frozen
class IdentifierHit:
    """Something identifying found in a text: its kind and where, never the text itself.

    ``span`` is ``(start, end)`` as for slicing: ``text[start:end]`` is the match, which the
    caller may read but this object never holds, so its ``repr`` and ``str`` are safe to
    log or show.
    """

    kind: IdentifierKind = attrs.field(converter=IdentifierKind)
    span: tuple[int, int] = attrs.field(converter=tuple, validator=_check_span)

    @property
    def start(self) -> int:
        """Index of the first character of the match."""
        return self.span[0]

    @property
    def end(self) -> int:
        """Index just past the last character of the match."""
        return self.span[1]

    def __str__(self) -> str:
        return f"{self.kind.description} at characters {self.start + 1}-{self.end}"


# --- the patterns ---------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)

# A leading 0 (or +44 / 0044, optionally with "(0)"), a first digit of 1, 2, 3 or 7, then
# 8 or 9 more digits with at most two separators (space, dash, bracket) between any two.
_PHONE = re.compile(
    r"""
    (?<![\w+])
    (?: (?:\+|00)\s?44[\s-]?(?:\(0\)[\s-]?)? | \(?0 )
    [1237]
    (?:[\s\-()]{0,2}\d){8,9}
    (?!\d)
    """,
    re.VERBOSE,
)

_POSTCODE = re.compile(
    r"""
    (?<![A-Za-z0-9])
    (?: [A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? | GIR )   # outward: area letters, district
    \s{0,2}
    \d[ABD-HJLNP-UW-Z]{2}                        # inward: sector digit, unit letters
    (?![A-Za-z0-9])
    """,
    re.VERBOSE | re.IGNORECASE,
)

#: The two-letter UK postcode areas (the one-letter areas, such as B or M, are left out
#: because "B1" or "M25" alone is far more often a band or a road than a district).
_TWO_LETTER_AREAS = (
    "AB AL BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY "
    "EC EH EN EX FK FY GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY LA LD LE LL "
    "LN LS LU ME MK ML NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM SA SE SG SK SL SM SN "
    "SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB WA WC WD WF WN WR WS WV YO ZE"
).split()
_AREAS = frozenset(_TWO_LETTER_AREAS)
_OUTWARD_ALONE = re.compile(r"(?<![A-Za-z0-9-])([A-Z]{2})\d{1,2}[A-Z]?(?![A-Za-z0-9])")
#: Outward-code shapes that are everyday words in housing notes.
_NOT_OUTWARD = frozenset({"CO2"})

_NI_NUMBER = re.compile(
    r"""
    (?<![A-Za-z0-9])
    (?!BG|GB|KN|NK|NT|TN|ZZ)
    [A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]
    [\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}
    (?:[\s-]?[A-D])?
    (?![A-Za-z0-9])
    """,
    re.VERBOSE | re.IGNORECASE,
)

_NUMERIC_DATE = re.compile(
    r"(?<![\w/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/-]|\.\d)"
)
_ISO_DATE = re.compile(r"(?<![\w/.-])((?:19|20)\d{2})([/.-])(\d{1,2})\2(\d{1,2})(?![\w/-]|\.\d)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|(?-i:May|MAY)|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:(?:19|20)\d{2}|'?\d{2})"
# Searched separately, so that "14 January 10, 2000" is found as "January 10, 2000" too.
_DAY_MONTH_YEAR = re.compile(
    rf"(?<![\w]){_DAY}(?:\s+of)?[\s,/-]+{_MONTH}[\s,/-]+{_YEAR}(?![\w])", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(rf"(?<![\w]){_MONTH}\s+{_DAY},?\s+{_YEAR}(?![\w])", re.IGNORECASE)

_SUFFIXES = (
    "road rd street st avenue ave lane ln close cl drive dr way court ct place pl crescent cres "
    "gardens gdns terrace terr grove hill row walk square sq mews parade"
).split()
#: Things counted in ordinary housing text: a number before one of these is a count
#: ("2 bedrooms", "Flat 2 miles away"), not a house or flat number.
_COUNTED = (
    "adult adults bed beds bedroom bedrooms cat cats child children day days dog dogs floor "
    "floors hour hours kid kids mile miles min mins minute minutes month months people person "
    "persons pet pets room rooms son sons daughter daughters step steps stairs storey storeys "
    "time times week weeks year years yr yrs"
).split()
#: Words that never form part of a street's name: with the counted things, they are what
#: makes "2 bedrooms near the hill" ordinary text rather than an address.
_NOT_A_STREET_WORD = _COUNTED + (
    "a an and are as at be been but by can could for from has have had her his if in into is "
    "it its need needs no not of on or other our out over per so than that the their them then "
    "these they this those to under up was we were which who will with would"
).split()
_STREET_WORD = r"(?!(?:" + "|".join(_NOT_A_STREET_WORD) + r")\b)[A-Za-z][A-Za-z'’.-]*"
_HOUSE_NUMBER = r"\d{1,4}[A-Za-z]?(?:\s*[-/]\s*\d{1,4}[A-Za-z]?)?"
_ADDRESS = re.compile(
    rf"""
    (?<![\w/.-])
    {_HOUSE_NUMBER} ,?\s+
    (?: the\s+ (?:{_STREET_WORD}\s+){{0,3}} | (?:{_STREET_WORD}\s+){{1,3}} )
    (?:{"|".join(_SUFFIXES)}) \.?
    (?![\w])
    """,
    re.VERBOSE | re.IGNORECASE,
)
_FLAT = re.compile(
    rf"""
    (?<![\w])
    (?:flat|apartment|apt|unit) \.? \s* \d{{1,4}}[A-Za-z]?
    (?![\w])
    (?!\s*(?:{"|".join(_COUNTED)})\b)
    """,
    re.VERBOSE | re.IGNORECASE,
)

_TOKEN = re.compile(r"(?<![\w])[A-Za-z0-9_]+(?:[-/.][A-Za-z0-9_]+)*")
_DIGIT_RUN = re.compile(r"\d{6,}")
_FIVE_DIGITS = re.compile(r"(?:\D*\d){5}")
_LETTER = re.compile(r"[A-Za-z]")

_TITLE = r"(?:Mrs|MRS|Mr|MR|Ms|Miss|MISS|Mx|MX|Dr|DR)"
_NAME = r"[A-Z][A-Za-z'’-]+"
_TITLED_NAME = re.compile(
    rf"(?<![\w]){_TITLE}\.?\s+(?:[A-Z]\.?\s+){{0,2}}{_NAME}(?:[ \t]+{_NAME}){{0,2}}"
)

_ARC_SHAPE = re.compile(r"(?<![\w-])ARC[-\s]?[0-9A-Z]{4}[-\s]?[0-9A-Z]{4}(?![\w-])", re.IGNORECASE)

_SEPARATORS = re.compile(r"[\s_-]+")


# --- finders --------------------------------------------------------------------------------

_Finder = Callable[[str], Iterator[tuple[int, int]]]


def _spans(pattern: re.Pattern[str]) -> _Finder:
    def find(text: str) -> Iterator[tuple[int, int]]:
        for match in pattern.finditer(text):
            yield match.span()

    return find


def _valid_day_month(first: int, second: int) -> bool:
    """Whether two numbers can be a day and a month in either order (UK or US writing)."""
    return (1 <= first <= 31 and 1 <= second <= 12) or (1 <= first <= 12 and 1 <= second <= 31)


def _dates(text: str) -> Iterator[tuple[int, int]]:
    for match in _NUMERIC_DATE.finditer(text):
        if _valid_day_month(int(match[1]), int(match[3])):
            yield match.span()
    for match in _ISO_DATE.finditer(text):
        if 1 <= int(match[3]) <= 12 and 1 <= int(match[4]) <= 31:
            yield match.span()
    yield from _spans(_DAY_MONTH_YEAR)(text)
    yield from _spans(_MONTH_DAY_YEAR)(text)


def _outward_codes(text: str) -> Iterator[tuple[int, int]]:
    for match in _OUTWARD_ALONE.finditer(text):
        if match[1] in _AREAS and match[0] not in _NOT_OUTWARD:
            yield match.span()


def _references(text: str) -> Iterator[tuple[int, int]]:
    for match in _TOKEN.finditer(text):
        token = match[0]
        if (len(token) >= 5 and _FIVE_DIGITS.match(token)
                and (_DIGIT_RUN.search(token) or _LETTER.search(token))):
            yield match.span()


def _known_pattern(value: str) -> re.Pattern[str] | None:
    value = normalised(value).text
    words = [w for w in _SEPARATORS.split(value.strip()) if w]
    if not any(c.isalnum() for c in value):
        return None
    parts = ["".join("['’]" if c in "'’" else re.escape(c) for c in w) for w in words]
    # Words may run together: a name split by an invisible character reads "JaneDoe".
    return re.compile(r"(?<!\w)" + r"[\s_-]*".join(parts) + r"(?!\w)", re.IGNORECASE)


_FINDERS: tuple[tuple[IdentifierKind, _Finder], ...] = (
    (IdentifierKind.EMAIL, _spans(_EMAIL)),
    (IdentifierKind.PHONE, _spans(_PHONE)),
    (IdentifierKind.POSTCODE, _spans(_POSTCODE)),
    (IdentifierKind.POSTCODE, _outward_codes),
    (IdentifierKind.NI_NUMBER, _spans(_NI_NUMBER)),
    (IdentifierKind.DATE, _dates),
    (IdentifierKind.ADDRESS, _spans(_ADDRESS)),
    (IdentifierKind.ADDRESS, _spans(_FLAT)),
    (IdentifierKind.REFERENCE, _references),
    (IdentifierKind.TITLED_NAME, _spans(_TITLED_NAME)),
)
#: What each rewriting can reveal: un-spaced digits, "at" and "dot" as symbols, number words.
_DIGIT_FINDERS = tuple(f for f in _FINDERS if f[0] not in (IdentifierKind.EMAIL,
                                                            IdentifierKind.TITLED_NAME))
_EMAIL_FINDERS = ((IdentifierKind.EMAIL, _spans(_EMAIL)),)
_ADDRESS_FINDERS = ((IdentifierKind.ADDRESS, _spans(_ADDRESS)),
                    (IdentifierKind.ADDRESS, _spans(_FLAT)))


def _arc_spans(text: str) -> list[tuple[int, int]]:
    if "arc" not in text.lower():
        return []
    return [m.span() for m in _ARC_SHAPE.finditer(text) if is_arc(m[0])]


def _within(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


_Hits = list[tuple[tuple[int, int], IdentifierKind]]
_Accept = Callable[[str], bool]


def _spelled_email(found: str) -> bool:
    domain = found.partition("@")[2].lower().split(".")
    return domain[0] != "www" and domain[-1] in TOP_LEVEL_LABELS


def _number_word_address(found: str) -> bool:
    # "Flat three"; "twelve Acacia Avenue" names a street, "two large gardens" describes one.
    return _FLAT.fullmatch(found) is not None or not found.partition(" ")[2].islower()


def _rewritings(plain: Normalised, kept: _Hits) -> Iterator[
        tuple[Normalised, tuple[tuple[IdentifierKind, _Finder], ...], _Accept, tuple[int, int]]]:
    """Each rewriting of ``plain``, what to look for in it and accept, and how far before and
    after a change a hit can reach (an e-mail address, once its words are symbols, lies
    between two spaces; a house number can have three street words and a suffix after it)."""
    covered = [span for span, _ in kept]
    yield (unspace_digits(plain, covered=covered, keep=_arc_spans(plain.text)), _DIGIT_FINDERS,
           lambda _: True, (16, 40))
    yield email_words_as_symbols(plain), _EMAIL_FINDERS, _spelled_email, (0, 0)
    yield number_words_as_digits(plain), _ADDRESS_FINDERS, _number_word_address, (16, 40)


def _scan(variant: Normalised, finders: Iterable[tuple[IdentifierKind, _Finder]],
          accept: _Accept | None = None, near: tuple[int, int] = (0, 0)) -> _Hits:
    """Hits in ``variant`` (at their places in the original text), outside any ARC.

    With ``accept``, only what involves one of the variant's changes and is accepted counts,
    so only the text ``near`` the changes is scanned (cut at whitespace, which no pattern's
    boundary check tells from the end of the text).
    """
    text = variant.text
    regions = [(0, len(text))] if accept is None else variant.near_changes(*near)
    found: _Hits = []
    for offset, end in regions:
        part = text[offset:end]
        arcs = _arc_spans(part)
        for kind, finder in finders:
            for start, stop in finder(part):
                if any(arc[0] <= start and stop <= arc[1] for arc in arcs):
                    continue
                span = (start + offset, stop + offset)
                if accept is None or (variant.involves_change(*span) and accept(part[start:stop])):
                    found.append((variant.span_in_original(*span), kind))
    return found


def _outermost(found: _Hits) -> _Hits:
    """Widest first at each position, then by priority; drop what an earlier hit covers."""
    found.sort(key=lambda hit: (hit[0][0], -hit[0][1], _PRIORITY.index(hit[1])))
    kept: _Hits = []
    for span, kind in found:
        if not any(_within(span, other) for other, _ in kept):
            kept.append((span, kind))
    return kept


def find_identifiers(text: str, *, known: Iterable[str] = ()) -> tuple[IdentifierHit, ...]:
    """Every stretch of ``text`` that could identify a person, in order of position.

    ``known`` holds strings the caller's system holds for the case (names, the current
    landlord, places the household must not be traced to); each is found case-insensitively
    as whole words, both it and the text normalised alike. A hit lying wholly inside another
    is dropped (an e-mail address is not also reported as the digits in it); where two kinds
    match the same text, the more specific kind is reported. A valid Application Reference
    Code is never reported.

    The text is scanned as normalised by :func:`~reciprocity.privacy.normalise.normalised`;
    then with its digits un-spaced, its "at" and "dot" words read as symbols and its number
    words as digits, each of these reporting only what the rewriting revealed, and only
    where that overlaps no earlier hit or covers the hits it overlaps and is at least as
    specific as each. Spans are always positions in ``text`` as given.

    See the module docstring for what each kind covers and what no scanner can catch.
    """
    if not isinstance(text, str):
        raise TypeError("find_identifiers needs text (a str)")
    if isinstance(known, str):  # one string, not its characters
        known = (known,)
    plain = normalised(text)
    found = _scan(plain, _FINDERS)
    for value in known:
        pattern = _known_pattern(value) if isinstance(value, str) else None
        if pattern is not None:
            found.extend((plain.span_in_original(*m.span()), IdentifierKind.KNOWN)
                         for m in pattern.finditer(plain.text) if m[0])
    kept = _outermost(found)
    for variant, finders, accept, near in _rewritings(plain, kept):
        if variant is plain:
            continue
        for span, kind in _outermost(_scan(variant, finders, accept, near)):
            overlapped = [hit for hit in kept if span[0] < hit[0][1] and hit[0][0] < span[1]]
            # It replaces what it overlaps only if it covers it and is at least as specific.
            if all(_within(other, span) and _PRIORITY.index(kind) <= _PRIORITY.index(was)
                   for other, was in overlapped):
                kept = [hit for hit in kept if hit not in overlapped] + [(span, kind)]
    kept.sort()
    return tuple(IdentifierHit(kind, span) for span, kind in kept)
