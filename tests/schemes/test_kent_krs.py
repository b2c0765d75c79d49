"""Kent High Priority Rehousing (Reciprocal) Scheme (``kent_krs``).

Every rule, and the documented interpretations.

Source: the joint statement of the twelve Kent councils (doc 003, "KRS point n"). Every
referral here is invented: an invented applicant referred by Swale's council; no person
is described.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

import reciprocity
from reciprocity import Outcome, Status
from reciprocity.model import Tenure

from .base import REMOVE, Case, SchemeTests, finding

ELIGIBLE: dict[str, Any] = {
    "referred_on": "2026-05-11",
    "nominating_partner": {
        "id": "council_sw",
        "kind": "local_authority",
        "authority_area": "swale",
    },
    "subject_role": "survivor",
    "risk": {"assessed_by": "idva", "at_risk": True, "harm_types": ["domestic_abuse"]},
    "homelessness": {"duty": "relief"},
    "risk_too_great_to_remain": True,
}

CITATIONS = {
    "kent_krs.referrer_is_kent_council": "KRS opening paragraphs, Appendix 1",
    "kent_krs.applicant_at_risk": "KRS point 1",
    "kent_krs.homelessness_duty": "KRS point 7 (first limb)",
    "kent_krs.circumstances": "KRS point 7 (second limb)",
}

TWELVE_KENT_COUNCILS = (
    "ashford", "canterbury", "dartford", "dover", "folkestone_hythe", "gravesham",
    "maidstone", "sevenoaks", "swale", "thanet", "tonbridge_malling", "tunbridge_wells",
)  # fmt: skip

#: Point 7's domestic-abuse limb is switched off (not unsafe to remain) and no exceptional reason.
NO_DA_LIMB = {"risk_too_great_to_remain": False, "exceptional_reason_accepted": False}
#: Point 7's second limb: corroborated harm from outside the home, unsafe where the local
#: connection is.
OUTSIDE_HOME = {
    "risk.harm_types": ["harm_outside_home"],
    "risk_too_great_to_remain": REMOVE,
    "corroborated_by_inquiries": True,
    "unsafe_where_local_connection": True,
}
CIRCUMSTANCES = "kent_krs.circumstances"

MET = [
    Case("kent_krs.referrer_is_kent_council", "Swale's council"),
    Case("kent_krs.applicant_at_risk", "survivor"),
    Case("kent_krs.homelessness_duty", "relief duty"),
    Case("kent_krs.homelessness_duty", "prevention duty", {"homelessness.duty": "prevention"}),
    Case("kent_krs.homelessness_duty", "main duty", {"homelessness.duty": "main"}),
    Case(CIRCUMSTANCES, "fleeing domestic abuse, unsafe in the area"),
    Case(CIRCUMSTANCES, "corroborated harm from outside the home", OUTSIDE_HOME),
    Case(
        CIRCUMSTANCES,
        "exceptional reason accepted",
        {"risk_too_great_to_remain": REMOVE, "exceptional_reason_accepted": True},
    ),
    Case(
        CIRCUMSTANCES,
        "stalking recorded as domestic abuse",
        {"risk.harm_types": ["stalking", "domestic_abuse"]},
    ),
]

NOT_MET = [
    Case(
        "kent_krs.referrer_is_kent_council",
        "Medway council",
        {"nominating_partner.authority_area": "medway"},
    ),
    Case(
        "kent_krs.referrer_is_kent_council",
        "registered provider in Swale",
        {"nominating_partner.kind": "registered_provider"},
    ),
    Case(
        "kent_krs.referrer_is_kent_council",
        "specialist DA service",
        {"nominating_partner": {"id": "da_service", "kind": "specialist_da_service"}},
    ),
    Case(
        "kent_krs.referrer_is_kent_council",
        "council outside Kent",
        {"nominating_partner.authority_area": "cambridge"},
    ),
    Case("kent_krs.applicant_at_risk", "perpetrator", {"subject_role": "perpetrator"}),
    Case("kent_krs.homelessness_duty", "no duty accepted", {"homelessness.duty": "none"}),
    Case(CIRCUMSTANCES, "not unsafe in the area, no exceptional reason", NO_DA_LIMB),
    Case(
        CIRCUMSTANCES,
        "stalking not recorded as domestic abuse",
        {"risk.harm_types": ["stalking"], "exceptional_reason_accepted": False},
    ),
    Case(
        CIRCUMSTANCES,
        "outside harm not corroborated",
        {**OUTSIDE_HOME, "corroborated_by_inquiries": False, "exceptional_reason_accepted": False},
    ),
    Case(
        CIRCUMSTANCES,
        "outside harm, safe where the local connection is",
        {
            **OUTSIDE_HOME,
            "unsafe_where_local_connection": False,
            "exceptional_reason_accepted": False,
        },
    ),
]

NEEDS_INFORMATION = [
    Case(
        "kent_krs.applicant_at_risk",
        "role not given",
        {"subject_role": REMOVE},
        missing=("subject_role",),
    ),
    Case(
        "kent_krs.homelessness_duty",
        "duty not given",
        {"homelessness": REMOVE},
        missing=("homelessness.duty",),
    ),
    Case(
        CIRCUMSTANCES,
        "unsafe to remain not given",
        {"risk_too_great_to_remain": REMOVE},
        missing=("exceptional_reason_accepted", "risk_too_great_to_remain"),
    ),
    Case(
        CIRCUMSTANCES,
        "not unsafe, exceptional reason not given",
        {"risk_too_great_to_remain": False},
        missing=("exceptional_reason_accepted",),
    ),
    Case(
        CIRCUMSTANCES,
        "outside harm, corroboration not given",
        {**OUTSIDE_HOME, "corroborated_by_inquiries": REMOVE},
        missing=("corroborated_by_inquiries", "exceptional_reason_accepted"),
    ),
    Case(
        "kent_krs.referrer_is_kent_council",
        "partner kind left out" + " (unknown is not invalid: asked for)",
        {"nominating_partner.kind": REMOVE},
        missing=("nominator.kind",),
    ),
    Case(
        "kent_krs.referrer_is_kent_council",
        "council's area left out" + " (unknown is not invalid: asked for)",
        {"nominating_partner.authority_area": REMOVE},
        missing=("nominator.authority_area",),
    ),
]



class TestKentKRS(SchemeTests):
    scheme_id = "kent_krs"
    plugin_module = "reciprocity_kent_krs"
    example_file = "kent_krs_referral.yaml"
    source_files = frozenset({"003_df112ff8e0c8f79d.txt"})
    citations = CITATIONS
    met_cases = MET
    not_met_cases = NOT_MET
    needs_information_cases = NEEDS_INFORMATION

    def eligible_referral(self) -> dict[str, Any]:
        return copy.deepcopy(ELIGIBLE)

    # --- interpretations -------------------------------------------------------------

    @pytest.mark.parametrize("area", TWELVE_KENT_COUNCILS)
    def test_each_of_the_twelve_kent_councils_can_refer(self, area: str) -> None:
        """KRS opening paragraphs, Appendix 1: one contact per council, twelve councils."""
        decision = self.decide({"nominating_partner.authority_area": area})
        assert finding(decision, "kent_krs.referrer_is_kent_council").status is Status.MET
        assert decision.outcome is Outcome.ELIGIBLE

    def test_scheme_areas_are_the_twelve_kent_councils(self) -> None:
        """KRS Appendix 1: exactly twelve councils, Medway not among them."""
        assert {a.id for a in self.scheme.areas} == set(TWELVE_KENT_COUNCILS)

    def test_medway_council_cannot_refer(self) -> None:
        """Interpretation kent_krs.medway_excluded.

        'the twelve Kent authorities, excluding Medway'.
        """
        decision = self.decide({"nominating_partner.authority_area": "medway"})
        assert decision.outcome is Outcome.INELIGIBLE
        found = finding(decision, "kent_krs.referrer_is_kent_council")
        assert found.status is Status.NOT_MET
        assert "medway" in found.sentence
        assert "KRS opening paragraphs, Appendix 1" in found.sentence

    def test_registered_provider_cannot_refer_even_in_a_kent_district(self) -> None:
        """Interpretation kent_krs.medway_excluded.

        Registered providers are liaised with (point 3), they do not refer.
        """
        decision = self.decide({"nominating_partner.kind": "registered_provider"})
        assert decision.outcome is Outcome.INELIGIBLE
        assert (
            "registered provider" in finding(decision, "kent_krs.referrer_is_kent_council").sentence
        )

    @pytest.mark.parametrize(
        ("changes", "failing"),
        [
            pytest.param(
                {"homelessness.duty": "none"},
                "kent_krs.homelessness_duty",
                id="circumstance without duty",
            ),
            pytest.param(NO_DA_LIMB, CIRCUMSTANCES, id="duty without circumstance"),
        ],
    )
    def test_point_7_needs_the_duty_and_a_circumstance(
        self, changes: dict[str, Any], failing: str
    ) -> None:
        """Interpretation kent_krs.point7_grouping: duty AND (one of three circumstances)."""
        decision = self.decide(changes)
        assert decision.outcome is Outcome.INELIGIBLE
        assert [f.rule_id for f in decision.failed] == [failing]

    @pytest.mark.parametrize(
        "changes",
        [
            pytest.param({}, id="domestic abuse limb"),
            pytest.param(OUTSIDE_HOME, id="outside-the-home limb"),
            pytest.param(
                {"risk_too_great_to_remain": REMOVE, "exceptional_reason_accepted": True},
                id="exceptional reason limb",
            ),
        ],
    )
    def test_each_circumstance_alone_suffices_while_the_others_are_unknown(
        self, changes: dict[str, Any]
    ) -> None:
        """KRS point 7.

        The circumstances are joined by OR; one shown settles it, the others are not asked for.
        """
        decision = self.decide(changes)
        found = finding(decision, CIRCUMSTANCES)
        assert found.status is Status.MET
        assert decision.outcome is Outcome.ELIGIBLE
        assert decision.missing_facts == ()

    @pytest.mark.parametrize(
        "strand", ["stalking", "forced_marriage", "sexual_violence", "honour_based_violence"]
    )
    def test_other_vawg_strands_not_recorded_as_domestic_abuse_do_not_meet_the_domestic_abuse_limb(
        self, strand: str
    ) -> None:
        """Interpretation kent_krs.domestic_abuse_limb (KRS point 7): 'domestic abuse' only."""
        decision = self.decide({"risk.harm_types": [strand], "exceptional_reason_accepted": False})
        assert finding(decision, CIRCUMSTANCES).status is Status.NOT_MET
        assert decision.outcome is Outcome.INELIGIBLE

    def test_other_vawg_strand_may_still_qualify_as_an_exceptional_reason(self) -> None:
        """Interpretation kent_krs.domestic_abuse_limb.

        The decision asks about an exceptional reason rather than refusing.
        """
        decision = self.decide({"risk.harm_types": ["stalking"]})
        found = finding(decision, CIRCUMSTANCES)
        assert found.status is Status.NEEDS_INFORMATION
        assert found.missing == ("exceptional_reason_accepted",)

    @pytest.mark.parametrize("tenure", [*(t.value for t in Tenure), None], ids=str)
    def test_tenure_is_not_read(self, tenure: str | None) -> None:
        """Interpretation kent_krs.any_tenure (KRS point 1): 'applicants in all types of tenure'."""
        decision = self.decide({"tenure": tenure if tenure is not None else REMOVE})
        assert decision.outcome is Outcome.ELIGIBLE
        read = {reading.name for f in decision.findings for reading in f.facts}
        assert not read & {"tenure", "social_tenant", "tenancy.type", "tenancy.landlord"}

    def test_a_household_with_a_social_tenancy_is_eligible_too(self) -> None:
        """KRS point 1, point 8 (a reference may be asked of 'the existing landlord')."""
        decision = self.decide(
            {"tenure": "social_tenant", "tenancy": {"type": "secure", "landlord": "council_sw"}}
        )
        assert decision.outcome is Outcome.ELIGIBLE

    @pytest.mark.parametrize("referred_on", ["2019-06-01", "2021-10-01", "2035-01-01"])
    def test_rules_are_in_force_before_and_after_the_review_date(self, referred_on: str) -> None:
        """Interpretation kent_krs.review_dates (KRS point 16).

        A review date is not an expiry date.
        """
        decision = self.decide({"referred_on": referred_on})
        assert decision.outcome is Outcome.ELIGIBLE
        assert decision.on == date.fromisoformat(referred_on)
        assert "2021.1" in decision.ruleset_version

    # --- three-valued logic ----------------------------------------------------------

    def test_a_failed_circumstance_does_not_ask_for_facts_that_cannot_change_it(self) -> None:
        """KRS point 7: without harm from outside the home, corroboration is never asked for."""
        decision = self.decide(NO_DA_LIMB)
        found = finding(decision, CIRCUMSTANCES)
        assert found.status is Status.NOT_MET
        assert found.missing == ()
        assert "corroborated_by_inquiries" not in decision.missing_facts

    def test_ineligible_wins_over_needs_information(self) -> None:
        """Medway is ineligible even while point 7's circumstances are still open."""
        decision = self.decide(
            {"nominating_partner.authority_area": "medway", "risk_too_great_to_remain": REMOVE}
        )
        assert decision.outcome is Outcome.INELIGIBLE
        assert finding(decision, CIRCUMSTANCES).status is Status.NEEDS_INFORMATION
        assert [f.rule_id for f in decision.failed] == ["kent_krs.referrer_is_kent_council"]

    # --- fixed bugs, kept as regressions --------------------------------------------------------------

    def test_local_connection_question_has_the_flags_sense(self) -> None:
        """KRS point 7.

        Answering 'yes' must mean the household is not safe where it has a local connection.
        """
        decision = self.decide({**OUTSIDE_HOME, "unsafe_where_local_connection": REMOVE})
        found = finding(decision, CIRCUMSTANCES)
        assert "unsafe_where_local_connection" in found.missing
        question = found.questions[found.missing.index("unsafe_where_local_connection")]
        assert "unsafe" in question or "not safe" in question, question


def test_kent_krs_does_not_share_kent_rp_areas_with_medway() -> None:
    """KRS opening paragraphs.

    Medway is in the Kent RP agreement's areas but not in this scheme's.
    """
    assert "medway" in reciprocity.get_scheme("kent_rp").area_ids
    assert "medway" not in reciprocity.get_scheme("kent_krs").area_ids
