"""The Northshire Safe Moves Reciprocal's rules, as data (an invented scheme).

Everything here is built from the public names of ``reciprocity``; the clauses cited are
those of ``agreement.md`` beside this module.
"""

from __future__ import annotations

from datetime import date
from importlib.resources import files
from typing import Any

from pydantic import Field

from reciprocity.model import VAWG_HARMS, Assessor, Referral, load_areas
from reciprocity.partnership import LedgerKind, Partnership
from reciprocity.rules import (
    MISSING,
    FactContext,
    FactSpec,
    Interpretation,
    Parameter,
    Rule,
    Scheme,
    SchemeFields,
    SchemeHarm,
    common,
    fact,
    param,
)
from reciprocity.sizes import SizeStandard

from .process import PROCESS, PROCESS_FROM_APRIL_2026
from .sources import AGREEMENT, clause

__all__ = ["MOBILITY_RULE_STARTS", "SCHEME", "NorthshireFields"]

#: Registration with the mobility scheme is required for referrals from this day (3.4).
MOBILITY_RULE_STARTS = date(2026, 4, 1)


AREAS = load_areas(files(__package__).joinpath("areas.toml"))

#: Two harms the agreement names that the core's HarmType does not (1.1).
HATE_CRIME = SchemeHarm("hate_crime", "hate crime", clause("1.1"))
GANG_VIOLENCE = SchemeHarm("gang_violence", "gang violence", clause("1.1"))


class NorthshireFields(SchemeFields):
    """What the agreement asks that the core referral does not record. A referral gives them
    under ``extensions.northshire``; rules read them as ``northshire.<field>``."""

    consent_to_share: bool | None = Field(
        None, title="the household agreed to share its referral",
        description="whether the household has agreed that its referral may be shared with partner landlords",
    )
    mobility_scheme_registered: bool | None = Field(
        None, title="the household is registered with the Northshire Mobility Scheme",
        description="whether the household is registered with the Northshire Mobility Scheme",
    )


