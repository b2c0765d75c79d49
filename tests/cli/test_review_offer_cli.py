"""``reciprocity case offer`` and ``case review-offer`` end to end on a Kent RP store, through the
command line only (issue 12: the protected-tenancy review step).

Kent RP MoU §4.5: the tenant "should not have their tenancy downgraded", "though like for like
cannot be guaranteed, especially for protected tenancies". A household holding a secure tenancy
with a fair rent (a protected tenancy, from before 15 January 1989) is offered a secure
tenancy: the offer is not refused but proposed for the named leads' review, and the
nominating partner's named lead approves it (with the household's consent) or rejects it.
An offer *of* a secure fair-rent tenancy is not suitable: no landlord can grant one now
(MoU §4.5, §5.2: "will not have their tenancy downgraded").

Partners join through ``reciprocity partner join``; orchard_housing nominates case K5 and
coast_homes (homes in thanet and dover, both requested) receives the request and offers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from . import EXAMPLES, join_all, provider, run, run_json

PARTNERS = [
    provider("orchard_housing", "maidstone", "swale", "canterbury"),
    provider("coast_homes", "thanet", "dover"),
    provider("river_homes", "swale"),  # registered, but no homes in a requested area: not sent the request
]


def _write(path: Path, data: dict[str, Any]) -> str:
    path.write_text(json.dumps(data))
    return str(path)


def offer_file(tmp_path: Path, tenancy_type: str) -> str:
    """coast_homes' example offer (2 bedrooms in thanet) of a ``tenancy_type`` tenancy."""
    offer = json.loads((EXAMPLES / "offers" / "kent_rp_offer.json").read_text())
    return _write(tmp_path / f"offer_{tenancy_type}.json", {**offer, "tenancy_type": tenancy_type})


def case(db: str, *args: str) -> tuple[int, str]:
    return run("case", *args, "--db", db)


def show(db: str) -> dict[str, Any]:
    return run_json("case", "show", "K5", "--db", db)  # type: ignore[no-any-return]


@pytest.fixture
def circulating(tmp_path: Path) -> str:
    """Case K5 of a secure fair-rent tenant of orchard_housing, circulated to coast_homes; the store."""
    db = str(tmp_path / "cases.db")
    join_all(tmp_path, db, "kent_rp", PARTNERS)
    referral = json.loads((EXAMPLES / "kent_rp_referral.json").read_text())
    referral["tenancy"] = {**referral["tenancy"], "type": "secure_fair_rent"}
    referral_file = _write(tmp_path / "referral.json", referral)
    code, out = case(db, "new", referral_file, "--scheme", "kent_rp", "--id", "K5",
                     "--actor", "orchard_housing", "--role", "nominating_officer")
    assert code == 0, out
    coordinator = ("--actor", "coordinator", "--role", "coordinator")
    for args in (("check", "K5", "--on", "2026-03-03", *coordinator),
                 ("accept", "K5", "--on", "2026-03-03", *coordinator),
                 ("approve", "K5", "--on", "2026-03-04", "--actor", "orchard_housing", "--role", "named_lead"),
                 ("circulate", "K5", "--on", "2026-03-05", *coordinator)):
        code, out = case(db, *args)
        assert code == 0, out
    shown = show(db)
    assert shown["state"] == "circulating" and shown["eligibility"] == "eligible"
    return db


@pytest.fixture
def in_review(tmp_path: Path, circulating: str) -> str:
    """K5 with coast_homes' offer of a secure tenancy proposed for the named leads' review; the store."""
    code, out = case(circulating, "offer", "K5", offer_file(tmp_path, "secure"), "--on", "2026-04-10",
                     "--actor", "coast_homes", "--role", "named_lead")
    assert code == 0, out
    return circulating


def review(db: str, *decision: str, actor: str = "orchard_housing", role: str = "named_lead") -> tuple[int, str]:
    return case(db, "review-offer", "K5", *decision, "--on", "2026-04-11", "--actor", actor, "--role", role)


def test_an_offer_to_a_protected_tenant_goes_to_the_named_leads(in_review: str) -> None:
    """MoU §4.5 ("like for like cannot be guaranteed"): recorded as a proposal, neither refused
    nor an offer; only the nominating partner's named lead may act on it next."""
    shown = show(in_review)
    assert shown["state"] == "offer_review"
    last = shown["history"][-1]
    assert (last["event"], last["on"], last["actor"], last["role"]) == (
        "propose_offer", "2026-04-10", "coast_homes", "named_lead")
    allowed = shown["allowed_commands"]
    assert allowed["review-offer"] == ["named_lead of the nominating partner"]
    assert "accept-offer" not in allowed and "offer" not in allowed


