"""Three-valued (Kleene) logic: True, False, or None for "cannot tell without more facts"."""

from __future__ import annotations

from typing import Final

__all__ = ["MISSING", "Missing", "Tri"]

#: A three-valued truth: ``True``, ``False`` or ``None`` (unknown).
Tri = bool | None


class Missing:
    """The value of a fact nobody has supplied. Falsy, and equal only to itself."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        return "MISSING"


#: The single value that marks a fact as not supplied.
MISSING: Final = Missing()
