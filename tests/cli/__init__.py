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

from reciprocity.cli import cli
from reciprocity.inputs import load_document
from reciprocity.lifecycle.service import Cases

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


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
    """Case K1 (nominated by orchard_housing) moves to coast_homes on 2026-04-24; its ARC."""
    with Cases.at(db) as cases:
        directory = [{**p, "membership": {"joined_on": "2023-01-01"}} for p in KENT_PARTNERS]
        cases.new("kent_rp", load_document(EXAMPLES / "kent_rp_referral.json"), case_id="K1")
        cases.check("K1", on=d("2026-03-03"), role="coordinator")
        cases.accept("K1", on=d("2026-03-03"), role="coordinator")
        cases.record("K1", "approve", on=d("2026-03-04"), role="named_lead")
        cases.circulate("K1", directory, on=d("2026-03-05"), role="coordinator")
        cases.record("K1", "respond", on=d("2026-03-06"), role="named_lead",
                     payload={"partner": "coast_homes", "can_help": True})
        cases.make_offer("K1", load_document(EXAMPLES / "offers" / "kent_rp_offer.json"), on=d("2026-04-10"),
                         role="named_lead")
        cases.record("K1", "accept_offer", on=d("2026-04-14"), role="nominating_officer")
        state = cases.record("K1", "move", on=d("2026-04-24"), role="coordinator")
        assert state.arc
        return state.arc


def walk_kent_decline(db: str) -> None:
    """Case K2, nominated by coast_homes, circulated to orchard_housing, which declines it on 2026-05-07."""
    referral = copy.deepcopy(load_document(EXAMPLES / "kent_rp_referral.json"))
    referral.update(id="KRP-2026-020", referred_on="2026-05-04", current_area="thanet", unsafe_areas=["thanet"],
                    requested_areas=["swale", "canterbury"],
                    nominating_partner={**provider("coast_homes", "thanet", "dover"),
                                        "membership": {"joined_on": "2023-01-01"}})
    referral["tenancy"]["landlord"] = "coast_homes"
    with Cases.at(db) as cases:
        directory = [{**p, "membership": {"joined_on": "2023-01-01"}} for p in KENT_PARTNERS]
        cases.new("kent_rp", referral, case_id="K2")
        cases.check("K2", on=d("2026-05-05"), role="coordinator")
        cases.accept("K2", on=d("2026-05-05"), role="coordinator")
        cases.record("K2", "approve", on=d("2026-05-05"), role="named_lead")
        state = cases.circulate("K2", directory, on=d("2026-05-06"), role="coordinator")
        assert "orchard_housing" in state.rounds[-1].recipients
        cases.record("K2", "respond", on=d("2026-05-07"), role="named_lead",
                     payload={"partner": "orchard_housing", "can_help": False})


def council(pid: str, area: str) -> dict[str, Any]:
    return {"id": pid, "kind": "local_authority", "authority_area": area, "stock_areas": [area],
            "membership": {"joined_on": "2021-01-01"}}


def walk_cambridgeshire_move(db: str) -> None:
    """Case C1 (nominated by fen_homes) moves to the offer's landlord on 2026-11-02."""
    partners = [{**provider("fen_homes", "fenland", "east_cambridgeshire"), "membership": {"joined_on": "2021-01-01"}},
                council("cambridge_city", "cambridge"), council("south_cambs_dc", "south_cambridgeshire")]
    s = "specialist_service"
    with Cases.at(db) as cases:
        cases.new("cambridgeshire", load_document(EXAMPLES / "cambridgeshire_referral.yaml"), case_id="C1")
        cases.check("C1", on=d("2026-09-14"), role=s)
        cases.accept("C1", on=d("2026-09-15"), role=s)
        cases.record("C1", "sign_off", on=d("2026-09-16"), role="named_lead")
        cases.record("C1", "notify_outcome", on=d("2026-09-16"), role=s)
        cases.circulate("C1", partners, on=d("2026-09-17"), role=s)
        cases.make_offer("C1", load_document(EXAMPLES / "offers" / "cambridgeshire_offer.yaml"), on=d("2026-10-20"),
                         role="named_lead")
        cases.record("C1", "accept_offer", on=d("2026-10-22"), role=s)
        cases.record("C1", "move", on=d("2026-11-02"), role=s)


def walk_krs_acceptance(db: str) -> None:
    """KRS case S1: swale_bc refers (2026-05-11), ashford_bc accepts it finally on 2026-05-15."""
    r = "referring_council"
    with Cases.at(db) as cases:
        cases.new("kent_krs", load_document(EXAMPLES / "kent_krs_referral.yaml"), case_id="S1")
        cases.check("S1", on=d("2026-05-11"), role=r)
        cases.accept("S1", on=d("2026-05-11"), role=r)
        cases.circulate("S1", [council("ashford_bc", "ashford"), council("thanet_dc", "thanet")], on=d("2026-05-12"),
                        role=r)
        cases.record("S1", "respond", on=d("2026-05-13"), role="receiving_council",
                     payload={"partner": "ashford_bc", "can_help": True})
        cases.record("S1", "send_information", on=d("2026-05-14"), role=r,
                     payload={"kinds": ["dash_risk_assessment", "police_reports", "risk_assessment_matrix",
                                        "agency_reports"]})
        cases.record("S1", "final_acceptance", on=d("2026-05-15"), role="receiving_council",
                     payload={"partner": "ashford_bc"})
