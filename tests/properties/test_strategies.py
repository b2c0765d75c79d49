"""The public strategies of ``reciprocity.testing`` generate exactly what they promise.

Policy teams test rule changes with these strategies, so they are tested like any other
public API: every model they generate is valid, the targeted referrals get the decision
they are built for under each scheme, and importing them has no side effects on the core.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from pydantic import BaseModel

import reciprocity
import reciprocity.testing
from reciprocity import (
    Area,
    Assessor,
    Homelessness,
    Household,
    Member,
    Membership,
    Outcome,
    Partner,
    PartnerKind,
    Referral,
    Relationship,
    RiskAssessment,
    Rule,
    Status,
    Tenancy,
    Tenure,
)
from reciprocity.model import MembershipStatus
from reciprocity.rules import fact
from reciprocity.testing import (
    _histories,
    _strategies,
    areas,
    eligible_referrals,
    homelessness,
    households,
    members,
    memberships,
    partners,
    referrals,
    referrals_failing,
    risk_assessments,
    tenancies,
)

SCHEMES = ("kent_rp", "kent_krs", "cambridgeshire")
TESTING_DIR = Path(reciprocity.testing.__file__).resolve().parent

#: Every (scheme, rule id) pair, so each rule of each scheme is failed on its own.
SCHEME_RULES = [
    pytest.param(scheme_id, rule_id, id=rule_id)
    for scheme_id in SCHEMES
    for rule_id in sorted({rule.id for rule in reciprocity.get_scheme(scheme_id).rules})
]

_CASE_ID = re.compile(r"^case_\d+$")
_PARTNER_ID = re.compile(r"^partner_\d+$")


def _no_personal_data(referral: Referral) -> None:
    """Organisations by id and role only; a case reference, never a name; people by age only."""
    partner = referral.nominating_partner
    assert partner.name is None
    assert _PARTNER_ID.match(partner.id)
    assert partner.named_lead is None or partner.named_lead in _strategies.LEAD_ROLES
    assert referral.id is None or _CASE_ID.match(referral.id)
    if referral.tenancy is not None:
        assert _PARTNER_ID.match(referral.tenancy.landlord)
    if referral.household is not None:
        for member in referral.household.members:
            assert set(member.model_dump()) == {"relationship", "age", "sex"}


def _round_trips(model: BaseModel) -> None:
    """What was generated survives validation from its own JSON: pydantic accepts it as is."""
    again = type(model).model_validate_json(model.model_dump_json())
    assert again == model


# --- the module itself ------------------------------------------------------------------------


def test_all_is_explicit_sorted_and_complete() -> None:
    exported = reciprocity.testing.__all__
    assert exported == sorted(exported)
    assert len(set(exported)) == len(exported)
    for name in exported:
        assert callable(getattr(reciprocity.testing, name))
    assert set(exported) == set(_strategies.__all__) | set(_histories.__all__)


@pytest.mark.parametrize(
    "name", [n for n in reciprocity.testing.__all__ if n != "register_type_strategies"]
)
def test_each_strategy_docstring_says_what_it_generates_and_how_it_shrinks(name: str) -> None:
    doc = getattr(reciprocity.testing, name).__doc__ or ""
    assert doc.startswith("Returns a strategy which generates ")
    assert "shrink" in doc


def test_the_testing_package_names_no_scheme_package() -> None:
    """The core never imports a scheme; scheme data comes only through get_scheme."""
    for path in TESTING_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not [a.name for a in node.names if a.name.startswith("reciprocity_")]
            elif isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("reciprocity_"), node.module


_PROBE = """
import json, sys
import reciprocity
after_core = "hypothesis" in sys.modules
import reciprocity.testing
print(json.dumps({
    "hypothesis_after_core": after_core,
    "hypothesis_after_testing": "hypothesis" in sys.modules,
    "schemes_after_testing": sorted(m for m in sys.modules if m.startswith("reciprocity_")),
}))
"""


def test_hypothesis_is_imported_only_by_the_testing_module(tmp_path: Path) -> None:
    """Hypothesis is a test-time dependency: ``import reciprocity`` must not need it, and
    importing ``reciprocity.testing`` must not load any scheme plugin."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report == {
        "hypothesis_after_core": False,
        "hypothesis_after_testing": True,
        "schemes_after_testing": [],
    }


