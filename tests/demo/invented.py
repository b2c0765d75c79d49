"""Two invented schemes for the demonstration's tests (tests/demo/test_any_scheme.py): each with
its own areas, rules, process (its own state and role names) and partnership, and no simulation
hints. ``open`` circulates requests to partners with homes in the requested areas, one of which
offers a home; ``open_councils`` sends them to every safe council, one of which gives final
acceptance while the referring council makes the offer, and counts referrals instead of keeping
debts. Nothing here describes a real scheme, organisation or person.
"""

from __future__ import annotations

from typing import Any

from reciprocity import Area, Scheme
from reciprocity.demo import SimulationHints
from reciprocity.lifecycle import guards
from reciprocity.lifecycle.process import NEW, Party, Process, Step
from reciprocity.partnership import LedgerKind, Partnership
from reciprocity.rules import Clause, Parameter, Rule, Source, fact, param

__all__ = ["COUNCILS", "HINTED", "OPEN", "RULES_ONLY", "invented"]

AGREEMENT = Source(key="open1", title="Open Boroughs Reciprocal Agreement (invented, for tests)",
                   citation="Open MoU", file="open_mou.txt")


def clause(ref: str) -> Clause:
    return Clause(AGREEMENT, ref)


AREAS = tuple(Area(id=f"borough_{n}", name=f"Borough {n.upper()}", council=f"Borough {n.upper()} Council (invented)")
              for n in "abcdef")


def _rules(scheme_id: str) -> tuple[Rule, ...]:
    def rule(name: str, require: Any, ref: str, statement: str) -> Rule:
        return Rule(id=f"{scheme_id}.{name}", clauses=clause(ref), statement=statement, require=require,
                    passed=f"{statement} (met)", failed=f"{statement} (not met)")

    return (
        rule("at_risk", fact("risk.at_risk").is_true(), "1", "The household is at risk where it lives."),
        rule("assessed", fact("risk.assessed_by").one_of(["idva", "da_professional"]), "1",
             "An IDVA or a domestic-abuse professional assessed the risk."),
        rule("dash", fact("risk.dash_score").ge(param("minimum_dash")), "1", "The DASH score reaches the minimum."),
        rule("duty", fact("homelessness.duty").one_of(["relief", "main"]), "2",
             "A council has accepted a relief or main homelessness duty."),
        rule("own_stock", fact("own_stock_exhausted").is_true(), "2", "The landlord's own homes cannot help."),
        rule("areas", fact("requested_areas").non_empty() & fact("requested_areas").all_in(param("scheme_areas")),
             "3", "The requested areas are in the scheme."),
    )


def _offer_rules(scheme_id: str) -> tuple[Rule, ...]:
    return (
        Rule(id=f"{scheme_id}.offer_safe", clauses=clause("4"), statement="The home is not in an unsafe area.",
             require=fact("offer.in_unsafe_area").is_false(), passed="the home is safe",
             failed="the home is in an unsafe area"),
    )


PARAMETERS = (
    Parameter(name="scheme_areas", label="scheme areas", description="The scheme's areas.",
              values=[(None, frozenset(a.id for a in AREAS))], clauses=clause("3")),
    Parameter(name="minimum_dash", label="minimum DASH score", description="The lowest DASH score accepted.",
              values=[(None, 15)], clauses=clause("1")),
)


def _circulated_process(scheme_id: str) -> Process:
    """Requests go to partners with homes in the requested areas; one offers a home."""
    c = clause("5")
    open_states = ("received", "accepted", "listed", "offered", "offer_accepted")
    return Process(
        scheme_id=scheme_id,
        states=(*open_states, "moved", "closed"),
        initial="received",
        final={"moved", "closed"},
        roles={"caseworker": "the nominating landlord's caseworker", "panel": "the scheme's panel",
               "landlord_lead": "a partner landlord's lead"},
        steps=(
            Step("refer", NEW, "received", "caseworker", c, "The caseworker refers the household."),
            Step("check_eligibility", "received", None, "panel", c, "The panel checks the referral."),
            Step("accept", "received", "accepted", "panel", c, "The panel accepts an eligible case.",
                 guards=(guards.found_eligible(scheme_id, c),)),
            Step("decline", "received", "closed", "panel", c, "The panel declines an ineligible case.",
                 guards=(guards.found_ineligible(scheme_id, c),)),
            Step("circulate", "accepted", "listed", "panel", c, "The panel lists the request with safe partners.",
                 guards=guards.safe_circulation(scheme_id, c)),
            Step("circulate", "listed", None, "panel", c, "The panel lists it again.",
                 guards=guards.safe_circulation(scheme_id, c)),
            Step("respond", "listed", None, "landlord_lead", c, "A partner answers."),
            Step("make_offer", "listed", "offered", "landlord_lead", c, "A partner offers a suitable home.",
                 guards=(guards.suitable_offer(scheme_id, c),)),
            Step("accept_offer", "offered", "offer_accepted", "caseworker", c, "The household accepts.",
                 party=Party.NOMINATOR),
            Step("refuse_offer", "offered", "listed", "caseworker", c, "The household refuses.",
                 party=Party.NOMINATOR),
            Step("move", "offer_accepted", "moved", "panel", c, "The household moves."),
            Step("close", open_states, "closed", "panel", c, "The case is closed without a move."),
        ),
    )


