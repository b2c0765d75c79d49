"""The sections of the scheme author's reference on what a scheme declares: the ``Scheme``
itself, the facts its rules read and the values they compare against, parameters and their
labels, its own referral fields and harm types, shared offer rules, areas, and the size
standards and security scale the offer facts read.
"""

from __future__ import annotations

import tomllib
import typing
from collections.abc import Iterable
from datetime import date
from enum import Enum
from typing import Any

from pydantic import BaseModel

from reciprocity.authoring.examples import (
    EXAMPLE_ID,
    HATE_CRIME,
    MINIMUM_DASH_SCORE,
    MOU,
    MyFields,
    example_code,
    example_scheme,
    rule_builder,
)
from reciprocity.authoring.markdown import escape, inline, md, table
from reciprocity.authoring.names import (
    attrs_arguments,
    comments,
    enum_values,
    member,
    module_heading,
    module_members,
    signature,
    type_text,
    value_text,
)

__all__ = [
    "areas_section",
    "facts_section",
    "offer_rules_section",
    "parameter_section",
    "scheme_section",
    "sizes_and_security_section",
    "values_section",
    "vocabulary_section",
]

def scheme_section() -> list[str]:
    from reciprocity.rules import scheme as scheme_module  # noqa: PLC0415

    scheme = scheme_module.Scheme
    notes = comments(scheme)
    process_on = scheme.process_on
    return [
        "## Declaring a scheme: `Scheme` {#scheme}", "",
        "Module `reciprocity.rules` (`from reciprocity.rules import Scheme`).", "",
        md(scheme.__doc__), "", *attrs_arguments(scheme), "",
        "### `not_encoded`: clauses nothing encodes {#not-encoded}", "",
        inline(notes["not_encoded"]), "",
        "```python",
        "Scheme(",
        "    ...,",
        "    not_encoded=(",
        "        (Clause(MOU, \"7.1\"), \"authorisation and signatures: no rule\"),",
        "        (Clause(MOU, \"8\"), \"review of the agreement by the partners: not about a case\"),",
        "    ),",
        ")",
        "```", "",
        "Each entry is a `(Clause, reason)` pair: the clause must cite one of the scheme's sources and "
        "the reason must not be empty, or `Scheme(...)` refuses the declaration. With each source's "
        "clause inventory (`Source(..., clauses=((ref, title), ...))`), `reciprocity docs` lists every "
        "clause with what encodes it or this reason, and `reciprocity.docgen.traceability(scheme)` gives "
        "the same list to a test that fails on a clause nothing accounts for.", "",
        "### `process_changes`: dated versions of the process {#process-changes}", "",
        inline(notes["process_changes"]), "",
        "```python",
        "Scheme(..., process=PROCESS, process_changes=((date(2026, 4, 1), PROCESS_FROM_APRIL_2026),))",
        "```", "",
        signature("Scheme.process_on", process_on), "", md(process_on.__doc__), "",
        f"`Scheme.processes` (a property): {md(scheme.processes.__doc__)}", "",
    ]


def _resolve(path: str, root: type[BaseModel]) -> Any:
    """The annotation of the model field at dotted ``path`` from ``root``, or None."""
    model: Any = root
    annotation: Any = None
    for part in path.split("."):
        fields = getattr(model, "model_fields", None)
        if fields is None or part not in fields:
            return None
        annotation = fields[part].annotation
        model = next((t for t in _parts(annotation) if isinstance(t, type) and issubclass(t, BaseModel)), None)
    return annotation


def _parts(annotation: Any) -> list[Any]:
    args = typing.get_args(annotation)
    if not args:
        return [annotation]
    return [annotation, *(p for a in args for p in _parts(a))]


#: The values of core facts whose referral field is not typed with the enumeration itself.
_VALUES = {
    "risk.harm_types": "[`HarmType`](#reciprocity.model.HarmType), or the scheme's own "
    "[`SchemeHarm`](#reciprocity.rules.extensions.SchemeHarm) values",
}


