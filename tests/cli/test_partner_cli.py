"""``reciprocity partner …``: membership through the command line (Kent RP MoU §2.2, §2.4, §5.5, §6.1)."""

from __future__ import annotations

import json
from pathlib import Path

from . import KENT_PARTNERS, join_all, provider, run, run_json


def test_join_refused_without_the_data_sharing_protocol_signature(tmp_path: Path, db: str) -> None:
    """Kent RP MoU §2.2: a partner joins by signing the data sharing protocol; unsigned, nothing is written."""
    unsigned = tmp_path / "unsigned.yaml"
    unsigned.write_text("id: coast_homes\nkind: registered_provider\nstock_areas: [thanet]\n")
    code, out = run("partner", "join", str(unsigned), "--scheme", "kent_rp", "--on", "2026-01-05", "--db", db)
    assert code == 2
    assert "data sharing protocol" in out and "§2.2" in out
    assert run_json("partner", "show", "--scheme", "kent_rp", "--on", "2026-01-01", "--db", db) == []
    signed = tmp_path / "signed.json"
    signed.write_text(json.dumps(provider("coast_homes", "thanet")))
    shown = run_json("partner", "join", str(signed), "--scheme", "kent_rp", "--on", "2026-01-05", "--db", db)
    assert shown["status"] == "active" and shown["joined_on"] == "2026-01-05"


def test_withdrawal_before_the_month_is_out_is_refused_naming_the_date(tmp_path: Path, db: str) -> None:
    """Kent RP MoU §2.4 (second), §5.5: withdrawal takes effect one month after notice."""
    join_all(tmp_path, db, "kent_rp", KENT_PARTNERS[:1])
    base = ("--scheme", "kent_rp", "--db", db)
    code, out = run("partner", "withdraw", "orchard_housing", "--on", "2026-02-01", *base)
    assert code == 2 and "give notice first" in out
    shown = run_json("partner", "notice", "orchard_housing", "--on", "2026-01-10", *base)
    assert shown["status"] == "notice_given" and shown["withdrawal_takes_effect"] == "2026-02-10"
    code, out = run("partner", "withdraw", "orchard_housing", "--on", "2026-02-09", *base)
    assert code == 2 and "takes effect on 2026-02-10" in out and "§5.5" in out
    assert run_json("partner", "show", "orchard_housing", "--on", "2026-02-09", *base)["status"] == "notice_given"
    shown = run_json("partner", "withdraw", "orchard_housing", "--on", "2026-02-10", *base)
    assert shown["status"] == "withdrawn" and shown["withdrawn_on"] == "2026-02-10"


def test_withdrawn_partner_still_owes_its_debt(tmp_path: Path, kent: str) -> None:
    """Kent RP MoU §2.4 (second), §5.5: debts remain owed after withdrawal; §4.6 the count shows it."""
    base = ("--scheme", "kent_rp", "--db", kent)
    run("partner", "notice", "orchard_housing", "--on", "2026-05-01", *base)
    run("partner", "withdraw", "orchard_housing", "--on", "2026-06-01", *base)
    shown = run_json("partner", "show", "orchard_housing", "--on", "2026-06-02", *base)
    assert shown["status"] == "withdrawn" and shown["balance"] == -1
    code, out = run("partner", "show", "orchard_housing", "--on", "2026-06-02", *base)
    assert code == 0 and "still owed to the pool" in out and "§5.5" in out


def test_show_lists_status_stock_lead_and_balance(kent: str) -> None:
    """Kent RP MoU §4.6 (owed/awarded count) and §6.1 (named lead): the partner table on a date."""
    base = ("--scheme", "kent_rp", "--db", kent)
    run("partner", "lead", "coast_homes", "--on", "2026-05-02", "--changed-on", "2026-05-01",
        "--name", "lettings-manager", *base)
    rows = {r["partner"]: r for r in run_json("partner", "show", "--on", "2026-05-02", *base)}
    assert set(rows) == {p["id"] for p in KENT_PARTNERS}
    assert rows["orchard_housing"]["balance"] == -1 and rows["coast_homes"]["balance"] == 1
    assert rows["coast_homes"]["named_lead"] == "lettings-manager"
    assert rows["weald_homes"]["stock_areas"] == ["dover", "ashford"]
    code, out = run("partner", "show", "--on", "2026-05-02", *base)
    assert code == 0
    line = next(x for x in out.splitlines() if "orchard_housing" in x)
    assert "active" in line and "maidstone, swale, canterbury" in line and "vacant" in line and "owes 1" in line
    assert "lettings-manager" in out
    code, out = run("partner", "show", "--on", "2022-12-31", *base)
    assert "not yet joined" in out


def test_named_lead_vacancy_and_late_notice(tmp_path: Path, db: str) -> None:
    """Kent RP MoU §6.1: a change of named lead is notified within seven days."""
    join_all(tmp_path, db, "kent_rp", KENT_PARTNERS[:1])
    base = ("orchard_housing", "--scheme", "kent_rp", "--db", db)
    shown = run_json("partner", "lead", *base, "--on", "2026-03-20", "--changed-on", "2026-03-02", "--vacant")
    assert shown["named_lead"] is None and shown["lead_vacant_since"] == "2026-03-02"
    assert shown["lead_changes"] == [{"changed_on": "2026-03-02", "notified_on": "2026-03-20", "named": False,
                                      "late": True}]
    code, out = run("partner", "show", *base, "--on", "2026-03-20")
    assert "vacant since 2026-03-02" in out and "late" in out and "§6.1" in out
    shown = run_json("partner", "lead", *base, "--on", "2026-03-23", "--changed-on", "2026-03-21", "--name", "hm-2")
    assert shown["named_lead"] == "hm-2" and shown["lead_vacant_since"] is None and not shown["lead_changes"][-1]["late"]
    code, out = run("partner", "lead", *base, "--on", "2026-03-23", "--changed-on", "2026-03-21")
    assert code == 2 and "--name" in out and "--vacant" in out
    code, out = run("partner", "lead", *base, "--on", "2026-03-23", "--changed-on", "2026-03-21", "--name", "x",
                    "--vacant")
    assert code == 2


