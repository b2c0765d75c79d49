"""Rewriting free text before the identifier scan, so that a disguised identifier still shows.

An identifier can be written so that it reads the same to a person but slips past a pattern:
in full-width letters (``ｊａｎｅ＠ｅｘａｍｐｌｅ．ｏｒｇ``), with invisible characters inside
(``Ja<U+200B>ne``), its digits spaced out (``0 7 7 0 0 9 0 0 1 2 3``), its symbols spelled
(``jane dot doe at example dot com``) or its house number in words (``twelve Acacia Avenue``).
:func:`~reciprocity.privacy.find_identifiers` therefore scans a rewritten copy of the text,
and these functions make the copies. Each returns a :class:`Normalised`: the rewritten text
and, for each of its characters, the stretch of the *original* text it came from, so that a
hit found in the copy is reported at the characters the caller wrote.

:func:`normalised` (always applied)
    Unicode compatibility normalisation (NFKC: full-width and other compatibility forms
    become their plain letters, digits and symbols, ``＠`` becomes ``@``), with accents and
    other combining marks dropped (``José`` reads ``Jose``), every format character removed
    (Unicode category Cf: the zero-width space, non-joiner and joiner U+200B–U+200D, the
    word joiner U+2060, the byte-order mark U+FEFF, the soft hyphen U+00AD and the bidi
    marks and controls U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), digits of any script
    read as ``0``–``9``, and the Cyrillic and Greek letters that look like Latin ones read
    as those (``jаne`` with a Cyrillic ``а``). Names the caller knows go through the same
    rewriting, so they match however either was written.
:func:`unspace_digits`
    Whitespace, dots and dashes between two digits removed (``AB 1 2 3 4 5 6 C`` reads
    ``AB 123456 C``) in runs of digit groups holding :data:`MIN_RUN_DIGITS` (five) digits
    or more, except a dash between two groups of two or more digits, which is a range
    (``2024-25``, ``10.30-11.30``, ``KRP-2026-014``) and stays.
:func:`email_words_as_symbols`
    ``at`` and ``dot`` written as words, in brackets or with spaces (``at``, ``(at)``,
    ``[at]``, ``{at}``, `` @ ``, ``dot``, ``(dot)``, ``[dot]``) read as ``@`` and ``.``; the
    scanner then reports only an address whose last label is a real top-level label, so
    "she is at risk" stays ordinary text.
:func:`number_words_as_digits`
    The number words one to ninety-nine (``twelve``, ``twenty-one``, ``twenty one``) read as
    digits, for the address finders only; "one" only after flat, apartment, apt, unit or
    number, because "one more walk" is not an address.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from functools import lru_cache

import attrs

__all__ = [
    "MIN_RUN_DIGITS",
    "TOP_LEVEL_LABELS",
    "Normalised",
    "email_words_as_symbols",
    "normalised",
    "number_words_as_digits",
    "unspace_digits",
]


@attrs.frozen(slots=True)
class Normalised:
    """Text rewritten for scanning, and where each of its characters came from.

    ``text`` is the rewritten text; :meth:`span_in_original` says which stretch of
    ``original`` a stretch of it came from (a character written for several, or several
    written for one, stand for the whole stretch). ``changes`` are the stretches of ``text``
    (start, end) that the last rewriting wrote, in order; a removal is an empty stretch
    where it happened.
    """

    original: str
    text: str
    changes: tuple[tuple[int, int], ...] = ()
    #: For each change, the stretch of the parent's text it replaced.
    _replaced: tuple[tuple[int, int], ...] = attrs.field(default=(), repr=False)
    #: The text this one was rewritten from; None when that is the original.
    _parent: Normalised | None = attrs.field(default=None, repr=False)
    _change_starts: tuple[int, ...] = attrs.field(init=False, repr=False)

    @_change_starts.default
    def _starts(self) -> tuple[int, ...]:
        return tuple(start for start, _ in self.changes)

    @classmethod
    def unchanged(cls, text: str) -> Normalised:
        """``text`` as it is."""
        return cls(text, text)

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the original text that ``text[start:end]`` (not empty) came from."""
        return self._origin(start)[0], self._origin(end - 1)[1]

    def _origin(self, index: int) -> tuple[int, int]:
        """The stretch of the original text that character ``index`` came from."""
        change = bisect_right(self._change_starts, index) - 1
        if change < 0:
            position = index
        else:
            written_end = self.changes[change][1]
            start, end = self._replaced[change]
            if index < written_end:  # written by the rewriting: it stands for all it replaced
                if self._parent is None:
                    return start, end
                return self._parent.span_in_original(start, end)
            position = end + index - written_end
        if self._parent is None:
            return position, position + 1
        return self._parent._origin(position)

    def near_changes(self, before: int, after: int) -> list[tuple[int, int]]:
        """Stretches of ``text`` from ``before`` characters ahead of each change to ``after``
        past it, widened to whitespace (or the ends) and merged."""
        text, regions = self.text, []
        for a, b in self.changes:
            start = max(0, a - before)
            while start and not text[start - 1].isspace():
                start -= 1
            end = _NO_SPACE.match(text, min(len(text), b + after)).end()
            if regions and start <= regions[-1][1]:
                regions[-1] = (regions[-1][0], max(end, regions[-1][1]))
            else:
                regions.append((start, end))
        return regions

    def involves_change(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` holds or spans anything the last rewriting wrote."""
        for a, b in self.changes:
            if a >= end:
                break
            if (start < b and a < end) if a < b else start < a < end:
                return True
        return False


_NO_SPACE = re.compile(r"\S*")


def _rewritten(source: Normalised, edits: Iterable[tuple[int, int, str]]) -> Normalised:
    """``source`` with each ``(start, end, new)`` (sorted, not overlapping) replaced by ``new``."""
    text = source.text
    pieces: list[str] = []
    changes: list[tuple[int, int]] = []
    replaced: list[tuple[int, int]] = []
    length = position = 0
    for start, end, new in edits:
        pieces.append(text[position:start])
        pieces.append(new)
        length += start - position
        changes.append((length, length + len(new)))
        replaced.append((start, end))
        length += len(new)
        position = end
    if not changes:
        return source
    pieces.append(text[position:])
    parent = source if source.changes or source._parent is not None else None
    return Normalised(source.original, "".join(pieces), tuple(changes), tuple(replaced), parent)


# --- normalise ------------------------------------------------------------------------------

#: Cyrillic and Greek letters drawn like Latin ones (the common part of Unicode's confusables).
_LOOK_ALIKES = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеѕіјорсхуԁԛԝһӏ"
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιν",
    "ABESIJKMHOPCTXYaesijopcxydqwhl"
    "ABEZHIKMNOPTYXoiv",
)
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
_DROPPED = frozenset({"Mn", "Me", "Cf"})


@lru_cache(maxsize=4096)
def _folded(character: str) -> str:
    if unicodedata.category(character) == "Cf":
        return ""
    kept = []
    for part in unicodedata.normalize("NFKD", character):
        category = unicodedata.category(part)
        if category in _DROPPED:
            continue
        kept.append(str(unicodedata.decimal(part)) if category == "Nd" else part)
    return unicodedata.normalize("NFC", "".join(kept)).translate(_LOOK_ALIKES)


def normalised(text: str) -> Normalised:
    """``text`` in compatibility form, without marks or invisible characters (see above)."""
    plain = Normalised.unchanged(text)
    if text.isascii():
        return plain
    edits = []
    for run in _NOT_ASCII.finditer(text):
        for index in range(run.start(), run.end()):
            folded = _folded(text[index])
            if folded != text[index]:
                edits.append((index, index + 1, folded))
    return _rewritten(plain, edits)


# --- digits ---------------------------------------------------------------------------------

_DASHES = r"\-\u2010-\u2015\u2212"  # hyphen-minus, the Unicode hyphens and dashes, minus
_BETWEEN_DIGITS = re.compile(rf"(?<!\d)(\d++)([\s.·{_DASHES}]++)(?=(\d+))")
_DASH = re.compile(rf"[{_DASHES}]")


#: A run of digit groups with fewer digits than this in all is left alone: nothing the scanner
#: looks for hides in it (an NI number has six, a phone number ten or eleven), and "aged 34 9
#: and 6" stays apart.
MIN_RUN_DIGITS = 5

_Spans = Sequence[tuple[int, int]]


def unspace_digits(source: Normalised, *, covered: _Spans = (), keep: _Spans = ()) -> Normalised:
    """``source`` with the separators between digits removed, as described above.

    Only runs of digit groups holding at least :data:`MIN_RUN_DIGITS` digits are joined. A
    run wholly inside a stretch of ``covered`` (positions in the original text, such as what
    the scanner already reported) is left as it is, and so is one touching a stretch of
    ``keep`` (positions in ``source.text``, such as an Application Reference Code).
    """
    runs: list[list] = []  # [start, start of its last group, end, digits, separators]
    for match in _BETWEEN_DIGITS.finditer(source.text):
        before, separator, after = match.groups()
        if len(before) >= 2 and len(after) >= 2 and _DASH.search(separator):
            continue  # a range, which ends the run
        if runs and runs[-1][1] == match.start(1):
            run = runs[-1]
        else:
            run = [match.start(1), 0, 0, len(before), []]
            runs.append(run)
        run[1:4] = match.start(3), match.end(3), run[3] + len(after)
        run[4].append(match.span(2))
    edits = []
    for start, _, end, digits, separators in runs:
        if digits < MIN_RUN_DIGITS or any(a <= end and start <= b for a, b in keep):
            continue
        first, last = source.span_in_original(start, end)
        if any(a <= first and last <= b for a, b in covered):
            continue
        edits.extend((a, b, "") for a, b in separators)
    return _rewritten(source, edits)


# --- e-mail words ---------------------------------------------------------------------------

#: The labels (top-level, and second-level such as ``co`` and ``gov``) an e-mail address
#: spelled out in words must end in to be reported, so that "at" and "dot" in a sentence are
#: not taken for one.
TOP_LEVEL_LABELS = frozenset(
    "com org net uk co gov nhs ac io me info biz edu sch police mod ltd plc eu ie us ca au nz "
    "de fr es nl int mil scot wales cymru london email online app dev ai tv cc gg je im".split()
)

# The word or bracketed form, found from its first character (fast); the spaces around it are
# taken in afterwards.
_EMAIL_WORD = re.compile(
    r"\s(?:at|dot)(?=\s)|\s@|@(?=\s)|[(\[{<]\s*(?:at|@|dot)\s*[)\]}>]", re.IGNORECASE
)
_SPACES_AFTER = re.compile(r"\s*")


def email_words_as_symbols(source: Normalised) -> Normalised:
    """``source`` with ``at`` and ``dot`` in words, brackets or spaces read as ``@`` and ``.``."""
    text = source.text
    edits: list[tuple[int, int, str]] = []
    for match in _EMAIL_WORD.finditer(text):
        start, end = match.span()
        floor = edits[-1][1] if edits else 0
        if start < floor:  # its space is the last one's: a word after "at" ("a at at.com")
            continue
        while start > floor and text[start - 1].isspace():
            start -= 1
        end = _SPACES_AFTER.match(text, end).end()
        edits.append((start, end, "." if "o" in match[0].lower() else "@"))
    return _rewritten(source, edits)


# --- number words ---------------------------------------------------------------------------

_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_VALUES = (
    {word: n for n, word in enumerate(_UNITS, start=1)}
    | {word: n for n, word in enumerate(_TEENS, start=10)}
    | {tens: 10 * n for n, tens in enumerate(_TENS, start=2)}
    | {f"{tens}-{unit}": 10 * n + u
       for n, tens in enumerate(_TENS, start=2) for u, unit in enumerate(_UNITS, start=1)}
)
_WORD = re.compile(r"[\w'’-]+")
#: Every number word above holds one of these (a quick test before reading the words).
_STEMS = "one two thr four five six seven eigh nine ten eleven twel fif twenty forty".split()
_SPACE = re.compile(r"\s+")
_ONE_AFTER = re.compile(r"(?:flat|apartment|apt|unit|number)\.?\s+$", re.IGNORECASE)


def number_words_as_digits(source: Normalised) -> Normalised:
    """``source`` with the number words one to ninety-nine written in digits."""
    text = source.text
    lowered = text.lower()
    if not any(stem in lowered for stem in _STEMS):
        return source
    edits: list[tuple[int, int, str]] = []
    words = list(_WORD.finditer(text))
    skip = -1
    for index, word in enumerate(words):
        value = _VALUES.get(word[0].lower())
        if value is None or index <= skip:
            continue
        start, end = word.span()
        if value == 1 and not _ONE_AFTER.search(text, max(0, start - 12), start):
            continue
        if value % 10 == 0 and value >= 20 and index + 1 < len(words):
            unit = words[index + 1]  # "twenty one"
            if _VALUES.get(unit[0].lower(), 10) < 10 and _SPACE.fullmatch(text, end, unit.start()):
                value, end, skip = value + _VALUES[unit[0].lower()], unit.end(), index + 1
        edits.append((start, end, str(value)))
    return _rewritten(source, edits)
