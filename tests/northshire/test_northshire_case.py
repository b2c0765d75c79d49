"""A Northshire case through the command line: its own deadline and its dated process
(agreement §4.2, §4.3), and the ledger entry its move writes (§1.2, §4.5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from reciprocity.cli import cli
from reciprocity.rules import Scheme

from .conftest import PACKAGE

EXAMPLES = PACKAGE / "examples"
PARTNERS = yaml.safe_load((EXAMPLES / "partners.yaml").read_text(encoding="utf-8"))


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in args or args[:2] == ("case", "request") else result.output


def _open_case(tmp_path: Path, db: str, case_id: str, referred_on: str) -> None:
    referral = yaml.safe_load((EXAMPLES / "referral.yaml").read_text(encoding="utf-8"))
    referral["referred_on"] = referred_on
    file = tmp_path / f"{case_id}.yaml"
    file.write_text(yaml.safe_dump(referral))
    run("case", "new", str(file), "--scheme", "northshire", "--id", case_id, "--actor", "dale_homes",
        "--role", "referring_officer", "--db", db)


def _join_all(tmp_path: Path, db: str) -> None:
    for partner in PARTNERS:
        file = tmp_path / f"{partner['id']}.yaml"
        file.write_text(yaml.safe_dump(partner))
        run("partner", "join", str(file), "--scheme", "northshire", "--on", "2025-01-01", "--db", db)


def _to_approved(case_id: str, db: str, day: str) -> None:
    coordinator = ("--actor", "coordinator", "--role", "coordinator", "--db", db)
    run("case", "check", case_id, "--on", day, *coordinator)
    run("case", "accept", case_id, "--on", day, *coordinator)
    run("case", "approve", case_id, "--on", day, "--actor", "dale_homes", "--role", "lead", "--db", db)


def test_a_case_keeps_the_schemes_own_deadline_and_its_dated_answer_time(northshire: Scheme, tmp_path: Path) -> None:
    db = str(tmp_path / "northshire.db")
    _join_all(tmp_path, db)
    _open_case(tmp_path, db, "N-MAY", "2026-05-04")  # the version of 1 April 2026: five working days
    _open_case(tmp_path, db, "N-MAR", "2026-03-02")  # the first version: three working days
    for case_id in ("N-MAY", "N-MAR"):
        _to_approved(case_id, db, "2026-05-05")
    due = run("due", "--on", "2026-05-13", "--db", db, "--json")
    overdue = sorted((d["case"], d["kind"], d["due_on"]) for d in due["overdue"])
    assert overdue == [("N-MAR", "circulation", "2026-05-12"), ("N-MAY", "circulation", "2026-05-12")]  # §4.2
    coordinator = ("--actor", "coordinator", "--role", "coordinator", "--db", db)
    may = run("case", "circulate", "N-MAY", "--on", "2026-05-13", *coordinator, "--json")
    march = run("case", "circulate", "N-MAR", "--on", "2026-05-13", *coordinator, "--json")
    assert run("case", "request", "N-MAY", "--db", db)["respond_by"] == "2026-05-20"  # 5 working days
    assert run("case", "request", "N-MAR", "--db", db)["respond_by"] == "2026-05-18"  # 3 working days
    assert may["state"] == march["state"] == "circulating"
    due = run("due", "--on", "2026-05-13", "--db", db, "--json")
    assert [d for d in due["overdue"] if d["kind"] == "circulation"] == []  # circulating met it
    # The request went to the partners with homes in the requested districts, not the nominator.
    request = run("case", "request", "N-MAY", "--db", db)
    assert "dale_homes" not in json.dumps(request)


def test_a_move_writes_the_home_owed(northshire: Scheme, tmp_path: Path) -> None:
    db = str(tmp_path / "northshire.db")
    _join_all(tmp_path, db)
    _open_case(tmp_path, db, "N-1", "2026-05-04")
    _to_approved("N-1", db, "2026-05-05")
    coordinator = ("--actor", "coordinator", "--role", "coordinator", "--db", db)
    run("case", "circulate", "N-1", "--on", "2026-05-06", *coordinator)
    run("case", "offer", "N-1", str(EXAMPLES / "offer.yaml"), "--on", "2026-06-15", "--actor", "vale_housing",
        "--role", "lead", "--db", db)
    run("case", "move", "N-1", "--on", "2026-07-01", *coordinator)
    balances = run("ledger", "balances", "--scheme", "northshire", "--on", "2026-07-02", "--db", db, "--json")
    net = {row["partner"]: row["balance"] for row in balances["balances"]}
    assert net == {"dale_homes": -1, "vale_housing": 1}  # the landlord left owes one home (§1.2)
    assert balances["totals"] == {"all": 0}
    assert balances["clause"] == "Northshire agreement §1.2, §4.5"


def test_a_case_is_never_opened_with_fields_its_scheme_cannot_read(northshire: Scheme, tmp_path: Path) -> None:
    """Refused at the boundary, naming the field; nothing is stored."""
    db = str(tmp_path / "northshire.db")
    _join_all(tmp_path, db)
    referral = yaml.safe_load((EXAMPLES / "referral.yaml").read_text(encoding="utf-8"))
    referral["extensions"]["northshire"]["consent_to_share"] = "yes"
    file = tmp_path / "bad.yaml"
    file.write_text(yaml.safe_dump(referral))
    result = CliRunner().invoke(cli, ["case", "new", str(file), "--scheme", "northshire", "--id", "N-BAD", "--actor",
                                      "dale_homes", "--role", "referring_officer", "--db", db])
    assert result.exit_code == 2, result.output
    assert "extensions.northshire.consent_to_share" in result.output and "Traceback" not in result.output
    assert run("case", "list", "--db", db, "--json") == []
