"""How secure each tenancy type is, as a dated scale, and the no-downgrade comparison.

The schemes promise a household moved for its safety keeps its security of tenure (Kent RP
MoU §4.5, §5.2), while warning that "like for like cannot be guaranteed, especially for
protected tenancies" (§4.5). This module gives the comparison three answers: the offered
tenancy is as secure or more; it is a downgrade (with the reason); or like for like cannot
be guaranteed, which is for the named leads to look at, not for the library to pass or fail.

Security is compared on one scale across both sectors, by what the tenancy gives the tenant:

====  ==============================  ===========================================
rank  council (Housing Act 1985/1996)  registered provider (Housing Act 1988)
====  ==============================  ===========================================
3     secure (lifetime)               assured (lifetime, periodic)
2     flexible (fixed term)           fixed-term assured
1     introductory (trial)            assured shorthold, including starter
0     demoted (court order)           --
====  ==============================  ===========================================

A pre-15 January 1989 secure tenancy with a fair rent (``secure_fair_rent``, "protected")
carries rights no new tenancy can be granted with, so moving from one to a lifetime tenancy
(the same rank) is "like for like cannot be guaranteed"; moving from one to anything less
secure is a downgrade, refused as for any other tenancy (§5.2). For the same reason it is never a tenancy a landlord
can offer: such a tenancy can only be held from before 15 January 1989 (Housing Act 1988
s.35 ends new ones, save narrow exceptions such as a new grant by the same landlord, which a
move to another landlord does not meet), so a move grants the household a tenancy of another
type. The scale lists the types no landlord can newly grant, and :func:`grantable` answers
whether an offered type is one a landlord can grant now. The scale is a dated value: a
change of law (say, the Renters' Rights Act ending assured shorthold tenancies for registered providers, whose
commencement date is not yet confirmed) is added as a new dated scale, never an edit.
Sole or joint does not change a tenancy's security: a survivor leaving a joint tenancy is
offered a sole tenancy of a type at least as secure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum

import attrs

from reciprocity.model.enums import TenancyType
from reciprocity.rules.rule import Parameter

__all__ = [
    "ENGLAND_SECURITY",
    "NOT_GUARANTEED_FROM",
    "SecurityComparison",
    "SecurityResult",
    "SecurityScale",
    "NOT_GRANTABLE",
    "compare_security",
    "grantable",
]


@attrs.frozen
class SecurityScale:
    """Ranks of tenancy types (higher is more secure), the types that cannot be matched, and
    the types that cannot be newly granted.

    ``ranks`` must rank every type that can be offered or held; ``not_guaranteed`` lists types
    whose holders cannot be promised like for like by any other type; ``not_grantable`` lists
    ranked types a tenant may still hold but no landlord can grant now, so never offer.
    """

    ranks: Mapping[TenancyType, int] = attrs.field(converter=lambda m: dict(m))
    not_guaranteed: frozenset[TenancyType] = attrs.field(default=frozenset(), converter=frozenset)
    not_grantable: frozenset[TenancyType] = attrs.field(default=frozenset(), converter=frozenset)

    def __str__(self) -> str:
        ranked = ", ".join(f"{_words(t)} {r}" for t, r in sorted(self.ranks.items(), key=lambda i: (-i[1], i[0])))
        unmatched = ", ".join(sorted(_words(t) for t in self.not_guaranteed))
        ungrantable = ", ".join(sorted(_words(t) for t in self.not_grantable))
        return (f"{ranked}; cannot be matched like for like: {unmatched or 'none'}; "
                f"cannot be newly granted: {ungrantable or 'none'}")

    def rank(self, tenancy_type: TenancyType) -> int | None:
        """The type's rank, or None when this scale cannot grant or rank it."""
        return self.ranks.get(tenancy_type)

    def can_grant(self, tenancy_type: TenancyType) -> bool:
        """Whether a landlord can grant a new tenancy of this type under this scale.

        A type the scale does not rank (say, one a change of law abolished) cannot be granted
        either.
        """
        return tenancy_type in self.ranks and tenancy_type not in self.not_grantable


#: The types that cannot be matched like for like (Kent RP MoU §4.5: "protected tenancies").
NOT_GUARANTEED_FROM = frozenset({TenancyType.SECURE_FAIR_RENT})