def test_stock_areas_are_replaced_and_checked(tmp_path: Path, db: str) -> None:
    """Kent RP MoU §2.4: the coordinator keeps the list of where partners hold homes."""
    join_all(tmp_path, db, "kent_rp", KENT_PARTNERS[:1])
    base = ("orchard_housing", "--scheme", "kent_rp", "--on", "2026-04-01", "--db", db)
    assert run_json("partner", "stock", *base, "thanet", "dover")["stock_areas"] == ["thanet", "dover"]
    code, out = run("partner", "stock", *base, "atlantis")
    assert code == 2 and "stock_areas[0]" in out and "atlantis" not in out


def test_removal_needs_a_member_and_a_breach_finding(tmp_path: Path, db: str) -> None:
    """Kent RP MoU §4.7: removal after a breach; an arbitration that did not find one cannot be cited."""
    join_all(tmp_path, db, "kent_rp", KENT_PARTNERS[:1])
    base = ("orchard_housing", "--scheme", "kent_rp", "--db", db)
    code, out = run("partner", "remove", *base, "--on", "2026-04-01", "--arbitration", "ARB-NOPE")
    assert code == 2 and "no arbitration with this id" in out
    shown = run_json("partner", "remove", *base, "--on", "2026-04-01", "--reason", "other")
    assert shown["status"] == "removed" and shown["removal_reason"] == "other"
    code, out = run("partner", "remove", *base, "--on", "2026-04-02")
    assert code == 2 and "not a member" in out


def test_mistakes_exit_2_with_a_message(tmp_path: Path, db: str) -> None:
    """README (Command line): every user mistake exits 2 with a message naming it, never a traceback."""
    join_all(tmp_path, db, "kent_rp", KENT_PARTNERS[:1])
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("id: [\n")
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps([provider("x_homes", "thanet")]))
    dated = tmp_path / "dated.json"
    dated.write_text(json.dumps({**provider("y_homes", "thanet"), "membership": {"joined_on": "2020-01-01"}}))
    cases = [
        (("partner", "join", str(tmp_path / "missing.json")), "does not exist"),
        (("partner", "join", str(bad_yaml)), "YAML"),
        (("partner", "join", str(listed)), "partner"),
        (("partner", "join", str(dated)), "give no membership dates"),
        (("partner", "join", str(tmp_path / "orchard_housing.json")), "already joined"),
        (("partner", "notice", "nobody"), "has not joined this scheme"),
        (("partner", "notice", "orchard_housing", "--on", "2022-01-01"), "before the partner joined"),
        (("partner", "show", "nobody"), "no partner with this id"),
    ]
    for args, message in cases:
        extra = () if "--on" in args else ("--on", "2026-01-05")
        code, out = run(*args, *extra, "--scheme", "kent_rp", "--db", db)
        assert code == 2 and message in out, (args, out)
    code, out = run("partner", "notice", "orchard_housing", "--scheme", "kent_rp", "--on", "2026-02-30", "--db", db)
    assert code == 2 and "not a real date" in out
    code, out = run("partner", "show", "--scheme", "nope", "--on", "2026-01-05", "--db", db)
    assert code == 2 and "no scheme with this id" in out and "nope" not in out
    code, out = run("partner", "show", "--scheme", "kent_rp", "--on", "2026-01-05", "--db", str(tmp_path / "no" / "x.db"))
    assert code == 2 and "folder does not exist" in out
    code, out = run("partner", "show", "--scheme", "kent_rp", "--db", db)  # the date is never read from the clock
    assert code == 2 and "--on" in out
    code, out = run("partner", "notice", "orchard_housing", "--scheme", "kent_krs", "--on", "2026-01-05", "--db", db)
    assert code == 2 and "has not joined this scheme" in out


def test_the_register_commands_name_who_records_them(tmp_path: Path, db: str) -> None:
    """Kent RP MoU §2.4 (first): the coordinator keeps the register (the default --actor); a
    partner may give its own notice (--actor itself), not another's, and never joins another."""
    join_all(tmp_path, db, "kent_rp", KENT_PARTNERS[:2])
    base = ("--scheme", "kent_rp", "--db", db)
    first, second = KENT_PARTNERS[0]["id"], KENT_PARTNERS[1]["id"]
    code, out = run("partner", "notice", second, "--on", "2026-01-10", "--actor", first, "--role", "named_lead", *base)
    assert code == 2 and "only the partner itself or the scheme's coordinator" in out and "Traceback" not in out
    code, out = run("partner", "stock", first, "dover", "--on", "2026-01-10", "--actor", first, *base)
    assert code == 2 and "only the scheme's coordinator" in out
    shown = run_json("partner", "notice", first, "--on", "2026-01-10", "--actor", first, "--role", "named_lead", *base)
    assert shown["status"] == "notice_given"
