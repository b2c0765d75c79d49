"""Membership over time: Kent RP MoU §2.2 (first) (signing the data sharing protocol is the only
requirement to join), §2.4 (second) and §5.5 (one month's notice; outstanding nominations still
actioned; debts remain owed), §4.7 (removal after a breach), §6.1 (a change of named contact is
notified within seven days). KRS and the Cambridgeshire draft have no such clauses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from reciprocity.casework import Actor, ActorRefused
from reciprocity.errors import InvalidInputError
from reciprocity.casework.cases import Cases
from reciprocity.model import MembershipStatus
from reciprocity.partnership.record import MembershipRefused
from reciprocity.partnership.service import Partners, UnknownPartnerError
from reciprocity.store import EventStore

from ledger.walk import joining

D = date(2026, 3, 2)
COORDINATOR = Actor.coordinator()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EventStore]:
    with EventStore.at(tmp_path / "partners.db") as opened:
        yield opened


@pytest.fixture
def partners(store: EventStore) -> Partners:
    return Partners(store)


def test_joining_kent_rp_requires_the_data_sharing_protocol(partners: Partners, store: EventStore) -> None:
    """MoU §2.2 (first): the only requirement is to sign the data sharing protocol."""
    with pytest.raises(MembershipRefused, match=r"data sharing protocol \(Kent RP MoU §2.2 \(first\)\)"):
        partners.join("kent_rp", joining("orchard", "swale", signed=False), on=D, actor=COORDINATOR)
    assert store.streams("partner:") == []
    record = partners.join("kent_rp", joining("orchard", "swale"), on=D, actor=COORDINATOR)
    assert record.membership.joined_on == D and record.status_on(D) is MembershipStatus.ACTIVE
    assert record.status_on(date(2026, 3, 1)) is MembershipStatus.NOT_YET_JOINED
    # KRS has no such requirement.
    council = {"id": "ashford_bc", "kind": "local_authority", "authority_area": "ashford"}
    assert partners.join("kent_krs", council, on=D, actor=COORDINATOR).id == "ashford_bc"


def test_join_is_checked_against_the_scheme(partners: Partners) -> None:
    with pytest.raises(InvalidInputError, match=r"stock_areas\[1\]: is not an area of this scheme"):
        partners.join("kent_rp", joining("orchard", "swale", "cambridge"), on=D, actor=COORDINATOR)
    partners.join("kent_rp", joining("orchard", "swale"), on=D, actor=COORDINATOR)
    with pytest.raises(MembershipRefused, match="already joined"):
        partners.join("kent_rp", joining("orchard", "swale"), on=date(2026, 4, 1), actor=COORDINATOR)
    with pytest.raises(MembershipRefused, match="give no membership dates"):
        partners.join("kent_rp", {**joining("weald", "dover"), "membership": {"joined_on": "2020-01-01"}}, on=D, actor=COORDINATOR)
    with pytest.raises(MembershipRefused, match="has not joined this scheme; record `join` first"):
        partners.give_notice("kent_rp", "nope", on=D, actor=COORDINATOR)
    with pytest.raises(UnknownPartnerError, match="no partner with this id"):
        partners.get("kent_rp", "nope")


def test_notice_runs_a_month_and_the_withdrawal_takes_effect_at_its_end(partners: Partners) -> None:
    """MoU §5.5: one month's notice; no new nominations during it (the partner is in notice)."""
    partners.join("kent_rp", joining("orchard", "swale"), on=D, actor=COORDINATOR)
    partners.give_notice("kent_rp", "orchard", on=date(2026, 5, 15), actor=COORDINATOR)
    record = partners.get("kent_rp", "orchard")
    assert record.status_on(date(2026, 6, 14)) is MembershipStatus.NOTICE_GIVEN
    with pytest.raises(MembershipRefused, match="one month's notice .*takes effect on 2026-06-15"):
        partners.withdraw("kent_rp", "orchard", on=date(2026, 6, 14), actor=COORDINATOR)
    record = partners.withdraw("kent_rp", "orchard", on=date(2026, 6, 20), actor=COORDINATOR)  # recorded late
    assert record.membership.withdrawn_on == date(2026, 6, 15)
    assert record.status_on(date(2026, 6, 15)) is MembershipStatus.WITHDRAWN
    with pytest.raises(MembershipRefused, match="withdrawn already"):
        partners.withdraw("kent_rp", "orchard", on=date(2026, 7, 1), actor=COORDINATOR)