#: The types a tenant may hold but no landlord can grant now: a fair-rent secure tenancy
#: exists only from before 15 January 1989 (Housing Act 1988 s.35), so it is never offered.
NOT_GRANTABLE = frozenset({TenancyType.SECURE_FAIR_RENT})

_RANKS_2026 = {
    TenancyType.SECURE: 3,
    TenancyType.ASSURED: 3,
    TenancyType.FLEXIBLE: 2,
    TenancyType.FIXED_TERM_ASSURED: 2,
    TenancyType.INTRODUCTORY: 1,
    TenancyType.ASSURED_SHORTHOLD: 1,
    TenancyType.DEMOTED: 0,
    TenancyType.SECURE_FAIR_RENT: 3,
}

#: Security of tenure in England as a dated parameter a scheme can adopt or override.
ENGLAND_SECURITY = Parameter(
    name="tenancy_security",
    label="security of tenure scale",
    description="How secure each tenancy type is (3 lifetime, 2 fixed term, 1 trial or shorthold, "
    "0 demoted); a protected (pre-1989 secure, fair rent) tenancy cannot be matched like for like, "
    "and cannot be newly granted, so it is never offered.",
    values=[(None, SecurityScale(_RANKS_2026, NOT_GUARANTEED_FROM, NOT_GRANTABLE))],
)


class SecurityResult(StrEnum):
    """The three answers of the no-downgrade comparison."""

    SAME_OR_BETTER = "same_or_better"
    DOWNGRADE = "downgrade"
    NOT_GUARANTEED = "not_guaranteed"  # like for like cannot be guaranteed: for the named leads


@attrs.frozen
class SecurityComparison:
    """The result of comparing an offered tenancy type with the current one, and why."""

    result: SecurityResult
    current: TenancyType
    offered: TenancyType
    reason: str


def compare_security(
    current: TenancyType, offered: TenancyType, *, on: date, scale: Parameter | SecurityScale = ENGLAND_SECURITY
) -> SecurityComparison:
    """Compare the offered tenancy type with the current one under the scale in force on ``on``.

    Raises LookupError when the scale has no value on ``on``, and ValueError when the scale
    does not rank a type (say, a type that can no longer be granted after a change of law).
    """
    rules: SecurityScale = scale if isinstance(scale, SecurityScale) else scale.value_on(on)[1]
    now, then = rules.rank(current), rules.rank(offered)
    for tenancy_type, rank in ((current, now), (offered, then)):
        if rank is None:
            raise ValueError(
                f"the security scale in force on {on.isoformat()} does not rank {_words(tenancy_type)} tenancies"
            )
    assert now is not None and then is not None  # noqa: S101 - narrowed by the loop above
    # Ranks first: an offer less secure than a protected tenancy is a plain downgrade (§5.2), not
    # a case for the named leads; only an offer of the same rank cannot be guaranteed like for like.
    if then >= now and current in rules.not_guaranteed and offered != current:
        return SecurityComparison(
            SecurityResult.NOT_GUARANTEED, current, offered,
            f"the current {_words(current)} tenancy carries rights a new {_words(offered)} tenancy cannot "
            "match; like for like cannot be guaranteed, so the named leads must consider the offer",
        )
    if then >= now:
        return SecurityComparison(
            SecurityResult.SAME_OR_BETTER, current, offered,
            f"{_a(offered)} tenancy is at least as secure as the current {_words(current)} tenancy",
        )
    return SecurityComparison(
        SecurityResult.DOWNGRADE, current, offered,
        f"{_a(offered)} tenancy is less secure than the current {_words(current)} tenancy",
    )


def grantable(
    offered: TenancyType, *, on: date, scale: Parameter | SecurityScale = ENGLAND_SECURITY
) -> bool:
    """Whether a landlord can grant a new tenancy of the offered type under the scale in force on ``on``.

    Raises LookupError when the scale has no value on ``on``.
    """
    rules: SecurityScale = scale if isinstance(scale, SecurityScale) else scale.value_on(on)[1]
    return rules.can_grant(offered)


def _a(tenancy_type: TenancyType) -> str:
    words = _words(tenancy_type)
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def _words(tenancy_type: TenancyType) -> str:
    return str(tenancy_type.value).replace("_", " ")
