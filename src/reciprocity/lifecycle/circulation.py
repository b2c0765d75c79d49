"""Who a request for a home may be sent to: partners with homes in a requested area, never
the nominating partner, never a partner in an area the case marks unsafe.

Kent RP MoU §4.2 (landlords with stock in the requested area) and the process's Request
stage; KRS points 8 and 9 (only the councils the referring council judges safe); Kent RP MoU
§5.5 (a partner in its notice period still receives requests: notice stops only its own new
nominations).

A partner with homes both in a requested area and in an area the case marks unsafe is NOT
sent the request (the safe choice): staff or systems in the unsafe area could see it. The
offer rules would refuse a home in the unsafe area anyway, but a request that never reaches
the unsafe area cannot leak there. Recording the circulation re-checks this from the record
itself (the guards in :mod:`reciprocity.lifecycle.guards`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

import attrs

from reciprocity.model import MembershipStatus, Partner, Referral

__all__ = ["Circulation", "Excluded", "Reason", "areas_of", "recipients"]


class Reason(StrEnum):
    """Why a partner is not sent a request."""

    NOMINATOR = "nominating_partner"
    UNSAFE_AREA = "in_unsafe_area"
    HOMES_IN_UNSAFE_AREA = "has_homes_in_an_unsafe_area"
    NO_HOMES_IN_REQUESTED_AREA = "no_homes_in_a_requested_area"
    NOT_A_MEMBER = "not_a_member_on_the_date"
    MEMBERSHIP_UNKNOWN = "membership_unknown"


@attrs.frozen
class Excluded:
    partner: str
    reason: Reason


@attrs.frozen
class Circulation:
    """The partners a request goes to, and why each other partner does not get it."""

    on: date
    recipients: tuple[str, ...]
    excluded: tuple[Excluded, ...]


_RECEIVES = frozenset({MembershipStatus.ACTIVE, MembershipStatus.NOTICE_GIVEN})


def areas_of(partner: Partner) -> frozenset[str]:
    areas = set(partner.stock_areas)
    if partner.authority_area is not None:
        areas.add(partner.authority_area)
    return frozenset(areas)


def recipients(
    referral: Referral,
    partners: Iterable[Partner],
    *,
    on: date,
    unsafe_areas: Iterable[str] | None = None,
    areas: Iterable[str] | None = None,
) -> Circulation:
    """The partners the request of ``referral`` may be sent to on ``on``.

    ``unsafe_areas`` overrides the referral's (as a case records them later, KRS point 8);
    ``areas`` overrides the requested areas as the areas sought (KRS point 9: every safe council).
    Raises ValueError when the unsafe areas are not known: a request is never circulated
    without them (an empty list means "none").
    """
    unsafe = frozenset(unsafe_areas) if unsafe_areas is not None else referral.unsafe_areas
    if unsafe is None:
        raise ValueError("the case's unsafe areas are not recorded; record them (an empty list if none) first")
    unsafe = frozenset(unsafe)
    requested = frozenset(areas if areas is not None else referral.requested_areas or ()) - unsafe
    nominator = referral.nominating_partner.id
    sent: list[str] = []
    excluded: list[Excluded] = []
    for partner in sorted(partners, key=lambda p: p.id):
        areas = areas_of(partner)
        status = None if partner.membership is None else partner.membership.status_on(on)
        if partner.id == nominator:
            reason: Reason | None = Reason.NOMINATOR
        elif partner.authority_area is not None and partner.authority_area in unsafe:
            reason = Reason.UNSAFE_AREA
        elif not (areas & requested):
            reason = Reason.NO_HOMES_IN_REQUESTED_AREA
        elif areas & unsafe:
            reason = Reason.HOMES_IN_UNSAFE_AREA
        elif status is None:
            reason = Reason.MEMBERSHIP_UNKNOWN
        elif status not in _RECEIVES:
            reason = Reason.NOT_A_MEMBER
        else:
            reason = None
        if reason is None:
            sent.append(partner.id)
        else:
            excluded.append(Excluded(partner.id, reason))
    return Circulation(on=on, recipients=tuple(sent), excluded=tuple(excluded))
