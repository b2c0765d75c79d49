"""Cases kept in an event store: record process events, read a case back, list what is due.

:class:`Cases` is what a housing system or the CLI uses. Every method takes the date it acts
on; each event is checked against the scheme's process inside the store's transaction, so a
refused event writes nothing and two writers cannot both move one case.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reciprocity.decision import Status
from reciprocity.errors import InputProblem, InvalidInputError, ReciprocityError
from reciprocity.inputs import coerce_offer, coerce_partner, coerce_referral, problems_from
from reciprocity.lifecycle.case import CaseState, apply, replay
from reciprocity.lifecycle.circulation import Circulation, areas_of, recipients
from reciprocity.lifecycle.deadlines import (
    DEFAULT_REVIEW_MONTHS,
    DueReport,
    case_deadlines,
    due,
    respond_by,
)
from reciprocity.lifecycle.duties import Obligation, obligations
from reciprocity.lifecycle.events import PAYLOADS
from reciprocity.lifecycle.process import Process
from reciprocity.model import Offer, Partner, Referral

__all__ = ["ArcInUseError", "Cases", "UnknownCaseError", "bedrooms_needed", "case_streams"]

_PREFIX = "case:"


_ARC_PREFIX = "arc:"


class ArcInUseError(ReciprocityError):
    """The Application Reference Code is already another case's."""


def _unclaimed(arc: str, case_id: str) -> Callable[[Sequence[Any]], None]:
    def check(events: Sequence[Any]) -> None:
        if any(r.event.payload.get("case") != case_id for r in events):
            raise ArcInUseError(f"{arc} is already the ARC of another case; every case needs its own")
    return check


class UnknownCaseError(ReciprocityError, LookupError):
    """No case has this id."""

    def __init__(self, case_id: str) -> None:
        super().__init__(f"no case {case_id!r} in this store; `reciprocity case list` shows the cases")
        self.case_id = case_id


def _process(scheme_id: str) -> Process:
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    scheme = get_scheme(scheme_id)
    if scheme.process is None:
        raise ReciprocityError(f"scheme {scheme_id} declares no case process")
    return scheme.process


