"""Case work over HTTP, acting as the token's actor.

The coordinator and a case's nominating partner address the case by its id (``/cases/{id}``)
and read it whole; a partner a request went to addresses it by the ARC (``/requests/{arc}``)
and learns only the request and the case's state. Every write is one library command, with
the token's actor; what it records (a decision, recipients, an assessment, a ledger entry) the
library derives. Which actor may read what is :mod:`reciprocity.access.scope`'s.
"""

# No `from __future__ import annotations`: the event routes below are built in a loop, and
# FastAPI reads their (local) body models from the annotations.

import re
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import Field, create_model

from reciprocity.access import reads as read_log
from reciprocity.access.scope import (
    case_for_arc,
    check_reads_case,
    deadlines_for,
    reads_case,
    requests_for,
)
from reciprocity.casework.cases import Cases
from reciprocity.casework.views import case_view
from reciprocity.engines import ENGINES
from reciprocity.http.auth import CurrentCaller, store_of
from reciprocity.http.body import SafeJSONRoute
from reciprocity.http.params import DayQuery, on_field, problem_response
from reciprocity.http.problems import AUTH_RESPONSES, PROBLEM_RESPONSES
from reciprocity.http.schemas import CaseSummary, CaseView, NewCaseBody, RecipientView, Who
from reciprocity.lifecycle.actors import ActorRefused
from reciprocity.lifecycle.events import COMMANDS, DERIVED, PAYLOADS
from reciprocity.model import Offer, Referral
from reciprocity.model.base import BoundaryModel
from reciprocity.partnership.service import Partners

__all__ = ["router"]



_CASE_RESPONSES = {**problem_response(404, "No case with this id."),
                   **problem_response(409, "The scheme's process or rules refuse it now (the events allowed are listed).")}
router = APIRouter(route_class=SafeJSONRoute, responses={**PROBLEM_RESPONSES, **AUTH_RESPONSES})

CaseId = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
                             description="The case id (coordinator and nominating partner only).")]
Arc = Annotated[str, Path(max_length=32, pattern=r"^[A-Za-z0-9-]+$",
                          description="The case's Application Reference Code, as the request gives it.")]



def _cases(request: Request) -> Cases:
    return Cases(store_of(request))


def _readable(cases: Cases, caller: Any, case_id: str) -> Any:
    state = cases.get(case_id)
    check_reads_case(caller.actor, caller.scheme_id, state)
    return state


def _by_arc(cases: Cases, caller: Any, arc: str) -> Any:
    """The case a request with this ARC was sent to the caller for (403 if it was not)."""
    case_id = case_for_arc(cases.store, arc)
    state = cases.get(case_id) if case_id is not None else None
    if state is None or state.scheme_id != caller.scheme_id or not any(
            caller.actor.partner in r.recipients for r in state.rounds):
        if state is not None and reads_case(caller.actor, caller.scheme_id, state):
            return state
        raise ActorRefused("no request with this ARC was sent to this partner; GET /requests lists those that were")
    return state


def _view(cases: Cases, state: Any) -> dict[str, Any]:
    return case_view(state, cases)


# --- who am I -------------------------------------------------------------------------------------

@router.get("/me", response_model=Who, tags=["access"], summary="The actor the token stands for")
def me(caller: CurrentCaller) -> dict[str, Any]:
    return {"token": caller.token.token_id, "scheme": caller.scheme_id, "partner": caller.actor.partner,
            "role": caller.actor.role}


# --- cases, by id ---------------------------------------------------------------------------------

@router.post("/cases", response_model=CaseView, status_code=201, tags=["cases"], responses=_CASE_RESPONSES,
             summary="Open a case with a referral (the nominating partner's officer)")
def new_case(request: Request, body: NewCaseBody, caller: CurrentCaller) -> dict[str, Any]:
    if body.referral.scheme is not None:
        caller.check_scheme(body.referral.scheme)  # a referral for another scheme's cases: not this token's
    cases = _cases(request)
    state = cases.new(caller.scheme_id, body.referral, actor=caller.actor, on=body.on, case_id=body.case_id)
    return _view(cases, state)


@router.get("/cases", response_model=list[CaseSummary], tags=["cases"],
            summary="The cases the caller reads: all of the scheme's (coordinator), or those it nominated")
