"""The Kent & Medway Reciprocal Housing Agreement's eligibility rules, as data."""

from __future__ import annotations

from importlib.resources import files

from reciprocity.model import VAWG_HARMS, Assessor, MembershipStatus, PartnerKind, SubjectRole, load_areas
from reciprocity.partnership import LedgerKind, Partnership
from reciprocity.rules import Clause, Interpretation, Parameter, Rule, Scheme, Source, common, fact, param
from reciprocity.sizes import SizeStandard
from reciprocity.tenancy_security import ENGLAND_SECURITY

from .process import build_process
from .simulation import SIMULATION
from .traceability import MOU_CLAUSES, PRESENTATION_CLAUSES, PROCESS_CLAUSES, not_encoded

__all__ = ["MOU", "PRESENTATION", "PROCESS", "SCHEME"]

MOU = Source(
    key="000",
    title="Kent & Medway Reciprocal Housing Agreement: Memorandum of Understanding",
    citation="Kent RP MoU",
    file="000_384ab9f408af0e6d.txt",
    note="Undated. Numbers two clauses 2.2 and two clauses 2.4; cited here as '(first)' and '(second)'.",
    clauses=MOU_CLAUSES,
)
PROCESS = Source(
    key="002",
    title="Kent & Medway Domestic Abuse Reciprocal Project: operating process",
    citation="Kent RP process",
    file="002_b9c1e63cfc46e238.txt",
    clauses=PROCESS_CLAUSES,
)
PRESENTATION = Source(
    key="004",
    title="Kent & Medway Domestic Abuse Reciprocal Project: presentation",
    citation="Kent RP presentation",
    file="004_57641a9e922540fc.txt",
    clauses=PRESENTATION_CLAUSES,
)


def mou(ref: str) -> Clause:
    return Clause(MOU, ref)


AREAS = load_areas(files(__package__).joinpath("areas.toml"))

HOUSING_QUESTIONS = Clause(PRESENTATION, "Specific housing considerations")

PARAMETERS = (
    Parameter(
        name="scheme_areas",
        label="areas of Kent and Medway",
        description="Areas a household can ask to move to: Kent's twelve districts and Medway.",
        values=[(None, frozenset(a.id for a in AREAS))],
        clauses=[mou("1.1"), mou("2.1")],
    ),
    Parameter(
        name="qualifying_assessors",
        label="assessors the agreement accepts",
        description="Who may assess the tenant as at risk: an IDVA or a domestic abuse professional.",
        values=[(None, frozenset({Assessor.IDVA, Assessor.DA_PROFESSIONAL}))],
        clauses=[mou("3.2")],
    ),
    # The presentation's open questions (doc 004), made explicit settings with defaults that
    # follow the MoU. Offer assessment reads them.
    Parameter(
        name="size_standard",
        label="size standard for offers",
        description="How many bedrooms a household needs; an offer should meet it.",
        values=[(None, SizeStandard.SOCIAL_SECTOR_SIZE_CRITERIA)],
        clauses=[HOUSING_QUESTIONS],
    ),
    Parameter(
        name="overcrowding_allowance",
        label="bedrooms an offer may fall short",
        description="How many bedrooms below the household's need an offer may be (overcrowding); "
        "0 means an offer must meet the need in full.",
        values=[(None, 0)],
        clauses=[HOUSING_QUESTIONS],
    ),
    Parameter(
        name="arrears_decided_by",
        label="who decides on rent arrears",
        description="Rent arrears are judged by the accepting landlord under its own allocations policy, "
        "as part of its due diligence; the scheme sets no arrears bar of its own.",
        values=[(None, "accepting_landlord_allocations_policy")],
        clauses=[HOUSING_QUESTIONS, mou("4.4")],
    ),
    Parameter(
        name="tenancy_security",
        label="security of tenure scale",
        description=ENGLAND_SECURITY.description + " An offer must not downgrade the tenancy; "
        "where like for like cannot be guaranteed the named leads decide.",
        values=ENGLAND_SECURITY.values,
        clauses=[HOUSING_QUESTIONS, mou("4.5"), mou("5.2")],
    ),
    Parameter(
        name="joint_tenant_offered",
        label="tenancies a joint tenant may be offered",
        description="A survivor leaving a joint tenancy is offered a sole tenancy (of a type at least as "
        "secure); the joint tenancy left behind is for the nominating landlord to resolve. Add 'joint' to "
        "allow a joint tenancy, e.g. with an adult who moves too.",
        values=[(None, frozenset({"sole"}))],
        clauses=[HOUSING_QUESTIONS, mou("4.5")],
    ),
    Parameter(
        name="review_after_months",
        label="months before an unmatched request is reviewed",
        description="Waiting time: when no suitable home is found within this many months, the nominating "
        "landlord is asked to widen the areas or close the request.",
        values=[(None, 3)],
        clauses=[HOUSING_QUESTIONS, mou("4.3")],
    ),
)

