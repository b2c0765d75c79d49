"""Every clause of the draft Cambridgeshire MoU (doc 001), and why some are not encoded.

The inventory lists sections 1-5 and footnote 1 in order, in a few words of our own.
``not_encoded`` gives, for each clause that no rule, parameter, interpretation, process
step or partnership field cites, the reason. ``tests/test_traceability.py`` checks both
against the text and the scheme; the traceability table of
``docs/schemes/cambridgeshire.md`` is generated from them.
"""

from __future__ import annotations

from reciprocity.rules import Clause, Source

__all__ = ["MOU_CLAUSES", "not_encoded"]

MOU_CLAUSES = (
    ("1", "rationale and scope: who is moved, when, and the owed home"),
    ("2", "the partner organisations"),
    ("3", "roles and responsibilities of the specialist service and partners"),
    ("footnote 1", "the VAWG strands"),
    ("4", "governance: senior managers; conflicts escalated"),
    ("5", "authorisation: not a formal undertaking"),
)

_NOT_ENCODED = (
    ("4", "oversight by senior managers and escalation of conflicts: outside the case process, no rule"),
)


def not_encoded(mou: Source) -> tuple[tuple[Clause, str], ...]:
    """The clauses nothing encodes, each with the reason."""
    return tuple((Clause(mou, ref), why) for ref, why in _NOT_ENCODED)
