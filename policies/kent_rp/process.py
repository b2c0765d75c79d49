"""The Kent RP case process (MoU §4; the project's Referral, Request, Offer, Move stages)."""

from __future__ import annotations

from reciprocity.lifecycle import guards
from reciprocity.lifecycle.duties import Duty
from reciprocity.lifecycle.process import NEW, Party, Process, Step
from reciprocity.rules import Clause, Source

__all__ = ["build_process"]


def build_process(mou: Source, process_doc: Source) -> Process:
    def m(ref: str) -> Clause:
        return Clause(mou, ref)

    def stage(name: str) -> Clause:
        return Clause(process_doc, f"{name} stage")

    open_states = ("referred", "eligible", "approved", "circulating", "offer_review", "offered", "offer_accepted")
    return Process(
        scheme_id="kent_rp",
        states=(*open_states, "moved", "completed", "closed"),
        initial="referred",
        final={"completed", "closed"},
        roles={
            "nominating_officer": "the professional supporting the survivor, for the nominating landlord",
            "coordinator": "the Local Coordinator",
            "named_lead": "a partner landlord's Reciprocal Named Lead",
        },
        deadlines={
            "response": (stage("Request"),),
            "recirculation": (stage("Request"),),
            "review": (m("4.3"),),
        },
        duties=(
            Duty("homelessness_application", m("3.3"),
                 "An urgent move needs a homelessness application made alongside the request."),
        ),
        steps=(
            Step("refer", NEW, "referred", "nominating_officer", [m("4.1"), stage("Referral")],
                 "The nominating officer sends the referral form, with unsafe and requested areas, to the coordinator."),
            Step("check_eligibility", "referred", None, "coordinator", m("4.2"),
                 "The coordinator checks the application for eligibility (recorded with its outcome)."),
            Step("accept", "referred", "eligible", "coordinator", m("4.2"),
                 "The coordinator accepts an eligible case and gives it an Application Reference Code.",
                 guards=(guards.found_eligible("kent_rp", m("4.2")),)),
            Step("decline", "referred", "closed", "coordinator", m("4.2"),
                 "The coordinator declines a case the check found ineligible.",
                 guards=(guards.found_ineligible("kent_rp", m("4.2")),)),
            Step("offer_specialist_support", open_states, None, "nominating_officer", stage("Referral"),
                 "The nominating officer offers a referral to specialist support when the survivor has none.",
                 guards=(guards.specialist_support_needed("kent_rp", stage("Referral")),)),
            Step("approve", "eligible", "approved", "named_lead", stage("Referral"),
                 "The nominating landlord's named lead approves the request."),
            Step("circulate", "approved", "circulating", "coordinator", [m("4.2"), stage("Request")],
                 "The coordinator circulates the pseudonymised request to partners with homes in the requested areas.",
                 guards=guards.safe_circulation("kent_rp", [m("4.2"), stage("Request")])),
            Step("circulate", "circulating", None, "coordinator", stage("Request"),
                 "The coordinator recirculates a pending request (every fortnight until an offer).",
                 guards=guards.safe_circulation("kent_rp", [m("4.2"), stage("Request")])),
            Step("respond", "circulating", None, "named_lead", stage("Request"),
                 "A named lead answers the request (ideally within two working days)."),
            Step("extend_areas", "circulating", None, "coordinator", m("4.3"),
                 "After three months without a suitable home, the requested areas are extended."),
            Step("make_offer", ("circulating",), "offered", "named_lead", [m("4.4"), m("4.5"), stage("Offer")],
                 "A partner offers a home that its assessment finds suitable.",
                 guards=(guards.suitable_offer("kent_rp", [m("4.4"), m("4.5")]),)),
            Step("propose_offer", ("circulating",), "offer_review", "named_lead", m("4.5"),
                 "A partner proposes a home for a protected tenant, where like for like cannot be "
                 "guaranteed: it goes to the named leads' review.",
                 guards=(guards.offer_for_review("kent_rp", m("4.5")),)),
            Step("approve_offer", "offer_review", "offered", "named_lead", m("4.5"),
                 "The nominating partner's named lead approves the flagged offer, with the household's consent.",
                 guards=(guards.consent_to_offer("kent_rp", m("4.5")),)),
            Step("reject_offer", "offer_review", "circulating", "named_lead", m("4.5"),
                 "The nominating partner's named lead rejects the flagged offer; the request circulates again."),
            Step("accept_offer", "offered", "offer_accepted", "nominating_officer", stage("Offer"),
                 "After the viewing, the nominating officer tells the coordinator the offer is accepted.",
                 party=Party.NOMINATOR),
            Step("refuse_offer", "offered", "circulating", "nominating_officer", stage("Offer"),
                 "After the viewing, the offer is refused and the request circulates again.",
                 party=Party.NOMINATOR),
            Step("move", "offer_accepted", "moved", "coordinator", [m("4.6"), stage("Move")],
                 "The coordinator records the move (sign-up) as successful; the nominating landlord now owes a home."),
            Step("request_feedback", "moved", "completed", "coordinator", stage("Move"),
                 "The coordinator asks the nominating officer and the survivor for feedback."),
            Step("receive_feedback", ("moved", "completed"), None, "coordinator", stage("Move"),
                 "The coordinator records feedback received from the nominating officer, the survivor or a partner."),
            Step("close", open_states, "closed", "coordinator", m("4.3"),
                 "The request is closed (no home can be identified, or the case is withdrawn)."),
        ),
    )
