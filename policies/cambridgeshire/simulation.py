"""How ``reciprocity demo`` plays a Cambridgeshire year: referrals shaped like
``examples/cambridgeshire_referral.yaml``, four registered providers and a council per area, and
the named leads' sign-off with the outcome told to them before the request goes out (§3).

The demonstration reads the rest off the scheme (its process, partnership and rules); see
:class:`reciprocity.demo.SimulationHints`.
"""

from __future__ import annotations

from typing import Any

from reciprocity.demo import ReferralDraft, SimulationHints, Stage

__all__ = ["SIMULATION"]


def referral(draft: ReferralDraft) -> dict[str, Any]:
    """A social tenant whose landlord cannot manage the risk in its own homes (§1)."""
    rng = draft.rng
    current = draft.nominator_area()
    unsafe, requested = draft.places(current, rng.choice((1, 2, 2)))
    return {
        "tenure": "social_tenant", "tenancy": draft.tenancy(),
        "risk": draft.risk(("idva", "idva", "da_professional")),
        "current_area": current, "unsafe_areas": unsafe, "requested_areas": requested,
        "own_stock_exhausted": True, "da_support": rng.random() < 0.9,
    }


SIMULATION = SimulationHints(
    reference="CAM",
    referral=referral,
    # The landlord can still manage the risk in its own homes (§1).
    ineligible={"own_stock_exhausted": False},
    missing=("own_stock_exhausted",),
    providers=4,
    preparation=(Stage(("sign_off", "notify_outcome"), days=(1, 2)),),
)
