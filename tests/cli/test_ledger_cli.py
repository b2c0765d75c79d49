"""``reciprocity ledger …``: balances, history and corrections (Kent RP MoU §4.6, §5.4; KRS point 15;
Cambridgeshire draft MoU preamble)."""

from __future__ import annotations

import json

from pathlib import Path

from . import run, run_json, walk_cambridgeshire_move, walk_krs_acceptance


def test_balances_after_a_move(kent: str) -> None:
    """Kent RP MoU §4.6: after a move the nominating partner owes one home (−1), the accepting
    partner is owed one (+1), and the pool sums to zero."""
    shown = run_json("ledger", "balances", "--scheme", "kent_rp", "--on", "2026-04-24", "--db", kent)
    rows = {r["partner"]: r for r in shown["balances"]}
    assert rows["orchard_housing"]["balance"] == -1 and rows["orchard_housing"]["owes"] == 1
    assert rows["coast_homes"]["balance"] == 1 and rows["coast_homes"]["owed"] == 1
    assert shown["totals"] == {"all": 0} and "§4.6" in shown["clause"]
    code, out = run("ledger", "balances", "--scheme", "kent_rp", "--on", "2026-04-24", "--db", kent)
    assert code == 0 and "pool total: 0" in out and "owes 1" in out
    before = run_json("ledger", "balances", "--scheme", "kent_rp", "--on", "2026-04-23", "--db", kent)
    assert before["balances"] == [] and before["totals"] == {"all": 0}


def test_history_shows_the_arc_never_the_case_id(kent: str) -> None:
    """Kent RP MoU §4.6: the ledger partners see names the ARC, never the case (privacy)."""
    (entry,) = run_json("ledger", "history", "--scheme", "kent_rp", "--db", kent)
    arc = run_json("case", "show", "K1", "--db", kent)["arc"]
    assert entry["arc"] == arc and entry["kind"] == "move"
    assert entry["nominating"] == "orchard_housing" and entry["accepting"] == "coast_homes"
    code, out = run("ledger", "history", "--scheme", "kent_rp", "--db", kent)
    assert code == 0 and arc in out and "orchard_housing owes a home" in out
    for args in ((), ("--json",)):
        code, out = run("ledger", "history", "--scheme", "kent_rp", "--db", kent, *args)
        assert "K1" not in out.replace(arc, "") and "KRP-2026-014" not in out
    assert run_json("ledger", "history", "--scheme", "kent_rp", "--partner", "weald_homes", "--db", kent) == []
    assert run_json("ledger", "history", "--scheme", "kent_rp", "--partner", "coast_homes", "--db", kent) != []
    assert run_json("ledger", "history", "--scheme", "kent_rp", "--from", "2026-04-25", "--db", kent) == []
    assert run_json("ledger", "history", "--scheme", "kent_rp", "--to", "2026-04-24", "--db", kent) != []


def test_correction_reverses_an_entry(kent: str) -> None:
    """Kent RP MoU §4.6: the count is corrected by a reversing entry; the entry stays in the history."""
    (entry,) = run_json("ledger", "history", "--scheme", "kent_rp", "--db", kent)
    corrected = run_json("ledger", "correct", entry["entry"], "--scheme", "kent_rp", "--on", "2026-05-01",
                         "--code", "wrong_partner", "--note", "Mary Roe asked for it", "--db", kent)
    assert corrected["kind"] == "correction" and corrected["reverses"] == entry["entry"]
    assert corrected["arc"] == entry["arc"]
    assert corrected["balances_after"] == {"orchard_housing": 0, "coast_homes": 0}
    after = run_json("ledger", "balances", "--scheme", "kent_rp", "--on", "2026-05-01", "--db", kent)
    assert all(r["balance"] == 0 for r in after["balances"]) and after["totals"] == {"all": 0}
    still = run_json("ledger", "balances", "--scheme", "kent_rp", "--on", "2026-04-30", "--db", kent)
    assert {r["partner"]: r["balance"] for r in still["balances"]} == {"coast_homes": 1, "orchard_housing": -1}
    history = run_json("ledger", "history", "--scheme", "kent_rp", "--db", kent)
    assert [h["kind"] for h in history] == ["move", "correction"] and history[0]["reversed"]
    # Issue 12: partners read the closed-list reason, never the coordinator's free-text note.
    assert history[1]["code"] == "wrong_partner" and "the wrong partner" in history[1]["description"]
    code, table = run("ledger", "history", "--scheme", "kent_rp", "--db", kent)
    assert code == 0 and "wrong partner" in table
    for shown in (json.dumps(history), json.dumps(corrected), table):
        assert "Mary" not in shown and "Roe" not in shown
    code, out = run("ledger", "correct", entry["entry"], "--scheme", "kent_rp", "--on", "2026-05-02",
                    "--code", "duplicate", "--db", kent)
    # A second correction of the entry is refused (its message comes from the store's event id,
    # not the ledger's "already been reversed": see Ledger.correct).
    assert code == 2 and out.startswith("error: ")
    assert len(run_json("ledger", "history", "--scheme", "kent_rp", "--db", kent)) == 2


