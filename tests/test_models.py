"""The domain model at the boundary: validation field by field, membership over time, the
published schema and the package surface."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import textwrap
import tomllib
from datetime import date
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

import reciprocity
from reciprocity import InvalidInputError, Membership, Referral
from reciprocity.model import MembershipStatus

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

#: Values that look like personal data. They must never be echoed in an error.
PERSONAL = ("Jane Doe", "07700 900123", "jane.doe@example.com")
SENTINEL = " ".join(PERSONAL)


def kent_rp() -> dict[str, Any]:
    return json.loads((EXAMPLES / "kent_rp_referral.json").read_text(encoding="utf-8"))


def problems(document: Any, scheme: str = "kent_rp") -> dict[str, str]:
    """Evaluate and return each problem's path with its message and hint."""
    with pytest.raises(InvalidInputError) as caught:
        reciprocity.evaluate(scheme, document)
    return {p.path: f"{p.message}; {p.hint}" for p in caught.value.problems}


def changed(path: str, value: Any, document: dict[str, Any] | None = None) -> dict[str, Any]:
    """A copy of the example with the dotted ``path`` set to ``value`` (a list index as ``[i]``)."""
    doc = copy.deepcopy(document or kent_rp())
    *parents, last = path.split(".")
    node: Any = doc
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[int(last) if last.isdigit() else last] = value
    return doc


def without(path: str) -> dict[str, Any]:
    doc = kent_rp()
    *parents, last = path.split(".")
    node: Any = doc
    for part in parents:
        node = node[part]
    del node[last]
    return doc


def test_the_example_is_valid() -> None:
    # Every test below changes one thing in it, so it must be valid to begin with.
    assert reciprocity.evaluate("kent_rp", kent_rp()).eligible


# --- problems are reported at their field paths -------------------------------------------


