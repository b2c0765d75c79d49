"""How ``reciprocity demo`` plays a Kent RP year: referrals shaped like
``examples/kent_rp_referral.json``, eight registered providers and two stock-holding councils.

The demonstration reads the rest off the scheme (its process, partnership and rules); see
:class:`reciprocity.demo.SimulationHints`.
"""

from __future__ import annotations

from typing import Any

from reciprocity.demo import ReferralDraft, SimulationHints

__all__ = ["SIMULATION"]


def referral(draft: ReferralDraft) -> dict[str, Any]:
    """A social tenant's referral by its landlord (MoU §3), sometimes urgent with a homelessness
    application alongside (§3.3)."""
    rng = draft.rng
    current = draft.nominator_area()
    unsafe, requested = draft.places(current, rng.choice((2, 3, 3)))
    urgent = rng.random() < 0.4
    return {
        "tenure": "social_tenant", "tenancy": draft.tenancy(),
        "risk": draft.risk(("idva", "idva", "da_professional")),
        "homelessness": {"duty": "relief", "application_made": True} if urgent else {},
        "urgent": urgent, "current_area": current, "unsafe_areas": unsafe, "requested_areas": requested,
        "risk_too_great_to_remain": True, "own_stock_exhausted": True, "kent_home_choice_exhausted": True,
        "da_support": rng.random() < 0.85,
    }


SIMULATION = SimulationHints(
    reference="KRP",
    referral=referral,
    # A police assessment alone does not qualify (MoU §3.2).
    ineligible={"risk.assessed_by": "police"},
    missing=("kent_home_choice_exhausted",),
    providers=8,
    councils=2,
)
