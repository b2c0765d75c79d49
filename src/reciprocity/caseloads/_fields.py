"""A referral as flat, dotted columns, and back: the column conventions of CSV and Parquet.

A column names a place in a referral by its dotted path (``risk.assessed_by``); a list of
objects takes an index (``household.members.0.age``). Each place is a :class:`Node`, read from
the pydantic models themselves (and from a scheme's own :class:`~reciprocity.rules.SchemeFields`
for ``extensions.<scheme>.<field>``), so a field added to a model is a column at once.

A cell is read by the kind of its place (:func:`cell_value`): a whole number, yes or no, a
date, text, a list of such values (``a;b`` or a JSON list), or, for a column naming an
object or a list of objects, JSON (``{}`` says "given, nothing known"). An empty cell is a
fact not given: unknown, never false.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

import attrs
from pydantic import BaseModel

from reciprocity.caseloads._caseload import CaseloadError
from reciprocity.documents import parse_document
from reciprocity.errors import InputProblem, InvalidInputError
from reciprocity.inputs import format_loc
from reciprocity.model.base import plain_types
from reciprocity.model.referral import Referral

__all__ = [
    "REFERRAL",
    "Column",
    "Node",
    "Problem",
    "build_document",
    "cell_value",
    "column_order",
    "flatten",
    "resolve_columns",
]

#: What a value of a place is: text (also enum values and areas), a whole number, yes or no,
#: a date, a number, or anything else, written as JSON.
Kind = Literal["text", "int", "bool", "date", "float", "json"]
Loc = tuple[str | int, ...]

#: The most items a list of objects may have a column for (a household has at most 20 members).
MAX_INDEX = 99
#: A field name as a column may show it: a plain identifier (anything else could be data).
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")
_INDEX = re.compile(r"^[0-9]{1,2}$")
_WHOLE = re.compile(r"^[+-]?[0-9]{1,18}$")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]{1,18}(?:\.[0-9]{0,18})?|\.[0-9]{1,18})(?:[eE][+-]?[0-9]{1,3})?$")
_TRUE, _FALSE = "true", "false"


@attrs.frozen(eq=False)
class Node:
    """A place in a referral: an ``object`` (its ``fields``), a list of objects (``objects``,
    its ``item``), a ``value`` (its ``kind``; ``many`` for a list of values), or the
    ``extensions`` mapping (one object per scheme, found when a column names the scheme)."""

    shape: Literal["object", "objects", "value", "extensions"]
    fields: Mapping[str, Node] = attrs.field(factory=dict)
    item: Node | None = None
    kind: Kind = "json"
    many: bool = False

    @property
    def composite(self) -> bool:
        """Whether a cell of this place holds JSON: an object, a list of objects, or any value
        of kind ``json``."""
        return self.shape != "value" or self.kind == "json"


def _unannotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _scalar_kind(annotation: Any) -> Kind:
    annotation = _unannotated(annotation)
    if typing.get_origin(annotation) is Literal:
        kinds = {_scalar_kind(type(value)) for value in typing.get_args(annotation)}
        return kinds.pop() if len(kinds) == 1 else "json"
    if not isinstance(annotation, type):
        return "json"
    if issubclass(annotation, bool):
        return "bool"
    if issubclass(annotation, Enum):
        return "text" if issubclass(annotation, str) else "int" if issubclass(annotation, int) else "json"
    if issubclass(annotation, int):
        return "int"
    if issubclass(annotation, float):
        return "float"
    if issubclass(annotation, datetime):
        return "json"
    if issubclass(annotation, date):
        return "date"
    if issubclass(annotation, str):
        return "text"
    return "json"


def node_for(annotation: Any) -> Node:
    """The place a field of this annotation is (``None`` in a union left out)."""
    parts = [_unannotated(p) for p in plain_types(annotation)]
    if len(parts) != 1:
        kinds = {_scalar_kind(p) for p in parts}
        return Node("value", kind=kinds.pop() if len(kinds) == 1 else "json")
    part = parts[0]
    if isinstance(part, type) and issubclass(part, BaseModel):
        return model_node(part)
    if typing.get_origin(part) in (tuple, list, set, frozenset):
        items = [a for a in typing.get_args(part) if a is not Ellipsis]
        item = _unannotated(items[0]) if len(items) == 1 else Any
        if isinstance(item, type) and issubclass(item, BaseModel):
            return Node("objects", item=model_node(item))
        kind = _scalar_kind(item)
        return Node("value", kind=kind, many=kind != "json")
    return Node("value", kind=_scalar_kind(part))


def model_node(model: type[BaseModel]) -> Node:
    """The object a model is, field by field in the model's order."""
    fields: dict[str, Node] = {}
    for name, field in model.model_fields.items():
        fields[name] = Node("extensions") if model is Referral and name == "extensions" else node_for(field.annotation)
    return Node("object", fields=fields)