class Cases:
    """The cases in one event store (``reciprocity.store.EventStore``)."""

    def __init__(self, store: Any, *, token: Callable[[int], bytes] = secrets.token_bytes) -> None:
        self.store = store
        self._token = token

    @classmethod
    def at(cls, path_or_url: str | Path, **kwargs: Any) -> Cases:
        from reciprocity.store import EventStore  # noqa: PLC0415

        return cls(EventStore.at(path_or_url), **kwargs)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Cases:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ----------------------------------------------------------------------------

    def _stream(self, case_id: str) -> list[Any]:
        events = self.store.stream(_PREFIX + case_id)
        if not events:
            raise UnknownCaseError(case_id)
        return events

    def get(self, case_id: str) -> CaseState:
        """The case as its events leave it."""
        events = self._stream(case_id)
        scheme_id = events[0].event.payload["scheme"]
        return replay(_process(scheme_id), case_id, events)

    def ids(self) -> list[str]:
        return [s[len(_PREFIX):] for s in self.store.streams(_PREFIX)]

    def all(self, scheme_id: str | None = None) -> list[CaseState]:
        cases = [self.get(case_id) for case_id in self.ids()]
        return [c for c in cases if scheme_id is None or c.scheme_id == scheme_id]

    def latest_request(self, case_id: str) -> dict[str, Any] | None:
        """The pseudonymised request of the case's latest circulation (what partners received)."""
        sent = [r.event.payload["request"] for r in self._stream(case_id) if r.event.type == "circulate"]
        return sent[-1] if sent else None

    # --- recording --------------------------------------------------------------------------

    def record(
        self,
        case_id: str,
        event: str,
        *,
        on: date,
        role: str,
        payload: Mapping[str, Any] | None = None,
        event_id: str | None = None,
    ) -> CaseState:
        """Record ``event`` on the case if its process allows it now; return the new state.

        Raises :class:`~reciprocity.lifecycle.case.TransitionRefused` (nothing written) when
        the process does not allow it, and InvalidInputError when the payload is invalid.

        Retries: an ``event_id`` already recorded with the same content is a no-op (different
        content raises ConflictingEventError). Without ``event_id``, the same event (type,
        date, role, payload) as the case's last one is taken as a retry and not written again;
        callers that may retry after other events were recorded should pass their own
        ``event_id`` (for example their command's id).
        """
        from reciprocity.store import Event  # noqa: PLC0415

        if not isinstance(on, date):
            raise TypeError("on must be a datetime.date")
        body = dict(payload or {})
        if event not in PAYLOADS:
            raise InvalidInputError("event", [InputProblem("event", f"unknown event {event!r}",
                                                           "see `reciprocity case show` for the events allowed now")])
        try:
            validated = PAYLOADS[event].model_validate(body)
        except ValidationError as error:
            raise InvalidInputError(f"{event} event", problems_from(error)) from None
        stream = _PREFIX + case_id
        existing = self.store.stream(stream)
        if event == "refer":
            scheme_id = body.get("scheme")
        elif not existing:
            raise UnknownCaseError(case_id)
        else:
            scheme_id = existing[0].event.payload["scheme"]
        process = _process(str(scheme_id))
        if event_id is None and existing and _same(existing[-1].event, event, on, role, body):
            return self.get(case_id)  # the same event twice in a row is a retry: a no-op
        result: list[CaseState] = []

        def expect(events: Sequence[Any]) -> None:
            state = replay(process, case_id, events)
            result.append(apply(process, state, len(events) + 1, event, on=on, role=role, payload=body))

        ident = event_id or _event_id(stream, len(existing) + 1, event, on, role, body)
        written = [Event(ident, stream, event, on, role, body)]
        checks: dict[str, Any] = {stream: expect}
        if any(r.event.event_id == ident for r in existing):
            self.store.append(written[0])  # recorded already: a no-op, or a conflict if it differs
            return self.get(case_id)
        if event == "move":
            # The ledger entry is written in the same transaction: no move without its entry.
            from reciprocity.ledger.service import move_entry  # noqa: PLC0415

            before = replay(process, case_id, existing)
            apply(process, before, len(existing) + 1, event, on=on, role=role, payload=body)  # refusal first
            entry = move_entry(before, ident, on)
            written.extend([entry] if entry is not None else [])
        if event == "accept":
            # One ARC, one case: the code is claimed in its own stream in the same transaction.
            arc = str(validated.arc)  # type: ignore[attr-defined]
            written.append(Event(f"arc-{arc}-{case_id}", _ARC_PREFIX + arc, "claim", on, role, {"case": case_id}))
            checks[_ARC_PREFIX + arc] = _unclaimed(arc, case_id)
        self.store.append_many(written, expect=checks)
        return result[-1] if result else self.get(case_id)

    def new(self, scheme_id: str, referral: Referral | Mapping[str, Any], *, on: date | None = None,
            role: str | None = None, case_id: str | None = None) -> CaseState:
        """Open a case with its referral (the process's first step); ``on`` defaults to the referral date."""
        model = coerce_referral(referral)
        process = _process(scheme_id)
        first = next(s for s in process.steps if "new" in s.sources)
        ident = case_id or "C-" + self._token(5).hex().upper()
        body = {"scheme": scheme_id, "referral": model.model_dump(mode="json")}
        return self.record(ident, first.event, on=on or model.referred_on, role=role or sorted(first.roles)[0],
                           payload=body)

    def registered(self, scheme_id: str, partner: Partner) -> Partner:
        """``partner`` with its membership dates and data sharing protocol signature taken from
        the scheme's partner register in this store, when the register has it (the register is
        the coordinator's record, Kent RP MoU §2.4 (first); a snapshot in a referral or offer
        may be out of date, e.g. miss a notice to withdraw, §5.5)."""
        from reciprocity.partnership.service import Partners  # noqa: PLC0415

        try:
            record = Partners(self.store).get(scheme_id, partner.id)
        except ReciprocityError:  # not in the register (or the scheme keeps none)
            return partner
        return partner.model_copy(update={
            "membership": record.partner.membership,
            "data_sharing_protocol_signatory": record.partner.data_sharing_protocol_signatory,
        })

    def check(self, case_id: str, *, on: date, role: str, engine: str = "native") -> CaseState:
        """Run the eligibility check on ``on`` and record its outcome (the nominating partner's
        standing comes from the partner register when it holds the partner)."""
        from reciprocity.api import evaluate  # noqa: PLC0415

        state = self.get(case_id)
        assert state.referral is not None
        nominator = self.registered(state.scheme_id, state.referral.nominating_partner)
        referral = state.referral.model_copy(update={"nominating_partner": nominator})
        decision = evaluate(state.scheme_id, referral, on=on, engine=engine)
        body = {"outcome": decision.outcome.value, "failed": [f.rule_id for f in decision.failed],
                "open": [f.rule_id for f in decision.findings if f.status is Status.NEEDS_INFORMATION]}
        return self.record(case_id, "check_eligibility", on=on, role=role, payload=body)

    def accept(self, case_id: str, *, on: date, role: str) -> CaseState:
        """Accept an eligible case and give it an Application Reference Code (kept for good)."""
        from reciprocity.privacy import new_arc  # noqa: PLC0415

        state = self.get(case_id)
        if state.arc is not None:
            return self.record(case_id, "accept", on=on, role=role, payload={"arc": state.arc})
        for attempt in range(3):  # 35 random bits: a repeat is rare, and refused by the claim
            try:
                return self.record(case_id, "accept", on=on, role=role, payload={"arc": str(new_arc(self._token))})
            except ArcInUseError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def circulation(self, case_id: str, partners: Iterable[Partner | Mapping[str, Any]] | None = None, *,
                    on: date) -> Circulation:
        """Who the case's request would go to on ``on`` (nothing is recorded); ``partners``
        defaults to the scheme's partner register in this store."""
        state = self.get(case_id)
        assert state.referral is not None
        return recipients(state.referral, self._directory(state.scheme_id, partners), on=on)

    def _directory(self, scheme_id: str, partners: Iterable[Partner | Mapping[str, Any]] | None) -> list[Partner]:
        if partners is None:
            from reciprocity.partnership.service import Partners  # noqa: PLC0415

            return Partners(self.store).directory(scheme_id)
        return [coerce_partner(p) for p in partners]

    def circulate(self, case_id: str, partners: Iterable[Partner | Mapping[str, Any]] | None = None, *,
                  on: date, role: str, notes: str | None = None) -> CaseState:
        """Send the pseudonymised request to the partners it may reach, and record it;
        ``partners`` defaults to the scheme's partner register in this store."""
        from reciprocity.plugins import get_scheme  # noqa: PLC0415
        from reciprocity.privacy import PartnerRequest  # noqa: PLC0415

        state = self.get(case_id)
        directory = self._directory(state.scheme_id, partners)
        referral = state.referral
        assert referral is not None
        if state.arc is None:
            raise ReciprocityError(f"case {case_id} has no Application Reference Code yet; accept it first")
        if state.unsafe_areas is None:
            raise ReciprocityError(f"case {case_id} has no unsafe areas recorded; record them (an empty list if "
                                   "none) before circulating")
        scheme = get_scheme(state.scheme_id)
        sought = None
        if scheme.process.circulate_to == "safe_scheme_areas":
            # Another borough (KRS preamble): never the area the household lives in now.
            sought = sorted(scheme.area_ids - state.unsafe_areas - {referral.current_area})
        sent = recipients(referral, directory, on=on, areas=sought)
        by_id = {p.id: p for p in directory}
        if not referral.requested_areas and sought:
            # KRS point 8: preferences are not a commitment; with none, the request names the
            # safe councils contacted, which point 10 makes known to the whole group anyway.
            referral = referral.model_copy(update={"requested_areas": tuple(sought)})
        if not referral.requested_areas:
            raise ReciprocityError(f"case {case_id} names no requested areas; record them (extend-areas) first")
        need = bedrooms_needed(state.scheme_id, referral, on)
        due_on = respond_by(on)
        request = PartnerRequest.for_referral(
            referral, arc=state.arc, circulated_on=on, respond_by=due_on,
            bedrooms_needed=need, round=len(state.rounds) + 1, notes=notes,
            scheme=state.scheme_id,
        )
        body = {
            "round": len(state.rounds) + 1,
            "recipients": list(sent.recipients),
            "excluded": [[e.partner, e.reason.value] for e in sent.excluded],
            "recipient_areas": {r: sorted(areas_of(by_id[r])) for r in sent.recipients},
            "respond_by": due_on.isoformat(),
            "request": request.model_dump(mode="json"),
        }
        return self.record(case_id, "circulate", on=on, role=role, payload=body)

    def make_offer(self, case_id: str, offer: Offer | Mapping[str, Any], *, on: date, role: str,
                   engine: str = "native") -> CaseState:
        """Assess the offer on ``on`` and record it (the process refuses an unsuitable one)."""
        from reciprocity.api import assess_offer  # noqa: PLC0415

        state = self.get(case_id)
        model = coerce_offer(offer)
        model = model.model_copy(update={"landlord": self.registered(state.scheme_id, model.landlord)})
        decision = assess_offer(state.scheme_id, state.referral, model, on=on, engine=engine)
        body = {"offer": model.model_dump(mode="json"), "assessment": decision.outcome.value,
                "failed": [f.rule_id for f in decision.findings
                           if f.status in (Status.NOT_MET, Status.NEEDS_INFORMATION)]}
        return self.record(case_id, "make_offer", on=on, role=role, payload=body)

    # --- deadlines and duties ---------------------------------------------------------------

    def due(self, *, on: date, within_days: int = 14) -> DueReport:
        """Every open case's deadlines and every partner's (withdrawals taking effect, named leads
        to name), sorted into overdue, due on ``on`` and upcoming."""
        items = []
        for state in self.all():
            process = _process(state.scheme_id)
            months = int(_param(state.scheme_id, on, "review_after_months", DEFAULT_REVIEW_MONTHS))
            items.extend(case_deadlines(state, process.deadlines, review_months=months))
        from reciprocity.partnership.service import Partners  # noqa: PLC0415

        items.extend(Partners(self.store).deadlines(on=on))
        return due(items, on=on, within_days=within_days)

    def obligations(self, case_id: str) -> list[Obligation]:
        state = self.get(case_id)
        return obligations(state, _process(state.scheme_id).duties)  # type: ignore[arg-type]


