"""Deadlines: what falls due on a case, and what is overdue on a given date.

Every date is passed in; nothing here reads the clock. Working days are England and Wales
working days (:mod:`reciprocity.lifecycle.workdays`); months are calendar months.

Kinds of deadline a process can declare (``Process.deadlines`` maps a kind to its clauses):

``response``        partners answer a circulated request within two working days (Kent RP
                    process, Request stage: "ideally"), counted per round until each
                    recipient has answered or the case moves on (a recirculated request is a
                    new request: an answer to an earlier round does not answer it);
``recirculation``   a pending request is recirculated every 14 days until an offer;
``review``          three months after first circulation without an offer, the landlord tells
                    the coordinator, who asks for wider areas or closes (Kent RP MoU §4.3);
                    once the areas are extended, three months after the extension;
                    the months come from the scheme's ``review_after_months`` parameter;
``band_review``     the receiving council reviews the applicant's situation three months after
                    placing them in its highest band (KRS point 2).

Partner deadlines that are not about one case: a withdrawal takes effect one calendar month
after notice (Kent RP MoU §2.4 second, §5.5) and a change of named contact is notified within
seven days (Kent RP MoU §6.1): :func:`withdrawal_takes_effect`, :func:`named_contact_notice_due`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

import attrs
from dateutil.relativedelta import relativedelta

from reciprocity.lifecycle.case import CaseState
from reciprocity.lifecycle.workdays import WorkingDays, england_and_wales
from reciprocity.model.partner import NOTICE_PERIOD
from reciprocity.rules.rule import Clause, cite_all

__all__ = [
    "KINDS",
    "PARTNER_KINDS",
    "Deadline",
    "DueReport",
    "case_deadlines",
    "due",
    "named_contact_notice_due",
    "respond_by",
    "withdrawal_takes_effect",
]

RESPONSE_WORKING_DAYS = 2
RECIRCULATE_EVERY = timedelta(days=14)
BAND_REVIEW_MONTHS = 3
DEFAULT_REVIEW_MONTHS = 3
#: A change of named contact is notified within seven days (Kent RP MoU §6.1).
NAMED_CONTACT_DAYS = 7
KINDS = ("response", "recirculation", "review", "band_review")
#: Partner deadlines (declared by a scheme's partnership, not its process).
PARTNER_KINDS = ("withdrawal", "named_contact")


@attrs.frozen(order=True)
class Deadline:
    """One thing due on one date; ``case`` is the case id (coordinator-only), ``arc`` what
    partners know the case by."""

    due_on: date
    kind: str
    case: str
    arc: str | None
    what: str
    citation: str
    #: What ``case`` names: a case id, or a partner id for partner deadlines.
    about: str = "case"


@attrs.frozen
class DueReport:
    """What is overdue on ``on`` (due before it), due that day, and next due within the horizon."""

    on: date
    overdue: tuple[Deadline, ...]
    today: tuple[Deadline, ...]
    upcoming: tuple[Deadline, ...]


def respond_by(circulated_on: date, calendar: WorkingDays | None = None) -> date:
    """Two England and Wales working days after circulation (a request sent on Wednesday
    24 December 2025 is due an answer on Tuesday 30 December 2025)."""
    return (calendar or england_and_wales()).add(circulated_on, RESPONSE_WORKING_DAYS)


def withdrawal_takes_effect(notice_given_on: date) -> date:
    """One calendar month after notice (Kent RP MoU §2.4 (second), §5.5)."""
    return notice_given_on + NOTICE_PERIOD


def named_contact_notice_due(changed_on: date) -> date:
    """A change of named contact is notified within seven days (Kent RP MoU §6.1)."""
    return changed_on + timedelta(days=NAMED_CONTACT_DAYS)


_OPEN_FOR_OFFERS = frozenset({"circulating", "contacting"})


def case_deadlines(
    state: CaseState,
    declared: Mapping[str, tuple[Clause, ...]],
    *,
    review_months: int | Callable[[date], int] = DEFAULT_REVIEW_MONTHS,
) -> list[Deadline]:
    """The deadlines open on a case now, for the kinds its process declares.

    ``review_months``: the months before a review, or a function giving them for the date the
    wait started (the first circulation, or the last extension of the areas): a case waits as
    long as the rule in force when its wait began says.
    """
    out: list[Deadline] = []

    def add(kind: str, due_on: date, what: str) -> None:
        if kind in declared:
            out.append(Deadline(due_on, kind, state.case_id, state.arc, what, cite_all(declared[kind])))

    waiting = state.state in _OPEN_FOR_OFFERS
    if waiting and state.rounds:
        last = state.rounds[-1]
        answered = {partner for partner, _, when in state.responses if when >= last.on}
        pending = [p for p in last.recipients if p not in answered]
        if pending:
            add("response", last.respond_by,
                f"answers from {len(pending)} partner(s) to round {last.round} of the request")
        add("recirculation", last.on + RECIRCULATE_EVERY, f"recirculate the request (round {last.round + 1})")
        first = state.rounds[0].on
        extended = state.areas_extended_on is not None and state.areas_extended_on > first
        began = state.areas_extended_on if extended else first
        assert began is not None
        months = review_months(began) if callable(review_months) else review_months
        if extended:
            add("review", began + relativedelta(months=months),
                f"no suitable home {months} months after the areas were extended: extend again or close")
        else:
            add("review", began + relativedelta(months=months),
                f"no suitable home {months} months after first circulation: extend the areas or close")
    if state.band_placed_on is not None and state.band_reviewed_on is None and state.moved_on is None:
        add("band_review", state.band_placed_on + relativedelta(months=BAND_REVIEW_MONTHS),
            "review the applicant's situation three months after the highest-band placement")
    return out


def due(deadlines: Iterable[Deadline], *, on: date, within_days: int = 14) -> DueReport:
    """Sort ``deadlines`` into overdue, due on ``on``, and due within ``within_days`` after it."""
    # The dataclass order (due date, kind, case, ...) as a plain tuple key: sorted in C, not
    # through attrs' generated comparisons (a store's due list holds thousands).
    items = sorted(deadlines, key=lambda d: (d.due_on, d.kind, d.case, d.arc or "", d.what, d.citation, d.about))
    horizon = on + timedelta(days=within_days)
    return DueReport(
        on=on,
        overdue=tuple(d for d in items if d.due_on < on),
        today=tuple(d for d in items if d.due_on == on),
        upcoming=tuple(d for d in items if on < d.due_on <= horizon),
    )