#: A referral as a tree of places.
REFERRAL = model_node(Referral)


# --- columns ------------------------------------------------------------------------------


@attrs.frozen
class Column:
    """One column of a flat caseload: its position (from 1), its place in a referral (``loc``,
    e.g. ``("household", "members", 0, "age")``) and what that place holds."""

    position: int
    name: str
    loc: Loc
    node: Node


#: A scheme's own fields as an object place, by scheme id (None when it is not installed).
SchemeNodes = Callable[[str], Node | None]


def installed_scheme_node(scheme_id: str) -> Node | None:
    """The object of ``extensions.<scheme_id>``: the scheme's own fields (none when it declares
    none); None when no installed scheme has the id."""
    from reciprocity.errors import UnknownSchemeError  # noqa: PLC0415
    from reciprocity.plugins import get_scheme  # noqa: PLC0415 - loads the plugins only when a column needs one

    try:
        scheme = get_scheme(scheme_id)
    except UnknownSchemeError:
        return None
    return Node("object") if scheme.referral_fields is None else model_node(scheme.referral_fields)


def _plain(name: str) -> bool:
    """Whether a column name may be shown in a message: dotted identifiers and indexes only."""
    return len(name) <= 200 and all(_IDENTIFIER.match(s) or _INDEX.match(s) for s in name.split("."))


def _resolve(name: str, schemes: SchemeNodes) -> tuple[Loc, Node] | str:
    """The place column ``name`` names, or why it names none ("unknown", "scheme")."""
    node, loc = REFERRAL, []
    for segment in name.split("."):
        if node.shape == "object":
            child = node.fields.get(segment)
            if child is None:
                return "unknown"
            node = child
            loc.append(segment)
        elif node.shape == "objects":
            if not _INDEX.match(segment) or int(segment) > MAX_INDEX:
                return "unknown"
            assert node.item is not None
            node = node.item
            loc.append(int(segment))
        elif node.shape == "extensions":
            if not _IDENTIFIER.match(segment):
                return "unknown"
            found = schemes(segment)
            if found is None:
                return "scheme"
            node = found
            loc.append(segment)
        else:
            return "unknown"
    return tuple(loc), node


def resolve_columns(names: Iterable[str], schemes: SchemeNodes = installed_scheme_node) -> list[Column]:
    """Each column's place; CaseloadError naming each column that is no referral field (by
    its name when the name is a plain field path, else by its position: a header can hold
    personal data) or is given twice."""
    columns: list[Column] = []
    problems: list[InputProblem] = []
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        shown = f"column {name}" if _plain(name) else f"column {position}"
        if name in seen:
            problems.append(InputProblem(shown, "is given twice", "keep one of the two columns"))
            continue
        seen.add(name)
        found = _resolve(name, schemes) if _plain(name) else "unknown"
        if isinstance(found, tuple):
            columns.append(Column(position, name, *found))
        elif not _plain(name):
            what = "has no name" if not name.strip() else (
                "is an unrecognised column (its name is not repeated: it could be personal data)")
            problems.append(InputProblem(shown, what, "remove it, or name it by a referral field's dotted path "
                                         "(`reciprocity schema` lists every field)"))
        elif found == "scheme":
            problems.append(InputProblem(shown, "is a field of a scheme that is not installed",
                                         "install the scheme, or remove the column"))
        else:
            problems.append(InputProblem(shown, "is not a referral field",
                                         "check its spelling (`reciprocity schema` lists every field)"))
    if problems:
        raise CaseloadError(problems)
    return columns


