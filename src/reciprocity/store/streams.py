"""The names of the streams the library keeps in one event store.

The store knows nothing of what events mean; these are only the naming conventions the
application's services share, kept here (below every service) so that a service reading
another's streams need not import it:

``case:<case id>``                 a case's process events (:mod:`reciprocity.casework`);
``arc:<ARC>``                      the claim of an Application Reference Code by one case;
``ledger:<scheme>``                the scheme's owed-homes ledger (:mod:`reciprocity.ledger`);
``partner:<scheme>:<partner id>``  a partner's membership (:mod:`reciprocity.partnership`);
``arbitration:<scheme>:<id>``      one arbitration (:mod:`reciprocity.casework.arbitration`);
``token:<token id>``               one API token, created and revoked (:mod:`reciprocity.access.tokens`);
``access:<scheme>``                who read which case's referral, and when (:mod:`reciprocity.access.reads`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

__all__ = [
    "ACCESS_PREFIX", "ARBITRATION_PREFIX", "ARC_PREFIX", "CASE_PREFIX", "PARTNER_PREFIX", "TOKEN_PREFIX",
    "access_stream", "arc_stream", "case_stream", "case_streams", "ledger_stream", "partner_stream", "token_stream",
]

CASE_PREFIX = "case:"
ARC_PREFIX = "arc:"
PARTNER_PREFIX = "partner:"
ARBITRATION_PREFIX = "arbitration:"
TOKEN_PREFIX = "token:"
ACCESS_PREFIX = "access:"


def case_stream(case_id: str) -> str:
    return CASE_PREFIX + case_id


def arc_stream(arc: str) -> str:
    return ARC_PREFIX + arc


def ledger_stream(scheme_id: str) -> str:
    return f"ledger:{scheme_id}"


def partner_stream(scheme_id: str, partner_id: str) -> str:
    return f"{PARTNER_PREFIX}{scheme_id}:{partner_id}"


def token_stream(token_id: str) -> str:
    return TOKEN_PREFIX + token_id


def access_stream(scheme_id: str) -> str:
    return ACCESS_PREFIX + scheme_id


def case_streams(store: Any, scheme_id: str) -> Iterator[tuple[str, Sequence[Any]]]:
    """Each case stream of ``scheme_id`` in ``store`` with its recorded events, in the order the
    cases were opened (what reports and referral counts read without replaying the process)."""
    for stream in store.streams(CASE_PREFIX):
        events = store.stream(stream)
        if events and events[0].event.type == "refer" and events[0].event.payload.get("scheme") == scheme_id:
            yield stream, events