RULES = (
    Rule(
        id="kent_rp.nominator_social_landlord",
        clauses=mou("2.1"),
        statement="The nominating partner must be a social landlord with homes in Kent or Medway.",
        require=fact("nominator.kind").one_of({PartnerKind.REGISTERED_PROVIDER, PartnerKind.LOCAL_AUTHORITY})
        & fact("nominator.stock_areas").any_in(param("scheme_areas")),
        passed="the nominating partner is a social landlord ({nominator.kind}) with homes in "
        "{nominator.stock_areas}",
        failed="the nominating partner ({nominator.kind}, with homes in {nominator.stock_areas}) is not a "
        "social landlord with homes in Kent or Medway",
    ),
    Rule(
        id="kent_rp.nominator_dsp_signatory",
        clauses=[mou("2.2 (first)"), mou("5.3")],
        statement="The nominating partner must have signed the Kent and Medway Data Sharing Protocol.",
        require=fact("nominator.dsp_signatory").is_true(),
        passed="the nominating partner has signed the Kent and Medway Data Sharing Protocol",
        failed="the nominating partner has not signed the Kent and Medway Data Sharing Protocol",
    ),
    Rule(
        id="kent_rp.nominator_active",
        clauses=[mou("5.5"), mou("2.4 (second)")],
        statement="The nominating partner must be an active member, not in its notice period, on the referral date.",
        require=fact("nominator.membership_status").eq(MembershipStatus.ACTIVE),
        passed="the nominating partner was an active member on the referral date",
        failed="the nominating partner's membership was '{nominator.membership_status}' on the "
        "referral date, and only active members can make new nominations",
    ),
    Rule(
        id="kent_rp.subject_survivor",
        clauses=mou("1.2"),
        statement="The person to move must be the one at risk, not the perpetrator.",
        require=fact("subject_role").eq(SubjectRole.SURVIVOR),
        passed="the person to move is the survivor",
        failed="the person to move is recorded as the perpetrator; this agreement moves tenants at risk",
    ),
    Rule(
        id="kent_rp.social_tenant",
        clauses=[mou("1.2"), mou("3.1")],
        statement="The household must hold a social tenancy.",
        require=fact("social_tenant").is_true(),
        passed="the household holds a social tenancy",
        failed="the household does not hold a social tenancy; the agreement moves social tenants",
    ),
    Rule(
        id="kent_rp.tenant_of_nominator",
        clauses=[mou("3.1"), mou("4.1")],
        statement="The tenancy must be held with the nominating partner.",
        when=fact("social_tenant").is_true(),
        require=fact("tenancy.landlord").eq(fact("nominator.id")),
        passed="the tenancy is held with the nominating partner",
        failed="the tenancy is held with {tenancy.landlord}, not with the nominating partner "
        "{nominator.id}; the tenant's own landlord must nominate",
        not_applicable="there is no social tenancy to check",
    ),
    Rule(
        id="kent_rp.vawg_harm",
        clauses=mou("1.2"),
        statement="The tenant must be at risk of harm from domestic or sexual violence or another form of VAWG.",
        require=fact("risk.harm_types").any_in(VAWG_HARMS),
        passed="the tenant is at risk of {risk.harm_types}",
        failed="the harm recorded ({risk.harm_types}) is not domestic or sexual violence or another form of VAWG",
    ),
    Rule(
        id="kent_rp.assessed_at_risk",
        clauses=mou("3.2 (first condition)"),
        statement="An IDVA or a domestic abuse professional must have assessed the tenant as at risk.",
        require=fact("risk.assessed_by").one_of(param("qualifying_assessors")) & fact("risk.at_risk").is_true(),
        passed="an assessor the agreement accepts ({risk.assessed_by}) has assessed the tenant as at risk",
        failed="no IDVA or domestic abuse professional has assessed the tenant as at risk "
        "(assessed by: {risk.assessed_by}; found at risk: {risk.at_risk})",
    ),
    Rule(
        id="kent_rp.risk_too_great_to_remain",
        clauses=mou("3.2 (second condition)"),
        statement="The risk must be too great for the tenant to remain in their current area.",
        require=fact("risk_too_great_to_remain").is_true(),
        passed="the risk is too great for the tenant to remain in their area",
        failed="the risk has not been judged too great for the tenant to remain in their area",
    ),
    Rule(
        id="kent_rp.own_stock_exhausted",
        clauses=mou("3.2 (third condition)"),
        statement="The current landlord must have exhausted efforts to rehouse the tenant in its own stock.",
        require=fact("own_stock_exhausted").is_true(),
        passed="the landlord has exhausted efforts to rehouse the tenant in its own stock",
        failed="the landlord has not exhausted efforts to rehouse the tenant in its own stock",
    ),
    Rule(
        id="kent_rp.kent_home_choice_exhausted",
        clauses=mou("3.2 (third condition)"),
        statement="The current landlord must have exhausted rehousing through Kent Home Choice.",
        require=fact("kent_home_choice_exhausted").is_true(),
        passed="rehousing through Kent Home Choice has been tried and exhausted",
        failed="rehousing through Kent Home Choice has not been exhausted",
    ),
    Rule(
        id="kent_rp.urgent_homelessness_application",
        clauses=mou("3.3"),
        statement="When the need to move is urgent, a homelessness application must be made alongside the request.",
        when=fact("urgent").is_true(),
        require=fact("homelessness.application_made").is_true(),
        passed="a homelessness application has been made alongside the request",
        failed="the need to move is urgent but no homelessness application has been made alongside the request",
        not_applicable="the need to move is not recorded as urgent",
    ),
    Rule(
        id="kent_rp.requested_areas",
        clauses=[mou("4.1"), Clause(PROCESS, "Referral stage")],
        statement="The referral must name at least one requested area, all of them in Kent or Medway.",
        require=fact("requested_areas").non_empty() & fact("requested_areas").all_in(param("scheme_areas")),
        passed="the requested areas ({requested_areas}) are in Kent or Medway",
        failed="the requested areas ({requested_areas}) must name at least one area, all in Kent or Medway",
    ),
)