def _receiving_process(scheme_id: str) -> Process:
    """Every safe council is contacted; one gives final acceptance; the referring council offers."""
    c = clause("6")
    open_states = ("opened", "eligible", "asking", "taken_on", "offered", "offer_accepted")
    referring = Party.NOMINATOR
    return Process(
        scheme_id=scheme_id,
        states=(*open_states, "moved", "done", "closed"),
        initial="opened",
        final={"done", "closed"},
        roles={"sending_officer": "the referring council's officer", "taking_officer": "a safe council's officer"},
        circulate_to="safe_scheme_areas",
        steps=(
            Step("refer", NEW, "opened", "sending_officer", c, "The referring council opens the case."),
            Step("check_eligibility", "opened", None, "sending_officer", c, "It checks the case.", party=referring),
            Step("accept", "opened", "eligible", "sending_officer", c, "It accepts an eligible case.",
                 party=referring, guards=(guards.found_eligible(scheme_id, c),)),
            Step("decline", "opened", "closed", "sending_officer", c, "It declines an ineligible case.",
                 party=referring, guards=(guards.found_ineligible(scheme_id, c),)),
            Step("circulate", ("eligible", "asking"), "asking", "sending_officer", c, "It asks the safe councils.",
                 party=referring, guards=guards.safe_circulation(scheme_id, c)),
            Step("respond", "asking", None, "taking_officer", c, "A council that can help answers."),
            Step("final_acceptance", "asking", "taken_on", "taking_officer", c, "That council takes the case on."),
            Step("make_offer", "taken_on", "offered", "sending_officer", c, "The referring council offers the home.",
                 party=referring, guards=(guards.suitable_offer(scheme_id, c),)),
            Step("accept_offer", "offered", "offer_accepted", "taking_officer", c, "The household accepts.",
                 party=Party.RECEIVER),
            Step("refuse_offer", "offered", "taken_on", "taking_officer", c, "The household refuses.",
                 party=Party.RECEIVER),
            Step("move", "offer_accepted", "moved", "taking_officer", c, "The household moves.",
                 party=Party.RECEIVER),
            Step("end_duty", "moved", "done", ("sending_officer", "taking_officer"), c,
                 "The council holding the duty ends it."),
            Step("close", open_states, "closed", "sending_officer", c, "The case is closed.", party=referring),
        ),
    )


def invented(scheme_id: str, *, receiving: bool = False, **changes: Any) -> Scheme:
    declared: dict[str, Any] = {
        "id": scheme_id, "title": f"{scheme_id} (invented)", "summary": "An invented scheme for tests.",
        "version": "test.1", "sources": (AGREEMENT,), "areas": AREAS, "rules": _rules(scheme_id),
        "offer_rules": _offer_rules(scheme_id), "parameters": PARAMETERS,
        "process": (_receiving_process if receiving else _circulated_process)(scheme_id),
        "partnership": Partnership(ledger=LedgerKind.REFERRAL_COUNTS if receiving else LedgerKind.PROPERTIES,
                                   ledger_clauses=[clause("7")]),
    }
    return Scheme(**{**declared, **changes})


OPEN = invented("open")
COUNCILS = invented("open_councils", receiving=True)
#: A scheme with rules but no process: the demonstration cannot play it.
RULES_ONLY = invented("open_rules", process=None)
#: The first scheme again, with a few hints.
HINTED = invented("open_hinted", simulation=SimulationHints(
    reference="OPH", providers=2, councils=1, ineligible={"risk.assessed_by": "police"},
    missing=("own_stock_exhausted",)))
