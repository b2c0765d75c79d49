"""Many rows of flat columns as referral documents, a batch at a time.

:func:`~reciprocity.caseloads._fields.build_document` reads one row cell by cell, with every
check; doing that for a register of 100,000 rows spends more time placing cells than the
models spend validating them. A :class:`RowReader` is compiled once for a file's columns:

- each column is converted whole (a Parquet column already in its field's type is taken as
  it is; only text is screened for empty cells), and
- each row's document is assembled by a tree of small functions that mirrors the columns,
  leaving out what is not given.

A row this cannot read plainly (a cell that cannot be converted, a place given both whole as
JSON and in its own columns, a gap in a list of members) is read again by ``build_document``,
which reports its problems: the result is the same document, and the same problems, either
way (tests/caseloads checks it on generated rows).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from reciprocity.caseloads._fields import (
    ABSENT,
    Column,
    Loc,
    Node,
    Problem,
    build_document,
    cell_value,
)
from reciprocity.errors import InputProblem

__all__ = ["RowReader"]

#: A row's values, by column, after conversion (None: not given).
Values = Sequence[Any]


class _Slow(Exception):  # noqa: N818 - control flow: this row takes the careful path
    """The row needs ``build_document``."""


def _text(values: list[Any]) -> list[Any]:
    """A text column: an empty or blank cell (or a data frame's NaN) is not given."""
    out = []
    for value in values:
        if value.__class__ is str:
            out.append(value if value and not value.isspace() else None)
        elif value.__class__ is float and value != value:  # noqa: PLR0124 - NaN
            out.append(None)
        else:
            out.append(value)  # None, or a value of another type: the model says what is wrong
    return out


#: The Python type a Parquet column's values already have when its field is of a kind.
_NATIVE: dict[str, type] = {"int": int, "bool": bool, "date": date}


def _converted(values: list[Any], node: Node, slow: set[int]) -> list[Any]:
    """A column's values as its place takes them; rows whose cell cannot be read join ``slow``."""
    if node.kind == "text" and not node.many and not node.composite:
        return _text(values)
    native = (list if node.kind == "text" else None) if node.many else _NATIVE.get(node.kind)
    out = []
    for index, raw in enumerate(values):
        if raw is None or raw.__class__ is native:  # a Parquet list of text is taken as it is
            out.append(raw)
            continue
        try:
            value = cell_value(raw, node)
        except Problem:
            slow.add(index)
            value = ABSENT
        out.append(None if value is ABSENT else value)
    return out


#: A tree of the columns: each key a field (or an index), each value a column's index (a
#: plain value) or the tree below; a place given whole (a JSON column) is in ``whole``.
Tree = dict[Any, Any]


def _indexes(tree: Tree, loc: Loc, whole: dict[Loc, int]) -> list[int]:
    """The columns of every place under ``tree``, whole ones included."""
    found = [whole[loc]] if loc in whole else []
    for key, sub in tree.items():
        found += [sub] if isinstance(sub, int) else _indexes(sub, (*loc, key), whole)
    return found


def _getter(indexes: Sequence[int]) -> Callable[[Values], tuple[Any, ...]]:
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    return operator.itemgetter(*indexes) if indexes else (lambda row: ())  # noqa: ARG005


def _compile(tree: Tree, shapes: dict[Loc, str], whole: dict[Loc, int], loc: Loc) -> Callable[[Values], Any]:
    """A function of a row giving the object (or list of objects) at ``loc``, or None when
    nothing in it is given; it raises _Slow where build_document must report a problem."""
    indexes = _indexes(tree, loc, whole)
    everything, size = _getter(indexes), len(indexes)
    given = whole.get(loc)
    if shapes.get(loc) == "objects":
        items = [_compile(tree[i], shapes, whole, (*loc, i)) if i in tree else None
                 for i in range(max(tree) + 1 if tree else 0)]

        def parts(row: Values) -> Any:
            built = [item(row) if item is not None else None for item in items]
            while built and built[-1] is None:
                built.pop()
            if None in built:
                raise _Slow  # a gap: build_document reports it
            return built or None
    else:
        keys = [key for key, sub in tree.items() if isinstance(sub, int)]
        leaves = _getter([sub for sub in tree.values() if isinstance(sub, int)])
        children = [(key, _compile(sub, shapes, whole, (*loc, key))) for key, sub in tree.items()
                    if not isinstance(sub, int)]

        def parts(row: Values) -> Any:
            built = {key: value for key, value in zip(keys, leaves(row), strict=True) if value is not None}
            for key, child in children:
                value = child(row)
                if value is not None:
                    built[key] = value
            return built or None

    def place(row: Values) -> Any:
        if loc and everything(row).count(None) == size:
            return None
        if given is None:
            return parts(row)
        value, inside = row[given], parts(row)
        if value is not None and inside is not None:
            raise _Slow  # given whole and in its own columns: build_document reports it
        return inside if value is None else value

    return place


class RowReader:
    """Reads the rows of one file's columns (see the module's docstring)."""

    def __init__(self, columns: Sequence[Column]) -> None:
        self.columns = list(columns)
        tree: Tree = {}
        shapes: dict[Loc, str] = {}
        whole: dict[Loc, int] = {}
        for index, column in enumerate(self.columns):
            here = tree
            path = column.loc if column.node.composite else column.loc[:-1]
            for depth, part in enumerate(path):
                here = here.setdefault(part, {})
                if depth + 1 < len(column.loc):
                    shapes.setdefault(column.loc[: depth + 1], "objects" if isinstance(column.loc[depth + 1], int)
                                      else "object")
            if column.node.composite:
                whole[column.loc] = index
                shapes.setdefault(column.loc, "objects" if column.node.shape == "objects" else "object")
            else:
                here[column.loc[-1]] = index
        self._build = _compile(tree, shapes, whole, ())

    def read(self, batch: Sequence[list[Any]], count: int) -> list[tuple[Any, list[InputProblem]]]:
        """The document and problems of each of ``count`` rows, given column by column."""
        slow: set[int] = set()
        values = [_converted(column_values, column.node, slow)
                  for column, column_values in zip(self.columns, batch, strict=True)]
        out: list[tuple[Any, list[InputProblem]]] = []
        rows = zip(*values, strict=True) if values else iter([()] * count)
        for number, row in enumerate(rows):
            if number not in slow:
                try:
                    out.append((self._build(row) or {}, []))
                    continue
                except _Slow:
                    pass
            out.append(build_document(zip(self.columns, (column[number] for column in batch), strict=True)))
        return out


