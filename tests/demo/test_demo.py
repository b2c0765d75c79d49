"""``reciprocity demo`` (issue 6): a reproducible, valid, fast simulated year of each scheme.

Each scheme's year is simulated once per module (in-memory store) and shared by the checks.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reciprocity.casework.cases import Cases
from reciprocity.cli import cli
from reciprocity.demo import Summary, schemes, simulate
from reciprocity.errors import ReciprocityError, UnknownSchemeError
from reciprocity.ledger.service import Ledger
from reciprocity.lifecycle.circulation import areas_of
from reciprocity.model import MembershipStatus
from reciprocity.partnership.service import Partners
from reciprocity.plugins import get_scheme
from reciprocity.store import EventStore

README = Path(__file__).resolve().parents[2] / "README.md"
#: The built-in schemes, each played with the hints its package gives.
SCHEMES = ("kent_rp", "kent_krs", "cambridgeshire")
#: The issue asks for under 10 s on this 2-core machine. A quiet run of the whole command takes
#: about 3-4 s (import, the year, writing the file, the report); the margin is for a machine
#: busy with other work (measured up to about 6 s with four other test processes running).
LIMIT_SECONDS = 10.0


@pytest.fixture(scope="module")
def years() -> Iterator[dict[str, tuple[str, Any, Summary]]]:
    """Each scheme's default year, simulated when first asked for (in memory) and kept."""
    made: dict[str, tuple[str, Any, Summary]] = {}

    class Years(dict):  # type: ignore[type-arg]
        def __missing__(self, scheme_id: str) -> tuple[str, Any, Summary]:
            store = EventStore("sqlite://")
            made[scheme_id] = self[scheme_id] = (scheme_id, store, simulate(store, scheme_id=scheme_id))
            return made[scheme_id]

    yield Years()
    for _, store, _ in made.values():
        store.close()


@pytest.fixture(params=SCHEMES)
def year(request: pytest.FixtureRequest, years: dict[str, tuple[str, Any, Summary]]) -> tuple[str, Any, Summary]:
    return years[request.param]


@pytest.mark.parametrize("scheme_id", SCHEMES)
def test_same_seed_same_year(scheme_id: str) -> None:
    """Same seed, same events and figures; another seed, another year (small years, for speed;
    the command's test compares a full default year with its kept store)."""
    runs = []
    for seed in (11, 11, 12):
        with EventStore("sqlite://") as store:
            runs.append((simulate(store, scheme_id=scheme_id, seed=seed, households=8),
                         [r.event for r in store.all()]))
    assert runs[0] == runs[1]
    assert runs[0][0].case_ids != runs[2][0].case_ids


def test_the_year_is_realistic(year: tuple[str, Any, Summary]) -> None:
    """Every part of the year the issue names happens at least once."""
    scheme_id, _, s = year
    checks = dict(s.checks)
    assert 40 <= s.cases <= 80
    assert checks["eligible"] > checks.get("ineligible", 0) > 0 and checks["needs_information"] > 0
    assert s.circulations and s.responses and s.could_help
    assert s.offers_refused > 0 and s.offers_accepted > 0 and s.moves > 0
    assert s.withdrawn and len(s.partners) >= 9
    assert dict(s.closed).get("withdrawn", 0) + dict(s.closed).get("no_property_identified", 0) > 0
    if scheme_id == "kent_rp":
        assert s.feedback > 0 and s.arbitrations == 1


def test_every_case_is_in_a_valid_state(year: tuple[str, Any, Summary]) -> None:
    """Each case replays through its scheme's process (every event re-checked by its guards)."""
    scheme_id, store, summary = year
    process = get_scheme(scheme_id).process
    cases = Cases(store)
    states = cases.all(scheme_id)
    assert [c.case_id for c in states] == list(summary.case_ids)
    for case in states:
        assert case.state in process.states
        assert case.history[0].event == "refer"
        assert [h.on for h in case.history] == sorted(h.on for h in case.history)
        assert all(date(2025, 1, 1) <= h.on <= date(2025, 12, 31) for h in case.history)
        if case.state in ("moved", "completed", "duty_ended"):
            assert case.moved_on is not None and case.arc is not None
        if case.state == "closed":
            assert case.closed_reason is not None
    assert sum(1 for c in states if c.moved_on) == summary.moves


def test_the_ledger_pool_sums_to_zero(year: tuple[str, Any, Summary]) -> None:
    scheme_id, store, summary = year
    policy = get_scheme(scheme_id).partnership
    ledger = Ledger(store)
    if not policy.keeps_debts:  # KRS counts referrals instead (point 15)
        counts = ledger.counts(scheme_id, start=date(2025, 1, 1), end=date(2025, 12, 31))
        assert sum(counts.made.values()) == summary.cases
        return
    balances = ledger.balances(scheme_id, on=date(2025, 12, 31))
    assert summary.pool_total == 0 and balances.total() == 0
    for size in balances.sizes:
        assert balances.total(size) == 0
    assert len(ledger.history(scheme_id)) == summary.moves  # one entry per move


