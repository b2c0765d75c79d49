"""Obligations on a case: who holds each homelessness or tenancy duty, since when, and
whether it has ended.

A process declares the kinds it keeps as :class:`Duty` values with its own clauses; the core
works each out from the case's events:

``homelessness_application``  an urgent move needs a homelessness application alongside the
                              request (Kent RP MoU §3.3); held by the nominating landlord
                              until the referral records that one was made;
``homelessness_duty``         the referring council keeps the homelessness duty, including
                              interim or temporary accommodation, until it is lawfully ended,
                              unless the receiving council agrees to take it over (KRS points
                              6, 14); ended by the holder, with H-CLIC recorded;
``statutory_duty``            the local authority upholds its statutory duty of care, including
                              temporary accommodation, while the household waits for the move
                              (Cambridgeshire MoU §3); held by the originating partner when it
                              is a council, otherwise by the council of the current area;
``end_previous_tenancy``      on the move, the originating partner ends the previous tenancy
                              (Cambridgeshire MoU §3).
"""

from __future__ import annotations

from datetime import date

import attrs

from reciprocity.lifecycle.case import CaseState
from reciprocity.model import PartnerKind
from reciprocity.rules.rule import Clause, cite_all

__all__ = ["DUTY_KINDS", "Duty", "Obligation", "obligations"]

DUTY_KINDS = ("homelessness_application", "homelessness_duty", "statutory_duty", "end_previous_tenancy")


def _clauses(value: Clause | list[Clause] | tuple[Clause, ...]) -> tuple[Clause, ...]:
    return (value,) if isinstance(value, Clause) else tuple(value)


@attrs.frozen
class Duty:
    """A kind of obligation a process keeps, with the clauses that create it."""

    #: One of :data:`DUTY_KINDS`.
    kind: str = attrs.field(validator=attrs.validators.in_(DUTY_KINDS))
    #: The clauses of the scheme's text that create it.
    clauses: tuple[Clause, ...] = attrs.field(converter=_clauses)
    #: The obligation in a sentence, as a case's obligations show it.
    statement: str


@attrs.frozen
class Obligation:
    """One obligation on one case: who holds it, from when, and whether it has ended."""

    kind: str
    statement: str
    holder: str
    since: date
    ended_on: date | None
    citation: str

    @property
    def open(self) -> bool:
        return self.ended_on is None


def obligations(state: CaseState, duties: tuple[Duty, ...]) -> list[Obligation]:
    """The obligations ``duties`` put on the case as its events stand."""
    referral = state.referral
    if referral is None or state.referred_on is None:
        return []
    nominator = referral.nominating_partner
    out: list[Obligation] = []
    for duty in duties:
        cite = cite_all(duty.clauses)
        if duty.kind == "homelessness_application" and referral.urgent:
            made = referral.homelessness is not None and referral.homelessness.application_made
            out.append(Obligation(duty.kind, duty.statement, nominator.id, state.referred_on,
                                  state.referred_on if made else None, cite))
        elif duty.kind == "homelessness_duty":
            if state.duty_taken_over_by is not None and state.duty_taken_over_on is not None:
                # The referring council held it until the take-over; the receiver holds it since.
                out.append(Obligation(duty.kind, duty.statement, nominator.id, state.referred_on,
                                      state.duty_taken_over_on, cite))
                out.append(Obligation(duty.kind, duty.statement, state.duty_taken_over_by,
                                      state.duty_taken_over_on, state.duty_ended_on, cite))
            else:
                out.append(Obligation(duty.kind, duty.statement, nominator.id, state.referred_on,
                                      state.duty_ended_on, cite))
        elif duty.kind == "statutory_duty":
            if nominator.kind is PartnerKind.LOCAL_AUTHORITY:
                holder = nominator.id
            else:
                holder = f"council of {referral.current_area or 'the current area (not recorded)'}"
            # Under the MoU the duty is held "whilst awaiting a reciprocal move": it ends here on
            # the move. A closed case leaves the council's statutory duty as it was (still open).
            out.append(Obligation(duty.kind, duty.statement, holder, state.referred_on, state.moved_on, cite))
        elif duty.kind == "end_previous_tenancy" and state.moved_on is not None:
            out.append(Obligation(duty.kind, duty.statement, nominator.id, state.moved_on, state.tenancy_ended_on, cite))
    return out
