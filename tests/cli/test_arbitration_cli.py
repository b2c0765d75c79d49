"""``reciprocity arbitration …``: panels of three, reproducible draws, findings and removal (Kent RP MoU §4.7)."""

from __future__ import annotations

from pathlib import Path

from reciprocity.casework.arbitration import draw_panel

from . import KENT_PARTNERS, join_all, provider, run, run_json, walk_kent_decline, walk_krs_acceptance


def _request(db: str, on: str = "2026-05-08") -> dict:
    walk_kent_decline(db)
    return run_json("arbitration", "request", "K2", "--declining", "orchard_housing", "--on", on, "--db", db)


def test_panel_of_three_excludes_the_parties_and_redraws_the_same(kent: str) -> None:
    """Kent RP MoU §4.7: a panel of three partners, neither the declining nor the nominating partner;
    the recorded candidates and seed give the same panel when drawn again."""
    shown = _request(kent)
    assert shown["declining"] == "orchard_housing" and shown["nominating"] == "coast_homes"
    assert len(shown["panel"]) == 3 and len(set(shown["panel"])) == 3
    assert not {"orchard_housing", "coast_homes"} & set(shown["panel"])
    assert not {"orchard_housing", "coast_homes"} & set(shown["candidates"])
    assert set(shown["panel"]) <= set(shown["candidates"])
    assert draw_panel(shown["candidates"], shown["seed"]) == tuple(shown["panel"])
    again = run_json("arbitration", "show", shown["arbitration"], "--scheme", "kent_rp", "--db", kent)
    assert again == shown
    assert run_json("arbitration", "show", "--scheme", "kent_rp", "--db", kent) == [shown]
    arc = run_json("case", "show", "K2", "--db", kent)["arc"]
    code, out = run("arbitration", "show", shown["arbitration"], "--scheme", "kent_rp", "--db", kent)
    assert code == 0 and shown["seed"] in out and ", ".join(shown["panel"]) in out and arc in out
    assert "K2" not in out.replace(arc, "")


def test_panel_is_drawn_from_members_on_the_day(tmp_path: Path, kent: str) -> None:
    """Kent RP MoU §4.7: the panel is drawn from signatory partners (§2.2) that are members on the
    day of the request; with fewer than three such partners no panel can be drawn."""
    base = ("--scheme", "kent_rp", "--db", kent)
    run("partner", "remove", "river_homes", "--on", "2026-05-01", "--reason", "other", *base)
    join_all(tmp_path, kent, "kent_rp", [provider("late_homes", "dover")], on="2026-06-01")
    walk_kent_decline(kent)
    code, out = run("arbitration", "request", "K2", "--declining", "orchard_housing", "--on", "2026-05-08",
                    "--db", kent)
    assert code == 2 and "a panel needs 3 signatory partners" in out
    join_all(tmp_path, kent, "kent_rp", [provider("hill_homes", "dover")], on="2024-01-01")
    shown = run_json("arbitration", "request", "K2", "--declining", "orchard_housing", "--on", "2026-05-08",
                     "--db", kent)
    assert shown["candidates"] == ["garden_homes", "hill_homes", "weald_homes"]
    assert sorted(shown["panel"]) == shown["candidates"]


def test_removal_after_a_finding_of_breach(kent: str) -> None:
    """Kent RP MoU §4.7: a refusal found not justified is a breach; the partner may then be removed,
    citing the arbitration; its debt remains owed (§2.4, §5.5)."""
    arbitration = _request(kent)["arbitration"]
    base = ("--scheme", "kent_rp", "--db", kent)
    code, out = run("partner", "remove", "orchard_housing", "--on", "2026-05-21", "--arbitration", arbitration, *base)
    assert code == 2 and "did not find orchard_housing in breach" in out
    decided = run_json("arbitration", "decide", arbitration, "--on", "2026-05-20", "--not-justified", *base)
    assert decided["finding"] == "refusal_not_justified" and decided["breach"] and decided["decided_on"] == "2026-05-20"
    code, out = run("arbitration", "decide", arbitration, "--on", "2026-05-21", "--justified", *base)
    assert code == 2 and "already been decided" in out
    code, out = run("partner", "remove", "coast_homes", "--on", "2026-05-21", "--arbitration", arbitration, *base)
    assert code == 2 and "did not find coast_homes in breach" in out
    removed = run_json("partner", "remove", "orchard_housing", "--on", "2026-05-21", "--arbitration", arbitration,
                       *base)
    assert removed["status"] == "removed" and removed["removal_reason"] == "breach"
    assert removed["removal_arbitration"] == arbitration and removed["balance"] == -1
    code, out = run("partner", "show", "orchard_housing", "--on", "2026-05-21", *base)
    assert f"breach, arbitration {arbitration}" in out