OFFER_RULES = (
    common.offer_not_in_unsafe_area("kent_rp", [mou("1.2"), Clause(PROCESS, "Referral stage")]),
    common.offer_in_requested_area("kent_rp", [mou("4.2"), mou("4.3")]),
    common.offer_size("kent_rp", HOUSING_QUESTIONS),
    common.offer_no_downgrade("kent_rp", [mou("4.5"), mou("5.2")]),
    common.offer_like_for_like("kent_rp", mou("4.5")),
    common.offer_tenancy_grantable("kent_rp", [mou("4.5"), mou("5.2")]),
    common.offer_landlord_partner("kent_rp", [mou("2.4 (second)"), mou("5.5")]),
    Rule(
        id="kent_rp.offer_joint_tenant",
        clauses=[HOUSING_QUESTIONS, mou("4.5")],
        statement="A tenant leaving a joint tenancy must be offered a tenancy the scheme allows for them "
        "(by default a sole tenancy).",
        when=fact("tenancy.joint").is_true(),
        require=fact("offer.tenancy_form").one_of(param("joint_tenant_offered")),
        passed="the tenant leaves a joint tenancy and is offered a {offer.tenancy_form} tenancy, as the scheme allows",
        failed="the tenant leaves a joint tenancy and is offered a {offer.tenancy_form} tenancy, which the "
        "scheme's setting for joint tenants does not allow",
        not_applicable="the current tenancy is not joint",
    ),
)

