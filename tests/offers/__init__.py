"""Offer assessment tests, one module per scheme; the helpers they share."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from reciprocity.inputs import load_document

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: Give as a value to :func:`changed` to delete the field.
DROP: Any = object()


def example(name: str) -> dict[str, Any]:
    """An example document from ``examples/`` (JSON or YAML), as plain data."""
    return load_document(EXAMPLES / name)


def changed(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of ``base`` with top-level fields replaced, or deleted with DROP."""
    out = copy.deepcopy(base)
    for key, value in changes.items():
        if value is DROP:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def finding(decision: Any, rule_id: str) -> Any:
    """The one finding of ``rule_id`` in ``decision``."""
    (found,) = (f for f in decision.findings if f.rule_id == rule_id)
    return found
