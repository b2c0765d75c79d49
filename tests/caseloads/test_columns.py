"""The flat column conventions of CSV and Parquet: dotted paths, members by index, lists in one
cell, JSON for an object, and an empty cell as a fact not given (unknown, never false)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reciprocity.caseloads import CaseloadError, read_caseload
from reciprocity.caseloads._fields import build_document, resolve_columns
from reciprocity.caseloads._rows import RowReader
from reciprocity.model import Assessor, HarmType, Relationship, Sex, TenancyType

HEADER = "referred_on,nominating_partner.id"


def csv_file(folder: Path, header: str, *rows: str) -> Path:
    path = folder / "caseload.csv"
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def test_dotted_columns_lists_and_members(tmp_path: Path) -> None:
    header = (f"{HEADER},risk.assessed_by,risk.harm_types,requested_areas,unsafe_areas,"
              "household.members.0.relationship,household.members.0.age,household.members.1.relationship,"
              "household.members.1.age,household.members.1.sex,urgent,tenancy.type,tenancy.bedrooms")
    path = csv_file(tmp_path, header,
                    "2026-05-04,p1,idva,domestic_abuse;stalking,thanet; dover ;,[],applicant,34,child,4,female,TRUE,"
                    "secure, 2 ",
                    '2026-05-05,p1,police,"[""fgm""]","[""canterbury""]",,applicant,,,,,False,,')
    first, second = read_caseload(path).referrals
    assert first.risk is not None and first.risk.assessed_by is Assessor.IDVA
    assert first.risk.harm_types == (HarmType.DOMESTIC_ABUSE, HarmType.STALKING)
    assert first.requested_areas == ("thanet", "dover")
    assert first.unsafe_areas == ()  # given: none is unsafe
    assert first.household is not None
    assert [(m.relationship, m.age, m.sex) for m in first.household.members] == [
        (Relationship.APPLICANT, 34, None), (Relationship.CHILD, 4, Sex.FEMALE)]
    assert first.urgent is True
    assert first.tenancy is not None and first.tenancy.type is TenancyType.SECURE and first.tenancy.bedrooms == 2
    assert second.risk is not None and second.risk.harm_types == (HarmType.FGM,)
    assert second.requested_areas == ("canterbury",)
    assert second.unsafe_areas is None  # not given
    assert second.household is not None and len(second.household.members) == 1
    assert second.urgent is False
    assert second.tenancy is None


def test_an_empty_cell_is_unknown_never_false(tmp_path: Path) -> None:
    header = (f"{HEADER},urgent,risk.at_risk,risk.dash_score,tenancy.joint,da_support,requested_areas,"
              "nominating_partner.data_sharing_protocol_signatory,tenancy,risk.harm_types")
    path = csv_file(tmp_path, header, "2026-05-04,p1,,,,,  ,,,,")
    [referral] = read_caseload(path).referrals
    assert referral.urgent is None and referral.da_support is None
    assert referral.risk is None  # none of its columns is given
    assert referral.tenancy is None
    assert referral.requested_areas is None
    assert referral.nominating_partner.data_sharing_protocol_signatory is None
    decision = __import__("reciprocity").evaluate("kent_rp", referral)
    assert decision.outcome.value == "needs_information"


def test_a_column_naming_an_object_holds_it_as_json(tmp_path: Path) -> None:
    path = csv_file(tmp_path, f"{HEADER},tenancy,risk,household.members",
                    '2026-05-04,p1,{},"{""assessed_by"": ""police"", ""at_risk"": true}",'
                    '"[{""relationship"": ""applicant"", ""age"": 40}]"')
    [referral] = read_caseload(path).referrals
    assert referral.tenancy is not None and referral.tenancy.type is None  # a tenancy is held
    assert referral.risk is not None and referral.risk.at_risk is True
    assert referral.household is not None and referral.household.members[0].age == 40


@pytest.mark.parametrize(("header", "row", "path", "message"), [
    (f"{HEADER},risk.dash_score", "2026-05-04,p1,twelve", "risk.dash_score", "must be a whole number"),
    (f"{HEADER},risk.dash_score", "2026-05-04,p1,1.5", "risk.dash_score", "must be a whole number"),
    (f"{HEADER},urgent", "2026-05-04,p1,yes", "urgent", "must be true or false"),
    (f"{HEADER},urgent", "2026-05-04,p1,1", "urgent", "must be true or false"),
    (f"{HEADER}", "04/05/2026,p1", "referred_on", "must be a date written YYYY-MM-DD"),
    (f"{HEADER},tenancy", "2026-05-04,p1,[]", "tenancy", "must be an object such as {}"),
    (f"{HEADER},tenancy", "2026-05-04,p1,{", "tenancy", "is not valid JSON"),
    (f"{HEADER},requested_areas", '2026-05-04,p1,"[1, 2"', "requested_areas", "is not valid JSON"),
    (f"{HEADER},tenancy,tenancy.type", "2026-05-04,p1,{},secure", "tenancy",
     "is given whole (as JSON) and also in its own columns"),
    (f"{HEADER},household.members.0.relationship,household.members.2.relationship",
     "2026-05-04,p1,applicant,child", "household.members[1]", "is empty, but a later item is given"),
    (f"{HEADER},risk.dash_score", "2026-05-04,p1,99", "risk.dash_score", "should be less than or equal to 24"),
])
def test_a_cell_that_cannot_be_read_is_reported_at_its_field(
    tmp_path: Path, header: str, row: str, path: str, message: str
) -> None:
    with pytest.raises(CaseloadError) as raised:
        read_caseload(csv_file(tmp_path, header, row))
    [skipped] = raised.value.rows
    assert skipped.row == 1
    [problem] = skipped.problems
    assert problem.path == path
    assert problem.message.startswith(message)


def test_a_cell_reported_is_not_reported_again_as_missing(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "referred_on,nominating_partner", "2026-05-04,{")
    with pytest.raises(CaseloadError) as raised:
        read_caseload(path)
    assert [p.path for p in raised.value.rows[0].problems] == ["nominating_partner"]


@pytest.mark.parametrize(("name", "shown"), [
    ("risk.asessed_by", "column risk.asessed_by: is not a referral field"),
    ("household.members.x.age", "column household.members.x.age: is not a referral field"),
    ("requested_areas.0", "column requested_areas.0: is not a referral field"),
    ("extensions.no_such_scheme.consent", "column extensions.no_such_scheme.consent: is a field of a scheme that "
     "is not installed"),
    ("Risk Notes", "column 3: is an unrecognised column (its name is not repeated"),
    ("", "column 3: has no name"),
    ("referred_on", "column referred_on: is given twice"),
])
def test_a_column_that_is_no_referral_field_is_refused(tmp_path: Path, name: str, shown: str) -> None:
    with pytest.raises(CaseloadError) as raised:
        read_caseload(csv_file(tmp_path, f"{HEADER},{name}", "2026-05-04,p1,x"), on_error="skip")
    assert raised.value.rows == ()
    assert shown in str(raised.value)


def test_a_scheme_s_own_columns_are_typed_by_the_scheme(tmp_path: Path, own_scheme: str) -> None:
    fields = f"extensions.{own_scheme}"
    path = csv_file(tmp_path, f"{HEADER},{fields}.consent_to_share,{fields}.mobility_registration,risk.harm_types",
                    "2026-05-04,p1,true,0123,hate_crime", "2026-05-04,p1,,,")
    first, second = read_caseload(path, scheme_id=own_scheme).referrals
    assert first.extensions == {own_scheme: {"consent_to_share": True, "mobility_registration": "0123"}}
    assert first.risk is not None and first.risk.harm_types == ("hate_crime",)
    assert second.extensions is None
    with pytest.raises(CaseloadError, match=f"column {fields}.consent: is not a referral field"):
        read_caseload(csv_file(tmp_path, f"{HEADER},{fields}.consent", "2026-05-04,p1,true"))


def test_a_harm_type_beyond_the_core_is_checked_against_the_scheme_asked_for(tmp_path: Path, own_scheme: str) -> None:
    path = csv_file(tmp_path, f"{HEADER},risk.harm_types", "2026-05-04,p1,stalking;hate_crime")
    assert len(read_caseload(path, scheme_id=own_scheme)) == 1
    assert len(read_caseload(path)) == 1  # no scheme asked for: checked when decided
    caseload = read_caseload(path, scheme_id="kent_rp", on_error="skip")
    assert [(p.path, p.message) for p in caseload.skipped[0].problems] == [
        ("risk.harm_types[1]", "is not a harm type scheme kent_rp knows")]


def test_a_referral_naming_another_scheme_is_refused_with_scheme_id(tmp_path: Path) -> None:
    path = csv_file(tmp_path, f"{HEADER},scheme", "2026-05-04,p1,kent_krs", "2026-05-04,p1,kent_rp")
    caseload = read_caseload(path, scheme_id="kent_rp", on_error="skip")
    assert [r.row for r in caseload.rows] == [2]
    assert caseload.skipped[0].problems[0].path == "scheme"


# --- Parquet --------------------------------------------------------------------------------


def test_parquet_flat_columns_in_their_own_types(tmp_path: Path) -> None:
    table = pa.table({
        "referred_on": pa.array([date(2026, 5, 4), date(2026, 5, 5)], pa.date32()),
        "nominating_partner.id": ["p1", "p2"],
        "risk.dash_score": pa.array([14, None], pa.int64()),
        "urgent": pa.array([True, None], pa.bool_()),
        "requested_areas": pa.array([["thanet", "dover"], None], pa.list_(pa.string())),
        "unsafe_areas": pa.array([[], None], pa.list_(pa.string())),
        "household.members.0.relationship": ["applicant", None],
        "household.members.0.age": pa.array([30.0, float("nan")]),  # a data frame's whole numbers with gaps
        "tenancy": pa.array(["{}", None]),
        "current_area": ["thanet", ""],
    })
    pq.write_table(table, tmp_path / "c.parquet")
    first, second = read_caseload(tmp_path / "c.parquet").referrals
    assert first.risk is not None and first.risk.dash_score == 14 and second.risk is None
    assert first.urgent is True and second.urgent is None
    assert first.requested_areas == ("thanet", "dover") and second.requested_areas is None
    assert first.unsafe_areas == () and second.unsafe_areas is None
    assert first.household is not None and first.household.members[0].age == 30 and second.household is None
    assert first.tenancy is not None and second.tenancy is None
    assert first.current_area == "thanet" and second.current_area is None


def test_parquet_nested_struct_columns(tmp_path: Path) -> None:
    rows = [
        {"referred_on": date(2026, 5, 4), "nominating_partner": {"id": "p1", "kind": "local_authority",
                                                                 "authority_area": "thanet"},
         "risk": {"assessed_by": "idva", "harm_types": ["stalking"], "dash_score": 16},
         "household": {"members": [{"relationship": "applicant", "age": 30}, {"relationship": "child"}]}},
        {"referred_on": date(2026, 5, 5), "nominating_partner": {"id": "p2"}, "risk": None, "household": None},
    ]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "nested.parquet")
    first, second = read_caseload(tmp_path / "nested.parquet").referrals
    assert first.nominating_partner.authority_area == "thanet"
    assert first.risk is not None and first.risk.harm_types == (HarmType.STALKING,) and first.risk.dash_score == 16
    assert first.household is not None and first.household.members[1].age is None
    assert second.risk is None and second.household is None and second.nominating_partner.kind is None


def test_parquet_values_of_the_wrong_type_are_reported_at_their_field(tmp_path: Path) -> None:
    table = pa.table({"referred_on": ["2026-05-04"], "nominating_partner.id": ["p1"],
                      "risk.dash_score": pa.array([14.5]), "urgent": pa.array([1], pa.int64())})
    pq.write_table(table, tmp_path / "c.parquet")
    caseload = read_caseload(tmp_path / "c.parquet", on_error="skip")
    assert sorted(p.path for p in caseload.skipped[0].problems) == ["risk.dash_score", "urgent"]


def test_jsonl_rows_are_referral_documents(tmp_path: Path) -> None:
    lines = [json.dumps({"referred_on": "2026-05-04", "nominating_partner": {"id": "p1"}, "urgent": True}), "",
             json.dumps({"referred_on": "2026-05-05", "nominating_partner": {"id": "p2"}})]
    (tmp_path / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    caseload = read_caseload(tmp_path / "c.jsonl")
    assert [r.row for r in caseload.rows] == [1, 3]  # a blank line is counted and holds no referral
    assert caseload.referrals[0].urgent is True and caseload.referrals[1].urgent is None


# --- the batch reader reads as the careful one does ------------------------------------------

_NAMES = ["referred_on", "nominating_partner.id", "urgent", "risk", "risk.dash_score", "risk.harm_types", "tenancy",
          "tenancy.type", "household", "household.members", "household.members.0.relationship",
          "household.members.1.age", "household.members.2.relationship", "requested_areas",
          "nominating_partner.membership"]
_CELLS = st.one_of(st.none(), st.sampled_from(["", " ", "true", "FALSE", "3", "x", "2026-05-04", "{}", "[]",
                                                "thanet;dover", '["fgm"]', "secure", "applicant", "{", "1.0",
                                                '{"assessed_by": "idva"}', '[{"relationship": "applicant"}]']),
                   st.integers(-2, 30), st.booleans(), st.lists(st.sampled_from(["fgm", "thanet", ""]), max_size=2),
                   st.floats(allow_nan=True, allow_infinity=False), st.just({"type": None, "joint": True}),
                   st.just([{"relationship": "applicant", "age": None}]))


@given(st.lists(st.fixed_dictionaries({name: _CELLS for name in _NAMES}), min_size=1, max_size=6))
def test_the_batch_reader_gives_each_row_the_document_and_problems_build_document_gives(
    rows: list[dict[str, object]]
) -> None:
    columns = resolve_columns(_NAMES)
    batch = [[row[c.name] for row in rows] for c in columns]
    fast = RowReader(columns).read(batch, len(rows))
    careful = [build_document(zip(columns, [row[c.name] for c in columns], strict=True)) for row in rows]
    assert fast == careful
