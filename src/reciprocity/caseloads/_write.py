"""Writing referrals as a caseload file: JSON Lines, CSV or (flat) Parquet."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from reciprocity.caseloads._caseload import (
    Caseload,
    CaseloadError,
    CaseloadRow,
    Format,
    SkippedRow,
    format_of,
)
from reciprocity.caseloads._fields import Loc, Node, cell_text, column_order, flatten
from reciprocity.caseloads._read import require_pyarrow
from reciprocity.errors import InputProblem, InvalidInputError
from reciprocity.inputs import coerce_referral, problems_from
from reciprocity.model.referral import Referral

__all__ = ["write_caseload"]

#: The columns every caseload has, even an empty one: the two facts a referral must give.
_REQUIRED: tuple[Loc, ...] = (("referred_on",), ("nominating_partner", "id"))


def write_caseload(
    referrals: Caseload | Iterable[Referral | CaseloadRow | Mapping[str, Any]],
    path: str | Path,
    *,
    format: Format | None = None,  # noqa: A002 - the name a caller reads
) -> Path:
    """Write ``referrals`` to ``path`` as a caseload that :func:`read_caseload` reads back to
    equal referrals, in the same order; return the path.

    ``format`` (``"jsonl"``, ``"csv"`` or ``"parquet"``) defaults to the one the suffix names.
    CSV and Parquet are written flat: one column per field path given by any referral, in
    the models' field order (see the caseload formats in the docs). The columns of a
    scheme's own fields are typed by the scheme, so a referral holding fields of a scheme
    that is not installed, or values that do not fit its fields, can be written only as JSON
    Lines: :class:`CaseloadError` names each such referral (row 1 is the first) and field,
    as it names each mapping given that is not a valid referral.
    The file is replaced whole: written beside it, then moved into place.
    """
    path = Path(path)
    kind = format_of(path, format)
    items, invalid = [], []
    for row, given in enumerate(referrals, start=1):
        try:
            items.append(given.referral if isinstance(given, CaseloadRow) else coerce_referral(given))
        except InvalidInputError as error:
            invalid.append(SkippedRow(row, error.problems))
    if invalid:
        raise CaseloadError([], invalid)
    if kind != "jsonl":
        unwritable = [SkippedRow(i, found) for i, referral in enumerate(items, start=1)
                      if (found := _unwritable(referral))]
        if unwritable:
            raise CaseloadError([], unwritable)
        flat = [flatten(referral) for referral in items]
    with _replacing(path, binary=kind == "parquet") as handle:
        if kind == "jsonl":
            for referral in items:
                handle.write(referral.model_dump_json(exclude_defaults=True) + "\n")
        else:
            nodes: dict[Loc, Node] = {}
            for cells in flat:
                nodes.update((loc, node) for loc, (node, _) in cells.items())
            locs = sorted(set(nodes) | ({*_REQUIRED} if not nodes else set()), key=column_order)
            if kind == "csv":
                _write_csv(handle, locs, flat)
            else:
                _write_parquet(handle, locs, nodes, flat)
    return path


def _unwritable(referral: Referral) -> list[InputProblem]:
    """Why the fields of its schemes in ``referral`` cannot be columns: a scheme that is not
    installed (its columns are typed by it), or values that do not fit the scheme's fields."""
    from reciprocity.errors import UnknownSchemeError  # noqa: PLC0415
    from reciprocity.plugins import get_scheme  # noqa: PLC0415 - only a referral with extensions needs it

    problems: list[InputProblem] = []
    for scheme_id, raw in (referral.extensions or {}).items():
        where = f"extensions.{scheme_id}"
        try:
            model = get_scheme(scheme_id).referral_fields
        except UnknownSchemeError:
            problems.append(InputProblem(where, "holds fields of a scheme that is not installed, so they cannot be "
                                         "written as columns", "write the caseload as JSON Lines, or install the scheme"))
            continue
        if model is None:
            if raw:
                problems.append(InputProblem(where, f"holds fields, but scheme {scheme_id} declares none",
                                             "remove them, or check the scheme id they are under"))
            continue
        try:
            model.model_validate(raw)
        except ValidationError as error:
            problems += [InputProblem(f"{where}.{p.path}" if p.path else where, p.message, p.hint)
                         for p in problems_from(error)]
    return problems


@contextmanager
def _replacing(path: Path, *, binary: bool) -> Any:
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    try:
        mode = "wb" if binary else "w"
        with os.fdopen(descriptor, mode, **({} if binary else {"encoding": "utf-8", "newline": ""})) as handle:
            yield handle
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _name(loc: Loc) -> str:
    return ".".join(str(part) for part in loc)


def _write_csv(handle: IO[str], locs: list[Loc], flat: list[dict[Loc, tuple[Node, Any]]]) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow([_name(loc) for loc in locs])
    for cells in flat:
        writer.writerow([cell_text(*cells[loc]) if loc in cells else "" for loc in locs])


def _arrow_type(pa: Any, node: Node) -> Any:
    if node.composite:
        return pa.string()
    scalar = {"text": pa.string(), "int": pa.int64(), "bool": pa.bool_(), "date": pa.date32(),
              "float": pa.float64()}[node.kind]
    return pa.list_(scalar) if node.many else scalar


def _arrow_value(node: Node, value: Any) -> Any:
    if node.composite:
        return cell_text(node, value)
    if node.kind == "date":
        return [date.fromisoformat(v) for v in value] if node.many else date.fromisoformat(value)
    return value


def _write_parquet(handle: IO[bytes], locs: list[Loc], nodes: Mapping[Loc, Node],
                   flat: list[dict[Loc, tuple[Node, Any]]]) -> None:
    pq = require_pyarrow("writing a Parquet caseload")
    import pyarrow as pa  # noqa: PLC0415

    arrays = {}
    for loc in locs:
        node = nodes.get(loc)
        if node is None:  # a required column of an empty caseload
            arrays[_name(loc)] = pa.array([], type=pa.string())
            continue
        values = [_arrow_value(node, cells[loc][1]) if loc in cells else None for cells in flat]
        arrays[_name(loc)] = pa.array(values, type=_arrow_type(pa, node))
    pq.write_table(pa.table(arrays), handle)