def test_withdrawal_needs_notice_in_kent_rp_but_not_where_the_text_sets_none(partners: Partners) -> None:
    partners.join("kent_rp", joining("orchard", "swale"), on=D, actor=COORDINATOR)
    with pytest.raises(MembershipRefused, match="give notice first"):
        partners.withdraw("kent_rp", "orchard", on=date(2026, 6, 1), actor=COORDINATOR)
    partners.join("cambridgeshire", joining("fen", "fenland"), on=D, actor=COORDINATOR)
    with pytest.raises(MembershipRefused, match="sets no notice period"):
        partners.give_notice("cambridgeshire", "fen", on=date(2026, 6, 1), actor=COORDINATOR)
    record = partners.withdraw("cambridgeshire", "fen", on=date(2026, 6, 1), actor=COORDINATOR)
    assert record.status_on(date(2026, 6, 1)) is MembershipStatus.WITHDRAWN


def test_removal_records_its_reason(partners: Partners) -> None:
    """MoU §4.7: a landlord found in breach can be removed from the partnership."""
    partners.join("kent_rp", joining("orchard", "swale"), on=D, actor=COORDINATOR)
    record = partners.remove("kent_rp", "orchard", on=date(2026, 9, 1), reason="breach", actor=COORDINATOR)
    assert record.status_on(date(2026, 9, 1)) is MembershipStatus.REMOVED and record.removal_reason == "breach"
    with pytest.raises(MembershipRefused, match="not a member"):
        partners.update_stock("kent_rp", "orchard", on=date(2026, 9, 2), stock_areas=["dover"], actor=COORDINATOR)


def test_a_vacant_named_lead_is_due_within_seven_days(store: EventStore, partners: Partners) -> None:
    """MoU §6.1: a change of named contact is notified within seven days; `due` lists it."""
    partners.join("kent_rp", {**joining("orchard", "swale"), "named_lead": "Reciprocal lead"}, on=D, actor=COORDINATOR)
    partners.change_named_lead("kent_rp", "orchard", on=date(2026, 5, 4), changed_on=date(2026, 5, 1),
                               named_lead=None, actor=COORDINATOR)
    cases = Cases(store)
    (item,) = cases.due(on=date(2026, 5, 5)).upcoming
    assert (item.kind, item.due_on, item.case, item.about) == ("named_contact", date(2026, 5, 8), "orchard", "partner")
    assert item.citation == "Kent RP MoU §6.1"
    assert [d.kind for d in cases.due(on=date(2026, 5, 9)).overdue] == ["named_contact"]
    record = partners.change_named_lead("kent_rp", "orchard", on=date(2026, 5, 12), changed_on=date(2026, 5, 11),
                                        named_lead="Housing options manager", actor=COORDINATOR)
    assert record.partner.named_lead == "Housing options manager" and record.lead_vacant_since is None
    assert cases.due(on=date(2026, 5, 12)).overdue == ()
    assert [c.late for c in record.lead_changes] == [False, False]
    with pytest.raises(MembershipRefused, match="dated after its notice"):
        partners.change_named_lead("kent_rp", "orchard", on=date(2026, 5, 12), changed_on=date(2026, 5, 13),
                                   named_lead=None, actor=COORDINATOR)


def test_a_withdrawal_falls_due_a_month_after_notice(store: EventStore, partners: Partners) -> None:
    """MoU §2.4 (second), §5.5: `due` lists the withdrawal to record when the notice runs out."""
    partners.join("kent_rp", joining("orchard", "swale"), on=D, actor=COORDINATOR)
    partners.give_notice("kent_rp", "orchard", on=date(2026, 12, 31), actor=COORDINATOR)
    report = Cases(store).due(on=date(2027, 1, 20))
    (item,) = report.upcoming
    assert (item.kind, item.due_on) == ("withdrawal", date(2027, 1, 31))
    partners.withdraw("kent_rp", "orchard", on=date(2027, 2, 1), actor=COORDINATOR)
    assert Cases(store).due(on=date(2027, 2, 1)).overdue == ()


