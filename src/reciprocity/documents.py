"""Reading a JSON or YAML document safely: every file the library reads comes through here.

A document is input from anyone (a caseworker's file, a YAML test case, later an HTTP body),
so reading it must neither hang, nor exhaust memory, nor build objects from tags (issue 18):

- only a regular file is read (never a device such as ``/dev/zero``, a named pipe or a
  folder), and at most :func:`max_input_bytes` bytes of it (1 MB by default; set
  ``RECIPROCITY_MAX_INPUT_BYTES`` to change it);
- the text must be UTF-8 (a byte-order mark is allowed);
- YAML is plain data: no aliases (``*name``, the "billion laughs" bomb expands them), and no
  tags beyond YAML's own scalars, lists and mappings (``!!binary``, ``!!set``, ``!!timestamp``
  and application tags are refused); dates stay text, so an impossible date is reported at
  its field;
- the document nests at most :data:`MAX_DEPTH` levels and holds at most :data:`MAX_NODES`
  values in all.

Every refusal is an :class:`~reciprocity.errors.InvalidInputError` naming the file (its
name, never its content) and what to do.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from reciprocity.errors import InputProblem, InvalidInputError

__all__ = ["DEFAULT_MAX_INPUT_BYTES", "MAX_DEPTH", "MAX_NODES", "load_document", "max_input_bytes", "parse_document"]

#: The largest document read by default (a referral is a few kilobytes; a file of YAML test
#: cases a few hundred).
DEFAULT_MAX_INPUT_BYTES = 1_000_000
#: How deep a document may nest (a referral nests four levels).
MAX_DEPTH = 32
#: How many values (scalars, lists and mappings) a document may hold in all.
MAX_NODES = 100_000


def max_input_bytes() -> int:
    """The size limit in force: ``RECIPROCITY_MAX_INPUT_BYTES`` if set to a whole number, else
    :data:`DEFAULT_MAX_INPUT_BYTES`."""
    value = os.environ.get("RECIPROCITY_MAX_INPUT_BYTES", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_INPUT_BYTES


def _refuse(what: str, where: str, message: str, hint: str) -> InvalidInputError:
    return InvalidInputError(what, [InputProblem(where, message, hint)])


def _read(path: Path, limit: int) -> str:
    name = path.name or str(path)
    try:
        info = path.stat()  # never opens: opening a named pipe would wait for a writer
    except FileNotFoundError:
        raise _refuse("file", str(path), "does not exist", "check the path") from None
    except OSError:
        raise _refuse("file", name, "cannot be read", "check the path and its permissions") from None
    if not stat.S_ISREG(info.st_mode):
        raise _refuse("file", name, "is not a regular file (it is a folder, a device or a pipe)",
                      "give a JSON or YAML file")
    if info.st_size > limit:
        raise _refuse("file", name, f"is larger than the {limit:,} bytes a document may hold",
                      "give one document; set RECIPROCITY_MAX_INPUT_BYTES to raise the limit")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may have grown since stat
    except OSError:
        raise _refuse("file", name, "cannot be read", "check the path and its permissions") from None
    if len(data) > limit:
        raise _refuse("file", name, f"is larger than the {limit:,} bytes a document may hold",
                      "give one document; set RECIPROCITY_MAX_INPUT_BYTES to raise the limit")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse("file", name, "is not UTF-8 text", "save the file as UTF-8 (most editors offer it)") from None


def load_document(path: Path, *, max_bytes: int | None = None) -> Any:
    """Read the JSON (``.json``) or YAML (``.yaml``, ``.yml``) document at ``path`` as plain
    data, within the limits above; syntax errors name the line and column."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".json", ".yaml", ".yml"}:
        raise _refuse("file", path.name, "has an unknown extension", "name it .json, .yaml or .yml")
    text = _read(path, max_bytes or max_input_bytes())
    return parse_document(text, name=path.name, kind="json" if suffix == ".json" else "yaml")


def parse_document(text: str, *, name: str, kind: str) -> Any:
    """Parse ``text`` (``kind`` ``"json"`` or ``"yaml"``) as plain data within the depth and
    size limits; ``name`` is how errors refer to it (a file name, "request body")."""
    if kind == "json":
        data = _parse_json(text, name)
    elif kind == "yaml":
        data = _parse_yaml(text, name)
    else:
        raise ValueError(f"kind must be 'json' or 'yaml', not {kind!r}")
    _check_shape(data, name)
    return data


def _too_long(name: str) -> InputProblem:
    return InputProblem(name, "holds a value too long to read (such as a number of thousands of digits)",
                        "check the file is the document asked for")


def _too_deep(name: str) -> InputProblem:
    return InputProblem(name, f"is nested more than {MAX_DEPTH} levels deep", "give one plain document")


