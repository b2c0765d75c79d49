"""Bearer authentication: the caller's token becomes the actor every command names.

The service adds no rules of its own: the token says who acts (a partner of one scheme's
register, or its coordinator, in one role); the commands check that actor against the
register, the case and the process exactly as they do for the command line.
"""

from __future__ import annotations

from typing import Annotated, Any

import attrs
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from reciprocity.access.tokens import ApiToken, TokenRefused, Tokens
from reciprocity.lifecycle.actors import Actor, ActorRefused

__all__ = ["Caller", "CurrentCaller", "bearer", "store_of"]

bearer = HTTPBearer(auto_error=False, scheme_name="token",
                    description="An API token from `reciprocity token create` (Authorization: Bearer rcp_...).")


def store_of(request: Request) -> Any:
    """The event store the service runs on (opened once per process, on first use)."""
    return request.app.state.stores.get()


@attrs.frozen
class Caller:
    """Who is calling: the token's actor, acting in the token's scheme."""

    token: ApiToken

    @property
    def actor(self) -> Actor:
        return self.token.actor

    @property
    def scheme_id(self) -> str:
        return self.token.scheme_id

    def check_scheme(self, scheme_id: str) -> None:
        """ActorRefused unless the caller acts in ``scheme_id``."""
        if scheme_id != self.scheme_id:
            raise ActorRefused("the token is for another scheme; each token acts in one scheme only")

    def coordinator(self, what: str) -> None:
        """ActorRefused unless the caller is the scheme's coordinator."""
        if not self.actor.is_coordinator:
            raise ActorRefused(f"only the scheme's coordinator {what}")


def _caller(request: Request,
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Caller:
    if credentials is None:
        raise TokenRefused("no token: send the header Authorization: Bearer <token> (a token comes from "
                           "`reciprocity token create`)")
    return Caller(Tokens(store_of(request)).authenticate(credentials.credentials))


#: The authenticated caller of an operation (401 without a valid token).
CurrentCaller = Annotated[Caller, Depends(_caller)]