def test_requests_reach_only_safe_members(year: tuple[str, Any, Summary]) -> None:
    """No partner circulated to is the nominator, has homes in an unsafe area or is not a member."""
    scheme_id, store, _ = year
    directory = {p.id: p for p in Partners(store).directory(scheme_id)}
    rounds = 0
    for case in Cases(store).all(scheme_id):
        assert case.referral is not None
        unsafe = case.unsafe_areas or frozenset()
        for sent in case.rounds:
            rounds += 1
            for partner_id in sent.recipients:
                partner = directory[partner_id]
                assert partner_id != case.referral.nominating_partner.id
                assert not areas_of(partner) & unsafe
                assert partner.membership is not None
                assert partner.membership.status_on(sent.on) in (MembershipStatus.ACTIVE,
                                                                 MembershipStatus.NOTICE_GIVEN)
    assert rounds > 0


def test_partners_and_households_are_invented(year: tuple[str, Any, Summary]) -> None:
    scheme_id, store, _ = year
    for partner in Partners(store).directory(scheme_id):
        assert partner.name is not None and partner.name.startswith("Example ") and "(invented)" in partner.name
    for case in Cases(store).all(scheme_id):
        assert case.referral is not None
        assert case.referral.id is not None and re.fullmatch(r"(KRP|KRS|CAM)-2025-\d{3}(-R)?", case.referral.id)


def test_a_used_store_and_an_unknown_scheme_are_refused() -> None:
    with EventStore("sqlite://") as store:
        simulate(store, scheme_id="cambridgeshire", households=3)
        with pytest.raises(ReciprocityError, match="empty store"):
            simulate(store, scheme_id="cambridgeshire", households=3)
    with EventStore("sqlite://") as store, pytest.raises(UnknownSchemeError, match="kent_rp"):
        simulate(store, scheme_id="example_scheme")


def test_the_installed_schemes_are_the_ones_played() -> None:
    assert set(SCHEMES) <= set(schemes())


def test_the_command_runs_in_time_and_prints_the_report(
        tmp_path: Path, years: dict[str, tuple[str, Any, Summary]]) -> None:
    db = tmp_path / "demo.db"
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["demo", "--db", str(db)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert elapsed < LIMIT_SECONDS, f"reciprocity demo took {elapsed:.1f} s"
    assert "Simulated 2025 of kent_rp (seed 2025)" in result.output
    assert "Owed and awarded homes" in result.output and "Successful moves" in result.output
    _, memory, _ = years["kent_rp"]
    with EventStore.at(db) as store:  # the kept store holds the same year, event for event
        assert [r.event for r in store.all()] == [r.event for r in memory.all()]
    again = CliRunner().invoke(cli, ["case", "list", "--db", str(db)])
    assert again.exit_code == 0 and "ARC-" in again.output


@pytest.mark.parametrize("scheme_id", ["kent_krs", "cambridgeshire"])
def test_the_command_plays_each_scheme(scheme_id: str) -> None:
    result = CliRunner().invoke(cli, ["demo", "--scheme", scheme_id, "--year", "2026", "--seed", "3",
                                      "--households", "12"])
    assert result.exit_code == 0, result.output
    assert f"Simulated 2026 of {scheme_id} (seed 3)" in result.output
    assert "Successful moves" in result.output


@pytest.mark.parametrize("args", [["--scheme", "nope"], ["--year", "1900"], ["--seed", "x"], ["--households", "0"]])
def test_mistakes_exit_2(args: list[str]) -> None:
    assert CliRunner().invoke(cli, ["demo", *args]).exit_code == 2


def test_the_help_and_an_unknown_scheme_list_the_installed_schemes() -> None:
    shown = CliRunner().invoke(cli, ["demo", "--help"])
    assert shown.exit_code == 0
    assert "[cambridgeshire|kent_krs|kent_rp]" in shown.output
    wrong = CliRunner().invoke(cli, ["demo", "--scheme", "nope"])
    assert wrong.exit_code == 2
    assert wrong.exception is None or isinstance(wrong.exception, SystemExit)
    assert "Traceback" not in wrong.output
    assert "cambridgeshire, kent_krs, kent_rp" in wrong.output


def test_an_existing_db_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "cases.db"
    db.write_text("not empty")
    result = CliRunner().invoke(cli, ["demo", "--db", str(db)])
    assert result.exit_code == 2 and "already exists" in result.output


def test_the_readme_main_job_is_the_demo() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Two commands, on a fresh machine", 1)[1]
    main_job = re.search(r"\(the main job\):\s*```sh\n(.+?)\n```", section, re.S)
    assert main_job is not None
    assert "reciprocity demo" in main_job.group(1)
    assert "pip install . " in main_job.group(1)


@pytest.mark.parametrize("households", [30, 40, 60])
def test_a_krs_year_goes_on_when_a_receiving_council_leaves_mid_case(households: int) -> None:
    """KRS: a council that withdraws (Kent RP MoU §2.4 second, §5.5 notice) stops acting on cases
    (only members act); the demonstration closed such a case instead of ending in an error
    (`reciprocity demo --scheme kent_krs --households 40` failed before)."""
    with EventStore("sqlite://") as store:
        summary = simulate(store, scheme_id="kent_krs", households=households)
        cases = Cases(store)
        states = set(get_scheme("kent_krs").process.states)
        assert cases.all("kent_krs") and all(c.state in states for c in cases.all("kent_krs"))
        assert summary.scheme_id == "kent_krs"