def column_order(loc: Loc) -> tuple[tuple[int, str], ...]:
    """A sort key putting columns in the models' field order, list items by index."""
    key: list[tuple[int, str]] = []
    node: Node | None = REFERRAL
    for part in loc:
        if isinstance(part, int):
            key.append((part, ""))
            node = node.item if node is not None else None
        elif node is not None and node.shape == "object":
            names = list(node.fields)
            key.append((names.index(part) if part in names else len(names), part))
            node = node.fields.get(part)
        else:  # a scheme id under extensions, or a field of a scheme not known here
            key.append((0, part))
            node = None
    return tuple(key)


# --- reading a cell -----------------------------------------------------------------------


@attrs.frozen
class Problem(Exception):  # noqa: N818 - a value, raised and caught within this package
    """What is wrong with one cell, in the words of :class:`~reciprocity.errors.InputProblem`."""

    message: str
    hint: str = ""


#: A cell that gives nothing: the fact is not given (unknown).
ABSENT: Any = object()


def _json(text: str, want: type, what: str) -> Any:
    try:
        value = parse_document(text, name="cell", kind="json")
    except InvalidInputError as error:
        raise Problem(f"is not valid JSON ({error.problems[0].message})",
                      f"write {what} as JSON, or leave the cell empty") from None
    if not isinstance(value, want):
        raise Problem(f"must be {what}", f"write {what} as JSON, or leave the cell empty")
    return value


def _without_nulls(value: Any) -> Any:
    """A nested value with every null left out (null is "not given", as an empty cell is)."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_without_nulls(v) for v in value]
    return value


def _scalar(text: str, kind: Kind) -> Any:
    """A non-empty cell's text as a value of ``kind``."""
    if kind == "int":
        stripped = text.strip()
        if not _WHOLE.match(stripped):
            raise Problem("must be a whole number", "write a number such as 2")
        return int(stripped)
    if kind == "bool":
        lowered = text.strip().lower()
        if lowered not in (_TRUE, _FALSE):
            raise Problem("must be true or false", "write true or false (an empty cell means not known)")
        return lowered == _TRUE
    if kind == "float":
        stripped = text.strip()
        if not _NUMBER.match(stripped):
            raise Problem("must be a number", "write a number such as 2.5")
        return float(stripped)
    if kind == "date":
        return text.strip()  # the model reads YYYY-MM-DD and says so when it is not
    return text  # text: the model screens and strips it


def _native(value: Any, kind: Kind) -> Any:
    """A value a Parquet column holds in its own type (a float that is a whole number is read
    as one: data frames store whole numbers with gaps as floating point)."""
    if kind == "int" and isinstance(value, float) and not isinstance(value, bool):
        if not value.is_integer():
            raise Problem("must be a whole number", "write a number such as 2")
        return int(value)
    return value


