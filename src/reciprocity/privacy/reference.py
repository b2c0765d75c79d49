"""Reference fields: ids a caller chooses (case ids and the like), held to look like references.

A case id is shown in ``case show``, named in errors ("… has no Application Reference Code
yet"), written to logs and stored in every event, so it must never be a name or a personal
detail: ``Jane Doe AB123456C 1990-02-01`` is not an id. :func:`check_reference` (and the
pydantic type :data:`ReferenceId`) accept a value only if

1. it matches :data:`REFERENCE_PATTERN`: 1 to 64 characters, the first a letter or digit,
   the rest letters, digits, ``_``, ``.``, ``:`` and ``-`` (ASCII only; no spaces); and
2. :func:`~reciprocity.privacy.find_identifiers` finds nothing in it (an NI number such as
   ``AB123456C``, a date such as ``1990-02-01``, a postcode, a phone number, a titled name,
   a name the caller passes in ``known``), nor in it read with its underscores as the
   separators they stand for (a dash between two digits, a space elsewhere: the id-shaped
   ``ab_12_34_56_c``, ``me14_1xx``, ``07700_900_123`` and ``1990_02_01`` are an NI number,
   a postcode, a phone number and a date), except that a code mixing letters and digits,
   which the scanner reports in free text as a reference number, is what a reference field
   is for: it is accepted unless it holds a run of six or more digits (read as the scanner
   reads them, with dots and spaces between digits not breaking a run), which looks like an
   account, tenancy or phone number. So ``ref-2026-001``, ``KRP-2026-014``, ``case_17`` and
   ``partner:ashford_bc`` are accepted; ``T0012345``, ``12345678`` and ``ref.2026.001``
   are not. A bare name (``jane_doe``) passes unless the caller lists it in ``known``: no
   pattern tells a name from a word.

The library's own ids always pass, whatever digits they hold: a case id it draws
(``C-`` and ten upper-case hexadecimal digits, such as ``C-7A3F09B2C1``) and an Application
Reference Code (:func:`~reciprocity.privacy.is_arc`).

Refusals raise :class:`InvalidReferenceError`, whose message names the field and the rule and
never contains the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints, ValidationInfo
from pydantic_core import PydanticCustomError

from reciprocity.errors import ReciprocityError
from reciprocity.privacy.arc import is_arc
from reciprocity.privacy.identifiers import IdentifierKind, find_identifiers
from reciprocity.privacy.normalise import normalised, unspace_digits

__all__ = [
    "REFERENCE_MAX_LENGTH",
    "REFERENCE_PATTERN",
    "InvalidReferenceError",
    "ReferenceId",
    "check_reference",
]

#: The longest reference accepted.
REFERENCE_MAX_LENGTH = 64

#: What a reference looks like: 1–64 characters, starting with a letter or digit, then
#: letters, digits, ``_``, ``.``, ``:`` and ``-``; no spaces. Use with ``fullmatch``.
REFERENCE_PATTERN = re.compile(
    rf"[A-Za-z0-9][A-Za-z0-9_.:-]{{0,{REFERENCE_MAX_LENGTH - 1}}}"
)

#: A case id the library draws itself (lifecycle: ``"C-" + 5 random bytes in hex``).
_GENERATED_CASE_ID = re.compile(r"C-[0-9A-F]{10}")
_LONG_DIGIT_RUN = re.compile(r"\d{6,}")
_PHONE_LENGTH_RUN = re.compile(r"\d{10,}")

_RULE = (
    "must look like a reference (letters, digits and _ . : -, at most "
    f"{REFERENCE_MAX_LENGTH} characters), not a name or personal detail"
)


class InvalidReferenceError(ReciprocityError, ValueError):
    """A reference field whose value is not a reference; the message never repeats the value.

    ``field`` names the field, as given to :func:`check_reference`.
    """

    def __init__(self, field: str, why: str = "") -> None:
        self.field = field
        super().__init__(f"{field} {_RULE}" + (f": {why}" if why else ""))


_UNDERSCORES_BETWEEN_DIGITS = re.compile(r"(?<=\d)_+(?=\d)")
_UNDERSCORES = re.compile(r"_+")


def _readings(value: str) -> dict[str, re.Pattern[str]]:
    """``value`` as written and with its underscores read as the separators they stand for,
    each with the run of digits that makes it an account or phone number: with a dash between
    two digits and a space elsewhere (``1990_02_01`` is ``1990-02-01``, ``ref_2026_001`` stays a
    year and a number), six; and with a space everywhere (``me14_1xx`` is ``me14 1xx``), ten,
    since its digit groups then run together as spaced digits do (``ref 2026 001``)."""
    dashed = _UNDERSCORES.sub(" ", _UNDERSCORES_BETWEEN_DIGITS.sub("-", value))
    spaced = {value.replace("_", " "): _PHONE_LENGTH_RUN} if "_" in value else {}
    return {value: _LONG_DIGIT_RUN, dashed: _LONG_DIGIT_RUN} | spaced


def _problem(value: str, known: Iterable[str]) -> str | None:
    """Why ``value`` is not a reference ("" when it breaks the pattern), or None if it is one."""
    if not REFERENCE_PATTERN.fullmatch(value):
        return ""
    if _GENERATED_CASE_ID.fullmatch(value) or is_arc(value):
        return None
    for text, long_run in _readings(value).items():
        for hit in find_identifiers(text, known=known):
            if hit.kind is not IdentifierKind.REFERENCE:
                return f"it looks like {hit.kind.description}"
            if long_run.search(unspace_digits(normalised(text)).text):
                return "it holds six or more digits in a row, like an account or phone number"
    return None


def check_reference(value: str, field: str, *, known: Iterable[str] = ()) -> str:
    """``value`` if it is a reference (see the module docstring); else InvalidReferenceError.

    ``field`` names the field in the message ("case id"); ``known`` holds names and places
    the caller's system holds, refused in a reference as anywhere else. The message says
    what a reference looks like and, when the scanner found something, what kind of thing,
    never the value.
    """
    if not isinstance(value, str):
        raise InvalidReferenceError(field, "it must be text")
    if isinstance(known, str):
        known = (known,)
    problem = _problem(value, known)
    if problem is not None:
        raise InvalidReferenceError(field, problem)
    return value


class _Refused:
    """What a refused value becomes before pydantic reports it, so the error cannot hold it."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __repr__(self) -> str:
        return "<not a reference>"


def _screen(value: Any, info: ValidationInfo) -> Any:
    field = (info.field_name or "reference").replace("_", " ")
    context = info.context if isinstance(info.context, dict) else {}
    known = context.get("known", ())  # the key PartnerRequest reads (KNOWN_CONTEXT_KEY)
    try:
        check_reference(value, field, known=known)
    except InvalidReferenceError as error:
        return _Refused(str(error))
    return value


def _report(value: Any) -> Any:
    if isinstance(value, _Refused):
        raise PydanticCustomError("reference", value.message)
    return value


#: A model field holding a reference, checked by :func:`check_reference` under the field's
#: name (``case_id`` reads "case id must look like a reference …"), with any names in the
#: validation context's ``"known"`` list. The error never holds the value, even in a model
#: that does not hide its input. Not stripped of whitespace first: a reference has none.
ReferenceId = Annotated[
    str,
    StringConstraints(max_length=REFERENCE_MAX_LENGTH, pattern=rf"^{REFERENCE_PATTERN.pattern}$"),
    BeforeValidator(_report),
    BeforeValidator(_screen),
]
