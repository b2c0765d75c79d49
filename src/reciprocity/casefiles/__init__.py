"""Readable test cases: a referral, the outcome a scheme should reach, and the clauses that decide it.

A policy officer writes a case in YAML without Python (the format is in docs/test-cases.md);
``reciprocity test PATH`` and pytest (``tests/cases/conftest.py``) run them. A case file holds
one case (a mapping) or several (a list of mappings)::

    name: a police-only assessment does not meet §3.2
    scheme: kent_rp
    clause: Kent RP MoU §3.2 (first condition)
    referral:
      base: ../../../examples/kent_rp_referral.json
      changes:
        risk.assessed_by: police
    expect:
      outcome: ineligible
      decided_by: [assessed_at_risk]
      findings: {assessed_at_risk: not_met}
      others: met

A file that is not a case file at all (not YAML, or neither a case nor a list of cases) raises
:class:`~reciprocity.errors.InvalidInputError` naming the file. A case in it that is not valid
(a wrong field, or a referral its changes make invalid) is read as an :class:`InvalidCase`
naming each wrong field, and the file's other cases are read as usual. Running a case gives a
:class:`CaseResult` listing every expectation that differs, each with the actual finding's
sentence (a case dated before its scheme's rules are in force fails with that reason);
referral values are never shown other than through those sentences.

``expect.missing`` names the referral fields the decision must ask for, as a user fills them
(``tenancy``, ``risk.assessed_by``, ``nominating_partner.membership``): the fields the missing
facts are read from (:attr:`~reciprocity.rules.facts.FactSpec.fields`). The facts' own names
(``social_tenant``), which earlier versions took, are still accepted.

The modules: ``model`` (the cases and their results), ``reading`` (case files and the
referrals their cases build) and ``running`` (deciding a case and comparing).
"""

from reciprocity.casefiles.model import CaseResult, Difference, InvalidCase, TestCase
from reciprocity.casefiles.reading import case_files, load_cases
from reciprocity.casefiles.running import run_case

__all__ = [
    "CaseResult",
    "Difference",
    "InvalidCase",
    "TestCase",
    "case_files",
    "load_cases",
    "run_case",
]
