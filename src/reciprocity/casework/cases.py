"""Cases kept in an event store, moved by commands that name their actor.

:class:`Cases` is what a housing system, the CLI or an HTTP door calls. A write is a command:
it names the date it acts on and its :class:`~reciprocity.casework.actors.Actor`, and whatever
can be derived (the eligibility outcome, the offer's assessment, the recipients and their
areas, the request partners receive, the move's ledger entry, who takes a duty over) the
library derives from the store and the scheme, never from the caller (see
:mod:`reciprocity.casework.derive`). Each event is checked against the scheme's process, its
roles and parties inside the store's transaction, so a refused command writes nothing and two
writers cannot both move one case.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from reciprocity.casework.actors import Actor, as_actor, check_registered
from reciprocity.casework.derive import (
    CaseWorkError,
    bedrooms_needed,
    case_process,
    check_body,
    circulation_body,
    move_entry,
    offer_body,
    process_for_events,
    process_of,
    referral_date,
)
from reciprocity.errors import InputProblem, InvalidInputError, ReciprocityError
from reciprocity.inputs import coerce_offer, coerce_referral, problems_from
from reciprocity.lifecycle.case import CaseState, TransitionRefused, apply, replay
from reciprocity.lifecycle.circulation import Circulation, recipients
from reciprocity.lifecycle.deadlines import DueReport, due
from reciprocity.lifecycle.duties import Obligation, obligations
from reciprocity.lifecycle.events import ACTOR_KEY, DERIVED, PAYLOADS
from reciprocity.model import Offer, Referral
from reciprocity.store.streams import arc_stream, case_stream, case_streams

if TYPE_CHECKING:
    from reciprocity.casework.projection import CaseSummary

__all__ = [
    "AlreadyRecordedError", "ArcInUseError", "CaseChangedError", "CaseWorkError", "Cases", "UnknownCaseError", "bedrooms_needed", "case_streams",
]


class ArcInUseError(ReciprocityError):
    """The Application Reference Code is already another case's."""


def _unclaimed(arc: str, case_id: str) -> Callable[[Sequence[Any]], None]:
    def check(events: Sequence[Any]) -> None:
        if any(r.event.payload.get("case") != case_id for r in events):
            raise ArcInUseError(f"{arc} is already the ARC of another case; every case needs its own")
    return check


class AlreadyRecordedError(ReciprocityError):
    """Two requests recorded the same event on a case at the same moment: the other one's was
    written and this one's was not (nothing is lost or doubled; the second is told)."""

    def __init__(self, event: str) -> None:
        super().__init__(f"this '{event}' was recorded by another request at the same moment (same actor, "
                         "same date and content); nothing more was written: `reciprocity case show` shows it")
        self.event = event


class CaseChangedError(ReciprocityError):
    """Another request recorded an event on the case after this command read it and before it
    could write what it derived from it (an outcome, recipients, an assessment, a ledger entry):
    nothing was written. The library's commands retry it themselves (the derivation is worked
    out again from the case as it now stands); it reaches a caller only when the case keeps
    changing."""

    def __init__(self, event: str) -> None:
        super().__init__(f"the case changed while this '{event}' was being worked out (another request recorded "
                         "an event on it); nothing was written: try again")
        self.event = event


#: How often a command whose content is derived from the case is worked out again when the case
#: changed under it (CaseChangedError).
_DERIVED_ATTEMPTS = 3


def _retrying(command: Callable[[], CaseState]) -> CaseState:
    for attempt in range(1, _DERIVED_ATTEMPTS + 1):
        try:
            return command()
        except CaseChangedError:
            if attempt == _DERIVED_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


class UnknownCaseError(ReciprocityError, LookupError):
    """No case has this id (the message does not repeat the id: it may be mistyped personal data)."""

    def __init__(self, case_id: str) -> None:
        super().__init__("no case with this id in this store; `reciprocity case list` shows the cases")
        self.case_id = case_id


def _check_case_id(case_id: str) -> str:
    from reciprocity.privacy.reference import InvalidReferenceError, check_reference  # noqa: PLC0415

    try:
        return check_reference(case_id, "case id")
    except InvalidReferenceError as error:
        raise InvalidInputError("case", [InputProblem("case", str(error), "use a case reference such as "
                                                      "C-7KQ2M9XD01 or the case's ARC, never a name")]) from None


