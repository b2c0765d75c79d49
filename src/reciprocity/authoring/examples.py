"""The example declarations the scheme author's reference is built with: a source, a scheme's
own referral fields and harm type, a parameter, and a scheme made of them, shown on the page
as their own source code (:func:`example_code`) and checked by the core when the page is built.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import Field

from reciprocity.authoring.markdown import escape
from reciprocity.authoring.names import member
from reciprocity.rules import Clause, Parameter, SchemeFields, SchemeHarm, Source

__all__ = [
    "EXAMPLE_ID",
    "HATE_CRIME",
    "MINIMUM_DASH_SCORE",
    "MOU",
    "MyFields",
    "example_code",
    "example_scheme",
    "rule_builder",
]

#: The scheme id the examples on the page are built with.
EXAMPLE_ID = "my_scheme"


#: The source the examples cite.
MOU = Source(key="mou", title="My Reciprocal Agreement", citation="My MoU", file="mou.txt")


class MyFields(SchemeFields):
    """What my scheme's text reads that the core referral does not record."""

    consent_to_share: bool | None = Field(
        None, title="the household consents to share its referral",
        description="whether the household consents to share its referral with partners")
    mobility_registration: str | None = Field(
        None, title="the household's mobility scheme registration",
        description="the household's registration number with the mobility scheme, if any")


#: A harm my scheme's text names that the core's HarmType does not.
HATE_CRIME = SchemeHarm("hate_crime", "hate crime", Clause(MOU, "1"))

#: A parameter, with its label written without an article.
MINIMUM_DASH_SCORE = Parameter(
    name="minimum_dash_score", label="minimum DASH score",
    description="The lowest DASH score the scheme accepts.", values=[(None, 14)])


def example_scheme() -> Any:
    """A scheme built from the examples above, as the core checks and renders it."""
    from reciprocity.rules import Rule, Scheme, fact, param  # noqa: PLC0415

    rule = Rule(id=f"{EXAMPLE_ID}.dash", clauses=Clause(MOU, "1"), statement="A high enough DASH score.",
                require=fact("risk.dash_score").ge(param("minimum_dash_score")),
                passed="the DASH score is high enough", failed="the DASH score is too low")
    return Scheme(id=EXAMPLE_ID, title="My Reciprocal Agreement", summary="An example.", version="1",
                  sources=(MOU,), areas=(), rules=(rule,), parameters=(MINIMUM_DASH_SCORE,),
                  referral_fields=MyFields, harm_types=(HATE_CRIME,))


def _example_clause() -> Any:
    return Clause(MOU, "1")


def example_code(*objects: Any) -> list[str]:
    """The source of ``objects`` in this module, as one code block."""
    parts = []
    for obj in objects:
        if isinstance(obj, type):
            parts.append(inspect.getsource(obj).rstrip())
        else:
            name = next(n for n, v in globals().items() if v is obj and n.isupper())
            parts.append(_assignment_source(name))
    code = "\n\n\n".join(parts)
    used = [name for name in ("Clause", "Parameter", "SchemeFields", "SchemeHarm", "Source")
            if re.search(rf"\b{name}\b", code)]
    imports = ["from pydantic import Field"] if re.search(r"\bField\(", code) else []
    imports += [f"from reciprocity.rules import {', '.join(used)}", "", ""]
    return ["```python", *imports, code, "```"]


def _assignment_source(name: str) -> str:
    """The source of the statement assigning ``name`` in this module, with its ``#:`` comment."""
    source = Path(__file__).read_text(encoding="utf-8")
    lines = source.splitlines()
    node = next(n for n in ast.parse(source).body
                if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in n.targets))
    first = node.lineno - 1
    while first > 0 and lines[first - 1].startswith("#:"):
        first -= 1
    return "\n".join(lines[first:node.end_lineno])


def _built_rules(builder: Callable[..., Any]) -> list[Any]:
    built = builder(EXAMPLE_ID, _example_clause())
    return list(built) if isinstance(built, tuple) else [built]


def rule_builder(module: Any, name: str, *, outcome: bool) -> list[str]:
    """A function of ``module`` that builds rules, with the rules it builds for ``my_scheme``
    (and, with ``outcome``, the outcome of an offer that does not meet each)."""
    out = member(module, name)
    for rule in _built_rules(getattr(module, name)):
        reads = ", ".join(f"`{f}`" for f in sorted(rule.facts())) or "none"
        params = ", ".join(f"`{p}`" for p in sorted(rule.params()))
        out += [f"- `{rule.id}`: {escape(rule.statement)} Reads {reads}"
                + (f"; parameters {params}" if params else "")
                + (f"; not met: `{rule.on_fail.value}`." if outcome else ".")]
    return [*out, ""]
