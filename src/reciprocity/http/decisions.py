"""Stateless decisions, as OpenFisca's ``/calculate``: the schemes, their rules as data, the
input schemas, and the decision on a referral or an offer. Nothing is stored; no token needed
(the referral is the caller's own, and it is neither kept nor logged)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from reciprocity import api, plugins
from reciprocity.engines import ENGINES
from reciprocity.http.body import SafeJSONRoute
from reciprocity.http.problems import PROBLEM_RESPONSES, Problem
from reciprocity.http.schemas import (
    BatchBody,
    BatchDecisions,
    DecisionView,
    OfferBody,
    SchemeDocument,
    SchemeSummary,
)
from reciprocity.model import Offer, Referral
from reciprocity.model.base import EARLIEST_DATE, LATEST_DATE, InputDate
from reciprocity.rules.export import scheme_document

__all__ = ["router"]

# The deciding routes are ``async def``: a decision is pure computation of a fraction of a
# millisecond, and a plain ``def`` route would cost two hops through the thread pool per request
# (measured: about twice the server's CPU per request; docs/performance.md). The batch route
# stays a plain ``def``: 1,000 decisions take about 0.2 s, which must not hold the event loop.

_NOT_FOUND = {404: {"description": "No scheme with this id is installed.", "model": Problem,
                    "content": {"application/problem+json": {}}}}
router = APIRouter(route_class=SafeJSONRoute, tags=["decisions"], responses=PROBLEM_RESPONSES)

Engine = Literal[tuple(ENGINES)]  # type: ignore[valid-type]
OnQuery = Annotated[InputDate | None, Query(
    description=f"Apply the rules in force on this date (YYYY-MM-DD, {EARLIEST_DATE} to {LATEST_DATE}); "
                "default: the referral's referred_on (an offer's made_on).")]
EngineQuery = Annotated[Engine, Query(description="The rules engine (every engine gives the same answer).")]


@router.get("/schemes", response_model=list[SchemeSummary], summary="The installed schemes")
def list_schemes() -> list[dict[str, Any]]:
    return [{"id": s.id, "title": s.title, "version": s.version, "rules": len(s.rules),
             "areas": [a.id for a in s.areas]} for s in plugins.schemes()]


@router.get("/schemes/{scheme_id}", response_model=SchemeDocument, responses=_NOT_FOUND,
            summary="A scheme as data: rules, offer rules, parameters, interpretations, areas")
def get_scheme(scheme_id: str) -> dict[str, Any]:
    return scheme_document(plugins.get_scheme(scheme_id))


@router.get("/schemas/referral", summary="The JSON Schema of a referral")
def referral_schema() -> dict[str, Any]:
    return Referral.model_json_schema()


@router.get("/schemes/{scheme_id}/schemas/referral", responses=_NOT_FOUND,
            summary="The JSON Schema of a referral to this scheme (its own fields and harm types included)")
def scheme_referral_schema(scheme_id: str) -> dict[str, Any]:
    return api.referral_json_schema(scheme_id)


@router.get("/schemas/offer", summary="The JSON Schema of an offer")
def offer_schema() -> dict[str, Any]:
    return Offer.model_json_schema()


@router.post("/schemes/{scheme_id}/check", response_model=DecisionView, responses=_NOT_FOUND,
             summary="Decide whether a referral is eligible")
async def check(scheme_id: str, referral: Referral, on: OnQuery = None,
                engine: EngineQuery = "native") -> dict[str, Any]:
    """Every finding with its clause, the facts it read and why; the questions for what is missing."""
    return api.evaluate(scheme_id, referral, on=on, engine=engine).to_dict()


@router.post("/schemes/{scheme_id}/check/batch", response_model=BatchDecisions, responses=_NOT_FOUND,
             summary="Decide many referrals at once")
def check_batch(scheme_id: str, body: BatchBody, on: OnQuery = None,
                engine: EngineQuery = "native") -> dict[str, Any]:
    decisions = api.evaluate_many(scheme_id, body.referrals, on=on, engine=engine)
    return {"decisions": [d.to_dict() for d in decisions]}


@router.post("/schemes/{scheme_id}/offer", response_model=DecisionView, responses=_NOT_FOUND,
             summary="Assess an offered home against the referral it answers")
async def offer(scheme_id: str, body: OfferBody, on: OnQuery = None,
                engine: EngineQuery = "native") -> dict[str, Any]:
    return api.assess_offer(scheme_id, body.referral, body.offer, on=on, engine=engine).to_dict()
