"""A Kent RP store built through the commands, and events forged on it by hand (test helper).

:func:`walk` takes a case through the commands to a given state; :func:`forge` appends a raw
event to a stream with :meth:`EventStore.append`, bypassing every command and check, as a
housing system writing to the database directly would. :func:`demo_store` keeps a small
demonstration year in a file, as `reciprocity demo --db` writes it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from reciprocity.casework import Actor, Cases
from reciprocity.cli import cli
from reciprocity.inputs import load_document
from reciprocity.lifecycle.case import CaseState
from reciprocity.lifecycle.events import ACTOR_KEY
from reciprocity.store import Event, Recorded
from reciprocity.store.streams import case_stream

from ledger.walk import EXAMPLES, partner, register

D0 = date(2026, 3, 2)
COORDINATOR = Actor.coordinator()
#: p1 nominates (homes in swale, where the household lives); p2 and p3 hold homes in thanet;
#: p9 holds homes in thanet and in maidstone, an area the example household marks unsafe.
PARTNERS = {"p1": ("swale",), "p2": ("thanet",), "p3": ("thanet",), "p9": ("thanet", "maidstone")}
#: The states :func:`walk` can stop at, in the order the case reaches them.
STATES = ("referred", "checked", "eligible", "approved", "circulating", "offered", "offer_accepted", "moved")


def join_partners(cases: Cases) -> None:
    for pid, areas in PARTNERS.items():
        register(cases, "kent_rp", pid, *areas)


def referral(nominator: str = "p1") -> dict[str, Any]:
    out = copy.deepcopy(load_document(EXAMPLES / "kent_rp_referral.json"))
    out.update(id=None, nominating_partner=partner(nominator, "swale"), current_area="swale")
    out["tenancy"]["landlord"] = nominator
    return out


def offer(landlord: str = "p2", area: str = "thanet", bedrooms: int = 2) -> dict[str, Any]:
    out = copy.deepcopy(load_document(EXAMPLES / "offers" / "kent_rp_offer.json"))
    out.update(landlord=partner(landlord, "thanet"), area=area, bedrooms=bedrooms,
               made_on=(D0 + timedelta(days=10)).isoformat())
    return out


def walk(cases: Cases, case_id: str, until: str) -> CaseState:
    """Take a new p1 case through the commands until it is ``until`` (one of :data:`STATES`)."""
    day = lambda n: D0 + timedelta(days=n)  # noqa: E731
    steps: list[Callable[[], CaseState]] = [
        lambda: cases.new("kent_rp", referral(), case_id=case_id, actor=Actor("p1", "nominating_officer")),
        lambda: cases.check(case_id, on=D0, actor=COORDINATOR),
        lambda: cases.accept(case_id, on=D0, actor=COORDINATOR),
        lambda: cases.record(case_id, "approve", on=day(1), actor=Actor("p1", "named_lead")),
        lambda: cases.circulate(case_id, on=day(2), actor=COORDINATOR),
        lambda: cases.make_offer(case_id, offer(), on=day(10), actor=Actor("p2", "named_lead")),
        lambda: cases.record(case_id, "accept_offer", on=day(12), actor=Actor("p1", "nominating_officer")),
        lambda: cases.record(case_id, "move", on=day(20), actor=COORDINATOR),
    ]
    state = None
    for step in steps[:STATES.index(until) + 1]:
        state = step()
    assert state is not None
    return state


def forge(store: Any, stream: str, event: str, on: date, role: str, body: Mapping[str, Any], *,
          actor: str | None = "coordinator", event_id: str | None = None) -> Recorded:
    """Append ``event`` to ``stream`` as given (``actor`` None: with no actor recorded)."""
    seq = len(store.stream(stream)) + 1
    payload = dict(body) if actor is None else {**body, ACTOR_KEY: actor}
    return store.append(Event(event_id or f"forged-{stream}-{seq}", stream, event, on, role, payload))


def forge_case(store: Any, case_id: str, event: str, on: date, role: str, body: Mapping[str, Any],
               **kwargs: Any) -> Recorded:
    return forge(store, case_stream(case_id), event, on, role, body, **kwargs)


#: The smallest demonstration year (households, seed) that still has checks, moves and (Kent RP)
#: an arbitration.
DEMO_HOUSEHOLDS, DEMO_SEED = "4", "3"


def demo_store(folder: Path, scheme_id: str) -> Path:
    """The store `reciprocity demo --db` writes for a small year of ``scheme_id``."""
    db = folder / f"{scheme_id}.db"
    result = CliRunner().invoke(cli, ["demo", "--scheme", scheme_id, "--households", DEMO_HOUSEHOLDS,
                                      "--seed", DEMO_SEED, "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db
