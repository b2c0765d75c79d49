"""Reading a request body the way every file is read: within the same limits.

FastAPI parses a JSON body with ``json.loads`` and no limit on nesting; here the body is read
by :func:`reciprocity.documents.parse_document` instead (depth, value count and number-length
limits, one plain document), under the service's body size limit, so a request is no more able
to exhaust the service than a file is the command line.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from reciprocity.documents import max_input_bytes, parse_document
from reciprocity.errors import InvalidInputError
from reciprocity.http.problems import ProblemError, problem_fields

__all__ = ["SafeJSONRoute"]


def _too_large(limit: int) -> ProblemError:
    return ProblemError(413, "too-large", "request body too large",
                        f"the body is over {limit:,} bytes, the most the service reads "
                        "(RECIPROCITY_MAX_INPUT_BYTES); send one referral or a smaller batch")


class _SafeRequest(Request):
    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            limit = max_input_bytes()
            declared = self.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise _too_large(limit)
            chunks, size = [], 0
            async for chunk in self.stream():
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                chunks.append(chunk)
            self._body = b"".join(chunks)
        return self._body

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            raw = await self.body()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise ProblemError(422, "invalid-input", "invalid request",
                                   "the body is not UTF-8 text; send JSON encoded as UTF-8") from None
            try:
                self._json = parse_document(text, name="the request body", kind="json")
            except InvalidInputError as error:
                raise ProblemError(422, "invalid-input", "invalid request", str(error).split("\n", 1)[0],
                                   errors=problem_fields(error.problems)) from None
        return self._json


class SafeJSONRoute(APIRoute):
    """A route whose JSON body is parsed within the library's input limits."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def safe(request: Request) -> Response:
            return await handler(_SafeRequest(request.scope, request.receive))

        return safe
