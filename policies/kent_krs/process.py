"""The KRS case process (joint statement points 2, 4, 6 and 8-14)."""

from __future__ import annotations

import attrs

from reciprocity.lifecycle import guards
from reciprocity.lifecycle.duties import Duty
from reciprocity.lifecycle.process import NEW, Party, Process, Step
from reciprocity.rules import Clause, Rule, Source, fact

__all__ = ["build_process"]


def build_process(statement: Source) -> Process:
    def p(ref: str) -> Clause:
        return Clause(statement, ref)

    open_states = ("referred", "eligible", "contacting", "accepted_by_receiver", "offered", "offer_accepted")
    information = Rule(
        id="kent_krs.information_before_acceptance",
        clauses=p("11"),
        statement="All relevant information is sent to the receiving council before its final acceptance.",
        require=~fact("case.information_outstanding").non_empty(),
        passed="the DASH, police reports, risk matrix and agency reports have been sent",
        failed="still to send before final acceptance: {case.information_outstanding}",
    )
    duty_holder = Rule(
        id="kent_krs.duty_ended_by_holder",
        clauses=[p("6"), p("14")],
        statement="The homelessness duty is ended by the council holding it: the referring council, unless "
        "the receiving council took it over.",
        require=fact("event.by_duty_holder").is_true(),
        passed="the council holding the duty ends it",
        failed="only the council holding the homelessness duty can end it",
    )
    hclic = Rule(
        id="kent_krs.duty_end_in_hclic",
        clauses=p("14"),
        statement="Ending the homelessness duty is recorded in H-CLIC.",
        require=fact("duty.hclic_recorded").is_true(),
        passed="the end of the duty is recorded in H-CLIC",
        failed="the end of the duty must be recorded in H-CLIC",
    )
    not_taken_over = Rule(
        id="kent_krs.duty_not_yet_taken_over",
        clauses=[p("6"), p("14")],
        statement="The homelessness duty is taken over once, by the receiving council.",
        require=~fact("case.duty_taken_over").is_true(),
        passed="the duty has not been taken over",
        failed="the receiving council has already taken the duty over",
    )
    # KRS has no coordinator: the referring council (the case's nominating partner) does the
    # coordinating steps itself, so every step only it fires is the nominator's.
    return Process(
        scheme_id="kent_krs",
        states=(*open_states, "moved", "duty_ended", "closed"),
        initial="referred",
        final={"duty_ended", "closed"},
        roles={
            "referring_council": "the council that owes the applicant a homelessness duty and asks for help",
            "receiving_council": "a safe council's named representative (or its registered provider)",
        },
        deadlines={"band_review": (p("2"),)},
        circulate_to="safe_scheme_areas",
        duties=(
            Duty("homelessness_duty", [p("6"), p("14")],
                 "The referring council keeps the homelessness duty, including interim or temporary "
                 "accommodation, until it is lawfully ended, unless the receiving council takes it over."),
        ),
        steps=_referrer_steps(
            Step("refer", NEW, "referred", "referring_council", p("8"),
                 "The referring council opens a case for an applicant who appears eligible."),
            Step("check_eligibility", "referred", None, "referring_council", p("7"),
                 "The referring council checks the applicant against point 7 (recorded with its outcome)."),
            Step("accept", "referred", "eligible", "referring_council", p("7"),
                 "An eligible case is accepted and given a reference code for the group.",
                 guards=(guards.found_eligible("kent_krs", p("7")),)),
            Step("decline", "referred", "closed", "referring_council", p("7"),
                 "A case the check found ineligible is declined.",
                 guards=(guards.found_ineligible("kent_krs", p("7")),)),
            Step("record_unsafe_areas", ("referred", "eligible"), None, "referring_council", p("8"),
                 "The referring council records which council areas are unsafe for the applicant."),
            Step("circulate", "eligible", "contacting", "referring_council", [p("8"), p("9")],
                 "The referring council e-mails only the safe councils' named representatives.",
                 guards=guards.safe_circulation("kent_krs", [p("8"), p("9")])),
            Step("circulate", "contacting", None, "referring_council", [p("8"), p("9")],
                 "The referring council contacts the safe councils again.",
                 guards=guards.safe_circulation("kent_krs", [p("8"), p("9")])),
            Step("respond", "contacting", None, "receiving_council", p("10"),
                 "A council that can help answers the whole group."),
            Step("send_information", "contacting", None, "referring_council", p("11"),
                 "The referring council sends the DASH, police reports and risk matrix, and agency reports."),
            Step("final_acceptance", "contacting", "accepted_by_receiver", "receiving_council", p("11"),
                 "The receiving council gives final acceptance once it has all the information.",
                 guards=(information,)),
            Step("place_in_band", "accepted_by_receiver", None, "receiving_council", p("2"),
                 "The receiving council registers the applicant and places them in its highest band."),
            Step("review_band", ("accepted_by_receiver", "offered"), None, "receiving_council", p("2"),
                 "The receiving council reviews the applicant's situation after three months."),
            Step("take_over_duty", ("accepted_by_receiver", "offered", "offer_accepted", "moved"),
                 None, "receiving_council", [p("6"), p("14")],
                 "The receiving council that gave final acceptance agrees to take over the homelessness "
                 "application and duty.", party=Party.RECEIVER, guards=(not_taken_over,)),
            Step("make_offer", "accepted_by_receiver", "offered", "referring_council", [p("4"), p("12")],
                 "The referring council makes a written final Part 6 offer of the home found.",
                 party=Party.NOMINATOR,
                 guards=(guards.suitable_offer("kent_krs", [p("4"), p("12")]),)),
            Step("accept_offer", "offered", "offer_accepted", "receiving_council", p("13"),
                 "The receiving council reports that the applicant accepted after the viewing.",
                 party=Party.RECEIVER),
            Step("refuse_offer", "offered", "accepted_by_receiver", "receiving_council", p("13"),
                 "The receiving council reports that the offer was refused after the viewing.",
                 party=Party.RECEIVER),
            Step("move", "offer_accepted", "moved", "receiving_council", p("12"),
                 "The applicant signs up and moves.", party=Party.RECEIVER),
            Step("end_duty", "moved", "duty_ended", ("referring_council", "receiving_council"), [p("6"), p("14")],
                 "The council holding the homelessness duty ends it and records this in H-CLIC.",
                 guards=(duty_holder, hclic)),
            Step("close", open_states, "closed", "referring_council", p("6"),
                 "The case is closed without a move (the duty continues under the law)."),
        ),
    )


def _referrer_steps(*steps: Step) -> tuple[Step, ...]:
    return tuple(attrs.evolve(s, party=Party.NOMINATOR) if s.roles == {"referring_council"} else s for s in steps)
