"""The Cambridgeshire case process (draft MoU §1 and §3)."""

from __future__ import annotations

from reciprocity.lifecycle import guards
from reciprocity.lifecycle.duties import Duty
from reciprocity.lifecycle.process import NEW, Party, Process, Step
from reciprocity.rules import Clause, Source

__all__ = ["build_process"]


def build_process(mou: Source) -> Process:
    def m(ref: str) -> Clause:
        return Clause(mou, ref)

    open_states = ("referred", "accepted", "signed_off", "circulating", "offer_review", "offered", "offer_accepted")
    return Process(
        scheme_id="cambridgeshire",
        states=(*open_states, "moved", "completed", "closed"),
        initial="referred",
        final={"completed", "closed"},
        roles={
            "specialist_service": "Cambridgeshire Specialist DA Services",
            "named_lead": "a local authority's or registered provider's reciprocal named lead",
            "originating_partner": "the local authority or registered provider the household moves from",
        },
        deadlines={"response": (m("3"),), "recirculation": (m("3"),)},
        duties=(
            Duty("statutory_duty", m("3"),
                 "The local authority upholds its statutory duty, including temporary or emergency "
                 "accommodation, while the household waits for the move."),
            Duty("end_previous_tenancy", m("3"),
                 "When the move is completed the originating partner ends the previous tenancy."),
        ),
        steps=(
            Step("refer", NEW, "referred", "specialist_service", m("3"),
                 "The specialist service makes the reciprocal referral.", party=Party.COORDINATOR),
            Step("check_eligibility", "referred", None, "specialist_service", [m("1"), m("3")],
                 "The referral is checked against the agreement (recorded with its outcome)."),
            Step("accept", "referred", "accepted", "specialist_service", m("3"),
                 "An accepted case is issued an Application Reference Code, used in all partner communications.",
                 guards=(guards.found_eligible("cambridgeshire", m("3")),)),
            Step("decline", "referred", "closed", "specialist_service", m("3"),
                 "A referral the check found ineligible is declined.",
                 guards=(guards.found_ineligible("cambridgeshire", m("3")),)),
            Step("sign_off", "accepted", "signed_off", "named_lead", m("3"),
                 "The named leads sign the case off."),
            Step("notify_outcome", ("signed_off", "circulating"), None, "specialist_service", m("3"),
                 "The specialist service tells the named leads the outcome of the referral."),
            Step("circulate", "signed_off", "circulating", "specialist_service", [m("1"), m("3")],
                 "The request, under its ARC, goes to partners with homes in the requested areas.",
                 guards=guards.safe_circulation("cambridgeshire", [m("1"), m("3")])),
            Step("circulate", "circulating", None, "specialist_service", [m("1"), m("3")],
                 "The request is sent again to keep partners up to date.",
                 guards=guards.safe_circulation("cambridgeshire", [m("1"), m("3")])),
            Step("respond", "circulating", None, "named_lead", m("3"),
                 "A named lead answers the request."),
            Step("extend_areas", "circulating", None, "specialist_service", m("3"),
                 "The requested areas are widened."),
            Step("make_offer", "circulating", "offered", "named_lead", m("1"),
                 "A partner offers a home its assessment finds suitable.",
                 guards=(guards.suitable_offer("cambridgeshire", m("1")),)),
            Step("propose_offer", "circulating", "offer_review", "named_lead", m("1"),
                 "A partner proposes a home the assessment sends to the named leads (like for like, or a "
                 "change of tenancy security, to agree).",
                 guards=(guards.offer_for_review("cambridgeshire", m("1")),)),
            Step("approve_offer", "offer_review", "offered", "named_lead", m("1"),
                 "The originating partner's named lead approves the flagged offer, with the household's consent.",
                 guards=(guards.consent_to_offer("cambridgeshire", m("1")),)),
            Step("reject_offer", "offer_review", "circulating", "named_lead", m("1"),
                 "The originating partner's named lead rejects the flagged offer; the request stays open."),
            Step("accept_offer", "offered", "offer_accepted", "specialist_service", m("3"),
                 "The household accepts the offer."),
            Step("refuse_offer", "offered", "circulating", "specialist_service", m("3"),
                 "The offer is refused and the request stays open."),
            Step("move", "offer_accepted", "moved", "specialist_service", m("1"),
                 "The household moves; the originating partner now owes an equal-size home."),
            Step("end_previous_tenancy", "moved", "completed", "originating_partner", m("3"),
                 "The originating partner ends the previous tenancy."),
            Step("close", open_states, "closed", "specialist_service", m("3"),
                 "The case is closed without a move."),
        ),
    )
