"""Cambridgeshire Housing Reciprocal Agreement, draft (``cambridgeshire``).

Every rule, and the documented interpretations.

Source: the draft MoU (doc 001, "Cambridgeshire MoU (draft) §n"; footnote 1 lists the
VAWG strands). Every referral here is invented: an invented registered provider
``rp_fen`` originating a move for its own tenant; no person is described.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from reciprocity import Outcome, Status
from reciprocity.model import VAWG_HARMS, HarmType

from .base import REMOVE, Case, SchemeTests, finding

ELIGIBLE: dict[str, Any] = {
    "referred_on": "2026-09-14",
    "nominating_partner": {"id": "rp_fen", "kind": "registered_provider"},
    "subject_role": "survivor",
    "tenure": "social_tenant",
    "tenancy": {"type": "assured", "landlord": "rp_fen"},
    "risk": {"assessed_by": "idva", "at_risk": True, "harm_types": ["domestic_abuse"]},
    "current_area": "fenland",
    "requested_areas": ["cambridge"],
    "own_stock_exhausted": True,
}

CITATIONS = {
    "cambridgeshire.originating_partner": "Cambridgeshire MoU (draft) §1, §2",
    "cambridgeshire.vawg_harm": "Cambridgeshire MoU (draft) §1, footnote 1",
    "cambridgeshire.at_risk": "Cambridgeshire MoU (draft) §1",
    "cambridgeshire.social_tenancy": "Cambridgeshire MoU (draft) §1",
    "cambridgeshire.non_tenant_lead_discretion": "Cambridgeshire MoU (draft) §1",
    "cambridgeshire.non_tenant_owes_property": "Cambridgeshire MoU (draft) §1",
    "cambridgeshire.perpetrator_assessed_safe": "Cambridgeshire MoU (draft) §1",
    "cambridgeshire.lives_in_cambridgeshire": "Cambridgeshire MoU (draft) §3",
    "cambridgeshire.moves_la_area": "Cambridgeshire MoU (draft) §1, §3",
    "cambridgeshire.own_stock_cannot_manage": "Cambridgeshire MoU (draft) §1 (last paragraph)",
    "cambridgeshire.requested_areas": "Cambridgeshire MoU (draft) §1, §3",
}

FIVE_DISTRICTS = (
    "cambridge",
    "east_cambridgeshire",
    "fenland",
    "huntingdonshire",
    "south_cambridgeshire",
)

#: A non-tenant in priority need, accepted at the lead's discretion, the partner agreeing
#: to owe a home.
NON_TENANT = {
    "tenure": "non_tenant_priority_need",
    "tenancy": REMOVE,
    "lead_discretion_granted": True,
    "agrees_to_owe_property": True,
}
#: A perpetrator whose move has been assessed as safe.
PERPETRATOR = {"subject_role": "perpetrator", "perpetrator_move_assessed_safe": True}
LEAD = "cambridgeshire.non_tenant_lead_discretion"
OWES = "cambridgeshire.non_tenant_owes_property"
SAFE = "cambridgeshire.perpetrator_assessed_safe"

MET = [
    Case("cambridgeshire.at_risk", "found at risk by an IDVA"),
    Case("cambridgeshire.originating_partner", "registered provider"),
    Case(
        "cambridgeshire.originating_partner",
        "local authority",
        {
            "nominating_partner": {
                "id": "rp_fen",
                "kind": "local_authority",
                "authority_area": "fenland",
            }
        },
    ),
    Case("cambridgeshire.vawg_harm", "domestic abuse"),
    Case(
        "cambridgeshire.vawg_harm",
        "so-called honour-based violence",
        {"risk.harm_types": ["honour_based_violence"]},
    ),
    Case(
        "cambridgeshire.vawg_harm",
        "VAWG among other harm",
        {"risk.harm_types": ["other", "modern_slavery"]},
    ),
    Case("cambridgeshire.social_tenancy", "social tenant"),
    Case(
        "cambridgeshire.social_tenancy",
        "temporary accommodation, tenancy kept",
        {"tenure": "temporary_accommodation"},
    ),
    Case("cambridgeshire.social_tenancy", "non-tenant in priority need", NON_TENANT),
    Case(LEAD, "lead's discretion used", NON_TENANT),
    Case(OWES, "partner agrees to owe a home", NON_TENANT),
    Case(SAFE, "perpetrator's move assessed safe", PERPETRATOR),
    Case("cambridgeshire.lives_in_cambridgeshire", "lives in Fenland"),
    Case("cambridgeshire.moves_la_area", "to another district"),
    Case(
        "cambridgeshire.moves_la_area",
        "to several other districts",
        {"requested_areas": ["cambridge", "south_cambridgeshire", "huntingdonshire"]},
    ),
    Case("cambridgeshire.own_stock_cannot_manage", "cannot manage in own stock"),
    Case("cambridgeshire.requested_areas", "one district"),
    Case(
        "cambridgeshire.requested_areas",
        "several districts",
        {"requested_areas": ["cambridge", "east_cambridgeshire"]},
    ),
]

NOT_MET = [
    Case("cambridgeshire.at_risk", "assessor found no risk", {"risk.at_risk": False}),
    Case(
        "cambridgeshire.originating_partner",
        "specialist DA service",
        {"nominating_partner.kind": "specialist_da_service"},
    ),
    Case(
        "cambridgeshire.originating_partner",
        "coordinator",
        {"nominating_partner.kind": "coordinator"},
    ),
    Case(
        "cambridgeshire.vawg_harm",
        "harm from outside the home only",
        {"risk.harm_types": ["harm_outside_home"]},
    ),
    Case("cambridgeshire.vawg_harm", "other harm only", {"risk.harm_types": ["other"]}),
    Case(
        "cambridgeshire.social_tenancy",
        "private renter",
        {"tenure": "private_rented", "tenancy": REMOVE},
    ),
    Case(LEAD, "lead declined", {**NON_TENANT, "lead_discretion_granted": False}),
    Case(OWES, "partner will not owe a home", {**NON_TENANT, "agrees_to_owe_property": False}),
    Case(
        SAFE,
        "perpetrator's move not assessed safe",
        {**PERPETRATOR, "perpetrator_move_assessed_safe": False},
    ),
    Case(
        "cambridgeshire.moves_la_area",
        "stay in the current district",
        {"requested_areas": ["fenland"]},
    ),
    Case(
        "cambridgeshire.moves_la_area",
        "current district among those requested",
        {"requested_areas": ["cambridge", "fenland"]},
    ),
    Case(
        "cambridgeshire.own_stock_cannot_manage",
        "could manage in own stock",
        {"own_stock_exhausted": False},
    ),
    Case("cambridgeshire.requested_areas", "Peterborough", {"requested_areas": ["peterborough"]}),
    Case(
        "cambridgeshire.requested_areas",
        "Peterborough among Cambridgeshire districts",
        {"requested_areas": ["cambridge", "peterborough"]},
    ),
    Case("cambridgeshire.requested_areas", "a Kent district", {"requested_areas": ["maidstone"]}),
    Case(
        "cambridgeshire.lives_in_cambridgeshire",
        "lives in Peterborough",
        {"current_area": "peterborough", "requested_areas": ["cambridge"]},
    ),
    Case(
        "cambridgeshire.lives_in_cambridgeshire",
        "lives in a Kent district",
        {"current_area": "maidstone", "requested_areas": ["cambridge"]},
    ),
]

NEEDS_INFORMATION = [
    Case(
        "cambridgeshire.at_risk",
        "nobody has assessed the risk",
        {"risk": {"assessed_by": "nobody", "harm_types": ["domestic_abuse"]}},
        missing=("risk.at_risk",),
    ),
    Case(
        "cambridgeshire.vawg_harm",
        "harm not given",
        {"risk.harm_types": REMOVE},
        missing=("risk.harm_types",),
    ),
    Case(
        "cambridgeshire.vawg_harm", "no risk record", {"risk": REMOVE}, missing=("risk.harm_types",)
    ),
    Case(
        "cambridgeshire.social_tenancy",
        "temporary accommodation, tenancy not given",
        {"tenure": "temporary_accommodation", "tenancy": REMOVE},
        missing=("social_tenant",),
    ),
    Case(
        LEAD,
        "discretion not given",
        {**NON_TENANT, "lead_discretion_granted": REMOVE},
        missing=("lead_discretion_granted",),
    ),
    Case(
        OWES,
        "agreement not given",
        {**NON_TENANT, "agrees_to_owe_property": REMOVE},
        missing=("agrees_to_owe_property",),
    ),
    Case(
        SAFE,
        "assessment not given",
        {"subject_role": "perpetrator"},
        missing=("perpetrator_move_assessed_safe",),
    ),
    Case(
        SAFE,
        "role not given",
        {"subject_role": REMOVE},
        missing=("perpetrator_move_assessed_safe", "subject_role"),
    ),
    Case(
        "cambridgeshire.moves_la_area",
        "current area not given",
        {"current_area": REMOVE},
        missing=("moves_la_area",),
    ),
    Case(
        "cambridgeshire.lives_in_cambridgeshire",
        "current area not given",
        {"current_area": REMOVE},
        missing=("current_area",),
    ),
    Case(
        "cambridgeshire.social_tenancy",
        "other tenure, no tenancy",
        {"tenure": "other", "tenancy": REMOVE},
        missing=("social_tenant",),
    ),
    Case(
        "cambridgeshire.requested_areas",
        "an empty list counts as not given",
        {"requested_areas": []},
        missing=("requested_areas",),
    ),
    Case(
        "cambridgeshire.own_stock_cannot_manage",
        "not given",
        {"own_stock_exhausted": REMOVE},
        missing=("own_stock_exhausted",),
    ),
    Case(
        "cambridgeshire.requested_areas",
        "not given",
        {"requested_areas": REMOVE},
        missing=("requested_areas",),
    ),
    Case(
        "cambridgeshire.originating_partner",
        "partner kind left out" + " (unknown is not invalid: asked for)",
        {"nominating_partner.kind": REMOVE},
        missing=("nominator.kind",),
    ),
]

NOT_APPLICABLE = [
    Case("cambridgeshire.at_risk", "the perpetrator is the one to move", PERPETRATOR),
    Case(LEAD, "social tenant"),
    Case(LEAD, "temporary accommodation, tenancy kept", {"tenure": "temporary_accommodation"}),
    Case(OWES, "social tenant"),
    Case(SAFE, "survivor"),
]



class TestCambridgeshire(SchemeTests):
    scheme_id = "cambridgeshire"
    plugin_module = "reciprocity_cambridgeshire"
    example_file = "cambridgeshire_referral.yaml"
    source_files = frozenset({"001_c1c7b199d9a53274.txt"})
    citations = CITATIONS
    met_cases = MET
    not_met_cases = NOT_MET
    needs_information_cases = NEEDS_INFORMATION
    not_applicable_cases = NOT_APPLICABLE

    def eligible_referral(self) -> dict[str, Any]:
        return copy.deepcopy(ELIGIBLE)

    # --- interpretations -------------------------------------------------------------

    def test_peterborough_is_not_a_scheme_area(self) -> None:
        """Interpretation cambridgeshire.peterborough (Cambridgeshire MoU (draft) §1, §3)."""
        assert "peterborough" not in self.scheme.area_ids
        decision = self.decide({"requested_areas": ["peterborough"]})
        assert decision.outcome is Outcome.INELIGIBLE
        found = finding(decision, "cambridgeshire.requested_areas")
        assert found.status is Status.NOT_MET
        assert "peterborough" in found.sentence

    def test_scheme_areas_are_the_five_districts(self) -> None:
        """Interpretation cambridgeshire.peterborough.

        Cambridgeshire County Council's five districts.
        """
        assert self.scheme.area_ids == frozenset(FIVE_DISTRICTS)

    @pytest.mark.parametrize("area", [a for a in FIVE_DISTRICTS if a != "fenland"])
    def test_each_other_district_can_be_requested(self, area: str) -> None:
        """Cambridgeshire MoU (draft) §3: 'across Cambridgeshire'."""
        decision = self.decide({"requested_areas": [area]})
        assert decision.outcome is Outcome.ELIGIBLE

    @pytest.mark.parametrize("harm", sorted(VAWG_HARMS), ids=str)
    def test_each_vawg_strand_of_footnote_1_alone_is_enough(self, harm: HarmType) -> None:
        """Cambridgeshire MoU (draft) §1, footnote 1.

        Domestic abuse, sexual violence and the listed strands.
        """
        decision = self.decide({"risk.harm_types": [harm.value]})
        assert finding(decision, "cambridgeshire.vawg_harm").status is Status.MET
        assert decision.outcome is Outcome.ELIGIBLE

    def test_non_tenant_with_discretion_and_agreement_is_eligible(self) -> None:
        """Interpretation cambridgeshire.non_tenant_conditions.

        Priority need AND discretion AND agreement.
        """
        decision = self.decide(NON_TENANT)
        assert decision.outcome is Outcome.ELIGIBLE
        assert {finding(decision, r).status for r in (LEAD, OWES)} == {Status.MET}

    @pytest.mark.parametrize(
        ("changes", "failing"),
        [
            pytest.param(
                {"agrees_to_owe_property": False}, OWES, id="discretion without agreement"
            ),
            pytest.param(
                {"lead_discretion_granted": False}, LEAD, id="agreement without discretion"
            ),
        ],
    )
    def test_non_tenant_needs_both_discretion_and_agreement(
        self, changes: dict[str, bool], failing: str
    ) -> None:
        """Interpretation cambridgeshire.non_tenant_conditions: 'as long as' joins the two."""
        decision = self.decide({**NON_TENANT, **changes})
        assert decision.outcome is Outcome.INELIGIBLE
        assert [f.rule_id for f in decision.failed] == [failing]

    def test_non_tenant_with_neither_given_is_asked_both(self) -> None:
        """Interpretation cambridgeshire.non_tenant_conditions: each can be missing separately."""
        decision = self.decide(
            {**NON_TENANT, "lead_discretion_granted": REMOVE, "agrees_to_owe_property": REMOVE}
        )
        assert decision.outcome is Outcome.NEEDS_INFORMATION
        assert set(decision.missing_facts) == {"lead_discretion_granted", "agrees_to_owe_property"}

    def test_perpetrator_needs_the_safe_move_assessment(self) -> None:
        """Cambridgeshire MoU (draft) §1.

        A perpetrator moves only 'when assessed as safe to do so'.
        """
        assert self.decide(PERPETRATOR).outcome is Outcome.ELIGIBLE
        refused = self.decide({**PERPETRATOR, "perpetrator_move_assessed_safe": False})
        assert refused.outcome is Outcome.INELIGIBLE
        assert [f.rule_id for f in refused.failed] == [SAFE]
        unknown = self.decide({"subject_role": "perpetrator"})
        assert unknown.missing_facts == ("perpetrator_move_assessed_safe",)

    def test_perpetrator_case_must_concern_vawg_too(self) -> None:
        """Interpretation cambridgeshire.perpetrator_harm.

        The VAWG finding applies to both roles.
        """
        decision = self.decide({**PERPETRATOR, "risk.harm_types": ["harm_outside_home"]})
        assert [f.rule_id for f in decision.failed] == ["cambridgeshire.vawg_harm"]

    def test_survivors_safe_move_assessment_is_not_asked_for(self) -> None:
        """Cambridgeshire MoU (draft) §1: the safe-move assessment is for perpetrators only."""
        decision = self.decide()
        assert "perpetrator_move_assessed_safe" not in decision.missing_facts
        assert finding(decision, SAFE).status is Status.NOT_APPLICABLE

    def test_requesting_the_current_area_fails_moves_la_area(self) -> None:
        """Interpretation cambridgeshire.moves_la_area.

        Staying put is a management transfer, not a reciprocal.
        """
        decision = self.decide({"requested_areas": ["fenland"]})
        assert decision.outcome is Outcome.INELIGIBLE
        assert [f.rule_id for f in decision.failed] == ["cambridgeshire.moves_la_area"]

    def test_moves_la_area_asks_about_the_current_area(self) -> None:
        """Interpretation cambridgeshire.moves_la_area.

        A derived fact, asked for in terms of the areas.
        """
        found = finding(self.decide({"current_area": REMOVE}), "cambridgeshire.moves_la_area")
        (question,) = found.questions
        assert "current area" in question

    def test_no_assessor_rule(self) -> None:
        """Interpretation cambridgeshire.no_assessor_rule (§3).

        The referring service itself provides IDVA support.
        """
        police = {"assessed_by": "police", "at_risk": True, "harm_types": ["domestic_abuse"]}
        assert self.decide({"risk": police}).outcome is Outcome.ELIGIBLE
        nobody = self.decide({"risk": {"assessed_by": "nobody", "harm_types": ["domestic_abuse"]}})
        assert nobody.outcome is Outcome.NEEDS_INFORMATION
        assert nobody.missing_facts == ("risk.at_risk",)

    def test_temporary_accommodation_without_tenancy_asks_rather_than_guessing(self) -> None:
        """Interpretation cambridgeshire.temporary_accommodation."""
        decision = self.decide({"tenure": "temporary_accommodation", "tenancy": REMOVE})
        assert decision.outcome is Outcome.NEEDS_INFORMATION
        assert decision.missing_facts == ("social_tenant",)

    # --- three-valued logic ----------------------------------------------------------

    def test_a_non_tenant_who_is_refused_discretion_is_not_asked_more(self) -> None:
        """Cambridgeshire MoU (draft) §1: once discretion is refused, the referral is ineligible."""
        decision = self.decide(
            {**NON_TENANT, "lead_discretion_granted": False, "agrees_to_owe_property": REMOVE}
        )
        assert decision.outcome is Outcome.INELIGIBLE
        assert finding(decision, LEAD).missing == ()

    def test_ineligible_wins_over_needs_information(self) -> None:
        """Requesting Peterborough is ineligible even while own-stock is still unknown."""
        decision = self.decide({"requested_areas": ["peterborough"], "own_stock_exhausted": REMOVE})
        assert decision.outcome is Outcome.INELIGIBLE
        assert (
            finding(decision, "cambridgeshire.own_stock_cannot_manage").status
            is Status.NEEDS_INFORMATION
        )

    # --- fixed bugs, kept as regressions --------------------------------------------------------------

    @pytest.mark.parametrize(
        "changes",
        [pytest.param({}, id="met"), pytest.param({"requested_areas": ["fenland"]}, id="not met")],
    )
    def test_moves_la_area_sentence_names_the_current_area(self, changes: dict[str, Any]) -> None:
        """Cambridgeshire MoU (draft) §1, §3.

        The sentence names the area the household lives in now.
        """
        found = finding(self.decide(changes), "cambridgeshire.moves_la_area")
        assert "fenland" in found.sentence
        assert "unknown" not in found.sentence

    def test_a_given_tenancy_rules_out_the_non_tenant_conditions(self) -> None:
        """Interpretation cambridgeshire.non_tenant_conditions.

        The conditions are for households without a tenancy.
        """
        decision = self.decide({"tenure": REMOVE})
        assert finding(decision, "cambridgeshire.social_tenancy").status is Status.MET
        assert "lead_discretion_granted" not in decision.missing_facts
        assert decision.outcome is Outcome.ELIGIBLE
