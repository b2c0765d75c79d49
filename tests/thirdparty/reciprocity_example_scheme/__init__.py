"""An invented reciprocal scheme (``example``), shipped as a third-party plugin for the tests.

It describes no real scheme, organisation or person. It exists to prove that a scheme
published outside this repository is found through the ``reciprocity`` entry-point group
exactly like the built-in ones, and to make effective dating testable:

* rule ``example.tenure`` has two dated versions: from 2024-01-01 only social tenants
  qualify; from 2025-10-01 a household owed the main homelessness duty qualifies too;
* parameter ``minimum_dash_score`` has two dated values: 14 from 2024-01-01, 10 from
  2025-04-01;
* no rule is in force before 2024-01-01.

So the rule set in force changes on 2025-04-01 (parameter) and on 2025-10-01 (rule).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from reciprocity import Area, HomelessnessDuty, Scheme, hookimpl
from reciprocity.rules import Clause, Parameter, Rule, Source, fact, param

__all__ = [
    "AGREEMENT",
    "AREAS",
    "DASH_LOWERED",
    "LAUNCH",
    "SCHEME",
    "TENURE_WIDENED",
    "reciprocity_register_schemes",
]

#: The scheme starts: nothing is in force before this day.
LAUNCH = date(2024, 1, 1)
#: The DASH threshold drops from 14 to 10 on this day.
DASH_LOWERED = date(2025, 4, 1)
#: Households owed the main housing duty qualify from this day.
TENURE_WIDENED = date(2025, 10, 1)

AGREEMENT = Source(
    key="ex1",
    title="Example Boroughs Reciprocal Agreement (invented, for tests)",
    citation="Example MoU",
    file="example_mou.txt",
)


def clause(ref: str) -> Clause:
    return Clause(AGREEMENT, ref)


AREAS = (
    Area(id="north_example", name="North Example", council="North Example District Council (invented)"),
    Area(id="south_example", name="South Example", council="South Example Borough Council (invented)"),
)

PARAMETERS = (
    Parameter(
        name="scheme_areas",
        label="example scheme areas",
        description="Areas a household can ask to move to.",
        values=[(None, frozenset(a.id for a in AREAS))],
        clauses=clause("1.1"),
    ),
    Parameter(
        name="minimum_dash_score",
        label="minimum DASH score",
        description="The DASH score a referral needs; lowered by the 2025 review.",
        values=[(LAUNCH, 14), (DASH_LOWERED, 10)],
        clauses=clause("3.1"),
    ),
)

RULES = (
    Rule(
        id="example.tenure",
        clauses=clause("2.1"),
        statement="The household must hold a social tenancy.",
        require=fact("social_tenant").is_true(),
        passed="the household holds a social tenancy",
        failed="the household does not hold a social tenancy",
        effective_from=LAUNCH,
        effective_to=TENURE_WIDENED,
    ),
    Rule(
        id="example.tenure",
        clauses=[clause("2.1"), clause("2.2")],
        statement="The household must hold a social tenancy or be owed the main housing duty.",
        require=fact("social_tenant").is_true() | fact("homelessness.duty").eq(HomelessnessDuty.MAIN),
        passed="the household holds a social tenancy or is owed the main housing duty",
        failed="the household neither holds a social tenancy nor is owed the main housing duty",
        effective_from=TENURE_WIDENED,
    ),
    Rule(
        id="example.dash_score",
        clauses=clause("3.1"),
        statement="The DASH score must reach the scheme's minimum.",
        require=fact("risk.dash_score").ge(param("minimum_dash_score")),
        passed="the DASH score ({risk.dash_score}) reaches the minimum",
        failed="the DASH score ({risk.dash_score}) is below the minimum",
        effective_from=LAUNCH,
    ),
    Rule(
        id="example.requested_areas",
        clauses=clause("1.1"),
        statement="Every requested area must be in the scheme.",
        require=fact("requested_areas").non_empty() & fact("requested_areas").all_in(param("scheme_areas")),
        passed="the requested areas ({requested_areas}) are in the scheme",
        failed="the requested areas ({requested_areas}) must name at least one area, all in the scheme",
        effective_from=LAUNCH,
    ),
)

SCHEME = Scheme(
    id="example",
    title="Example Boroughs Reciprocal Agreement",
    summary="An invented scheme used to test plugin discovery and effective dating.",
    version="0.0.1",
    sources=(AGREEMENT,),
    areas=AREAS,
    rules=RULES,
    parameters=PARAMETERS,
)


@hookimpl
def reciprocity_register_schemes(register: Callable[[Scheme], None]) -> None:
    """Register the example scheme."""
    register(SCHEME)
