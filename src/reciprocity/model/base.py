"""Shared configuration and helpers for the pydantic models at the library's boundary."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = ["AreaId", "BoundaryModel", "PartnerId", "raise_field_errors"]

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