def _enum_of(fact: Any) -> str:
    """The enumeration a core fact's values come from, linked to its values, or ""."""
    from reciprocity.model import Offer, Referral  # noqa: PLC0415

    if fact.name in _VALUES:
        return _VALUES[fact.name]
    if fact.derived or len(fact.fields) != 1:
        return ""
    path = fact.fields[0]
    annotation = _resolve(path[len("offer."):], Offer) if path.startswith("offer.") else _resolve(path, Referral)
    enums = [t for t in _parts(annotation) if isinstance(t, type) and issubclass(t, Enum)]
    return ", ".join(f"[`{e.__name__}`](#reciprocity.model.{e.__name__})" for e in dict.fromkeys(enums))


def facts_section() -> list[str]:
    from reciprocity import facts, offer_facts  # noqa: PLC0415
    from reciprocity.lifecycle import case_facts  # noqa: PLC0415
    from reciprocity.rules import facts as rule_facts  # noqa: PLC0415

    def rows(specs: Iterable[Any]) -> list[list[str]]:
        return [[f"`{f.name}`", f.kind, escape(f.label), escape(f.question),
                 ", ".join(f"`{p}`" for p in f.fields), _enum_of(f)] for f in specs]

    header = ["fact", "kind", "label", "question asked when missing", "reads", "values"]
    return [
        "## Facts {#facts}", "",
        "A rule reads facts by name (`fact(\"risk.assessed_by\")`). Every scheme can read the core facts "
        "below; a scheme adds derived facts of its own as `FactSpec` values (`Scheme(facts=...)`) and "
        "referral fields of its own ([below](#scheme-vocabulary)). A fact's *kind* says how it renders "
        "and translates: a `flag` is true or false, a `number` compares, a `list` is tested item by "
        "item, a `value` is one of a set. *Reads* names the referral fields (dotted paths of "
        "`reciprocity schema`) it is read from; a fact that is not recorded is missing, and a rule "
        "reading it needs information.", "",
        "### Core facts of a referral {#core-facts}", "",
        f"Module `{facts.__name__}` (`BASE_FACTS`). {md(facts.__doc__)}", "",
        *table(rows(facts.BASE_FACTS), header), "",
        "### Offer facts {#offer-facts}", "",
        f"Module `{offer_facts.__name__}` (`OFFER_FACTS`). {md(offer_facts.__doc__)} Only offer rules "
        "(`Scheme(offer_rules=...)`) may read them. Their paths are into the offer (`offer.` and an "
        "`Offer` field), into the referral, or name a parameter (`size_standard`, `tenancy_security`).", "",
        *table(rows(offer_facts.OFFER_FACTS), header), "",
        "### Case facts (for guards) {#case-facts}", "",
        f"Module `{case_facts.__name__}` (`CASE_FACTS`). {md(case_facts.__doc__)}", "",
        *table([[f"`{name}`", escape(words)] for name, words in case_facts.CASE_FACTS.items()],
                ["case fact", "what a refusal calls it"]), "",
        "### `FactSpec`: a derived fact of the scheme's own {#fact-spec}", "",
        md(rule_facts.FactSpec.__doc__), "", *attrs_arguments(rule_facts.FactSpec), "",
        f"`FactSpec.fields` (a property): {md(rule_facts.FactSpec.fields.__doc__)}", "",
        *member(rule_facts, "FactContext"),
    ]


def values_section() -> list[str]:
    from reciprocity import model  # noqa: PLC0415

    out = ["## Values of the core's enumerations {#values}", "",
           "What the core facts compare against (`fact(\"risk.assessed_by\").eq(Assessor.IDVA)`, or "
           "the value as a string). Module `reciprocity.model`.", ""]
    for name in model.__all__:
        obj = getattr(model, name)
        if isinstance(obj, type) and issubclass(obj, Enum):
            out += member(model, name)
    vawg = ", ".join(f"`{h.value}`" for h in sorted(model.VAWG_HARMS, key=lambda h: h.value))
    comment = comments(__import__("reciprocity.model.enums", fromlist=["_"])).get("VAWG_HARMS", "")
    out += ["### `VAWG_HARMS` {#reciprocity.model.VAWG_HARMS}", "", inline(comment), "", vawg, ""]
    return out


