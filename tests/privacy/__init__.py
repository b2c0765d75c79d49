"""Privacy tests: the identifier scanner, the ARC and the partner request; shared strategies.

The strategies generate invented identifiers in the shapes people really write them (an
e-mail address, a UK phone number, a postcode, a National Insurance number, a date of
birth) and ordinary housing text to hide them in. Nothing generated belongs to anyone: phone
numbers are drawn at random, not from a directory, and domains are random labels.
"""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from reciprocity.privacy import IdentifierKind

#: Phrases of ordinary housing notes, none of which identifies anyone. Joined with "; " or
#: ". " in any order they must give no hit (see test_identifiers).
ORDINARY = (
    "needs 2 bedrooms",
    "3 children at primary school",
    "DASH score 14",
    "requested folkestone_hythe and tunbridge_wells",
    "moved in 2026",
    "rent year 2025/26",
    "ground floor flat",
    "a flat 2 miles from a school",
    "2 bedrooms near the hill",
    "Kent Home Choice bids exhausted",
    "IDVA support in place",
    "MARAC referral made",
    "court hearing next month",
    "wheelchair user",
    "one dog",
    "level access needed",
    "priority band B",
    "Mr X is not to be told",
    "prefers a quiet close",
    "needs 1 bedroom plus a carer's room",
    "round 2 of circulation",
    "respond within 2 working days",
    "case accepted on the second attempt",
    "the way forward was agreed",
    "needs a walk-in shower",
    "no pets",
    "secure tenancy to be matched",
    "could bid for 3 weeks",
    "Street Lane and Hill Road are words, not addresses",
    "CO2 alarm fitted",
)

#: Joins between phrases that keep them apart as separate statements.
JOINS = ("; ", ". ", " - ")

#: How an identifier is set into text.
BEFORE = (" ", ": ", " (", ", ")
AFTER = (" ", ") ", ", ", ". ")

_AREAS_1 = "BEGLMNSW"
_AREAS_2 = (
    "AB AL BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY "
    "EC EH EN EX FK FY GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY LA LD LE LL "
    "LN LS LU ME MK ML NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM SA SE SG SK SL SM SN "
    "SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB WA WC WD WF WN WR WS WV YO ZE"
).split()
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_NI_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
_NI_SECOND = "ABCEGHJKLMNPRSTWXYZ"
_NI_NOT_ALLOCATED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
_MONTHS = (
    "January February March April May June July August September October November December"
).split()

_lower = "abcdefghijklmnopqrstuvwxyz0123456789"