@pytest.mark.parametrize(
    ("document", "path", "words"),
    [
        pytest.param(
            changed("nominating_partner.membership", {"joined_on": "2023-09-01", "notice_given_on": "2023-08-01"}),
            "nominating_partner.membership.notice_given_on", "before joined_on", id="notice-before-joining",
        ),
        pytest.param(
            changed("nominating_partner.membership", {"joined_on": "2023-09-01", "removed_on": "2023-01-01"}),
            "nominating_partner.membership.removed_on", "before joined_on", id="removed-before-joining",
        ),
        pytest.param(
            changed("nominating_partner.membership", {"joined_on": "2023-09-01", "withdrawn_on": "2023-01-01"}),
            "nominating_partner.membership.withdrawn_on", "before joined_on", id="withdrawn-before-joining",
        ),
        pytest.param(
            changed("nominating_partner.membership",
                    {"joined_on": "2023-09-01", "notice_given_on": "2024-05-01", "withdrawn_on": "2024-04-01"}),
            "nominating_partner.membership.withdrawn_on", "before notice_given_on", id="withdrawn-before-notice",
        ),
        pytest.param(
            changed("household.members", [{"relationship": "child", "age": 4}]),
            "household.members", "exactly one member whose relationship is 'applicant'", id="no-applicant",
        ),
        pytest.param(
            changed("household.members", [{"relationship": "child", "age": 4},
                                          {"relationship": "applicant", "age": 30},
                                          {"relationship": "applicant", "age": 31}]),
            "household.members[2]", "exactly one member whose relationship is 'applicant'", id="two-applicants",
        ),
        pytest.param(
            changed("household.members", [{"relationship": "applicant", "age": 30},
                                          {"relationship": "partner", "age": 31},
                                          {"relationship": "partner", "age": 32}]),
            "household.members[2]", "at most one member can be the applicant's partner", id="two-partners",
        ),
        pytest.param(
            changed("requested_areas", ["thanet", "maidstone"]),
            "requested_areas[1]", "also listed in unsafe_areas", id="requested-and-unsafe",
        ),
        pytest.param(
            changed("requested_areas", ["thanet", "dover", "thanet"]),
            "requested_areas[2]", "lists the same area twice", id="duplicate-requested-area",
        ),
        pytest.param(
            changed("unsafe_areas", ["maidstone", "maidstone"]),
            "unsafe_areas[1]", "lists the same area twice", id="duplicate-unsafe-area",
        ),
        pytest.param(
            changed("tenure", "private_rented"),
            "tenancy", "tenure says the household has no social tenancy", id="tenancy-but-private-rented",
        ),
        pytest.param(
            changed("tenure", "non_tenant_priority_need"),
            "tenancy", "tenure says the household has no social tenancy", id="tenancy-but-non-tenant",
        ),
        pytest.param(
            changed("risk.assessed_by", "nobody"),
            "risk.at_risk", "when assessed_by is 'nobody'", id="nobody-found-at-risk",
        ),
        pytest.param(
            changed("caseworker_note", "free text"),
            "", "holds a field this model does not have", id="unknown-field",
        ),
        pytest.param(
            changed("tenancy.rent", 100),
            "tenancy", "holds a field this model does not have", id="unknown-nested-field",
        ),
        pytest.param(changed("urgent", "perhaps"), "urgent", "must be true or false", id="bool-as-text"),
        pytest.param(changed("risk.dash_score", "high"), "risk.dash_score", "must be a whole number", id="int-as-text"),
        pytest.param(changed("risk.dash_score", 25), "risk.dash_score", "less than or equal to 24", id="dash-too-high"),
        pytest.param(changed("tenure", "owner"), "tenure", "use one of the values listed", id="unknown-enum"),
        pytest.param(changed("requested_areas", "thanet"), "requested_areas", "give a list", id="text-for-list"),
        pytest.param(changed("nominating_partner", "orchard"), "nominating_partner", "must be an object", id="text-for-object"),
        pytest.param(changed("current_area", "Maidstone"), "current_area", "lower-case letters", id="area-id-format"),
        pytest.param(changed("household.members.0.age", -1), "household.members[0].age", "greater than or equal to 0", id="negative-age"),
        pytest.param(without("referred_on"), "referred_on", "is required; add this field", id="missing-date"),
        pytest.param(without("nominating_partner.id"), "nominating_partner.id", "is required", id="missing-nested"),
        pytest.param(changed("referred_on", "2026-02-30"), "referred_on", "YYYY-MM-DD", id="impossible-date"),
        pytest.param(changed("referred_on", "2026-13-01"), "referred_on", "YYYY-MM-DD", id="impossible-month"),
        pytest.param(changed("risk.assessed_on", "2026-02-30"), "risk.assessed_on", "YYYY-MM-DD", id="impossible-nested-date"),
        pytest.param(
            changed("nominating_partner.membership.joined_on", "2023-02-29"),
            "nominating_partner.membership.joined_on", "YYYY-MM-DD", id="not-a-leap-year",
        ),
        pytest.param(changed("referred_on", "02/03/2026"), "referred_on", "YYYY-MM-DD", id="date-format"),
    ],
)  # fmt: skip
def test_each_problem_is_reported_at_its_field_path(document: dict[str, Any], path: str, words: str) -> None:
    found = problems(document)
    assert path in found, f"no problem at {path}; got {found}"
    assert words in found[path]


def test_every_problem_is_reported_at_once() -> None:
    doc = kent_rp()
    doc["urgent"] = "perhaps"
    doc["tenure"] = "owner"
    doc["caseworker_note"] = "free text"
    del doc["referred_on"]
    found = problems(doc)
    # An unknown field is reported at the object holding it ("" is the top level): its name
    # could be personal data (issue 18).
    assert {"urgent", "tenure", "", "referred_on"} <= set(found)


def test_the_error_counts_and_lists_its_problems() -> None:
    with pytest.raises(InvalidInputError) as caught:
        reciprocity.evaluate("kent_rp", changed("urgent", "perhaps"))
    error = caught.value
    assert error.what == "referral"
    assert str(error).startswith("invalid referral: 1 problem\n")
    assert "  - urgent: " in str(error)
    assert isinstance(error, ValueError)  # callers may catch it as a plain ValueError


