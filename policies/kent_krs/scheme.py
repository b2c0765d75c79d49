"""The Kent High Priority Rehousing (Reciprocal) Scheme's eligibility rules, as data."""

from __future__ import annotations

from importlib.resources import files

from reciprocity.model import HarmType, HomelessnessDuty, PartnerKind, SubjectRole, load_areas
from reciprocity.partnership import LedgerKind, Partnership
from reciprocity.rules import Clause, Interpretation, Parameter, Rule, Scheme, Source, any_of, common, fact, param

from .process import build_process
from .simulation import SIMULATION
from .traceability import JOINT_STATEMENT_CLAUSES, not_encoded

__all__ = ["JOINT_STATEMENT", "SCHEME"]

JOINT_STATEMENT = Source(
    key="003",
    title="Kent High Priority Rehousing (Reciprocal) Scheme: Joint Statement",
    citation="KRS",
    file="003_df112ff8e0c8f79d.txt",
    clause_word="point",
    note="Undated; says it will be reviewed in September 2021 and annually after.",
    clauses=JOINT_STATEMENT_CLAUSES,
)


def point(ref: str) -> Clause:
    return Clause(JOINT_STATEMENT, ref)


PURPOSE = point("opening paragraphs")
APPENDIX_1 = point("Appendix 1")

AREAS = load_areas(files(__package__).joinpath("areas.toml"))

PARAMETERS = (
    Parameter(
        name="referring_areas",
        label="twelve Kent council areas",
        description="The councils that take part: Kent's twelve district and borough councils, not Medway.",
        values=[(None, frozenset(a.id for a in AREAS))],
        clauses=[PURPOSE, APPENDIX_1],
    ),
    Parameter(
        name="qualifying_duties",
        label="homelessness duties the scheme serves",
        description="The accepted duty must be the prevention, relief or main housing duty.",
        values=[(None, frozenset({HomelessnessDuty.PREVENTION, HomelessnessDuty.RELIEF, HomelessnessDuty.MAIN}))],
        clauses=[point("7")],
    ),
)

RULES = (
    Rule(
        id="kent_krs.referrer_is_kent_council",
        clauses=[PURPOSE, APPENDIX_1],
        statement="The referral must come from one of the twelve Kent district or borough councils (not Medway).",
        require=fact("nominator.kind").eq(PartnerKind.LOCAL_AUTHORITY)
        & fact("nominator.authority_area").one_of(param("referring_areas")),
        passed="the referral comes from the council for {nominator.authority_area}, one of the twelve Kent councils",
        failed="the referral does not come from one of the twelve Kent councils (nominating partner: "
        "{nominator.kind}; council area: {nominator.authority_area}); the scheme is between Kent's local "
        "authorities, excluding Medway",
    ),
    Rule(
        id="kent_krs.applicant_at_risk",
        clauses=point("1"),
        statement="The applicant must be the person at risk, not the perpetrator.",
        require=fact("subject_role").eq(SubjectRole.SURVIVOR),
        passed="the applicant is the person at risk",
        failed="the applicant is recorded as the perpetrator; the scheme rehouses applicants at risk",
    ),
    Rule(
        id="kent_krs.homelessness_duty",
        clauses=point("7 (first limb)"),
        statement="The council must have accepted that it owes the applicant a prevention, relief or main housing duty.",
        require=fact("homelessness.duty").one_of(param("qualifying_duties")),
        passed="the council has accepted the {homelessness.duty} duty",
        failed="the duty accepted is '{homelessness.duty}'; the scheme needs a prevention, relief or main housing duty",
    ),
    Rule(
        id="kent_krs.circumstances",
        clauses=point("7 (second limb)"),
        statement="The household must be fleeing domestic abuse and unsafe in the council's area, or fleeing "
        "corroborated violence or harm from outside the home and unsafe where it has a local connection, "
        "or have another exceptional reason accepted by the council.",
        require=any_of(
            fact("risk.harm_types").any_in({HarmType.DOMESTIC_ABUSE}) & fact("risk_too_great_to_remain").is_true(),
            fact("risk.harm_types").any_in({HarmType.HARM_OUTSIDE_HOME})
            & fact("corroborated_by_inquiries").is_true()
            & fact("unsafe_where_local_connection").is_true(),
            fact("exceptional_reason_accepted").is_true(),
        ),
        passed="one of point 7's circumstances applies",
        failed="none of point 7's circumstances is shown: not fleeing domestic abuse while unsafe in the "
        "council's area, not fleeing corroborated violence from outside the home while unsafe where there "
        "is a local connection, and no other exceptional reason accepted",
    ),
)