def parameter_section() -> list[str]:
    from reciprocity.rules import Parameter, rule  # noqa: PLC0415

    scheme = example_scheme()
    rendered = scheme.rules[0].require.render(scheme.labels)
    try:
        Parameter(name="minimum_dash_score", label="the minimum DASH score", description="...", values=[(None, 14)])
    except ValueError as error:
        refusal = str(error)
    else:  # pragma: no cover - the convention is enforced by Parameter itself
        raise AssertionError("Parameter accepted a label with a leading article")
    articles = ", ".join(f'"{a}"' for a in sorted(rule.ARTICLES))
    return [
        "## Parameters and their labels {#parameters}", "",
        "Module `reciprocity.rules` (`from reciprocity.rules import Parameter, param`).", "",
        md(Parameter.__doc__), "", *attrs_arguments(Parameter), "",
        "### The label convention {#label-convention}", "",
        f"A parameter's `label` is a noun phrase **without a leading article** ({articles} are refused): "
        "the rendered condition adds \"the\" itself. A fact's `label` (and the `title` of a scheme's own "
        "field) is used as written, so it is the whole phrase a reader sees, article and all (\"the DASH "
        "score\"), or, for a flag, a statement (\"the assessor found the person at risk\").", "",
        *example_code(MINIMUM_DASH_SCORE), "",
        f"A rule reading `fact(\"risk.dash_score\").ge(param(\"minimum_dash_score\"))` then renders as: "
        f"*{escape(rendered)}*. A label with an article is refused when the scheme is imported:", "",
        "```text", f"ValueError: {refusal}", "```", "",
    ]


def vocabulary_section() -> list[str]:
    from reciprocity.rules import extensions  # noqa: PLC0415

    scheme = example_scheme()
    own = [f for f in scheme.fact_catalogue.values() if f.name.startswith(f"{EXAMPLE_ID}.")]
    rows = [[f"`{f.name}`", f.kind, escape(f.label), escape(f.question), ", ".join(f"`{p}`" for p in f.fields)]
            for f in own]
    return [
        "## A scheme's own fields and harm types {#scheme-vocabulary}", "",
        "Module `reciprocity.rules.extensions`; `SchemeFields` and `SchemeHarm` are also in "
        "`reciprocity.rules`. Declared as `Scheme(referral_fields=..., harm_types=...)`.", "",
        md(extensions.__doc__), "",
        "### An example {#scheme-vocabulary-example}", "",
        *example_code(MOU, MyFields, HATE_CRIME), "",
        f"`Scheme(id=\"{EXAMPLE_ID}\", ..., referral_fields=MyFields, harm_types=(HATE_CRIME,))` gives its rules "
        "these facts:", "",
        *table(rows, ["fact", "kind", "label", "question asked when missing", "reads"]), "",
        f"and lets its referrals list `{HATE_CRIME.value}` in `risk.harm_types`.", "",
        *module_members(extensions, doc=False),
    ]


def offer_rules_section() -> list[str]:
    from reciprocity.rules import common  # noqa: PLC0415

    out = [*module_heading(common, "Offer rules many schemes share", "offer-rules"), md(common.__doc__), "",
           "Each builds the `Rule` shown (its id, statement and the facts it reads), citing the clauses "
           "you pass; put it in `Scheme(offer_rules=...)`. *Not met* is the outcome for an offer that "
           "fails it (`needs_information` sends the offer to the named leads).", ""]
    for name in common.__all__:
        out += rule_builder(common, name, outcome=True)
    return out


#: An areas file, as the page shows it (checked against ``Area`` when the page is built).
_AREAS_EXAMPLE = """
[[area]]
id = "ashford"
name = "Ashford"
council = "Ashford Borough Council"

[[area]]
id = "medway"
name = "Medway"
council = "Medway Council"
unitary = true
"""


