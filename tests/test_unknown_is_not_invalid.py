"""Unknown is not invalid: a fact left out is a question, never an input error (issue 15).

A referral that records a risk but not who assessed it is a referral with a fact missing;
the decision asks for it ("needs information"), exactly as for any other missing fact. Only
contradictions (a tenancy given for a private renter, an area both requested and unsafe, a
conclusion recorded when nobody assessed) are invalid input. The walk below leaves out every
optional field of every input model, one at a time, and shows no input error follows; and
the few required fields are listed, each with the reason the one writing the record always
knows it, so that making a field required is a decision a test records.
"""

from __future__ import annotations

import copy
import json
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

import reciprocity
from reciprocity import InvalidInputError, Offer, Outcome, Referral
from reciprocity.engines import ENGINES
from reciprocity.model.base import plain_types

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCHEMES = ("kent_rp", "kent_krs", "cambridgeshire")

#: The fields a record cannot leave out, and why the one writing it always knows them.
REQUIRED = {
    # The referral itself: when it was made and who makes it identify the record.
    "Referral.referred_on": "the date the nominating partner makes the referral",
    "Referral.nominating_partner": "who is making the referral",
    "Partner.id": "which organisation it is",
    # A household is the people in it; each member's place in it decides who is the applicant.
    "Household.members": "who would move",
    "Member.relationship": "who the member is to the applicant (exactly one applicant)",
    # An offer describes a home its landlord is offering: the landlord knows all of these.
    "Offer.made_on": "the date the landlord made the offer",
    "Offer.landlord": "the landlord making it",
    "Offer.area": "where the offered home is",
    "Offer.bedrooms": "the offered home's bedrooms",
    "Offer.tenancy_type": "the tenancy the landlord offers with it",
    "FinalOffer.made_by": "the council making its final offer",
}


def _models(root: type[BaseModel]) -> Iterator[tuple[type[BaseModel], str, str, bool]]:
    """Every field of ``root`` and the models under it: (model, field, dotted path, required)."""

    def walk(model: type[BaseModel], prefix: str) -> Iterator[tuple[type[BaseModel], str, str, bool]]:
        for name, field in model.model_fields.items():
            path = f"{prefix}{name}"
            yield model, name, path, field.is_required()
            for part in plain_types(field.annotation):
                args = typing.get_args(part) if typing.get_origin(part) is tuple else (part,)
                for arg in args:
                    if isinstance(arg, type) and issubclass(arg, BaseModel):
                        yield from walk(arg, f"{path}.0." if args != (part,) else f"{path}.")

    yield from walk(root, "")


def _paths(document: Any, prefix: str = "") -> Iterator[str]:
    """Every dotted path set in ``document`` (a list's items as ``.0``, ``.1``…)."""
    items = document.items() if isinstance(document, dict) else enumerate(document)
    for key, value in items:
        path = f"{prefix}{key}"
        yield path
        if isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict)):
            yield from _paths(value, path + ".")


def _without(document: dict[str, Any], path: str) -> dict[str, Any]:
    doc = copy.deepcopy(document)
    *parents, last = path.split(".")
    node: Any = doc
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    del node[int(last) if last.isdigit() else last]
    return doc


def _generic(path: str) -> str:
    return ".".join("0" if part.isdigit() else part for part in path.split("."))


def _load(name: str) -> dict[str, Any]:
    path = EXAMPLES / name
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def _full_referral() -> dict[str, Any]:
    """The Kent RP example with every optional field given (none contradicting another)."""
    doc = _load("kent_rp_referral.json")
    doc["nominating_partner"].update(
        authority_area="maidstone", named_lead="lead-orchard",
        membership={"joined_on": "2023-09-01", "notice_given_on": "2026-06-01",
                    "withdrawn_on": "2026-07-01", "removed_on": "2026-08-01"},
    )
    doc.update(
        corroborated_by_inquiries=True, unsafe_where_local_connection=True, exceptional_reason_accepted=False,
        perpetrator_move_assessed_safe=False, lead_discretion_granted=False, agrees_to_owe_property=True,
        # Another scheme's own fields travel with the referral; only that scheme reads them.
        extensions={"another_scheme": {"consent_to_share": True}},
    )
    return doc


