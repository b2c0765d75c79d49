"""`verify` finds hand-forged events (issue 12, "What to build": replaying the store re-checks
what it reads; an event whose recorded derived content disagrees with a recomputation is
reported). Each test builds a clean Kent RP store through the commands, shows it verifies,
appends one forged event (or a few) with `store.append`, bypassing the commands, and checks the
problem reported: its kind, its position, what it names, and that it repeats no personal data."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
import pytest

from reciprocity import assess_offer
from reciprocity.casework import Cases
from reciprocity.casework.arbitration import Arbitrations
from reciprocity.casework.derive import check_body, circulation_body, move_entry, offer_body
from reciprocity.casework.verify import KINDS, Problem, VerifyReport, verify
from reciprocity.inputs import coerce_offer
from reciprocity.ledger.service import Ledger, move_event
from reciprocity.partnership.service import Partners
from reciprocity.store import Event
from reciprocity.store.streams import arc_stream, ledger_stream, partner_stream

from ledger.walk import walk_to_move
from verify.forge import COORDINATOR, D0, forge, forge_case, join_partners, offer, referral, walk

KENT = "kent_rp"


@pytest.fixture
def cases(tmp_path: Path) -> Iterator[Cases]:
    with Cases.at(tmp_path / "cases.db", token=random.Random(5).randbytes) as opened:
        join_partners(opened)
        yield opened


def only(report: VerifyReport, kind: str) -> Problem:
    """The one problem of ``report``, which must be of ``kind``."""
    assert len(report.problems) == 1, report.problems
    (problem,) = report.problems
    assert problem.kind == kind and problem.kind in KINDS
    return problem


def clean(cases: Cases) -> None:
    report = verify(cases.store)
    assert report.ok and report.problems == () and report.events_checked > 0, report.problems


def test_an_edited_check_outcome(cases: Cases) -> None:
    """check_eligibility: the outcome is the check's on that day, not a caller's word."""
    state = walk(cases, "K1", "referred")
    clean(cases)
    _, body = check_body(cases.store, state, D0)
    assert body["outcome"] == "eligible"
    forged = forge_case(cases.store, "K1", "check_eligibility", D0, "coordinator", {**body, "outcome": "ineligible"})
    problem = only(verify(cases.store), "derived_content")
    assert (problem.position, problem.stream, problem.event_type) == (forged.position, "case:K1", "check_eligibility")
    assert "recorded outcome differ" in problem.message


def test_a_recipient_with_homes_in_an_unsafe_area(cases: Cases) -> None:
    """circulate: recipients and their areas come from the register, never into an unsafe area
    (Kent RP MoU §4.2), even when the recorded areas are forged to hide it from the guard."""
    state = walk(cases, "K1", "approved")
    clean(cases)
    body = circulation_body(cases.store, state, D0 + timedelta(days=2))
    assert "p9" not in body["recipients"] and ["p9", "has_homes_in_an_unsafe_area"] in body["excluded"]
    forged = dict(body, recipients=[*body["recipients"], "p9"],
                  excluded=[e for e in body["excluded"] if e[0] != "p9"],
                  recipient_areas={**body["recipient_areas"], "p9": ["thanet"]})
    at = forge_case(cases.store, "K1", "circulate", D0 + timedelta(days=2), "coordinator", forged).position
    report = verify(cases.store)
    assert {p.kind for p in report.problems} == {"derived_content"} and {p.position for p in report.problems} == {at}
    messages = " | ".join(p.message for p in report.problems)
    assert "recipients, excluded, recipient_areas differ" in messages
    assert "sent to p9, which the partner register on the day does not let the request reach" in messages


def test_a_request_with_extra_text(cases: Cases) -> None:
    """circulate: the request partners receive is the one the library builds; an added field is
    reported by count, and neither its name nor its text is repeated."""
    state = walk(cases, "K1", "approved")
    body = circulation_body(cases.store, state, D0 + timedelta(days=2))
    request = dict(body["request"], survivor_name="Jane Doe", adults=5)
    forge_case(cases.store, "K1", "circulate", D0 + timedelta(days=2), "coordinator", dict(body, request=request))
    problem = only(verify(cases.store), "derived_content")
    assert "request.adults" in problem.message and "request (1 field the library does not write)" in problem.message
    assert "Jane" not in problem.message and "survivor_name" not in problem.message


def test_request_notes_holding_a_phone_number(cases: Cases) -> None:
    """circulate: the notes are screened again (without the names the case knew, which are not
    stored); the number itself is never shown."""
    state = walk(cases, "K1", "approved")
    body = circulation_body(cases.store, state, D0 + timedelta(days=2), notes="ground floor preferred")
    request = dict(body["request"], notes="call her on 07700 900 123")
    forge_case(cases.store, "K1", "circulate", D0 + timedelta(days=2), "coordinator", dict(body, request=request))
    problem = only(verify(cases.store), "derived_content")
    assert "cannot be recomputed" in problem.message and "notes" in problem.message
    assert "07700" not in problem.message and "900" not in problem.message


def test_an_offer_recorded_as_eligible_that_the_assessment_finds_ineligible(cases: Cases) -> None:
    """make_offer: the assessment is assess_offer's (never in an unsafe area, MoU §4.4)."""
    state = walk(cases, "K1", "circulating")
    clean(cases)
    home = offer(area="maidstone")  # unsafe for this household
    on = D0 + timedelta(days=10)
    _, event, body = offer_body(cases.store, state, coerce_offer(home), on)
    assert event == "make_offer" and body["assessment"] == "ineligible"
    assert assess_offer(KENT, state.referral, home, on=on).outcome.value == "ineligible"
    forged = forge_case(cases.store, "K1", "make_offer", on, "named_lead",
                        {**body, "assessment": "eligible", "failed": []}, actor="p2")
    problem = only(verify(cases.store), "derived_content")
    assert problem.position == forged.position and problem.event_type == "make_offer"
    assert "recorded assessment, failed differ" in problem.message