def ordinary_text(min_size: int = 0, max_size: int = 6) -> st.SearchStrategy[str]:
    """Returns a strategy which generates ordinary housing text: phrases joined as statements."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        phrases = draw(st.lists(st.sampled_from(ORDINARY), min_size=min_size, max_size=max_size))
        if not phrases:
            return ""
        text = phrases[0]
        for phrase in phrases[1:]:
            text += draw(st.sampled_from(JOINS)) + phrase
        return text

    return build()


def emails() -> st.SearchStrategy[str]:
    """Returns a strategy which generates e-mail addresses at random domains."""
    label = st.text(_lower, min_size=1, max_size=10)
    local = st.lists(label, min_size=1, max_size=3).flatmap(
        lambda parts: st.sampled_from((".", "_", "+")).map(lambda sep: sep.join(parts))
    )
    domain = st.lists(label, min_size=1, max_size=3).map(".".join)
    tld = st.sampled_from(("uk", "org.uk", "gov.uk", "com", "net"))
    return st.builds("{}@{}.{}".format, local, domain, tld)


@st.composite
def _grouped(draw: st.DrawFn, national: str) -> str:
    """A national number ("0" and 9 or 10 digits) written as people write it."""
    area_length = draw(st.integers(3, 5))
    area, rest = national[:area_length], national[area_length:]
    cut = draw(st.integers(0, len(rest) - 1))
    sep = draw(st.sampled_from((" ", "-", "")))
    local = rest[:cut] + sep + rest[cut:] if cut else rest
    form = draw(st.sampled_from(("plain", "brackets", "+44", "+44 (0)", "0044")))
    between = draw(st.sampled_from((" ", "-", "")))
    if form == "brackets":
        return f"({area}) {local}"
    if form == "plain":
        return area + between + local
    prefix = {"+44": "+44", "+44 (0)": "+44 (0)", "0044": "0044"}[form]
    space = draw(st.sampled_from((" ", "")))
    return prefix + space + area[1:] + between + local


def phones() -> st.SearchStrategy[str]:
    """Returns a strategy which generates UK mobile and landline numbers in everyday forms."""
    mobile = st.text("0123456789", min_size=9, max_size=9).map("07".__add__)
    landline = st.builds(
        "0{}{}".format,
        st.sampled_from("123"),
        st.text("0123456789", min_size=8, max_size=9),
    )
    return (mobile | landline).flatmap(_grouped)


def postcodes() -> st.SearchStrategy[str]:
    """Returns a strategy which generates full UK postcodes, in either case, spaced or not."""
    area = st.sampled_from(tuple(_AREAS_1)) | st.sampled_from(_AREAS_2)
    district = st.integers(1, 99).map(str) | st.builds(
        "{}{}".format, st.integers(1, 9), st.sampled_from("ABCDEFGHJKPSTUW")
    )
    inward = st.builds(
        "{}{}{}".format, st.integers(0, 9), st.sampled_from(_INWARD_LETTERS), st.sampled_from(_INWARD_LETTERS)
    )
    code = st.builds("{}{}{}{}".format, area, district, st.sampled_from((" ", "")), inward)
    return st.tuples(code, st.booleans()).map(lambda pair: pair[0].lower() if pair[1] else pair[0])


def ni_numbers() -> st.SearchStrategy[str]:
    """Returns a strategy which generates National Insurance numbers with allocated prefixes."""
    prefix = st.builds("{}{}".format, st.sampled_from(_NI_FIRST), st.sampled_from(_NI_SECOND)).filter(
        lambda p: p not in _NI_NOT_ALLOCATED
    )
    digits = st.text("0123456789", min_size=6, max_size=6)
    suffix = st.sampled_from(("", "A", "B", "C", "D"))
    spaced = st.booleans()

    def write(prefix: str, digits: str, suffix: str, spaced: bool) -> str:
        if spaced:
            return " ".join([prefix, digits[:2], digits[2:4], digits[4:], suffix]).strip()
        return prefix + digits + suffix

    return st.builds(write, prefix, digits, suffix, spaced)


def _written(day: date, form: int) -> str:
    month = _MONTHS[day.month - 1]
    return (
        day.strftime("%d/%m/%Y"),
        day.strftime("%d-%m-%y"),
        day.strftime("%d.%m.%Y"),
        day.isoformat(),
        f"{day.day} {month} {day.year}",
        f"{day.day} {month[:3]} {day.year}",
        f"{month} {day.day}, {day.year}",
        f"{day.day}/{day.month}/{day.year}",
    )[form]


def birth_dates() -> st.SearchStrategy[str]:
    """Returns a strategy which generates dates of birth in the forms UK forms and letters use."""
    return st.builds(_written, st.dates(date(1920, 1, 1), date(2025, 12, 31)), st.integers(0, 7))


#: Each identifier strategy with the kind the scanner must report.
IDENTIFIERS: dict[IdentifierKind, st.SearchStrategy[str]] = {
    IdentifierKind.EMAIL: emails(),
    IdentifierKind.PHONE: phones(),
    IdentifierKind.POSTCODE: postcodes(),
    IdentifierKind.NI_NUMBER: ni_numbers(),
    IdentifierKind.DATE: birth_dates(),
}


def any_identifier() -> st.SearchStrategy[tuple[IdentifierKind, str]]:
    """Returns a strategy which generates ``(kind, identifier)`` for every kind above."""
    return st.one_of([s.map(lambda text, k=kind: (k, text)) for kind, s in IDENTIFIERS.items()])


@st.composite
def embedded(draw: st.DrawFn) -> tuple[IdentifierKind, str, tuple[int, int]]:
    """An identifier set in ordinary text: ``(kind, text, (start, end))`` of the identifier."""
    kind, identifier = draw(any_identifier())
    before = draw(ordinary_text(max_size=3))
    after = draw(ordinary_text(max_size=3))
    head = before + draw(st.sampled_from(BEFORE)) if before else ""
    tail = draw(st.sampled_from(AFTER)) + after if after else ""
    return kind, head + identifier + tail, (len(head), len(head) + len(identifier))
