"""Arbitration, Kent RP MoU §4.7: when a landlord that owes a home declines an applicant, the
coordinator may ask a panel of three signatory partners whether the refusal was justified; a
landlord found in breach can be removed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reciprocity.casework import Actor, ActorRefused, Cases
from reciprocity.casework.arbitration import PANEL_SIZE, ArbitrationRefused, Arbitrations, draw_panel
from reciprocity.model import MembershipStatus
from reciprocity.partnership.service import Partners

from ledger.walk import joining, walk_to_move

D = date(2026, 5, 1)
COORDINATOR = Actor.coordinator()


@pytest.fixture
def cases(tmp_path: Path) -> Iterator[Cases]:
    with Cases.at(tmp_path / "cases.db", token=random.Random(7).randbytes) as opened:
        partners = Partners(opened.store)
        for pid in ("p1", "p2", "p3", "p4", "p5", "p6"):
            partners.join("kent_rp", joining(pid, "thanet"), on=date(2021, 1, 1), actor=("coordinator", "coordinator"))
        yield opened


def owes_and_declines(cases: Cases) -> None:
    """p1 nominates a household that p2 houses (p1 now owes), then declines p3's applicant."""
    walk_to_move(cases, "K1", scheme="kent_rp", nominator="p1", acceptor="p2", moved_on=D)
    walk_to_move(cases, "K2", scheme="kent_rp", nominator="p3", acceptor="p4", moved_on=D + timedelta(days=60),
                 decline=("p1",))


def test_a_panel_of_three_signatories_excludes_both_parties_and_can_be_redrawn(cases: Cases) -> None:
    owes_and_declines(cases)
    on = D + timedelta(days=61)
    # Only the coordinator asks for arbitration and draws the panel (MoU §4.7), not the nominating partner.
    with pytest.raises(ActorRefused, match="only the coordinator"):
        Arbitrations(cases.store).request("K2", "p1", on=on, actor=Actor("p3", "named_lead"))
    assert cases.store.streams("arbitration:") == []
    found = Arbitrations(cases.store).request("K2", "p1", on=on, actor=COORDINATOR)
    assert len(found.panel) == PANEL_SIZE and not {"p1", "p3"} & set(found.panel)
    assert found.candidates == ("p2", "p4", "p5", "p6")
    assert draw_panel(found.candidates, found.seed) == found.panel  # anyone can check the draw
    assert found.arc == cases.get("K2").arc and found.finding is None
    again = Arbitrations(cases.store).request("K2", "p1", on=on, actor=COORDINATOR)  # a retry: the same one
    assert again == found and len(Arbitrations(cases.store).all("kent_rp")) == 1


def test_arbitration_is_only_for_a_partner_that_owes_and_declined(cases: Cases) -> None:
    arbitrations = Arbitrations(cases.store)
    walk_to_move(cases, "K0", scheme="kent_rp", nominator="p3", acceptor="p4", moved_on=D, decline=("p1",))
    with pytest.raises(ArbitrationRefused, match="p1 owes the pool no home"):
        arbitrations.request("K0", "p1", on=D + timedelta(days=1), actor=COORDINATOR)
    with pytest.raises(ArbitrationRefused, match="the partner named has not declined case K0's request"):
        arbitrations.request("K0", "p5", on=D + timedelta(days=1), actor=COORDINATOR)
    assert cases.store.streams("arbitration:") == []


def test_the_finding_is_recorded_once_and_a_breach_allows_removal(cases: Cases) -> None:
    owes_and_declines(cases)
    arbitrations = Arbitrations(cases.store)
    found = arbitrations.request("K2", "p1", on=D + timedelta(days=61), actor=COORDINATOR)
    partners = Partners(cases.store)
    with pytest.raises(ArbitrationRefused, match="did not find p1 in breach"):
        arbitrations.remove_in_breach("kent_rp", found.id, on=D + timedelta(days=70), actor=COORDINATOR)
    with pytest.raises(ActorRefused, match="only the coordinator"):
        arbitrations.decide("kent_rp", found.id, on=D + timedelta(days=80), justified=False,
                            actor=Actor("p2", "named_lead"))
    decided = arbitrations.decide("kent_rp", found.id, on=D + timedelta(days=80), justified=False, actor=COORDINATOR)
    assert decided.breach and decided.decided_on == D + timedelta(days=80)
    with pytest.raises(ArbitrationRefused, match="already been decided"):
        arbitrations.decide("kent_rp", found.id, on=D + timedelta(days=81), justified=True, actor=COORDINATOR)
    assert arbitrations.decide("kent_rp", found.id, on=D + timedelta(days=80), justified=False,
                               actor=COORDINATOR) == decided
    with pytest.raises(ActorRefused, match="only the coordinator"):
        arbitrations.remove_in_breach("kent_rp", found.id, on=D + timedelta(days=90), actor=Actor("p3", "named_lead"))
    assert partners.get("kent_rp", "p1").status_on(D + timedelta(days=90)) is MembershipStatus.ACTIVE
    record = arbitrations.remove_in_breach("kent_rp", found.id, on=D + timedelta(days=90), actor=COORDINATOR)
    assert record.status_on(D + timedelta(days=90)) is MembershipStatus.REMOVED
    assert record.removal_arbitration == found.id


def test_a_panel_needs_three_signatories_besides_the_parties(tmp_path: Path) -> None:
    with Cases.at(tmp_path / "few.db") as cases:
        for pid in ("p1", "p2", "p3", "p4"):
            Partners(cases.store).join("kent_rp", joining(pid, "thanet"), on=date(2021, 1, 1), actor=("coordinator", "coordinator"))
        owes_and_declines(cases)
        with pytest.raises(ArbitrationRefused, match="needs 3 signatory partners .* only 2"):
            Arbitrations(cases.store).request("K2", "p1", on=D + timedelta(days=61), actor=COORDINATOR)


def test_schemes_without_arbitration_refuse_it(cases: Cases) -> None:
    walk_to_move(cases, "C1", scheme="cambridgeshire", nominator="p1", acceptor="p2", moved_on=D, decline=("p5",))
    with pytest.raises(ArbitrationRefused, match="provides no arbitration"):
        Arbitrations(cases.store).request("C1", "p5", on=D, actor=COORDINATOR)


@given(candidates=st.sets(st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True), min_size=5, max_size=30),
       seed=st.binary(min_size=32, max_size=32).map(bytes.hex), data=st.data())
def test_a_panel_never_contains_a_party(candidates: set[str], seed: str, data: st.DataObject) -> None:
    """The draw is from the candidates left once the parties are taken out, and is reproducible."""
    declining, nominating = data.draw(st.lists(st.sampled_from(sorted(candidates)), min_size=2, max_size=2,
                                               unique=True))
    pool = candidates - {declining, nominating}
    panel = draw_panel(pool, seed)
    assert len(set(panel)) == PANEL_SIZE and set(panel) <= pool
    assert declining not in panel and nominating not in panel
    assert draw_panel(sorted(pool, reverse=True), seed) == panel