def _draw_one(strategy: st.SearchStrategy[Any]) -> None:
    @settings(max_examples=1, database=None, phases=[Phase.generate])
    @given(strategy)
    def draw(value: Any) -> None:
        pass

    draw()


def test_unknown_schemes_and_rules_are_reported_when_first_used() -> None:
    unknown_scheme = referrals("no_such_scheme")  # building the strategy is lazy...
    with pytest.raises(InvalidArgument, match="no scheme with this id"):
        _draw_one(unknown_scheme)  # ...and the error names what is wrong on first use
    with pytest.raises(InvalidArgument, match="kent_rp.no_such_rule"):
        _draw_one(referrals_failing("kent_rp", "kent_rp.no_such_rule"))
    with pytest.raises(InvalidArgument, match="no scheme with this id"):
        _draw_one(eligible_referrals("no_such_scheme"))
    with pytest.raises(InvalidArgument, match="on="):
        memberships(MembershipStatus.ACTIVE)


# --- the model strategies ---------------------------------------------------------------------

MODEL_STRATEGIES = [
    pytest.param(partners(), Partner, id="partners"),
    pytest.param(
        partners("kent_krs", kind=PartnerKind.LOCAL_AUTHORITY),
        Partner,
        id="partners-kent_krs-council",
    ),
    pytest.param(memberships(), Membership, id="memberships"),
    pytest.param(tenancies(), Tenancy, id="tenancies"),
    pytest.param(members(), Member, id="members"),
    pytest.param(households(), Household, id="households"),
    pytest.param(risk_assessments(), RiskAssessment, id="risk_assessments"),
    pytest.param(homelessness(), Homelessness, id="homelessness"),
]


@pytest.mark.parametrize(("strategy", "model"), MODEL_STRATEGIES)
@settings(max_examples=50)
@given(data=st.data())
def test_model_strategies_generate_valid_models(
    strategy: st.SearchStrategy[Any], model: type, data: st.DataObject
) -> None:
    value = data.draw(strategy)
    assert type(value) is model
    _round_trips(value)


@given(households())
def test_households_have_one_applicant_and_at_most_one_partner(household: Household) -> None:
    relationships = [m.relationship for m in household.members]
    assert relationships.count(Relationship.APPLICANT) == 1
    assert relationships.count(Relationship.PARTNER) <= 1
    assert 1 <= len(relationships) <= 8


@given(risk_assessments())
def test_a_risk_nobody_assessed_has_no_date_or_conclusion(risk: RiskAssessment) -> None:
    if risk.assessed_by is Assessor.NOBODY:
        assert risk.assessed_on is None
        assert risk.at_risk is None
    assert len(set(risk.harm_types)) == len(risk.harm_types)


@given(st.data(), st.sampled_from(MembershipStatus), st.dates(date(2020, 1, 1), date(2035, 12, 31)))
def test_memberships_have_the_status_asked_for(
    data: st.DataObject, status: MembershipStatus, on: date
) -> None:
    membership = data.draw(memberships(status, on=on))
    assert membership.status_on(on) is status


@pytest.mark.parametrize("scheme_id", SCHEMES)
@settings(max_examples=50)
@given(data=st.data())
def test_partners_and_areas_of_a_scheme(scheme_id: str, data: st.DataObject) -> None:
    scheme = reciprocity.get_scheme(scheme_id)
    assert data.draw(areas(scheme_id)) in scheme.area_ids
    kind = data.draw(st.sampled_from(PartnerKind))
    partner = data.draw(partners(scheme_id, kind=kind))
    assert partner.kind is kind
    assert set(partner.stock_areas) <= scheme.area_ids
    if kind is PartnerKind.LOCAL_AUTHORITY:
        assert partner.authority_area is not None
    assert partner.name is None


