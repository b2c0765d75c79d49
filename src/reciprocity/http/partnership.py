"""The partnership over HTTP: the partner register, the ledger, arbitrations and reports, as
the token's actor (filled in by the routes below)."""

from __future__ import annotations

from fastapi import APIRouter

from reciprocity.http.body import SafeJSONRoute
from reciprocity.http.problems import AUTH_RESPONSES, PROBLEM_RESPONSES

__all__ = ["router"]

router = APIRouter(route_class=SafeJSONRoute, responses={**PROBLEM_RESPONSES, **AUTH_RESPONSES})