def test_a_move_whose_ledger_entry_names_the_wrong_partner(cases: Cases) -> None:
    """move: the ledger entry is the one the move derives (the landlord of the accepted offer
    is owed, Kent RP MoU §4.6), written in the move's transaction."""
    state = walk(cases, "K1", "offer_accepted")
    clean(cases)
    on = D0 + timedelta(days=20)
    entry = move_entry(state, on).model_copy(update={"accepting": "p3", "case_event": "forged-move"})
    cases.store.append_many([
        Event("forged-move", "case:K1", "move", on, "coordinator", {"actor": "coordinator"}),
        move_event(KENT, "forged-move", on, entry),
    ])
    problem = only(verify(cases.store), "ledger")
    assert problem.stream == "case:K1" and problem.event_type == "move"
    assert "records accepting other than the move derives" in problem.message


def test_a_ledger_move_with_no_case_move(cases: Cases) -> None:
    """Every ledger move entry has its case's move event (no debt without a move)."""
    state = walk(cases, "K1", "offer_accepted")
    entry = move_entry(state, D0 + timedelta(days=20)).model_copy(update={"case_event": "no-such-move"})
    forged = cases.store.append(move_event(KENT, "no-such-move", D0 + timedelta(days=20), entry))
    problem = only(verify(cases.store), "ledger")
    assert (problem.position, problem.stream) == (forged.position, ledger_stream(KENT))
    assert "has no move event in a case" in problem.message


def test_a_correction_of_no_entry(cases: Cases) -> None:
    """A correction reverses an existing move entry."""
    walk(cases, "K1", "moved")
    clean(cases)
    forge(cases.store, ledger_stream(KENT), "correction", D0 + timedelta(days=30), "coordinator",
          {"reverses": "ledger-nothing", "code": "duplicate"})
    assert "no ledger entry with this id to reverse" in only(verify(cases.store), "ledger").message


def test_an_event_with_no_actor(cases: Cases) -> None:
    """Every event records who acted (issue 12, Actors)."""
    walk(cases, "K1", "eligible")
    forged = forge_case(cases.store, "K1", "approve", D0 + timedelta(days=1), "named_lead", {}, actor=None)
    problem = only(verify(cases.store), "actor")
    assert problem.position == forged.position and "names no actor" in problem.message


