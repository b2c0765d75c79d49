"""An offer of a tenancy no landlord can grant now is never suitable (issue 12, protected tenancies).

A secure tenancy with a fair rent ("protected") can only be held from before 15 January 1989,
so no move can grant one: an offer *of* that type is not suitable under every scheme (Kent RP
MoU §4.5, §5.2; Cambridgeshire MoU (draft) §1; KRS points 4 and 12, interpretation
kent_krs.grantable_offer). A protected tenant's offer of another type is unchanged: it goes to
the named leads, because like for like cannot be guaranteed (Kent RP MoU §4.5). Both engines
decide these alike.
"""

from __future__ import annotations

from typing import Any

import pytest

import reciprocity
from reciprocity import Outcome, Status, TenancyType
from reciprocity.engines.durable import IMPORT_ERROR

from . import changed, example, finding

durable_only = pytest.mark.skipif(IMPORT_ERROR is not None, reason=f"durable_rules cannot be imported: {IMPORT_ERROR}")

#: scheme: (referral, suitable offer, the tenant's landlord, the citation of the grantable rule)
SCHEMES: dict[str, tuple[dict[str, Any], dict[str, Any], str, str]] = {
    "kent_rp": (example("kent_rp_referral.json"), example("offers/kent_rp_offer.json"), "orchard_housing",
                "Kent RP MoU §4.5, §5.2"),
    "cambridgeshire": (example("cambridgeshire_referral.yaml"), example("offers/cambridgeshire_offer.yaml"),
                       "fen_homes", "Cambridgeshire MoU (draft) §1"),
    "kent_krs": (example("kent_krs_referral.yaml"), example("offers/kent_krs_offer.yaml"), "", "KRS point 4, point 12"),
}
#: The schemes whose offers compare the tenancy offered with the one the tenant holds.
TENANCY_SCHEMES = ("kent_rp", "cambridgeshire")
FAIR_RENT = TenancyType.SECURE_FAIR_RENT.value


def pair(
    scheme_id: str, *, current: str | None = None, offered: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The scheme's example referral and suitable offer, with the current and offered tenancy types set."""
    referral, offer, landlord, _ = SCHEMES[scheme_id]
    if current is not None:
        referral = changed(referral, tenancy={**referral["tenancy"], "type": current, "landlord": landlord})
    if offered is not None:
        offer = changed(offer, tenancy_type=offered)
    return referral, offer


def both(scheme_id: str, referral: dict[str, Any], offer: dict[str, Any]) -> reciprocity.Decision:
    """The native decision, after checking the durable engine returns the same one."""
    native = reciprocity.assess_offer(scheme_id, referral, offer)
    if IMPORT_ERROR is None:
        assert reciprocity.assess_offer(scheme_id, referral, offer, engine="durable") == native
    return native


def test_the_example_offers_are_suitable_and_grantable() -> None:
    for scheme_id in SCHEMES:
        decision = both(scheme_id, *pair(scheme_id))
        assert decision.outcome is Outcome.ELIGIBLE, decision.summary()
        assert finding(decision, f"{scheme_id}.offer_tenancy_grantable").status is Status.MET


@pytest.mark.parametrize("current", ["secure", FAIR_RENT])
@pytest.mark.parametrize("scheme_id", TENANCY_SCHEMES)
def test_an_offer_of_a_fair_rent_tenancy_is_not_suitable(scheme_id: str, current: str) -> None:
    """Kent RP MoU §4.5, §5.2; Cambridgeshire MoU (draft) §1: a secure tenant and a protected tenant alike."""
    decision = both(scheme_id, *pair(scheme_id, current=current, offered=FAIR_RENT))
    found = finding(decision, f"{scheme_id}.offer_tenancy_grantable")
    assert found.status is Status.NOT_MET, found.sentence
    assert decision.outcome is Outcome.INELIGIBLE
    assert found.citation == SCHEMES[scheme_id][3]
    assert found.sentence.startswith(
        "not suitable: the offer is of a secure fair rent tenancy, which no landlord can grant"
    )
    assert "before 15 January 1989" in found.sentence and found.sentence.endswith(f"({found.citation})")
    assert {r.name: r.value for r in found.facts}["offer.tenancy_grantable"] is False
    assert found in decision.failed


def test_a_krs_final_offer_of_a_fair_rent_tenancy_is_not_suitable() -> None:
    """KRS points 4 and 12: the final Part 6 offer is a new allocation (interpretation kent_krs.grantable_offer)."""
    decision = both("kent_krs", *pair("kent_krs", offered=FAIR_RENT))
    found = finding(decision, "kent_krs.offer_tenancy_grantable")
    assert found.status is Status.NOT_MET and decision.outcome is Outcome.INELIGIBLE
    assert found.citation == "KRS point 4, point 12" and found.sentence.startswith("not suitable:")
    assert [f.rule_id for f in decision.failed] == ["kent_krs.offer_tenancy_grantable"]


@pytest.mark.parametrize("scheme_id", TENANCY_SCHEMES)
def test_a_protected_tenants_secure_offer_still_goes_to_the_named_leads(scheme_id: str) -> None:
    """Kent RP MoU §4.5: only the offered type decides grantability; a protected tenant's offer of a
    secure tenancy is still for the named leads (needs information), not refused."""
    decision = both(scheme_id, *pair(scheme_id, current=FAIR_RENT, offered="secure"))
    assert decision.outcome is Outcome.NEEDS_INFORMATION, decision.summary()
    assert finding(decision, f"{scheme_id}.offer_tenancy_grantable").status is Status.MET
    like = finding(decision, f"{scheme_id}.offer_like_for_like")
    assert like.status is Status.NOT_MET and like.sentence.startswith("needs review:")
    assert [f.rule_id for f in decision.failed] == [like.rule_id]


@pytest.mark.parametrize("scheme_id", TENANCY_SCHEMES)
def test_only_the_offered_type_changes_the_answer(scheme_id: str) -> None:
    """Offering a fair-rent tenancy instead of a secure one to a protected tenant changes exactly two
    findings: grantability fails, and the like-for-like review falls away (same type, nothing to match)."""
    secure = both(scheme_id, *pair(scheme_id, current=FAIR_RENT, offered="secure"))
    fair = both(scheme_id, *pair(scheme_id, current=FAIR_RENT, offered=FAIR_RENT))
    changed_rules = {a.rule_id for a, b in zip(secure.findings, fair.findings, strict=True) if a.status is not b.status}
    assert changed_rules == {f"{scheme_id}.offer_tenancy_grantable", f"{scheme_id}.offer_like_for_like"}
    assert fair.outcome is Outcome.INELIGIBLE


@pytest.mark.parametrize("offered", list(TenancyType))
@pytest.mark.parametrize("scheme_id", list(SCHEMES))
def test_every_other_tenancy_type_is_grantable(scheme_id: str, offered: TenancyType) -> None:
    decision = both(scheme_id, *pair(scheme_id, offered=offered.value))
    found = finding(decision, f"{scheme_id}.offer_tenancy_grantable")
    assert (found.status is Status.MET) is (offered is not TenancyType.SECURE_FAIR_RENT), found.sentence


@durable_only
def test_the_durable_engine_reads_a_derived_flag() -> None:
    """The durable translation tests the boolean fact, not the scale, so both engines read one value."""
    rule = next(r for r in reciprocity.get_scheme("kent_rp").offer_rules if r.id == "kent_rp.offer_tenancy_grantable")
    assert rule.facts() == frozenset({"offer.tenancy_grantable"})