OFFER_RULES = (
    common.offer_not_in_unsafe_area("kent_krs", [point("8"), point("9")]),
    Rule(
        id="kent_krs.offer_final_by_referrer",
        clauses=[point("4"), point("12")],
        statement="The offer must be made by the referring council as its final Part 6 offer.",
        require=fact("offer.final_by_referrer").is_true(),
        passed="the referring council made the final Part 6 offer",
        failed="the final Part 6 offer was not made by the referring council, which remains responsible for it",
    ),
    Rule(
        id="kent_krs.offer_final_in_form",
        clauses=point("12"),
        statement="The final offer must be in writing, stated as final, and explain the consequences of "
        "refusing it and the right to ask for a review.",
        require=fact("offer.final_offer_complete").is_true(),
        passed="the final offer is in writing, stated as final, and explains refusal and review",
        failed="the final offer is not in writing, not stated as final, or does not explain the consequences "
        "of refusal and the right to a review",
    ),
    common.offer_tenancy_grantable("kent_krs", [point("4"), point("12")]),
    Rule(
        id="kent_krs.offer_highest_band",
        clauses=point("2"),
        statement="For a home found by bidding, the receiving council must have placed the applicant in its "
        "highest band.",
        when=fact("offer.via").eq("bid"),
        require=fact("offer.highest_band").is_true(),
        passed="the receiving council placed the applicant in its highest band for bidding",
        failed="the receiving council did not place the applicant in its highest band for bidding",
        not_applicable="the home was not found by bidding",
    ),
)