def test_a_justified_refusal_is_no_breach(kent: str) -> None:
    """Kent RP MoU §4.7: a justified refusal cannot ground a removal."""
    arbitration = _request(kent)["arbitration"]
    base = ("--scheme", "kent_rp", "--db", kent)
    code, out = run("arbitration", "decide", arbitration, "--on", "2026-05-20", "--justified", *base)
    assert code == 0 and "the refusal was justified" in out
    code, out = run("partner", "remove", "orchard_housing", "--on", "2026-05-21", "--arbitration", arbitration, *base)
    assert code == 2 and "did not find orchard_housing in breach" in out


def test_arbitration_only_for_a_partner_that_owes(tmp_path: Path, db: str) -> None:
    """Kent RP MoU §4.7: arbitration reviews a refusal by a partner that owes the pool a home."""
    join_all(tmp_path, db, "kent_rp", KENT_PARTNERS)
    walk_kent_decline(db)
    code, out = run("arbitration", "request", "K2", "--declining", "orchard_housing", "--on", "2026-05-08", "--db", db)
    assert code == 2 and "owes the pool no home on 2026-05-08" in out and "§4.7" in out
    code, out = run("arbitration", "request", "K2", "--declining", "weald_homes", "--on", "2026-05-08", "--db", db)
    assert code == 2 and "has not declined" in out


def test_krs_has_no_arbitration(db: str) -> None:
    """KRS (joint statement): the text provides no arbitration."""
    walk_krs_acceptance(db)
    code, out = run("arbitration", "request", "S1", "--declining", "thanet_dc", "--on", "2026-05-20", "--db", db)
    assert code == 2 and "provides no arbitration" in out


def test_mistakes_exit_2_with_a_message(tmp_path: Path, kent: str) -> None:
    """README (Command line): every user mistake exits 2 with a message naming it, never a traceback."""
    arbitration = _request(kent)["arbitration"]
    cases = [
        # An unknown case id is not echoed (it may be mistyped personal data).
        (("arbitration", "request", "nope", "--declining", "x", "--on", "2026-05-08"), "no case with this id"),
        (("arbitration", "request", "K2", "--on", "2026-05-08"), "--declining"),
        (("arbitration", "decide", "ARB-NOPE", "--scheme", "kent_rp", "--on", "2026-05-20", "--justified"),
         "no arbitration with this id"),
        (("arbitration", "decide", arbitration, "--scheme", "kent_rp", "--on", "2026-05-20"), "--not-justified"),
        (("arbitration", "decide", arbitration, "--scheme", "kent_rp", "--on", "2026-05-01", "--justified"),
         "before the request"),
        (("arbitration", "show", "ARB-NOPE", "--scheme", "kent_rp"), "no arbitration with this id"),
        (("arbitration", "show", "--scheme", "nope"), "no scheme with this id"),
        (("arbitration", "request", "K2", "--declining", "orchard_housing", "--on", "8 May"), "not a real date"),
    ]
    for args, message in cases:
        code, out = run(*args, "--db", kent)
        assert code == 2 and message in out, (args, out)
    code, out = run("arbitration", "request", "nope", "--declining", "x", "--on", "2026-05-08", "--db", kent)
    assert "nope" not in out
