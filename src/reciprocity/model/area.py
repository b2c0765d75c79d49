"""Areas (districts and boroughs) a scheme covers; schemes ship them as data."""

from __future__ import annotations

import tomllib
from importlib.resources.abc import Traversable

from pydantic import Field, TypeAdapter, ValidationError

from reciprocity.model.base import AreaId, BoundaryModel

__all__ = ["Area", "load_areas"]


class Area(BoundaryModel):
    """One local authority area: its id, its name, and the council that serves it."""

    id: AreaId = Field(description="The area's id, as rules, referrals and offers name it (ashford, medway).")
    name: str = Field(max_length=120, description="The area's name as readers see it.")
    council: str = Field(max_length=120, description="The local housing authority for the area.")
    unitary: bool = Field(False, description="A unitary authority rather than a district.")


_AREAS = TypeAdapter(tuple[Area, ...])


def load_areas(resource: Traversable) -> tuple[Area, ...]:
    """Read ``[[area]]`` tables from a TOML data file shipped with a scheme."""
    with resource.open("rb") as handle:
        data = tomllib.load(handle)
    try:
        return _AREAS.validate_python(data.get("area", []))
    except ValidationError as error:  # a packaging bug in the scheme, so say where
        raise ValueError(f"invalid area data in {resource.name}: {error}") from error