@pytest.mark.parametrize("document", [[], "a referral", 42, None])
def test_a_referral_that_is_not_an_object_is_refused(document: Any) -> None:
    found = problems(document)
    assert list(found) == [""]
    assert "expected an object" in found[""]


def test_a_batch_reports_which_referral_is_wrong() -> None:
    good, bad = kent_rp(), changed("urgent", "perhaps")
    with pytest.raises(InvalidInputError) as caught:
        reciprocity.evaluate_many("kent_rp", [good, bad])
    assert [p.path for p in caught.value.problems] == ["[1].urgent"]


def test_an_invalid_member_is_reported_only_at_that_member() -> None:
    found = problems(changed("household.members", [{"relationship": "applicant", "age": "thirty"}]))
    assert list(found) == ["household.members[0].age"]


# --- error messages never repeat what was typed -------------------------------------------


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(changed("caller", SENTINEL), id="unknown-field"),
        pytest.param(changed("risk.caller", SENTINEL), id="unknown-nested-field"),
        pytest.param(changed("caller", {"name": SENTINEL, "phone": PERSONAL[1]}), id="unknown-object"),
        pytest.param(changed("urgent", SENTINEL), id="bool"),
        pytest.param(changed("tenure", SENTINEL), id="enum"),
        pytest.param(changed("risk.harm_types", [SENTINEL]), id="enum-in-list"),
        pytest.param(changed("current_area", SENTINEL), id="area-id"),
        pytest.param(changed("requested_areas", [SENTINEL]), id="area-in-list"),
        pytest.param(changed("id", SENTINEL), id="referral-id"),
        pytest.param(changed("referred_on", SENTINEL), id="date"),
        pytest.param(changed("risk.dash_score", SENTINEL), id="number"),
        pytest.param(changed("nominating_partner.id", SENTINEL), id="partner-id"),
        pytest.param(changed("nominating_partner.named_lead", SENTINEL * 10), id="too-long"),
        pytest.param(changed("tenancy.landlord", SENTINEL), id="landlord"),
        pytest.param(changed("household", SENTINEL), id="object"),
        pytest.param(changed("household.members.0.sex", SENTINEL), id="member"),
    ],
)
def test_errors_never_repeat_the_input(document: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError) as caught:
        reciprocity.evaluate("kent_rp", document)
    shown = "\n".join([str(caught.value), repr(caught.value), *map(str, caught.value.problems)])
    for value in PERSONAL:
        assert value not in shown
    assert "Jane" not in shown and "07700" not in shown


def test_a_mismatched_scheme_field_is_not_repeated() -> None:
    with pytest.raises(InvalidInputError) as caught:
        reciprocity.evaluate("kent_rp", changed("scheme", SENTINEL))
    assert [p.path for p in caught.value.problems] == ["scheme"]
    for value in PERSONAL:
        assert value not in str(caught.value)


def test_a_mismatched_scheme_field_is_refused_at_its_path() -> None:
    with pytest.raises(InvalidInputError) as caught:
        reciprocity.evaluate("kent_krs", kent_rp())
    [problem] = caught.value.problems
    assert problem.path == "scheme"
    assert "names a different scheme" in problem.message and "kent_krs" not in problem.message  # no echo (issue 18)
    assert problem.hint


# --- membership over time -----------------------------------------------------------------

JOINED = date(2023, 9, 1)


