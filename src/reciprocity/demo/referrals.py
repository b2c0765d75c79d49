"""Referrals for a scheme that gives no example referral, found by trial against its rules.

A scheme's ``referral`` hint shapes its invented referrals like its own form. Without one the
demonstration tries, in a fixed order, the usual shapes of a referral for a domestic-abuse move
(a social tenancy or temporary accommodation, a risk assessment by an IDVA or another
professional, a homelessness duty or none, every yes-or-no fact answered yes) and keeps the
first that the scheme's rules find eligible on the day: no hypothesis, no randomness beyond the
draft's own. Ineligible and incomplete referrals are made the same way, by trying one change
at a time until the rules say so. The order never depends on what was tried before, so a seed
still gives the same year.

The scheme's own yes-or-no fields (``Scheme.referral_fields``, under ``extensions.<id>``) are
answered yes too, and tried as no for an ineligible referral. A scheme whose rules need a fact
none of these shapes gives (a flag set to no, a field of its own that is not yes-or-no) should
give an example referral (:attr:`SimulationHints.referral`); without one its referrals are
still made, and the eligibility check finds what it finds.
"""

from __future__ import annotations

import copy
import itertools
import typing
from collections.abc import Iterator, Mapping
from types import NoneType
from typing import Any

from reciprocity.decision import Outcome
from reciprocity.demo.hints import ReferralDraft
from reciprocity.errors import InvalidInputError
from reciprocity.model import Assessor, HomelessnessDuty, Referral, SubjectRole, Tenure

__all__ = ["complete_fields", "ineligible_changes", "leave_out"]

#: The referral's yes-or-no facts (``own_stock_exhausted``, ``da_support``...), in model order.
FLAGS: tuple[str, ...] = tuple(
    name for name, field in Referral.model_fields.items()
    if set(typing.get_args(field.annotation)) == {bool, NoneType}
)
#: Where a household may live now, most usual first; True: it keeps a social tenancy there.
_HOMES: tuple[tuple[str, bool], ...] = (
    (Tenure.SOCIAL_TENANT, True), (Tenure.TEMPORARY_ACCOMMODATION, True), (Tenure.TEMPORARY_ACCOMMODATION, False),
    (Tenure.PRIVATE_RENTED, False), (Tenure.NON_TENANT_PRIORITY_NEED, False), (Tenure.OTHER, False),
)
_ASSESSORS = (Assessor.IDVA, Assessor.DA_PROFESSIONAL, Assessor.POLICE, Assessor.OTHER)
_DUTIES = (None, HomelessnessDuty.RELIEF, HomelessnessDuty.MAIN, HomelessnessDuty.PREVENTION)
#: Top-level fields a referral missing a fact may leave out, after its yes-or-no facts.
_OMISSIBLE = ("risk", "tenure", "tenancy", "homelessness", "current_area", "requested_areas", "unsafe_areas",
              "subject_role", "household", "extensions")


def _outcome(scheme_id: str, referral: Mapping[str, Any]) -> Outcome | None:
    """What the scheme's rules decide on the referral's date; None when it is not valid input."""
    from reciprocity.api import evaluate  # noqa: PLC0415 - the API imports the engines

    try:
        return evaluate(scheme_id, referral).outcome
    except InvalidInputError:
        return None


def own_flags(scheme_id: str) -> tuple[str, ...]:
    """The scheme's own yes-or-no referral fields (``Scheme.referral_fields``), in model order."""
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    model = get_scheme(scheme_id).referral_fields
    if model is None:
        return ()
    return tuple(name for name, field in model.model_fields.items()
                 if set(typing.get_args(field.annotation)) == {bool, NoneType})


def _shapes(risk: dict[str, Any], tenancy: dict[str, Any], own: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The scheme's fields of a referral, in the order they are tried (each shape with the
    assessment drawn, then with the highest DASH score and a MARAC referral)."""
    strong = {**risk, "dash_score": 24, "marac_referral": True}
    assessors = dict.fromkeys((risk["assessed_by"], *(a.value for a in _ASSESSORS)))
    for (tenure, keeps), assessor, duty, assessment in itertools.product(_HOMES, assessors, _DUTIES, (risk, strong)):
        fields: dict[str, Any] = {"tenure": tenure.value}
        if keeps:
            fields["tenancy"] = tenancy
        fields["risk"] = {**assessment, "assessed_by": assessor}
        fields["homelessness"] = {} if duty is None else {"duty": duty.value, "application_made": True}
        fields |= dict.fromkeys(FLAGS, True)
        if own:
            fields["extensions"] = copy.deepcopy(dict(own))
        yield fields


def complete_fields(scheme_id: str, draft: ReferralDraft) -> dict[str, Any]:
    """The scheme's fields of an eligible referral for ``draft`` (the first shape its rules find
    eligible; the first shape when none is)."""
    current = draft.nominator_area()
    unsafe, requested = draft.places(current, draft.rng.choice((1, 2, 2)))
    risk = draft.risk(("idva", "idva", "da_professional"))
    tenancy = draft.tenancy()
    places = {"current_area": current, "unsafe_areas": unsafe, "requested_areas": requested}
    flags = own_flags(scheme_id)
    own = {scheme_id: dict.fromkeys(flags, True)} if flags else {}
    first: dict[str, Any] | None = None
    for shape in _shapes(risk, tenancy, own):
        fields = {**shape, **places}
        first = first or fields
        if _outcome(scheme_id, {**draft.referral, **fields}) is Outcome.ELIGIBLE:
            return fields
    assert first is not None
    return first


def _changes(referral: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Single changes that may make a referral ineligible, in the order they are tried."""
    for name in FLAGS:
        if referral.get(name) is True:
            yield name, False
    for scheme_id, fields in (referral.get("extensions") or {}).items():
        for name, value in fields.items():
            if value is True:
                yield f"extensions.{scheme_id}.{name}", False
    risk = referral.get("risk") or {}
    if risk:
        yield "risk.at_risk", False
        for assessor in (*_ASSESSORS, Assessor.NOBODY):
            if assessor.value != risk.get("assessed_by"):
                yield "risk.assessed_by", assessor.value
        yield "risk.dash_score", 0
    for tenure, _ in _HOMES:
        if tenure.value != referral.get("tenure"):
            yield "tenure", tenure.value
    for duty in HomelessnessDuty:
        yield "homelessness.duty", duty.value
    for role in SubjectRole:
        if role.value != referral.get("subject_role"):
            yield "subject_role", role.value


def _changed(referral: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    result = copy.deepcopy(dict(referral))
    *parents, name = path.split(".")
    place = result
    for part in parents:
        place = place.setdefault(part, {})
    place[name] = value
    return result


def ineligible_changes(scheme_id: str, referral: Mapping[str, Any]) -> dict[str, Any]:
    """One change (dotted path -> value) that makes ``referral`` ineligible; empty when no
    single change tried does."""
    for path, value in _changes(referral):
        if _outcome(scheme_id, _changed(referral, path, value)) is Outcome.INELIGIBLE:
            return {path: value}
    return {}


def leave_out(scheme_id: str, referral: Mapping[str, Any]) -> tuple[str, ...]:
    """A top-level field whose absence leaves the scheme's rules needing information; empty
    when leaving out no single field tried does."""
    for name in (*FLAGS, *_OMISSIBLE):
        if name in referral:
            rest = {k: v for k, v in referral.items() if k != name}
            if _outcome(scheme_id, rest) is Outcome.NEEDS_INFORMATION:
                return (name,)
    return ()
