"""Errors the library raises, each written for the person who meets it."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = [
    "SHOWN_PROBLEMS",
    "InputProblem",
    "InvalidInputError",
    "NoRulesInForceError",
    "ReciprocityError",
    "SchemeDefinitionError",
    "UnknownSchemeError",
]


class ReciprocityError(Exception):
    """Base class of every error this library raises on purpose."""


@attrs.frozen
class InputProblem:
    """One thing wrong with an input: where it is, what is wrong, and what to do.

    ``path`` is a dotted field path such as ``household.members[2].age``. Messages never
    repeat the offending value, because input may hold personal data.
    """

    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.path or "(top level)"
        text = f"{where}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


#: The most problems an error's message lists; the rest are counted ("and 12 more").
SHOWN_PROBLEMS = 10


class InvalidInputError(ReciprocityError, ValueError):
    """Input that failed validation; ``problems`` lists each field that is wrong (all of
    them; the message shows the first :data:`SHOWN_PROBLEMS` and counts the rest)."""

    def __init__(self, what: str, problems: Sequence[InputProblem]) -> None:
        self.what = what
        self.problems: tuple[InputProblem, ...] = tuple(problems)
        shown = self.problems[:SHOWN_PROBLEMS]
        lines = "\n".join(f"  - {p}" for p in shown)
        count = len(self.problems)
        if count > len(shown):
            lines += f"\n  - and {count - len(shown)} more"
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"invalid {what}: {count} {noun}\n{lines}")


class UnknownSchemeError(ReciprocityError, LookupError):
    """A scheme id that no loaded plugin provides."""

    def __init__(self, scheme_id: str, known: Sequence[str]) -> None:
        self.scheme_id = scheme_id
        self.known = tuple(known)
        listed = ", ".join(self.known) or "none are loaded"
        # The id asked for is not repeated: a mistyped field can hold anything, a name included.
        super().__init__(
            f"no scheme with this id is installed; known schemes: {listed} "
            "(run `reciprocity schemes` to list them)"
        )


class NoRulesInForceError(ReciprocityError, LookupError):
    """No rule of a scheme was in force on the date asked about."""


class SchemeDefinitionError(ReciprocityError):
    """A scheme plugin declared something inconsistent (a bug in the plugin, not in input)."""
