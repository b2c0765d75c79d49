"""Docstrings as Markdown, for the scheme author's reference.

The library writes its docstrings in a reST flavour: Sphinx roles, double-backquoted code,
paragraphs ending in ``::`` before a code block, ``====`` simple tables and definition lists.
:func:`md` turns one into Markdown; :func:`inline`, :func:`escape`, :func:`table` and
:func:`definitions_in` are the pieces the page's sections use on their own.
"""

from __future__ import annotations

import inspect
import re

__all__ = ["definitions_in", "escape", "inline", "md", "table"]

_ROLE = re.compile(r":(?:class|func|data|mod|meth|attr|exc|obj|const):`(~?)([^`]+)`")
_CODE = re.compile(r"(``[^`]+?``)")
_BORDER = re.compile(r"^=+(?: +=+)+$")
_DEF_TERM = re.compile(r"^``[^`]+``$")


def escape(text: str) -> str:
    """Text outside code, safe in Markdown: no stray HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inline(text: str) -> str:
    """Sphinx roles and ````code```` as Markdown code spans."""
    text = _ROLE.sub(lambda m: f"``{m.group(2).rsplit('.', 1)[-1] if m.group(1) else m.group(2)}``", text)
    out = []
    for part in _CODE.split(text):
        if part.startswith("``") and part.endswith("``") and len(part) > 4:
            code = " ".join(part[2:-2].split())
            out.append(f"`{code}`")
        else:
            out.append(escape(part))
    return "".join(out)


def _definition_columns(para: list[str]) -> int | None:
    """The column descriptions start at, when ``para`` is a two-column definition list
    (``term    description`` with continuation lines indented to the description)."""
    first = re.match(r"^(\S.*?\S)\s{2,}(\S)", para[0])
    if first is None:
        return None
    column = first.start(2)
    for line in para:
        if line.startswith(" " * column) and line[column:column + 1].strip():
            continue
        if not line.startswith(" ") and line[column - 2:column] == "  " and line[column:column + 1].strip():
            continue
        return None
    return column


def _definitions(para: list[str]) -> list[tuple[str, str]] | None:
    """``(term, description)`` pairs when ``para`` is a definition list of either form (the
    two-column form, or a ````term```` line over indented lines), else None."""
    column = _definition_columns(para)
    entries: list[tuple[str, list[str]]] = []
    if column is not None:
        for line in para:
            if line.startswith(" "):
                entries[-1][1].append(line.strip())
            else:
                entries.append((line[:column].strip(), [line[column:].strip()]))
    elif _DEF_TERM.match(para[0]) and len(para) > 1:
        for line in para:
            if line.startswith(" "):
                entries[-1][1].append(line.strip())
            elif _DEF_TERM.match(line):
                entries.append((line, []))
            else:
                return None
        if any(not lines for _, lines in entries):
            return None
    else:
        return None
    return [(term, " ".join(lines).rstrip(";")) for term, lines in entries]


def table(rows: list[list[str]], header: list[str]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def _cell(text: str) -> str:
    """One table cell on one line; a union type reads "str or None" (a pipe would end the cell)."""
    return " ".join(text.split()).replace(" | ", " or ").replace("|", "\\|")


def _simple_table(lines: list[str]) -> list[str]:
    """An RST simple table (``====`` borders) as a Markdown table."""
    starts = [m.start() for m in re.finditer(r"=+", lines[0])]

    def cells(line: str) -> list[str]:
        bounds = [*starts[1:], None]
        return [line[a:b].strip() for a, b in zip(starts, bounds, strict=True)]

    body = [line for line in lines[1:] if not _BORDER.match(line)]
    header, *rows = body
    return table([[inline(c) for c in cells(r)] for r in rows], [inline(c) for c in cells(header)])


def md(doc: str | None) -> str:
    """A reST-flavoured docstring (as this library writes them) as Markdown.

    Paragraphs and lists pass through with their roles and ````code```` turned into code
    spans; a paragraph ending in ``::`` introduces a code block; ``====`` simple tables and
    definition lists become tables and lists.
    """
    if not doc:
        return ""
    lines = inspect.cleandoc(doc).splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        if _BORDER.match(lines[i]):
            j = i
            while j < len(lines) and lines[j].strip():
                j += 1
            out += [*_simple_table(lines[i:j]), ""]
            i = j
            continue
        j = i
        while j < len(lines) and lines[j].strip():
            j += 1
        para = lines[i:j]
        i = j
        definitions = _definitions(para)
        if definitions is not None:
            out += [f"- {inline(term)}: {inline(text)}" for term, text in definitions] + [""]
            continue
        literal = para[-1].rstrip().endswith("::")
        if literal:
            last = para[-1].rstrip()[:-2].rstrip()
            para = [*para[:-1], last + ":"] if last else para[:-1]
        if para:
            out += [inline("\n".join(para)), ""]
        if literal:
            block: list[str] = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                block.append(lines[i])
                i += 1
            code = inspect.cleandoc("\n".join(block))
            fence = "json" if code.startswith("{") else "python"
            out += [f"```{fence}", code, "```", ""]
    return "\n".join(out).strip()


def definitions_in(doc: str | None) -> list[tuple[str, str]]:
    """Every definition list entry of a docstring, as ``(term, description)``."""
    found: list[tuple[str, str]] = []
    for para in inspect.cleandoc(doc or "").split("\n\n"):
        lines = [line for line in para.splitlines() if line.strip()]
        if lines:
            found += _definitions(lines) or []
    return found
