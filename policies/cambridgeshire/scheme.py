"""The Cambridgeshire Housing Reciprocal Agreement's eligibility rules, as data."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from reciprocity.model import VAWG_HARMS, PartnerKind, Referral, SubjectRole, Tenure, load_areas
from reciprocity.partnership import LedgerKind, Partnership
from reciprocity.rules import (
    MISSING,
    Clause,
    FactContext,
    FactSpec,
    Interpretation,
    Parameter,
    Rule,
    Scheme,
    Source,
    common,
    fact,
    param,
)
from reciprocity.sizes import SizeStandard
from reciprocity.tenancy_security import ENGLAND_SECURITY

from .process import build_process
from .simulation import SIMULATION
from .traceability import MOU_CLAUSES, not_encoded

__all__ = ["MOU", "SCHEME"]

MOU = Source(
    key="001",
    title="Cambridgeshire Housing Reciprocal Agreement: Memorandum of Understanding (draft)",
    citation="Cambridgeshire MoU (draft)",
    file="001_c1c7b199d9a53274.txt",
    note="A draft; undated. Sections 1-5 and footnote 1 (the VAWG strands).",
    clauses=MOU_CLAUSES,
)


def mou(ref: str) -> Clause:
    return Clause(MOU, ref)


AREAS = load_areas(files(__package__).joinpath("areas.toml"))


def moves_la_area(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
    """True when every requested area is a different local authority area from the current one."""
    if referral.current_area is None or not referral.requested_areas:
        return MISSING
    return referral.current_area not in referral.requested_areas


FACTS = (
    FactSpec(
        name="moves_la_area",
        label="every requested area is outside the current local authority area",
        question="the current area and the areas requested",
        compute=moves_la_area,
        kind="flag",
        derived=True,
        reads=("current_area", "requested_areas"),
    ),
)

PARAMETERS = (
    Parameter(
        name="size_standard",
        label="size standard for an equal-size property",
        description="How 'an equal size property' is measured: the bedrooms the household needs under "
        "this standard.",
        values=[(None, SizeStandard.SOCIAL_SECTOR_SIZE_CRITERIA)],
        clauses=[mou("1")],
    ),
    Parameter(
        name="tenancy_security",
        label="security of tenure scale",
        description=ENGLAND_SECURITY.description + " The move keeps a social tenancy; an offer should not "
        "downgrade it.",
        values=ENGLAND_SECURITY.values,
        clauses=[mou("1")],
    ),
    Parameter(
        name="overcrowding_allowance",
        label="bedrooms an offer may fall short",
        description="How many bedrooms below the household's need an offer may be; 0 means an offer must "
        "meet the need in full.",
        values=[(None, 0)],
        clauses=[mou("1")],
    ),
    Parameter(
        name="scheme_areas",
        label="Cambridgeshire council areas",
        description="Areas a household can live in and ask to move to: the five Cambridgeshire districts.",
        values=[(None, frozenset(a.id for a in AREAS))],
        clauses=[mou("1"), mou("3")],
    ),
)

_NON_TENANT = fact("tenure").eq(Tenure.NON_TENANT_PRIORITY_NEED)
# A household that holds a social tenancy is not a non-tenant, whatever the tenure field says.
_NON_TENANT_APPLICANT = fact("social_tenant").is_false() & _NON_TENANT

RULES = (
    Rule(
        id="cambridgeshire.originating_partner",
        clauses=[mou("1"), mou("2")],
        statement="The originating partner must be a local authority or a registered provider.",
        require=fact("nominator.kind").one_of({PartnerKind.LOCAL_AUTHORITY, PartnerKind.REGISTERED_PROVIDER}),
        passed="the originating partner is a {nominator.kind}",
        failed="the originating partner is a {nominator.kind}; only a local authority or registered provider "
        "can originate a move and owe a property",
    ),
    Rule(
        id="cambridgeshire.vawg_harm",
        clauses=[mou("1"), mou("footnote 1")],
        statement="The case must concern domestic abuse, sexual violence or another VAWG strand.",
        require=fact("risk.harm_types").any_in(VAWG_HARMS),
        passed="the case concerns {risk.harm_types}",
        failed="the harm recorded ({risk.harm_types}) is not domestic abuse, sexual violence or another VAWG strand",
    ),
    Rule(
        id="cambridgeshire.at_risk",
        clauses=mou("1"),
        statement="A survivor must have been found at risk of harm.",
        when=fact("subject_role").ne(SubjectRole.PERPETRATOR),
        require=fact("risk.at_risk").is_true(),
        passed="the survivor has been found at risk of harm",
        failed="the risk assessment did not find the survivor at risk of harm",
        not_applicable="the person to move is the perpetrator",
    ),
    Rule(
        id="cambridgeshire.social_tenancy",
        clauses=mou("1"),
        statement="The household must hold a social tenancy, or be a non-tenant in priority need or due to "
        "receive one.",
        require=fact("social_tenant").is_true() | _NON_TENANT,
        passed="the household holds a social tenancy or is a non-tenant in priority need",
        failed="the household neither holds a social tenancy nor is a non-tenant in priority need or due one",
    ),
    Rule(
        id="cambridgeshire.non_tenant_lead_discretion",
        clauses=mou("1"),
        statement="A non-tenant can apply only at the originating partner's lead's discretion.",
        when=_NON_TENANT_APPLICANT,
        require=fact("lead_discretion_granted").is_true(),
        passed="the originating partner's lead has accepted the non-tenant referral at their discretion",
        failed="the originating partner's lead has not used their discretion to accept a non-tenant",
        not_applicable="the household is not a non-tenant applicant",
    ),
    Rule(
        id="cambridgeshire.non_tenant_owes_property",
        clauses=mou("1"),
        statement="For a non-tenant, the originating partner must agree to owe a social home to the scheme.",
        when=_NON_TENANT_APPLICANT,
        require=fact("agrees_to_owe_property").is_true(),
        passed="the originating partner agrees to owe a social home in return",
        failed="the originating partner has not agreed to owe a social home in return",
        not_applicable="the household is not a non-tenant applicant",
    ),
    Rule(
        id="cambridgeshire.perpetrator_assessed_safe",
        clauses=mou("1"),
        statement="A perpetrator can be moved only when the move has been assessed as safe.",
        when=fact("subject_role").eq(SubjectRole.PERPETRATOR),
        require=fact("perpetrator_move_assessed_safe").is_true(),
        passed="the perpetrator's move has been assessed as safe",
        failed="the perpetrator's move has not been assessed as safe",
        not_applicable="the person to move is not a perpetrator",
    ),
    Rule(
        id="cambridgeshire.lives_in_cambridgeshire",
        clauses=mou("3"),
        statement="The household must live in Cambridgeshire now.",
        require=fact("current_area").one_of(param("scheme_areas")),
        passed="the household lives in {current_area}, in Cambridgeshire",
        failed="the household lives in {current_area}, outside the Cambridgeshire council areas",
    ),
    Rule(
        id="cambridgeshire.moves_la_area",
        clauses=[mou("1"), mou("3")],
        statement="The household must need to move to another local authority area.",
        require=fact("moves_la_area").is_true(),
        passed="every requested area is outside the current area ({current_area})",
        failed="a requested area is the current area ({current_area}); the reciprocal is for moves to "
        "another local authority area",
    ),
    Rule(
        id="cambridgeshire.own_stock_cannot_manage",
        clauses=mou("1 (last paragraph)"),
        statement="The originating partner must be unable to manage the risk within its own stock.",
        require=fact("own_stock_exhausted").is_true(),
        passed="the originating partner cannot manage the risk within its own stock",
        failed="the originating partner has not shown it cannot manage the risk within its own stock",
    ),
    Rule(
        id="cambridgeshire.requested_areas",
        clauses=[mou("1"), mou("3")],
        statement="The referral must name at least one requested area, all of them in Cambridgeshire.",
        require=fact("requested_areas").non_empty() & fact("requested_areas").all_in(param("scheme_areas")),
        passed="the requested areas ({requested_areas}) are in Cambridgeshire",
        failed="the requested areas ({requested_areas}) must name at least one area, all in Cambridgeshire",
    ),
)

_SOCIAL_TENANT = fact("social_tenant").is_true()

OFFER_RULES = (
    common.offer_not_in_unsafe_area("cambridgeshire", [mou("1"), mou("3")]),
    common.offer_in_requested_area("cambridgeshire", [mou("1"), mou("3")]),
    Rule(
        id="cambridgeshire.offer_another_la_area",
        clauses=mou("1"),
        statement="An offered home must be in another local authority area than the one the household "
        "lives in.",
        require=fact("offer.area").ne(fact("current_area")),
        passed="the home is in {offer.area}, another council area than {current_area}",
        failed="the home is in {offer.area}, the council area the household lives in now",
    ),
    Rule(
        id="cambridgeshire.offer_social_landlord",
        clauses=[mou("1"), mou("2")],
        statement="An offered home must come from a local authority or registered provider, so the household "
        "keeps a social tenancy.",
        require=fact("offer.landlord_kind").one_of(
            {PartnerKind.LOCAL_AUTHORITY, PartnerKind.REGISTERED_PROVIDER}
        ),
        passed="the home is offered by a {offer.landlord_kind}, a social landlord",
        failed="the home is offered by a {offer.landlord_kind}, not a local authority or registered provider",
    ),
    common.offer_landlord_partner("cambridgeshire", [mou("2"), mou("5")]),
    common.offer_size("cambridgeshire", mou("1")),
    common.offer_no_downgrade("cambridgeshire", mou("1"), when=_SOCIAL_TENANT, to_named_leads=True),
    common.offer_like_for_like("cambridgeshire", mou("1"), when=_SOCIAL_TENANT),
    common.offer_tenancy_grantable("cambridgeshire", mou("1")),
)

INTERPRETATIONS = (
    Interpretation(
        id="cambridgeshire.peterborough",
        clauses=[mou("1"), mou("3")],
        question="Does the scheme cover Peterborough?",
        choice="No: the five districts of Cambridgeshire County Council's area only. Adding Peterborough is a "
        "new dated value of the scheme_areas parameter and an entry in areas.toml.",
        reason="The text speaks of 'Cambridgeshire' and 'across Cambridgeshire' throughout and never names "
        "Peterborough, a separate unitary council; moving a survivor into an area the agreement does not "
        "clearly cover would rest on a partner that has not signed.",
    ),
    Interpretation(
        id="cambridgeshire.draft",
        clauses=[mou("1")],
        question="The text is a draft. Are its rules in force?",
        choice="They are encoded as drafted and in force from the scheme's start; a final text that differs "
        "is added as dated versions of the rules that change.",
        reason="The draft is the only text there is; dated versions keep past decisions reproducible.",
    ),
    Interpretation(
        id="cambridgeshire.originating_partner",
        clauses=[mou("1"), mou("3")],
        question="The specialist service makes referrals, but the 'referring Local Authority or registered "
        "provider' owes the property. Who is the nominating partner?",
        choice="The originating local authority or registered provider; the specialist service refers on its "
        "behalf and is recorded in the case, not as the nominator.",
        reason="Eligibility and the owed property both turn on the originating partner.",
    ),
    Interpretation(
        id="cambridgeshire.non_tenant_conditions",
        clauses=mou("1"),
        question="What does a household without a social tenancy need?",
        choice="To be in priority need or due to receive a social tenancy (tenure 'non_tenant_priority_need'), "
        "AND the originating lead's discretion, AND that partner's agreement to owe a social home: three "
        "findings.",
        reason="The text joins the discretion and the agreement with 'as long as'; each can be missing "
        "separately.",
    ),
    Interpretation(
        id="cambridgeshire.moves_la_area",
        clauses=[mou("1"), mou("3")],
        question="How is 'need to move Local authority area' checked?",
        choice="Every requested area must differ from the current area (a derived fact); the need itself is "
        "shown by the risk and the own-stock finding.",
        reason="A request to stay in the same council area is a management transfer, not a reciprocal.",
    ),
    Interpretation(
        id="cambridgeshire.current_area",
        clauses=mou("3"),
        question="Must the household live in Cambridgeshire now?",
        choice="Yes: its current area must be one of the scheme's areas.",
        reason="The specialist service refers survivors 'in social housing across Cambridgeshire'.",
    ),
    Interpretation(
        id="cambridgeshire.equal_size",
        clauses=mou("1"),
        question="What is 'an equal size property'?",
        choice="One with at least as many bedrooms as the moved household needs under the size_standard "
        "parameter (default: the social sector size criteria), recorded in bedrooms.",
        reason="Two standards exist and disagree; the text names neither, so the choice is an explicit, dated "
        "setting.",
    ),
    Interpretation(
        id="cambridgeshire.offer_security",
        clauses=mou("1"),
        question="The draft promises the household can 'keep a social tenancy', not a tenancy as secure as "
        "before. Is a less secure offer (say, introductory for a secure tenant) suitable?",
        choice="It keeps a social tenancy, so it is not refused; but it needs the named leads' sign-off (a "
        "needs-information finding naming the two tenancy types), as a protected tenancy does.",
        reason="Passing it silently would hide a real loss of security from the people who sign off the move "
        "(section 3); refusing it would add a promise the draft does not make.",
    ),
    Interpretation(
        id="cambridgeshire.offer_size",
        clauses=mou("1"),
        question="Must an offered home meet the household's bedroom need? The text speaks of size only for "
        "the property owed back.",
        choice="Yes, under the size_standard parameter, less the overcrowding_allowance parameter (default 0).",
        reason="The owed property is 'an equal size property': equal to the home the moved household needs. "
        "Measuring both with one standard keeps the ledger honest, and an overcrowded offer would not be a "
        "safe, settled move.",
    ),
    Interpretation(
        id="cambridgeshire.offer_landlord",
        clauses=[mou("2"), mou("5")],
        question="Which landlords can offer? The draft has no notice or withdrawal clause.",
        choice="A local authority or registered provider that is a partner on the offer date; a partner that "
        "has given notice can still offer until it leaves.",
        reason="Offers come from the partners who signed the MoU (section 2); the signing 'is not a formal "
        "undertaking' (section 5), so a partner that has left cannot be held to an offer.",
    ),
    Interpretation(
        id="cambridgeshire.offer_non_tenant",
        clauses=mou("1"),
        question="How are offers to a non-tenant household judged?",
        choice="As for a tenant, except the security checks do not apply: there is no tenancy to compare with.",
        reason="A non-tenant in priority need has no tenancy to downgrade.",
    ),
    Interpretation(
        id="cambridgeshire.protected_tenancy_offered",
        clauses=mou("1"),
        question="May a landlord offer a protected tenancy (a pre-1989 secure tenancy with a fair rent)?",
        choice="No: an offer of that type is not suitable, for a tenant or a non-tenant alike (the check is of "
        "the offer, not a comparison with a current tenancy). A protected tenant's offer of another type goes "
        "to the named leads, as any offer that cannot be like for like.",
        reason="Such a tenancy can only be held from before 15 January 1989; the household moves to 'keep a "
        "social tenancy' (section 1), which is a new one of a type a landlord can grant now.",
    ),
    Interpretation(
        id="cambridgeshire.no_assessor_rule",
        clauses=mou("3"),
        question="Must an IDVA have assessed the risk, as in Kent?",
        choice="No rule on who assessed: the specialist service that refers also provides IDVA support. "
        "The survivor must still have been found at risk (rule cambridgeshire.at_risk).",
        reason="The text covers tenants 'at risk of harm' but names no assessor; requiring one would be a guess.",
    ),
    Interpretation(
        id="cambridgeshire.perpetrator_harm",
        clauses=mou("1"),
        question="For a perpetrator, what do the harm types record?",
        choice="The abuse the case concerns; the VAWG finding applies to both roles.",
        reason="The scheme is for cases of domestic abuse and VAWG, whichever party moves.",
    ),
    Interpretation(
        id="cambridgeshire.temporary_accommodation",
        clauses=mou("1"),
        question="Is a household in temporary accommodation a social tenant?",
        choice="Only if it still holds its social tenancy (give it); with only the tenure given, the decision "
        "asks rather than assuming.",
        reason="Households often keep their tenancy while in temporary accommodation.",
    ),
    Interpretation(
        id="cambridgeshire.owed_size",
        clauses=mou("1"),
        question="What size is the home owed after a move, and what of a non-tenant's move?",
        choice="The bedrooms the moved household needs under the size_standard parameter (as in "
        "cambridgeshire.equal_size); the ledger keeps each size apart, so a debt is settled by housing a household "
        "needing the same number of bedrooms. A non-tenant's move is owed on the originating partner's agreement "
        "(the eligibility rule requires it) and recorded as such.",
        reason="The draft owes 'an equal size property'; keeping sizes apart is what makes the sizes equal.",
    ),
    Interpretation(
        id="cambridgeshire.membership",
        clauses=[mou("2"), mou("5")],
        question="The draft has no joining condition beyond signing, no notice period and no arbitration.",
        choice="Partners are recorded as joining on the date they sign; a withdrawal takes effect on the day it is "
        "recorded and leaves any debt owed; there is no arbitration.",
        reason="Borrowing the Kent notice period or arbitration would add rules the draft does not make; debts "
        "surviving withdrawal follows from the pool keeping its count.",
    ),
)

SCHEME = Scheme(
    id="cambridgeshire",
    title="Cambridgeshire Housing Reciprocal Agreement (draft)",
    summary="Cambridgeshire Specialist DA Services refer social tenants at risk of domestic abuse, sexual "
    "violence or other VAWG to move to another Cambridgeshire council area; the originating partner owes "
    "an equal-size property.",
    version="draft.1",
    sources=(MOU,),
    areas=AREAS,
    rules=RULES,
    offer_rules=OFFER_RULES,
    process=build_process(MOU),
    partnership=Partnership(ledger=LedgerKind.PROPERTIES_BY_SIZE, ledger_clauses=[mou("1")], register=[mou("2")]),
    facts=FACTS,
    parameters=PARAMETERS,
    interpretations=INTERPRETATIONS,
    not_encoded=not_encoded(MOU),
    simulation=SIMULATION,
)
