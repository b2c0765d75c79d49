"""What a scheme declares about its partnership (``Scheme.partnership``).

The texts differ: the Kent RP MoU has a data sharing protocol to sign (§2.2), a month's notice
to withdraw (§2.4, §5.5), a named lead whose change is notified within seven days (§6.1),
arbitration (§4.7) and a count of owed and awarded homes (§4.6). The KRS statement keeps only
counts of referrals made and received (point 15). The Cambridgeshire draft owes an equal-size
home (its preamble). Each scheme says which of these it has, with the clauses; an empty
clause tuple means the text has no such rule and the library applies none.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

import attrs

from reciprocity.rules.rule import Clause, cite_all

__all__ = ["LedgerKind", "Partnership", "partnership_of"]


class LedgerKind(StrEnum):
    """What the coordinator counts when a household moves."""

    #: The nominating partner owes one home to the pool, the accepting partner is owed one.
    PROPERTIES = "properties"
    #: As PROPERTIES, kept separately for each size (bedrooms) of home.
    PROPERTIES_BY_SIZE = "properties_by_size"
    #: No debt: each partner's referrals made and received are counted.
    REFERRAL_COUNTS = "referral_counts"


def _clauses(value: Iterable[Clause]) -> tuple[Clause, ...]:
    return tuple(value)


@attrs.frozen
class Partnership:
    """A scheme's partnership rules, each with the clauses that make it (empty: no such rule)."""

    ledger: LedgerKind = attrs.field(converter=LedgerKind)
    ledger_clauses: tuple[Clause, ...] = attrs.field(converter=_clauses)
    #: The coordinator keeps the list of partners and where they hold homes, for all partners.
    register: tuple[Clause, ...] = attrs.field(converter=_clauses, default=())
    #: Joining requires signing the scheme's data sharing protocol.
    signatory_required: tuple[Clause, ...] = attrs.field(converter=_clauses, default=())
    #: Withdrawal takes effect one month after notice; no new nominations meanwhile.
    notice: tuple[Clause, ...] = attrs.field(converter=_clauses, default=())
    #: A change of named lead is notified within seven days.
    named_contact: tuple[Clause, ...] = attrs.field(converter=_clauses, default=())
    #: Debts survive withdrawal.
    debts_survive: tuple[Clause, ...] = attrs.field(converter=_clauses, default=())
    #: Arbitration when a partner that owes declines an applicant, and removal after a breach.
    arbitration: tuple[Clause, ...] = attrs.field(converter=_clauses, default=())

    @property
    def keeps_debts(self) -> bool:
        return self.ledger is not LedgerKind.REFERRAL_COUNTS

    @property
    def sized(self) -> bool:
        return self.ledger is LedgerKind.PROPERTIES_BY_SIZE

    def cite(self, what: str) -> str:
        """The citation of one of the fields above (``"ledger"`` for the ledger's clauses)."""
        clauses = self.ledger_clauses if what == "ledger" else getattr(self, what)
        return cite_all(clauses)


def partnership_of(scheme_id: str) -> Partnership:
    """The partnership a loaded scheme declares; ReciprocityError if it declares none."""
    from reciprocity.errors import ReciprocityError  # noqa: PLC0415
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    policy = get_scheme(scheme_id).partnership
    if policy is None:
        raise ReciprocityError(f"scheme {scheme_id} declares no partnership (no ledger or membership rules)")
    return policy  # type: ignore[no-any-return]
