"""Shared setup for the report tests: Kent RP cases walked through the real ``Cases`` API.

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

from reciprocity.inputs import load_document
from reciprocity.lifecycle.service import Cases

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COORDINATOR, LEAD, OFFICER = "coordinator", "named_lead", "nominating_officer"


def d(text: str) -> date:
    return date.fromisoformat(text)


class KentWalk:
    """Moves Kent RP cases through the process (MoU §4, the process's four stages)."""

    def __init__(self, cases: Cases) -> None:
        self.cases = cases
        self.referral = load_document(EXAMPLES / "kent_rp_referral.json")
        self.offer = load_document(EXAMPLES / "offers" / "kent_rp_offer.json")

    def refer(self, case_id: str, on: str, **changes: Any) -> None:
        self.cases.new("kent_rp", {**self.referral, "referred_on": on, **changes}, case_id=case_id)

    def open(self, case_id: str, referred: str, accepted: str, approved: str) -> str:
        """Refer, check, accept and approve; returns the case's ARC."""
        self.refer(case_id, referred)
        self.cases.check(case_id, on=d(accepted), role=COORDINATOR)
        arc = self.cases.accept(case_id, on=d(accepted), role=COORDINATOR).arc
        self.cases.record(case_id, "approve", on=d(approved), role=LEAD)
        assert arc is not None
        return arc

    def circulate(self, case_id: str, on: str, directory: list[Any]) -> tuple[str, ...]:
        return self.cases.circulate(case_id, directory, on=d(on), role=COORDINATOR).rounds[-1].recipients

    def respond(self, case_id: str, on: str, partner: str, can_help: bool) -> None:
        self.cases.record(case_id, "respond", on=d(on), role=LEAD,
                          payload={"partner": partner, "can_help": can_help})

    def make_offer(self, case_id: str, on: str, landlord: dict[str, Any] | None = None, **changes: Any) -> None:
        offer = {**self.offer, "made_on": on, **changes}
        if landlord is not None:
            offer["landlord"] = landlord
        self.cases.make_offer(case_id, offer, on=d(on), role=LEAD)

    def event(self, case_id: str, event: str, on: str, role: str = COORDINATOR, **payload: Any) -> None:
        self.cases.record(case_id, event, on=d(on), role=role, payload=payload)

    def sign_up(self, case_id: str, offered: str, accepted: str, moved: str, **offer: Any) -> None:
        """Offer, acceptance after the viewing, and the move (the sign-up)."""
        self.make_offer(case_id, offered, **offer)
        self.event(case_id, "accept_offer", accepted, role=OFFICER)
        self.event(case_id, "move", moved)


def counter_token() -> Callable[[int], bytes]:
    """Deterministic stand-in for secrets.token_bytes, distinct in the leading bits an ARC uses."""
    counter = itertools.count(1)
    return lambda n: (next(counter) << 8 * (n - 1)).to_bytes(n, "big")


def member(pid: str, *areas: str) -> dict[str, Any]:
    """A registered provider listed inline (a member since 2021) for circulation."""
    return {"id": pid, "kind": "registered_provider", "stock_areas": list(areas),
            "membership": {"joined_on": "2021-01-01"}}


def case_studies(kent: KentWalk) -> tuple[str, str]:
    """The two case studies of 004 in 2026 (referral, circulation and sign-up on their dates);
    returns their ARCs."""
    directory = [member("orchard_housing", "maidstone", "swale"), member("coast_homes", "thanet", "dover")]
    first = kent.open("CS1", "2026-06-28", accepted="2026-06-29", approved="2026-07-01")
    assert kent.circulate("CS1", "2026-07-04", directory) == ("coast_homes",)
    second = kent.open("CS2", "2026-07-11", accepted="2026-07-13", approved="2026-07-14")
    kent.circulate("CS2", "2026-07-15", directory)
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
