"""Errors as RFC 9457 problem details (``application/problem+json``).

Every refusal the library makes becomes one problem with the same words the command line
prints: ``detail`` is the library's message, ``errors`` the field paths with what is wrong and
what to do. No message repeats an input value (the library's messages never do, and the web
framework's own validation messages are rewritten in the project's words, without ``input``).

============================  ======  ==============================================
error                         status  ``type``
============================  ======  ==============================================
invalid input                 422     ``urn:reciprocity:problem:invalid-input``
no or bad token               401     ``urn:reciprocity:problem:unauthenticated``
actor may not do it           403     ``urn:reciprocity:problem:forbidden``
unknown scheme, case, ...     404     ``urn:reciprocity:problem:not-found``
refused by the process        409     ``urn:reciprocity:problem:refused``
body too large                413     ``urn:reciprocity:problem:too-large``
store unavailable             503     ``urn:reciprocity:problem:store``
============================  ======  ==============================================
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from reciprocity.errors import (
    InputProblem,
    InvalidInputError,
    NoRulesInForceError,
    ReciprocityError,
    UnknownSchemeError,
)

__all__ = ["AUTH_RESPONSES", "MEDIA_TYPE", "PROBLEM_RESPONSES", "Problem", "ProblemError", "ProblemField", "install",
           "problem_fields"]

_log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"
_TYPE = "urn:reciprocity:problem:"


class ProblemField(BaseModel):
    """One field that is wrong: where, what is wrong, what to do."""

    path: str = Field(description="The field's path in the document, e.g. household.members[0].age.")
    message: str
    hint: str = ""


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, in words for the person who meets it."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URN naming the kind of problem.")
    title: str
    status: int
    detail: str = Field(description="What is wrong and what to do; never an input value.")
    errors: list[ProblemField] | None = Field(None, description="Each field that is wrong (invalid input).")
    allowed_events: list[str] | None = Field(
        None, description="For a refused transition: the events the case's process allows in its state now.")


class ProblemError(StarletteHTTPException):
    """A problem a route raises directly (e.g. a body that cannot be read). An HTTPException, so
    that the framework's body reader passes it on unchanged."""

    def __init__(self, status: int, kind: str, title: str, detail: str, **extra: Any) -> None:
        super().__init__(status, detail)
        self.status, self.kind, self.title, self.extra = status, kind, title, extra


def _problem(status: int, kind: str, title: str, detail: str, headers: dict[str, str] | None = None,
             **extra: Any) -> JSONResponse:
    body = {"type": _TYPE + kind, "title": title, "status": status, "detail": detail,
            **{k: v for k, v in extra.items() if v is not None}}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def problem_fields(problems: tuple[InputProblem, ...] | list[InputProblem]) -> list[dict[str, str]]:
    return [{"path": p.path, "message": p.message, "hint": p.hint} for p in problems]


def invalid(error: InvalidInputError) -> JSONResponse:
    return _problem(422, "invalid-input", f"invalid {error.what}", str(error).split("\n", 1)[0],
                    errors=problem_fields(error.problems))


def _location(loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], str]:
    """The document path of a framework error and which part of the request it is in."""
    where = str(loc[0]) if loc else "body"
    rest = loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc
    return tuple(rest), where


def _validation(errors: list[Any]) -> InvalidInputError:
    from reciprocity.inputs import problems_from_errors  # noqa: PLC0415

    problems: list[InputProblem] = []
    for item in errors:
        loc, where = _location(tuple(item.get("loc", ())))
        if item.get("type") == "json_invalid":
            problems.append(InputProblem("", "is not valid JSON", "send one JSON document"))
            continue
        for problem in problems_from_errors([{**item, "loc": loc}]):
            path = problem.path if where == "body" else f"{problem.path} ({where})"
            problems.append(InputProblem(path, problem.message, problem.hint))
    return InvalidInputError("request", problems)


