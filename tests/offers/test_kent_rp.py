"""Offer assessment under kent_rp (Kent RP MoU §1.2, §2.4, §4.2-§4.5, §5.2, §5.5; doc 004)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reciprocity
from reciprocity import Outcome, Status
from reciprocity.engines.durable import IMPORT_ERROR
from reciprocity.model import TenancyType
from reciprocity.tenancy_security import ENGLAND_SECURITY

from . import DROP, EXAMPLES, changed, example, finding

REFERRAL = example("kent_rp_referral.json")
# The household (an adult and two children under 10) needs 2 bedrooms under the social
# sector size criteria; it holds an assured tenancy; unsafe: maidstone, tonbridge_malling;
# requested: thanet, dover, folkestone_hythe.
OFFER: dict[str, Any] = {
    "id": "OFF-1",
    "made_on": "2026-04-10",
    "area": "thanet",
    "bedrooms": 2,
    "tenancy_type": "assured",
    "landlord": {"id": "coast_homes", "kind": "registered_provider", "stock_areas": ["thanet"],
                 "membership": {"joined_on": "2023-08-01"}},
}


def assess(offer: dict[str, Any] | None = None, referral: dict[str, Any] | None = None, **kw: Any) -> Any:
    return reciprocity.assess_offer("kent_rp", referral or REFERRAL, offer or OFFER, **kw)


def test_a_suitable_offer() -> None:
    decision = assess()
    assert decision.outcome is Outcome.ELIGIBLE
    assert decision.summary().startswith("suitable offer under kent_rp")
    assert decision.to_dict()["assessment"] == "offer"


LANDLORD_NOTICE = {**OFFER["landlord"], "membership": {"joined_on": "2023-08-01", "notice_given_on": "2026-04-01"}}
LANDLORD_GONE = {**OFFER["landlord"], "membership": {"joined_on": "2023-08-01", "notice_given_on": "2026-01-01"}}
LANDLORD_UNKNOWN = {k: v for k, v in OFFER["landlord"].items() if k != "membership"}
JOINT = {**REFERRAL["tenancy"], "joint": True}

CASES = [
    # rule, offer changes, referral changes, expected status, citation
    ("kent_rp.offer_not_in_unsafe_area", {}, {}, Status.MET, "Kent RP MoU §1.2"),
    ("kent_rp.offer_not_in_unsafe_area", {"area": "maidstone"}, {}, Status.NOT_MET, "Kent RP MoU §1.2"),
    ("kent_rp.offer_not_in_unsafe_area", {}, {"unsafe_areas": DROP}, Status.NEEDS_INFORMATION, "Kent RP MoU §1.2"),
    ("kent_rp.offer_in_requested_area", {}, {}, Status.MET, "Kent RP MoU §4.2"),
    ("kent_rp.offer_in_requested_area", {"area": "ashford"}, {}, Status.NOT_MET, "Kent RP MoU §4.2"),
    ("kent_rp.offer_in_requested_area", {}, {"requested_areas": DROP}, Status.NEEDS_INFORMATION, "Kent RP MoU §4.2"),
    ("kent_rp.offer_size", {}, {}, Status.MET, "Specific housing considerations"),
    ("kent_rp.offer_size", {"bedrooms": 1}, {}, Status.NOT_MET, "Specific housing considerations"),
    ("kent_rp.offer_size", {}, {"household": DROP}, Status.NEEDS_INFORMATION, "Specific housing considerations"),
    ("kent_rp.offer_no_downgrade", {"tenancy_type": "secure"}, {}, Status.MET, "Kent RP MoU §4.5, §5.2"),
    ("kent_rp.offer_no_downgrade", {"tenancy_type": "assured_shorthold"}, {}, Status.NOT_MET, "Kent RP MoU §4.5, §5.2"),
    ("kent_rp.offer_no_downgrade", {}, {"tenancy": DROP}, Status.NEEDS_INFORMATION, "Kent RP MoU §4.5, §5.2"),
    ("kent_rp.offer_like_for_like", {}, {}, Status.MET, "Kent RP MoU §4.5"),
    ("kent_rp.offer_like_for_like", {}, {"tenancy": {"type": "secure_fair_rent", "landlord": "orchard_housing"}},
     Status.NOT_MET, "Kent RP MoU §4.5"),
    ("kent_rp.offer_like_for_like", {}, {"tenancy": DROP}, Status.NEEDS_INFORMATION, "Kent RP MoU §4.5"),
    ("kent_rp.offer_tenancy_grantable", {}, {}, Status.MET, "Kent RP MoU §4.5, §5.2"),
    ("kent_rp.offer_tenancy_grantable", {"tenancy_type": "secure_fair_rent"}, {}, Status.NOT_MET,
     "Kent RP MoU §4.5, §5.2"),
    ("kent_rp.offer_landlord_partner", {}, {}, Status.MET, "Kent RP MoU §2.4 (second), §5.5"),
    ("kent_rp.offer_landlord_partner", {"landlord": LANDLORD_NOTICE}, {}, Status.MET, "Kent RP MoU §2.4 (second), §5.5"),
    ("kent_rp.offer_landlord_partner", {"landlord": LANDLORD_GONE}, {}, Status.NOT_MET, "Kent RP MoU §2.4 (second), §5.5"),
    ("kent_rp.offer_landlord_partner", {"landlord": LANDLORD_UNKNOWN}, {}, Status.NEEDS_INFORMATION,
     "Kent RP MoU §2.4 (second), §5.5"),
    ("kent_rp.offer_joint_tenant", {"joint": False}, {"tenancy": JOINT}, Status.MET, "Specific housing considerations"),
    ("kent_rp.offer_joint_tenant", {"joint": True}, {"tenancy": JOINT}, Status.NOT_MET, "Specific housing considerations"),
    ("kent_rp.offer_joint_tenant", {}, {"tenancy": JOINT}, Status.NEEDS_INFORMATION, "Specific housing considerations"),
    ("kent_rp.offer_joint_tenant", {"joint": True}, {}, Status.NOT_APPLICABLE, "Specific housing considerations"),
]


@pytest.mark.parametrize(("rule_id", "offer", "referral", "expected", "cited"), CASES,
                         ids=[f"{c[0]}-{c[3].value}-{i}" for i, c in enumerate(CASES)])
def test_each_offer_rule(rule_id: str, offer: dict[str, Any], referral: dict[str, Any], expected: Status, cited: str) -> None:
    decision = assess(changed(OFFER, **offer), changed(REFERRAL, **referral))
    found = finding(decision, rule_id)
    assert found.status is expected, found.sentence
    assert cited in found.citation and found.citation in found.sentence
    if expected is Status.NEEDS_INFORMATION:
        assert found.missing and decision.outcome is Outcome.NEEDS_INFORMATION
    if expected is Status.NOT_MET and rule_id != "kent_rp.offer_like_for_like":
        assert decision.outcome is Outcome.INELIGIBLE
        assert found.sentence.startswith("not suitable:")


def test_a_protected_tenancy_goes_to_the_named_leads_not_refused() -> None:
    """Kent RP MoU §4.5: 'like for like cannot be guaranteed' is for review, not a refusal."""
    decision = assess(referral=changed(REFERRAL, tenancy={"type": "secure_fair_rent", "landlord": "orchard_housing"}))
    assert decision.outcome is Outcome.NEEDS_INFORMATION
    assert finding(decision, "kent_rp.offer_like_for_like").sentence.startswith("needs review:")
    assert finding(decision, "kent_rp.offer_no_downgrade").status is Status.MET


KENT = sorted(a.id for a in reciprocity.get_scheme("kent_rp").areas)


@settings(max_examples=150)
@given(data=st.data())
def test_a_home_in_an_unsafe_area_is_never_suitable(data: st.DataObject) -> None:
    """Kent RP MoU §1.2 (a safe area): whatever else holds, an unsafe area is never suitable."""
    unsafe = data.draw(st.lists(st.sampled_from(KENT), min_size=1, max_size=4, unique=True))
    requested = data.draw(st.lists(st.sampled_from([a for a in KENT if a not in unsafe]), max_size=4, unique=True))
    referral = changed(REFERRAL, unsafe_areas=unsafe, requested_areas=requested or DROP)
    offer = changed(OFFER, area=data.draw(st.sampled_from(unsafe)), bedrooms=data.draw(st.integers(0, 6)),
                    tenancy_type=data.draw(st.sampled_from([t.value for t in TenancyType])))
    decision = assess(offer, referral)
    assert decision.outcome is not Outcome.ELIGIBLE
    assert finding(decision, "kent_rp.offer_not_in_unsafe_area").status is Status.NOT_MET


OFFERABLE = [t for t in TenancyType if t is not TenancyType.SECURE_FAIR_RENT]


@given(current=st.sampled_from(list(TenancyType)), offered=st.sampled_from(OFFERABLE), better=st.sampled_from(OFFERABLE))
def test_a_more_secure_offer_never_turns_a_pass_into_a_downgrade(current: TenancyType, offered: TenancyType,
                                                                 better: TenancyType) -> None:
    """Kent RP MoU §5.2, through assess_offer: if an offer passes, a more secure one passes too."""
    scale = ENGLAND_SECURITY.value_on(date(2026, 4, 10))[1]
    if scale.rank(better) < scale.rank(offered):
        return
    referral = changed(REFERRAL, tenancy={"type": current.value, "landlord": "orchard_housing"})
    first = finding(assess(changed(OFFER, tenancy_type=offered.value), referral), "kent_rp.offer_no_downgrade")
    second = finding(assess(changed(OFFER, tenancy_type=better.value), referral), "kent_rp.offer_no_downgrade")
    if first.status is Status.MET:
        assert second.status is Status.MET


@pytest.mark.skipif(IMPORT_ERROR is not None, reason=f"durable_rules cannot be imported: {IMPORT_ERROR}")
@pytest.mark.parametrize(("rule_id", "offer", "referral", "expected", "cited"), CASES[::2])
def test_both_engines_assess_offers_alike(rule_id: str, offer: dict[str, Any], referral: dict[str, Any],
                                         expected: Status, cited: str) -> None:
    args = (changed(OFFER, **offer), changed(REFERRAL, **referral))
    assert assess(*args) == assess(*args, engine="durable")


def test_a_bad_offer_names_the_field() -> None:
    with pytest.raises(reciprocity.InvalidInputError) as caught:
        assess(changed(OFFER, bedrooms="two"))
    assert [p.path for p in caught.value.problems] == ["offer.bedrooms"]


def test_a_scheme_without_offer_rules_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import attrs  # noqa: PLC0415

    from reciprocity.plugins import registry  # noqa: PLC0415

    bare = attrs.evolve(reciprocity.get_scheme("kent_rp"), offer_rules=())
    monkeypatch.setitem(registry().schemes, "kent_rp", bare)
    with pytest.raises(reciprocity.NoRulesInForceError, match="no offer rule of scheme kent_rp"):
        assess()


def test_on_defaults_to_the_offer_date() -> None:
    assert assess().on == date(2026, 4, 10)


def test_the_offer_command(tmp_path: Path) -> None:
    from click.testing import CliRunner  # noqa: PLC0415

    from reciprocity.cli import cli  # noqa: PLC0415

    examples = EXAMPLES
    runner = CliRunner()
    ok = runner.invoke(cli, ["offer", str(examples / "kent_rp_referral.json"), str(examples / "offers" / "kent_rp_offer.json"),
                             "--scheme", "kent_rp", "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["outcome"] == "eligible"
    bad = tmp_path / "offer.json"
    bad.write_text(json.dumps(changed(OFFER, bedrooms="two")), encoding="utf-8")
    result = runner.invoke(cli, ["offer", str(examples / "kent_rp_referral.json"), str(bad), "--scheme", "kent_rp"])
    assert result.exit_code == 2
    assert "offer.bedrooms" in result.output and "Traceback" not in result.output


def test_a_partnership_can_allow_joint_offers_to_joint_tenants(monkeypatch: pytest.MonkeyPatch) -> None:
    """Doc 004's joint-tenancy question is a setting: adding 'joint' lets a joint offer pass."""
    import attrs  # noqa: PLC0415

    from reciprocity.plugins import registry  # noqa: PLC0415

    scheme = reciprocity.get_scheme("kent_rp")
    params = tuple(
        attrs.evolve(p, values=[(None, frozenset({"sole", "joint"}))]) if p.name == "joint_tenant_offered" else p
        for p in scheme.parameters
    )
    monkeypatch.setitem(registry().schemes, "kent_rp", attrs.evolve(scheme, parameters=params))
    found = finding(assess(changed(OFFER, joint=True), changed(REFERRAL, tenancy=JOINT)), "kent_rp.offer_joint_tenant")
    assert found.status is Status.MET


@pytest.mark.parametrize("engine", ["native", "durable"])
def test_a_rule_met_either_way_does_not_state_its_unknown_condition(engine: str) -> None:
    """Kent RP presentation (joint tenancies), MoU §4.5: with the tenancy's joint status not
    given, a sole tenancy offer meets the joint-tenant rule either way; the finding must not
    say the tenant leaves a joint tenancy (an unknown fact stated as true), but that it is not
    known."""
    tenancy = {k: v for k, v in REFERRAL["tenancy"].items() if k != "joint"}
    sole = {**OFFER, "joint": False}
    unknown = finding(assess(sole, referral=changed(REFERRAL, tenancy=tenancy), engine=engine),
                      "kent_rp.offer_joint_tenant")
    assert unknown.status is Status.MET
    assert "not known" in unknown.sentence and "leaves a joint tenancy and" not in unknown.sentence
    joint = finding(assess(sole, referral=changed(REFERRAL, tenancy={**tenancy, "joint": True}), engine=engine),
                    "kent_rp.offer_joint_tenant")
    assert joint.sentence.startswith("met: the tenant leaves a joint tenancy")