def test_approval_with_the_households_consent_lets_the_offer_stand(in_review: str) -> None:
    """MoU §4.5: the nominating partner's named lead approves, with consent; the viewing follows."""
    code, out = review(in_review, "--approve", "--consent")
    assert code == 0, out
    assert "state: offered" in out
    shown = show(in_review)
    assert shown["state"] == "offered"
    last = shown["history"][-1]
    assert (last["event"], last["actor"], last["role"]) == ("approve_offer", "orchard_housing", "named_lead")
    assert "accept-offer" in shown["allowed_commands"] and "review-offer" not in shown["allowed_commands"]
    code, out = case(in_review, "accept-offer", "K5", "--on", "2026-04-14",
                     "--actor", "orchard_housing", "--role", "nominating_officer")
    assert code == 0, out
    assert show(in_review)["state"] == "offer_accepted"


def test_a_rejected_offer_stays_refused(in_review: str) -> None:
    """MoU §4.5: the named lead rejects; the request circulates again and the offer cannot be accepted."""
    code, out = review(in_review, "--reject", "--no-consent")
    assert code == 0, out
    shown = show(in_review)
    assert shown["state"] == "circulating"
    last = shown["history"][-1]
    assert (last["event"], last["actor"]) == ("reject_offer", "orchard_housing")
    assert "accept-offer" not in shown["allowed_commands"]
    code, out = case(in_review, "accept-offer", "K5", "--on", "2026-04-14",
                     "--actor", "orchard_housing", "--role", "nominating_officer")
    assert code == 2 and "not allowed in state 'circulating'" in out


def test_approval_needs_the_households_consent(in_review: str) -> None:
    """MoU §4.5: a flagged offer is approved only with the household's consent (exit 2, nothing written)."""
    code, out = review(in_review, "--approve", "--no-consent")
    assert code == 2
    assert out.startswith("error: ") and "kent_rp.offer_review_consent" in out
    assert "has not consented" in out and "record the review as rejected" in out
    shown = show(in_review)
    assert shown["state"] == "offer_review" and shown["history"][-1]["event"] == "propose_offer"


@pytest.mark.parametrize(("actor", "role", "says"), [
    # The offering partner's own lead: the step is the nominating partner's (MoU §4.5).
    ("coast_homes", "named_lead", "is for the named_lead of the nominating partner (orchard_housing), not coast_homes"),
    # A registered partner with no part in the case.
    ("river_homes", "named_lead", "is for the named_lead of the nominating partner (orchard_housing), not river_homes"),
    # The right partner in the wrong capacity, and the coordinator.
    ("orchard_housing", "nominating_officer", "is for named_lead, not the role given"),
    ("coordinator", "coordinator", "is for named_lead, not the role given"),
    # An id no partner has: refused before the case is read.
    ("nobody_homes", "named_lead", "the actor is not in the kent_rp partner register; only registered partners"),
])
def test_only_the_nominating_partners_named_lead_reviews(in_review: str, actor: str, role: str, says: str) -> None:
    """MoU §4.5 review by the nominating partner's named lead (MoU §6.1: each signatory's named
    lead upholds the agreement): anyone else is refused with exit 2, told who may, nothing written."""
    code, out = review(in_review, "--approve", "--consent", actor=actor, role=role)
    assert code == 2, out
    assert says in out, out
    assert show(in_review)["state"] == "offer_review"


def test_an_offer_of_a_fair_rent_tenancy_is_not_suitable(tmp_path: Path, circulating: str) -> None:
    """MoU §4.5, §5.2: a secure tenancy with a fair rent cannot be newly granted, so an offer of
    one is refused (not sent to review), even to a household holding one."""
    offer = offer_file(tmp_path, "secure_fair_rent")
    code, out = case(circulating, "offer", "K5", offer, "--on", "2026-04-10",
                     "--actor", "coast_homes", "--role", "named_lead")
    assert code == 2
    assert "rule kent_rp.offer_is_suitable" in out and "found it ineligible" in out
    shown = show(circulating)
    assert shown["state"] == "circulating" and shown["history"][-1]["event"] == "circulate"
    # The assessment it points to names the rule: not suitable, the tenancy cannot be granted now.
    referral = str(tmp_path / "referral.json")
    assessed = run_json("offer", referral, offer, "--scheme", "kent_rp")
    assert assessed["outcome"] == "ineligible"
    failed = [f for f in assessed["findings"] if f["status"] == "not_met"]
    assert [f["rule"] for f in failed] == ["kent_rp.offer_tenancy_grantable"]
    assert failed[0]["sentence"].startswith("not suitable:")
