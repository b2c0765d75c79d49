"""Shared setup for the report tests: Kent RP cases walked through the real ``Cases`` commands,
each by its actor, with the partners joined to the register first.

Dates are in 2026 (the example referral's ``referred_on`` is replaced per case); ARCs come
from a counter, so every run writes the same store.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reciprocity.casework import Actor, Cases
from reciprocity.inputs import load_document
from reciprocity.partnership.service import Partners

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COORDINATOR = Actor.coordinator()


def d(text: str) -> date:
    return date.fromisoformat(text)


def lead(pid: str) -> Actor:
    """A partner's Reciprocal Named Lead."""
    return Actor(pid, "named_lead")


def officer(pid: str) -> Actor:
    """The nominating officer, for partner ``pid``."""
    return Actor(pid, "nominating_officer")


class KentWalk:
    """Moves Kent RP cases through the process (MoU §4, the process's four stages), each step
    by the actor the process names: the nominating partner's officer refers and reports the
    viewing, its named lead approves, the coordinator checks, accepts, circulates and records
    the move, a recipient's named lead answers and offers its own home."""

    def __init__(self, cases: Cases) -> None:
        self.cases = cases
        self.referral = load_document(EXAMPLES / "kent_rp_referral.json")
        self.offer = load_document(EXAMPLES / "offers" / "kent_rp_offer.json")
        self.nominator = self.referral["nominating_partner"]["id"]

    def refer(self, case_id: str, on: str, **changes: Any) -> None:
        self.cases.new("kent_rp", {**self.referral, "referred_on": on, **changes}, case_id=case_id,
                       actor=officer(self.nominator))

    def open(self, case_id: str, referred: str, accepted: str, approved: str) -> str:
        """Refer, check, accept and approve; returns the case's ARC."""
        self.refer(case_id, referred)
        self.cases.check(case_id, on=d(accepted), actor=COORDINATOR)
        arc = self.cases.accept(case_id, on=d(accepted), actor=COORDINATOR).arc
        self.cases.record(case_id, "approve", on=d(approved), actor=lead(self.nominator))
        assert arc is not None
        return arc

    def circulate(self, case_id: str, on: str) -> tuple[str, ...]:
        """Circulate to the partners the register gives on ``on``; the recipients."""
        return self.cases.circulate(case_id, on=d(on), actor=COORDINATOR).rounds[-1].recipients

    def respond(self, case_id: str, on: str, partner: str, can_help: bool) -> None:
        self.cases.respond(case_id, on=d(on), actor=lead(partner), can_help=can_help)

    def make_offer(self, case_id: str, on: str, landlord: dict[str, Any] | None = None, **changes: Any) -> None:
        """The offered home's landlord (a recipient of the request) offers it."""
        offer = {**self.offer, "made_on": on, **changes}
        if landlord is not None:
            offer["landlord"] = landlord
        self.cases.make_offer(case_id, offer, on=d(on), actor=lead(offer["landlord"]["id"]))

    def event(self, case_id: str, event: str, on: str, actor: Actor = COORDINATOR, **payload: Any) -> None:
        self.cases.record(case_id, event, on=d(on), actor=actor, payload=payload)

    def sign_up(self, case_id: str, offered: str, accepted: str, moved: str, **offer: Any) -> None:
        """Offer, acceptance after the viewing, and the move (the sign-up)."""
        self.make_offer(case_id, offered, **offer)
        self.event(case_id, "accept_offer", accepted, actor=officer(self.nominator))
        self.event(case_id, "move", moved)


def counter_token() -> Callable[[int], bytes]:
    """Deterministic stand-in for secrets.token_bytes, distinct in the leading bits an ARC uses."""
    counter = itertools.count(1)
    return lambda n: (next(counter) << 8 * (n - 1)).to_bytes(n, "big")


def provider(pid: str, *areas: str) -> dict[str, Any]:
    """A registered provider to join the register with (a signatory of the data sharing protocol,
    Kent RP MoU §2.2; no membership dates: the join's date is its joining date)."""
    return {"id": pid, "kind": "registered_provider", "stock_areas": list(areas),
            "data_sharing_protocol_signatory": True}


def case_studies(kent: KentWalk) -> tuple[str, str]:
    """The two case studies of 004 in 2026 (referral, circulation and sign-up on their dates);
    returns their ARCs. The two partners join the register in 2021, before the cases."""
    partners = Partners(kent.cases.store)
    for partner in (provider("orchard_housing", "maidstone", "swale"), provider("coast_homes", "thanet", "dover")):
        partners.join("kent_rp", partner, on=d("2021-01-01"), actor=("coordinator", "coordinator"))
    first = kent.open("CS1", "2026-06-28", accepted="2026-06-29", approved="2026-07-01")
    assert kent.circulate("CS1", "2026-07-04") == ("coast_homes",)
    second = kent.open("CS2", "2026-07-11", accepted="2026-07-13", approved="2026-07-14")
    assert kent.circulate("CS2", "2026-07-15") == ("coast_homes",)
    kent.sign_up("CS2", offered="2026-07-20", accepted="2026-07-24", moved="2026-08-01")
    kent.sign_up("CS1", offered="2026-08-03", accepted="2026-08-07", moved="2026-08-16")
    return first, second


@pytest.fixture
def cases(tmp_path: Path) -> Iterator[Cases]:
    with Cases.at(tmp_path / "cases.db", token=counter_token()) as opened:
        yield opened


@pytest.fixture
def kent(cases: Cases) -> KentWalk:
    return KentWalk(cases)