@pytest.mark.parametrize(
    ("membership", "on", "status"),
    [
        ({}, date(2000, 1, 1), MembershipStatus.ACTIVE),  # no join date: taken as a member
        ({"joined_on": JOINED}, date(2023, 8, 31), MembershipStatus.NOT_YET_JOINED),
        ({"joined_on": JOINED}, JOINED, MembershipStatus.ACTIVE),
        ({"joined_on": JOINED}, date(2030, 1, 1), MembershipStatus.ACTIVE),
        # Notice takes one calendar month to end membership.
        ({"joined_on": JOINED, "notice_given_on": date(2026, 3, 15)}, date(2026, 3, 14), MembershipStatus.ACTIVE),
        ({"joined_on": JOINED, "notice_given_on": date(2026, 3, 15)}, date(2026, 3, 15), MembershipStatus.NOTICE_GIVEN),
        ({"joined_on": JOINED, "notice_given_on": date(2026, 3, 15)}, date(2026, 4, 14), MembershipStatus.NOTICE_GIVEN),
        ({"joined_on": JOINED, "notice_given_on": date(2026, 3, 15)}, date(2026, 4, 15), MembershipStatus.WITHDRAWN),
        # A calendar month, not thirty days: February is short ...
        ({"joined_on": JOINED, "notice_given_on": date(2026, 1, 31)}, date(2026, 2, 27), MembershipStatus.NOTICE_GIVEN),
        ({"joined_on": JOINED, "notice_given_on": date(2026, 1, 31)}, date(2026, 2, 28), MembershipStatus.WITHDRAWN),
        # ... and a thirty-one day month is not cut short.
        ({"joined_on": JOINED, "notice_given_on": date(2026, 7, 1)}, date(2026, 7, 31), MembershipStatus.NOTICE_GIVEN),
        ({"joined_on": JOINED, "notice_given_on": date(2026, 7, 1)}, date(2026, 8, 1), MembershipStatus.WITHDRAWN),
        # A recorded withdrawal date wins over the month's notice.
        ({"joined_on": JOINED, "notice_given_on": date(2026, 3, 1), "withdrawn_on": date(2026, 3, 10)},
         date(2026, 3, 9), MembershipStatus.NOTICE_GIVEN),
        ({"joined_on": JOINED, "notice_given_on": date(2026, 3, 1), "withdrawn_on": date(2026, 3, 10)},
         date(2026, 3, 10), MembershipStatus.WITHDRAWN),
        ({"joined_on": JOINED, "withdrawn_on": date(2026, 3, 10)}, date(2026, 3, 9), MembershipStatus.ACTIVE),
        ({"joined_on": JOINED, "withdrawn_on": date(2026, 3, 10)}, date(2026, 3, 10), MembershipStatus.WITHDRAWN),
        # Removal ends membership on the day, whatever else is under way.
        ({"joined_on": JOINED, "removed_on": date(2025, 6, 1)}, date(2025, 5, 31), MembershipStatus.ACTIVE),
        ({"joined_on": JOINED, "removed_on": date(2025, 6, 1)}, date(2025, 6, 1), MembershipStatus.REMOVED),
        ({"joined_on": JOINED, "notice_given_on": date(2025, 5, 20), "removed_on": date(2025, 6, 1)},
         date(2025, 6, 1), MembershipStatus.REMOVED),
        ({"joined_on": JOINED, "notice_given_on": date(2025, 5, 1), "removed_on": date(2025, 7, 1)},
         date(2025, 7, 1), MembershipStatus.REMOVED),
    ],
)  # fmt: skip
def test_membership_status_on_a_date(membership: dict[str, date], on: date, status: MembershipStatus) -> None:
    assert Membership(**membership).status_on(on) is status


def test_notice_ends_one_calendar_month_after_notice() -> None:
    assert Membership(notice_given_on=date(2026, 1, 31)).notice_ends_on == date(2026, 2, 28)
    assert Membership(notice_given_on=date(2028, 1, 31)).notice_ends_on == date(2028, 2, 29)
    assert Membership(notice_given_on=date(2026, 12, 15)).notice_ends_on == date(2027, 1, 15)
    assert Membership().notice_ends_on is None


@pytest.mark.parametrize(
    ("membership", "outcome"),
    [
        ({"joined_on": "2023-09-01"}, "eligible"),
        ({"joined_on": "2026-03-03"}, "ineligible"),  # joins the day after the referral
        ({"joined_on": "2023-09-01", "notice_given_on": "2026-02-20"}, "ineligible"),  # in notice
        ({"joined_on": "2023-09-01", "notice_given_on": "2026-03-03"}, "eligible"),  # notice after referral
    ],
)
def test_membership_is_judged_on_the_referral_date(membership: dict[str, str], outcome: str) -> None:
    decision = reciprocity.evaluate("kent_rp", changed("nominating_partner.membership", membership))
    assert decision.outcome == outcome