def _full_offer() -> dict[str, Any]:
    doc = _load("offers/kent_krs_offer.yaml")
    doc["joint"] = False
    doc["landlord"].update(
        name="Ashford Borough Council (invented record)", stock_areas=["ashford"], named_lead="lead-ashford",
        data_sharing_protocol_signatory=True,
        membership={"joined_on": "2023-09-01", "notice_given_on": "2026-06-01",
                    "withdrawn_on": "2026-07-01", "removed_on": "2026-08-01"},
    )
    doc["final_offer"] = {"made_by": "thanet_dc", "in_writing": True, "stated_final": True,
                          "refusal_consequences_explained": True, "review_right_explained": True}
    return doc


def test_a_risk_recorded_without_its_assessor_needs_information_not_an_input_error() -> None:
    """Kent RP MoU §3.2 (first condition): an IDVA or a domestic abuse professional must have
    found the tenant at risk; who assessed, left out, is asked for, as any other missing fact."""
    referral = _without(_load("kent_rp_referral.json"), "risk.assessed_by")
    for engine in ENGINES:
        decision = reciprocity.evaluate("kent_rp", referral, engine=engine)
        assert decision.outcome is Outcome.NEEDS_INFORMATION, engine
        assert "who assessed the risk" in decision.questions, engine
        asked = [f for f in decision.findings if "risk.assessed_by" in f.missing]
        assert [f.rule_id for f in asked] == ["kent_rp.assessed_at_risk"], engine


def test_every_optional_field_of_a_referral_is_given_in_the_walk() -> None:
    """The walk below covers the model, so a new optional field is walked too."""
    given = {_generic(p) for p in _paths(_full_referral())}
    optional = {path for _, _, path, required in _models(Referral) if not required}
    assert optional - given == set()
    Referral.model_validate(_full_referral())


def test_every_optional_field_of_an_offer_is_given_in_the_walk() -> None:
    given = {_generic(p) for p in _paths(_full_offer())}
    optional = {path for _, _, path, required in _models(Offer) if not required}
    assert optional - given == set()
    Offer.model_validate(_full_offer())


def test_only_the_fields_a_record_always_knows_are_required() -> None:
    required = {f"{model.__name__}.{name}" for root in (Referral, Offer)
                for model, name, _, req in _models(root) if req}
    assert required == set(REQUIRED)


def _optional_paths(document: dict[str, Any], root: type[BaseModel]) -> list[str]:
    optional = {path for _, _, path, required in _models(root) if not required}
    return [p for p in _paths(document) if _generic(p) in optional]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_leaving_out_any_optional_referral_field_is_never_an_input_error(scheme: str) -> None:
    full = _full_referral()
    full.pop("scheme")
    for path in _optional_paths(full, Referral):
        try:
            reciprocity.evaluate(scheme, _without(full, path))
        except InvalidInputError as error:  # pragma: no cover - the failure message
            pytest.fail(f"leaving out {path} raised: {error}")


@pytest.mark.parametrize("scheme", SCHEMES)
def test_leaving_out_any_optional_offer_field_is_never_an_input_error(scheme: str) -> None:
    referral = _full_referral()
    referral.pop("scheme")
    full = _full_offer()
    for path in _optional_paths(full, Offer):
        try:
            reciprocity.assess_offer(scheme, referral, _without(full, path))
        except InvalidInputError as error:  # pragma: no cover
            pytest.fail(f"leaving out offer.{path} raised: {error}")


def test_a_contradiction_is_still_invalid_input() -> None:
    """Unknown is never invalid, but two facts that cannot both be true are."""
    referral = _load("kent_rp_referral.json")
    referral["tenure"] = "private_rented"  # yet a social tenancy is given
    with pytest.raises(InvalidInputError) as caught:
        reciprocity.evaluate("kent_rp", referral)
    assert [p.path for p in caught.value.problems] == ["tenancy"]
