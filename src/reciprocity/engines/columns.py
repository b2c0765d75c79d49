"""Fact columns for the columnar engine: every row's value of a fact, with what is not known.

A :class:`ScalarColumn` codes each row's value as an index into the column's distinct values
(``codes[i] == -1``: the fact is MISSING in row ``i``). Any value can be coded, a whole list
included (``("maidstone", "swale")`` is one distinct value), so a test of one fact is worked
out once per distinct value, by the condition's own ``test`` (the function the native engine
calls), and spread over the rows by indexing: the same answer as native, however the values
are typed. Values are told apart as a ``dict`` tells keys apart (equal values share a code:
``1``, ``1.0`` and ``True`` are one value, as they are to every test).

A :class:`ListColumn` holds list facts the way Arrow and Parquet do: ``offsets`` into one flat
array of item codes, and the distinct items. A test of membership is worked out once per
distinct item, and a row's answer is a reduction over its items (``numpy.bincount`` by row).

:class:`FactColumns` is the columns of one batch, by fact name; a fact without a column is
missing in every row (as a fact absent from a native engine's mapping is).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from reciprocity.rules.logic import MISSING

__all__ = ["Column", "FactColumns", "ListColumn", "ScalarColumn"]

_LISTS = (tuple, list, frozenset, set)


class _Coder:
    """Distinct values in first-seen order; unhashable ones compared with ``==``."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {}
        self.values: list[Any] = []
        self._unhashable: list[int] = []

    def code(self, value: Any) -> int:
        try:
            found = self.index.get(value)
        except TypeError:
            for position in self._unhashable:
                if self.values[position] == value:
                    return position
            self._unhashable.append(len(self.values))
            self.values.append(value)
            return len(self.values) - 1
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found

    def codes(self, values: Iterable[Any]) -> list[int]:
        """Each value's code; MISSING is coded like any value, and removed by the caller."""
        values = values if isinstance(values, list) else list(values)
        index, seen = self.index, self.values
        try:
            out = []
            for value in values:
                found = index.get(value)
                if found is None:
                    found = index[value] = len(seen)
                    seen.append(value)
                out.append(found)
            return out
        except TypeError:  # an unhashable value: start again, value by value
            self.index, self.values, self._unhashable = {}, [], []
            return [self.code(value) for value in values]


def _without_missing(codes: list[int], coder: _Coder) -> tuple[np.ndarray, tuple[Any, ...]]:
    array = np.asarray(codes, dtype=np.int32) if codes else np.zeros(0, dtype=np.int32)
    vocab = coder.values
    where = next((i for i, v in enumerate(vocab) if v is MISSING), None)
    if where is None:
        return array, tuple(vocab)
    gone = array == where
    array[array > where] -= 1
    array[gone] = -1
    return array, tuple(vocab[:where] + vocab[where + 1 :])


