"""The committed OpenAPI document is the one the service generates from the library's models
(issue 13): regenerate it with ``reciprocity serve --openapi > docs/openapi.json``."""

from __future__ import annotations

import json
from pathlib import Path

from reciprocity.http import create_app

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_docs_openapi_json_is_up_to_date(tmp_path: Path) -> None:
    generated = create_app(tmp_path / "unused.db").openapi()
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == generated, (
        "docs/openapi.json is stale: run `reciprocity serve --openapi > docs/openapi.json`")


def test_request_bodies_are_the_librarys_models(tmp_path: Path) -> None:
    from reciprocity.model import Referral

    doc = create_app(tmp_path / "unused.db").openapi()
    body = doc["paths"]["/schemes/{scheme_id}/check"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/Referral"}
    referral = doc["components"]["schemas"]["Referral"]
    assert set(referral["properties"]) == set(Referral.model_json_schema()["properties"])


def test_every_operation_that_needs_a_token_says_so(tmp_path: Path) -> None:
    doc = create_app(tmp_path / "unused.db").openapi()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            stateless = path.startswith(("/schemes", "/schemas"))
            assert bool(operation.get("security")) != stateless, (method, path)
            if not stateless:
                assert {"401", "403"} <= set(operation["responses"]), (method, path)
