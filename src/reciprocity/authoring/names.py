"""The library's names as the scheme author's reference shows them: types, values and
signatures as a reader writes them, the arguments of attrs classes, the fields of pydantic
models, the values of enumerations, and a module's public names each under its own heading.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

import attrs
from pydantic import BaseModel

from reciprocity.authoring.markdown import escape, inline, md, table

__all__ = [
    "MEANINGS",
    "attrs_arguments",
    "comments",
    "enum_values",
    "member",
    "model_fields",
    "module_heading",
    "module_members",
    "signature",
    "type_text",
    "value_text",
]

#: What an argument means, for the arguments whose class gives no ``#:`` comment for them
#: (by class name and argument; a comment in the class wins).
MEANINGS: dict[tuple[str, str], str] = {
    ("Scheme", "id"): "The scheme's id (lower-case letters, digits and underscores): every rule id starts "
    "with it and a dot.",
    ("Scheme", "title"): "The scheme's name as readers see it.",
    ("Scheme", "summary"): "One sentence on who the scheme is for.",
    ("Scheme", "version"): "The version of the scheme's rules; every decision records it.",
    ("Scheme", "sources"): "The documents its rules cite (``Source`` values, each with its clause inventory).",
    ("Scheme", "areas"): "The areas it covers (``Area`` values, usually from ``load_areas``).",
    ("Scheme", "rules"): "Its eligibility rules; dated versions of one rule share an id.",
    ("Scheme", "facts"): "Derived facts of its own (``FactSpec`` values).",
    ("Scheme", "parameters"): "Its settings with dated values (``Parameter`` values).",
    ("Scheme", "interpretations"): "The choices made where the text is ambiguous or silent "
    "(``Interpretation`` values).",
    ("Parameter", "name"): "What rules read it by: ``param(name)``.",
    ("Parameter", "label"): "How rendered conditions name it, without a leading article.",
    ("Parameter", "description"): "What the setting is, as the scheme's page shows it.",
    ("Parameter", "values"): "``(start, value)`` pairs in date order; only the first start may be ``None``.",
    ("Parameter", "clauses"): "The clauses that set it.",
    ("FactSpec", "name"): "What rules read it by: ``fact(name)``.",
    ("FactSpec", "label"): "The words rendered conditions use for it.",
    ("FactSpec", "question"): "What a caseworker is asked when it is missing.",
    ("FactSpec", "compute"): "``compute(referral, ctx)``: the value, or ``MISSING``.",
    ("FactSpec", "derived"): "Whether it is worked out from other fields (``reads`` names them) rather than "
    "read from one.",
}


def comments(obj: Any) -> dict[str, str]:
    """The ``#:`` comment above each name assigned in ``obj``'s source (a module or class
    body), and for an enum's members a trailing ``# comment`` too."""
    try:
        source = inspect.getsource(obj)
    except (OSError, TypeError):
        return {}
    found: dict[str, str] = {}
    pending: list[str] = []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("#:"):
            pending.append(stripped[2:].strip())
            continue
        assigned = re.match(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=]*)?=|^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:", line)
        if assigned:
            name = assigned.group(1) or assigned.group(2)
            trailing = re.search(r"\s#\s(?!noqa|type:|fmt:)(.+)$", line)
            text = " ".join(pending)
            if trailing and not text and isinstance(obj, type):
                text = trailing.group(1).strip()
            if text and name not in found:
                found[name] = text
        pending = []
    return found


def type_text(annotation: Any) -> str:
    """A type as a reader writes it: ``tuple[str, ...]``, ``AreaId``, ``'eligible' or 'ineligible'``."""
    from reciprocity.model.base import AreaId, PartnerId  # noqa: PLC0415

    if annotation is inspect.Parameter.empty:
        return ""
    if isinstance(annotation, str):
        return annotation
    if annotation is None or annotation is type(None):
        return "None"
    if annotation == AreaId:
        return "AreaId"
    if annotation == PartnerId:
        return "PartnerId"
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_text(args[0])
    if origin is typing.Literal:
        return " or ".join(repr(a) for a in args)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(type_text(a) for a in args)
    if origin is not None:
        inner = ", ".join("..." if a is Ellipsis else type_text(a) for a in args)
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    if isinstance(annotation, type):
        return annotation.__name__
    return repr(annotation).replace("typing.", "")


def value_text(value: Any) -> str:
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, frozenset) and not value:
        return "frozenset()"
    return repr(value)


