"""Regressions for problems found in review: each asserts a safeguard a user relies on."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

import reciprocity
from reciprocity.cli import cli
from reciprocity.engines.durable import IMPORT_ERROR
from reciprocity.model import Referral
from reciprocity.rules import MISSING, Clause, FactSpec, Rule, Scheme, Source, fact

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PERSONAL = "Jane Smith 07700 900123"


def _example() -> dict[str, Any]:
    return json.loads((EXAMPLES / "kent_rp_referral.json").read_text(encoding="utf-8"))


def _scheme(rules: tuple[Rule, ...], facts: tuple[FactSpec, ...] = ()) -> Scheme:
    return Scheme(id="demo", title="Demo", summary="Demo.", version="1", sources=(SOURCE,), areas=(),
                  rules=rules, facts=facts)


SOURCE = Source(key="d", title="Demo agreement", citation="Demo", file="demo.txt")


def test_a_new_rule_version_reports_the_facts_it_read() -> None:
    """Two dated versions reading the same number of different facts each show their own."""
    old = Rule(id="demo.flag", clauses=Clause(SOURCE, "1"), statement="Old.", require=fact("urgent").is_true(),
               passed="p", failed="f", effective_to=date(2025, 1, 1))
    new = Rule(id="demo.flag", clauses=Clause(SOURCE, "1"), statement="New.", require=fact("da_support").is_true(),
               passed="p", failed="f", effective_from=date(2025, 1, 1))
    scheme = _scheme((old, new))
    referral = Referral.model_validate({**_example(), "urgent": True, "da_support": False})
    for on, name, value in ((date(2024, 6, 1), "urgent", True), (date(2025, 6, 1), "da_support", False)):
        ruleset = scheme.ruleset(on)
        facts = ruleset.facts_for(referral, on)
        decision = reciprocity.decision.build_decision(
            ruleset, reciprocity.engines.get_engine("native").run(ruleset, facts), facts,
            on=on, referral_id=None, engine="native")
        assert [(r.name, r.value) for r in decision.findings[0].facts] == [(name, value)]


def test_a_plugin_fact_returning_none_counts_as_missing() -> None:
    """A derived fact that returns None ("not recorded") is asked for, never read as a value."""
    spec = FactSpec("plan", "a support plan exists", "whether a support plan exists", lambda r, c: None)
    rule = Rule(id="demo.plan", clauses=Clause(SOURCE, "1"), statement="A plan must exist.",
                require=fact("plan").is_true(), passed="p", failed="f")
    ruleset = _scheme((rule,), (spec,)).ruleset(date(2026, 1, 1))
    facts = ruleset.facts_for(Referral.model_validate(_example()), date(2026, 1, 1))
    assert facts["plan"] is MISSING


def test_validation_errors_never_hold_the_input() -> None:
    """Pydantic's own error text must not carry input values (they may be personal data)."""
    with pytest.raises(ValidationError) as caught:
        Referral.model_validate({**_example(), "id": PERSONAL})
    assert PERSONAL not in str(caught.value)
    with pytest.raises(reciprocity.InvalidInputError) as wrapped:
        reciprocity.evaluate("kent_rp", {**_example(), "id": PERSONAL})
    assert PERSONAL not in str(wrapped.value)
    assert PERSONAL not in str(wrapped.value.__context__ or "")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("key.json", json.dumps({**_example(), PERSONAL: 1})),
        ("tag.yaml", "referred_on: !!python/name:Jane_Smith_07700900123 x\n"),
        ("huge.json", '{"referred_on": ' + "9" * 5000 + "}"),
        ("huge.yaml", "referred_on: " + "9" * 5000 + "\n"),
    ],
)
def test_a_mistake_is_reported_without_repeating_data_or_a_traceback(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--scheme", "kent_rp"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Jane" not in result.output and "07700" not in result.output


def test_far_future_dates_do_not_crash() -> None:
    """Issue 18: dates are bounded (1900-01-01 to 2199-12-31), so date arithmetic near the
    calendar's end never overflows: the last allowed dates evaluate, later ones are refused at
    their fields."""
    doc = _example()
    doc["referred_on"] = "2199-12-31"
    doc["nominating_partner"]["membership"] = {"joined_on": "2023-01-01", "notice_given_on": "2199-12-15"}
    decision = reciprocity.evaluate("kent_rp", doc)
    assert decision.outcome is reciprocity.Outcome.INELIGIBLE  # in its notice period on that date
    doc["referred_on"] = "9999-12-20"
    with pytest.raises(reciprocity.InvalidInputError, match="referred_on: must be between 1900-01-01 and 2199-12-31"):
        reciprocity.evaluate("kent_rp", doc)


@pytest.mark.parametrize("command", [["schema", "--out"], ["docs", "--out"]])
def test_an_unwritable_output_path_is_a_user_error(tmp_path: Path, command: list[str]) -> None:
    target = tmp_path / "missing" / "folder" / ("x.json" if command[0] == "schema" else "")
    if command[0] == "docs":
        (tmp_path / "file").write_text("not a folder", encoding="utf-8")
        target = tmp_path / "file" / "sub"
    result = CliRunner().invoke(cli, [*command, str(target)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "cannot write" in result.output


def _watching(referrals: list[Any], seen: list[bool]) -> Iterator[Any]:
    for referral in referrals:
        seen.append(gc.isenabled())
        yield referral


def test_evaluate_many_pauses_the_collector_only_for_native_and_restores_it() -> None:
    """The native batch pauses the cyclic collector; durable (whose callbacks leave cycles) does not."""
    batch = [_example()] * 3
    seen: list[bool] = []
    reciprocity.evaluate_many("kent_rp", _watching(batch, seen))
    assert seen == [False, False, False] and gc.isenabled()
    if IMPORT_ERROR is None:
        seen.clear()
        reciprocity.evaluate_many("kent_rp", _watching(batch, seen), engine="durable")
        assert seen == [True, True, True]


def test_decisions_and_findings_cannot_be_changed() -> None:
    decision = reciprocity.evaluate("kent_rp", _example())
    with pytest.raises(AttributeError, match="cannot be changed"):
        decision.outcome = reciprocity.Outcome.INELIGIBLE  # type: ignore[misc]
    with pytest.raises(AttributeError, match="cannot be changed"):
        decision.findings[0].status = reciprocity.Status.NOT_MET  # type: ignore[misc]
    assert decision.findings[0].sentence.startswith("met:")  # lazy text still fills in


@pytest.mark.parametrize("on", ["next tuesday", datetime(2026, 3, 2, 9, 0), 20260302])
def test_on_must_be_a_calendar_date(on: Any) -> None:
    with pytest.raises(reciprocity.InvalidInputError, match="on: must be a calendar date"):
        reciprocity.evaluate("kent_rp", _example(), on=on)