MODELS = [
    Area,
    Homelessness,
    Household,
    Member,
    Membership,
    Partner,
    Referral,
    RiskAssessment,
    Tenancy,
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@settings(max_examples=25)
@given(data=st.data())
def test_from_type_works_for_every_model(model: type, data: st.DataObject) -> None:
    value = data.draw(st.from_type(model))
    assert type(value) is model
    _round_trips(value)


# --- referrals --------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme_id", SCHEMES)
@given(data=st.data())
def test_referrals_are_valid_and_hold_no_personal_data(scheme_id: str, data: st.DataObject) -> None:
    referral = data.draw(referrals(scheme_id))
    _round_trips(referral)
    _no_personal_data(referral)
    assert referral.scheme in (None, scheme_id)
    assert not set(referral.requested_areas or ()) & set(referral.unsafe_areas or ())
    if referral.tenure in (Tenure.PRIVATE_RENTED, Tenure.NON_TENANT_PRIORITY_NEED):
        assert referral.tenancy is None
    reciprocity.evaluate(scheme_id, referral)  # never rejected at the boundary


@pytest.mark.parametrize("scheme_id", SCHEMES)
@given(data=st.data())
def test_eligible_referrals_are_eligible(scheme_id: str, data: st.DataObject) -> None:
    referral = data.draw(eligible_referrals(scheme_id))
    _round_trips(referral)
    _no_personal_data(referral)
    decision = reciprocity.evaluate(scheme_id, referral)
    assert decision.outcome is Outcome.ELIGIBLE, decision.summary()
    assert {f.status for f in decision.findings} <= {Status.MET, Status.NOT_APPLICABLE}


_PREFIXES = {"nominator": "nominating_partner"}


def _fields_read(scheme_id: str) -> set[str]:
    """The top-level referral fields that the facts the scheme's rules read are computed from."""
    scheme = reciprocity.get_scheme(scheme_id)
    fields: set[str] = set()
    for name in {n for rule in scheme.rules for n in rule.facts()}:
        spec = scheme.fact_catalogue[name]
        for source in spec.reads if spec.derived else (name,):
            head = source.split(".")[0]
            fields.add(_PREFIXES.get(head, head))
    return fields


def _read_by_no_rule(scheme_id: str) -> list[str]:
    candidates = ("household", "urgent", "da_support", "tenure", "current_area", "risk")
    return [field for field in candidates if field not in _fields_read(scheme_id)]


def _sample(strategy: st.SearchStrategy[Any], count: int = 100) -> list[Any]:
    """``count`` examples of ``strategy``, derandomised and without shrinking."""
    seen: list[Any] = []

    @settings(max_examples=count, database=None, derandomize=True, phases=[Phase.generate])
    @given(strategy)
    def collect(value: Any) -> None:
        seen.append(value)

    collect()
    return seen


@pytest.mark.parametrize("scheme_id", SCHEMES)
def test_eligible_referrals_vary_the_facts_no_rule_reads(scheme_id: str) -> None:
    """The targeted strategies vary irrelevant facts, known and missing, so they cannot hide
    a rule that (wrongly) reads one."""
    sample = _sample(eligible_referrals(scheme_id))
    for field in _read_by_no_rule(scheme_id):
        given_ = {getattr(referral, field) is not None for referral in sample}
        assert given_ == {True, False}, (
            f"{field} is never {'given' if True not in given_ else 'missing'}"
        )


@pytest.mark.parametrize(("scheme_id", "rule_id"), SCHEME_RULES)
@settings(max_examples=20)
@given(data=st.data())
def test_referrals_failing_fail_exactly_that_rule(
    scheme_id: str, rule_id: str, data: st.DataObject
) -> None:
    """Only the named rule is not met; every other finding is met or does not apply. A rule
    with a ``when`` condition is failed by making it apply (NOT_MET, never NOT_APPLICABLE)."""
    referral = data.draw(referrals_failing(scheme_id, rule_id))
    _round_trips(referral)
    _no_personal_data(referral)
    decision = reciprocity.evaluate(scheme_id, referral)
    statuses = {f.rule_id: f.status for f in decision.findings}
    assert statuses.pop(rule_id) is Status.NOT_MET, decision.summary()
    assert set(statuses.values()) <= {Status.MET, Status.NOT_APPLICABLE}, decision.summary()
    rule = next(
        r for r in reciprocity.get_scheme(scheme_id).ruleset(decision.on).rules if r.id == rule_id
    )
    expected = (
        Outcome.INELIGIBLE if rule.on_fail is Outcome.INELIGIBLE else Outcome.NEEDS_INFORMATION
    )
    assert decision.outcome is expected


# --- the strategies follow a rule change --------------------------------------------------------


def _changed_kent_rp() -> reciprocity.Scheme:
    """Kent RP as a policy team might redraft it: police assessments accepted (a new dated
    parameter value), and a new rule that the survivor has specialist support or went to
    MARAC. Built from the scheme's own parts; nothing in ``reciprocity.testing`` changes."""
    base = reciprocity.get_scheme("kent_rp")
    new_id = "kent_rp_redraft"
    rules = [
        attrs.evolve(rule, id=rule.id.replace("kent_rp.", f"{new_id}.", 1)) for rule in base.rules
    ]
    rules.append(
        Rule(
            id=f"{new_id}.supported",
            clauses=base.rules[0].clauses,
            statement="The survivor must have specialist support, or the case must have gone to MARAC.",
            require=fact("da_support").is_true() | fact("risk.marac_referral").is_true(),
            passed="the survivor is supported",
            failed="the survivor has no specialist support and the case did not go to MARAC",
        )
    )
    assessors = base.parameter("qualifying_assessors")
    widened = attrs.evolve(
        assessors,
        values=[
            *assessors.values,
            (date(2026, 1, 1), frozenset({*assessors.values[-1][1], Assessor.POLICE})),
        ],
    )
    parameters = [widened if p.name == assessors.name else p for p in base.parameters]
    return reciprocity.Scheme(
        id=new_id,
        title="Kent RP (redraft)",
        summary="A redraft for testing.",
        version="test.1",
        sources=base.sources,
        areas=base.areas,
        rules=rules,
        parameters=parameters,
    )


def test_the_strategies_follow_a_rule_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """A redrafted scheme needs no change to the strategies: its eligible referrals meet the
    new rule (through either branch) and use the newly accepted assessor from its start date,
    and the new rule can be failed on its own."""
    registry = reciprocity.plugins.registry()
    scheme = _changed_kent_rp()
    patched = attrs.evolve(registry, schemes={**registry.schemes, scheme.id: scheme})
    monkeypatch.setattr(reciprocity.plugins, "_registry", patched)

    eligible = _sample(eligible_referrals(scheme.id), 60)
    for referral in eligible:
        assert reciprocity.evaluate(scheme.id, referral).eligible
    assert any(r.da_support for r in eligible)
    assert any(r.risk is not None and r.risk.marac_referral and not r.da_support for r in eligible)
    police = [r for r in eligible if r.risk is not None and r.risk.assessed_by is Assessor.POLICE]
    assert police
    assert all(r.referred_on >= date(2026, 1, 1) for r in police)

    for referral in _sample(referrals_failing(scheme.id, f"{scheme.id}.supported"), 30):
        decision = reciprocity.evaluate(scheme.id, referral)
        assert [f.rule_id for f in decision.failed] == [f"{scheme.id}.supported"]
        assert decision.outcome is Outcome.INELIGIBLE