class ScalarColumn:
    """One fact's values over the rows: ``codes`` (``int32``, ``-1`` when MISSING) into
    ``vocab``, the distinct known values."""

    __slots__ = ("_known", "codes", "vocab")

    def __init__(self, codes: np.ndarray, vocab: Sequence[Any]) -> None:
        codes = np.asarray(codes, dtype=np.int32)
        if codes.ndim != 1:
            raise ValueError("a column's codes are one-dimensional")
        if codes.size and (codes.max() >= len(vocab) or codes.min() < -1):
            raise ValueError("a column's codes must index its values (or be -1, for MISSING)")
        self.codes = codes
        self.vocab = tuple(vocab)
        self._known: np.ndarray | None = None

    @classmethod
    def from_values(cls, values: Iterable[Any]) -> ScalarColumn:
        """A column of Python values, MISSING where the fact is not known."""
        coder = _Coder()
        codes, vocab = _without_missing(coder.codes(values), coder)
        return cls(codes, vocab)

    @classmethod
    def from_array(cls, values: np.ndarray, known: np.ndarray | None = None) -> ScalarColumn:
        """A column of a numpy array (bool, numbers or strings, as a Parquet reader gives
        them), with ``known`` False where the fact is missing (default: known everywhere).
        The values become Python values (``numpy.bool_`` becomes ``bool``)."""
        values = np.asarray(values)
        mask = np.ones(len(values), dtype=bool) if known is None else np.asarray(known, dtype=bool)
        if mask.shape != values.shape[:1]:
            raise ValueError("known must have one entry per value")
        codes = np.full(len(values), -1, dtype=np.int32)
        if values.dtype == object:
            column = cls.from_values(v if k else MISSING for v, k in zip(values.tolist(), mask.tolist(), strict=True))
            return column
        distinct, inverse = np.unique(values[mask], return_inverse=True)
        codes[mask] = inverse.reshape(-1)
        return cls(codes, distinct.tolist())

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def known(self) -> np.ndarray:
        """True where the fact is known."""
        if self._known is None:
            self._known = self.codes >= 0
        return self._known

    def value(self, row: int) -> Any:
        code = int(self.codes[row])
        return MISSING if code < 0 else self.vocab[code]

    def gather(self, table: np.ndarray) -> np.ndarray:
        """``table`` (one bool per distinct value) spread over the rows; False where missing."""
        extended = np.zeros(len(table) + 1, dtype=bool)
        extended[:-1] = table
        return extended[self.codes]

    def as_scalar(self) -> ScalarColumn:
        return self

    def take(self, rows: np.ndarray) -> ScalarColumn:
        """The column of the rows ``rows`` (indices, in order; repeats allowed)."""
        return ScalarColumn(self.codes[np.asarray(rows, dtype=np.int64)], self.vocab)

    def __repr__(self) -> str:
        return f"<ScalarColumn of {len(self)} rows, {len(self.vocab)} distinct values>"


class ListColumn:
    """One list fact over the rows, as Arrow holds a list array: row ``i``'s items are
    ``vocab[items[offsets[i]:offsets[i + 1]]]``; ``known`` is False where the list is MISSING
    (its offsets then span no items)."""

    __slots__ = ("_lengths", "_rows", "_scalar", "items", "known", "offsets", "vocab")

    def __init__(self, offsets: np.ndarray, items: np.ndarray, vocab: Sequence[Any], known: np.ndarray) -> None:
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.items = np.asarray(items, dtype=np.int32)
        self.vocab = tuple(vocab)
        self.known = np.asarray(known, dtype=bool)
        if self.offsets.ndim != 1 or len(self.offsets) != len(self.known) + 1 or self.offsets[0] != 0:
            raise ValueError("a list column has one offset per row and one more, starting at 0")
        if self.offsets[-1] != len(self.items) or np.any(np.diff(self.offsets) < 0):
            raise ValueError("a list column's offsets must rise to the number of items")
        if self.items.size and (self.items.min() < 0 or self.items.max() >= len(self.vocab)):
            raise ValueError("a list column's item codes must index its values")
        if np.any(np.diff(self.offsets)[~self.known] != 0):
            raise ValueError("a missing list holds no items")
        self._lengths: np.ndarray | None = None
        self._rows: np.ndarray | None = None
        self._scalar: ScalarColumn | None = None

    @classmethod
    def from_values(cls, values: Iterable[Any]) -> ListColumn:
        """A column of Python lists (tuples, lists or sets), MISSING where not known. Raises
        TypeError for a known value that is not a list."""
        coder = _Coder()
        offsets, items, known = [0], [], []
        for value in values:
            if value is MISSING:
                known.append(False)
            elif isinstance(value, _LISTS):
                known.append(True)
                items.extend(coder.code(item) for item in value)
            else:
                raise TypeError(f"a list column holds lists, not {type(value).__name__}")
            offsets.append(len(items))
        return cls(np.asarray(offsets), np.asarray(items, dtype=np.int32), coder.values, np.asarray(known, dtype=bool))

    @classmethod
    def from_arrays(cls, offsets: np.ndarray, values: np.ndarray, known: np.ndarray | None = None) -> ListColumn:
        """A column of an Arrow-style list array: ``offsets`` (one per row and one more) into
        the flat ``values``; ``known`` False where the list is missing (default: known)."""
        values = np.asarray(values)
        mask = np.ones(len(offsets) - 1, dtype=bool) if known is None else np.asarray(known, dtype=bool)
        if values.dtype == object:
            coder = _Coder()
            codes, vocab = np.asarray(coder.codes(values.tolist()), dtype=np.int32), coder.values
        else:
            distinct, codes = np.unique(values, return_inverse=True)
            vocab = distinct.tolist()
        return cls(np.asarray(offsets), codes.reshape(-1), vocab, mask)

    def __len__(self) -> int:
        return len(self.known)

    @property
    def lengths(self) -> np.ndarray:
        """Each row's number of items (0 where missing)."""
        if self._lengths is None:
            self._lengths = np.diff(self.offsets)
        return self._lengths

    @property
    def rows(self) -> np.ndarray:
        """The row of each item."""
        if self._rows is None:
            self._rows = np.repeat(np.arange(len(self), dtype=np.int64), self.lengths)
        return self._rows

    def any_item(self, table: np.ndarray) -> np.ndarray:
        """Per row: whether some item's entry of ``table`` (one bool per distinct item) is True."""
        hits = self.rows[table[self.items]] if self.items.size else self.rows
        return np.bincount(hits, minlength=len(self)) > 0

    def value(self, row: int) -> Any:
        if not self.known[row]:
            return MISSING
        vocab = self.vocab
        return tuple(vocab[code] for code in self.items[self.offsets[row] : self.offsets[row + 1]].tolist())

    def take(self, rows: np.ndarray) -> ListColumn:
        """The column of the rows ``rows`` (indices, in order; repeats allowed)."""
        rows = np.asarray(rows, dtype=np.int64)
        lengths = self.lengths[rows]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        shift = np.repeat(self.offsets[rows] - offsets[:-1], lengths)
        items = self.items[shift + np.arange(offsets[-1], dtype=np.int64)]
        return ListColumn(offsets, items, self.vocab, self.known[rows])

    def as_scalar(self) -> ScalarColumn:
        """Each row's whole list as one value (a tuple), for tests of the list as a value."""
        if self._scalar is None:
            self._scalar = ScalarColumn.from_values(self.value(i) for i in range(len(self)))
        return self._scalar

    def __repr__(self) -> str:
        return f"<ListColumn of {len(self)} rows, {len(self.items)} items, {len(self.vocab)} distinct>"