def signature(name: str, obj: Callable[..., Any]) -> str:
    """``name(params) -> result`` as code, one parameter a line when long."""
    sig = inspect.signature(obj)
    params: list[str] = []
    star = False
    for p in sig.parameters.values():
        if p.kind is inspect.Parameter.KEYWORD_ONLY and not star:
            params.append("*")
            star = True
        text = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}.get(p.kind, "") + p.name
        star = star or p.kind is inspect.Parameter.VAR_POSITIONAL
        if p.annotation is not inspect.Parameter.empty:
            text += f": {type_text(p.annotation)}"
        if p.default is not inspect.Parameter.empty:
            text += f" = {value_text(p.default)}"
        params.append(text)
    result = "" if sig.return_annotation is inspect.Signature.empty else f" -> {type_text(sig.return_annotation)}"
    line = f"{name}({', '.join(params)}){result}"
    if len(line) > 96:
        line = f"{name}(\n" + "".join(f"    {p},\n" for p in params) + f"){result}"
    return f"```python\n{line}\n```"


def _is_attrs(obj: Any) -> bool:
    return isinstance(obj, type) and attrs.has(obj)


def attrs_arguments(cls: type) -> list[str]:
    """The arguments an attrs class is built with: name, type, default, meaning."""
    notes = comments(cls)
    init = inspect.signature(cls).parameters
    rows = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        name = field.alias or field.name.lstrip("_")
        accepted = init[name].annotation if name in init else inspect.Parameter.empty
        if accepted is inspect.Parameter.empty:
            accepted = field.type
        if field.default is attrs.NOTHING:
            default = "required"
        elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            default = f"`{value_text(field.default.factory())}`"  # type: ignore[attr-defined]
        else:
            default = f"`{value_text(field.default)}`"
        if field.kw_only:
            default += " (keyword only)"
        meaning = notes.get(field.name) or MEANINGS.get((cls.__name__, name), "")
        rows.append([f"`{name}`", f"`{type_text(accepted)}`", default, inline(meaning)])
    return table(rows, ["argument", "type", "default", "meaning"]) if rows else []


def model_fields(model: type[BaseModel]) -> list[str]:
    """A pydantic model's fields: name, type, default, meaning."""
    notes = comments(model)
    rows = []
    for name, field in model.model_fields.items():
        default = "required" if field.is_required() else f"`{value_text(field.get_default(call_default_factory=True))}`"
        meaning = field.description or notes.get(name, "")
        rows.append([f"`{name}`", f"`{type_text(field.annotation)}`", default, inline(meaning)])
    return table(rows, ["field", "type", "default", "meaning"]) if rows else []


def enum_values(cls: type[Enum]) -> list[str]:
    notes = comments(cls)
    worded = all(isinstance(getattr(member, "description", None), str) for member in cls)
    rows = []
    for member in cls:
        row = [f"`{member.value}`", f"`{member.name}`"]
        row += [escape(member.description)] if worded else []
        rows.append([*row, inline(notes.get(member.name, ""))])
    return table(rows, ["value", "name", *(["in words"] if worded else []), "meaning"])


def member(module: Any, name: str, level: str = "###") -> list[str]:
    """One public name of ``module``: a heading, its signature or arguments, its docstring."""
    obj = getattr(module, name)
    qualified = f"{module.__name__}.{name}"
    out = [f"{level} `{name}` {{#{qualified}}}", ""]
    if isinstance(obj, type) and issubclass(obj, Enum):
        out += [md(obj.__doc__), "", *enum_values(obj), ""]
    elif _is_attrs(obj):
        out += [md(obj.__doc__), "", *attrs_arguments(obj), ""]
    elif isinstance(obj, type) and issubclass(obj, BaseModel):
        out += [md(obj.__doc__), "", *model_fields(obj), ""]
    elif callable(obj):
        out += [signature(name, obj), "", md(obj.__doc__), ""]
    else:
        comment = comments(module).get(name, "")
        shown = value_text(obj)
        out += [inline(comment), ""] if comment else []
        out += [f"`{name} = {shown}`", ""] if len(shown) <= 80 else ["Its values are listed below.", ""]
    return out


def module_members(module: Any, *, skip: Iterable[str] = (), level: str = "###", doc: bool = True) -> list[str]:
    """A module's docstring (unless not ``doc``) and each name of its ``__all__`` (but ``skip``)."""
    out = [md(module.__doc__), ""] if doc else []
    for name in module.__all__:
        if name not in skip:
            out += member(module, name, level)
    return out


def module_heading(module: Any, title: str, anchor: str) -> list[str]:
    return [f"## {title} {{#{anchor}}}", "", f"Module `{module.__name__}`.", ""]