def case_streams(store: Any, scheme_id: str) -> Iterator[tuple[str, Sequence[Any]]]:
    """Each case stream of ``scheme_id`` in ``store`` with its recorded events, in the order the
    cases were opened (what reports and referral counts read without replaying the process)."""
    for stream in store.streams(_PREFIX):
        events = store.stream(stream)
        if events and events[0].event.type == "refer" and events[0].event.payload.get("scheme") == scheme_id:
            yield stream, events


def bedrooms_needed(scheme_id: str, referral: Referral, on: date) -> int | None:
    """The bedrooms the referral's household needs under the scheme's ``size_standard`` in force
    on ``on``, or None when the household (or a fact that could change the answer) is unknown."""
    from reciprocity.sizes import SizeStandard, bedroom_need  # noqa: PLC0415

    if referral.household is None:
        return None
    standard = _param(scheme_id, on, "size_standard", SizeStandard.SOCIAL_SECTOR_SIZE_CRITERIA)
    need = bedroom_need(referral.household, SizeStandard(standard))
    return need if isinstance(need, int) else None


def _param(scheme_id: str, on: date, name: str, default: Any) -> Any:
    """The scheme parameter ``name`` in force on ``on``, or ``default`` when it has none."""
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    try:
        return get_scheme(scheme_id).ruleset(on).params.get(name, default)
    except ReciprocityError:  # no rules in force that day
        return default


def _same(recorded: Any, event: str, on: date, role: str, body: Mapping[str, Any]) -> bool:
    """Whether ``recorded`` is this very event (same type, date, role and payload)."""
    as_json = json.loads(json.dumps(body, default=str))
    return (recorded.type, recorded.on, recorded.role) == (event, on, role) and recorded.payload == as_json


def _event_id(stream: str, seq: int, event: str, on: date, role: str, body: Mapping[str, Any]) -> str:
    """A repeatable id: the same write at the same place in the case gets the same id, so a
    retried write is a no-op."""
    text = json.dumps([stream, seq, event, on.isoformat(), role, body], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
