"""The Northshire case process (agreement §4), in two dated versions.

Partners answer a request within three working days (4.3); from 1 April 2026, within five.
The coordinator circulates an approved request within a week (4.2): a deadline kind of the
scheme's own, open from the approval until the request is circulated or the case closes.
"""

from __future__ import annotations

import attrs

from reciprocity.lifecycle import guards
from reciprocity.lifecycle.process import NEW, Process, Step
from reciprocity.lifecycle.time_limits import TimeLimit

from .sources import clause

__all__ = ["PROCESS", "PROCESS_FROM_APRIL_2026"]


OPEN = ("referred", "eligible", "approved", "circulating", "offered")

PROCESS = Process(
    scheme_id="northshire",
    states=(*OPEN, "moved", "closed"),
    initial="referred",
    final={"moved", "closed"},
    roles={
        "referring_officer": "the officer of the referring landlord who supports the household",
        "coordinator": "the Northshire coordinator",
        "lead": "a partner landlord's lead for the scheme",
    },
    deadlines={
        "circulation": TimeLimit(clause("4.2"), length=1, unit="weeks", starts="approve",
                                 ends={"circulate", "close"}, what="circulate the approved request"),
        "response": TimeLimit(clause("4.3"), length=3, unit="working_days"),
    },
    steps=(
        Step("refer", NEW, "referred", "referring_officer", clause("4.1"),
             "The referring landlord's officer sends the referral to the coordinator."),
        Step("check_eligibility", "referred", None, "coordinator", clause("4.1"),
             "The coordinator checks the referral against the agreement (recorded with its outcome)."),
        Step("accept", "referred", "eligible", "coordinator", clause("4.1"),
             "The coordinator accepts an eligible referral and gives it a reference.",
             guards=(guards.found_eligible("northshire", clause("4.1")),)),
        Step("decline", "referred", "closed", "coordinator", clause("4.1"),
             "The coordinator declines a referral the check found ineligible.",
             guards=(guards.found_ineligible("northshire", clause("4.1")),)),
        Step("approve", "eligible", "approved", "lead", clause("4.1"),
             "The referring landlord's lead approves the referral."),
        Step("circulate", "approved", "circulating", "coordinator", clause("4.2"),
             "The coordinator circulates the request to partners with homes in the requested districts.",
             guards=guards.safe_circulation("northshire", clause("4.2"))),
        Step("circulate", "circulating", None, "coordinator", clause("4.2"),
             "The coordinator sends the request again.",
             guards=guards.safe_circulation("northshire", clause("4.2"))),
        Step("respond", "circulating", None, "lead", clause("4.3"),
             "A partner's lead answers the request."),
        Step("make_offer", "circulating", "offered", "lead", clause("4.4"),
             "A partner offers a home its assessment finds suitable.",
             guards=(guards.suitable_offer("northshire", clause("4.4")),)),
        Step("refuse_offer", "offered", "circulating", "coordinator", clause("4.4"),
             "The household refuses the offer and the request stays open."),
        Step("move", "offered", "moved", "coordinator", clause("4.5"),
             "The household moves; the landlord it leaves owes the scheme a home."),
        Step("close", OPEN, "closed", "coordinator", clause("4.1"),
             "The coordinator closes the case without a move."),
    ),
)

#: From 1 April 2026 partners have five working days to answer (4.3); the rest is unchanged.
PROCESS_FROM_APRIL_2026 = attrs.evolve(
    PROCESS,
    deadlines={**PROCESS.deadlines, "response": TimeLimit(clause("4.3"), length=5, unit="working_days")},
)
