"""Reading a caseload file row by row into validated referrals."""

from __future__ import annotations

import csv
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from reciprocity.caseloads._caseload import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    Caseload,
    CaseloadError,
    CaseloadRow,
    Format,
    MissingExtraError,
    SkippedRow,
    format_of,
    garbage_collector_paused,
)
from reciprocity.caseloads._fields import resolve_columns
from reciprocity.caseloads._rows import RowReader
from reciprocity.documents import max_input_bytes, parse_document
from reciprocity.errors import InputProblem, InvalidInputError
from reciprocity.inputs import problems_from
from reciprocity.model.referral import Referral

__all__ = ["read_caseload", "require_pyarrow"]

#: Rows read from a Parquet file at a time.
_BATCH = 10_000


def require_pyarrow(why: str) -> Any:
    """``pyarrow.parquet``, or MissingExtraError naming the extra that installs it."""
    try:
        import pyarrow.parquet as pq  # noqa: PLC0415 - Parquet alone needs it
    except ImportError:
        raise MissingExtraError(
            f"{why} needs pyarrow, which is not installed: pip install 'reciprocity[simulation]'") from None
    return pq


def _refuse(where: str, message: str, hint: str) -> CaseloadError:
    return CaseloadError([InputProblem(where, message, hint)])


def _check_file(path: Path, max_bytes: int) -> int:
    """The file's size, after checking it is a regular file within ``max_bytes``."""
    name = path.name or str(path)
    try:
        info = path.stat()  # never opens: opening a named pipe would wait for a writer
    except FileNotFoundError:
        raise _refuse(name, "does not exist", "check the path") from None
    except OSError:
        raise _refuse(name, "cannot be read", "check the path and its permissions") from None
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(name, "is not a regular file (it is a folder, a device or a pipe)", "give a caseload file")
    if info.st_size > max_bytes:
        raise _refuse(name, f"is larger than the {max_bytes:,} bytes a caseload may hold",
                      "split the caseload, or pass a larger max_bytes")
    return info.st_size


def _too_many(name: str, max_rows: int) -> CaseloadError:
    return _refuse(name, f"holds more than the {max_rows:,} rows a caseload may hold",
                   "split the caseload, or pass a larger max_rows")


class _Rows:
    """Referrals made row by row, and the rows left out."""

    def __init__(self, scheme_id: str | None) -> None:
        self.rows: list[CaseloadRow] = []
        self.skipped: list[SkippedRow] = []
        self.scheme_id = scheme_id

    def add(self, row: int, document: Any, problems: Sequence[InputProblem] = ()) -> None:
        found = list(problems)
        referral = None
        if found and document is None:
            self.skipped.append(SkippedRow(row, found))
            return
        try:
            referral = Referral.model_validate(document)
        except ValidationError as error:
            # A cell already reported (it could not be read) is not reported again as missing.
            shown = [p.path for p in found]
            found += [p for p in problems_from(error)
                      if not any(p.path == s or p.path.startswith((f"{s}.", f"{s}[")) for s in shown)]
        if referral is not None and self.scheme_id is not None:
            from reciprocity.api import check_scheme  # noqa: PLC0415 - loads the scheme plugins

            try:
                check_scheme(referral, self.scheme_id)
            except InvalidInputError as error:
                found += error.problems
        if found:
            self.skipped.append(SkippedRow(row, found))
        elif referral is not None:
            self.rows.append(CaseloadRow(row, referral))