def _check_event_id(event_id: str | None) -> str | None:
    """A caller's idempotency key is a reference too: it is stored as the event's id."""
    from reciprocity.privacy.reference import InvalidReferenceError, check_reference  # noqa: PLC0415

    if event_id is None:
        return None
    try:
        return check_reference(event_id, "event id")
    except InvalidReferenceError as error:
        raise InvalidInputError("event", [InputProblem("event_id", str(error), "use your system's own "
                                                       "reference for the request, such as req-2026-0123")]) from None


class Cases:
    """The cases in one event store (``reciprocity.store.EventStore``)."""

    def __init__(self, store: Any, *, token: Callable[[int], bytes] = secrets.token_bytes) -> None:
        from reciprocity.casework.projection import CASES  # noqa: PLC0415
        from reciprocity.ledger.projection import LEDGER  # noqa: PLC0415

        self.store = store
        self._token = token
        # The read models are kept in the store with the events (casework.projection).
        store.maintain(CASES, LEDGER)

    @classmethod
    def at(cls, path_or_url: str | Path, *, create: bool = True, **kwargs: Any) -> Cases:
        """The cases in the store at a URL or SQLite path (``create=False``: refuse a missing
        or empty store instead of setting one up)."""
        from reciprocity.store import EventStore  # noqa: PLC0415

        return cls(EventStore.at(path_or_url, create=create), **kwargs)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Cases:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ----------------------------------------------------------------------------

    def _stream(self, case_id: str) -> list[Any]:
        events = self.store.stream(case_stream(case_id))
        if not events:
            raise UnknownCaseError(case_id)
        return events

    def get(self, case_id: str) -> CaseState:
        """The case as its events leave it."""
        events = self._stream(case_id)
        scheme_id = events[0].event.payload.get("scheme")
        if events[0].event.type != "refer" or not isinstance(scheme_id, str):
            from reciprocity.store.errors import DamagedStoreError  # noqa: PLC0415

            raise DamagedStoreError("a stored case (its first event is not a referral under a scheme)")
        return replay(process_for_events(scheme_id, events), case_id, events)

    def ids(self) -> list[str]:
        return [s[len(case_stream("")):] for s in self.store.streams(case_stream(""))]

    def all(self, scheme_id: str | None = None) -> list[CaseState]:
        """Every case's state (of ``scheme_id``), replayed from its events: for a list, use
        :meth:`summaries`, which reads the case index instead."""
        cases = [self.get(case_id) for case_id in self.ids()]
        return [c for c in cases if scheme_id is None or c.scheme_id == scheme_id]

    def summaries(self, scheme_id: str | None = None, *, limit: int | None = None,
                  after: str | None = None, nominator: str | None = None) -> list[CaseSummary]:
        """Every case (of ``scheme_id``; nominated by ``nominator``) as the case index has it, in
        the order opened: one indexed query, not a replay (see
        :mod:`reciprocity.casework.projection`). A page: at most ``limit`` cases, those opened
        after the case ``after``."""
        from reciprocity.casework.projection import summaries  # noqa: PLC0415

        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise ValueError("limit must be a whole number, 1 or more")
        if after is not None:
            after = _check_case_id(after)
        with self.store.snapshot() as snapshot:
            return summaries(snapshot.connection, scheme_id, limit=limit, after=after, nominator=nominator)

    def latest_request(self, case_id: str) -> dict[str, Any] | None:
        """The pseudonymised request of the case's latest circulation (what partners received)."""
        sent = [r.event.payload["request"] for r in self._stream(case_id) if r.event.type == "circulate"]
        return sent[-1] if sent else None

    def circulation(self, case_id: str, *, on: date) -> Circulation:
        """Who the case's request would go to on ``on``, from the scheme's partner register
        (nothing is recorded)."""
        from reciprocity.partnership.service import Partners  # noqa: PLC0415

        state = self.get(case_id)
        assert state.referral is not None
        return recipients(state.referral, Partners(self.store).directory(state.scheme_id), on=on)

    # --- recording --------------------------------------------------------------------------

    def record(self, case_id: str, event: str, *, on: date, actor: Actor | tuple[str, str],
               payload: Mapping[str, Any] | None = None, event_id: str | None = None) -> CaseState:
        """Record ``event``, one that carries only what the actor says (an approval, an answer,
        a viewing's outcome, feedback...), if the process allows it now; return the new state.

        Events whose content the library derives are refused here with the command to use
        (:data:`~reciprocity.lifecycle.events.DERIVED`). Raises
        :class:`~reciprocity.lifecycle.case.TransitionRefused` (nothing written) when the
        process, its roles or its parties do not allow it, ActorRefused when the actor is not a
        member in the register, InvalidInputError when the payload is invalid.

        Retries: an ``event_id`` already recorded with the same content is a no-op (different
        content raises ConflictingEventError). Without ``event_id``, the same event (type,
        date, actor, payload) as the case's last one is taken as a retry and not written again;
        callers that may retry after other events were recorded should pass their own id.
        """
        if event in DERIVED:
            raise InvalidInputError("event", [InputProblem(
                "event", f"{event!r} is derived by the library, not recorded from a payload",
                f"use {DERIVED[event]}")])
        if event not in PAYLOADS:
            raise InvalidInputError("event", [InputProblem("event", "is not an event of the case process",
                                                           "`reciprocity case show CASE` lists the commands allowed now")])
        event_id = _check_event_id(event_id)
        body = dict(payload or {})
        if ACTOR_KEY in body:
            raise InvalidInputError(f"{event} event", [InputProblem(
                ACTOR_KEY, "is not a field of this event", "name who acts with actor=, not in the payload")])
        return self._write(case_id, event, on=on, actor=actor, body=body, event_id=event_id)

    def _write(self, case_id: str, event: str, *, on: date, actor: Actor | tuple[str, str], body: dict[str, Any],
               event_id: str | None = None, scheme_id: str | None = None, seen: int | None = None) -> CaseState:
        """Record one event. ``seen``: how many events the case had when the command derived
        ``body`` from it; if it has more when the write's transaction reads it, CaseChangedError
        (a move's ledger entry is derived here, from the case as this call reads it)."""
        from reciprocity.store import Event  # noqa: PLC0415

        _check_on(on)
        who = as_actor(actor)
        try:
            validated = PAYLOADS[event].model_validate(body)
        except ValidationError as error:
            raise InvalidInputError(f"{event} event", problems_from(error)) from None
        # What is stored is the validated payload, so a value the model reads ("true" for a
        # yes/no) is stored as the model has it, never as the caller's text.
        body = validated.model_dump(mode="json", exclude_unset=True)
        stream = case_stream(case_id)
        existing = self.store.stream(stream)
        if event != "refer":
            if not existing:
                raise UnknownCaseError(case_id)
            scheme_id = existing[0].event.payload["scheme"]
        assert scheme_id is not None
        _check_areas(scheme_id, event, body)
        process = process_of(scheme_id, date.fromisoformat(body["referral"]["referred_on"]) if event == "refer"
                             else referral_date(existing))
        nominator = (body["referral"]["nominating_partner"]["id"] if event == "refer"
                     else existing[0].event.payload["referral"]["nominating_partner"]["id"])
        check_registered(self.store, scheme_id, who, on, own_case=event != "refer" and who.partner == nominator)
        body = {**body, ACTOR_KEY: who.partner}
        if event_id is None and existing and _same(existing[-1].event, event, on, who.role, body):
            return self.get(case_id)  # the same event twice in a row is a retry: a no-op
        result: list[CaseState] = []

        ident = event_id or _event_id(stream, len(existing) + 1, event, on, who.role, body)
        if seen is None and event == "move":
            seen = len(existing)

        def expect(events: Sequence[Any]) -> None:
            from reciprocity.casework.projection import remember  # noqa: PLC0415

            if seen is not None and len(events) != seen:
                raise CaseChangedError(event)
            state = replay(process, case_id, events)
            result.append(apply(process, state, len(events) + 1, event, on=on, role=who.role, payload=body))
            # The case index takes this state rather than replaying the case again (if the stream
            # it finds is exactly these events and this one).
            remember(case_id, [r.event for r in events] + [Event(ident, stream, event, on, who.role, body)], result[-1])

        written = [Event(ident, stream, event, on, who.role, body)]
        checks: dict[str, Any] = {stream: expect}
        if any(r.event.event_id == ident for r in existing):
            self.store.append(written[0])  # recorded already: a no-op, or a conflict if it differs
            return self.get(case_id)
        if event == "move":
            # The ledger entry is derived and written in the same transaction: no move without it.
            from reciprocity.ledger.service import move_event  # noqa: PLC0415

            before = replay(process, case_id, existing)
            apply(process, before, len(existing) + 1, event, on=on, role=who.role, payload=body)  # refusal first
            entry = move_entry(before, on)
            if entry is not None:
                written.append(move_event(scheme_id, ident, on, entry.model_copy(update={"case_event": ident})))
        if event == "accept":
            # One ARC, one case: the code is claimed in its own stream in the same transaction.
            arc = str(validated.arc)  # type: ignore[attr-defined]
            written.append(Event(f"arc-{arc}-{case_id}", arc_stream(arc), "claim", on, who.role, {"case": case_id}))
            checks[arc_stream(arc)] = _unclaimed(arc, case_id)
        self.store.append_many(written, expect=checks)
        if not result and event_id is None:
            # The store found this very event already there, written after this command read the
            # case (``expect`` runs only for an insert): another request recorded it at the same
            # moment. A retry after a lost answer reads it back above and is a quiet no-op.
            raise AlreadyRecordedError(event)
        return result[-1] if result else self.get(case_id)

    def new(self, scheme_id: str, referral: Referral | Mapping[str, Any], *, actor: Actor | tuple[str, str],
            on: date | None = None, case_id: str | None = None) -> CaseState:
        """Open a case with its referral (the process's first step); ``on`` defaults to the
        referral date. ``case_id`` must look like a reference (default: a random one)."""
        from reciprocity.api import check_scheme  # noqa: PLC0415

        model = check_scheme(coerce_referral(referral), scheme_id)
        ident = _check_case_id(case_id) if case_id is not None else "C-" + self._token(5).hex().upper()
        body = {"scheme": scheme_id, "referral": model.model_dump(mode="json")}
        return self._write(ident, "refer", on=on or model.referred_on, actor=actor, body=body, scheme_id=scheme_id)

    def check(self, case_id: str, *, on: date, actor: Actor | tuple[str, str], engine: str = "native") -> CaseState:
        """Run the eligibility check on ``on`` and record its outcome (the nominating partner's
        standing comes from the partner register when it holds the partner)."""
        _check_on(on)

        def attempt() -> CaseState:
            state = self.get(case_id)
            _, body = check_body(self.store, state, on, engine=engine)
            return self._write(case_id, "check_eligibility", on=on, actor=actor, body=body, seen=len(state.history))

        return _retrying(attempt)

    def accept(self, case_id: str, *, on: date, actor: Actor | tuple[str, str]) -> CaseState:
        """Accept an eligible case and give it an Application Reference Code (kept for good)."""
        _check_on(on)
        from reciprocity.privacy import new_arc  # noqa: PLC0415

        state = self.get(case_id)
        if state.arc is not None:
            return self._write(case_id, "accept", on=on, actor=actor, body={"arc": state.arc})
        for attempt in range(3):  # 35 random bits: a repeat is rare, and refused by the claim
            try:
                return self._write(case_id, "accept", on=on, actor=actor, body={"arc": str(new_arc(self._token))})
            except ArcInUseError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def circulate(self, case_id: str, *, on: date, actor: Actor | tuple[str, str], notes: str | None = None,
                  known: Iterable[str] = ()) -> CaseState:
        """Send the pseudonymised request to the partners in the scheme's register it may safely
        reach on ``on``, and record it. ``notes`` (a short line for landlords) is refused if it
        holds anything identifying, counting ``known`` (names, addresses and places the caller
        holds for the case) as identifying too."""
        _check_on(on)
        known = tuple(known)

        def attempt() -> CaseState:
            state = self.get(case_id)
            body = circulation_body(self.store, state, on, notes=notes, known=known)
            return self._write(case_id, "circulate", on=on, actor=actor, body=body, seen=len(state.history))

        return _retrying(attempt)

    def respond(self, case_id: str, *, on: date, actor: Actor | tuple[str, str], can_help: bool) -> CaseState:
        """Record a partner's answer to the request it was sent (the partner is the actor)."""
        return self._write(case_id, "respond", on=on, actor=actor, body={"can_help": can_help})

    def make_offer(self, case_id: str, offer: Offer | Mapping[str, Any], *, on: date,
                   actor: Actor | tuple[str, str], engine: str = "native") -> CaseState:
        """Assess the offer on ``on`` and record it: as an offer when suitable, as a proposal
        for the named leads' review when its only open findings send it there (a protected
        tenancy, Kent RP MoU §4.5); refused otherwise, naming the findings. Where the process
        has the offer made by a partner the request went to, the home must be that partner's."""
        _check_on(on)
        from reciprocity.lifecycle.process import Party  # noqa: PLC0415

        who = as_actor(actor)
        model = coerce_offer(offer)

        def attempt() -> CaseState:
            state = self.get(case_id)
            step = case_process(state).step(state.state, "make_offer")
            if step is not None and step.party is Party.RECIPIENT and model.landlord.id != who.partner:
                raise TransitionRefused(f"a partner offers its own homes: the offer's landlord.id must be the "
                                        f"partner acting ({step.citation})",
                                        state=state.state, event="make_offer", rule="actor")
            _, event, body = offer_body(self.store, state, model, on, engine=engine)
            return self._write(case_id, event, on=on, actor=who, body=body, seen=len(state.history))

        return _retrying(attempt)

    def review_offer(self, case_id: str, *, on: date, actor: Actor | tuple[str, str], approve: bool,
                     consent: bool) -> CaseState:
        """The nominating partner's named lead approves or rejects an offer flagged for review
        (like for like cannot be guaranteed, Kent RP MoU §4.5), with the household's consent
        (yes/no); approval needs consent and lets the offer stand."""
        event = "approve_offer" if approve else "reject_offer"
        return self._write(case_id, event, on=on, actor=actor, body={"consent": consent})

    # --- deadlines and duties ---------------------------------------------------------------

    def due(self, *, on: date, within_days: int = 14) -> DueReport:
        """Every open case's deadlines and every partner's (withdrawals taking effect, named leads
        to name), sorted into overdue, due on ``on`` and upcoming."""
        from reciprocity.casework.projection import deadlines_until  # noqa: PLC0415
        from reciprocity.partnership.service import Partners  # noqa: PLC0415

        _check_on(on)
        if isinstance(within_days, bool) or not isinstance(within_days, int) or within_days < 0:
            raise ValueError("within_days must be a whole number of days, 0 or more")
        with self.store.snapshot() as snapshot:  # the cases' and the partners' deadlines of one moment
            items = deadlines_until(snapshot.connection, on + timedelta(days=within_days))
            items.extend(Partners(snapshot).deadlines(on=on))
        return due(items, on=on, within_days=within_days)

    def obligations(self, case_id: str) -> list[Obligation]:
        state = self.get(case_id)
        return obligations(state, case_process(state).duties)  # type: ignore[arg-type]


