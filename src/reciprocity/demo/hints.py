"""What a scheme may tell the demonstration about playing a year of it: optional hints.

A scheme passes a :class:`SimulationHints` to ``Scheme(..., simulation=SimulationHints(...))``.
Every field is optional. A scheme that gives no hints still plays: the year is read off what it
declares (its areas, its process, its partnership and its rules, see :mod:`reciprocity.demo`);
hints make the invented referrals and offers look like the scheme's own forms, and say what the
process alone cannot (how many landlords to invent, which events a case goes through before
its request circulates).

This module imports nothing heavy, so a scheme package may import it when it is loaded::

    from reciprocity.demo import SimulationHints, Stage

    SIMULATION = SimulationHints(reference="EXA", providers=6, missing=("own_stock_exhausted",),
                                 ineligible={"risk.assessed_by": "police"},
                                 preparation=(Stage(("sign_off",), days=(1, 2)),))
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

import attrs

if TYPE_CHECKING:
    from reciprocity.model import Partner

__all__ = ["CASE_KINDS", "CaseKind", "OfferDraft", "ReferralDraft", "SimulationHints", "Stage"]

#: How a case goes once its request is out: ``circulated``, partners the request reaches answer and
#: one that can help offers a home; ``receiving``, a partner that can help is sent the case's
#: information, gives final acceptance and the nominating partner makes the offer of the home found.
CaseKind = Literal["circulated", "receiving"]
CASE_KINDS: tuple[str, ...] = ("circulated", "receiving")


def _days(value: Sequence[int]) -> tuple[int, int]:
    low, high = value
    if not 0 <= low <= high:
        raise ValueError(f"days must be (low, high) with 0 <= low <= high, not {tuple(value)!r}")
    return int(low), int(high)


@attrs.frozen
class Stage:
    """Events a case records together, a few working days after its previous step: for example a
    named lead's approval between the case's acceptance and the first circulation."""

    events: tuple[str, ...] = attrs.field(converter=tuple)
    #: The working days after the previous step: drawn from ``low`` to ``high`` inclusive.
    days: tuple[int, int] = attrs.field(default=(1, 3), converter=_days)


@attrs.frozen(kw_only=True)
class ReferralDraft:
    """What the demonstration has drawn for one invented referral, given to a scheme's
    ``referral`` hint. ``referral`` holds the fields every referral has (id, scheme, date, the
    nominating partner, the household); the hint returns the scheme's own fields.

    The helpers draw from ``rng`` in the order they are called, so the year stays reproducible.
    """

    rng: random.Random
    number: int
    referred_on: date
    nominator: Partner
    #: The scheme's area ids, sorted.
    areas: tuple[str, ...]
    #: Harm types drawn for the household: domestic abuse, sometimes one more.
    harm: tuple[str, ...]
    #: Bedrooms of the household's home now.
    bedrooms: int
    referral: Mapping[str, Any]

    def nominator_area(self) -> str:
        """One of the areas where the nominating partner holds homes (or is the council)."""
        from reciprocity.lifecycle.circulation import areas_of  # noqa: PLC0415 - keeps this module light

        return self.rng.choice(sorted(areas_of(self.nominator)))

    def places(self, current: str, wanted: int) -> tuple[list[str], list[str]]:
        """Unsafe areas (always ``current``, sometimes a neighbour) and up to ``wanted`` requested
        areas among the safe ones."""
        others = [a for a in self.areas if a != current]
        unsafe = [current, *self.rng.sample(others, min(self.rng.choice((0, 0, 1)), len(others)))]
        safe = [a for a in others if a not in unsafe]
        return unsafe, sorted(self.rng.sample(safe, min(wanted, len(safe))))

    def tenancy(self) -> dict[str, Any]:
        """The tenancy the household holds with the nominating partner (secure with a council)."""
        kind = "secure" if self.nominator.kind.value == "local_authority" else "assured"
        return {"type": kind, "joint": self.rng.random() < 0.2, "landlord": self.nominator.id,
                "bedrooms": self.bedrooms}

    def risk(self, assessors: Sequence[str], harm: Sequence[str] | None = None) -> dict[str, Any]:
        """A risk assessment made by one of ``assessors`` a few days before the referral, finding
        the household at risk of ``harm`` (default: the harm drawn)."""
        assessor = self.rng.choice(tuple(assessors))
        dash = self.rng.randint(9, 22)
        assessed_on = self.referred_on - timedelta(days=self.rng.randint(3, 21))
        return {"assessed_by": assessor, "assessed_on": assessed_on.isoformat(), "at_risk": True,
                "harm_types": list(self.harm if harm is None else harm), "dash_score": dash,
                "marac_referral": dash >= 14}


@attrs.frozen(kw_only=True)
class OfferDraft:
    """What the demonstration knows when a home is about to be offered, given to a scheme's
    ``offer`` hint (which returns the scheme's own fields of the offer)."""

    rng: random.Random
    made_on: date
    #: The partner whose home it is, and the case's nominating partner.
    landlord: str
    nominator: str


@attrs.frozen(kw_only=True)
class SimulationHints:
    """Optional hints for playing a year of a scheme (``reciprocity demo``,
    :func:`reciprocity.demo.simulate`, :func:`reciprocity.testing.case_event_sequences`).

    Without them the demonstration invents a referral from the core's facts and keeps one its
    rules find eligible, finds by trial what makes one ineligible or incomplete, invents four
    registered providers and a council per area (a council per area only, when requests go to
    every safe area), and takes the process's shortest way from acceptance to circulation.
    """

    #: The start of invented referral ids (``"EXA"`` gives ``EXA-2025-001``); default: the
    #: scheme id in capitals.
    reference: str | None = None
    #: The scheme's fields of an eligible referral, shaped like its referral form: a function of
    #: a :class:`ReferralDraft` returning a JSON-like dict merged into the draft's ``referral``.
    referral: Callable[[ReferralDraft], dict[str, Any]] | None = None
    #: What makes such a referral ineligible: dotted field paths and the values to give them
    #: (``{"risk.assessed_by": "police"}``). Default: found by trial against the rules.
    ineligible: Mapping[str, Any] | None = None
    #: Top-level fields left out of a referral that misses a fact (each one present is left out;
    #: the referral sent again has them back). Default: found by trial against the rules.
    missing: tuple[str, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(tuple))
    #: The scheme's own fields of an offered home: a function of an :class:`OfferDraft`
    #: returning a dict merged into the offer (the home's area, size and landlord are given).
    offer: Callable[[OfferDraft], dict[str, Any]] | None = None
    #: How many registered providers to invent; 0 invents only councils, one per area, which
    #: hold no stock of their own (the requests go to the councils).
    providers: int | None = attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.ge(0)))
    #: How many councils holding stock to invent next to the providers (default: one per area).
    councils: int | None = attrs.field(default=None, validator=attrs.validators.optional(attrs.validators.ge(0)))
    #: What a case records between its acceptance and its first circulation (default: the
    #: process's shortest way there, as one stage).
    preparation: tuple[Stage, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(tuple))
    #: The role that records an event where its step allows several (event -> role). Default:
    #: the step's one role, or the role the acting organisation last recorded on the case.
    roles: Mapping[str, str] = attrs.field(factory=dict)
    #: How a case goes once its request is out (:data:`CaseKind`). Default: ``receiving`` when
    #: the process has a ``final_acceptance`` step, otherwise ``circulated``.
    case_kind: CaseKind | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.in_(CASE_KINDS)))


#: The hints of a scheme that gives none.
NO_HINTS = SimulationHints()
