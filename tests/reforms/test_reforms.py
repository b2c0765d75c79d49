"""Reforms as data (issue 16): a proposed change to a scheme from a date is a new dated
version of the scheme; before the date nothing changes, from it the changes are in force, and
every changed rule cites the proposal."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import reciprocity
from reciprocity import InvalidInputError, Outcome, Status
from reciprocity.api import decide_with
from reciprocity.engines import get_engine
from reciprocity.inputs import coerce_referral
from reciprocity.reforms import apply_reform, condition_from_data, load_reform, reform_from_data
from reciprocity.rules import fact, param

ROOT = Path(__file__).resolve().parents[2]
KENT = reciprocity.get_scheme("kent_rp")
EXAMPLE = json.loads((ROOT / "examples" / "kent_rp_referral.json").read_text(encoding="utf-8"))
DAY = date(2027, 4, 1)


def _reform(*changes: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"id": "test_reform", "scheme": "kent_rp", "title": "A test reform", "applies_from": "2027-04-01",
            "proposal": "Test proposal (invented)", "changes": list(changes), **fields}


def _decided(scheme: Any, referral: dict[str, Any], on: date) -> Any:
    return decide_with(scheme, get_engine("native"), coerce_referral(referral), on)


def test_the_documented_reform_drops_the_home_choice_rule_from_its_date() -> None:
    """Kent RP MoU §3.2: the Kent Home Choice route; the reform removes it from 2027-04-01."""
    reformed = apply_reform(KENT, load_reform(ROOT / "docs" / "reforms" / "kent_rp_no_home_choice.yaml"))
    referral = {**EXAMPLE, "kent_home_choice_exhausted": False}
    before = _decided(reformed, referral, date(2027, 3, 31))
    after = _decided(reformed, referral, DAY)
    assert "kent_rp.kent_home_choice_exhausted" in [f.rule_id for f in before.failed]
    assert "kent_rp.kent_home_choice_exhausted" not in [f.rule_id for f in after.findings]
    assert after.outcome is Outcome.ELIGIBLE
    assert "+no_home_choice_2027" in after.ruleset_version and "since 2027-04-01" in after.ruleset_version
    assert reformed.ruleset(DAY).params["review_after_months"] == 6
    assert reformed.ruleset(date(2027, 3, 31)).params["review_after_months"] == 3


def test_before_its_date_a_reform_changes_no_decision() -> None:
    reformed = apply_reform(KENT, reform_from_data(_reform({"neutralise": "kent_rp.urgent_homelessness_application"},
                                                           {"parameter": "qualifying_assessors", "value": ["police"]})))
    for on in (date(2026, 3, 2), date(2027, 3, 31)):
        assert _decided(reformed, EXAMPLE, on).findings == _decided(KENT, EXAMPLE, on).findings


def test_a_replaced_rule_has_a_new_version_citing_the_proposal() -> None:
    reform = reform_from_data(_reform({"replace": "kent_rp.assessed_at_risk",
                                       "require": {"fact": "risk.at_risk", "is": True},
                                       "statement": "Someone must have assessed the tenant as at risk."}))
    reformed = apply_reform(KENT, reform)
    referral = {**EXAMPLE, "risk": {**EXAMPLE["risk"], "assessed_by": "police"}}
    assert _finding(_decided(reformed, referral, date(2027, 3, 31)), "kent_rp.assessed_at_risk").status is Status.NOT_MET
    found = _finding(_decided(reformed, referral, DAY), "kent_rp.assessed_at_risk")
    assert found.status is Status.MET
    assert "Test proposal (invented) change 1" in found.citation and "Kent RP MoU §3.2" in found.citation


def test_an_added_rule_starts_on_the_reforms_date() -> None:
    reform = reform_from_data(_reform({"add": "kent_rp.dash_at_least_twenty", "statement": "DASH 20 or more.",
                                       "require": {"fact": "risk.dash_score", "at_least": 20},
                                       "passed": "the DASH score is high enough", "failed": "the DASH score is too low"}))
    reformed = apply_reform(KENT, reform)
    assert "kent_rp.dash_at_least_twenty" not in [f.rule_id for f in _decided(reformed, EXAMPLE, date(2027, 3, 31)).findings]
    after = _decided(reformed, EXAMPLE, DAY)
    assert [f.rule_id for f in after.failed] == ["kent_rp.dash_at_least_twenty"]  # the example's score is 16


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"neutralise": "kent_rp.no_such_rule"}, "changes[0]"),
        ({"parameter": "no_such_parameter", "value": 1}, "changes[0]"),
        ({"add": "kent_rp.urgent_homelessness_application", "statement": "s", "require": {"fact": "urgent", "is": True},
          "passed": "p", "failed": "f"}, "changes[0]"),
        ({"neutralise": "kent_rp.urgent_homelessness_application", "parameter": "x", "value": 1}, "changes[0]"),
        ({"replace": "kent_rp.assessed_at_risk", "require": {"fact": "urgent", "at_least": 1, "is": True}},
         "changes[0].require"),
        ({"replace": "kent_rp.assessed_at_risk", "require": {"all": [{"fact": "urgent", "sort_of": True}]}},
         "changes[0].require.all[0]"),
        ({"replace": "kent_rp.assessed_at_risk", "require": {"fact": "no_such_fact", "is": True}}, "changes"),
        ({"replace": "kent_rp.assessed_at_risk", "require": {"fact": "risk.dash_score", "at_least": {"param": "nope"}}},
         "changes"),
    ],
    ids=["unknown-rule", "unknown-parameter", "added-id-taken", "two-kinds", "two-operators", "unknown-operator",
         "unknown-fact", "unknown-parameter-read"],
)
def test_a_reform_that_cannot_apply_is_refused_naming_the_change(change: dict[str, Any], path: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        apply_reform(KENT, reform_from_data(_reform(change)))
    assert next(p.path for p in caught.value.problems) == path, caught.value.problems


def test_a_reform_of_another_scheme_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="different scheme"):
        apply_reform(reciprocity.get_scheme("cambridgeshire"), reform_from_data(_reform({"neutralise": "kent_rp.x"})))


@pytest.mark.parametrize(
    ("data", "built"),
    [
        ({"fact": "urgent", "is": True}, fact("urgent").eq(True)),
        ({"fact": "risk.dash_score", "at_least": {"param": "minimum"}}, fact("risk.dash_score").ge(param("minimum"))),
        ({"fact": "tenancy.landlord", "is": {"fact": "nominator.id"}}, fact("tenancy.landlord").eq(fact("nominator.id"))),
        ({"fact": "requested_areas", "all_in": ["thanet", "dover"]},
         fact("requested_areas").all_in(frozenset({"thanet", "dover"}))),
        ({"fact": "requested_areas", "count_at_least": 2}, fact("requested_areas").count().ge(2)),
        ({"not": {"fact": "unsafe_areas", "non_empty": True}}, ~fact("unsafe_areas").non_empty()),
        ({"any": [{"fact": "urgent", "present": True}, {"fact": "tenure", "one_of": ["social_tenant"]}]},
         fact("urgent").present() | fact("tenure").one_of(frozenset({"social_tenant"}))),
    ],
)
def test_a_condition_written_as_data_is_the_condition_built_in_python(data: dict[str, Any], built: Any) -> None:
    assert condition_from_data(data) == built


def test_a_reform_file_names_each_bad_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: Bad Id\nscheme: kent_rp\ntitle: t\napplies_from: 2027-13-01\nproposal: p\nchanges: []\n")
    with pytest.raises(InvalidInputError) as caught:
        load_reform(path)
    assert sorted(p.path for p in caught.value.problems) == ["applies_from", "changes", "id"]


def _finding(decision: Any, rule_id: str) -> Any:
    return next(f for f in decision.findings if f.rule_id == rule_id)


def test_simulate_shows_which_referrals_change_outcome_and_why() -> None:
    """The transition table of a reform, checked row by row against the native engine."""
    from hypothesis import HealthCheck, given, settings  # noqa: PLC0415
    from hypothesis import strategies as st  # noqa: PLC0415

    from reciprocity.testing import eligible_referrals, referrals_failing  # noqa: PLC0415

    referrals: list[Any] = []

    @settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(eligible_referrals("kent_rp"), referrals_failing("kent_rp", "kent_rp.kent_home_choice_exhausted")))
    def collect(referral: Any) -> None:
        referrals.append(referral)

    collect()
    reform = load_reform(ROOT / "docs" / "reforms" / "kent_rp_no_home_choice.yaml")
    result = reciprocity.simulate("kent_rp", referrals, reform=reform)
    assert result.on == DAY and len(result.rows) == len(referrals)
    reformed = apply_reform(KENT, reform)
    for row, referral in zip(result.rows, referrals, strict=True):
        assert row.baseline is _decided(KENT, referral.model_dump(mode="json"), DAY).outcome
        assert row.reformed is _decided(reformed, referral.model_dump(mode="json"), DAY).outcome
        if row.moved:
            assert ("kent_rp.kent_home_choice_exhausted", Status.NOT_MET, None) in row.changed
    assert sum(result.transitions.values()) == len(referrals)
    assert result.transitions[(Outcome.INELIGIBLE, Outcome.ELIGIBLE)] == len(result.moved) > 0
    assert result.table()[-1][-1] == str(len(referrals))
    assert "no_home_choice_2027" in result.reformed_version


@pytest.mark.parametrize("path", sorted((ROOT / "docs" / "reforms").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_documented_reform_applies_to_its_scheme(path: Path) -> None:
    reform = load_reform(path)
    scheme = reciprocity.get_scheme(reform.scheme)
    reformed = apply_reform(scheme, reform)
    assert reformed.ruleset(reform.applies_from).version.startswith(f"{scheme.id} {scheme.version}+{reform.id}")
    before = reformed.ruleset(date(2027, 3, 31))
    assert [r.id for r in before.rules] == [r.id for r in scheme.ruleset(date(2027, 3, 31)).rules]