Column = ScalarColumn | ListColumn


class FactColumns(Mapping[str, Column]):
    """The fact columns of one batch, all of one length; a fact with no column is missing
    in every row."""

    def __init__(self, columns: Mapping[str, Column], length: int | None = None) -> None:
        self._columns = dict(columns)
        lengths = {len(column) for column in self._columns.values()}
        if length is not None:
            lengths.add(length)
        if len(lengths) > 1:
            raise ValueError(f"fact columns of different lengths: {sorted(lengths)}")
        self.length = lengths.pop() if lengths else 0

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping[str, Any]], names: Iterable[str]) -> FactColumns:
        """Columns of ``names`` from fact mappings (a fact a row does not hold is MISSING)."""
        columns = {}
        for name in names:
            columns[name] = ScalarColumn.from_values([row.get(name, MISSING) for row in rows])
        return cls(columns, len(rows))

    def __getitem__(self, name: str) -> Column:
        return self._columns[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def take(self, rows: np.ndarray) -> FactColumns:
        """The columns of the rows ``rows`` (indices, in order; repeats allowed)."""
        rows = np.asarray(rows, dtype=np.int64)
        return FactColumns({name: column.take(rows) for name, column in self._columns.items()}, len(rows))

    def row(self, index: int, names: Iterable[str] | None = None) -> dict[str, Any]:
        """Row ``index`` as a fact mapping (MISSING for a fact without a column)."""
        if not -self.length <= index < self.length:
            raise IndexError(f"row {index} of a batch of {self.length}")
        index %= self.length
        found = self._columns
        return {name: found[name].value(index) if name in found else MISSING
                for name in (found if names is None else names)}

    def __repr__(self) -> str:
        return f"<FactColumns: {len(self._columns)} facts over {self.length} rows>"
