"""Deadlines: what falls due on a case, and what is overdue on a given date.

Every date is passed in; nothing here reads the clock. Working days are England and Wales
working days (:mod:`reciprocity.lifecycle.workdays`); months are calendar months.

Kinds of deadline a process can declare (``Process.deadlines`` maps a kind to its
:class:`~reciprocity.lifecycle.time_limits.TimeLimit`: clauses, and a length and unit where the
scheme's text sets one; the defaults below otherwise):

``response``        partners answer a circulated request within two working days (Kent RP
                    process, Request stage: "ideally"), counted per round until each
                    recipient has answered or the case moves on (a recirculated request is a
                    new request: an answer to an earlier round does not answer it);
``recirculation``   a pending request is recirculated every 14 days until an offer;
``review``          three months after first circulation without an offer, the landlord tells
                    the coordinator, who asks for wider areas or closes (Kent RP MoU §4.3);
                    once the areas are extended, three months after the extension;
                    without a length of its own the months come from the scheme's
                    ``review_after_months`` parameter;
``band_review``     the receiving council reviews the applicant's situation three months after
                    placing them in its highest band (KRS point 2);
any other kind      one of the scheme's own: open from the latest event that starts it until
                    an event that meets it follows (``TimeLimit(starts=, ends=)``), unless the
                    case has reached a final state.

Partner deadlines that are not about one case: a withdrawal takes effect one calendar month
after notice (Kent RP MoU §2.4 second, §5.5) and a change of named contact is notified within
seven days (Kent RP MoU §6.1): :func:`withdrawal_takes_effect`, :func:`named_contact_notice_due`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta

import attrs

from reciprocity.lifecycle.case import CaseState
from reciprocity.lifecycle.time_limits import BUILT_IN, TimeLimit, time_limit
from reciprocity.lifecycle.workdays import WorkingDays, england_and_wales
from reciprocity.model.partner import NOTICE_PERIOD
from reciprocity.rules.rule import Clause

__all__ = [
    "KINDS",
    "PARTNER_KINDS",
    "Deadline",
    "DueReport",
    "case_deadlines",
    "due",
    "named_contact_notice_due",
    "respond_by",
    "response_due",
    "withdrawal_takes_effect",
]

RESPONSE_WORKING_DAYS = 2
DEFAULT_REVIEW_MONTHS = 3
#: A change of named contact is notified within seven days (Kent RP MoU §6.1).
NAMED_CONTACT_DAYS = 7
#: The deadline kinds the core computes (a scheme may declare kinds of its own too).
KINDS = tuple(BUILT_IN)
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
    declared: Mapping[str, TimeLimit | Clause | Iterable[Clause]],
    *,
    review_months: int | Callable[[date], int] = DEFAULT_REVIEW_MONTHS,
    final: Iterable[str] = (),
) -> list[Deadline]:
    """The deadlines open on a case now, for the kinds its process declares (``declared``:
    ``Process.deadlines``; ``final``: the process's final states, where a deadline of the
    scheme's own kind no longer runs).

    ``review_months``: for a ``review`` with no length of its own, the months before a review,
    or a function giving them for the date the wait started (the first circulation, or the
    last extension of the areas): a case waits as long as the rule in force when its wait
    began says.
    """
    limits = {kind: time_limit(value).resolved(kind) for kind, value in declared.items()}
    out: list[Deadline] = []

    def add(kind: str, due_on: date, what: str) -> None:
        if kind in limits:
            out.append(Deadline(due_on, kind, state.case_id, state.arc, what, limits[kind].citation))

    waiting = state.state in _OPEN_FOR_OFFERS
    if waiting and state.rounds:
        last = state.rounds[-1]
        answered = {partner for partner, _, when in state.responses if when >= last.on}
        pending = [p for p in last.recipients if p not in answered]
        if pending:
            add("response", last.respond_by,
                f"answers from {len(pending)} partner(s) to round {last.round} of the request")
        again = limits.get("recirculation")
        if again is not None:
            add("recirculation", again.after(last.on), f"recirculate the request (round {last.round + 1})")
        first = state.rounds[0].on
        extended = state.areas_extended_on is not None and state.areas_extended_on > first
        began = state.areas_extended_on if extended else first
        assert began is not None
        review = limits.get("review")
        if review is not None:
            months = review.length if review.length is not None else (
                review_months(began) if callable(review_months) else review_months)
            wait = review.words(months)
            since = "the areas were extended: extend again or close" if extended else (
                "first circulation: extend the areas or close")
            add("review", review.after(began, length=months), f"no suitable home {wait} after {since}")
    band = limits.get("band_review")
    if band is not None and state.band_placed_on is not None and state.band_reviewed_on is None \
            and state.moved_on is None:
        add("band_review", band.after(state.band_placed_on),
            f"review the applicant's situation {band.words()} after the highest-band placement")
    if state.state not in set(final):
        for kind, limit in limits.items():
            if kind not in BUILT_IN:
                started = _open_since(state, limit)
                if started is not None:
                    add(kind, limit.after(started), limit.what or kind)
    return out


def _open_since(state: CaseState, limit: TimeLimit) -> date | None:
    """The date of the latest event that starts ``limit``, unless an event meeting it followed."""
    for entry in reversed(state.history):
        if entry.event in limit.ends:
            return None
        if entry.event == limit.starts:
            return entry.on
    return None


def response_due(declared: Mapping[str, TimeLimit | Clause | Iterable[Clause]], circulated_on: date,
                 calendar: WorkingDays | None = None) -> date:
    """The day partners are asked to answer a request circulated on ``circulated_on`` by: the
    process's ``response`` limit, or two working days when it declares none."""
    limit = declared.get("response")
    if limit is None:
        return respond_by(circulated_on, calendar)
    return time_limit(limit).resolved("response").after(circulated_on, calendar=calendar)


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
