"""Shared configuration and helpers for the pydantic models at the library's boundary.

Strictness (issue 18): pydantic's lax mode turns ``true`` into 1, ``"yes"`` into True and a
Unix timestamp into a date; a caseworker would expect none of these. Every
:class:`BoundaryModel` therefore reads

- a whole number only from a whole number (never a bool, a float or text),
- yes/no only from ``true``/``false`` (never 1, 0 or text such as ``"false"``),
- a date only as a date or text written ``YYYY-MM-DD`` (never a number or a date-time), and
  only between :data:`EARLIEST_DATE` and :data:`LATEST_DATE`;
- text without control characters (other than a line break or a tab) and without invisible
  formatting characters (zero-width spaces, bidirectional marks), which can hide what a
  text says, or rewrite a terminal it is printed on.
"""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator, BaseModel, BeforeValidator, ConfigDict, Strict, StringConstraints, ValidationError, ValidationInfo,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = [
    "EARLIEST_DATE", "LATEST_DATE", "MAX_AREAS", "STORED", "AreaId", "BoundaryModel", "InputDate", "PartnerId", "check_date", "check_text",
    "plain_types",
    "raise_field_errors",
]

#: The most areas a list may name (a scheme has a few dozen at most).
MAX_AREAS = 100

#: The earliest and latest dates any input may hold (a date of birth, a referral, an event, a
#: report period); outside them a date is a typing mistake, and date arithmetic near the
#: calendar's ends would overflow.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date_input(value: Any) -> Any:
    """A date as written: a date, or text YYYY-MM-DD (the format is checked by pydantic after)."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        return value.strip()
    raise PydanticCustomError("date_format", "must be a date written YYYY-MM-DD")


#: The validation context under which stored records are read back: rules made for new input
#: (the date range, the text screen) do not make a record written before them unreadable.
STORED: dict[str, bool] = {"stored": True}


def _stored(info: ValidationInfo | None) -> bool:
    return bool(info is not None and isinstance(info.context, dict) and info.context.get("stored"))


def check_date(value: date | None, info: ValidationInfo | None = None) -> date | None:
    """``value`` if it lies between EARLIEST_DATE and LATEST_DATE; a ValueError otherwise."""
    if value is not None and not _stored(info) and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise PydanticCustomError("date_range", "must be between {earliest} and {latest}",
                                  {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()})
    return value


def check_text(value: str | None, info: ValidationInfo | None = None) -> str | None:
    """``value`` if it holds no control character (a line break and a tab aside) and no
    invisible formatting character; a validation error otherwise (never echoing the text).
    Stored records are read back as they are (the command line strips such characters)."""
    if value is not None and not _stored(info) and any(
        (unicodedata.category(c) == "Cc" and c not in "\n\t") or unicodedata.category(c) == "Cf" for c in value
    ):
        raise PydanticCustomError("text_control", "holds a control or invisible formatting character")
    return value


def _check_date_as(value: date | None, info: ValidationInfo) -> date | None:
    return check_date(value, info)


def _check_text_as(value: str | None, info: ValidationInfo) -> str | None:
    return check_text(value, info)


#: A date as every input takes it, for a value outside a model (a query parameter): a date or
#: text YYYY-MM-DD, from EARLIEST_DATE to LATEST_DATE; never a number or a date-time.
InputDate = Annotated[date, BeforeValidator(_date_input), AfterValidator(_check_date_as)]


def plain_types(annotation: Any) -> list[Any]:
    """The types of an annotation, ``None`` left out (``int | None`` → ``[int]``)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(annotation) if a is not type(None)]
    return [annotation]

#: An area (district or borough) id: lower-case letters, digits and underscores, e.g. ``tunbridge_wells``.
AreaId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]

#: A partner organisation's id, e.g. ``ashford_bc``; an organisation, never a person.
PartnerId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]


class BoundaryModel(BaseModel):
    """Base of every input model: unknown fields are refused and instances are immutable."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        use_enum_values=False,
        validate_default=True,
        # Build validators on first use, not at import: keeps `import reciprocity` fast.
        defer_build=True,
        # Input may hold personal data: keep it out of every validation error's text.
        hide_input_in_errors=True,
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Make every whole-number and yes/no field strict and every date field read only
        YYYY-MM-DD within the dates allowed (see the module's docstring)."""
        super().__pydantic_init_subclass__(**kwargs)
        changed = False
        for field in cls.model_fields.values():
            parts = plain_types(field.annotation)
            if parts and all(part in (int, bool) for part in parts):
                field.metadata.append(Strict())
                changed = True
            elif parts and all(part is date for part in parts):
                field.metadata[:0] = [BeforeValidator(_date_input)]
                field.metadata.append(AfterValidator(_check_date_as))
                changed = True
            elif parts == [str]:
                field.metadata.append(AfterValidator(_check_text_as))
                changed = True
        if changed:
            cls.model_rebuild(force=True)


def raise_field_errors(
    title: str, errors: Iterable[tuple[tuple[str | int, ...], str, str]]
) -> None:
    """Raise one ValidationError for cross-field problems, each at its own field path.

    Each error is ``(loc, error_type, message)``. Does nothing when there are none. The input
    value is never attached, so personal data cannot leak through the error.
    """
    details = [
        InitErrorDetails(type=PydanticCustomError(kind, message), loc=loc, input=None)
        for loc, kind, message in errors
    ]
    if details:
        raise ValidationError.from_exception_data(title, details)
