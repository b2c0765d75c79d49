"""A caseload read or drawn: its referrals in order with their row numbers, and the rows skipped."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal

import attrs

from reciprocity.batching import collector_paused
from reciprocity.errors import SHOWN_PROBLEMS, InputProblem, InvalidInputError, ReciprocityError
from reciprocity.model.referral import Referral

__all__ = [
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
    "format_of",
    "garbage_collector_paused",
]

#: The formats a caseload is read from and written to.
Format = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "parquet")
#: The format each file suffix names (``format=`` overrides it).
SUFFIXES: dict[str, Format] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
                               ".pq": "parquet"}

#: The most rows a caseload may hold by default (a register of many years is a few hundred thousand).
DEFAULT_MAX_ROWS = 1_000_000
#: The largest caseload file read by default (and, for Parquet, the most its data may take
#: uncompressed): 1 GB.
DEFAULT_MAX_BYTES = 1_000_000_000


class MissingExtraError(ReciprocityError, ImportError):
    """A feature whose optional dependency is not installed; the message names the extra."""


@attrs.frozen
class CaseloadRow:
    """One referral of a caseload and its row: row 1 is the first line of a JSON Lines file,
    the first row after a CSV file's header, the first row of a Parquet file."""

    row: int
    referral: Referral


@attrs.frozen
class SkippedRow:
    """A row left out of a caseload, and every problem found in it (field paths such as
    ``risk.dash_score``; no value of the row is repeated)."""

    row: int
    problems: tuple[InputProblem, ...] = attrs.field(converter=tuple)

    def __str__(self) -> str:
        return "; ".join(f"row {self.row}, {p}" if p.path else f"row {self.row}: {_unplaced(p)}" for p in self.problems)


def _unplaced(problem: InputProblem) -> str:
    return f"{problem.message}; {problem.hint}" if problem.hint else problem.message


def _row_problems(rows: Sequence[SkippedRow]) -> list[InputProblem]:
    return [InputProblem(f"row {r.row}, {p.path}" if p.path else f"row {r.row}", p.message, p.hint)
            for r in rows for p in r.problems]


class CaseloadError(InvalidInputError):
    """A caseload that cannot be read: a problem with the file or its columns (``rows`` is
    empty), or, with ``on_error="fail"``, the rows that are wrong (``rows``, each with its
    problems). No value of the file is repeated; a column's name only when it is a field path."""

    def __init__(self, problems: Sequence[InputProblem], rows: Sequence[SkippedRow] = ()) -> None:
        self.rows: tuple[SkippedRow, ...] = tuple(rows)
        super().__init__("caseload", [*problems, *_row_problems(rows)])


@attrs.frozen
class Caseload:
    """Referrals in the order they were read, each with its row number, and the rows skipped.

    Iterating gives the referrals; ``len()`` counts them (skipped rows aside). ``name`` is the
    file's name (not its folder) or a description of a synthetic caseload.
    """

    rows: tuple[CaseloadRow, ...] = attrs.field(converter=tuple)
    skipped: tuple[SkippedRow, ...] = attrs.field(converter=tuple, default=())
    format: Format | None = None
    name: str = ""

    @property
    def referrals(self) -> tuple[Referral, ...]:
        """The referrals, in row order."""
        return tuple(r.referral for r in self.rows)

    @property
    def problems(self) -> tuple[InputProblem, ...]:
        """Every problem of the skipped rows, each path prefixed with its row (``row 3,
        risk.dash_score``)."""
        return tuple(_row_problems(self.skipped))

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Referral]:
        return (r.referral for r in self.rows)

    def report(self) -> str:
        """What was read and what was skipped, in a few lines (the first
        :data:`~reciprocity.errors.SHOWN_PROBLEMS` skipped rows, the rest counted)."""
        where = f" from {self.name}" if self.name else ""
        noun = "referral" if len(self.rows) == 1 else "referrals"
        text = f"read {len(self.rows):,} {noun}{where}"
        if not self.skipped:
            return text + "; no row skipped"
        count = len(self.skipped)
        lines = [f"{text}; skipped {count:,} {'row' if count == 1 else 'rows'}:"]
        lines += [f"  - {row}" for row in self.skipped[:SHOWN_PROBLEMS]]
        if count > SHOWN_PROBLEMS:
            lines.append(f"  - and {count - SHOWN_PROBLEMS:,} more")
        return "\n".join(lines)


def format_of(path: Path, format: str | None) -> Format:  # noqa: A002 - the public keyword
    """The format ``format`` names, or the one the suffix of ``path`` names."""
    if format is not None:
        if format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
        return format  # type: ignore[return-value]
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise CaseloadError([InputProblem(path.name, "has a suffix that names no caseload format",
                                          f"name it {', '.join(SUFFIXES)}, or pass format= "
                                          f"({', '.join(FORMATS)})")])
    return found


#: Pauses the cyclic garbage collector while many referrals are made (see
#: :func:`reciprocity.batching.collector_paused`).
garbage_collector_paused = collector_paused