def _parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except _Refused as refused:
        raise _refuse("JSON", name, refused.message, refused.hint) from None
    except RecursionError:
        raise InvalidInputError("JSON", [_too_deep(name)]) from None
    except json.JSONDecodeError as error:  # a subclass of ValueError: caught first
        raise _refuse("JSON", f"{name} line {error.lineno} column {error.colno}", error.msg.lower(),
                      "fix the JSON syntax there") from None
    except ValueError:
        raise InvalidInputError("JSON", [_too_long(name)]) from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused if it names a key twice (the last value would silently win)."""
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Refused(0, "holds the same key twice in one object", "keep one of them")
    return out


def _parse_yaml(text: str, name: str) -> Any:
    import yaml  # noqa: PLC0415 - only YAML needs it; keeps `import reciprocity` light

    try:
        loader = _plain_loader()
        _no_aliases(yaml, text, loader)
        return yaml.load(text, Loader=loader)  # noqa: S506 - a restricted SafeLoader
    except RecursionError:
        raise InvalidInputError("YAML", [_too_deep(name)]) from None
    except _Refused as refused:
        raise _refuse("YAML", f"{name} line {refused.line}", refused.message, refused.hint) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{name} line {mark.line + 1} column {mark.column + 1}" if mark else name
        if isinstance(error, yaml.constructor.ConstructorError):
            raise _refuse("YAML", where, "uses a YAML tag that is not plain data (such as !!binary or !!set)",
                          "remove the tag: write the value as plain text, a number, a list or a mapping") from None
        # The parser's own message can quote the document, so say only where and what kind.
        raise _refuse("YAML", where, f"is not valid YAML ({type(error).__name__})",
                      "fix the YAML syntax there") from None
    except ValueError:
        raise InvalidInputError("YAML", [_too_long(name)]) from None


class _Refused(Exception):
    def __init__(self, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


_PLAIN_TAGS = ("null", "bool", "int", "float", "str", "seq", "map")
_LOADER: type | None = None


def _plain_loader() -> type:
    """A SafeLoader that refuses aliases, constructs only plain scalars, lists and mappings,
    and leaves dates as text."""
    global _LOADER  # noqa: PLW0603 - built once, on first use
    if _LOADER is not None:
        return _LOADER
    import yaml  # noqa: PLC0415

    # libyaml's parser where PyYAML was built with it (about five times faster on a long list);
    # the resolvers and constructors below are Python either way.
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class PlainLoader(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
                if key in seen:
                    # The last value would silently win, and change the decision.
                    raise _Refused(key_node.start_mark.line + 1, "holds the same key twice in one mapping",
                                   "keep one of them")
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    # YAML 1.2's core schema for implicit types: only true/false are yes/no (YAML 1.1 also
    # reads yes, no, on and off, so `on:` became True), only plain decimal, 0o and 0x numbers
    # are whole numbers (1.1 reads 1:20 as 80 and 012 as 10), and dates stay text.
    dropped = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"}
    PlainLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in dropped]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    PlainLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                      list("tTfF"))
    PlainLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
                                      list("-+0123456789"))
    PlainLoader.yaml_constructors = {
        tag: constructor for tag, constructor in yaml.SafeLoader.yaml_constructors.items()
        if tag is None or tag.removeprefix("tag:yaml.org,2002:") in _PLAIN_TAGS
    }
    # And read whole numbers as YAML 1.2 does: 012 is twelve (PyYAML's 1.1 reading is octal,
    # ten: an age written with a leading zero would silently change).
    PlainLoader.yaml_constructors["tag:yaml.org,2002:int"] = _yaml12_int
    _LOADER = PlainLoader
    return PlainLoader


def _no_aliases(yaml: Any, text: str, loader: type) -> None:
    """Refuse a YAML alias before anything is built: the parser's events are read once (fast),
    so an alias bomb is refused before it can expand."""
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark.line + 1, "uses a YAML alias (*name), which can expand without limit",
                           "write the values out in full")


def _yaml12_int(loader: Any, node: Any) -> int:
    text = str(loader.construct_scalar(node))
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text.removeprefix("+"))
    if digits.startswith("0o"):
        return sign * int(digits[2:], 8)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    return sign * int(digits, 10)


def _check_shape(data: Any, name: str) -> None:
    """Refuse a document deeper than MAX_DEPTH or holding more than MAX_NODES values."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    nodes = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise _refuse("document", name, f"holds more than {MAX_NODES:,} values", "give one plain document")
        if depth > MAX_DEPTH:
            raise InvalidInputError("document", [_too_deep(name)])
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise _refuse("document", name, "has a key that is not text (a number, a date or a list)",
                                  "quote the key, or check the indentation")
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