INTERPRETATIONS = (
    Interpretation(
        id="kent_krs.medway_excluded",
        clauses=[PURPOSE, APPENDIX_1],
        question="Which councils can refer?",
        choice="The twelve Kent district and borough councils listed in Appendix 1; Medway cannot, and "
        "registered providers cannot refer (point 3 has councils without stock liaise with them).",
        reason="The opening paragraph limits the scheme to 'the twelve Kent authorities, excluding Medway'.",
    ),
    Interpretation(
        id="kent_krs.point7_grouping",
        clauses=point("7"),
        question="Point 7 lists a duty AND three circumstances joined by OR; how do they group?",
        choice="Duty AND (domestic abuse OR harm from outside the home OR exceptional reason), checked as two "
        "rules so a caseworker sees which part is open.",
        reason="Each circumstance alone describes why a household must leave; none makes sense without the duty "
        "the scheme exists to discharge (the opening paragraphs).",
    ),
    Interpretation(
        id="kent_krs.domestic_abuse_limb",
        clauses=point("7"),
        question="Which harms count as 'fleeing domestic abuse'?",
        choice="Harm recorded as domestic abuse. Other VAWG strands count under this limb when they are also "
        "recorded as domestic abuse (abuse by someone personally connected); otherwise they may qualify "
        "under the outside-the-home limb or as an exceptional reason.",
        reason="The statement says 'domestic abuse' only, unlike the Cambridgeshire text's list of VAWG strands.",
    ),
    Interpretation(
        id="kent_krs.unsafe_in_area",
        clauses=point("7"),
        question="How is 'deemed unsafe for the applicant to remain within their local authority area' recorded?",
        choice="As the fact risk_too_great_to_remain, read as the referring council's own area.",
        reason="It is the same judgement the Kent RP MoU §3.2 asks for; one fact avoids two answers to one question.",
    ),
    Interpretation(
        id="kent_krs.any_tenure",
        clauses=point("1"),
        question="Does tenure matter?",
        choice="No rule reads tenure: the scheme is for applicants 'in all types of tenure'.",
        reason="Point 1; the homelessness duty (point 7) is what qualifies a household.",
    ),
    Interpretation(
        id="kent_krs.preferences",
        clauses=[point("8"), point("9")],
        question="Do the requested areas decide eligibility?",
        choice="No: they are preferences the referring council considers 'but not a commitment'. The unsafe "
        "areas matter when the request is sent: only safe councils are contacted.",
        reason="Point 8 makes the applicant's preference a consideration; point 9 limits contact to safe councils.",
    ),
    Interpretation(
        id="kent_krs.final_offer_form",
        clauses=point("12"),
        question="What makes the referring council's offer a proper 'written Final Offer of Part 6 accommodation'?",
        choice="In writing, stated as final, with the consequences of refusal and the right to a review "
        "explained: all four are checked, and a missing one is asked for.",
        reason="These are what Housing Act 1996 s.193A (relief) and s.193(7) (main duty) require of a final "
        "offer that ends the duty; point 12 names the offer, the Act its form.",
    ),
    Interpretation(
        id="kent_krs.no_downgrade",
        clauses=[point("2"), point("5")],
        question="Does KRS promise the household keeps its security of tenure?",
        choice="No offer rule checks it: the offer is the receiving council's Part 6 allocation under its own "
        "policy (points 2, 5). Any no-downgrade duty is the law's, not the scheme's.",
        reason="The statement makes no such promise, unlike the Kent RP MoU §4.5 and §5.2.",
    ),
    Interpretation(
        id="kent_krs.grantable_offer",
        clauses=[point("4"), point("12")],
        question="Can a final Part 6 offer be of a protected tenancy (a pre-1989 secure tenancy with a "
        "fair rent)?",
        choice="No: an offer of that type is not suitable (rule kent_krs.offer_tenancy_grantable). This is not "
        "a no-downgrade check (kent_krs.no_downgrade still holds): it reads only the tenancy offered.",
        reason="The final Part 6 offer (points 4, 12) is a new allocation, and no landlord can grant such a "
        "tenancy now: it can only be held from before 15 January 1989. An offer naming it cannot be the offer "
        "the household gets, so it cannot end the homelessness duty.",
    ),
    Interpretation(
        id="kent_krs.review_dates",
        clauses=point("16"),
        question="The statement was due for review in September 2021 and annually after. Are the rules still in force?",
        choice="Yes, from the start of the scheme with no end date; a review that changes a rule is added as a "
        "new dated version, and a decision records which version decided.",
        reason="A review date is not an expiry date.",
    ),
    Interpretation(
        id="kent_krs.referral_counts",
        clauses=[point("15")],
        question="What are a council's referrals 'made or received', and is a property owed back?",
        choice="Made: households the council referred. Received: referrals it gave final acceptance to (contacts "
        "it answered but did not take on are counted in the reports, not here). Nothing is owed back: the "
        "statement has no debt.",
        reason="The statement asks each council to keep these two numbers and says nothing of reciprocal debts.",
    ),
    Interpretation(
        id="kent_krs.membership",
        clauses=[APPENDIX_1],
        question="How do councils join or leave? The statement names the twelve councils and has no notice clause.",
        choice="A council's membership is recorded with the date it takes part from; a withdrawal takes effect on "
        "the day it is recorded; a change of named contact is recorded without a deadline; there is no arbitration.",
        reason="Adding a notice period, a deadline or arbitration would add rules the statement does not make.",
    ),
)

SCHEME = Scheme(
    id="kent_krs",
    title="Kent High Priority Rehousing (Reciprocal) Scheme",
    summary="Kent's twelve district and borough councils (not Medway) rehouse, through Part 6 allocations, "
    "households owed a homelessness duty who are at risk of domestic abuse, violence or serious harm.",
    version="2021.1",
    sources=(JOINT_STATEMENT,),
    areas=AREAS,
    rules=RULES,
    offer_rules=OFFER_RULES,
    process=build_process(JOINT_STATEMENT),
    partnership=Partnership(ledger=LedgerKind.REFERRAL_COUNTS, ledger_clauses=[point("15")], register=[APPENDIX_1]),
    parameters=PARAMETERS,
    interpretations=INTERPRETATIONS,
    not_encoded=not_encoded(JOINT_STATEMENT),
    simulation=SIMULATION,
)
