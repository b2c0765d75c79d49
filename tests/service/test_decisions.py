"""Stateless decisions over HTTP (issue 13): the same decision as the library, no token, nothing
stored; bad input as problem details with the CLI's paths and no echo."""

from __future__ import annotations

from datetime import date
from typing import Any

from reciprocity import api

from service.conftest import Service, offer, referral

NAME = "Zelda Quarrington"


def test_check_returns_the_librarys_decision_with_every_finding(service: Service) -> None:
    r = service.post("/schemes/kent_rp/check", json=referral())
    assert r.status_code == 200
    assert r.json() == api.evaluate("kent_rp", referral()).to_dict()
    assert all(f["clause"] and f["sentence"] and "facts" in f for f in r.json()["findings"])


def test_check_takes_the_date_and_the_engine(service: Service) -> None:
    r = service.post("/schemes/kent_rp/check", params={"on": "2026-04-01", "engine": "durable"}, json=referral())
    assert r.status_code == 200
    assert r.json()["on"] == "2026-04-01" and r.json()["engine"] == "durable"
    expected = api.evaluate("kent_rp", referral(), on=date(2026, 4, 1), engine="durable")
    assert r.json()["outcome"] == expected.outcome.value


def test_batch_and_offer(service: Service) -> None:
    r = service.post("/schemes/kent_rp/check/batch", json={"referrals": [referral(), referral()]})
    assert r.status_code == 200 and len(r.json()["decisions"]) == 2
    r = service.post("/schemes/kent_rp/offer", json={"referral": referral(), "offer": offer()})
    assert r.status_code == 200
    assert r.json() == api.assess_offer("kent_rp", referral(), offer()).to_dict()


def test_schemes_as_data(service: Service) -> None:
    listed = service.get("/schemes").json()
    assert {s["id"] for s in listed} >= {"kent_rp", "kent_krs", "cambridgeshire"}
    scheme = service.get("/schemes/kent_rp").json()
    assert scheme["rules"] and all(r["id"].startswith("kent_rp.") and r["clauses"] for r in scheme["rules"])
    assert scheme["areas"] and scheme["parameters"]
    assert service.get("/schemas/referral").json()["title"] == "Referral"
    assert service.get("/schemas/offer").json()["title"] == "Offer"


def _problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["type"].startswith("urn:reciprocity:problem:") and body["detail"]
    return dict(body)


def test_invalid_input_is_a_problem_with_paths_and_hints_and_no_echo(service: Service) -> None:
    bad = referral()
    bad["household"]["members"][0]["age"] = True  # strict: no bool for an int (as at the CLI)
    bad[NAME.replace(" ", "_").lower()] = NAME  # an unknown key that is personal data
    r = service.post("/schemes/kent_rp/check", json=bad)
    body = _problem(r, 422)
    paths = [e["path"] for e in body["errors"]]
    assert "household.members[0].age" in paths and "" in paths
    assert all(e["hint"] for e in body["errors"])
    assert NAME.lower() not in r.text.lower() and "zelda" not in r.text.lower()


def test_an_unknown_scheme_is_404_and_not_repeated(service: Service) -> None:
    r = service.post(f"/schemes/{NAME}/check", json=referral())
    assert NAME not in _problem(r, 404)["detail"]


def test_a_referral_for_another_scheme_is_refused(service: Service) -> None:
    r = service.post("/schemes/kent_krs/check", json={**referral(), "scheme": "kent_rp"})
    assert [e["path"] for e in _problem(r, 422)["errors"]] == ["scheme"]


def test_dates_out_of_range_and_engines_unknown_are_invalid(service: Service) -> None:
    _problem(service.post("/schemes/kent_rp/check", params={"on": "9999-12-31"}, json=referral()), 422)
    _problem(service.post("/schemes/kent_rp/check", params={"on": "31/12/2026"}, json=referral()), 422)
    r = service.post("/schemes/kent_rp/check", params={"engine": NAME}, json=referral())
    assert NAME not in _problem(r, 422)["detail"] and NAME not in r.text


def test_hostile_bodies_are_refused_quickly(service: Service) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    _problem(service.post("/schemes/kent_rp/check", content=deep, headers={"content-type": "application/json"}), 422)
    _problem(service.post("/schemes/kent_rp/check", content=b"\xff\xfe", headers={"content-type": "application/json"}),
             422)
    big = b'{"x": "' + b"a" * 2_000_000 + b'"}'
    _problem(service.post("/schemes/kent_rp/check", content=big, headers={"content-type": "application/json"}), 413)
    _problem(service.post("/schemes/kent_rp/check", content=b"{}", headers={"content-type": "text/plain"}), 422)


def test_an_unexpected_error_is_a_500_problem_and_logs_no_value(service: Service, monkeypatch: Any,
                                                                 caplog: Any) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise KeyError(NAME)  # an error whose text holds a value from the request

    monkeypatch.setattr(api, "evaluate", broken)
    caplog.set_level("DEBUG")
    r = service.post("/schemes/kent_rp/check", json=referral())
    body = _problem(r, 500)
    assert NAME not in r.text and body["type"].endswith(":internal")
    assert NAME not in caplog.text and "KeyError" in caplog.text
