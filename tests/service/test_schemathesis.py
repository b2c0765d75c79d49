"""The whole API under schemathesis (issue 13, done when): every operation, with a coordinator
token, against the in-process app; its default checks (no server error, responses that match
their schema and their documented status codes and content types) find nothing.

Runs under the hypothesis profile (``ci``: derandomised, bounded), with fewer examples per
operation there: there are some sixty operations.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from hypothesis import HealthCheck, settings

from reciprocity.access import Tokens
from reciprocity.casework import Actor
from reciprocity.http import create_app
from reciprocity.store import EventStore

from lifecycle.register import join_all
from lifecycle.test_walkthrough import KENT_RP_PARTNERS

_STORE = Path(os.environ.get("PYTEST_SCHEMATHESIS_DIR", "/tmp")) / f"reciprocity-schemathesis-{os.getpid()}.db"


def _app() -> tuple[Any, str]:
    if _STORE.exists():
        _STORE.unlink()
    store = EventStore.at(_STORE)
    join_all(store, "kent_rp", KENT_RP_PARTNERS)
    issued = Tokens(store).create("kent_rp", "coordinator", "coordinator", on=date(2026, 1, 1),
                                  actor=Actor.coordinator())
    return create_app(store, today=lambda: date(2026, 12, 3)), issued.secret


APP, SECRET = _app()
#: One setting differs from schemathesis's defaults. Its positive-data check expects a request
#: that fits the JSON Schema to be accepted; but the library refuses some such requests on
#: purpose (a contradiction across fields, an area listed twice, a date before the referral),
#: which no JSON Schema states, with 422 and the field's path. Every other default check runs as
#: it is: no server error, responses that fit their schema, status codes and content types that
#: are documented.
CONFIG = SchemathesisConfig.from_dict({"checks": {"positive_data_acceptance": {
    "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]}}})
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)
EXAMPLES = 10 if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci" else 50


@schema.parametrize()
@settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck), deadline=None)
def test_every_operation(case: Any) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {SECRET}"})


@pytest.fixture(scope="module", autouse=True)
def _cleanup() -> Any:
    yield
    if _STORE.exists():
        _STORE.unlink()
