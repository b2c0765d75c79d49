"""The facts offer rules can read: the offered home set against the referral it answers."""

from __future__ import annotations

from typing import Any

from reciprocity.model.referral import Referral
from reciprocity.rules.facts import FactContext, FactSpec
from reciprocity.rules.logic import MISSING
from reciprocity.sizes import SizeStandard, bedroom_need
from reciprocity.tenancy_security import ENGLAND_SECURITY, compare_security, grantable

__all__ = ["OFFER_FACTS"]


def _offer(ctx: FactContext) -> Any:
    if ctx.offer is None:
        raise LookupError("an offer fact was read outside an offer assessment")
    return ctx.offer


def _in_requested(referral: Referral, ctx: FactContext) -> Any:
    if not referral.requested_areas:
        return MISSING
    return _offer(ctx).area in referral.requested_areas


def _in_unsafe(referral: Referral, ctx: FactContext) -> Any:
    if referral.unsafe_areas is None:
        return MISSING
    return _offer(ctx).area in referral.unsafe_areas


def _shortfall(referral: Referral, ctx: FactContext) -> Any:
    if referral.household is None:
        return MISSING
    need = bedroom_need(referral.household, SizeStandard(ctx.params.get("size_standard", SizeStandard.SOCIAL_SECTOR_SIZE_CRITERIA)))
    if need is MISSING:
        return MISSING
    return max(0, int(need) - _offer(ctx).bedrooms)


def _security(referral: Referral, ctx: FactContext) -> Any:
    if referral.tenancy is None or referral.tenancy.type is None:
        return MISSING
    scale = ctx.params.get("tenancy_security", ENGLAND_SECURITY)
    return compare_security(referral.tenancy.type, _offer(ctx).tenancy_type, on=ctx.on, scale=scale).result


def _grantable(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
    offered = _offer(ctx).tenancy_type
    if offered is None:
        return MISSING
    return grantable(offered, on=ctx.on, scale=ctx.params.get("tenancy_security", ENGLAND_SECURITY))


def _tenancy_form(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
    joint = _offer(ctx).joint
    return MISSING if joint is None else "joint" if joint else "sole"


def _landlord_status(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
    offer = _offer(ctx)
    membership = offer.landlord.membership
    return MISSING if membership is None else membership.status_on(offer.made_on)


def _final(attr: str) -> Any:
    def compute(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
        final = _offer(ctx).final_offer
        if final is None:
            return MISSING
        value = getattr(final, attr)
        return MISSING if value is None else value

    return compute


def _final_by_referrer(referral: Referral, ctx: FactContext) -> Any:
    final = _offer(ctx).final_offer
    return MISSING if final is None else final.made_by == referral.nominating_partner.id


def _final_complete(referral: Referral, ctx: FactContext) -> Any:  # noqa: ARG001
    final = _offer(ctx).final_offer
    if final is None:
        return MISSING
    parts = (final.in_writing, final.stated_final, final.refusal_consequences_explained, final.review_right_explained)
    if False in parts:
        return False
    return MISSING if None in parts else True


OFFER_FACTS: tuple[FactSpec, ...] = (
    FactSpec("offer.area", "the offered home's area", "which area the offered home is in", lambda r, c: _offer(c).area),
    FactSpec("offer.bedrooms", "bedrooms in the offered home", "how many bedrooms the offered home has", lambda r, c: _offer(c).bedrooms, kind="number"),
    FactSpec("offer.tenancy_type", "the tenancy offered", "which tenancy type is offered", lambda r, c: _offer(c).tenancy_type),
    FactSpec("offer.landlord", "the offering landlord", "which partner makes the offer", lambda r, c: _offer(c).landlord.id, reads=("offer.landlord.id",)),
    FactSpec("offer.landlord_kind", "the kind of landlord making the offer", "what kind of organisation the offering landlord is", lambda r, c: _offer(c).landlord.kind, reads=("offer.landlord.kind",)),
    FactSpec("offer.tenancy_form", "whether the tenancy offered is sole or joint", "whether the offered tenancy is sole or joint", _tenancy_form, reads=("offer.joint",)),
    FactSpec("offer.in_requested_area", "the offered home is in a requested area", "which areas the household asked to move to", _in_requested, kind="flag", derived=True, reads=("offer.area", "requested_areas")),
    FactSpec("offer.in_unsafe_area", "the offered home is in an unsafe area", "which areas are unsafe for the household (an empty list if none)", _in_unsafe, kind="flag", derived=True, reads=("offer.area", "unsafe_areas")),
    FactSpec("offer.bedroom_shortfall", "bedrooms the offered home falls short of the household's need", "who is in the household (ages, and sex where children might share)", _shortfall, kind="number", derived=True, reads=("household", "offer.bedrooms", "size_standard")),
    FactSpec("offer.security", "the offered tenancy against the current one", "the current tenancy's type", _security, derived=True, reads=("tenancy.type", "offer.tenancy_type", "tenancy_security")),
    FactSpec("offer.tenancy_grantable", "the tenancy offered is one a landlord can grant now", "which tenancy type is offered", _grantable, kind="flag", derived=True, reads=("offer.tenancy_type", "tenancy_security")),
    FactSpec("offer.via", "how the home was found", "whether the home came from a bid or a direct let", lambda r, c: _offer(c).via or MISSING),
    FactSpec("offer.highest_band", "the applicant was placed in the highest band", "whether the receiving council placed the applicant in its highest band", lambda r, c: MISSING if _offer(c).highest_band is None else _offer(c).highest_band, kind="flag"),
    FactSpec("offer.final_by_referrer", "the final offer was made by the referring council", "the final Part 6 offer's details (who made it)", _final_by_referrer, kind="flag", derived=True, reads=("offer.final_offer.made_by", "nominating_partner.id")),
    FactSpec("offer.final_offer_complete", "the final offer is in writing, stated final, with refusal consequences and review rights explained", "the final Part 6 offer's details (in writing, stated final, consequences of refusal, right to a review)", _final_complete, kind="flag", derived=True, reads=("offer.final_offer",)),
    FactSpec("offer.landlord_membership", "the offering landlord's membership on the offer date", "the offering landlord's membership dates", _landlord_status, derived=True, reads=("offer.landlord.membership", "offer.made_on")),
)  # fmt: skip
