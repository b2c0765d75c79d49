"""Every clause of the KRS joint statement (doc 003), and why some are not encoded.

The inventory lists the opening paragraphs, points 1-16 and Appendix 1 in order, in a few
words of our own. ``not_encoded`` gives, for each clause that no rule, parameter,
interpretation, process step or partnership field cites, the reason.
``tests/test_traceability.py`` checks both against the text and the scheme; the
traceability table of ``docs/schemes/kent_krs.md`` is generated from them.
"""

from __future__ import annotations

from reciprocity.rules import Clause, Source

__all__ = ["JOINT_STATEMENT_CLAUSES", "not_encoded"]

JOINT_STATEMENT_CLAUSES = (
    ("opening paragraphs", "purpose and aim: the twelve Kent councils, not Medway",
     "The purpose of this reciprocal scheme"),
    ("1", "applicants of any tenure, homeless or threatened, at risk"),
    ("2", "Part 6 allocation: register, highest band, review after three months"),
    ("3", "a council without stock liaises with registered providers"),
    ("4", "the referring council makes the offer"),
    ("5", "allocation under the receiving council's policy, with discretion"),
    ("6", "telling applicants; the referring council keeps the duty"),
    ("7", "when the scheme applies: a duty and one of three circumstances"),
    ("8", "unsafe areas established; the applicant's preferences"),
    ("9", "only safe councils are e-mailed"),
    ("10", "a council that can help replies to the whole group"),
    ("11", "all information sent before final acceptance"),
    ("12", "a written final Part 6 offer by the referring council"),
    ("13", "the result of the viewing"),
    ("14", "ending the duty and recording it in H-CLIC"),
    ("15", "records of referrals made and received"),
    ("16", "monitoring by KHOG; annual review (first due September 2021)"),
    ("Appendix 1", "one named contact per council", "Appendix 1"),
)

_NOT_ENCODED = (
    ("3", "how a council without stock finds a home with a registered provider is its own arrangement: "
     "no rule; the receiving council's role covers its registered provider"),
)


def not_encoded(statement: Source) -> tuple[tuple[Clause, str], ...]:
    """The clauses nothing encodes, each with the reason."""
    return tuple((Clause(statement, ref), why) for ref, why in _NOT_ENCODED)
