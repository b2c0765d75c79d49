"""Command-line tests for partners, the ledger and arbitration; shared set-up: a store with Kent RP
partners joined through ``reciprocity partner join`` and cases walked to a move (as in
tests/lifecycle/test_walkthrough.py), so the ledger has entries."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from reciprocity.casework import Actor, Cases
from reciprocity.cli import cli
from reciprocity.inputs import load_document
from reciprocity.partnership.service import Partners

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COORDINATOR = Actor.coordinator()
SPECIALIST = Actor.coordinator("specialist_service")


def lead(pid: str) -> Actor:
    return Actor(pid, "named_lead")


def officer(pid: str) -> Actor:
    return Actor(pid, "nominating_officer")


def run(*args: str) -> tuple[int, str]:
    """Run the command line; never a traceback. Returns the exit code and stdout with stderr."""
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def run_json(*args: str) -> Any:
    """Run a command with --json; it succeeds and its standard output parses."""
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def d(text: str) -> date:
    return date.fromisoformat(text)


def provider(pid: str, *areas: str, signed: bool | None = True) -> dict[str, Any]:
    return {"id": pid, "kind": "registered_provider", "stock_areas": list(areas),
            "data_sharing_protocol_signatory": signed}


#: Kent RP partners: orchard_housing nominates K1 (moves to coast_homes) and declines K2.
KENT_PARTNERS = [
    provider("orchard_housing", "maidstone", "swale", "canterbury"),
    provider("coast_homes", "thanet", "dover"),
    provider("weald_homes", "dover", "ashford"),
    provider("garden_homes", "ashford"),
    provider("river_homes", "swale"),
]


def join_all(tmp_path: Path, db: str, scheme: str, partners: list[dict[str, Any]], on: str = "2023-01-01") -> None:
    for partner in partners:
        path = tmp_path / f"{partner['id']}.json"
        path.write_text(json.dumps(partner))
        code, out = run("partner", "join", str(path), "--scheme", scheme, "--on", on, "--db", db)
        assert code == 0, out


def walk_kent_move(db: str) -> str:
    """Case K1 (nominated by orchard_housing) moves to coast_homes on 2026-04-24; its ARC. The
    partners must be in the register (``join_all``): the request goes to those it may reach."""
    with Cases.at(db) as cases:
        cases.new("kent_rp", load_document(EXAMPLES / "kent_rp_referral.json"), case_id="K1",
                  actor=officer("orchard_housing"))
        cases.check("K1", on=d("2026-03-03"), actor=COORDINATOR)
        cases.accept("K1", on=d("2026-03-03"), actor=COORDINATOR)
        cases.record("K1", "approve", on=d("2026-03-04"), actor=lead("orchard_housing"))
        state = cases.circulate("K1", on=d("2026-03-05"), actor=COORDINATOR)
        assert "coast_homes" in state.rounds[-1].recipients
        cases.respond("K1", on=d("2026-03-06"), actor=lead("coast_homes"), can_help=True)
        cases.make_offer("K1", load_document(EXAMPLES / "offers" / "kent_rp_offer.json"), on=d("2026-04-10"),
                         actor=lead("coast_homes"))
        cases.record("K1", "accept_offer", on=d("2026-04-14"), actor=officer("orchard_housing"))
        state = cases.record("K1", "move", on=d("2026-04-24"), actor=COORDINATOR)
        assert state.arc
        return state.arc


def walk_kent_decline(db: str) -> None:
    """Case K2, nominated by coast_homes, circulated to orchard_housing, which declines it on 2026-05-07
    (the partners must be in the register)."""
    referral = copy.deepcopy(load_document(EXAMPLES / "kent_rp_referral.json"))
    referral.update(id="KRP-2026-020", referred_on="2026-05-04", current_area="thanet", unsafe_areas=["thanet"],
                    requested_areas=["swale", "canterbury"],
                    nominating_partner={**provider("coast_homes", "thanet", "dover"),
                                        "membership": {"joined_on": "2023-01-01"}})
    referral["tenancy"]["landlord"] = "coast_homes"
    with Cases.at(db) as cases:
        cases.new("kent_rp", referral, case_id="K2", actor=officer("coast_homes"))
        cases.check("K2", on=d("2026-05-05"), actor=COORDINATOR)
        cases.accept("K2", on=d("2026-05-05"), actor=COORDINATOR)
        cases.record("K2", "approve", on=d("2026-05-05"), actor=lead("coast_homes"))
        state = cases.circulate("K2", on=d("2026-05-06"), actor=COORDINATOR)
        assert "orchard_housing" in state.rounds[-1].recipients
        cases.respond("K2", on=d("2026-05-07"), actor=lead("orchard_housing"), can_help=False)


def council(pid: str, area: str) -> dict[str, Any]:
    """A council to join a register with (no membership dates)."""
    return {"id": pid, "kind": "local_authority", "authority_area": area, "stock_areas": [area]}


def walk_cambridgeshire_move(db: str) -> None:
    """Case C1 (nominated by fen_homes) moves to the offer's landlord on 2026-11-02; the partners
    join the Cambridgeshire register on 2021-01-01 first."""
    with Cases.at(db) as cases:
        register = Partners(cases.store)
        for partner in (provider("fen_homes", "fenland", "east_cambridgeshire"), council("cambridge_city", "cambridge"),
                        council("south_cambs_dc", "south_cambridgeshire")):
            register.join("cambridgeshire", partner, on=d("2021-01-01"), actor=("coordinator", "coordinator"))
        s = SPECIALIST
        cases.new("cambridgeshire", load_document(EXAMPLES / "cambridgeshire_referral.yaml"), case_id="C1", actor=s)
        cases.check("C1", on=d("2026-09-14"), actor=s)
        cases.accept("C1", on=d("2026-09-15"), actor=s)
        cases.record("C1", "sign_off", on=d("2026-09-16"), actor=lead("fen_homes"))
        cases.record("C1", "notify_outcome", on=d("2026-09-16"), actor=s)
        cases.circulate("C1", on=d("2026-09-17"), actor=s)
        cases.make_offer("C1", load_document(EXAMPLES / "offers" / "cambridgeshire_offer.yaml"), on=d("2026-10-20"),
                         actor=lead("cambridge_city"))
        cases.record("C1", "accept_offer", on=d("2026-10-22"), actor=s)
        cases.record("C1", "move", on=d("2026-11-02"), actor=s)


def walk_krs_acceptance(db: str) -> None:
    """KRS case S1: swale_bc refers (2026-05-11), ashford_bc accepts it finally on 2026-05-15; the
    councils join the KRS register on 2021-01-01 first."""
    r = Actor("swale_bc", "referring_council")
    ashford = Actor("ashford_bc", "receiving_council")
    with Cases.at(db) as cases:
        register = Partners(cases.store)
        for pid, area in (("swale_bc", "swale"), ("ashford_bc", "ashford"), ("thanet_dc", "thanet")):
            register.join("kent_krs", council(pid, area), on=d("2021-01-01"), actor=("coordinator", "coordinator"))
        cases.new("kent_krs", load_document(EXAMPLES / "kent_krs_referral.yaml"), case_id="S1", actor=r)
        cases.check("S1", on=d("2026-05-11"), actor=r)
        cases.accept("S1", on=d("2026-05-11"), actor=r)
        state = cases.circulate("S1", on=d("2026-05-12"), actor=r)
        assert state.rounds[-1].recipients == ("ashford_bc", "thanet_dc")
        cases.respond("S1", on=d("2026-05-13"), actor=ashford, can_help=True)
        cases.record("S1", "send_information", on=d("2026-05-14"), actor=r,
                     payload={"kinds": ["dash_risk_assessment", "police_reports", "risk_assessment_matrix",
                                        "agency_reports"]})
        cases.record("S1", "final_acceptance", on=d("2026-05-15"), actor=ashford)
