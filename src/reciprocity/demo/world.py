"""The invented world a demonstration year runs in: partners, households and homes.

Everything here is made up from a seeded :class:`random.Random`: partner landlords are called
"Example Housing 1 (invented)", "Example Council for Thanet (invented)" and so on, households are ages and sexes only,
and no name, address or tenancy reference appears anywhere. Referrals follow the shape of the
files in ``examples/`` (one per scheme) and vary their dates, areas and households so that
most stay eligible; a few are made ineligible, or leave out a fact, the way real referrals do.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import attrs

from reciprocity.lifecycle.circulation import areas_of
from reciprocity.model import Partner

__all__ = ["Flaw", "Household", "Layout", "completed", "invent_household", "invent_offer", "layout"]


@attrs.frozen
class Layout:
    """The partners of a scheme as the demonstration invents them: who joins when."""

    founders: tuple[dict[str, Any], ...]
    #: Partners joining during the year, each with the day it joins.
    late: tuple[tuple[date, dict[str, Any]], ...]


def _council(area: str, area_name: str, *, stock: bool) -> dict[str, Any]:
    return {"id": f"example_council_{area}", "name": f"Example Council for {area_name} (invented)",
            "kind": "local_authority", "authority_area": area, "stock_areas": [area] if stock else [],
            "data_sharing_protocol_signatory": True}


def _housing(number: int, areas: Sequence[str]) -> dict[str, Any]:
    return {"id": f"example_housing_{number}", "name": f"Example Housing {number} (invented)",
            "kind": "registered_provider", "stock_areas": list(areas), "data_sharing_protocol_signatory": True}


def layout(scheme_id: str, names: Mapping[str, str], rng: random.Random, year: int) -> Layout:
    """The scheme's invented partners: registered providers with homes in two or three areas
    and stock-holding councils (Kent RP, Cambridgeshire), or one council per area (KRS).
    ``names`` maps the scheme's area ids to their names."""
    areas = sorted(names)
    if scheme_id == "kent_krs":
        # The twelve councils refer and receive (KRS opening paragraphs); one joins in spring.
        councils = [_council(a, names[a], stock=False) for a in areas]
        rng.shuffle(councils)
        return Layout(tuple(councils[:-1]), ((date(year, 3, 3), councils[-1]),))
    providers = 8 if scheme_id == "kent_rp" else 4
    shuffled = list(areas)
    rng.shuffle(shuffled)
    housing = []
    for number in range(1, providers + 1):
        # Providers' first areas are spread over the scheme's areas; their others are drawn.
        first = shuffled[(number - 1) % len(shuffled)]
        others = rng.sample([a for a in areas if a != first], rng.choice((1, 1, 2)))
        housing.append(_housing(number, sorted({first, *others})))
    council_areas = rng.sample(areas, 2 if scheme_id == "kent_rp" else len(areas))
    councils = [_council(a, names[a], stock=True) for a in sorted(council_areas)]
    founders = [*housing[:-2], *councils]
    late = ((date(year, 4, 1), housing[-2]), (date(year, 6, 2), housing[-1]))
    return Layout(tuple(founders), late)


class Flaw:
    """How an invented referral falls short, if it does."""

    NONE = "none"
    INELIGIBLE = "ineligible"
    MISSING_FACT = "missing_fact"


@attrs.frozen
class Household:
    """One invented household and the referral made for it."""

    number: int
    referral: dict[str, Any]
    flaw: str
    #: How the household and the partners will behave (drawn once, so the year is reproducible).
    accepts_first_offer: bool
    withdraws_after_days: int | None


def _members(rng: random.Random) -> list[dict[str, Any]]:
    applicant_sex = "female" if rng.random() < 0.82 else "male"
    members = [{"relationship": "applicant", "age": rng.randint(19, 58), "sex": applicant_sex}]
    oldest = min(members[0]["age"] - 16, 17)
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3)) if oldest > 0 else 0):
        members.append({"relationship": "child", "age": rng.randint(0, oldest), "sex": rng.choice(("female", "male"))})
    return members


def _risk(rng: random.Random, referred_on: date, harm: list[str], assessor: str) -> dict[str, Any]:
    dash = rng.randint(9, 22)
    return {"assessed_by": assessor, "assessed_on": (referred_on - timedelta(days=rng.randint(3, 21))).isoformat(),
            "at_risk": True, "harm_types": harm, "dash_score": dash, "marac_referral": dash >= 14}


def _areas(rng: random.Random, areas: Sequence[str], current: str, wanted: int) -> tuple[list[str], list[str]]:
    """Unsafe areas (always the current one, sometimes a neighbour) and requested areas."""
    others = [a for a in sorted(areas) if a != current]
    unsafe = [current, *rng.sample(others, rng.choice((0, 0, 1)))]
    safe = [a for a in others if a not in unsafe]
    return unsafe, sorted(rng.sample(safe, min(wanted, len(safe))))


def _tenancy(nominator: Partner, bedrooms: int, rng: random.Random) -> dict[str, Any]:
    kind = "secure" if nominator.kind.value == "local_authority" else "assured"
    return {"type": kind, "joint": rng.random() < 0.2, "landlord": nominator.id, "bedrooms": bedrooms}