def test_cambridgeshire_pool_sums_to_zero_for_each_size(db: str) -> None:
    """Cambridgeshire draft MoU (preamble): an equal-size home is owed, so the ledger is kept per size."""
    walk_cambridgeshire_move(db)
    shown = run_json("ledger", "balances", "--scheme", "cambridgeshire", "--on", "2026-11-02", "--db", db)
    sizes = {r["size"] for r in shown["balances"]}
    assert len(sizes) == 1 and None not in sizes
    (size,) = sizes
    assert shown["totals"] == {str(size): 0}
    rows = {r["partner"]: r["balance"] for r in shown["balances"]}
    assert rows == {"fen_homes": -1, "cambridge_city": 1}
    code, out = run("ledger", "balances", "--scheme", "cambridgeshire", "--on", "2026-11-02", "--db", db)
    assert f"pool total, {size}-bedroom homes: 0" in out and "pool total: 0" in out


def test_krs_balances_are_referral_counts(db: str) -> None:
    """KRS point 15: no debt between councils; referrals made and received are counted instead."""
    walk_krs_acceptance(db)
    shown = run_json("ledger", "balances", "--scheme", "kent_krs", "--on", "2026-05-31", "--db", db)
    assert shown["ledger"] == "referral_counts" and "point 15" in shown["why"]
    assert {r["partner"]: (r["made"], r["received"]) for r in shown["counts"]} == {
        "swale_bc": (1, 0), "ashford_bc": (0, 1)}
    code, out = run("ledger", "balances", "--scheme", "kent_krs", "--on", "2026-05-31", "--db", db)
    assert code == 0 and "keeps no debt" in out and "referrals made" in out
    early = run_json("ledger", "balances", "--scheme", "kent_krs", "--on", "2026-05-14", "--db", db)
    assert {r["partner"]: r["received"] for r in early["counts"]} == {"swale_bc": 0}
    code, out = run("ledger", "history", "--scheme", "kent_krs", "--db", db)
    assert code == 0 and "keeps no ledger entries" in out


def test_mistakes_exit_2_with_a_message(tmp_path: Path, kent: str) -> None:
    """README (Command line): every user mistake exits 2 with a message naming it, never a traceback."""
    cases = [
        (("ledger", "correct", "nope", "--scheme", "kent_rp", "--on", "2026-05-01", "--code", "wrong_partner"),
         "no ledger entry with this id"),
        (("ledger", "correct", "x", "--scheme", "kent_rp", "--on", "2026-05-01", "--code", "other", "--note", "no"),
         "note"),
        (("ledger", "correct", "x", "--scheme", "kent_rp", "--on", "2026-05-01", "--code", "because"), "--code"),
        (("ledger", "correct", "x", "--scheme", "kent_rp", "--on", "2026-05-01", "--code", "other", "--actor",
          "coast_homes", "--role", "named_lead"), "only the coordinator corrects"),
        (("ledger", "balances", "--scheme", "nope", "--on", "2026-05-01"), "no scheme with this id"),
        (("ledger", "balances", "--scheme", "kent_rp", "--on", "2026-13-01"), "not a real date"),
        (("ledger", "balances", "--scheme", "kent_rp"), "--on"),
        (("ledger", "history", "--scheme", "kent_rp", "--from", "yesterday"), "not a real date"),
    ]
    for args, message in cases:
        code, out = run(*args, "--db", kent)
        assert code == 2 and message in out, (args, out)
    (entry,) = run_json("ledger", "history", "--scheme", "kent_rp", "--db", kent)
    code, out = run("ledger", "correct", entry["entry"], "--scheme", "kent_rp", "--on", "2026-04-01",
                    "--code", "wrong_partner", "--db", kent)
    assert code == 2 and "before the entry it reverses" in out
    code, out = run("ledger", "balances", "--scheme", "kent_rp", "--on", "2026-05-01",
                    "--db", str(tmp_path / "no" / "x.db"))
    assert code == 2 and "folder does not exist" in out
