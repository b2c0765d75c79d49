"""Synthetic caseloads are the same for the same seed (in any process), and as eligible as
documented: round(n * eligible) eligible, each of the rest failing exactly one rule."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

import reciprocity
from reciprocity.caseloads import (
    DEFAULT_ELIGIBLE,
    MissingExtraError,
    SyntheticCaseloadError,
    read_caseload,
    synthetic,
    write_caseload,
)
from reciprocity.rules import Outcome

SCHEMES = [s.id for s in reciprocity.schemes()]


@pytest.mark.parametrize("scheme_id", SCHEMES)
def test_the_same_seed_gives_the_same_caseload_and_another_seed_another(scheme_id: str) -> None:
    first = synthetic(scheme_id, 40, seed=11)
    assert first.referrals == synthetic(scheme_id, 40, seed=11).referrals
    assert first.referrals != synthetic(scheme_id, 40, seed=12).referrals
    assert [r.row for r in first.rows] == list(range(1, 41))
    assert first.skipped == () and first.name == f"synthetic {scheme_id} caseload, seed 11"


@pytest.mark.parametrize("scheme_id", SCHEMES)
def test_the_eligible_share_is_as_documented_and_the_rest_fail_one_rule_each(scheme_id: str) -> None:
    n = 60
    caseload = synthetic(scheme_id, n, seed=3)
    decisions = reciprocity.evaluate_many(scheme_id, list(caseload))
    assert DEFAULT_ELIGIBLE == 0.6
    assert sum(d.outcome is Outcome.ELIGIBLE for d in decisions) == round(n * DEFAULT_ELIGIBLE)
    failing = [d for d in decisions if d.outcome is not Outcome.ELIGIBLE]
    assert all(len(d.failed) == 1 for d in failing)
    # The failing rows go round the rules that can fail alone: no rule fails twice as often as another.
    counts = Counter(d.failed[0].rule_id for d in failing)
    assert max(counts.values()) - min(counts.values()) <= 1
    assert len(counts) == min(len(failing), len({r.id for r in reciprocity.get_scheme(scheme_id).rules}))


@pytest.mark.parametrize(("eligible", "expected"), [(1.0, 25), (0.0, 0), (0.5, 13), (0.3, 8)])
def test_the_share_asked_for_is_drawn_exactly(eligible: float, expected: int) -> None:
    decisions = reciprocity.evaluate_many("kent_krs", list(synthetic("kent_krs", 25, seed=1, eligible=eligible)))
    assert sum(d.outcome is Outcome.ELIGIBLE for d in decisions) == expected


def test_referral_dates_stay_in_the_period_asked_for() -> None:
    period = (date(2025, 4, 1), date(2026, 3, 31))
    caseload = synthetic("kent_rp", 30, seed=5, referred=period)
    assert all(period[0] <= r.referred_on <= period[1] for r in caseload)
    decisions = reciprocity.evaluate_many("kent_rp", list(caseload))
    assert sum(d.outcome is Outcome.ELIGIBLE for d in decisions) == 18


def test_some_synthetic_referrals_have_a_household_and_some_none() -> None:
    caseload = synthetic("cambridgeshire", 40, seed=2)
    households = [r.household for r in caseload]
    assert any(h is None for h in households) and any(h is not None for h in households)


@pytest.mark.parametrize("format", ["jsonl", "csv", "parquet"])
def test_a_synthetic_caseload_is_saved_and_read_back(tmp_path: Path, format: str) -> None:  # noqa: A002
    caseload = synthetic("cambridgeshire", 30, seed=9)
    path = write_caseload(caseload, tmp_path / f"synthetic.{format}")
    assert read_caseload(path, scheme_id="cambridgeshire").referrals == caseload.referrals


def test_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="eligible must be a share from 0.0 to 1.0"):
        synthetic("kent_rp", 5, seed=1, eligible=1.5)
    with pytest.raises(ValueError, match="n must be 0 or more"):
        synthetic("kent_rp", -1, seed=1)
    with pytest.raises(TypeError, match="n and seed must be whole numbers"):
        synthetic("kent_rp", 5, seed=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="referred must run from an earlier date"):
        synthetic("kent_rp", 5, seed=1, referred=(date(2026, 1, 2), date(2026, 1, 1)))
    with pytest.raises(reciprocity.UnknownSchemeError):
        synthetic("no_such_scheme", 5, seed=1)
    assert len(synthetic("kent_rp", 0, seed=1)) == 0


def test_a_period_before_the_scheme_s_rules_cannot_be_drawn() -> None:
    with pytest.raises(SyntheticCaseloadError):
        synthetic("kent_rp", 3, seed=1, referred=(date(1990, 1, 1), date(1990, 12, 31)))


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          check=False, timeout=300, env={**os.environ, **env})


def test_the_same_seed_gives_the_same_caseload_in_another_process() -> None:
    """Nothing depends on the process: not string hashing (PYTHONHASHSEED), nor hypothesis' database."""
    code = """
        import hashlib
        from reciprocity.caseloads import synthetic
        digest = hashlib.sha256()
        for scheme_id in ("kent_rp", "kent_krs", "cambridgeshire"):
            for referral in synthetic(scheme_id, 25, seed=42):
                digest.update(referral.model_dump_json().encode())
        print(digest.hexdigest())
    """
    here = _run(code, PYTHONHASHSEED="1")
    there = _run(code, PYTHONHASHSEED="2")
    assert here.returncode == 0 and there.returncode == 0, here.stderr + there.stderr
    assert here.stdout == there.stdout and len(here.stdout.strip()) == 64


def test_without_hypothesis_a_synthetic_caseload_says_what_to_install() -> None:
    ran = _run("""
        import sys
        sys.modules["hypothesis"] = None  # as if it were not installed
        from reciprocity.caseloads import MissingExtraError, synthetic
        try:
            synthetic("kent_rp", 3, seed=1)
        except MissingExtraError as error:
            print(error)
    """)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == ("a synthetic caseload is drawn by reciprocity.testing, which needs hypothesis, "
                                  "which is not installed: pip install hypothesis (or 'reciprocity[test]')")
    assert issubclass(MissingExtraError, ImportError)
