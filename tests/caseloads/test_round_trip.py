"""Every format gives back the referrals written to it, equal and in order, for referrals of
every built-in scheme (any referral, eligible ones and ones failing a rule) and of a scheme
with fields and a harm type of its own."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reciprocity
from reciprocity.caseloads import (
    FORMATS,
    Caseload,
    CaseloadError,
    CaseloadRow,
    read_caseload,
    write_caseload,
)
from reciprocity.model import HarmType, Referral
from reciprocity.testing import eligible_referrals, referrals, referrals_failing

SCHEMES = [s.id for s in reciprocity.schemes()]
#: A quarter of the profile's examples for each of the nine scheme and format pairs (50 in ``ci``).
EXAMPLES = max(settings().max_examples // 4, 10)


def _any_referrals(scheme_id: str) -> st.SearchStrategy[list[Referral]]:
    rules = [r.id for r in reciprocity.get_scheme(scheme_id).rules]
    one = st.one_of(referrals(scheme_id), eligible_referrals(scheme_id),
                    st.sampled_from(rules).flatmap(lambda rule: referrals_failing(scheme_id, rule)))
    return st.lists(one, min_size=1, max_size=4)


def round_trip(items: list[Referral], format: str, **read: object) -> Caseload:  # noqa: A002
    with tempfile.TemporaryDirectory() as folder:
        path = write_caseload(items, Path(folder) / f"caseload.{format}")
        return read_caseload(path, **read)  # type: ignore[arg-type]


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("scheme_id", SCHEMES)
def test_each_format_gives_back_the_referrals_written(scheme_id: str, format: str) -> None:  # noqa: A002
    @settings(max_examples=EXAMPLES)
    @given(_any_referrals(scheme_id))
    def check(items: list[Referral]) -> None:
        back = round_trip(items, format, scheme_id=scheme_id)
        assert back.referrals == tuple(items)
        assert [r.row for r in back.rows] == list(range(1, len(items) + 1))
        assert back.skipped == ()
        assert back.format == format

    check()


@pytest.mark.parametrize("format", FORMATS)
def test_a_scheme_s_own_fields_and_harm_types_round_trip(own_scheme: str, format: str) -> None:  # noqa: A002
    base = {"referred_on": "2026-05-04", "nominating_partner": {"id": "partner_1"}}
    items = [Referral.model_validate(d) for d in (
        {**base, "extensions": {own_scheme: {"consent_to_share": True, "mobility_registration": "MS-1"}},
         "risk": {"harm_types": ["hate_crime", "stalking"]}},
        {**base, "extensions": {own_scheme: {"consent_to_share": False}}},
        {**base, "extensions": {own_scheme: {}}},
        {**base, "extensions": {}},
        base,
    )]
    back = round_trip(items, format, scheme_id=own_scheme)
    assert back.referrals == tuple(items)
    assert back.referrals[0].risk is not None
    assert back.referrals[0].risk.harm_types == ("hate_crime", HarmType.STALKING)


@pytest.mark.parametrize("format", FORMATS)
def test_given_but_empty_is_kept_apart_from_not_given(format: str) -> None:  # noqa: A002
    """An empty list of unsafe areas (none are unsafe) is not "not given"; nor is a tenancy
    held with nothing known of it, or a membership without dates (a member since before records)."""
    base = Referral.model_validate({"referred_on": "2026-05-04", "nominating_partner": {"id": "partner_1"}})
    items = [
        base.model_copy(update={"unsafe_areas": ()}),
        base,
        Referral.model_validate({**base.model_dump(mode="json"), "tenancy": {},
                                 "nominating_partner": {"id": "partner_1", "membership": {}}, "risk": {}}),
    ]
    back = round_trip(items, format).referrals
    assert back == tuple(items)
    assert back[0].unsafe_areas == () and back[1].unsafe_areas is None
    assert back[2].tenancy is not None and back[1].tenancy is None
    assert back[2].nominating_partner.membership is not None and back[1].nominating_partner.membership is None


@pytest.mark.parametrize("format", FORMATS)
def test_a_caseload_and_its_rows_are_written_as_they_are(format: str) -> None:  # noqa: A002
    referral = Referral.model_validate({"referred_on": date(2026, 5, 4), "nominating_partner": {"id": "p"}})
    caseload = Caseload([CaseloadRow(7, referral), CaseloadRow(9, referral)])
    assert round_trip(list(caseload.rows), format).referrals == (referral, referral)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as folder:
        path = write_caseload(caseload, Path(folder) / "out.data", format=format)  # type: ignore[arg-type]
        assert read_caseload(path, format=format).referrals == (referral, referral)  # type: ignore[arg-type]


@pytest.mark.parametrize("format", FORMATS)
def test_an_empty_caseload_round_trips(format: str) -> None:  # noqa: A002
    back = round_trip([], format)
    assert back.referrals == () and back.skipped == ()


def test_fields_of_a_scheme_that_cannot_be_columns_are_refused_naming_the_referral_and_field(own_scheme: str) -> None:
    """The columns of a scheme's own fields are typed by the scheme: fields of a scheme that is
    not installed, or values that do not fit, can be written only as JSON Lines."""
    base = {"referred_on": "2026-05-04", "nominating_partner": {"id": "partner_1"}}
    items = [Referral.model_validate(d) for d in (
        base,
        {**base, "extensions": {"not_installed": {"x": True}}},
        {**base, "extensions": {own_scheme: {"consent_to_share": "Jane Doe"}, "kent_rp": {"y": 1}}},
    )]
    with tempfile.TemporaryDirectory() as folder:
        for format in ("csv", "parquet"):  # noqa: A001
            with pytest.raises(CaseloadError) as raised:
                write_caseload(items, Path(folder) / f"c.{format}")
            assert [(r.row, [p.path for p in r.problems]) for r in raised.value.rows] == [
                (2, ["extensions.not_installed"]),
                (3, [f"extensions.{own_scheme}.consent_to_share", "extensions.kent_rp"])]
            assert "Jane Doe" not in str(raised.value)
            assert not (Path(folder) / f"c.{format}").exists()
        assert read_caseload(write_caseload(items, Path(folder) / "c.jsonl")).referrals == tuple(items)


def test_an_unknown_scheme_is_refused_before_the_file_is_read(tmp_path: Path) -> None:
    with pytest.raises(reciprocity.UnknownSchemeError):
        read_caseload(tmp_path / "missing.csv", scheme_id="no_such_scheme")


def test_mappings_are_written_as_referrals_and_invalid_ones_named_by_row(tmp_path: Path) -> None:
    good = {"referred_on": "2026-05-04", "nominating_partner": {"id": "partner_1"}}
    path = write_caseload([good, good], tmp_path / "c.csv")
    assert read_caseload(path).referrals == (Referral.model_validate(good),) * 2
    with pytest.raises(CaseloadError) as raised:
        write_caseload([good, {**good, "urgent": "Jane Doe"}], tmp_path / "d.csv")
    assert [(r.row, [p.path for p in r.problems]) for r in raised.value.rows] == [(2, ["urgent"])]
    assert "Jane Doe" not in str(raised.value)


@pytest.mark.parametrize("format", FORMATS)
def test_generated_referrals_of_a_scheme_with_fields_of_its_own_round_trip(own_scheme: str, format: str) -> None:  # noqa: A002
    @settings(max_examples=EXAMPLES)
    @given(st.lists(referrals(own_scheme), min_size=1, max_size=4))
    def check(items: list[Referral]) -> None:
        assert round_trip(items, format, scheme_id=own_scheme).referrals == tuple(items)

    check()
