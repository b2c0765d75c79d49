"""``reciprocity case …`` and ``reciprocity due`` on a store file (Kent RP process stages)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from reciprocity.cli import cli
from reciprocity.privacy import find_identifiers

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _join(tmp_path: Path, db: str, *partners: dict) -> None:
    for partner in partners:
        file = tmp_path / f"{partner['id']}.yaml"
        file.write_text(yaml.safe_dump({**partner, "data_sharing_protocol_signatory": True}))
        code, out = run("partner", "join", str(file), "--scheme", "kent_rp", "--on", "2023-01-01", "--db", db)
        assert code == 0, out


def test_a_case_through_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "cases.db")
    _join(tmp_path, db, {"id": "coast_homes", "kind": "registered_provider", "stock_areas": ["thanet"]},
          {"id": "orchard_housing", "kind": "registered_provider", "stock_areas": ["thanet"]})
    code, out = run("case", "new", str(EXAMPLES / "kent_rp_referral.json"), "--scheme", "kent_rp", "--id", "K9",
                    "--actor", "orchard_housing", "--role", "nominating_officer", "--db", db, "--json")
    assert code == 0, out
    assert json.loads(out)["state"] == "referred"
    code, out = run("case", "check", "K9", "--on", "2026-03-03", "--actor", "coordinator", "--role", "coordinator",
                    "--db", db, "--json")
    assert code == 0, out
    checked = json.loads(out)
    assert checked["eligibility"] == "eligible"  # the outcome it recorded is shown
    assert "accept" in checked["allowed_commands"] and "check_eligibility" not in checked["allowed_commands"]
    code, out = run("case", "show", "K9", "--db", db)
    assert "eligibility: eligible" in out and "allowed now (reciprocity case ...): " in out
    assert "check_eligibility (" not in out
    for args in (("accept", "K9", "--on", "2026-03-03", "--actor", "coordinator", "--role", "coordinator"),
                 ("approve", "K9", "--on", "2026-03-04", "--actor", "orchard_housing", "--role", "named_lead")):
        code, out = run("case", *args, "--db", db)
        assert code == 0, out
    code, out = run("case", "circulate", "K9", "--on", "2026-03-05", "--actor", "coordinator", "--role",
                    "coordinator", "--db", db, "--json")
    assert code == 0, out
    shown = json.loads(out)
    assert shown["state"] == "circulating" and "respond" in shown["allowed_commands"]
    assert shown["history"][-1]["actor"] == "coordinator"
    code, out = run("case", "request", "K9", "--db", db)
    request = json.loads(out)
    assert request["arc"] == shown["arc"]
    assert "orchard_housing" not in out and "KRP-2026-014" not in out
    assert [h.kind for h in find_identifiers(json.dumps({k: v for k, v in request.items()
                                                         if k not in {"circulated_on", "respond_by"}}))] == []
    # Only a partner the request went to may answer it (issue 12).
    for who in ("no_such_partner", "orchard_housing"):
        code, out = run("case", "respond", "K9", "--can-help", "true", "--on", "2026-03-06",
                        "--actor", who, "--role", "named_lead", "--db", db)
        assert code == 2, out
    code, out = run("case", "respond", "K9", "--can-help", "true",
                    "--on", "2026-03-06", "--actor", "coast_homes", "--role", "named_lead", "--db", db)
    assert code == 0, out
    code, out = run("due", "--on", "2026-03-20", "--db", db, "--json")
    due = json.loads(out)
    assert [d["kind"] for d in due["overdue"]] == ["recirculation"]
    code, out = run("case", "list", "--db", db, "--json")
    assert json.loads(out)[0]["case"] == "K9"


def test_mistakes_exit_2_with_a_message(tmp_path: Path) -> None:
    db = str(tmp_path / "cases.db")
    _join(tmp_path, db, {"id": "orchard_housing", "kind": "registered_provider", "stock_areas": ["thanet"]})
    code, out = run("case", "show", "nope", "--db", db)
    assert code == 2 and "no case with this id" in out and "nope" not in out
    run("case", "new", str(EXAMPLES / "kent_rp_referral.json"), "--scheme", "kent_rp", "--id", "K1",
        "--actor", "orchard_housing", "--role", "nominating_officer", "--db", db)
    code, out = run("case", "move", "K1", "--on", "2026-03-03", "--actor", "coordinator", "--role", "coordinator",
                    "--db", db)
    assert code == 2 and "not allowed in state 'referred'" in out
    code, out = run("case", "respond", "K1", "--can-help", "maybe", "--on", "2026-03-03",
                    "--actor", "orchard_housing", "--role", "named_lead", "--db", db)
    assert code == 2 and "--can-help" in out
    code, out = run("due", "--on", "2026-02-30", "--db", db)
    assert code == 2 and "not a real date" in out
    code, out = run("case", "list", "--db", str(tmp_path / "missing" / "x.db"))
    assert code == 2 and "folder does not exist" in out