def invent_household(scheme_id: str, number: int, referred_on: date, nominator: Partner,
                     areas: Sequence[str], rng: random.Random) -> Household:
    """A referral for scheme ``scheme_id`` shaped like the scheme's example referral."""
    members = _members(rng)
    roll = rng.random()
    flaw = Flaw.INELIGIBLE if roll < 0.08 else Flaw.MISSING_FACT if roll < 0.13 else Flaw.NONE
    harm = ["domestic_abuse", *rng.sample(["stalking", "sexual_violence", "honour_based_violence"],
                                          rng.choice((0, 0, 1)))]
    reference = {"kent_rp": "KRP", "kent_krs": "KRS", "cambridgeshire": "CAM"}[scheme_id]
    referral: dict[str, Any] = {
        "id": f"{reference}-{referred_on.year}-{number:03d}", "scheme": scheme_id,
        "referred_on": referred_on.isoformat(), "nominating_partner": nominator.model_dump(mode="json"),
        "subject_role": "survivor", "household": {"members": members},
    }
    bedrooms = max(1, min(4, len(members) - rng.choice((0, 1))))
    if scheme_id == "kent_rp":  # examples/kent_rp_referral.json
        current = rng.choice(sorted(areas_of(nominator)))
        unsafe, requested = _areas(rng, areas, current, rng.choice((2, 3, 3)))
        urgent = rng.random() < 0.4
        referral |= {
            "tenure": "social_tenant", "tenancy": _tenancy(nominator, bedrooms, rng),
            "risk": _risk(rng, referred_on, harm, rng.choice(("idva", "idva", "da_professional"))),
            "homelessness": {"duty": "relief", "application_made": True} if urgent else {},
            "urgent": urgent, "current_area": current, "unsafe_areas": unsafe, "requested_areas": requested,
            "risk_too_great_to_remain": True, "own_stock_exhausted": True, "kent_home_choice_exhausted": True,
            "da_support": rng.random() < 0.85,
        }
        if flaw == Flaw.INELIGIBLE:  # a police assessment alone does not qualify (MoU §3.2)
            referral["risk"]["assessed_by"] = "police"
        elif flaw == Flaw.MISSING_FACT:
            del referral["kent_home_choice_exhausted"]
    elif scheme_id == "kent_krs":  # examples/kent_krs_referral.yaml
        current = nominator.authority_area
        assert current is not None
        unsafe, requested = _areas(rng, areas, current, rng.choice((1, 2, 2)))
        outside = rng.random() < 0.15
        referral |= {
            "tenure": rng.choice(("private_rented", "temporary_accommodation", "private_rented")),
            "risk": _risk(rng, referred_on, ["harm_outside_home"] if outside else harm,
                          rng.choice(("police", "idva", "da_professional"))),
            "homelessness": {"duty": rng.choice(("prevention", "relief", "relief", "main")), "application_made": True},
            "urgent": rng.random() < 0.6, "current_area": current, "unsafe_areas": unsafe, "requested_areas": requested,
        }
        if outside:
            referral |= {"corroborated_by_inquiries": True, "unsafe_where_local_connection": True}
        else:
            referral["risk_too_great_to_remain"] = True
        if flaw == Flaw.INELIGIBLE:  # no homelessness duty accepted (point 7, first limb)
            referral["homelessness"] = {"duty": "none", "application_made": True}
        elif flaw == Flaw.MISSING_FACT:
            referral.pop("risk_too_great_to_remain", None)
            referral.pop("corroborated_by_inquiries", None)
    else:  # examples/cambridgeshire_referral.yaml
        current = rng.choice(sorted(areas_of(nominator)))
        unsafe, requested = _areas(rng, areas, current, rng.choice((1, 2, 2)))
        referral |= {
            "tenure": "social_tenant", "tenancy": _tenancy(nominator, bedrooms, rng),
            "risk": _risk(rng, referred_on, harm, rng.choice(("idva", "idva", "da_professional"))),
            "current_area": current, "unsafe_areas": unsafe, "requested_areas": requested,
            "own_stock_exhausted": True, "da_support": rng.random() < 0.9,
        }
        if flaw == Flaw.INELIGIBLE:  # the landlord can still manage the risk in its own homes (§1)
            referral["own_stock_exhausted"] = False
        elif flaw == Flaw.MISSING_FACT:
            del referral["own_stock_exhausted"]
    withdraws = rng.randint(20, 120) if rng.random() < 0.06 else None
    return Household(number, referral, flaw, accepts_first_offer=rng.random() < 0.7, withdraws_after_days=withdraws)


def completed(household: Household, referred_on: date) -> dict[str, Any]:
    """The household's referral sent again with the missing fact supplied."""
    referral = dict(household.referral)
    referral |= {"id": referral["id"] + "-R", "referred_on": referred_on.isoformat()}
    scheme_id = referral["scheme"]
    if scheme_id == "kent_rp":
        referral["kent_home_choice_exhausted"] = True
    elif scheme_id == "kent_krs":
        if referral["risk"]["harm_types"] == ["harm_outside_home"]:
            referral["corroborated_by_inquiries"] = True
        else:
            referral["risk_too_great_to_remain"] = True
    else:
        referral["own_stock_exhausted"] = True
    return referral


def invent_offer(scheme_id: str, number: int, made_on: date, landlord: Partner, area: str, bedrooms: int,
                 *, referring: str | None = None, via_bid: bool = True) -> dict[str, Any]:
    """An offer shaped like the scheme's example offer (``examples/offers/``)."""
    council = landlord.kind.value == "local_authority"
    offer: dict[str, Any] = {
        "id": f"OFF-{made_on.year}-{number:03d}", "made_on": made_on.isoformat(), "area": area,
        "bedrooms": bedrooms, "tenancy_type": "secure" if council else "assured", "joint": False,
        "landlord": landlord.model_dump(mode="json"),
    }
    if scheme_id == "kent_krs":  # the referring council's written final Part 6 offer (points 4, 12)
        offer |= {"via": "bid" if via_bid else "direct_let", "highest_band": True,
                  "final_offer": {"made_by": referring, "in_writing": True, "stated_final": True,
                                  "refusal_consequences_explained": True, "review_right_explained": True}}
    return offer
