"""How ``reciprocity demo`` plays a KRS year: referrals shaped like
``examples/kent_krs_referral.yaml``, one council per area (the councils refer and receive, KRS
opening paragraphs) and the referring council's written final Part 6 offer (points 4, 12).

The demonstration reads the rest off the scheme (its process, partnership and rules); see
:class:`reciprocity.demo.SimulationHints`.
"""

from __future__ import annotations

from typing import Any

from reciprocity.demo import OfferDraft, ReferralDraft, SimulationHints

__all__ = ["SIMULATION"]


def referral(draft: ReferralDraft) -> dict[str, Any]:
    """A household owed a homelessness duty by the referring council (point 7), at risk at home
    or, sometimes, of harm outside it corroborated by the council's inquiries."""
    rng = draft.rng
    current = draft.nominator.authority_area or draft.nominator_area()
    unsafe, requested = draft.places(current, rng.choice((1, 2, 2)))
    outside = rng.random() < 0.15
    fields: dict[str, Any] = {
        "tenure": rng.choice(("private_rented", "temporary_accommodation", "private_rented")),
        "risk": draft.risk(("police", "idva", "da_professional"), ["harm_outside_home"] if outside else None),
        "homelessness": {"duty": rng.choice(("prevention", "relief", "relief", "main")), "application_made": True},
        "urgent": rng.random() < 0.6, "current_area": current, "unsafe_areas": unsafe, "requested_areas": requested,
    }
    if outside:
        fields |= {"corroborated_by_inquiries": True, "unsafe_where_local_connection": True}
    else:
        fields["risk_too_great_to_remain"] = True
    return fields


def offer(draft: OfferDraft) -> dict[str, Any]:
    """A home let through a bid or directly, in the highest band, as the referring council's
    written final offer (points 4, 12)."""
    via_bid = draft.rng.random() < 0.8
    return {"via": "bid" if via_bid else "direct_let", "highest_band": True,
            "final_offer": {"made_by": draft.nominator, "in_writing": True, "stated_final": True,
                            "refusal_consequences_explained": True, "review_right_explained": True}}


SIMULATION = SimulationHints(
    reference="KRS",
    referral=referral,
    # No homelessness duty accepted (point 7, first limb).
    ineligible={"homelessness.duty": "none"},
    missing=("risk_too_great_to_remain", "corroborated_by_inquiries"),
    offer=offer,
    providers=0,
)