def test_the_directory_gives_partners_with_their_dates(partners: Partners) -> None:
    """MoU §2.4 (first): the coordinator keeps the list of partners and their stock up to date."""
    partners.join("kent_rp", joining("orchard", "swale"), on=D, actor=COORDINATOR)
    partners.join("kent_rp", joining("coast", "thanet"), on=date(2026, 4, 1), actor=COORDINATOR)
    partners.update_stock("kent_rp", "coast", on=date(2026, 5, 1), stock_areas=["thanet", "dover"], actor=COORDINATOR)
    directory = {p.id: p for p in partners.directory("kent_rp")}
    assert directory["coast"].stock_areas == ("thanet", "dover")
    assert directory["coast"].membership is not None and directory["coast"].membership.joined_on == date(2026, 4, 1)
    assert [r.id for r in partners.all("kent_rp")] == ["orchard", "coast"]
    assert partners.all("kent_krs") == []


def test_a_former_partner_has_no_named_lead_to_change(partners: Partners) -> None:
    partners.join("cambridgeshire", joining("fen", "fenland"), on=D, actor=COORDINATOR)
    partners.withdraw("cambridgeshire", "fen", on=date(2026, 6, 1), actor=COORDINATOR)
    with pytest.raises(MembershipRefused, match="withdrawn, not a member"):
        partners.change_named_lead("cambridgeshire", "fen", on=date(2026, 6, 3), changed_on=date(2026, 6, 2),
                                   named_lead=None, actor=COORDINATOR)
    with pytest.raises(InvalidInputError, match="named_lead"):
        partners.change_named_lead("cambridgeshire", "fen", on=date(2026, 6, 3), changed_on=date(2026, 6, 2),
                                   named_lead="  ", actor=COORDINATOR)


# --- who records what (issue 12) ---------------------------------------------------------------

def test_the_register_is_the_coordinators_record(partners: Partners, store: EventStore) -> None:
    """Kent RP MoU §2.4 (first): the Local Coordinator keeps the list of partners and their
    stock; so only the coordinator records a join, a stock change or a removal, and a partner
    records only its own notice, withdrawal or named lead. A refusal writes nothing."""
    partners.join("kent_rp", joining("orchard", "swale"), on=D, actor=COORDINATOR)
    partners.join("kent_rp", joining("coast", "thanet"), on=D, actor=COORDINATOR)
    written = store.stream("partner:kent_rp:orchard")
    lead = Actor("orchard", "named_lead")
    refusals = [
        lambda: partners.join("kent_rp", joining("weald", "dover"), on=D, actor=Actor("weald", "named_lead")),
        lambda: partners.join("kent_rp", joining("weald", "dover"), on=D, actor=lead),
        lambda: partners.update_stock("kent_rp", "orchard", on=D, stock_areas=["dover"], actor=lead),
        lambda: partners.remove("kent_rp", "coast", on=D, actor=lead),
        lambda: partners.give_notice("kent_rp", "coast", on=D, actor=lead),  # another partner's notice
        lambda: partners.change_named_lead("kent_rp", "coast", on=D, changed_on=D, named_lead=None, actor=lead),
    ]
    for refused in refusals:
        with pytest.raises(ActorRefused, match="only (the scheme's coordinator|the partner itself)"):
            refused()
    assert store.stream("partner:kent_rp:orchard") == written
    assert store.stream("partner:kent_rp:weald") == []
    record = partners.give_notice("kent_rp", "orchard", on=date(2026, 5, 15), actor=lead)
    assert record.membership.notice_given_on == date(2026, 5, 15)
    last = store.stream("partner:kent_rp:orchard")[-1].event
    assert (last.payload["actor"], last.role) == ("orchard", "named_lead")
    assert store.stream("partner:kent_rp:orchard")[0].event.payload["actor"] == "coordinator"


def test_the_actor_is_not_a_payload_field(partners: Partners) -> None:
    """The actor is named with actor=, never smuggled in the payload."""
    partners.join("kent_rp", joining("orchard", "swale"), on=D, actor=COORDINATOR)
    with pytest.raises(InvalidInputError, match="actor"):
        partners.record("kent_rp", "orchard", "give_notice", on=D, actor=COORDINATOR, payload={"actor": "coast"})