def _status_of(error: ReciprocityError) -> tuple[int, str, str]:
    """The status, problem type and title of a library error (by its class, never its text)."""
    from reciprocity.access.tokens import TokenRefused  # noqa: PLC0415
    from reciprocity.casework.cases import AlreadyRecordedError, CaseChangedError, UnknownCaseError  # noqa: PLC0415
    from reciprocity.lifecycle.actors import ActorRefused  # noqa: PLC0415
    from reciprocity.lifecycle.case import TransitionRefused  # noqa: PLC0415
    from reciprocity.partnership.service import UnknownPartnerError  # noqa: PLC0415
    from reciprocity.store.errors import ConflictingEventError, StoreError  # noqa: PLC0415

    if isinstance(error, TokenRefused):
        return 401, "unauthenticated", "not authenticated"
    if isinstance(error, ActorRefused) or (
            isinstance(error, TransitionRefused) and error.rule in ("actor", "role")):
        return 403, "forbidden", "not allowed for this actor"
    if isinstance(error, (UnknownSchemeError, UnknownCaseError, UnknownPartnerError)):
        return 404, "not-found", "not found"
    if isinstance(error, NoRulesInForceError):
        return 422, "invalid-input", "no rules in force on that date"
    if isinstance(error, ConflictingEventError):
        return 409, "conflict", "the event id was used for a different event"
    if isinstance(error, AlreadyRecordedError):
        return 409, "conflict", "recorded by another request at the same moment"
    if isinstance(error, CaseChangedError):
        return 409, "conflict", "the case changed meanwhile: try again"
    if isinstance(error, StoreError):
        return 503, "store", "the case store could not be used"
    return 409, "refused", "refused by the scheme's rules"


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem."""

    @app.exception_handler(InvalidInputError)
    async def _invalid(_request: Request, error: InvalidInputError) -> JSONResponse:
        return invalid(error)

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        return invalid(_validation(list(error.errors())))

    @app.exception_handler(ValidationError)
    async def _model_invalid(_request: Request, error: ValidationError) -> JSONResponse:
        from reciprocity.inputs import problems_from  # noqa: PLC0415

        return invalid(InvalidInputError(f"{error.title} record", problems_from(error)))

    @app.exception_handler(ReciprocityError)
    async def _refused(_request: Request, error: ReciprocityError) -> JSONResponse:
        from reciprocity.lifecycle.case import TransitionRefused  # noqa: PLC0415

        status, kind, title = _status_of(error)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        allowed = list(error.allowed) if isinstance(error, TransitionRefused) and status == 409 else None
        if status == 503:
            _log.warning("store error: %s", type(error).__name__)
        return _problem(status, kind, title, str(error), headers=headers, allowed_events=allowed)

    @app.exception_handler(ProblemError)
    async def _raised(_request: Request, error: ProblemError) -> JSONResponse:
        return _problem(error.status, error.kind, error.title, error.detail, **error.extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        words = {404: ("not-found", "not found", "no such resource; see /openapi.json for the operations"),
                 405: ("method-not-allowed", "method not allowed", "this resource does not take this method"),
                 413: ("too-large", "request body too large",
                       "the body is larger than the service accepts (RECIPROCITY_MAX_INPUT_BYTES)"),
                 415: ("unsupported-media-type", "unsupported media type", "send the body as application/json")}
        kind, title, detail = words.get(error.status_code, ("http", "request refused", "the request was refused"))
        headers = getattr(error, "headers", None)
        if error.status_code == 405:
            headers = {**(headers or {}), "Allow": ", ".join(_methods_at(_request))}
        return _problem(error.status_code, kind, title, detail, headers=headers)

    app.add_middleware(_Contained)


class _Contained:
    """Turns an unexpected error into a 500 problem, logging only the error's class.

    Starlette's own handler for ``Exception`` answers, then raises the error again for the
    server to log with its traceback, whose text may hold a value from the request (a key, a
    field): this middleware sits inside it and ends the error there.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as error:  # noqa: BLE001 - every error ends here, as a problem
            _log.error("unexpected error: %s", type(error).__name__)
            if not started:
                response = _problem(500, "internal", "internal error",
                                    "the service failed; the request was not completed")
                await response(scope, receive, send)


def _methods_at(request: Request) -> list[str]:
    """Every method some route takes at the request's path (Starlette's own 405 names only
    those of the first route that matched the path, where GET and POST are two routes)."""
    from starlette.routing import Match  # noqa: PLC0415

    methods: set[str] = set()
    for route in request.app.router.routes:
        # A route whose path matches answers PARTIAL for another method, FULL for its own.
        if getattr(route, "methods", None) and route.matches(request.scope)[0] is not Match.NONE:
            methods |= set(route.methods)
    return sorted(methods)


def _response(description: str) -> dict[str, Any]:
    return {"description": description, "model": Problem, "content": {MEDIA_TYPE: {}}}


#: The problem responses every operation may give, for the OpenAPI document.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: _response("Invalid input: each field that is wrong, with what to do."),
    500: _response("The service failed."),
}
#: And those of the operations that need a token.
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _response("No token, or a token that is unknown or revoked."),
    403: _response("The token's actor may not do this."),
}
