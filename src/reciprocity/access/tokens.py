"""API tokens: who a caller of the HTTP service is.

A token names one actor of one scheme: a partner of its register (or the coordinator) and the
role it acts in. The coordinator creates it; its secret is shown once, when it is created, and
the store keeps only the secret's SHA-256 digest (the secret is 256 random bits, so a fast
digest cannot be reversed by guessing). A token is revoked by recording that it is; a revoked
token never authenticates again. Each token is one stream (``token:<token id>``), so
authenticating reads one short stream.

A token reads ``rcp_<token id>_<secret>``: the id is public (it names the token in listings
and on revocation), the secret is not.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from datetime import date
from typing import Any

import attrs

from reciprocity.errors import InputProblem, InvalidInputError, ReciprocityError
from reciprocity.lifecycle.actors import Actor, as_actor, coordinator_only
from reciprocity.store.events import Event
from reciprocity.store.streams import TOKEN_PREFIX, token_stream

__all__ = ["ApiToken", "IssuedToken", "TokenRefused", "Tokens"]

_TOKEN = re.compile(r"rcp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")
_ID = re.compile(r"[0-9a-f]{12}")


class TokenRefused(ReciprocityError):
    """A token that is malformed, unknown or revoked (the message never repeats it)."""


@attrs.frozen
class ApiToken:
    """A token as the store keeps it: never its secret."""

    token_id: str
    scheme_id: str
    actor: Actor
    created_on: date
    revoked_on: date | None = None

    @property
    def active(self) -> bool:
        return self.revoked_on is None

    def to_dict(self) -> dict[str, Any]:
        return {"token": self.token_id, "scheme": self.scheme_id, "partner": self.actor.partner,
                "role": self.actor.role, "created_on": self.created_on.isoformat(),
                "revoked_on": self.revoked_on.isoformat() if self.revoked_on else None}


@attrs.frozen
class IssuedToken:
    """A token just created: ``secret`` is the whole bearer token, shown this once."""

    token: ApiToken
    secret: str = attrs.field(repr=False)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def _roles(scheme_id: str) -> dict[str, str]:
    from reciprocity.casework.derive import all_roles  # noqa: PLC0415

    return all_roles(scheme_id)


class Tokens:
    """The API tokens kept in one event store."""

    def __init__(self, store: Any, *, token: Callable[[int], bytes] = secrets.token_bytes) -> None:
        self.store = store
        self._token = token

    def create(self, scheme_id: str, partner_id: str, role: str, *, on: date,
               actor: Actor | tuple[str, str]) -> IssuedToken:
        """A new token for ``partner_id`` (or ``"coordinator"``) acting as ``role`` in
        ``scheme_id``; only the coordinator creates one. The partner must be a member of the
        scheme on ``on`` and the role one of the scheme's process."""
        from reciprocity.casework.actors import check_registered  # noqa: PLC0415
        from reciprocity.plugins import get_scheme  # noqa: PLC0415

        coordinator_only(actor, "issues API tokens", "the service's access rules, docs/http.md")
        get_scheme(scheme_id)
        holder = Actor(partner_id, role)
        roles = _roles(scheme_id)
        if role not in roles:
            raise InvalidInputError("token", [InputProblem(
                "role", "is not a role of the scheme's process",
                "one of: " + ", ".join(sorted(roles)))])
        check_registered(self.store, scheme_id, holder, on)
        token_id = self._token(6).hex()
        secret = f"rcp_{token_id}_{_urlsafe(self._token(32))}"
        body = {"scheme": scheme_id, "partner": partner_id, "digest": _digest(secret),
                "actor": as_actor(actor).partner}
        self.store.append(Event(f"token-{token_id}", token_stream(token_id), "create_token", on, role, body))
        return IssuedToken(ApiToken(token_id, scheme_id, holder, on), secret)

    def revoke(self, token_id: str, *, on: date, actor: Actor | tuple[str, str]) -> ApiToken:
        """Revoke a token (by its public id); it never authenticates again."""
        who = coordinator_only(actor, "revokes API tokens", "the service's access rules, docs/http.md")
        current = self.get(token_id)
        if current.revoked_on is not None:
            return current
        if on < current.created_on:
            raise InvalidInputError("token", [InputProblem("on", "is before the token was created",
                                                           "give the date of the revocation")])
        self.store.append(Event(f"token-{token_id}-revoke", token_stream(token_id), "revoke_token", on, who.role,
                                {"actor": who.partner}))
        return attrs.evolve(current, revoked_on=on)

    def get(self, token_id: str) -> ApiToken:
        """The token with this public id; TokenRefused if there is none."""
        if not isinstance(token_id, str) or not _ID.fullmatch(token_id):
            raise TokenRefused("not a token id (12 hexadecimal digits, as `reciprocity token list` shows)")
        found = self._read(token_id)
        if found is None:
            raise TokenRefused("no token with this id; `reciprocity token list` lists them")
        return found[0]

    def all(self, scheme_id: str | None = None) -> list[ApiToken]:
        """Every token (of one scheme, if given), revoked ones included."""
        tokens = []
        for stream in self.store.streams(TOKEN_PREFIX):
            found = self._read(stream[len(TOKEN_PREFIX):])
            if found is not None and (scheme_id is None or found[0].scheme_id == scheme_id):
                tokens.append(found[0])
        return sorted(tokens, key=lambda t: (t.scheme_id, t.created_on, t.token_id))

    def authenticate(self, bearer: str) -> ApiToken:
        """The active token whose whole text is ``bearer``; TokenRefused otherwise."""
        match = _TOKEN.fullmatch(bearer) if isinstance(bearer, str) else None
        found = self._read(match.group(1)) if match else None
        if found is None or not hmac.compare_digest(found[1], _digest(bearer)):
            raise TokenRefused("the token is not one this service issued; ask the coordinator for a token")
        if not found[0].active:
            raise TokenRefused("the token has been revoked; ask the coordinator for a new one")
        return found[0]

    def _read(self, token_id: str) -> tuple[ApiToken, str] | None:
        events = self.store.stream(token_stream(token_id))
        if not events or events[0].event.type != "create_token":
            return None
        first = events[0].event
        p = first.payload
        token = ApiToken(token_id, p["scheme"], Actor(p["partner"], first.role), first.on)
        for recorded in events[1:]:
            if recorded.event.type == "revoke_token":
                token = attrs.evolve(token, revoked_on=recorded.event.on)
        return token, p["digest"]


def _urlsafe(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
