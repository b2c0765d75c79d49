"""Input at the boundary: documents validated and reported field by field (read safely by
:mod:`reciprocity.documents`, whose ``load_document`` this module re-exports)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from reciprocity.documents import load_document
from reciprocity.errors import InputProblem, InvalidInputError
from reciprocity.model.offer import Offer
from reciprocity.model.partner import Partner
from reciprocity.model.referral import Referral

__all__ = ["coerce_offer", "coerce_partner", "coerce_referral", "format_loc", "load_document", "problems_from",
           "problems_from_errors"]


#: Field names shown in errors; anything else (it could be data typed into a key) is not.
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")


#: What the person reads for each kind of validation error, in the project's words: the
#: message (what is wrong) and the hint (what to do). A kind not listed keeps pydantic's own
#: message, which names constraints but never the value (``hide_input_in_errors``).
_DATE_HINT = "write dates as YYYY-MM-DD, e.g. 2026-03-31"
_WORDS: dict[str, tuple[str | None, str]] = {
    "missing": ("is required", "add this field"),
    "extra_forbidden": ("holds a field this model does not have (its name is not repeated: it could be personal data)",
                        "remove it or check its spelling (`reciprocity schema` lists every field)"),
    "date_format": ("must be a date written YYYY-MM-DD", _DATE_HINT),
    "date_range": (None, "check the year"),
    "date_from_datetime_parsing": ("is not a real date", _DATE_HINT),
    "date_parsing": ("is not a real date", _DATE_HINT),
    "date_type": ("must be a date", _DATE_HINT),
    "date_from_datetime_inexact": ("must be a date without a time", _DATE_HINT),
    "enum": (None, "use one of the values listed"),
    "literal_error": (None, "use one of the values listed"),
    "bool_parsing": ("must be true or false", "write true or false, without quotes"),
    "bool_type": ("must be true or false", "write true or false, without quotes"),
    "int_parsing": ("must be a whole number", "write a number such as 2, without quotes"),
    "int_type": ("must be a whole number", "write a number such as 2, without quotes (not true or false)"),
    "int_from_float": ("must be a whole number", "write a number such as 2, without a decimal point"),
    "greater_than_equal": (None, "give a number in the range allowed"),
    "less_than_equal": (None, "give a number in the range allowed"),
    "string_type": ("must be text", "put the value in quotes"),
    "string_too_long": (None, "shorten it"),
    "string_too_short": (None, "give a value"),
    "string_pattern_mismatch": ("is not in the form this field takes", "see this field in `reciprocity schema`"),
    "too_long": (None, "give fewer items (`reciprocity schema` lists each list's maximum)"),
    "too_short": (None, "give at least one item"),
    "text_control": (None, "retype it as plain text (a pasted escape sequence or invisible character)"),
    "model_type": ("must be an object (a mapping of fields)", "give fields under it, one per line"),
    "model_attributes_type": ("must be an object (a mapping of fields)", "give fields under it, one per line"),
    "dict_type": ("must be an object (a mapping of fields)", "give fields under it, one per line"),
    "tuple_type": ("must be a list", "give a list, e.g. [thanet, dover]"),
    "list_type": ("must be a list", "give a list, e.g. [thanet, dover]"),
}


def format_loc(loc: tuple[str | int, ...]) -> str:
    """A pydantic location as a field path: ``('household', 'members', 2, 'age')`` →
    ``household.members[2].age``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = part if _IDENTIFIER.match(str(part)) else "<unrecognised field>"
            text += f".{name}" if text else name
    return text


def problems_from(error: ValidationError) -> list[InputProblem]:
    """Each validation error as a problem in the project's words; the offending values are
    never repeated, nor is the name of an unknown field (a key can be personal data: the
    problem is reported at the object holding it)."""
    return problems_from_errors(error.errors(include_input=False, include_url=False))


def problems_from_errors(errors: Iterable[Mapping[str, Any]]) -> list[InputProblem]:
    """:func:`problems_from` for pydantic's error records (``ValidationError.errors()``, or a
    web framework's validation errors with the same keys, their ``loc`` already relative to
    the document); only ``type``, ``loc`` and ``msg`` are read, never ``input``."""
    problems = []
    for item in errors:
        kind, loc = item["type"], tuple(item["loc"])
        message, hint = _WORDS.get(kind, (None, ""))
        if kind == "extra_forbidden":
            loc = loc[:-1]
        if kind == "string_pattern_mismatch" and "area" in format_loc(loc):
            hint = "use lower-case letters, digits and underscores for area ids"
        problems.append(InputProblem(format_loc(loc), message or _own_words(item["msg"]), hint))
    return problems


def _own_words(message: str) -> str:
    """pydantic's message as a clause after the field name ("String should have at most 64
    characters" → "should have at most 64 characters")."""
    for lead in ("Input should", "String should", "List should", "Tuple should", "Value should", "Value error,"):
        if message.startswith(lead):
            return message[len(lead.split()[0]) + 1:].strip() if lead != "Value error," else message[len(lead):].strip()
    return message[:1].lower() + message[1:]


def coerce_referral(referral: Referral | Mapping[str, Any]) -> Referral:
    """Return ``referral`` as a validated :class:`Referral`; a dict is validated first."""
    if isinstance(referral, Referral):
        return referral
    if not isinstance(referral, Mapping):
        raise InvalidInputError(
            "referral", [InputProblem("", f"expected an object, got {type(referral).__name__}",
                                      "give the referral as a mapping of fields")]
        )
    try:
        return Referral.model_validate(referral)
    except ValidationError as error:
        raise InvalidInputError("referral", problems_from(error)) from None


def coerce_offer(offer: Offer | Mapping[str, Any]) -> Offer:
    """Return ``offer`` as a validated :class:`Offer`; problems are reported under ``offer.``."""
    if isinstance(offer, Offer):
        return offer
    if not isinstance(offer, Mapping):
        raise InvalidInputError("offer", [InputProblem("offer", "must be an object", "give the offer as a mapping")])
    try:
        return Offer.model_validate(offer)
    except ValidationError as error:
        problems = [InputProblem(f"offer.{p.path}" if p.path else "offer", p.message, p.hint) for p in problems_from(error)]
        raise InvalidInputError("offer", problems) from None


def coerce_partner(partner: Partner | Mapping[str, Any]) -> Partner:
    """Return ``partner`` as a validated :class:`Partner`."""
    if isinstance(partner, Partner):
        return partner
    try:
        return Partner.model_validate(partner)
    except ValidationError as error:
        raise InvalidInputError("partner", problems_from(error)) from None
