"""The command line on a PostgreSQL store by URL (issue 14): a Kent RP case from `case new` to
`move`, then `ledger balances`, `report` and `due`, all with `--db postgresql+psycopg://...`.

Runs where RECIPROCITY_TEST_POSTGRES_URL names a database (CI starts one: .ci/run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reciprocity.cli import cli

from ._support import POSTGRES_URL, empty_postgres

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="no PostgreSQL (set RECIPROCITY_TEST_POSTGRES_URL)")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PARTNERS = [("orchard_housing", ["maidstone", "swale", "canterbury"]), ("coast_homes", ["thanet", "dover"])]


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--db", POSTGRES_URL])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_case_from_referral_to_move_on_postgresql(tmp_path: Path) -> None:
    empty_postgres()
    assert "(empty)" in run("store", "init")
    for pid, areas in PARTNERS:
        f = tmp_path / f"{pid}.json"
        f.write_text(json.dumps({"id": pid, "kind": "registered_provider", "stock_areas": areas,
                                 "data_sharing_protocol_signatory": True}), encoding="utf-8")
        run("partner", "join", str(f), "--scheme", "kent_rp", "--on", "2021-01-01")
    run("case", "new", str(EXAMPLES / "kent_rp_referral.json"), "--scheme", "kent_rp", "--id", "K1",
        "--actor", "orchard_housing", "--role", "nominating_officer")
    coordinator = ("--actor", "coordinator", "--role", "coordinator")
    run("case", "check", "K1", "--on", "2026-03-03", *coordinator)
    run("case", "accept", "K1", "--on", "2026-03-03", *coordinator)
    run("case", "approve", "K1", "--on", "2026-03-04", "--actor", "orchard_housing", "--role", "named_lead")
    run("case", "circulate", "K1", "--on", "2026-03-05", *coordinator)
    lead = ("--actor", "coast_homes", "--role", "named_lead")
    run("case", "respond", "K1", "--can-help", "true", "--on", "2026-03-06", *lead)
    run("case", "offer", "K1", str(EXAMPLES / "offers" / "kent_rp_offer.json"), "--on", "2026-04-10", *lead)
    run("case", "accept-offer", "K1", "--on", "2026-04-14", "--actor", "orchard_housing",
        "--role", "nominating_officer")
    shown = json.loads(run("case", "move", "K1", "--on", "2026-04-24", *coordinator, "--json"))
    assert shown["state"] == "moved"
    balances = json.loads(run("ledger", "balances", "--scheme", "kent_rp", "--on", "2026-05-01", "--json"))
    assert balances["balances"] and sum(row["balance"] for row in balances["balances"]) == 0
    assert json.loads(run("report", "--scheme", "kent_rp", "--period", "2026", "--format", "json"))
    assert json.loads(run("due", "--on", "2026-05-01", "--json"))["on"] == "2026-05-01"
    assert "K1" in run("case", "list")
    assert "no problems" in run("store", "verify")
    assert "rebuilt the cases read model" in run("store", "rebuild")
    assert "nothing to do" in run("store", "migrate")