def test_an_actor_not_in_the_register(cases: Cases) -> None:
    """A referral by a nominating partner the register does not hold: the process lets the
    nominator refer, the register check does not; the unknown id is not repeated."""
    forged = forge_case(cases.store, "K2", "refer", D0, "nominating_officer",
                        {"scheme": KENT, "referral": referral("jane_doe")}, actor="jane_doe")
    problem = only(verify(cases.store), "actor")
    assert problem.position == forged.position
    assert "not in the kent_rp register" in problem.message and "jane_doe" not in problem.message


def test_an_actor_that_is_not_the_party_and_later_events_still_checked(cases: Cases) -> None:
    """A refusal by the process is a problem and verification goes on: the case continues from
    the state as recorded, so a later forged event in it is still found."""
    state = walk(cases, "K1", "eligible")
    refused = forge_case(cases.store, "K1", "approve", D0 + timedelta(days=1), "named_lead", {}, actor="p2")
    body = circulation_body(cases.store, state, D0 + timedelta(days=2))
    later = forge_case(cases.store, "K1", "circulate", D0 + timedelta(days=2), "coordinator", dict(body, round=7))
    report = verify(cases.store)
    assert [(p.position, p.kind) for p in report.problems] == [(refused.position, "process"),
                                                                (later.position, "derived_content")]
    assert "is for the named_lead of the nominating partner, not p2" in report.problems[0].message


def test_an_event_the_process_does_not_allow(cases: Cases) -> None:
    """A move on a case only referred: refused, and the rest of the store is still checked."""
    walk(cases, "K1", "referred")
    walk(cases, "K3", "referred")
    refused = forge_case(cases.store, "K1", "move", D0, "coordinator", {})
    forged = forge_case(cases.store, "K3", "check_eligibility", D0, "coordinator",
                        {"outcome": "needs_information", "failed": [], "open": []})
    report = verify(cases.store)
    assert [(p.position, p.kind) for p in report.problems] == [(refused.position, "process"),
                                                                (forged.position, "derived_content")]
    assert "not allowed in state 'referred'" in report.problems[0].message


def test_one_arc_claimed_by_two_cases(cases: Cases) -> None:
    """accept: the ARC is claimed by this case and by no other."""
    first = walk(cases, "K1", "checked")
    first = cases.accept("K1", on=D0, actor=COORDINATOR)
    walk(cases, "K2", "checked")
    assert first.arc is not None
    forge_case(cases.store, "K2", "accept", D0, "coordinator", {"arc": first.arc})
    forge(cases.store, arc_stream(first.arc), "claim", D0, "coordinator", {"case": "K2"}, actor=None)
    report = verify(cases.store)
    assert {p.kind for p in report.problems} == {"arc"}
    assert {p.stream for p in report.problems} == {"case:K1", "case:K2"}
    assert all("claimed by another case too" in p.message for p in report.problems)


#: The day p1's household moves (p1 then owes the pool a home).
DAY = D0 + timedelta(days=100)


@pytest.fixture
def arbitrated(tmp_path: Path) -> Iterator[Cases]:
    """Kent RP MoU §4.7: p1 owes a home, declines p3's applicant, and the coordinator asks for
    arbitration of the refusal on DAY + 61 (six signatory partners, so a panel can sit)."""
    with Cases.at(tmp_path / "arb.db", token=random.Random(7).randbytes) as cases:
        for pid in ("p1", "p2", "p3", "p4", "p5", "p6"):
            Partners(cases.store).join(KENT, {"id": pid, "kind": "registered_provider", "stock_areas": ["thanet"],
                                              "data_sharing_protocol_signatory": True},
                                       on=D0 - timedelta(days=2000), actor=COORDINATOR)
        walk_to_move(cases, "K1", scheme=KENT, nominator="p1", acceptor="p2", moved_on=DAY)
        walk_to_move(cases, "K2", scheme=KENT, nominator="p3", acceptor="p4", moved_on=DAY + timedelta(days=60),
                     decline=("p1",))
        Arbitrations(cases.store).request("K2", "p1", on=DAY + timedelta(days=61), actor=COORDINATOR)
        yield cases