def areas_section() -> list[str]:
    from reciprocity import model  # noqa: PLC0415
    from reciprocity.model import Area  # noqa: PLC0415

    example = _AREAS_EXAMPLE.strip()
    for entry in tomllib.loads(example)["area"]:  # the example is itself valid area data
        Area.model_validate(entry)
    rows = []
    for name, field in Area.model_fields.items():
        limits = []
        for constraint in field.metadata:
            if getattr(constraint, "pattern", None):
                limits.append(f"matches `{constraint.pattern}`")
            if getattr(constraint, "max_length", None):
                limits.append(f"at most {constraint.max_length} characters")
        default = "required" if field.is_required() else f"optional (default `{value_text(field.default).lower()}`)"
        rows.append([f"`{name}`", type_text(field.annotation), default, inline(field.description or ""),
                     "; ".join(limits)])
    return [
        "## Areas {#areas}", "",
        "Module `reciprocity.model`. A scheme ships its areas as a TOML data file in its package and "
        "reads them with `load_areas`:", "",
        "```python",
        "from importlib.resources import files",
        "from reciprocity.model import load_areas",
        "",
        'AREAS = load_areas(files(__package__).joinpath("areas.toml"))   # Scheme(areas=AREAS)',
        "```", "",
        signature("load_areas", model.load_areas), "", md(model.load_areas.__doc__), "",
        "### The areas file {#areas-file}", "",
        "One `[[area]]` table per area, with these keys (anything else is refused, and a bad file "
        "fails when the scheme is imported, naming the file):", "",
        *table(rows, ["key", "type", "required", "meaning", "limits"]), "",
        "```toml", example, "```", "",
        *member(model, "Area"),
    ]


def sizes_and_security_section() -> list[str]:
    from reciprocity import sizes, tenancy_security  # noqa: PLC0415

    scale_rows: list[list[str]] = []
    for start, scale in tenancy_security.ENGLAND_SECURITY.values:
        ranked = sorted(scale.ranks.items(), key=lambda item: (-item[1], item[0].value))
        for tenancy_type, rank in ranked:
            notes = [n for n, held in (("cannot be matched like for like", scale.not_guaranteed),
                                       ("cannot be newly granted", scale.not_grantable)) if tenancy_type in held]
            since = start.isoformat() if isinstance(start, date) else "the start"
            scale_rows.append([since, f"`{tenancy_type.value}`", str(rank), "; ".join(notes)])
    parameter = tenancy_security.ENGLAND_SECURITY
    return [
        "## Sizes and security of tenure {#sizes-and-security}", "",
        "Two parameters the offer facts read: `size_standard` (a `SizeStandard`, for "
        "`offer.bedroom_shortfall`) and `tenancy_security` (a dated `SecurityScale`, for `offer.security` "
        "and `offer.tenancy_grantable`). A scheme whose text names a standard or a scale declares it as a "
        "parameter of its own with that name; without one, the bedroom shortfall is counted under the "
        "social sector size criteria and security on the default scale below.", "",
        f"### `SizeStandard` {{#{sizes.__name__}.SizeStandard}}", "",
        f"Module `{sizes.__name__}`.", "",
        md(sizes.SizeStandard.__doc__), "", *enum_values(sizes.SizeStandard), "",
        *member(sizes, "bedroom_need"),
        "### Security of tenure {#security}", "",
        f"Module `{tenancy_security.__name__}`.", "",
        md(tenancy_security.__doc__), "",
        f"### `SecurityScale` {{#{tenancy_security.__name__}.SecurityScale}}", "",
        md(tenancy_security.SecurityScale.__doc__), "", *attrs_arguments(tenancy_security.SecurityScale), "",
        f"### The default scale: `ENGLAND_SECURITY` {{#{tenancy_security.__name__}.ENGLAND_SECURITY}}", "",
        inline(comments(tenancy_security)["ENGLAND_SECURITY"])
        + f" A `Parameter` named `{parameter.name}` (label \"{parameter.label}\"): {escape(parameter.description)}",
        "",
        *table(scale_rows, ["from", "tenancy type", "rank", "notes"]), "",
        *member(tenancy_security, "SecurityResult"),
    ]