# --- the published schema -------------------------------------------------------------------

_JSON_TYPES = {"object", "array", "string", "integer", "number", "boolean", "null"}


def _subschemas(schema: dict[str, Any]) -> Any:
    """Every schema inside ``schema``, itself included (keywords, not property names)."""
    yield schema
    for keyword in ("properties", "$defs"):
        for child in schema.get(keyword, {}).values():
            yield from _subschemas(child)
    for keyword in ("items", "additionalProperties"):
        if isinstance(schema.get(keyword), dict):
            yield from _subschemas(schema[keyword])
    for keyword in ("anyOf", "allOf", "oneOf", "prefixItems"):
        for child in schema.get(keyword, []):
            yield from _subschemas(child)


def test_the_referral_schema_is_a_json_schema() -> None:
    schema = reciprocity.referral_json_schema()
    assert json.loads(json.dumps(schema)) == schema
    assert schema["type"] == "object"
    definitions = schema.get("$defs", {})
    for node in _subschemas(schema):
        if "$ref" in node:
            assert node["$ref"].startswith("#/$defs/")
            assert node["$ref"].removeprefix("#/$defs/") in definitions
        if "type" in node:
            types = node["type"] if isinstance(node["type"], list) else [node["type"]]
            assert set(types) <= _JSON_TYPES
        if node.get("type") == "object" and "properties" in node:
            assert set(node.get("required", [])) <= set(node["properties"])
        if "enum" in node:
            assert node["enum"] and len(node["enum"]) == len(set(node["enum"]))
    assert "Tenancy" in definitions and "type" in definitions["Tenancy"]["properties"]


def test_the_referral_schema_names_every_field_and_forbids_others() -> None:
    schema = reciprocity.referral_json_schema()
    assert set(schema["properties"]) == set(Referral.model_fields)
    assert {"referred_on", "nominating_partner", "household", "risk", "requested_areas"} <= set(schema["properties"])
    assert set(schema["required"]) == {"referred_on", "nominating_partner"}
    assert schema["properties"]["referred_on"]["format"] == "date"
    assert schema["additionalProperties"] is False
    for name, definition in schema["$defs"].items():
        if definition.get("type") == "object":
            assert definition.get("additionalProperties") is False, name
    assert {"Partner", "Membership", "Household", "Member", "RiskAssessment", "Tenancy"} <= set(schema["$defs"])


def test_the_schema_lists_the_allowed_values_of_closed_vocabularies() -> None:
    definitions = reciprocity.referral_json_schema()["$defs"]
    assert set(definitions["Tenure"]["enum"]) == {t.value for t in reciprocity.Tenure}
    assert "nobody" in definitions["Assessor"]["enum"]


# --- the package surface ------------------------------------------------------------------


def test_all_names_exist_and_are_sorted() -> None:
    names = reciprocity.__all__
    assert len(names) == len(set(names))
    assert names == sorted(names)
    for name in names:
        assert getattr(reciprocity, name) is not None, name


def test_all_exports_the_documented_entry_points() -> None:
    assert {"evaluate", "evaluate_many", "referral_json_schema", "schemes", "get_scheme",
            "plugin_failures", "reload_plugins", "hookimpl", "InvalidInputError",
            "Decision", "Referral", "Scheme", "Rule"} <= set(reciprocity.__all__)  # fmt: skip


def test_the_package_ships_py_typed() -> None:
    assert files("reciprocity").joinpath("py.typed").is_file()
    with (ROOT / "pyproject.toml").open("rb") as handle:
        config = tomllib.load(handle)
    package_data = config["tool"]["setuptools"]["package-data"]
    assert any("py.typed" in patterns for patterns in package_data.values())


def test_importing_reciprocity_does_not_import_hypothesis(tmp_path: Path) -> None:
    probe = textwrap.dedent(
        """
        import json, sys
        import reciprocity
        reciprocity.schemes()
        print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {"hypothesis", "pytest"})))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
