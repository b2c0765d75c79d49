"""What a caseload file may be: its format, size and row count, and the file-level problems
that fail a load whatever ``on_error`` says. Also: ``import reciprocity`` needs neither pyarrow
nor numpy, and Parquet without pyarrow says which extra to install."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from reciprocity.caseloads import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    FORMATS,
    CaseloadError,
    MissingExtraError,
    read_caseload,
    write_caseload,
)
from reciprocity.model import Referral

REFERRAL = Referral.model_validate({"referred_on": "2026-05-04", "nominating_partner": {"id": "partner_1"}})


def _message(path: Path, **options: object) -> str:
    with pytest.raises(CaseloadError) as raised:
        read_caseload(path, on_error="skip", **options)  # type: ignore[arg-type]
    assert raised.value.rows == ()  # a problem of the file, not of a row
    return str(raised.value)


def test_the_defaults_are_a_million_rows_and_a_gigabyte() -> None:
    assert (DEFAULT_MAX_ROWS, DEFAULT_MAX_BYTES) == (1_000_000, 1_000_000_000)


@pytest.mark.parametrize("format", FORMATS)
def test_more_rows_than_allowed_fail_the_load(tmp_path: Path, format: str) -> None:  # noqa: A002
    path = write_caseload([REFERRAL] * 6, tmp_path / f"c.{format}")
    assert len(read_caseload(path, max_rows=6)) == 6
    assert f"c.{format}: holds more than the 5 rows a caseload may hold" in _message(path, max_rows=5)


@pytest.mark.parametrize("format", FORMATS)
def test_a_file_larger_than_allowed_fails_the_load(tmp_path: Path, format: str) -> None:  # noqa: A002
    path = write_caseload([REFERRAL] * 3, tmp_path / f"c.{format}")
    size = path.stat().st_size
    assert len(read_caseload(path, max_bytes=size)) == 3
    assert f"is larger than the {size - 1:,} bytes a caseload may hold" in _message(path, max_bytes=size - 1)


def test_parquet_data_larger_than_allowed_uncompressed_fails_the_load(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    ids = ["a" * 300 + str(i) for i in range(5000)]
    pq.write_table(pa.table({"referred_on": ["2026-05-04"] * 5000, "nominating_partner.id": ids}), path)
    size = path.stat().st_size
    assert size < 200_000  # the codec compresses 1.5 MB of text
    assert "bytes of data a caseload may hold (uncompressed)" in _message(path, max_bytes=size)


def test_a_parquet_value_repeated_down_a_column_is_measured_before_it_is_repeated(tmp_path: Path) -> None:
    """A dictionary-encoded column of one 100 kB value in 50,000 rows is 6 kB on disk and 5 GB
    decoded: it is refused without being decoded."""
    path = tmp_path / "bomb.parquet"
    repeated = pa.DictionaryArray.from_arrays(pa.array([0] * 50_000, pa.int32()), pa.array(["x" * 100_000]))
    pq.write_table(pa.table({"referred_on": repeated, "nominating_partner.id": ["p"] * 50_000}), path)
    assert path.stat().st_size < 10_000
    assert "bomb.parquet: holds more than the 1,000,000,000 bytes of data" in _message(path)


def test_the_suffix_names_the_format_and_format_overrides_it(tmp_path: Path) -> None:
    path = write_caseload([REFERRAL], tmp_path / "register.txt", format="csv")
    assert read_caseload(path, format="csv").referrals == (REFERRAL,)
    assert "register.txt: has a suffix that names no caseload format" in _message(path)
    with pytest.raises(ValueError, match="format must be one of jsonl, csv, parquet"):
        read_caseload(path, format="xlsx")  # type: ignore[arg-type]
    ndjson = write_caseload([REFERRAL], tmp_path / "c.NDJSON")
    assert read_caseload(ndjson).format == "jsonl"


def test_what_is_not_a_regular_file_is_refused_without_opening_it(tmp_path: Path) -> None:
    assert "c.csv: does not exist" in _message(tmp_path / "c.csv")
    (tmp_path / "folder.csv").mkdir()
    assert "is not a regular file" in _message(tmp_path / "folder.csv")
    pipe = tmp_path / "pipe.jsonl"
    os.mkfifo(pipe)
    assert "is not a regular file" in _message(pipe)


def test_a_csv_file_that_is_not_utf8_or_not_csv_fails_the_load(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"referred_on,nominating_partner.id\n2026-05-04,p\n2026-05-04,\xe9t\xe9\n")
    assert "c.csv: is not UTF-8 text" in _message(path)
    path.write_text('referred_on,nominating_partner.id\n2026-05-04,p\n2026-05-04,"p"x\n', encoding="utf-8")
    assert "c.csv: is not valid CSV (at row 2: ',' expected after '\"')" in _message(path)
    path.write_text('"referred_on,nominating_partner.id\n', encoding="utf-8")
    assert "c.csv: is not valid CSV (in its header row: unexpected end of data)" in _message(path)
    path.write_text("", encoding="utf-8")
    assert "c.csv: is empty (it has no header row)" in _message(path)


def test_a_csv_row_with_the_wrong_number_of_cells_is_a_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("referred_on,nominating_partner.id\n2026-05-04,p,extra\n\n2026-05-04,p\n2026-05-04\n",
                    encoding="utf-8")
    caseload = read_caseload(path, on_error="skip")
    assert [r.row for r in caseload.rows] == [3]
    assert [str(s) for s in caseload.skipped] == [
        "row 1: has 3 cells where the header has 2 columns; give every row one cell per column "
        "(an empty cell for a fact not known)",
        "row 4: has 1 cells where the header has 2 columns; give every row one cell per column "
        "(an empty cell for a fact not known)"]


def test_a_damaged_parquet_file_fails_the_load(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    path.write_bytes(b"PAR1 not really")
    assert "c.parquet: is not a Parquet file (or it is damaged)" in _message(path)


def test_an_overlong_jsonl_line_is_a_bad_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECIPROCITY_MAX_INPUT_BYTES", "200")
    line = REFERRAL.model_dump_json(exclude_defaults=True)
    path = tmp_path / "c.jsonl"
    path.write_text(f"{line}\n{{\"id\": \"{'x' * 500}\"}}\n{line}\n", encoding="utf-8")
    caseload = read_caseload(path, on_error="skip")
    assert [r.row for r in caseload.rows] == [1, 3]
    assert str(caseload.skipped[0]).startswith("row 2: is longer than the 200 bytes a referral may take")


def test_control_characters_in_text_are_refused_as_the_models_refuse_them(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("referred_on,nominating_partner.id,nominating_partner.name\n2026-05-04,p,A\u202eB\n"
                    "2026-05-04,p,A\x00B\n", encoding="utf-8")
    caseload = read_caseload(path, on_error="skip")
    assert [(s.row, s.problems[0].path, s.problems[0].message) for s in caseload.skipped] == [
        (1, "nominating_partner.name", "holds a control or invisible formatting character"),
        (2, "nominating_partner.name", "holds a control or invisible formatting character")]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          check=False, timeout=120)


def test_importing_reciprocity_and_its_caseloads_imports_neither_pyarrow_nor_numpy() -> None:
    ran = _run("""
        import sys
        import reciprocity, reciprocity.caseloads
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("pyarrow", "numpy", "hypothesis"))
        print(heavy)
    """)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "[]"


def test_parquet_without_pyarrow_names_the_extra_to_install(tmp_path: Path) -> None:
    path = write_caseload([REFERRAL], tmp_path / "c.parquet")
    ran = _run(f"""
        import sys
        sys.modules["pyarrow"] = None  # as if it were not installed
        from reciprocity.caseloads import MissingExtraError, read_caseload, write_caseload
        for call in (lambda: read_caseload({str(path)!r}), lambda: write_caseload([], {str(tmp_path / 'd.parquet')!r})):
            try:
                call()
            except MissingExtraError as error:
                print(error)
        print(len(read_caseload({str(write_caseload([REFERRAL], tmp_path / 'c.csv'))!r})))
    """)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == [
        "reading a Parquet caseload needs pyarrow, which is not installed: pip install 'reciprocity[simulation]'",
        "writing a Parquet caseload needs pyarrow, which is not installed: pip install 'reciprocity[simulation]'",
        "1"]
    assert issubclass(MissingExtraError, ImportError)