def list_cases(
    request: Request, caller: CurrentCaller,
    limit: Annotated[int | None, Query(ge=1, le=10_000, description="At most this many cases (a page).")] = None,
    after: Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
                                       description="Only cases opened after this one (the previous page's last).")] = None,
) -> list[dict[str, Any]]:
    cases = _cases(request)
    nominator = None if caller.actor.is_coordinator else caller.actor.partner
    return [c.to_dict() for c in cases.summaries(caller.scheme_id, limit=limit, after=after, nominator=nominator)
            if reads_case(caller.actor, caller.scheme_id, c)]


@router.get("/cases/{case_id}", response_model=CaseView, tags=["cases"], responses=_CASE_RESPONSES,
            summary="A case: state, ARC, history, what is allowed now, obligations")
def get_case(request: Request, case_id: CaseId, caller: CurrentCaller) -> dict[str, Any]:
    cases = _cases(request)
    return _view(cases, _readable(cases, caller, case_id))


@router.get("/cases/{case_id}/referral", response_model=Referral, tags=["cases"], responses=_CASE_RESPONSES,
            summary="The case's referral (special category data: each read is logged)")
def get_referral(request: Request, case_id: CaseId, caller: CurrentCaller) -> Any:
    cases = _cases(request)
    state = _readable(cases, caller, case_id)
    read_log.log_read(cases.store, state.scheme_id, case_id, caller.actor, on=request.app.state.today())
    return state.referral


@router.get("/cases/{case_id}/request", response_model=dict[str, Any] | None, tags=["cases"],
            responses=_CASE_RESPONSES, summary="The pseudonymised request of the latest circulation")
def get_case_request(request: Request, case_id: CaseId, caller: CurrentCaller) -> Any:
    cases = _cases(request)
    _readable(cases, caller, case_id)
    return cases.latest_request(case_id)


class OnBody(BoundaryModel):
    on: date = on_field()


class CheckBody(OnBody):
    engine: Literal[tuple(ENGINES)] = "native"  # type: ignore[valid-type]


class CirculateBody(OnBody):
    notes: str | None = Field(None, description="Free text for partners; refused if it holds an identifier.")
    known: list[str] = Field([], max_length=50, description="Names, addresses or places your system holds for "
                             "the case: refused in the notes too.")


class ReviewBody(OnBody):
    approve: bool = Field(description="The named lead's decision on the flagged offer.")
    consent: bool = Field(description="Whether the household consents to it.")


class MakeOfferBody(OnBody):
    offer: Offer


@router.post("/cases/{case_id}/check", response_model=CaseView, tags=["cases"], responses=_CASE_RESPONSES,
             summary="Run the eligibility check on the case's referral and record its outcome")
def check_case(request: Request, case_id: CaseId, body: CheckBody, caller: CurrentCaller) -> dict[str, Any]:
    cases = _cases(request)
    _readable(cases, caller, case_id)
    return _view(cases, cases.check(case_id, on=body.on, actor=caller.actor, engine=body.engine))


@router.post("/cases/{case_id}/accept", response_model=CaseView, tags=["cases"], responses=_CASE_RESPONSES,
             summary="Accept an eligible case and issue its ARC")
def accept_case(request: Request, case_id: CaseId, body: OnBody, caller: CurrentCaller) -> dict[str, Any]:
    cases = _cases(request)
    _readable(cases, caller, case_id)
    return _view(cases, cases.accept(case_id, on=body.on, actor=caller.actor))


@router.post("/cases/{case_id}/circulate", response_model=CaseView, tags=["cases"], responses=_CASE_RESPONSES,
             summary="Send the pseudonymised request to the partners it may safely reach")
def circulate_case(request: Request, case_id: CaseId, body: CirculateBody, caller: CurrentCaller) -> dict[str, Any]:
    cases = _cases(request)
    _readable(cases, caller, case_id)
    return _view(cases, cases.circulate(case_id, on=body.on, actor=caller.actor, notes=body.notes,
                                        known=tuple(body.known)))


@router.post("/cases/{case_id}/review-offer", response_model=CaseView, tags=["cases"], responses=_CASE_RESPONSES,
             summary="The nominating partner's named lead approves or rejects an offer flagged for review")
def review_offer(request: Request, case_id: CaseId, body: ReviewBody, caller: CurrentCaller) -> dict[str, Any]:
    cases = _cases(request)
    _readable(cases, caller, case_id)
    return _view(cases, cases.review_offer(case_id, on=body.on, actor=caller.actor, approve=body.approve,
                                           consent=body.consent))


# --- requests, by ARC -----------------------------------------------------------------------------

@router.get("/requests", response_model=list[dict[str, Any]], tags=["requests"],
            summary="The pseudonymised requests sent to the caller")