def decided(cases: Cases, *, justified: bool) -> str:
    """The arbitration's id, its finding recorded on DAY + 70."""
    arbitrations = Arbitrations(cases.store)
    (arbitration,) = arbitrations.all(KENT)
    arbitrations.decide(KENT, arbitration.id, on=DAY + timedelta(days=70), justified=justified, actor=COORDINATOR)
    return arbitration.id


def test_a_removal_naming_an_arbitration_that_found_the_refusal_justified(arbitrated: Cases) -> None:
    """Kent RP MoU §4.7: a removal after arbitration is for a breach the panel found (the
    refusal not justified), of the partner removed; the command checks it, a forged one is found."""
    justified = decided(arbitrated, justified=True)
    clean(arbitrated)
    forged = forge(arbitrated.store, partner_stream(KENT, "p1"), "remove", DAY + timedelta(days=80), "coordinator",
                   {"reason": "breach", "arbitration": justified})
    problem = only(verify(arbitrated.store), "removal")
    assert (problem.position, problem.event_type) == (forged.position, "remove")
    assert "found the refusal justified" in problem.message
    # A removal of another partner naming it, through the register's own command (which
    # leaves the check to remove_in_breach): found too.
    Partners(arbitrated.store).remove(KENT, "p5", on=DAY + timedelta(days=81), actor=COORDINATOR,
                                      arbitration=justified)
    assert [p.message for p in verify(arbitrated.store).problems][1].startswith(
        "the arbitration the removal names is of another partner's refusal, not p5's")


def test_a_removal_after_a_breach_and_a_correction_verify(arbitrated: Cases) -> None:
    """The control: the command's removal after a finding of breach, and the coordinator's
    correction of a move entry, are no problem."""
    found = decided(arbitrated, justified=False)
    Arbitrations(arbitrated.store).remove_in_breach(KENT, found, on=DAY + timedelta(days=80), actor=COORDINATOR)
    ledger = Ledger(arbitrated.store)
    ledger.correct(KENT, ledger.history(KENT)[0].entry_id, on=DAY + timedelta(days=90), actor=COORDINATOR,
                   code="agreed_by_partners")
    clean(arbitrated)


def test_the_walk_itself_verifies(cases: Cases) -> None:
    """The control: a case walked through every command to its move has no problem, and each
    kind of derived event was checked."""
    walk(cases, "K1", "moved")
    walk_to_move(cases, "K9", scheme="cambridgeshire", nominator="p1", acceptor="p2", moved_on=D0 + timedelta(days=40))
    report = verify(cases.store)
    assert report.ok and report.events_checked == len(list(cases.store.all()))
    checked = {r.event.type for r in cases.store.all()}
    assert {"check_eligibility", "accept", "circulate", "make_offer", "move", "claim", "join"} <= checked


def test_streams_the_process_cannot_follow(cases: Cases) -> None:
    """A case that does not open with a referral, and an unreadable payload (whose field is
    named, its value never): each is a process problem, said once, and the store is still
    checked past them."""
    walk(cases, "K1", "referred")
    orphan = forge_case(cases.store, "K7", "approve", D0, "named_lead", {}, actor="p1")
    bad = forge_case(cases.store, "K1", "check_eligibility", D0, "coordinator",
                     {"outcome": "Jane Doe is fine", "failed": [], "open": []})
    forge_case(cases.store, "K1", "accept", D0, "coordinator", {"arc": "ARC-7KQ2-M9XD"})
    walk(cases, "K3", "referred")
    late = forge_case(cases.store, "K3", "check_eligibility", D0, "coordinator",
                      {"outcome": "ineligible", "failed": [], "open": []})
    report = verify(cases.store)
    found = [(p.position, p.kind) for p in report.problems]
    assert found == [(orphan.position, "process"), (bad.position, "process"), (bad.position, "process"),
                     (late.position, "derived_content")]
    messages = {p.message for p in report.problems if p.kind == "process"}
    assert "the payload is not valid: outcome" in messages
    assert "the case cannot be followed past this event; its 1 later event(s) are not checked" in messages
    assert any("does not open with a referral" in m for m in messages)
    assert not any("Jane" in p.message for p in report.problems)


def test_the_kinds_are_a_closed_vocabulary() -> None:
    with pytest.raises(ValueError, match="kind"):
        Problem(1, "case:K1", "refer", "something_else", "a message")
