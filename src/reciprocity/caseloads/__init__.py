"""Caseloads: many referrals at once, read from a file or drawn synthetically with a seed.

A policy team asks how a rule change would fall on a register of past referrals, or on a
synthetic caseload. This module reads such a caseload into validated
:class:`~reciprocity.Referral` objects, in row order, each with its row number::

    from reciprocity.caseloads import read_caseload, synthetic, write_caseload

    caseload = read_caseload("referrals.csv", on_error="skip", scheme_id="kent_rp")
    print(caseload.report())            # read 998 referrals from referrals.csv; skipped 2 rows: ...
    for row in caseload.rows:
        row.row, row.referral

    drawn = synthetic("kent_rp", 10_000, seed=1)   # 60% eligible, the rest failing one rule each
    write_caseload(drawn, "synthetic.parquet")

Formats (chosen by the file's suffix, or ``format=``):

- **JSON Lines** (``.jsonl``, ``.ndjson``): one referral per line, each the JSON document
  ``reciprocity evaluate`` reads.
- **CSV** (``.csv``): a header of dotted field paths (``risk.assessed_by``); a list of
  objects by index (``household.members.0.age``); a list of values in one cell, ``a;b``, or
  a JSON list (``[]`` is the empty list); ``true``/``false``; dates ``YYYY-MM-DD``; a column
  naming an object holds it as JSON (``tenancy`` = ``{}``: a tenancy is held, nothing known
  of it). An empty cell is a fact not given: unknown, never false.
- **Parquet** (``.parquet``, ``.pq``): the same dotted columns in their own types (text,
  whole numbers, yes/no, dates, lists), or nested struct columns (``risk`` as a struct),
  null for not given. Needs pyarrow: the ``simulation`` extra.

Rows are numbered from 1 (the first line of JSON Lines, the first row after a CSV header).
A bad row is reported by its number and the field paths that are wrong, never its values;
``on_error`` chooses whether it fails the load (the default) or is skipped and listed.
"""

from reciprocity.caseloads._caseload import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    FORMATS,
    SUFFIXES,
    Caseload,
    CaseloadError,
    CaseloadRow,
    Format,
    MissingExtraError,
    SkippedRow,
)
from reciprocity.caseloads._read import read_caseload
from reciprocity.caseloads._synthetic import DEFAULT_ELIGIBLE, SyntheticCaseloadError, synthetic
from reciprocity.caseloads._write import write_caseload

__all__ = [
    "DEFAULT_ELIGIBLE",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "FORMATS",
    "SUFFIXES",
    "Caseload",
    "CaseloadError",
    "CaseloadRow",
    "Format",
    "MissingExtraError",
    "SkippedRow",
    "SyntheticCaseloadError",
    "read_caseload",
    "synthetic",
    "write_caseload",
]