def _check_on(on: Any) -> None:
    """A command's date: a datetime.date between 1900-01-01 and 2199-12-31 (the range input may
    hold, so deadline arithmetic never leaves the calendar)."""
    from reciprocity.model.base import EARLIEST_DATE, LATEST_DATE  # noqa: PLC0415

    if not isinstance(on, date):
        raise TypeError("on must be a datetime.date")
    if not EARLIEST_DATE <= on <= LATEST_DATE:
        raise InvalidInputError("date", [InputProblem("on", f"must be between {EARLIEST_DATE.isoformat()} and "
                                                      f"{LATEST_DATE.isoformat()}", "check the year")])


def _check_areas(scheme_id: str, event: str, body: Mapping[str, Any]) -> None:
    """Refuse area ids the scheme does not have in an event's area lists (a typing mistake
    would otherwise leave an unsafe area unrecorded, or ask for a place no partner covers)."""
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    known = get_scheme(scheme_id).area_ids
    problems = [InputProblem(f"{field}[{i}]", "is not an area of this scheme",
                             f"use an area id listed under Areas in docs/schemes/{scheme_id}.md")
                for field in ("unsafe_areas", "requested_areas")
                for i, area in enumerate(body.get(field) or ()) if area not in known]
    if problems:
        raise InvalidInputError(f"{event} event", problems)


def _same(recorded: Any, event: str, on: date, role: str, body: Mapping[str, Any]) -> bool:
    """Whether ``recorded`` is this very event (same type, date, role and payload with actor)."""
    as_json = json.loads(json.dumps(body, default=str))
    return (recorded.type, recorded.on, recorded.role) == (event, on, role) and recorded.payload == as_json


def _event_id(stream: str, seq: int, event: str, on: date, role: str, body: Mapping[str, Any]) -> str:
    """A repeatable id: the same write at the same place in the case gets the same id, so a
    retried write is a no-op."""
    text = json.dumps([stream, seq, event, on.isoformat(), role, body], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