def away_from_current(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
    """Whether no requested district is the one the household lives in now (2.2)."""
    if referral.current_area is None or not referral.requested_areas:
        return MISSING
    return referral.current_area not in referral.requested_areas


#: A fact worked out from other facts: the scheme says how, and which fields it reads.
FACTS = (
    FactSpec(
        name="northshire.away_from_current",
        label="no requested district is the current one",
        question="which district the household lives in now, and which it asks for",
        compute=away_from_current,
        kind="flag",
        derived=True,
        reads=("current_area", "requested_areas"),
    ),
)

PARAMETERS = (
    Parameter(
        name="scheme_areas",
        label="Northshire districts",
        description="The districts a household can ask to move to (2.1).",
        values=[(None, frozenset(a.id for a in AREAS))],
        clauses=clause("2.1"),
    ),
    Parameter(
        name="qualifying_harms",
        label="harms the agreement covers",
        description="Domestic abuse, sexual violence and the other VAWG strands, hate crime and gang violence (1.1).",
        values=[(None, frozenset({*VAWG_HARMS, HATE_CRIME.value, GANG_VIOLENCE.value}))],
        clauses=clause("1.1"),
    ),
    Parameter(
        name="qualifying_assessors",
        label="assessors the agreement accepts",
        description="A police officer or an independent domestic violence adviser (3.2).",
        values=[(None, frozenset({Assessor.POLICE, Assessor.IDVA}))],
        clauses=clause("3.2"),
    ),
    Parameter(
        name="size_standard",
        label="size standard for offers",
        description="How 'large enough' is measured (4.4): the social sector size criteria.",
        values=[(None, SizeStandard.SOCIAL_SECTOR_SIZE_CRITERIA)],
        clauses=clause("4.4"),
    ),
    Parameter(
        name="overcrowding_allowance",
        label="bedrooms an offer may fall short",
        description="None: an offer must have at least the bedrooms the household needs (4.4).",
        values=[(None, 0)],
        clauses=clause("4.4"),
    ),
)

RULES = (
    Rule(
        id="northshire.social_tenant",
        clauses=clause("3.1"),
        statement="The household must hold a social tenancy.",
        require=fact("social_tenant").is_true(),
        passed="the household holds a social tenancy",
        failed="the household does not hold a social tenancy",
    ),
    Rule(
        id="northshire.harm",
        clauses=[clause("1.1"), clause("3.2")],
        statement="The harm must be domestic abuse, sexual violence, another VAWG strand, hate crime or gang violence.",
        require=fact("risk.harm_types").any_in(param("qualifying_harms")),
        passed="the harm recorded ({risk.harm_types}) is one the agreement covers",
        failed="the harm recorded ({risk.harm_types}) is not one the agreement covers",
    ),
    Rule(
        id="northshire.assessed_at_risk",
        clauses=clause("3.2"),
        statement="A police officer or an IDVA must have found the tenant at risk.",
        require=fact("risk.assessed_by").one_of(param("qualifying_assessors")) & fact("risk.at_risk").is_true(),
        passed="a police officer or an IDVA ({risk.assessed_by}) has found the tenant at risk",
        failed="no police officer or IDVA has found the tenant at risk (assessed by: {risk.assessed_by})",
    ),
    Rule(
        id="northshire.consent_to_share",
        clauses=clause("3.3"),
        statement="The household must have agreed that its referral may be shared with partner landlords.",
        require=fact("northshire.consent_to_share").is_true(),
        passed="the household has agreed to share its referral",
        failed="the household has not agreed to share its referral, so it cannot be circulated",
    ),
    Rule(
        id="northshire.mobility_registered",
        clauses=clause("3.4"),
        statement="From 1 April 2026 the household must be registered with the Northshire Mobility Scheme.",
        require=fact("northshire.mobility_scheme_registered").is_true(),
        passed="the household is registered with the Northshire Mobility Scheme",
        failed="the household is not registered with the Northshire Mobility Scheme",
        effective_from=MOBILITY_RULE_STARTS,
    ),
    Rule(
        id="northshire.requested_areas",
        clauses=[clause("2.1"), clause("2.2")],
        statement="The household must ask for at least one Northshire district, all of them in the scheme.",
        require=fact("requested_areas").non_empty() & fact("requested_areas").all_in(param("scheme_areas")),
        passed="the requested districts ({requested_areas}) are in the scheme",
        failed="the requested districts ({requested_areas}) must name at least one Northshire district",
    ),
    Rule(
        id="northshire.moves_district",
        clauses=clause("2.2"),
        statement="The household must not ask for the district it lives in now.",
        require=fact("northshire.away_from_current").is_true(),
        passed="the requested districts are all away from the current one",
        failed="the requested districts include the one the household lives in now ({current_area})",
    ),
)

OFFER_RULES = (
    common.offer_in_requested_area("northshire", clause("4.4")),
    common.offer_not_in_unsafe_area("northshire", clause("4.4")),
    common.offer_size("northshire", clause("4.4")),
)

INTERPRETATIONS = (
    Interpretation(
        id="northshire.consent_before_circulation",
        clauses=clause("3.3"),
        question="Is consent to share a condition of eligibility, or only of circulation?",
        choice="Of eligibility: without it the referral is not eligible (or needs information when not recorded).",
        reason="The request cannot go to partners without it, so a case without consent could never move.",
    ),
)

SCHEME = Scheme(
    id="northshire",
    title="Northshire Safe Moves Reciprocal (invented)",
    summary="Partner landlords help social tenants at risk of domestic abuse, sexual violence, hate crime or "
    "gang violence to move to another Northshire district; the landlord left owes a home.",
    version="1.0.0",
    sources=(AGREEMENT,),
    areas=AREAS,
    rules=RULES,
    offer_rules=OFFER_RULES,
    facts=FACTS,
    parameters=PARAMETERS,
    interpretations=INTERPRETATIONS,
    referral_fields=NorthshireFields,
    harm_types=(HATE_CRIME, GANG_VIOLENCE),
    process=PROCESS,
    process_changes=((MOBILITY_RULE_STARTS, PROCESS_FROM_APRIL_2026),),
    partnership=Partnership(ledger=LedgerKind.PROPERTIES, ledger_clauses=[clause("1.2"), clause("4.5")],
                            register=[clause("5.1")]),
)
