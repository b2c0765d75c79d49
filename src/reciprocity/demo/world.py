"""The invented world a demonstration year runs in: partners, households and homes.

Everything here is made up from a seeded :class:`random.Random`: partner landlords are called
"Example Housing 1 (invented)", "Example Council for <area> (invented)" and so on, households are
ages and sexes only, and no name, address or tenancy reference appears anywhere. A referral
carries what every referral has (the nominating partner, the household) and the scheme's own
fields: its ``referral`` hint's (shaped like its referral form), or, without one, fields found
by trial to satisfy its rules (:mod:`reciprocity.demo.referrals`). A few are made ineligible, or
leave out a fact, the way real referrals do.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from reciprocity.demo.hints import OfferDraft, ReferralDraft, SimulationHints
from reciprocity.demo.referrals import complete_fields, ineligible_changes, leave_out
from reciprocity.model import Partner

__all__ = ["Flaw", "Household", "Layout", "completed", "invent_household", "invent_offer", "layout"]

#: When partners that did not found the scheme join: councils (a council-only scheme), providers.
_LATE_COUNCIL = (3, 3)
_LATE_PROVIDERS = ((4, 1), (6, 2))


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


def layout(names: Mapping[str, str], rng: random.Random, year: int, *, providers: int,
           councils: int | None) -> Layout:
    """The scheme's invented partners. ``names`` maps the scheme's area ids to their names.

    With ``providers`` registered providers: each holds homes in two or three areas (their first
    areas spread over the scheme's), ``councils`` councils (default one per area) hold stock,
    and the last two providers join in spring. With none: one council per area, holding no
    stock of its own, one of them joining in March.
    """
    areas = sorted(names)
    if providers == 0:
        every = [_council(a, names[a], stock=False) for a in areas]
        rng.shuffle(every)
        if len(every) < 2:
            return Layout(tuple(every), ())
        return Layout(tuple(every[:-1]), ((date(year, *_LATE_COUNCIL), every[-1]),))
    shuffled = list(areas)
    rng.shuffle(shuffled)
    housing = []
    for number in range(1, providers + 1):
        first = shuffled[(number - 1) % len(shuffled)]
        others = [a for a in areas if a != first]
        chosen = rng.sample(others, min(rng.choice((1, 1, 2)), len(others)))
        housing.append(_housing(number, sorted({first, *chosen})))
    council_areas = rng.sample(areas, min(len(areas) if councils is None else councils, len(areas)))
    stock_councils = [_council(a, names[a], stock=True) for a in sorted(council_areas)]
    joining = min(len(_LATE_PROVIDERS), providers - 1)
    founders = [*housing[:providers - joining], *stock_councils]
    late = tuple((date(year, *on), partner)
                 for on, partner in zip(_LATE_PROVIDERS, housing[providers - joining:], strict=False))
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
    #: The fields a referral missing a fact left out, with their values (sent again later).
    left_out: Mapping[str, Any] = attrs.field(factory=dict)


def _members(rng: random.Random) -> list[dict[str, Any]]:
    applicant_sex = "female" if rng.random() < 0.82 else "male"
    members = [{"relationship": "applicant", "age": rng.randint(19, 58), "sex": applicant_sex}]
    oldest = min(members[0]["age"] - 16, 17)
    for _ in range(rng.choice((0, 1, 1, 2, 2, 3)) if oldest > 0 else 0):
        members.append({"relationship": "child", "age": rng.randint(0, oldest), "sex": rng.choice(("female", "male"))})
    return members


def _set(referral: dict[str, Any], path: str, value: Any) -> None:
    """Give the field at dotted ``path`` of ``referral`` the value ``value`` (a copy of it)."""
    *parents, name = path.split(".")
    place = referral
    for part in parents:
        place = place.setdefault(part, {})
    place[name] = copy.deepcopy(value)


def invent_household(scheme_id: str, hints: SimulationHints, number: int, referred_on: date, nominator: Partner,
                     areas: Sequence[str], rng: random.Random) -> Household:
    """A referral to ``scheme_id`` made by ``nominator``, and how its household will behave."""
    members = _members(rng)
    roll = rng.random()
    flaw = Flaw.INELIGIBLE if roll < 0.08 else Flaw.MISSING_FACT if roll < 0.13 else Flaw.NONE
    harm = ("domestic_abuse", *rng.sample(["stalking", "sexual_violence", "honour_based_violence"],
                                          rng.choice((0, 0, 1))))
    reference = hints.reference or scheme_id.upper()
    referral: dict[str, Any] = {
        "id": f"{reference}-{referred_on.year}-{number:03d}", "scheme": scheme_id,
        "referred_on": referred_on.isoformat(), "nominating_partner": nominator.model_dump(mode="json"),
        "subject_role": "survivor", "household": {"members": members},
    }
    bedrooms = max(1, min(4, len(members) - rng.choice((0, 1))))
    draft = ReferralDraft(rng=rng, number=number, referred_on=referred_on, nominator=nominator,
                          areas=tuple(sorted(areas)), harm=harm, bedrooms=bedrooms, referral=referral)
    if hints.referral is not None:
        referral |= hints.referral(draft)
    else:
        referral |= complete_fields(scheme_id, draft)
    left: dict[str, Any] = {}
    if flaw == Flaw.INELIGIBLE:
        changes = hints.ineligible if hints.ineligible is not None else ineligible_changes(scheme_id, referral)
        for path, value in changes.items():
            _set(referral, path, value)
        flaw = flaw if changes else Flaw.NONE
    elif flaw == Flaw.MISSING_FACT:
        names = hints.missing if hints.missing is not None else leave_out(scheme_id, referral)
        left = {name: referral.pop(name) for name in names if name in referral}
        flaw = flaw if left else Flaw.NONE
    withdraws = rng.randint(20, 120) if rng.random() < 0.06 else None
    return Household(number, referral, flaw, accepts_first_offer=rng.random() < 0.7, withdraws_after_days=withdraws,
                     left_out=left)


def completed(household: Household, referred_on: date) -> dict[str, Any]:
    """The household's referral sent again with the fields it left out supplied."""
    referral = dict(household.referral)
    referral |= {"id": referral["id"] + "-R", "referred_on": referred_on.isoformat()}
    referral |= household.left_out
    return referral


def invent_offer(number: int, made_on: date, landlord: Partner, area: str, bedrooms: int,
                 extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """An offer of one of ``landlord``'s homes, with the scheme's own fields ``extra``."""
    council = landlord.kind.value == "local_authority"
    offer: dict[str, Any] = {
        "id": f"OFF-{made_on.year}-{number:03d}", "made_on": made_on.isoformat(), "area": area,
        "bedrooms": bedrooms, "tenancy_type": "secure" if council else "assured", "joint": False,
        "landlord": landlord.model_dump(mode="json"),
    }
    return offer | dict(extra or {})


def offer_terms(hints: SimulationHints, rng: random.Random, made_on: date, landlord: str,
                nominator: str) -> dict[str, Any]:
    """The scheme's own fields of an offer about to be made (none without an ``offer`` hint)."""
    if hints.offer is None:
        return {}
    return hints.offer(OfferDraft(rng=rng, made_on=made_on, landlord=landlord, nominator=nominator))
