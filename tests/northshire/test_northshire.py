"""The worked fourth scheme of docs/writing-a-scheme.md, run as an outside package (issue 15).

Northshire's agreement (invented, docs/northshire/reciprocity_northshire/agreement.md) uses a
referral field of its own (consent to share, §3.3; mobility registration, §3.4), harm types
of its own (hate crime and gang violence, §1.1) and a dated process with a deadline of its
own (circulation within a week of approval, §4.2; answers within three, then five, working
days, §4.3). Every test here reads the scheme only through the registry and the public API.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import reciprocity
from reciprocity import InvalidInputError, Outcome, Status
from reciprocity.docgen import scheme_markdown
from reciprocity.engines import ENGINES
from reciprocity.rules import Scheme

from .conftest import PACKAGE

EXAMPLES = PACKAGE / "examples"


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def _finding(decision: Any, rule_id: str) -> Any:
    return next(f for f in decision.findings if f.rule_id == rule_id)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("reciprocity")
    return subprocess.run([str(script), *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_the_installed_package_registers_the_scheme(northshire: Scheme) -> None:
    assert northshire.id == "northshire"
    assert "northshire" in [s.id for s in reciprocity.schemes()]
    assert "northshire.consent_to_share" in northshire.fact_catalogue


@pytest.mark.parametrize("engine", ENGINES)
def test_the_example_referral_is_eligible_on_both_engines(northshire: Scheme, engine: str) -> None:
    decision = reciprocity.evaluate("northshire", _load("referral.yaml"), engine=engine)
    assert decision.outcome is Outcome.ELIGIBLE, decision.summary()
    assert _finding(decision, "northshire.harm").sentence.startswith("met: ")


def test_the_engines_agree_on_every_change_of_one_fact(northshire: Scheme) -> None:
    base = _load("referral.yaml")
    variants = [base]
    for path, value in [("extensions", None), ("extensions", {"northshire": {"consent_to_share": False}}),
                        ("risk", {"assessed_by": "police", "at_risk": True, "harm_types": ["hate_crime"]}),
                        ("risk", {"at_risk": True, "harm_types": ["gang_violence"]}),
                        ("risk", {"assessed_by": "idva", "at_risk": True, "harm_types": ["other"]}),
                        ("referred_on", "2026-03-31"), ("requested_areas", ["westfen"]), ("unsafe_areas", [])]:
        changed = copy.deepcopy(base)
        changed[path] = value
        variants.append(changed)
    for referral in variants:
        native = reciprocity.evaluate("northshire", referral)
        durable = reciprocity.evaluate("northshire", referral, engine="durable")
        assert [(f.rule_id, f.status, f.missing) for f in native.findings] == \
            [(f.rule_id, f.status, f.missing) for f in durable.findings]
        assert native.outcome is durable.outcome


def test_consent_to_share_not_recorded_is_a_question_not_an_input_error(northshire: Scheme) -> None:
    """§3.3: the scheme's own field, left out, is asked for in the field's own words."""
    referral = _load("referral.yaml")
    del referral["extensions"]["northshire"]["consent_to_share"]
    decision = reciprocity.evaluate("northshire", referral)
    assert decision.outcome is Outcome.NEEDS_INFORMATION
    found = _finding(decision, "northshire.consent_to_share")
    assert found.missing == ("northshire.consent_to_share",)
    assert decision.questions == ("whether the household has agreed that its referral may be shared with partner "
                                  "landlords",)


def test_a_refusal_to_share_makes_the_referral_ineligible_citing_3_3(northshire: Scheme) -> None:
    referral = _load("referral.yaml")
    referral["extensions"]["northshire"]["consent_to_share"] = False
    decision = reciprocity.evaluate("northshire", referral)
    assert [f.rule_id for f in decision.failed] == ["northshire.consent_to_share"]
    assert "Northshire agreement §3.3" in decision.failed[0].sentence


@pytest.mark.parametrize("harm", ["hate_crime", "gang_violence", "domestic_abuse"])
def test_the_schemes_own_harm_types_qualify(northshire: Scheme, harm: str) -> None:
    """§1.1: hate crime and gang violence are covered, beside the VAWG strands."""
    referral = _load("referral.yaml")
    referral["risk"]["harm_types"] = [harm]
    assert _finding(reciprocity.evaluate("northshire", referral), "northshire.harm").status is Status.MET


def test_a_harm_type_of_another_vocabulary_is_refused_naming_the_field(northshire: Scheme) -> None:
    referral = _load("referral.yaml")
    referral["risk"]["harm_types"] = ["domestic_abuse", "gang_violance"]
    with pytest.raises(InvalidInputError) as caught:
        reciprocity.evaluate("northshire", referral)
    assert [p.path for p in caught.value.problems] == ["risk.harm_types[1]"]
    assert "gang_violance" not in str(caught.value)  # the value is not repeated
    with pytest.raises(InvalidInputError):  # and a built-in scheme does not know Northshire's harms
        reciprocity.evaluate("kent_rp", {**_load("referral.yaml"), "scheme": None})


def test_the_schemes_own_field_is_checked_by_its_model(northshire: Scheme) -> None:
    referral = _load("referral.yaml")
    referral["extensions"]["northshire"]["consent_to_share"] = "yes"
    with pytest.raises(InvalidInputError) as caught:
        reciprocity.evaluate("northshire", referral)
    assert [p.path for p in caught.value.problems] == ["extensions.northshire.consent_to_share"]


def test_mobility_registration_is_required_from_1_april_2026(northshire: Scheme) -> None:
    """§3.4: the rule is dated; before it, the field is not read at all."""
    referral = _load("referral.yaml")
    del referral["extensions"]["northshire"]["mobility_scheme_registered"]
    referral["referred_on"] = "2026-03-31"
    assert reciprocity.evaluate("northshire", referral).outcome is Outcome.ELIGIBLE
    referral["referred_on"] = "2026-04-01"
    later = reciprocity.evaluate("northshire", referral)
    assert later.outcome is Outcome.NEEDS_INFORMATION
    assert _finding(later, "northshire.mobility_registered").missing == ("northshire.mobility_scheme_registered",)


def test_the_example_offer_is_suitable_and_an_unsafe_one_is_not(northshire: Scheme) -> None:
    referral, offer = _load("referral.yaml"), _load("offer.yaml")
    assert reciprocity.assess_offer("northshire", referral, offer).outcome is Outcome.ELIGIBLE
    unsafe = {**offer, "area": referral["unsafe_areas"][0]}
    assert reciprocity.assess_offer("northshire", referral, unsafe).outcome is Outcome.INELIGIBLE


def test_the_json_schema_for_the_scheme_holds_its_fields_and_harms(northshire: Scheme) -> None:
    schema = reciprocity.referral_json_schema("northshire")
    own = schema["properties"]["extensions"]["anyOf"][0]["properties"]["northshire"]
    assert set(own["properties"]) == {"consent_to_share", "mobility_scheme_registered"}
    harms = schema["$defs"]["RiskAssessment"]["properties"]["harm_types"]["items"]["enum"]
    assert {"hate_crime", "gang_violence", "domestic_abuse"} <= set(harms)


def test_the_scheme_page_documents_its_own_fields_harms_and_process_versions(northshire: Scheme) -> None:
    page = scheme_markdown(northshire)
    assert "`extensions.northshire.consent_to_share`" in page
    assert "| `hate_crime` | hate crime | Northshire agreement §1.1 |" in page
    assert "### Version in force from 2026-04-01" in page
    assert "| `circulation` | 1 week | `approve` | `circulate`, `close` | Northshire agreement §4.2 |" in page
    assert "| `response` | 5 working days |" in page
    for rule in northshire.rules:
        assert f"### `{rule.id}`" in page


def test_the_command_line_checks_documents_and_shows_the_schema(northshire: Scheme, tmp_path: Path) -> None:
    ran = _cli("check", "--scheme", "northshire", str(EXAMPLES / "referral.yaml"), "--json", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["outcome"] == "eligible"
    ran = _cli("docs", "--out", str(tmp_path / "pages"), cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "pages" / "northshire.md").read_text(encoding="utf-8") == scheme_markdown(northshire)
    ran = _cli("schema", "--scheme", "northshire", cwd=tmp_path)
    assert ran.returncode == 0 and "mobility_scheme_registered" in ran.stdout


def test_its_yaml_cases_pass(northshire: Scheme, tmp_path: Path) -> None:
    ran = _cli("test", str(PACKAGE / "cases"), cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "6 passed" in ran.stdout, ran.stdout


def test_the_http_service_decides_it_and_serves_its_schema(northshire: Scheme, tmp_path: Path) -> None:
    """Any language over HTTP: the scheme's own fields travel in the body and its schema is served."""
    from fastapi.testclient import TestClient  # noqa: PLC0415

    from reciprocity.http import create_app  # noqa: PLC0415
    from reciprocity.store import EventStore  # noqa: PLC0415

    store = EventStore(f"sqlite:///{tmp_path / 'service.db'}")
    try:
        with TestClient(create_app(store)) as client:
            referral = json.loads(json.dumps(_load("referral.yaml"), default=str))
            answer = client.post("/schemes/northshire/check", json=referral)
            assert answer.status_code == 200, answer.text
            assert answer.json()["outcome"] == "eligible"
            referral["extensions"]["northshire"]["consent_to_share"] = "yes"
            refused = client.post("/schemes/northshire/check", json=referral)
            assert refused.status_code == 422
            assert "extensions.northshire.consent_to_share" in refused.text
            schema = client.get("/schemes/northshire/schemas/referral")
            assert schema.status_code == 200
            assert "mobility_scheme_registered" in schema.text
            assert client.get("/schemes/nowhere/schemas/referral").status_code == 404
    finally:
        store.close()
