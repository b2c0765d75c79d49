"""Helpers for case tests: a partner register in the store, and who acts."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from reciprocity.casework import Actor
from reciprocity.partnership.service import Partners

JOINED = date(2021, 1, 1)


def counter_token() -> Any:
    """Deterministic stand-in for secrets.token_bytes."""
    counter = itertools.count(1)
    return lambda n: next(counter).to_bytes(n, "big")


def partner(pid: str, kind: str, *areas: str, **extra: Any) -> dict[str, Any]:
    """A partner record to join with (no membership dates: the join's date is the joining date)."""
    out = {"id": pid, "kind": kind, "stock_areas": list(areas), "data_sharing_protocol_signatory": True, **extra}
    if kind == "local_authority":
        out.setdefault("authority_area", areas[0] if areas else None)
    return out


def join_all(store: Any, scheme_id: str, partners: list[dict[str, Any]], on: date = JOINED) -> None:
    """Every partner joins the scheme's register on ``on``."""
    register = Partners(store)
    for p in partners:
        register.join(scheme_id, p, on=on, actor=("coordinator", "coordinator"))


COORDINATOR = Actor.coordinator()


def lead(pid: str) -> Actor:
    return Actor(pid, "named_lead")


def officer(pid: str) -> Actor:
    return Actor(pid, "nominating_officer")


def referring(pid: str) -> Actor:
    return Actor(pid, "referring_council")


def receiving(pid: str) -> Actor:
    return Actor(pid, "receiving_council")


SPECIALIST = Actor.coordinator("specialist_service")
