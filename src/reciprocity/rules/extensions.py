"""Facts and harm types a scheme declares for itself, beyond the core referral's.

A scheme whose text reads something the core referral does not record (consent to share,
registration with a mobility scheme) declares it as a field of a model of its own, a
subclass of :class:`SchemeFields`, passed as ``Scheme(referral_fields=...)``. A referral
carries the values under the scheme's id::

    {"referred_on": "2026-05-04", ..., "extensions": {"northshire": {"consent_to_share": true}}}

and rules read each field as the fact ``<scheme id>.<field>`` (``fact("northshire.consent_to_share")``),
like any core fact, on both engines. Every field is optional (left out, it is unknown, and a
rule that reads it asks for it); its ``title`` is the label a reader sees and its
``description`` the question a caseworker is asked.

A harm the scheme's text names that the core's :class:`~reciprocity.model.enums.HarmType`
does not (hate crime, gang violence) is a :class:`SchemeHarm`: referrals under that scheme may
list its value in ``risk.harm_types``, and rules compare it like a core harm type.

Both are checked when the scheme is built and when a referral is decided under it: a value
of another scheme's vocabulary is refused, naming the field.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from pydantic import ValidationError

from reciprocity.inputs import problems_from
from reciprocity.model.base import BoundaryModel, plain_types
from reciprocity.model.enums import HarmType
from reciprocity.model.referral import Referral
from reciprocity.rules.facts import FactContext, FactSpec
from reciprocity.rules.logic import MISSING
from reciprocity.rules.rule import Clause

__all__ = ["SchemeFields", "SchemeHarm", "extension_facts", "extension_problems", "fields_schema"]

_VALUE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class SchemeFields(BoundaryModel):
    """Base of a scheme's own referral fields. Give every field a default of ``None``, a
    ``title`` (the label: "consent to share is recorded") and a ``description`` (the
    question: "whether the household consents to share its referral with partners")."""


def _clauses(value: Clause | Iterable[Clause]) -> tuple[Clause, ...]:
    return (value,) if isinstance(value, Clause) else tuple(value)


@attrs.frozen
class SchemeHarm:
    """A kind of harm a scheme's text names that the core's HarmType lacks.

    ``value`` is what a referral writes in ``risk.harm_types`` (lower-case, underscores);
    ``label`` is how it reads ("hate crime"); ``clauses`` where the text names it.
    """

    value: str
    label: str
    clauses: tuple[Clause, ...] = attrs.field(converter=_clauses, default=())

    def __attrs_post_init__(self) -> None:
        if not _VALUE.match(self.value):
            raise ValueError(f"harm type {self.value!r}: use lower-case letters, digits and underscores")
        if self.value in HarmType._value2member_map_:
            raise ValueError(f"harm type {self.value!r} is already a core harm type (HarmType)")
        if not self.label.strip():
            raise ValueError(f"harm type {self.value!r}: give it a label")


def _kind(annotation: Any) -> str:
    parts = plain_types(annotation)
    if parts == [bool]:
        return "flag"
    if parts and all(p in (int, float) for p in parts):
        return "number"
    if any(typing.get_origin(p) in (tuple, list, set, frozenset) for p in parts):
        return "list"
    return "value"


def extension_facts(scheme_id: str, model: type[SchemeFields]) -> tuple[FactSpec, ...]:
    """The fact each field of ``model`` gives, named ``<scheme_id>.<field>``.

    Raises ValueError naming the field when one is required or lacks its title or description.
    """
    facts = []
    for name, field in model.model_fields.items():
        if field.is_required():
            raise ValueError(f"field {name!r} of {model.__name__} is required; give it the default None "
                             "(a fact not recorded is unknown, and a rule reading it asks for it)")
        if not field.title or not field.description:
            raise ValueError(f"field {name!r} of {model.__name__} needs a title (its label) and a "
                             "description (the question a caseworker is asked)")
        facts.append(FactSpec(
            name=f"{scheme_id}.{name}", label=field.title, question=field.description,
            compute=_reader(name), kind=_kind(field.annotation), reads=(f"extensions.{scheme_id}.{name}",),
        ))
    return tuple(facts)


def _reader(name: str) -> Any:
    def compute(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
        fields = ctx.extension
        value = None if fields is None else getattr(fields, name)
        if value is None:
            return MISSING
        return tuple(value) if isinstance(value, list | tuple | set | frozenset) else value

    return compute


def extension_problems(
    scheme_id: str, model: type[SchemeFields] | None, harms: Iterable[SchemeHarm], referral: Referral
) -> tuple[SchemeFields | None, list[tuple[str, str, str]]]:
    """The scheme's fields read from ``referral`` and the problems found (path, message, hint):
    values that do not fit the scheme's model, and harm types neither the core nor the scheme
    knows. Values are never repeated."""
    problems: list[tuple[str, str, str]] = []
    declared = {h.value for h in harms}
    if referral.risk is not None:
        for index, harm in enumerate(referral.risk.harm_types):
            if not isinstance(harm, HarmType) and harm not in declared:
                known = ", ".join([*HarmType, *sorted(declared)])
                problems.append((f"risk.harm_types[{index}]", f"is not a harm type scheme {scheme_id} knows",
                                 f"use one of: {known}"))
    raw: Mapping[str, Any] = (referral.extensions or {}).get(scheme_id) or {}
    fields = None
    if model is not None:
        try:
            fields = model.model_validate(raw)
        except ValidationError as error:
            prefix = f"extensions.{scheme_id}"
            problems.extend((f"{prefix}.{p.path}" if p.path else prefix, p.message, p.hint)
                            for p in problems_from(error))
    elif raw:
        problems.append((f"extensions.{scheme_id}", f"holds fields, but scheme {scheme_id} declares none",
                         "remove them, or check the scheme id they are under"))
    return fields, problems


def fields_schema(model: type[SchemeFields]) -> dict[str, Any]:
    """The JSON Schema of a scheme's fields model."""
    return model.model_json_schema()
