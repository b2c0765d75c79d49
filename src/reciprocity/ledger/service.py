"""The ledger in the event store: reading balances and history, and correcting entries.

Move entries are derived by the case work (:mod:`reciprocity.casework`) and written, with
:func:`move_event`, in the same transaction as the case's move (so a move never exists without its entry, nor an entry without
its move). Corrections are written here. Every date is passed in.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import attrs

from reciprocity.errors import InvalidInputError
from reciprocity.inputs import problems_from
from reciprocity.ledger.book import Balances, Book
from reciprocity.ledger.entries import CorrectionCode, CorrectionEntry, LedgerEntry, MoveEntry
from reciprocity.lifecycle.actors import Actor, coordinator_only
from reciprocity.lifecycle.events import ACTOR_KEY
from reciprocity.partnership.policy import partnership_of
from reciprocity.store.streams import case_streams, ledger_stream

__all__ = ["Ledger", "ReferralCounts", "ledger_stream", "move_entry_id", "move_event"]


def _book(scheme_id: str, sized: bool, recorded: Sequence[Any]) -> Book:
    """The book replayed from recorded ledger events."""
    return Book.replay(scheme_id, sized, ((r.event.event_id, r.seq, r.event.type, r.event.on, r.event.payload)
                                          for r in recorded))


def move_entry_id(case_event_id: str) -> str:
    """The ledger entry id of a case's move: a digest of the move's event id, since that id may
    be the caller's own and ledger entry ids are shown to partners."""
    return "ledger-" + hashlib.sha256(case_event_id.encode()).hexdigest()[:32]


def move_event(scheme_id: str, case_event_id: str, on: date, entry: MoveEntry) -> Any:
    """The ledger event a case's move writes (in the move's own transaction), from the entry the
    case work derived: who owes, who is owed, the size owed where sizes are kept."""
    from reciprocity.store import Event  # noqa: PLC0415

    return Event(move_entry_id(case_event_id), ledger_stream(scheme_id), "move", on, "coordinator",
                 entry.model_dump(mode="json"))


@attrs.frozen
class ReferralCounts:
    """Referrals each council made and received in a period (KRS point 15)."""

    scheme_id: str
    start: date | None
    end: date
    made: Counter[str]
    received: Counter[str]


class Ledger:
    """The ledgers of every scheme in one event store."""

    def __init__(self, store: Any) -> None:
        from reciprocity.ledger.projection import LEDGER  # noqa: PLC0415

        self.store = store
        store.maintain(LEDGER)  # the balances are kept with the events (see ledger.projection)

    def book(self, scheme_id: str) -> Book:
        return _book(scheme_id, partnership_of(scheme_id).sized, self.store.stream(ledger_stream(scheme_id)))

    def balances(self, scheme_id: str, *, on: date) -> Balances:
        """Every partner's balance on ``on`` (entries dated on or before it): one indexed query on
        the store's ledger projection, equal to replaying the book (``self.book(scheme_id).balances(on)``)."""
        from reciprocity.ledger.projection import balances_on  # noqa: PLC0415

        partnership_of(scheme_id)  # a scheme without a ledger is refused as before
        with self.store.snapshot() as snapshot:
            return balances_on(snapshot.connection, scheme_id, on)

    def history(self, scheme_id: str, *, partner: str | None = None, start: date | None = None,
                end: date | None = None) -> list[LedgerEntry]:
        """Entries in recording order, optionally of one partner and within dates."""
        out = []
        for entry in self.book(scheme_id).entries:
            if partner is not None and partner not in {e.partner for e in entry.effects}:
                continue
            if (start and entry.on < start) or (end and entry.on > end):
                continue
            out.append(entry)
        return out

    def correct(self, scheme_id: str, entry_id: str, *, on: date, actor: Actor | tuple[str, str],
                code: CorrectionCode | str, note: str | None = None, event_id: str | None = None) -> LedgerEntry:
        """Reverse entry ``entry_id`` on ``on``, for ``code`` (what partners read); ``note`` is the
        coordinator's own, screened for identifiers and never shown in partner-facing output.
        Only the coordinator corrects the count it keeps (``ActorRefused`` otherwise);
        :class:`LedgerError` if the entry cannot be reversed."""
        from pydantic import ValidationError  # noqa: PLC0415

        from reciprocity.store import Event  # noqa: PLC0415

        policy = partnership_of(scheme_id)
        who = coordinator_only(actor, "corrects the ledger it keeps", policy.cite("ledger"))
        try:
            body = CorrectionEntry(reverses=entry_id, code=code, note=note).model_dump(mode="json", exclude_none=True)
        except ValidationError as error:
            raise InvalidInputError("correction", problems_from(error)) from None
        body[ACTOR_KEY] = who.partner
        sized = policy.sized
        # Checked before writing, so a second correction of one entry is refused plainly
        # ("already reversed") rather than as a conflicting event id.
        self.book(scheme_id).add("(check)", 0, "correction", on, body)
        # The entry id is shown to partners, so a caller's own event id is kept only as a digest.
        key = event_id if event_id is not None else f"{scheme_id}|{entry_id}"
        ident = "correction-" + hashlib.sha256(key.encode()).hexdigest()[:24]
        added: list[LedgerEntry] = []

        def expect(events: Sequence[Any]) -> None:  # again inside the transaction
            added.append(_book(scheme_id, sized, events).add(ident, len(events) + 1, "correction", on, body).entries[-1])

        self.store.append(Event(ident, ledger_stream(scheme_id), "correction", on, who.role, body),
                          expect=expect)
        return added[-1]

    def counts(self, scheme_id: str, *, end: date, start: date | None = None,
               cases: Iterable[tuple[str, Sequence[Any]]] | None = None) -> ReferralCounts:
        """Referrals made (by the referring council) and received (final acceptance by a
        council) between ``start`` and ``end`` inclusive (KRS point 15). ``cases``: the scheme's
        case streams with their events, when the caller has read them already (a report)."""
        made: Counter[str] = Counter()
        received: Counter[str] = Counter()

        for _, events in (case_streams(self.store, scheme_id) if cases is None else cases):
            for r in events:
                if r.event.on > end or (start is not None and r.event.on < start):
                    continue
                if r.event.type == "refer":
                    made[r.event.payload["referral"]["nominating_partner"]["id"]] += 1
                elif r.event.type == "final_acceptance":
                    # The receiving council is the event's actor (older stores: its payload).
                    received[r.event.payload.get("actor") or r.event.payload["partner"]] += 1
        return ReferralCounts(scheme_id, start, end, made, received)
