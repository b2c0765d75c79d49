"""Issue 18: strict types at the boundary. No bool for a whole number, no text or number for a
yes/no, no number or date-time for a date, dates within 1900-01-01..2199-12-31, no control or
invisible characters in text, bounded lists, one scheme per referral. Every refusal names the
field and never the value."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reciprocity
from reciprocity.errors import InvalidInputError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REFERRAL: dict[str, Any] = json.loads((EXAMPLES / "kent_rp_referral.json").read_text(encoding="utf-8"))
OFFER: dict[str, Any] = json.loads((EXAMPLES / "offers" / "kent_rp_offer.json").read_text(encoding="utf-8"))


def _set(document: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(document)
    *parents, last = dotted.split(".")
    here: Any = out
    for part in parents:
        here = here[int(part)] if part.isdigit() else here[part]
    here[int(last) if last.isdigit() else last] = value
    return out


def _refused(document: dict[str, Any], path: str) -> InvalidInputError:
    with pytest.raises(InvalidInputError) as refused:
        reciprocity.evaluate("kent_rp", document)
    assert path in [p.path for p in refused.value.problems], str(refused.value)
    return refused.value


@pytest.mark.parametrize("value", [True, False, 2.5, "2", "two"])
def test_a_whole_number_is_a_number(value: Any) -> None:
    _refused(_set(REFERRAL, "household.members.0.age", value), "household.members[0].age")


@pytest.mark.parametrize("value", ["true", "false", "yes", 1, 0, "1"])
def test_a_yes_or_no_is_true_or_false(value: Any) -> None:
    error = _refused(_set(REFERRAL, "urgent", value), "urgent")
    assert "must be true or false" in str(error)


@pytest.mark.parametrize("value", [1_700_000_000, 20260301, "1700000000", "2026-03-01T09:00:00", "01/03/2026",
                                   "2026-02-30", "9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_a_date_is_written_yyyy_mm_dd_within_the_range(value: Any) -> None:
    error = _refused(_set(REFERRAL, "referred_on", value), "referred_on")
    assert str(value) not in str(error)


def test_the_dates_at_the_ends_of_the_range_are_accepted() -> None:
    for day in ("1900-01-01", "2199-12-31"):
        decision = reciprocity.evaluate("kent_rp", _set(REFERRAL, "referred_on", day))
        assert decision.on == date.fromisoformat(day)


@given(st.sampled_from(["\x1b[31m", "\x1b]0;title\x07", "\x00", "\u200b", "\u202e", "\x7f", "\x9b"]))
def test_free_text_holds_no_control_or_invisible_characters(mark: str) -> None:
    partner = {"id": "coast_homes", "kind": "registered_provider", "stock_areas": ["thanet"],
               "name": f"Coast{mark}Homes"}
    with pytest.raises(InvalidInputError, match="name: holds a control or invisible formatting character"):
        reciprocity.inputs.coerce_partner(partner)


def test_lists_are_bounded() -> None:
    """A scheme has a few dozen areas; 100,000 requested areas are refused at once, not evaluated."""
    error = _refused(_set(REFERRAL, "requested_areas", ["thanet"] * 100_000), "requested_areas")
    assert "at most 100 items" in str(error)
    _refused(_set(REFERRAL, "risk.harm_types", ["domestic_abuse"] * 1000), "risk.harm_types")


def test_at_most_ten_problems_are_listed_then_counted() -> None:
    document = _set(REFERRAL, "requested_areas", ["Not An Area"] * 50)
    with pytest.raises(InvalidInputError) as refused:
        reciprocity.evaluate("kent_rp", document)
    assert len(refused.value.problems) == 50
    assert str(refused.value).count("\n  - ") == 11 and "and 40 more" in str(refused.value)


def test_an_unknown_field_is_named_by_where_it_is_not_by_its_name() -> None:
    """A key can be personal data (a name typed as a field): it is never repeated."""
    key = "zelda_quarrington_07700900461"
    for document, where in ((_set(REFERRAL, key, 1), ""), (_set(REFERRAL, f"household.{key}", 1), "household")):
        with pytest.raises(InvalidInputError) as refused:
            reciprocity.evaluate("kent_rp", document)
        assert [p.path for p in refused.value.problems] == [where]
        assert "zelda" not in str(refused.value) and "07700" not in str(refused.value)


def test_one_referral_one_scheme_for_every_command(tmp_path: Path) -> None:
    """A referral written for KRS is refused by every kent_rp command, not only by check."""
    from reciprocity.casework import Actor, Cases  # noqa: PLC0415

    other = {**REFERRAL, "scheme": "kent_krs"}
    with pytest.raises(InvalidInputError, match="scheme: names a different scheme"):
        reciprocity.evaluate("kent_rp", other)
    with pytest.raises(InvalidInputError, match="scheme: names a different scheme"):
        reciprocity.assess_offer("kent_rp", other, OFFER)
    with Cases.at(tmp_path / "cases.db") as cases:
        with pytest.raises(InvalidInputError, match="scheme: names a different scheme"):
            cases.new("kent_rp", other, actor=Actor("orchard_housing", "nominating_officer"))
        assert cases.ids() == []


@pytest.mark.parametrize("on", [date(9999, 12, 31), date(1, 1, 1), date(2200, 1, 1), date(1899, 12, 31)])
def test_the_api_refuses_a_decision_date_outside_the_calendar_range(on: date) -> None:
    referral = json.loads((Path(__file__).resolve().parents[2] / "examples" / "kent_rp_referral.json").read_text())
    with pytest.raises(reciprocity.InvalidInputError, match="on: must be between 1900-01-01 and 2199-12-31"):
        reciprocity.evaluate("kent_rp", referral, on=on)


@pytest.mark.parametrize("scheme", [["kent_rp"], {"id": "kent_rp"}, 7, None])
def test_a_scheme_id_that_is_not_text_is_an_unknown_scheme(scheme: Any) -> None:
    referral = json.loads((Path(__file__).resolve().parents[2] / "examples" / "kent_rp_referral.json").read_text())
    with pytest.raises(reciprocity.UnknownSchemeError):
        reciprocity.evaluate(scheme, referral)


@pytest.mark.parametrize("on", ["1767225600", "9999-12-31", "0001-01-01", "2026-03-01T00:00:00"])
def test_a_yaml_test_case_date_is_strict(tmp_path: Path, on: str) -> None:
    from reciprocity.casefiles import InvalidCase, load_cases

    path = tmp_path / "case.yaml"
    path.write_text(f"- name: dated\n  scheme: kent_rp\n  on: {on}\n  referral: {{}}\n  expect: {{outcome: eligible}}\n",
                    encoding="utf-8")
    [case] = load_cases(path)  # a case that is not valid is reported on its own
    assert isinstance(case, InvalidCase)
    assert "case.yaml::dated: 1 problem\n  - on: must be" in str(case.error)