def read_caseload(
    path: str | Path,
    *,
    format: Format | None = None,  # noqa: A002 - the name a caller reads
    on_error: Literal["fail", "skip"] = "fail",
    scheme_id: str | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Caseload:
    """Read the caseload at ``path`` into validated referrals, in row order.

    ``format`` is ``"jsonl"``, ``"csv"`` or ``"parquet"``; by default the file's suffix names
    it (``.jsonl``/``.ndjson``, ``.csv``, ``.parquet``/``.pq``). With ``scheme_id``, each
    referral is also checked against that scheme as :func:`reciprocity.evaluate` would
    check it: its ``scheme`` field, its own fields (``extensions.<scheme_id>``) and its harm
    types.

    A row that is not a valid referral is reported by its row number and the field paths
    that are wrong, never by its values. ``on_error="fail"`` (the default) raises
    :class:`CaseloadError` listing every bad row (its ``rows``); ``on_error="skip"`` leaves
    the bad rows out and lists them in :attr:`Caseload.skipped`. A problem with the file
    itself (missing, not UTF-8, larger than ``max_bytes``, more than ``max_rows`` rows, a
    broken CSV quote) or with its columns (one that is no referral field, or given twice)
    always raises :class:`CaseloadError`: no row could be trusted.

    Parquet needs pyarrow (the ``simulation`` extra); :class:`MissingExtraError` says so. An
    unknown ``scheme_id`` raises :class:`~reciprocity.errors.UnknownSchemeError`.
    """
    if on_error not in ("fail", "skip"):
        raise ValueError(f"on_error must be 'fail' or 'skip', not {on_error!r}")
    path = Path(path)
    kind = format_of(path, format)
    if scheme_id is not None:
        from reciprocity.plugins import get_scheme  # noqa: PLC0415 - loads the scheme plugins

        get_scheme(scheme_id)  # an unknown scheme is refused before anything is read
    _check_file(path, max_bytes)
    rows = _Rows(scheme_id)
    reader = {"jsonl": _read_jsonl, "csv": _read_csv, "parquet": _read_parquet}[kind]
    with garbage_collector_paused():
        reader(path, rows, max_rows, max_bytes)
    rows.skipped.sort(key=lambda skipped: skipped.row)  # a CSV row of the wrong length is met first
    if rows.skipped and on_error == "fail":
        raise CaseloadError([], rows.skipped)
    return Caseload(rows.rows, rows.skipped, format=kind, name=path.name)


# --- JSON Lines -----------------------------------------------------------------------------


def _read_jsonl(path: Path, rows: _Rows, max_rows: int, max_bytes: int) -> None:  # noqa: ARG001
    limit = max_input_bytes()
    number = 0
    with path.open("rb") as handle:
        while True:
            line = handle.readline(limit + 1)
            if not line:
                return
            number += 1
            if number > max_rows:
                raise _too_many(path.name, max_rows)
            if len(line) > limit:
                while not line.endswith(b"\n") and (line := handle.readline(limit)):
                    pass  # the rest of an overlong line
                rows.add(number, None, [InputProblem("", f"is longer than the {limit:,} bytes a referral may take",
                                                     "check the line holds one referral")])
                continue
            if number == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if not line.strip():
                continue  # a blank line: counted, holds no referral
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                rows.add(number, None, [InputProblem("", "is not UTF-8 text", "save the file as UTF-8")])
                continue
            try:
                document = parse_document(text, name="", kind="json")
            except InvalidInputError as error:
                rows.add(number, None, [InputProblem("", p.message, p.hint) for p in error.problems])
                continue
            if not isinstance(document, dict):
                rows.add(number, None, [InputProblem("", "is not a JSON object",
                                                     "give one referral object per line")])
                continue
            rows.add(number, document)


# --- CSV ------------------------------------------------------------------------------------


def _read_csv(path: Path, rows: _Rows, max_rows: int, max_bytes: int) -> None:  # noqa: ARG001
    number = -1  # the row being read: 0 is the header
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            records = csv.reader(handle, strict=True)
            number = 0
            header = next(records, None)
            if header is None:
                raise _refuse(path.name, "is empty (it has no header row)",
                              "give a header row of referral field paths, then one referral per row")
            columns = resolve_columns(header)
            reader = RowReader(columns)
            chunk: list[tuple[int, list[str]]] = []
            number = 1
            for record in records:
                if number > max_rows:
                    raise _too_many(path.name, max_rows)
                if record and len(record) != len(header):
                    rows.add(number, None, [InputProblem(
                        "", f"has {len(record)} cells where the header has {len(header)} columns",
                        "give every row one cell per column (an empty cell for a fact not known)")])
                elif record:  # a blank line is counted, and holds no referral
                    chunk.append((number, record))
                    if len(chunk) == _BATCH:
                        _add_csv(reader, chunk, rows)
                number += 1
            _add_csv(reader, chunk, rows)
    except UnicodeDecodeError:
        raise _refuse(path.name, "is not UTF-8 text",
                      "save the file as UTF-8 (most spreadsheets offer it)") from None
    except csv.Error as error:
        # The csv module's own words name the fault (a stray quote, a cell too long), not the text.
        raise _refuse(path.name, f"is not valid CSV ({_at(number)}: {error})",
                      "check the quotes there, and that the file is CSV") from None


def _add_csv(reader: RowReader, chunk: list[tuple[int, list[str]]], rows: _Rows) -> None:
    """Read the rows of ``chunk`` (emptied) column by column."""
    batch = [[record[column.position - 1] for _, record in chunk] for column in reader.columns]
    for (number, _), (document, problems) in zip(chunk, reader.read(batch, len(chunk)), strict=True):
        rows.add(number, document, problems)
    chunk.clear()


def _at(number: int) -> str:
    return "in its header row" if number <= 0 else f"at row {number}"


# --- Parquet --------------------------------------------------------------------------------


def _read_parquet(path: Path, rows: _Rows, max_rows: int, max_bytes: int) -> None:
    """Read a Parquet file a batch at a time. Its data may take at most ``max_bytes`` encoded
    (before the codec's compression) and, for text columns, decoded (they are read as
    dictionaries, so a value repeated down a column is measured before it is repeated)."""
    pq = require_pyarrow("reading a Parquet caseload")
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    try:
        schema = pq.read_schema(path)
        texts = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        parquet = pq.ParquetFile(path, read_dictionary=texts)
        metadata = parquet.metadata
    except (pa.ArrowException, OSError):
        raise _refuse(path.name, "is not a Parquet file (or it is damaged)", "check the file") from None
    if metadata.num_rows > max_rows:
        raise _too_many(path.name, max_rows)
    encoded = sum(group.column(i).total_uncompressed_size
                  for group in map(metadata.row_group, range(metadata.num_row_groups))
                  for i in range(group.num_columns))
    too_big = _refuse(path.name, f"holds more than the {max_bytes:,} bytes of data a caseload may hold "
                      "(uncompressed)", "split the caseload, or pass a larger max_bytes")
    if encoded > max_bytes:
        raise too_big
    columns = resolve_columns(schema.names)
    reader = RowReader(columns)
    number = decoded = 0
    try:
        for batch in parquet.iter_batches(batch_size=_BATCH, columns=[c.name for c in columns]):
            for array in batch.columns:
                if pa.types.is_dictionary(array.type):
                    lengths = pc.binary_length(array.dictionary)
                    decoded += pc.sum(pc.take(lengths, array.indices)).as_py() or 0
                else:
                    decoded += array.nbytes
            if decoded > max_bytes:
                raise too_big
            # Measured, the text is decoded (a dictionary's own to_pylist is four times slower).
            values = [(array.dictionary_decode() if pa.types.is_dictionary(array.type) else array).to_pylist()
                      for array in batch.columns]
            for document, problems in reader.read(values, batch.num_rows):
                number += 1
                rows.add(number, document, problems)
    except (pa.ArrowException, OSError):
        raise _refuse(path.name, f"cannot be read after row {number} (it is damaged)", "check the file") from None