def cell_value(raw: Any, node: Node) -> Any:
    """What a cell gives its place: a value, or :data:`ABSENT` when the cell is empty (null,
    empty text, a floating-point NaN); raises :class:`Problem` for a cell that cannot be one."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return ABSENT
    if isinstance(raw, str) and not raw.strip():
        return ABSENT
    if node.composite:
        if not isinstance(raw, str):
            return _without_nulls(raw)
        if node.shape == "objects":
            return _json(raw.strip(), list, "a list of objects such as [] or [{...}]")
        if node.shape != "value":
            return _json(raw.strip(), dict, "an object such as {}")
        return _json(raw.strip(), object, "a JSON value")
    if node.many:
        if isinstance(raw, list | tuple):
            return [_native(v, node.kind) for v in raw]
        if not isinstance(raw, str):
            raise Problem("must be a list", "separate the items with ; (an empty list is [])")
        text = raw.strip()
        if text.startswith("["):
            return _json(text, list, "a list such as [] or [\"a\", \"b\"]")
        return [_scalar(item, node.kind) for item in (part.strip() for part in text.split(";")) if item]
    if isinstance(raw, str):
        return _scalar(raw, node.kind)
    return _native(raw, node.kind)


# --- a row as a referral document --------------------------------------------------------


class _Slots(dict[int, Any]):
    """The items of a list of objects given column by column, by index."""


def _under(loc: Loc, prefix: Loc) -> bool:
    return len(loc) > len(prefix) and loc[: len(prefix)] == prefix


def build_document(cells: Iterable[tuple[Column, Any]]) -> tuple[dict[str, Any], list[InputProblem]]:
    """The referral document a row's cells give, and the problems of the cells that give none.

    A place given whole (JSON in an object's column) and also in its own columns is a
    problem; so is a list of objects with an empty item before a given one."""
    document: dict[str, Any] = {}
    problems: list[InputProblem] = []
    whole: list[Loc] = []
    parts: list[Loc] = []
    for column, raw in cells:
        try:
            value = cell_value(raw, column.node)
        except Problem as problem:
            problems.append(InputProblem(format_loc(column.loc), problem.message, problem.hint))
            continue
        if value is ABSENT:
            continue
        loc = column.loc
        # A place given whole (JSON) must not also be given in its own columns, either way round.
        clash = next((w for w in whole if _under(loc, w)), None)
        if clash is None and column.node.composite and any(_under(p, loc) for p in (*parts, *whole)):
            clash = loc
        if clash is not None:
            problems.append(InputProblem(format_loc(clash), "is given whole (as JSON) and also in its own columns",
                                         "give it one way: leave one of the cells empty"))
            continue
        (whole if column.node.composite else parts).append(loc)
        _put(document, loc, value)
    return _finish(document, (), problems), problems


def _put(document: dict[str, Any], loc: Loc, value: Any) -> None:
    here: Any = document
    for part, after in itertools.pairwise(loc):
        if part not in here:
            here[part] = _Slots() if isinstance(after, int) else {}
        here = here[part]
    here[loc[-1]] = value


def _finish(value: Any, loc: Loc, problems: list[InputProblem]) -> Any:
    if isinstance(value, _Slots):
        items = []
        for index in range(max(value) + 1):
            if index not in value:
                problems.append(InputProblem(format_loc((*loc, index)), "is empty, but a later item is given",
                                             "number the items from 0 without a gap"))
                continue
            items.append(_finish(value[index], (*loc, index), problems))
        return items
    if isinstance(value, dict):
        return {key: _finish(item, (*loc, key), problems) for key, item in value.items()}
    return value


# --- a referral as a row ------------------------------------------------------------------


def flatten(referral: Referral, schemes: SchemeNodes = installed_scheme_node) -> dict[Loc, tuple[Node, Any]]:
    """Each place ``referral`` gives, with its value as JSON would hold it: a place whose
    object (or list) is given but empty is one cell of JSON (``{}``, ``[]``), so that it
    reads back as given. Defaults are left out; so is everything not known."""
    cells: dict[Loc, tuple[Node, Any]] = {}
    document = referral.model_dump(mode="json", exclude_defaults=True)
    _flatten(document, REFERRAL, (), cells, schemes)
    return cells


def _flatten(value: Any, node: Node, loc: Loc, cells: dict[Loc, tuple[Node, Any]], schemes: SchemeNodes) -> None:
    if value is None:
        return
    if node.composite and (value in ({}, []) or node.shape == "value"):
        cells[loc] = (node, value)
        return
    if node.shape == "objects":
        assert node.item is not None
        for index, item in enumerate(value):
            _flatten(item, node.item, (*loc, index), cells, schemes)
    elif node.shape == "object":
        for key, item in value.items():
            _flatten(item, node.fields[key], (*loc, key), cells, schemes)
    elif node.shape == "extensions":
        for scheme_id, fields in value.items():
            found = schemes(scheme_id)
            if found is None:
                raise InvalidInputError("referral", [InputProblem(
                    format_loc((*loc, scheme_id)), "holds fields of a scheme that is not installed, so they cannot "
                    "be written as columns", "write the caseload as JSON Lines, or install the scheme")])
            _flatten(fields, found, (*loc, scheme_id), cells, schemes)
    else:
        cells[loc] = (node, value)


def cell_text(node: Node, value: Any) -> str:
    """A value as a CSV cell: text as it is, ``true``/``false``, a number, a list as ``a;b``
    (``[]`` when empty, JSON when an item holds ``;`` or starts with ``[``), anything else as JSON."""
    if node.composite:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if node.many:
        items = [_item_text(v) for v in value]
        if not items or any(";" in i or i.strip() != i or i.startswith("[") or not i for i in items):
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return ";".join(items)
    return _item_text(value)


def _item_text(value: Any) -> str:
    if isinstance(value, bool):
        return _TRUE if value else _FALSE
    if isinstance(value, float):
        return repr(value)
    return str(value)
