"""The partner register in the store is the coordinator's record (Kent RP MoU §2.4 (first)): the
eligibility check, offers and circulation read partners' standing from it, so a notice to
withdraw recorded there stops new nominations (§5.5) even when the referral's copy of the
partner is out of date."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from reciprocity.inputs import load_document
from reciprocity.casework.cases import Cases
from reciprocity.partnership.service import Partners

from .register import COORDINATOR, lead, officer

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def cases(tmp_path: Path) -> Iterator[Cases]:
    with Cases.at(tmp_path / "cases.db", token=random.Random(5).randbytes) as opened:
        yield opened


def orchard() -> dict:
    partner = dict(load_document(EXAMPLES / "kent_rp_referral.json")["nominating_partner"])
    partner.pop("membership")
    return partner


def test_a_notice_in_the_register_stops_a_new_nomination(cases: Cases) -> None:
    """§5.5: during the notice period no new nominations can be made."""
    referral = load_document(EXAMPLES / "kent_rp_referral.json")  # its copy says: member since 2023
    Partners(cases.store).join("kent_rp", orchard(), on=date(2023, 9, 1), actor=("coordinator", "coordinator"))
    assert cases.check(cases.new("kent_rp", referral, case_id="K1", actor=officer("orchard_housing")).case_id,
                       on=date(2026, 3, 3), actor=COORDINATOR).eligibility == "eligible"
    Partners(cases.store).give_notice("kent_rp", "orchard_housing", on=date(2026, 2, 20), actor=("coordinator", "coordinator"))
    state = cases.check(cases.new("kent_rp", referral, case_id="K2", actor=officer("orchard_housing")).case_id,
                        on=date(2026, 3, 3), actor=COORDINATOR)
    assert state.eligibility == "ineligible"
    assert cases.store.stream("case:K2")[-1].event.payload["failed"] == ["kent_rp.nominator_active"]


def test_circulation_defaults_to_the_register(cases: Cases) -> None:
    partners = Partners(cases.store)
    partners.join("kent_rp", orchard(), on=date(2023, 9, 1), actor=("coordinator", "coordinator"))
    partners.join("kent_rp", {"id": "coast_homes", "kind": "registered_provider", "stock_areas": ["thanet"],
                              "data_sharing_protocol_signatory": True}, on=date(2023, 9, 1), actor=("coordinator", "coordinator"))
    partners.join("kent_rp", {"id": "weald_homes", "kind": "registered_provider", "stock_areas": ["maidstone"],
                              "data_sharing_protocol_signatory": True}, on=date(2023, 9, 1), actor=("coordinator", "coordinator"))
    cases.new("kent_rp", load_document(EXAMPLES / "kent_rp_referral.json"), case_id="K1",
              actor=officer("orchard_housing"))
    cases.check("K1", on=date(2026, 3, 3), actor=COORDINATOR)
    cases.accept("K1", on=date(2026, 3, 3), actor=COORDINATOR)
    cases.record("K1", "approve", on=date(2026, 3, 4), actor=lead("orchard_housing"))
    sent = cases.circulation("K1", on=date(2026, 3, 5))
    assert sent.recipients == ("coast_homes",)  # not the nominator, not weald (an unsafe area)
    assert cases.circulate("K1", on=date(2026, 3, 5), actor=COORDINATOR).rounds[-1].recipients == ("coast_homes",)
