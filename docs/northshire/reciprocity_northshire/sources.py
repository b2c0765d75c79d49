"""The Northshire agreement as a source: how its clauses are cited, and its inventory."""

from __future__ import annotations

from reciprocity.rules import Clause, Source

__all__ = ["AGREEMENT", "clause"]

AGREEMENT = Source(
    key="ns1",
    title="Northshire Safe Moves Reciprocal: agreement (invented)",
    citation="Northshire agreement",
    file="agreement.md",
    clauses=(
        ("1.1", "purpose: who is helped to move, and from what harm"),
        ("1.2", "the home owed by the landlord the household leaves"),
        ("2.1", "the four districts"),
        ("2.2", "requested districts, not the current one"),
        ("3.1", "a social tenancy with a partner landlord"),
        ("3.2", "found at risk by a police officer or an IDVA"),
        ("3.3", "consent to share the referral"),
        ("3.4", "registration with the mobility scheme, from 1 April 2026"),
        ("4.1", "the lead approves after the check"),
        ("4.2", "circulated within a week of approval"),
        ("4.3", "answers within three, then five, working days"),
        ("4.4", "a suitable offer"),
        ("4.5", "the move and the home owed"),
        ("5.1", "the list of partners and their districts"),
    ),
)


def clause(ref: str) -> Clause:
    """Clause ``ref`` of the agreement (cited "Northshire agreement §4.2")."""
    return Clause(AGREEMENT, ref)
