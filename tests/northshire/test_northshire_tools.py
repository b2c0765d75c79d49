"""The tools that read a scheme only through what it declares, run on the fourth scheme
(issue 15): the demonstration year, the histories strategy, the referral strategies."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reciprocity
from reciprocity import Outcome
from reciprocity.casework.cases import Cases
from reciprocity.lifecycle.case import replay
from reciprocity.rules import Scheme
from reciprocity.store import EventStore
from reciprocity.testing import case_event_sequences, eligible_referrals, referrals_failing


def _script() -> str:
    return str(Path(sys.executable).with_name("reciprocity"))


def test_the_demo_plays_a_year_across_the_process_change_and_reports_it(northshire: Scheme, tmp_path: Path) -> None:
    """2026: cases referred before 1 April follow the first process version, later ones the
    second (§4.3), each to its end; the report reads the store the year left."""
    db = tmp_path / "demo.db"
    help_text = subprocess.run([_script(), "demo", "--help"], capture_output=True, text=True, timeout=120, check=True)
    assert "northshire" in help_text.stdout
    played = subprocess.run([_script(), "demo", "--scheme", "northshire", "--year", "2026", "--households", "30",
                             "--seed", "7", "--db", str(db)], capture_output=True, text=True, timeout=300, check=False)
    assert played.returncode == 0, played.stdout + played.stderr
    assert "Simulated 2026 of northshire (seed 7)" in played.stdout
    with EventStore(f"sqlite:///{db}") as store:
        cases = Cases(store).all("northshire")
        assert len(cases) >= 25
        states = Counter(c.state for c in cases)
        assert states["moved"] > 0, states
        for case in cases:
            process = northshire.process_on(case.referral.referred_on)
            assert replay(process, case.case_id, store.stream(f"case:{case.case_id}")) == case
        rounds = [(c.referral.referred_on, c.rounds[0]) for c in cases if c.rounds]
        early = [r for on, r in rounds if on < northshire.process_changes[0][0]]
        late = [r for on, r in rounds if on >= northshire.process_changes[0][0]]
        assert early and late
        calendar_days = {r.round: (r.respond_by - r.on).days for r in early}
        assert all((r.respond_by - r.on).days >= 3 for r in early) and calendar_days
        assert all((r.respond_by - r.on).days >= 7 for r in late)  # five working days: a week or more
    report = subprocess.run([_script(), "report", "--scheme", "northshire", "--period", "2026", "--db", str(db),
                             "--format", "json"], capture_output=True, text=True, timeout=120, check=False)
    assert report.returncode == 0, report.stderr
    figures = json.loads(report.stdout)
    assert figures["report"]["scheme"] == "northshire"
    assert figures["referrals"]["made"] == len(cases)
    assert figures["moves"], figures["moves"]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_histories_of_the_fourth_scheme_fold_through_its_process(northshire: Scheme, data: st.DataObject) -> None:
    events = data.draw(case_event_sequences("northshire", max_households=3), label="events")
    with EventStore("sqlite://") as store:
        store.append_many(list(events))
        cases = Cases(store).all("northshire")
        assert cases
        for case in cases:
            assert replay(northshire.process_on(case.referral.referred_on), case.case_id,
                          store.stream(f"case:{case.case_id}")) == case
        moves = sum(1 for c in cases if c.moved_on is not None)
        assert len(store.stream("ledger:northshire")) == moves


_DRAWS = settings(max_examples=15, deadline=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@_DRAWS
@given(data=st.data())
def test_eligible_referrals_of_the_fourth_scheme_are_eligible_on_both_engines(
    northshire: Scheme, data: st.DataObject
) -> None:
    """The strategies draw its own fields and harm types as the rules need them."""
    referral = data.draw(eligible_referrals("northshire"), label="referral")
    native = reciprocity.evaluate("northshire", referral)
    assert native.outcome is Outcome.ELIGIBLE, native.summary()
    assert reciprocity.evaluate("northshire", referral, engine="durable").outcome is Outcome.ELIGIBLE
    assert referral.extensions["northshire"]["consent_to_share"] is True


@pytest.mark.parametrize("rule_id", [
    "northshire.social_tenant", "northshire.harm", "northshire.assessed_at_risk", "northshire.consent_to_share",
    "northshire.mobility_registered", "northshire.requested_areas", "northshire.moves_district",
])
@_DRAWS
@given(data=st.data())
def test_referrals_failing_each_rule_of_the_fourth_scheme_fail_it_alone(
    northshire: Scheme, rule_id: str, data: st.DataObject
) -> None:
    referral = data.draw(referrals_failing("northshire", rule_id), label="referral")
    decision = reciprocity.evaluate("northshire", referral)
    assert [f.rule_id for f in decision.failed] == [rule_id], decision.summary()


def test_every_rule_of_the_fourth_scheme_has_a_failing_strategy_test(northshire: Scheme) -> None:
    listed = test_referrals_failing_each_rule_of_the_fourth_scheme_fail_it_alone.pytestmark[0].args[1]
    assert sorted(listed) == sorted({r.id for r in northshire.rules})
