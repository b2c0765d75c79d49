"""Bedrooms a household needs under a named size standard; SizeStandard gives the readings."""

from __future__ import annotations

from collections import Counter
from enum import StrEnum
from functools import lru_cache
from itertools import product
from typing import NamedTuple

from reciprocity.model.enums import Relationship, Sex
from reciprocity.model.household import Household, Member
from reciprocity.rules.logic import MISSING, Missing

__all__ = ["SizeStandard", "bedroom_need"]

#: Children younger than this may share with any other child younger than this, whatever their sex.
_ANY_SEX_BELOW = 10


class SizeStandard(StrEnum):
    """The size standard a scheme names for "an equal size property" (Cambridgeshire MoU).

    Both standards give the applicant and the applicant's partner one bedroom, put at most
    two people in a bedroom, and are read as the *fewest* bedrooms that house everyone
    within their sharing rules (a maximum matching over the pairs who may share).

    ``SOCIAL_SECTOR_SIZE_CRITERIA``
        One bedroom for the couple, one for each other person aged 16 or over; children under
        16 may share in pairs of the same sex, and children under 10 in any pair. One bedroom
        in total for non-resident overnight carers (``Relationship.CARER``), however many are
        listed: they stay on different nights, as the criteria's single extra carer's room
        assumes. A carer never shares with a household member.
    ``BEDROOM_STANDARD``
        One bedroom for the couple, one for each other person aged 21 or over; people aged
        10 to 20 may share in pairs of the same sex or with a child under 10 of the same sex,
        and children under 10 in any pair. The standard counts only the people who live in
        the home, so carers (non-resident) are left out: they add no bedroom. A scheme that
        owes a carer a room should name the social sector size criteria.
    """

    SOCIAL_SECTOR_SIZE_CRITERIA = "social_sector_size_criteria"
    BEDROOM_STANDARD = "bedroom_standard"

    @property
    def own_room_from(self) -> int:
        """The age from which a person (other than the couple) always has a bedroom alone."""
        return 16 if self is SizeStandard.SOCIAL_SECTOR_SIZE_CRITERIA else 21

    @property
    def carer_rooms(self) -> int:
        """Bedrooms added when the household lists at least one carer."""
        return 1 if self is SizeStandard.SOCIAL_SECTOR_SIZE_CRITERIA else 0


class _Sharer(NamedTuple):
    """What decides whether someone young enough to share may share with another: age band, sex."""

    under_ten: bool
    sex: Sex


def _may_share(a: _Sharer, b: _Sharer) -> bool:
    """Two people below the own-room age may share if both are under 10 or both are one sex."""
    return (a.under_ten and b.under_ten) or a.sex is b.sex


#: A multiset of sharers, as (kind, how many) sorted by kind, every count at least one.
_Pool = tuple[tuple[_Sharer, int], ...]


def _without(pool: _Pool, kind: _Sharer) -> _Pool:
    """The pool with one person of ``kind`` taken out."""
    return tuple(
        (k, n - 1 if k == kind else n) for k, n in pool if not (k == kind and n == 1)
    )


@lru_cache(maxsize=4096)
def _most_pairs(pool: _Pool) -> int:
    """The size of a maximum matching over the pairs in ``pool`` who may share.

    An exact search: the first person either sleeps alone or shares with someone of a kind
    they may share with. People of one kind are interchangeable, so the search runs over
    counts of each kind (at most four kinds) rather than over people, and stays small.
    """
    if not pool:
        return 0
    first = pool[0][0]
    rest = _without(pool, first)
    best = _most_pairs(rest)
    for other, _ in rest:
        if _may_share(first, other):
            best = max(best, 1 + _most_pairs(_without(rest, other)))
    return best


def _pool_rooms(people: Counter[_Sharer]) -> int:
    """The fewest bedrooms for ``people``, at most two to a room, pairs only if they may share."""
    pool: _Pool = tuple(sorted(people.items()))
    return sum(people.values()) - _most_pairs(pool)


def bedroom_need(household: Household, standard: SizeStandard) -> int | Missing:
    """The fewest bedrooms ``household`` needs under ``standard``, or ``MISSING``.

    The applicant and the applicant's partner (``Relationship.PARTNER``) are the only couple:
    one bedroom, whatever their ages. Everyone else, other relatives and an applicant with no
    partner included, is counted on their own by age and sex, so an adult child and their
    partner need two bedrooms. Anyone at or over the standard's own-room age (16 for the
    social sector size criteria, 21 for the bedroom standard) has a bedroom alone; everyone
    younger is paired by a maximum matching over the pairs the standard lets share (see
    :class:`SizeStandard`), and anyone left unpaired has a bedroom alone. Carers add one
    bedroom in total under the social sector size criteria and none under the bedroom
    standard.

    The answer never reads the pairing off in a fixed order. The bedroom standard's usual
    wording pairs children under 10 first and then pairs an unpaired 10 to 20 year old with
    an unpaired same-sex child under 10; for a boy of 12, a girl of 13, a boy of 5 and a girl
    of 6 that order gives three bedrooms where two suffice (12 with 5, 13 with 6). This
    function gives two: the minimum, which is what the standard is taken to measure.

    A member whose sex is not given is tried as each sex. If every assignment of sexes to the
    people below the own-room age whose sex is unknown gives the same number, that number is
    the answer; otherwise the answer depends on facts nobody supplied and is ``MISSING``. An
    unknown sex of the couple, a carer or anyone at or over the own-room age never matters.
    An unknown age matters for everyone but the couple and carers: the answer is then
    ``MISSING``.
    """
    standard = SizeStandard(standard)
    rooms = 0
    known: Counter[_Sharer] = Counter()
    unknown: Counter[bool] = Counter()  # under_ten -> how many of unknown sex
    has_partner = any(m.relationship is Relationship.PARTNER for m in household.members)
    if has_partner:
        rooms += 1
    if any(m.relationship is Relationship.CARER for m in household.members):
        rooms += standard.carer_rooms
    for member in household.members:
        if _is_couple(member, has_partner) or member.relationship is Relationship.CARER:
            continue
        if member.age is None:  # whether they have a room alone or may share turns on it
            return MISSING
        if member.age >= standard.own_room_from:
            rooms += 1
        elif member.sex is None:
            unknown[member.age < _ANY_SEX_BELOW] += 1
        else:
            known[_Sharer(member.age < _ANY_SEX_BELOW, member.sex)] += 1
    answers = {rooms + _pool_rooms(people) for people in _assignments(known, unknown)}
    if len(answers) == 1:
        return answers.pop()
    return MISSING


def _is_couple(member: Member, has_partner: bool) -> bool:
    """Whether ``member`` is one of the couple: the partner, or the applicant when there is one."""
    return member.relationship is Relationship.PARTNER or (
        has_partner and member.relationship is Relationship.APPLICANT
    )


def _assignments(known: Counter[_Sharer], unknown: Counter[bool]) -> list[Counter[_Sharer]]:
    """Every way the people of unknown sex could be male or female, up to interchangeability.

    People in one age band are interchangeable, so trying how many in each band are male
    covers every assignment of sexes to them.
    """
    bands = sorted(unknown)
    ways: list[Counter[_Sharer]] = []
    for males in product(*(range(unknown[band] + 1) for band in bands)):
        people = Counter(known)
        for band, male in zip(bands, males, strict=True):
            people[_Sharer(band, Sex.MALE)] += male
            people[_Sharer(band, Sex.FEMALE)] += unknown[band] - male
        ways.append(+people)
    return ways
