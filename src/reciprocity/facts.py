"""The facts every scheme can read from a referral, with the words used to talk about them.

Each returns :data:`~reciprocity.rules.logic.MISSING` when the referral does not say, so
rules can ask for it instead of guessing. Schemes add derived facts of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reciprocity.model.enums import Tenure
from reciprocity.model.referral import Referral
from reciprocity.rules.facts import FactContext, FactSpec
from reciprocity.rules.logic import MISSING

__all__ = ["BASE_FACTS", "social_tenant"]


_NO_SOCIAL_TENANCY = (Tenure.PRIVATE_RENTED, Tenure.NON_TENANT_PRIORITY_NEED)


def _known(value: Any) -> Any:
    return MISSING if value is None else value


def _listed(value: Any) -> Any:
    return MISSING if not value else tuple(value)


def _field(
    name: str, label: str, question: str, get: Callable[[Referral], Any], kind: str = "value",
    reads: tuple[str, ...] = (),
) -> FactSpec:
    def compute(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
        return _known(get(referral))

    return FactSpec(name=name, label=label, question=question, compute=compute, kind=kind, reads=reads)


def _flag(name: str, label: str, question: str) -> FactSpec:
    return _field(name, label, question, lambda r: getattr(r, name), kind="flag")


def social_tenant(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
    """Whether the household holds a social tenancy now.

    A household in temporary accommodation (or of "other" tenure) may still hold its social
    tenancy (both case studies in the Kent RP presentation did), so for it the answer is
    unknown unless the tenancy is given. Only private renters and non-tenants are known not
    to hold one.
    """
    if referral.tenancy is not None or referral.tenure is Tenure.SOCIAL_TENANT:
        return True
    if referral.tenure in _NO_SOCIAL_TENANCY:
        return False
    return MISSING  # no tenure, temporary accommodation or "other": a tenancy may still be held


def _risk(attr: str, listed: bool = False) -> Callable[[Referral, FactContext], Any]:
    def compute(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
        if referral.risk is None:
            return MISSING
        value = getattr(referral.risk, attr)
        return _listed(value) if listed else _known(value)

    return compute


def _tenancy(attr: str) -> Callable[[Referral, FactContext], Any]:
    def compute(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
        return MISSING if referral.tenancy is None else _known(getattr(referral.tenancy, attr))

    return compute


def _membership_status(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
    membership = referral.nominating_partner.membership
    return MISSING if membership is None else membership.status_on(referral.referred_on)


def _areas(attr: str) -> Callable[[Referral, FactContext], Any]:
    def compute(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
        value = getattr(referral, attr)
        return MISSING if value is None else tuple(value)

    return compute


BASE_FACTS: tuple[FactSpec, ...] = (
    _field("subject_role", "the role of the person to move", "whether the person to move is the survivor or the perpetrator", lambda r: r.subject_role),
    _field("tenure", "the household's tenure", "where the household lives now (tenure)", lambda r: r.tenure),
    FactSpec("social_tenant", "the household holds a social tenancy", "whether the household still holds a social tenancy (give the tenancy)", social_tenant, kind="flag", derived=True, reads=("tenancy", "tenure")),
    FactSpec("tenancy.type", "the current tenancy type", "the type of the current tenancy", _tenancy("type")),
    FactSpec("tenancy.joint", "the tenancy is joint", "whether the tenancy is sole or joint", _tenancy("joint"), kind="flag"),
    FactSpec("tenancy.landlord", "the current landlord", "which partner is the current landlord", _tenancy("landlord")),
    FactSpec("tenancy.bedrooms", "bedrooms in the current home", "how many bedrooms the current home has", _tenancy("bedrooms"), kind="number"),
    FactSpec("risk.assessed_by", "who assessed the risk", "who assessed the risk", _risk("assessed_by")),
    FactSpec("risk.at_risk", "the assessor found the person at risk", "whether the assessor found the person at risk", _risk("at_risk"), kind="flag"),
    FactSpec("risk.harm_types", "the kinds of harm", "what kind of harm the person is at risk of", _risk("harm_types", listed=True), kind="list"),
    FactSpec("risk.dash_score", "the DASH score", "the DASH risk checklist score", _risk("dash_score"), kind="number"),
    FactSpec("risk.marac_referral", "the case went to MARAC", "whether the case was referred to a MARAC", _risk("marac_referral"), kind="flag"),
    _field("homelessness.duty", "the homelessness duty accepted", "which homelessness duty, if any, the council has accepted", lambda r: r.homelessness.duty),
    _field("homelessness.application_made", "a homelessness application was made", "whether a homelessness application has been made", lambda r: r.homelessness.application_made, kind="flag"),
    _flag("urgent", "the need to move is urgent", "whether the need to move is urgent"),
    _field("current_area", "the current area", "which area the household lives in now", lambda r: r.current_area),
    FactSpec("unsafe_areas", "the unsafe areas", "which areas are unsafe for the household (an empty list if none)", _areas("unsafe_areas"), kind="list"),
    FactSpec("requested_areas", "the requested areas", "which areas the household asks to move to", lambda r, ctx: _listed(r.requested_areas), kind="list"),
    _flag("risk_too_great_to_remain", "the risk is too great to stay in the area", "whether the risk is too great for the household to stay in its current area"),
    _flag("own_stock_exhausted", "the landlord's own stock is exhausted", "whether the landlord has exhausted efforts to rehouse the household safely within its own stock"),
    _flag("kent_home_choice_exhausted", "Kent Home Choice was tried and exhausted", "whether rehousing through Kent Home Choice has been tried and exhausted"),
    _flag("corroborated_by_inquiries", "the council's inquiries corroborate the threat", "whether the council's inquiries corroborate the threat from outside the home"),
    _flag("unsafe_where_local_connection", "the household is unsafe where it has a local connection", "whether the household is unsafe in the area where it has a local connection"),
    _flag("exceptional_reason_accepted", "an exceptional reason is accepted", "whether the council accepts another exceptional reason the household cannot live in its area"),
    _flag("perpetrator_move_assessed_safe", "the perpetrator's move is assessed as safe", "whether the perpetrator's move has been assessed as safe"),
    _flag("lead_discretion_granted", "the originating lead used their discretion", "whether the originating partner's lead has agreed, at their discretion, to a non-tenant referral"),
    _flag("agrees_to_owe_property", "the originating partner agrees to owe a home", "whether the originating partner agrees to owe a social home to the scheme"),
    _flag("da_support", "the survivor has specialist DA support", "whether the survivor is supported by a specialist domestic abuse agency"),
    _field("nominator.id", "the nominating partner", "which partner is nominating", lambda r: r.nominating_partner.id, reads=("nominating_partner.id",)),
    _field("nominator.kind", "the kind of nominating partner", "what kind of organisation the nominating partner is", lambda r: r.nominating_partner.kind, reads=("nominating_partner.kind",)),
    FactSpec("nominator.stock_areas", "the areas where the nominating partner has homes", "where the nominating partner holds housing stock", lambda r, ctx: _listed(r.nominating_partner.stock_areas), kind="list", reads=("nominating_partner.stock_areas",)),
    _field("nominator.authority_area", "the nominating council's area", "which district or borough the nominating council serves", lambda r: r.nominating_partner.authority_area, reads=("nominating_partner.authority_area",)),
    _field("nominator.dsp_signatory", "the nominating partner signed the data sharing protocol", "whether the nominating partner has signed the data sharing protocol", lambda r: r.nominating_partner.data_sharing_protocol_signatory, kind="flag", reads=("nominating_partner.data_sharing_protocol_signatory",)),
    FactSpec("nominator.membership_status", "the nominating partner's membership on the referral date", "the nominating partner's membership dates", _membership_status, derived=True, reads=("nominating_partner.membership", "referred_on")),
)  # fmt: skip
