"""What the case-work and partnership routes share: a dated query parameter, a body's date
field, and the documentation of a problem response."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from pydantic import Field

from reciprocity.http.problems import MEDIA_TYPE, Problem
from reciprocity.model.base import EARLIEST_DATE, LATEST_DATE, InputDate

__all__ = ["DayQuery", "on_field", "problem_response"]

#: A required ``?on=`` date, strict as every input date is.
DayQuery = Annotated[InputDate, Query(description=f"The date (YYYY-MM-DD, {EARLIEST_DATE} to {LATEST_DATE}).")]


def on_field(what: str = "The date the event happened (YYYY-MM-DD).") -> Any:
    """A body's ``on`` field, described."""
    return Field(description=what)


def problem_response(status: int, description: str) -> dict[int | str, dict[str, Any]]:
    """One problem response for an operation's OpenAPI ``responses``."""
    return {status: {"description": description, "model": Problem, "content": {MEDIA_TYPE: {}}}}
