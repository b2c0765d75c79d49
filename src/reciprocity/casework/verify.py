"""Recomputing what a store records: :func:`verify` (``reciprocity store verify``).

Every write is a command whose derived content the library computes
(:mod:`reciprocity.casework.derive`). :func:`verify` replays the store and computes it again
for every event, reading the partner register as the store stood before the event (its
position); it writes nothing. Each :class:`Problem` has a kind:

- ``process``: the scheme's process refuses the event there (step, role, party, date order,
  guards); the case goes on from the state as recorded, or, when the event cannot be folded
  in, the rest of that case is left unchecked (said so) and the rest of the store is checked;
- ``actor``: no actor recorded, or one that is neither the coordinator nor in the register
  and a member on the day (the nominating partner may act on its own case after leaving); a
  partner offering a home not its own; a register or ledger event by someone who may not;
- ``derived_content`` (where the process has the step and the payload reads): the check's
  outcome, failed and open rules (native engine); the offer's event type, assessment and
  failed rules, its landlord as the register had it; the circulation's round, recipients,
  those left out, their areas, reply date and request (its notes screened again, without the
  names the case knew, which are not stored);
- ``ledger``: a move's entry (``ledger-<move event id>``) is the one the move derives; every
  ledger move has its case move; each correction reverses an existing move once;
- ``arc``: an accepted case's ARC is claimed by that case and by no other;
- ``removal``: a removal naming an arbitration names one that, before it, found the removed
  partner's refusal not justified (Kent RP MoU §4.7);
- ``projection``: a row of a read model kept in the store (the case index, the cases'
  deadlines, the ledger's balances) differs from what rebuilding it from the events gives
  (listed after the events' problems, with position 0: ``reciprocity store rebuild`` fixes it).

Messages name events, fields, registered partners, case ids and ARCs (references), never a
value a person could be known by: what differs is said by field name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from pydantic import ValidationError

from reciprocity.casework.actors import Actor, ActorRefused, check_registered
from reciprocity.casework.derive import (
    case_process,
    check_body,
    circulation_body,
    move_entry,
    offer_body,
    process_for_events,
)
from reciprocity.errors import ReciprocityError
from reciprocity.ledger.service import move_entry_id
from reciprocity.lifecycle.case import CaseState, HistoryEntry, TransitionRefused, apply, fold
from reciprocity.lifecycle.events import PAYLOADS, split_actor, validate_payload
from reciprocity.lifecycle.process import COORDINATOR, Party, Process
from reciprocity.store.streams import (
    ARBITRATION_PREFIX,
    ARC_PREFIX,
    CASE_PREFIX,
    PARTNER_PREFIX,
    arc_stream,
    ledger_stream,
)

__all__ = ["KINDS", "Problem", "VerifyReport", "verify"]

#: What a problem is about (the closed vocabulary of :attr:`Problem.kind`).
KINDS = ("process", "actor", "derived_content", "ledger", "arc", "removal", "projection")

#: What a forged or damaged event can make a check raise; reported, never propagated.
_BROKEN = (ReciprocityError, LookupError, TypeError, ValueError, AssertionError)
_LEDGER_PREFIX = ledger_stream("")
#: A move's ledger event is ``ledger-<the case's move event id>`` (ledger.service.move_event).


@attrs.frozen
class Problem:
    """One recorded event that disagrees with what the library computes for it."""

    position: int
    stream: str
    event_type: str
    kind: str = attrs.field(validator=attrs.validators.in_(KINDS))
    message: str

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class VerifyReport:
    """The problems found (in store order) and how many events were checked."""

    problems: tuple[Problem, ...]
    events_checked: int

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "events_checked": self.events_checked,
                "problems": [p.to_dict() for p in self.problems]}


def verify(store: Any) -> VerifyReport:
    """Replay every case, ledger, ARC and partner stream of ``store`` (a
    ``reciprocity.store.EventStore``) and report each event whose recorded content differs
    from what the library computes for it (see the module's docstring for the checks)."""
    from reciprocity.casework.projection import CASES  # noqa: PLC0415
    from reciprocity.ledger.projection import LEDGER  # noqa: PLC0415

    store.maintain(CASES, LEDGER)
    checker = _Verifier(store)
    checker.run()
    found = sorted(checker.problems, key=lambda p: p.position)
    found += [Problem(0, d.table, "(read model)", "projection",
                      f"the {d.projection} read model's row {_key(d.key)} is {_DIFFERENCE[d.kind]}; "
                      "`reciprocity store rebuild` rebuilds it from the events")
              for d in store.check_projections()]
    return VerifyReport(tuple(found), checker.checked)


_DIFFERENCE = {"missing": "missing (a rebuild from the events has it)",
               "unexpected": "there, though no event gives it", "changed": "not what the events give"}


def _key(key: Sequence[Any]) -> str:
    """A row's key as references (case ids, deadline kinds, ledger entry and partner ids)."""
    return "(" + ", ".join(str(k) for k in key) + ")"


def _why(error: BaseException) -> str:
    """What went wrong, without repeating a value: the library's own messages name fields and
    references only; anything else is named by its type."""
    if isinstance(error, ValidationError):
        # The top-level field only: deeper steps may be a mapping's keys, and a key not in the
        # model may be anything, so it is counted, never named.
        errors = error.errors()
        fields = sorted({str(e["loc"][0]) for e in errors if e["loc"] and e["type"] != "extra_forbidden"})
        extra = sum(1 for e in errors if e["type"] == "extra_forbidden")
        return "the payload is not valid: " + ", ".join([*fields, *([f"{extra} unknown field(s)"] if extra else [])])
    if isinstance(error, ReciprocityError):
        return str(error)
    return f"the event cannot be read ({type(error).__name__})"


def _differing(recorded: Mapping[str, Any], derived: Mapping[str, Any], fields: Sequence[str],
               nested: Sequence[str] = ()) -> list[str]:
    """The names of ``fields`` whose recorded value differs from the derived one; for the
    ``nested`` ones (mappings), the differing keys under it (``request.notes``), and a count of
    keys the library does not write (never named: a forged key may itself be personal data)."""
    out: list[str] = []
    for name in fields:
        mine, theirs = recorded.get(name), derived.get(name)
        if mine == theirs:
            continue
        if name in nested and isinstance(mine, Mapping) and isinstance(theirs, Mapping):
            out += [f"{name}.{key}" for key in theirs if mine.get(key) != theirs[key]]
            extra = len(set(mine) - set(theirs))
            if extra:
                out.append(f"{name} ({extra} field{'s' if extra > 1 else ''} the library does not write)")
        else:
            out.append(name)
    return out


class _Verifier:
    def __init__(self, store: Any) -> None:
        self.store = store
        self.problems: list[Problem] = []
        self.checked = 0
        self.ledger_events = {r.event.event_id: r for s in store.streams(_LEDGER_PREFIX) for r in store.stream(s)}
        #: Each case move event id, by scheme; each ARC, with the cases that accepted it.
        self.moves: dict[str, set[str]] = defaultdict(set)
        self.accepted: dict[str, set[str]] = defaultdict(set)

    def add(self, recorded: Any, kind: str, message: str) -> None:
        e = recorded.event
        self.problems.append(Problem(recorded.position, e.stream_id, e.type, kind, message))

    def named(self, scheme_id: str, partner_id: str, before: int) -> str:
        """``partner_id`` if it is the coordinator or in the register before ``before`` (a
        reference), else words saying it is not: an id no register holds may be anything."""
        from reciprocity.partnership.service import Partners  # noqa: PLC0415

        known = partner_id == COORDINATOR or Partners(self.store).find(scheme_id, partner_id, before=before)
        return partner_id if known else f"a partner not in the {scheme_id} register"

    def guarded(self, recorded: Any, kind: str, check: Callable[[], None]) -> None:
        """Run ``check``; what a damaged event makes it raise is a problem of ``kind``."""
        try:
            check()
        except _BROKEN as error:
            self.add(recorded, kind, f"cannot be recomputed: {_why(error)}")

    def run(self) -> None:
        for stream in self.store.streams(CASE_PREFIX):
            self.case(stream[len(CASE_PREFIX):], self.store.stream(stream))
        for stream in self.store.streams(_LEDGER_PREFIX):
            self.ledger(stream[len(_LEDGER_PREFIX):], self.store.stream(stream))
        for stream in self.store.streams(ARC_PREFIX):
            self.arc(stream[len(ARC_PREFIX):], self.store.stream(stream))
        for stream in self.store.streams(PARTNER_PREFIX):
            self.partner(stream, self.store.stream(stream))

    # --- cases ------------------------------------------------------------------------------

    def case(self, case_id: str, events: Sequence[Any]) -> None:
        first = events[0].event
        scheme_id = first.payload.get("scheme") if first.type == "refer" else None
        try:
            process = process_for_events(str(scheme_id), events)
        except ReciprocityError:
            self.checked += 1
            self.add(events[0], "process", "the case does not open with a referral under a known scheme's "
                                           f"process; its {len(events)} event(s) are not checked")
            return
        # Known before the walk, so a stream that cannot be followed to its end still vouches
        # for its ledger entries and ARC claims.
        self.moves[process.scheme_id].update(r.event.event_id for r in events if r.event.type == "move")
        for r in events:
            if r.event.type == "accept" and isinstance(r.event.payload.get("arc"), str):
                self.accepted[r.event.payload["arc"]].add(case_id)
        state = CaseState(case_id=case_id, scheme_id=process.scheme_id)
        for index, recorded in enumerate(events):
            self.checked += 1
            self.actor(process, state, recorded)
            check = _DERIVED.get(recorded.event.type)
            # Derived content is recomputed where the process has the step (the payload read as
            # recorded); an event it has no step for, or an unreadable payload, is its problem.
            if check is not None and process.step(state.state, recorded.event.type) is not None \
                    and self.readable(recorded):
                self.guarded(recorded, "derived_content", lambda c=check, r=recorded: c(self, state, r))
            after = self.advance(process, state, recorded)
            if after is None:
                left = len(events) - index - 1
                if left:
                    self.add(recorded, "process", f"the case cannot be followed past this event; its {left} later "
                                                  "event(s) are not checked")
                return
            state = after

    def advance(self, process: Process, state: CaseState, recorded: Any) -> CaseState | None:
        """The state after the event; after a refusal, the state as recorded if the event can be
        folded in (a step from this state exists and its payload is valid), else None."""
        e = recorded.event
        try:
            return apply(process, state, recorded.seq, e.type, on=e.on, role=e.role, payload=e.payload)
        except TransitionRefused as error:
            message = str(error)
            step = process.step(state.state, e.type)
            if error.rule == "actor" and step is not None:  # reworded: the actor may be in no register
                who = self.named(process.scheme_id, str(split_actor(e.payload)[0]), recorded.position)
                message = (f"event {e.type!r} in state {state.state!r} is for the {step.who}, not {who} "
                           f"({step.citation})")
            self.add(recorded, "process", message)
        except _BROKEN as error:
            self.add(recorded, "process", _why(error))
            return None
        step = process.step(state.state, e.type)
        if step is None:
            return None
        try:
            after = fold(state, e.type, e.on, e.payload)
        except _BROKEN:
            return None
        target = step.target or state.state
        entry = HistoryEntry(recorded.seq, e.type, e.on, e.role, target, split_actor(e.payload)[0])
        return attrs.evolve(after, state=target, history=(*state.history, entry))

    def actor(self, process: Process, state: CaseState, recorded: Any) -> None:
        e = recorded.event
        actor, _ = split_actor(e.payload)
        if actor is None:
            self.add(recorded, "actor", "the event names no actor; every write records who acted")
            return
        try:
            who = Actor(actor, e.role)
            check_registered(self.store, process.scheme_id, who, e.on, before=recorded.position,
                             own_case=e.type != "refer" and actor == state.nominator)
        except ActorRefused as error:
            named = self.named(process.scheme_id, actor, recorded.position)
            self.add(recorded, "actor", str(error) if named == actor else
                     f"the event's actor is {named}; only registered partners and the coordinator act on cases")
        except _BROKEN as error:
            self.add(recorded, "actor", f"the actor cannot be checked: {_why(error)}")

    @staticmethod
    def readable(recorded: Any) -> bool:
        try:
            validate_payload(recorded.event.type, recorded.event.payload)
        except ValidationError:
            return False
        return True

    def compare(self, recorded: Any, event: str, derived: Mapping[str, Any], fields: Sequence[str],
                nested: Sequence[str] = ()) -> None:
        """Report the ``fields`` of the recorded payload that differ from ``derived`` (both read
        through the event's payload model, so defaults compare equal)."""
        mine = validate_payload(recorded.event.type, recorded.event.payload).model_dump(mode="json")
        theirs = PAYLOADS[event].model_validate(derived).model_dump(mode="json")
        differ = _differing(mine, theirs, fields, nested)
        if differ:
            self.add(recorded, "derived_content", f"recorded {', '.join(differ)} differ from what the library "
                                                  "computes for this event")

    def check(self, state: CaseState, recorded: Any) -> None:
        _, body = check_body(self.store, state, recorded.event.on, before=recorded.position)
        self.compare(recorded, "check_eligibility", body, ("outcome", "failed", "open"))

    def offer(self, state: CaseState, recorded: Any) -> None:
        e = recorded.event
        offer = validate_payload(e.type, e.payload).offer  # type: ignore[attr-defined]
        step = case_process(state).step(state.state, "make_offer")
        actor = split_actor(e.payload)[0]
        if step is not None and step.party is Party.RECIPIENT and actor is not None and offer.landlord.id != actor:
            who = self.named(state.scheme_id, actor, recorded.position)
            self.add(recorded, "actor", f"the offered home's landlord is not {who}, which offers it: a partner "
                                        f"offers its own homes ({step.citation})")
        _, event, body = offer_body(self.store, state, offer, e.on, before=recorded.position)
        if event != e.type:
            self.add(recorded, "derived_content", f"recorded as {e.type}, but the offer's assessment makes it "
                                                  f"{event}")
        # The landlord compared is the register's as the store stood then (offer_body sets it).
        self.compare(recorded, event, body, ("offer", "assessment", "failed"), nested=("offer",))

    def circulate(self, state: CaseState, recorded: Any) -> None:
        request = recorded.event.payload.get("request")
        notes = request.get("notes") if isinstance(request, Mapping) else None
        body = circulation_body(self.store, state, recorded.event.on, notes=notes if isinstance(notes, str) else None,
                                before=recorded.position)
        fields = ("round", "recipients", "excluded", "recipient_areas", "respond_by", "request")
        self.compare(recorded, "circulate", body, fields, nested=("request",))
        sent = recorded.event.payload.get("recipients")
        extra = sorted(set(sent) - set(body["recipients"])) if isinstance(sent, list) else []
        if extra:
            names = sorted({self.named(state.scheme_id, str(p), recorded.position) for p in extra})
            self.add(recorded, "derived_content", f"sent to {', '.join(names)}, which the partner register on "
                                                  "the day does not let the request reach")

    def move(self, state: CaseState, recorded: Any) -> None:
        e = recorded.event
        entry = move_entry(state, e.on)
        found = self.ledger_events.get(move_entry_id(e.event_id))
        if entry is None:
            if found is not None:
                self.add(recorded, "ledger", f"{state.scheme_id} keeps no ledger entries, yet this move has one")
            return
        expected = entry.model_dump(mode="json") | {"case_event": e.event_id}
        if found is None:
            self.add(recorded, "ledger", "the move has no ledger entry (its entry is written with it)")
            return
        where = found.event
        if (where.stream_id, where.type, where.on) != (ledger_stream(state.scheme_id), "move", e.on):
            self.add(recorded, "ledger", "the move's ledger entry is not a move of this scheme's ledger on the "
                                         "move's date")
        differ = _differing(split_actor(where.payload)[1], expected, tuple(expected))
        extra = len(set(split_actor(where.payload)[1]) - set(expected))
        if differ or extra:
            fields = ", ".join(differ) or f"{extra} field(s) the library does not write"
            self.add(recorded, "ledger", f"the move's ledger entry records {fields} other than the move derives")

    def accept(self, state: CaseState, recorded: Any) -> None:
        arc = str(validate_payload("accept", recorded.event.payload).arc)  # type: ignore[attr-defined]
        claims = self.store.stream(arc_stream(arc))
        if not any(r.event.type == "claim" and r.event.payload.get("case") == state.case_id for r in claims):
            self.add(recorded, "arc", f"{arc} is not claimed by this case in its ARC stream")
        if any(r.event.payload.get("case") != state.case_id for r in claims):
            self.add(recorded, "arc", f"{arc} is claimed by another case too; every case needs its own ARC")

    # --- the ledger, ARCs and partners --------------------------------------------------------

    def ledger(self, scheme_id: str, events: Sequence[Any]) -> None:
        from reciprocity.ledger.book import Book  # noqa: PLC0415
        from reciprocity.partnership.policy import partnership_of  # noqa: PLC0415

        try:
            book = Book(scheme_id, partnership_of(scheme_id).sized)
        except ReciprocityError:  # no such scheme: its entries are read without sizes
            book = Book(scheme_id, False)
        by_entry = {move_entry_id(m): m for m in self.moves[scheme_id]}
        for r in events:
            self.checked += 1
            e = r.event
            if e.type == "move":
                case_event = by_entry.get(e.event_id)
                if case_event not in self.moves[scheme_id]:
                    self.add(r, "ledger", "the ledger's move entry has no move event in a case of this scheme")
                elif split_actor(e.payload)[1].get("case_event") != case_event:
                    self.add(r, "ledger", "the move entry names another case event than the move it was written with")
            if e.type == "correction" and split_actor(e.payload)[0] != COORDINATOR:
                self.add(r, "actor", "only the coordinator corrects the ledger it keeps")
            try:
                book = book.add(e.event_id, r.seq, e.type, e.on, e.payload)
            except _BROKEN as error:
                self.add(r, "ledger", _why(error))

    def arc(self, arc: str, events: Sequence[Any]) -> None:
        for r in events:
            self.checked += 1
            if r.event.type != "claim" or r.event.payload.get("case") not in self.accepted.get(arc, set()):
                self.add(r, "arc", f"the claim of {arc} names no case that accepted it with this ARC")

    def partner(self, stream: str, events: Sequence[Any]) -> None:
        from reciprocity.partnership.policy import partnership_of  # noqa: PLC0415
        from reciprocity.partnership.record import fold  # noqa: PLC0415
        from reciprocity.partnership.service import COORDINATOR_EVENTS  # noqa: PLC0415

        scheme_id, _, partner_id = stream[len(PARTNER_PREFIX):].partition(":")
        record = None
        for r in events:
            self.checked += 1
            e = r.event
            actor = split_actor(e.payload)[0]
            if actor is None:
                self.add(r, "actor", "the event names no actor; every write records who acted")
            elif actor != COORDINATOR and (e.type in COORDINATOR_EVENTS or actor != partner_id):
                who = self.named(scheme_id, actor, r.position)
                self.add(r, "actor", f"{who} may not record a partner's {e.type.replace('_', ' ')}; only the "
                                     "coordinator (or, for its own notice, withdrawal and named lead, the partner)")
            try:
                record = fold(record, partnership_of(scheme_id), scheme_id, partner_id, e.type, e.on, e.payload)
            except _BROKEN as error:
                self.add(r, "process", _why(error))
            if e.type == "remove":
                self.guarded(r, "removal", lambda r=r: self.removal(scheme_id, partner_id, r))

    def removal(self, scheme_id: str, partner_id: str, recorded: Any) -> None:
        """A removal naming an arbitration: that arbitration, as the store stood before the
        removal, found ``partner_id``'s refusal not justified (Kent RP MoU §4.7)."""
        name = recorded.event.payload.get("arbitration")
        if name is None:
            return
        events = [r for r in self.store.stream(f"{ARBITRATION_PREFIX}{scheme_id}:{name}")
                  if r.position < recorded.position]
        request = next((r.event.payload for r in events if r.event.type == "request"), None)
        finding = next((r.event.payload.get("finding") for r in events if r.event.type == "decide"), None)
        if request is None:
            self.add(recorded, "removal", "the removal names an arbitration that was not requested before it")
        elif request.get("declining") != partner_id:
            self.add(recorded, "removal", f"the arbitration the removal names is of another partner's refusal, "
                                          f"not {partner_id}'s")
        elif finding != "refusal_not_justified":
            found = "found the refusal justified" if finding == "refusal_justified" else "was not decided"
            self.add(recorded, "removal", f"the arbitration the removal names {found} before it: no breach to "
                                          "remove for (Kent RP MoU §4.7)")


_DERIVED: dict[str, Callable[[_Verifier, CaseState, Any], None]] = {
    "check_eligibility": _Verifier.check,
    "make_offer": _Verifier.offer,
    "propose_offer": _Verifier.offer,
    "circulate": _Verifier.circulate,
    "move": _Verifier.move,
    "accept": _Verifier.accept,
}