INTERPRETATIONS = (
    Interpretation(
        id="kent_rp.duplicate_clause_numbers",
        clauses=[mou("2.2"), mou("2.4")],
        question="The MoU numbers two clauses 2.2 and two clauses 2.4.",
        choice="Cite them as '2.2 (first)' (data sharing protocol), '2.2 (second)' (partner list), "
        "'2.4 (first)' (list kept up to date) and '2.4 (second)' (withdrawal).",
        reason="A citation must point at one clause without ambiguity; renumbering would not match the text.",
    ),
    Interpretation(
        id="kent_rp.lead_coordinator",
        clauses=mou("6.1"),
        question="Clause 6.1 says 'Lead Coordinator' once.",
        choice="Read it as the Local Coordinator.",
        reason="No other clause mentions a Lead Coordinator; every other role clause names the Local Coordinator.",
    ),
    Interpretation(
        id="kent_rp.councils_as_partners",
        clauses=mou("2.1"),
        question="The MoU is 'between registered housing providers'; may a stock-holding council nominate?",
        choice="Yes: registered providers and local authorities are both accepted as social landlords.",
        reason="Clause 2.1 opens participation to 'all social landlords with housing stock', which includes councils.",
    ),
    Interpretation(
        id="kent_rp.nominator_is_landlord",
        clauses=[mou("3.1"), mou("4.1"), mou("4.6")],
        question="Must the tenancy be held with the nominating partner?",
        choice="Yes. The nominating partner is the tenant's landlord; a support worker (the process's "
        "Nominating Officer) completes the form on that landlord's behalf.",
        reason="Clause 4.1 has the 'nominating landlord' complete the form for 'their tenant', and clause 4.6 "
        "makes that landlord owe the property; a third party could not owe on another landlord's behalf.",
    ),
    Interpretation(
        id="kent_rp.temporary_accommodation",
        clauses=[mou("1.2"), Clause(PRESENTATION, "case studies")],
        question="Is a household placed in temporary accommodation still a social tenant?",
        choice="Yes when it still holds its social tenancy (give the tenancy); if only the tenure is given, "
        "the decision asks whether a tenancy is still held rather than assuming either way.",
        reason="Both case studies were in temporary accommodation while keeping their social tenancy.",
    ),
    Interpretation(
        id="kent_rp.both_routes_exhausted",
        clauses=mou("3.2"),
        question="The third condition speaks of exhausting efforts 'in their own housing stock or through "
        "Kent Home Choice'. Is one route enough?",
        choice="No: both routes must be exhausted, checked as two rules so a caseworker sees which is open.",
        reason="Efforts are 'exhausted' only when neither route can rehouse the tenant; the 'or' lists the routes.",
    ),
    Interpretation(
        id="kent_rp.assessors",
        clauses=mou("3.2"),
        question="Does a police risk assessment satisfy 'assessed by an IDVA or a Domestic Abuse professional'?",
        choice="Not on its own: record the assessor as 'da_professional' when a police officer is a specialist "
        "domestic abuse officer. The accepted assessors are a dated parameter.",
        reason="The text names IDVAs and domestic abuse professionals. No DASH threshold is applied: the "
        "agreement asks for an assessment 'as at risk' and sets none.",
    ),
    Interpretation(
        id="kent_rp.notice_on_referral_date",
        clauses=mou("5.5"),
        question="On which date is the nominating partner's notice period judged?",
        choice="On the referral date: a nomination made before notice stays valid (it is 'outstanding').",
        reason="Clause 5.5 stops 'new nominations' during notice but has outstanding ones actioned.",
    ),
    Interpretation(
        id="kent_rp.urgency_unknown",
        clauses=mou("3.3"),
        question="What if urgency is not recorded?",
        choice="Clause 3.3 is met if a homelessness application has been made; otherwise the decision asks "
        "whether the move is urgent.",
        reason="Never guess a missing fact, but do not ask for one that cannot change the answer.",
    ),
    Interpretation(
        id="kent_rp.out_of_area",
        clauses=[mou("3.1"), mou("3.2")],
        question="Must every requested area differ from the area the tenant lives in now?",
        choice="No: a requested area may be the current district. Areas the case marks unsafe can never be "
        "requested (the referral is refused at input), and circulation never reaches them.",
        reason="The risk is to 'remain within a certain area', which may be smaller than a district; the "
        "unsafe areas, not the current one, say where the tenant cannot go.",
    ),
    Interpretation(
        id="kent_rp.current_area",
        clauses=[mou("2.1"), mou("4.6")],
        question="Must the tenant live in Kent or Medway now?",
        choice="Not checked: the nominating partner must have homes in Kent or Medway (§2.1), and its tenant "
        "is eligible wherever the current home is.",
        reason="The MoU defines partners by where they hold stock, not tenants by address.",
    ),
    Interpretation(
        id="kent_rp.empty_lists",
        clauses=[mou("2.1"), mou("4.1")],
        question="What does an empty list of requested areas, or of the partner's stock areas, mean?",
        choice="Not given: the decision asks for it rather than failing the rule.",
        reason="A form left blank is missing information, not an answer.",
    ),
    Interpretation(
        id="kent_rp.housing_questions",
        clauses=[HOUSING_QUESTIONS],
        question="The presentation leaves open arrears, overcrowding, differing tenancy types, joint "
        "tenancies and waiting time. How are they handled?",
        choice="Each is a dated parameter with a default that follows the MoU: arrears for the accepting "
        "landlord's policy (§4.4); no overcrowding allowance; no downgrade, with protected tenancies for the "
        "named leads (§4.5); a sole tenancy for a survivor leaving a joint one; review after three months "
        "(§4.3). The social sector size criteria measure need.",
        reason="A setting a partnership can change, with a date, is better than a hidden guess; the defaults "
        "are the MoU's own answers where it has one.",
    ),
    Interpretation(
        id="kent_rp.protected_tenancy_offered",
        clauses=[mou("4.5"), mou("5.2")],
        question="May an accepting landlord offer a protected tenancy (a pre-1989 secure tenancy with a fair "
        "rent), say to match the one a tenant holds?",
        choice="No: an offer of that type is not suitable. The accepting landlord offers the tenancy it can "
        "grant now: a lifetime (secure or assured) tenancy goes to the named leads, as like for like cannot "
        "be guaranteed (§4.5); anything less secure is a downgrade and is not suitable, as for any tenant "
        "(§4.5 'should not have their tenancy downgraded', §5.2).",
        reason="Such a tenancy can only be held from before 15 January 1989; a move grants a new tenancy, so "
        "'the same tenancy terms' (§5.2) cannot include it, which is why §4.5 warns that like for like cannot "
        "be guaranteed 'especially for protected tenancies'.",
    ),
    Interpretation(
        id="kent_rp.offer_partners_in_notice",
        clauses=[mou("5.5")],
        question="Can a landlord in its notice period make an offer?",
        choice="Yes: notice stops only its own new nominations; a withdrawn or removed landlord cannot offer.",
        reason="Clause 5.5 has outstanding nominations still actioned during notice.",
    ),
    Interpretation(
        id="kent_rp.undated",
        clauses=mou("7.1"),
        question="From when are the rules in force?",
        choice="From the start of the scheme (the MoU is undated); a later change is added as a dated rule "
        "or parameter value.",
        reason="The texts carry no effective date (the signature block after clause 7.1 leaves the date "
        "blank); the project was reported launched in summer 2023.",
    ),
    Interpretation(
        id="kent_rp.ledger_pool",
        clauses=[mou("4.6"), mou("5.4")],
        question="The nominating landlord 'owes' a property 'to another household at risk'. To whom, and when is "
        "the debt paid?",
        choice="To the pool, not to the landlord that housed the household: each move counts one home owed by the "
        "nominating partner and one awarded by the accepting partner; a partner that owes settles one home by "
        "housing any scheme household. Mistakes are put right by a correction that reverses an entry.",
        reason="The text speaks of another household at risk anywhere in Kent and of a central count of owed and "
        "awarded homes, which is a pot, not a swap between two landlords.",
    ),
    Interpretation(
        id="kent_rp.withdrawal_date",
        clauses=[mou("2.4 (second)"), mou("5.5")],
        question="When does a withdrawal take effect if the coordinator records it after the month's notice?",
        choice="One calendar month after the notice, whenever it is recorded; `due` lists it from then. A "
        "withdrawn or removed partner that comes back joins again under a new id; its debts stay with the old one.",
        reason="The notice period is the partner's, not the coordinator's; the debts remain owed in either case.",
    ),
    Interpretation(
        id="kent_rp.named_contact_change",
        clauses=[mou("6.1")],
        question="From when do the seven days to notify a change of named contact run?",
        choice="From the day the post changed hands or fell vacant; while it is vacant `due` lists the naming of a "
        "new lead seven days after. A partner joining without a named lead is not given a deadline.",
        reason="The clause times the notice from the change; joining has no such clause.",
    ),
    Interpretation(
        id="kent_rp.arbitration_panel",
        clauses=[mou("4.7")],
        question="Who can sit on the panel, what counts as owing and declining, and how is the panel chosen?",
        choice="A partner owes when its ledger balance is below zero on the day; it declines an applicant when it "
        "answers a request that it cannot help. The panel is three signatories of the data sharing protocol who are "
        "members that day (notice period included), neither the declining nor the nominating partner, drawn with a "
        "seed from the arbitration's id; candidates, seed and panel are recorded so the draw can be checked.",
        reason="The text asks only for three signatory partners; excluding the parties and a checkable draw keep "
        "the panel fair without the coordinator choosing it.",
    ),
)

SCHEME = Scheme(
    id="kent_rp",
    title="Kent & Medway Reciprocal Housing Agreement",
    summary="Social landlords in Kent and Medway move tenants at risk of domestic abuse, sexual "
    "violence or other VAWG to a safe area with another landlord, keeping their tenancy rights.",
    version="2023.1",
    sources=(MOU, PROCESS, PRESENTATION),
    areas=AREAS,
    rules=RULES,
    offer_rules=OFFER_RULES,
    parameters=PARAMETERS,
    process=build_process(MOU, PROCESS),
    partnership=Partnership(
        ledger=LedgerKind.PROPERTIES,
        ledger_clauses=[mou("4.6"), mou("5.4")],
        register=[mou("2.2 (second)"), mou("2.4 (first)")],
        signatory_required=[mou("2.2 (first)")],
        notice=[mou("2.4 (second)"), mou("5.5")],
        named_contact=[mou("6.1")],
        debts_survive=[mou("2.4 (second)"), mou("5.5")],
        arbitration=[mou("4.7")],
    ),
    interpretations=INTERPRETATIONS,
    not_encoded=not_encoded(MOU, PROCESS, PRESENTATION),
    simulation=SIMULATION,
)