def list_requests(request: Request, caller: CurrentCaller) -> list[dict[str, Any]]:
    return list(requests_for(store_of(request), caller.scheme_id, caller.actor.partner))


@router.get("/requests/{arc}", response_model=list[dict[str, Any]], tags=["requests"],
            responses=problem_response(404, "No case with this ARC."),
            summary="Every round of one case's request sent to the caller")
def get_request(request: Request, arc: Arc, caller: CurrentCaller) -> list[dict[str, Any]]:
    cases = _cases(request)
    _by_arc(cases, caller, arc)
    return [r for r in requests_for(cases.store, caller.scheme_id, caller.actor.partner) if r.get("arc") == arc]


def _recipient_view(state: Any, event: str) -> dict[str, Any]:
    return {"arc": state.arc, "state": state.state, "event": event}


@router.post("/requests/{arc}/offer", response_model=RecipientView, tags=["requests"],
             responses=_CASE_RESPONSES, summary="Offer a home for the case (assessed; flagged for review "
                                                "where like for like cannot be guaranteed)")
def offer_home(request: Request, arc: Arc, body: MakeOfferBody, caller: CurrentCaller) -> dict[str, Any]:
    cases = _cases(request)
    state = _by_arc(cases, caller, arc)
    after = cases.make_offer(state.case_id, body.offer, on=body.on, actor=caller.actor)
    return _recipient_view(after, after.history[-1].event)


# --- every other event: one route by id, one by ARC ---------------------------------------------

_TITLE = re.compile(r"(?:^|_)([a-z])")


def _event_body(event: str) -> type[BoundaryModel]:
    name = _TITLE.sub(lambda m: m.group(1).upper(), event) + "Body"
    return create_model(  # type: ignore[call-overload, no-any-return]
        name, __base__=PAYLOADS[event], __module__=__name__,
        on=(date, on_field()),
        event_id=(str | None, Field(None, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$",
                                    description="An idempotency key: the same key with the same event is a no-op.")),
    )


def _add_event_routes(event: str) -> None:
    model = _event_body(event)
    command = COMMANDS[event]
    doc = PAYLOADS[event].__doc__ or ""
    summary = f"Record the '{event}' event"

    def record(cases: Cases, state: Any, body: Any, caller: Any) -> Any:
        payload = body.model_dump(mode="json", exclude_unset=True, exclude={"on", "event_id"})
        return cases.record(state.case_id, event, on=body.on, actor=caller.actor, payload=payload,
                            event_id=body.event_id)

    def by_id(request: Request, case_id: CaseId, body: model, caller: CurrentCaller) -> dict[str, Any]:  # type: ignore[valid-type]
        cases = _cases(request)
        return _view(cases, record(cases, _readable(cases, caller, case_id), body, caller))

    def by_arc(request: Request, arc: Arc, body: model, caller: CurrentCaller) -> dict[str, Any]:  # type: ignore[valid-type]
        cases = _cases(request)
        return _recipient_view(record(cases, _by_arc(cases, caller, arc), body, caller), event)

    by_id.__name__ = f"case_{event}"
    by_arc.__name__ = f"request_{event}"
    router.add_api_route(f"/cases/{{case_id}}/{command}", by_id, methods=["POST"], response_model=CaseView,
                         tags=["cases"], responses=_CASE_RESPONSES, summary=summary, description=doc,
                         operation_id=f"case_{event}")
    router.add_api_route(f"/requests/{{arc}}/{command}", by_arc, methods=["POST"], response_model=RecipientView,
                         tags=["requests"], responses=_CASE_RESPONSES, summary=summary + " (by ARC)",
                         description=doc, operation_id=f"request_{event}")


for _event in PAYLOADS:
    if _event not in DERIVED:
        _add_event_routes(_event)


# --- deadlines ------------------------------------------------------------------------------------

@router.get("/due", tags=["cases"], summary="What is overdue, due and coming up, of what the caller may see")
def due(request: Request, on: DayQuery, caller: CurrentCaller,
        within: Annotated[int, Query(ge=0, le=366, description="Days ahead to list.")] = 14) -> dict[str, Any]:
    cases = _cases(request)
    report = cases.due(on=on, within_days=within)
    partners = frozenset(r.id for r in Partners(cases.store).all(caller.scheme_id))
    return {"on": on.isoformat(), **deadlines_for(report, cases.summaries(caller.scheme_id), caller.actor,
                                                   caller.scheme_id, partners)}

