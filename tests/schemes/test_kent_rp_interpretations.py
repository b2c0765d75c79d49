"""Kent & Medway Reciprocal Housing Agreement (``kent_rp``): the documented interpretations.

The per-rule case tables and the checks every scheme gets are in ``test_kent_rp.py``; these
tests pin the choices made where the texts are ambiguous (docs/schemes/kent_rp.md)."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

import reciprocity
from reciprocity import Outcome, Status
from reciprocity.model import VAWG_HARMS, HarmType

from .base import REMOVE, SchemeHelpers, finding
from .test_kent_rp import CITATIONS, COUNCIL_WITH_STOCK, ELIGIBLE, MEMBER


class TestKentRPInterpretations(SchemeHelpers):
    scheme_id = "kent_rp"
    citations = CITATIONS

    def eligible_referral(self) -> dict[str, Any]:
        return copy.deepcopy(ELIGIBLE)

    # --- failing sentences say what was found ----------------------------------------

    def test_wrong_landlord_sentence_names_both_partners(self) -> None:
        """Kent RP MoU §3.1, §4.1: the caseworker sees whose tenant this is."""
        found = finding(self.decide({"tenancy.landlord": "hp_two"}), "kent_rp.tenant_of_nominator")
        assert "hp_two" in found.sentence
        assert "hp_one" in found.sentence

    def test_inactive_membership_sentence_names_the_status(self) -> None:
        """Kent RP MoU §5.5: the sentence says what the membership was on the referral date."""
        found = finding(
            self.decide({f"{MEMBER}.notice_given_on": "2026-02-15"}), "kent_rp.nominator_active"
        )
        assert "'notice given'" in found.sentence

    # --- interpretations -------------------------------------------------------------

    def test_temporary_accommodation_with_tenancy_kept_is_eligible(self) -> None:
        """Interpretation kent_rp.temporary_accommodation (Kent RP MoU §1.2; presentation)."""
        decision = self.decide({"tenure": "temporary_accommodation"})
        assert decision.outcome is Outcome.ELIGIBLE
        assert finding(decision, "kent_rp.social_tenant").status is Status.MET
        assert finding(decision, "kent_rp.tenant_of_nominator").status is Status.MET

    def test_temporary_accommodation_without_tenancy_asks_rather_than_guessing(self) -> None:
        """Interpretation kent_rp.temporary_accommodation.

        Neither tenant nor non-tenant is assumed.
        """
        decision = self.decide({"tenure": "temporary_accommodation", "tenancy": REMOVE})
        assert decision.outcome is Outcome.NEEDS_INFORMATION
        found = finding(decision, "kent_rp.social_tenant")
        assert found.status is Status.NEEDS_INFORMATION
        assert "social_tenant" in decision.missing_facts
        assert any("give the tenancy" in q for q in found.questions)

    def test_council_with_stock_may_nominate(self) -> None:
        """Interpretation kent_rp.councils_as_partners (Kent RP MoU §2.1)."""
        decision = self.decide(COUNCIL_WITH_STOCK)
        assert decision.outcome is Outcome.ELIGIBLE
        assert "local authority" in finding(decision, "kent_rp.nominator_social_landlord").sentence

    @pytest.mark.parametrize(
        ("membership", "status"),
        [
            pytest.param(
                {"notice_given_on": "2026-02-15"}, "notice given", id="notice given before referral"
            ),
            pytest.param(
                {"notice_given_on": "2026-03-02"},
                "notice given",
                id="notice given on the referral date",
            ),
            pytest.param(
                {"notice_given_on": "2026-02-03"}, "notice given", id="last day of the notice month"
            ),
            pytest.param(
                {"notice_given_on": "2026-02-02"},
                "withdrawn",
                id="notice month ends on the referral date",
            ),
            pytest.param(
                {"notice_given_on": "2025-12-01"}, "withdrawn", id="withdrawn after notice"
            ),
            pytest.param(
                {"notice_given_on": "2026-02-20", "withdrawn_on": "2026-02-25"},
                "withdrawn",
                id="withdrawal date given",
            ),
            pytest.param(
                {"removed_on": "2026-01-10"}, "removed", id="removed after a breach (MoU 4.7)"
            ),
            pytest.param(
                {"joined_on": "2026-04-01"}, "not yet joined", id="joins after the referral date"
            ),
        ],
    )
    def test_only_active_members_can_nominate(
        self, membership: dict[str, str], status: str
    ) -> None:
        """Interpretation kent_rp.notice_on_referral_date (Kent RP MoU §5.5, §2.4 (second)).

        No new nominations in notice.
        """
        decision = self.decide({MEMBER: {"joined_on": "2024-01-01", **membership}})
        assert decision.outcome is Outcome.INELIGIBLE
        found = finding(decision, "kent_rp.nominator_active")
        assert found.status is Status.NOT_MET
        assert f"'{status}'" in found.sentence

    def test_nomination_made_before_notice_stays_valid_after_withdrawal(self) -> None:
        """Kent RP MoU §5.5.

        'outstanding nominations will still be actioned', judged on the referral date.
        """
        outstanding = {f"{MEMBER}.notice_given_on": "2026-03-03"}
        later = reciprocity.evaluate("kent_rp", self.referral(outstanding), on=date(2026, 6, 1))
        assert later.outcome is Outcome.ELIGIBLE
        assert finding(later, "kent_rp.nominator_active").status is Status.MET

    def test_membership_with_no_dates_is_active_but_no_membership_is_asked_for(self) -> None:
        """Kent RP MoU §5.5.

        Membership dates record events, so a membership with none is an active one; a partner
        record without membership at all leaves its standing unknown, and the decision asks.
        """
        decision = self.decide({MEMBER: {}})
        assert finding(decision, "kent_rp.nominator_active").status is Status.MET
        assert decision.outcome is Outcome.ELIGIBLE
        unknown = self.decide({MEMBER: REMOVE})
        assert finding(unknown, "kent_rp.nominator_active").status is Status.NEEDS_INFORMATION
        assert unknown.outcome is Outcome.NEEDS_INFORMATION

    def test_urgency_unknown_but_homelessness_application_made_meets_3_3(self) -> None:
        """Interpretation kent_rp.urgency_unknown (Kent RP MoU §3.3).

        Nothing is asked that cannot change the answer.
        """
        decision = self.decide({"urgent": REMOVE, "homelessness.application_made": True})
        assert finding(decision, "kent_rp.urgent_homelessness_application").status is Status.MET
        assert "urgent" not in decision.missing_facts
        assert decision.outcome is Outcome.ELIGIBLE

    def test_not_urgent_does_not_ask_about_a_homelessness_application(self) -> None:
        """Kent RP MoU §3.3 applies only to urgent moves."""
        decision = self.decide()
        assert "homelessness.application_made" not in decision.missing_facts
        assert (
            finding(decision, "kent_rp.urgent_homelessness_application").status
            is Status.NOT_APPLICABLE
        )

    def test_police_only_assessment_fails_3_2(self) -> None:
        """Interpretation kent_rp.assessors (Kent RP MoU §3.2).

        Police alone are not an IDVA or DA professional.
        """
        decision = self.decide({"risk.assessed_by": "police"})
        assert decision.outcome is Outcome.INELIGIBLE
        found = finding(decision, "kent_rp.assessed_at_risk")
        assert found.status is Status.NOT_MET
        assert "Kent RP MoU §3.2" in found.sentence
        assert "police" in found.sentence

    def test_no_dash_threshold_is_applied(self) -> None:
        """Interpretation kent_rp.assessors.

        The MoU asks for an assessment 'as at risk' and sets no DASH score.
        """
        decision = self.decide({"risk.dash_score": 0, "risk.marac_referral": False})
        assert decision.outcome is Outcome.ELIGIBLE

    @pytest.mark.parametrize(
        "changes",
        [
            pytest.param({"own_stock_exhausted": False}, id="only Kent Home Choice exhausted"),
            pytest.param({"kent_home_choice_exhausted": False}, id="only own stock exhausted"),
        ],
    )
    def test_both_own_stock_and_kent_home_choice_must_be_exhausted(
        self, changes: dict[str, bool]
    ) -> None:
        """Interpretation kent_rp.both_routes_exhausted (Kent RP MoU §3.2 third condition).

        One route is not enough.
        """
        decision = self.decide(changes)
        assert decision.outcome is Outcome.INELIGIBLE
        assert len(decision.failed) == 1
        assert decision.failed[0].citation == "Kent RP MoU §3.2 (third condition)"

    @pytest.mark.parametrize("harm", sorted(VAWG_HARMS), ids=str)
    def test_every_vawg_strand_is_harm_the_agreement_covers(self, harm: HarmType) -> None:
        """Kent RP MoU §1.2: domestic/sexual violence and other VAWG."""
        decision = self.decide({"risk.harm_types": [harm.value]})
        assert finding(decision, "kent_rp.vawg_harm").status is Status.MET

    @pytest.mark.parametrize("area", sorted(a.id for a in reciprocity.get_scheme("kent_rp").areas))
    def test_every_kent_and_medway_area_can_be_requested(self, area: str) -> None:
        """Kent RP MoU §1.1, §2.1: the twelve Kent districts and Medway."""
        current = "thanet" if area == "maidstone" else "maidstone"
        decision = self.decide({"current_area": current, "requested_areas": [area]})
        assert finding(decision, "kent_rp.requested_areas").status is Status.MET

    def test_scheme_covers_kent_and_medway_exactly(self) -> None:
        """Kent RP MoU §1.1: the twelve Kent districts and Medway, thirteen areas."""
        ids = {a.id for a in self.scheme.areas}
        assert len(ids) == 13
        assert "medway" in ids

    # --- three-valued logic ----------------------------------------------------------

    def test_assessment_by_nobody_fails_and_asks_nothing(self) -> None:
        """Kent RP MoU §3.2.

        Once 'nobody' assessed, the unknown conclusion cannot change the answer.
        """
        decision = self.decide(
            {"risk": {"assessed_by": "nobody", "harm_types": ["domestic_abuse"]}}
        )
        found = finding(decision, "kent_rp.assessed_at_risk")
        assert found.status is Status.NOT_MET
        assert found.missing == ()
        assert "risk.at_risk" not in decision.missing_facts

    def test_police_assessment_with_unknown_conclusion_fails_without_asking(self) -> None:
        """Kent RP MoU §3.2: the wrong assessor settles the rule whatever they concluded."""
        found = finding(
            self.decide({"risk.assessed_by": "police", "risk.at_risk": REMOVE}),
            "kent_rp.assessed_at_risk",
        )
        assert found.status is Status.NOT_MET
        assert found.missing == ()

    def test_ineligible_wins_over_needs_information(self) -> None:
        """A failed rule makes the referral ineligible while another still needs information."""
        decision = self.decide({"subject_role": "perpetrator", "risk_too_great_to_remain": REMOVE})
        assert decision.outcome is Outcome.INELIGIBLE
        assert finding(decision, "kent_rp.subject_survivor").status is Status.NOT_MET
        assert (
            finding(decision, "kent_rp.risk_too_great_to_remain").status is Status.NEEDS_INFORMATION
        )
        assert decision.summary().startswith("not eligible under kent_rp")

    def test_missing_facts_are_asked_once_each(self) -> None:
        """Two rules needing the same fact ask for it once."""
        decision = self.decide({"tenure": REMOVE, "tenancy": REMOVE})
        assert decision.outcome is Outcome.NEEDS_INFORMATION
        assert decision.missing_facts.count("social_tenant") == 1
        assert set(decision.missing_facts) == {"social_tenant", "tenancy.landlord"}

    # --- fixed bugs, kept as regressions --------------------------------------------------------------

    def test_landlord_with_no_stock_in_kent_or_medway_is_not_met(self) -> None:
        """Kent RP MoU §2.1: open to social landlords 'with housing stock in Kent and Medway'."""
        decision = self.decide({"nominating_partner.stock_areas": ["cambridge", "fenland"]})
        assert finding(decision, "kent_rp.nominator_social_landlord").status is not Status.MET
        assert decision.outcome is not Outcome.ELIGIBLE

    def test_own_stock_question_has_the_flags_sense(self) -> None:
        """Kent RP MoU §3.2 (third condition): answering 'yes' must mean the stock is exhausted."""
        found = finding(self.decide({"own_stock_exhausted": REMOVE}), "kent_rp.own_stock_exhausted")
        (question,) = found.questions
        assert "exhausted" in question or "cannot" in question, question


@pytest.mark.parametrize(
    ("question", "parameter", "default"),
    [
        ("arrears", "arrears_decided_by", "accepting_landlord_allocations_policy"),
        ("overcrowding", "overcrowding_allowance", 0),
        ("differing tenancy types", "tenancy_security", None),
        ("joint tenancies", "joint_tenant_offered", frozenset({"sole"})),
        ("waiting time", "review_after_months", 3),
    ],
)
def test_the_presentations_open_questions_are_explicit_parameters(question: str, parameter: str, default: Any) -> None:
    """Kent RP presentation, specific housing considerations: each open question is a dated,
    documented parameter with a default, never a hidden guess."""
    scheme = reciprocity.get_scheme("kent_rp")
    found = scheme.parameter(parameter)
    assert any(c.ref == "Specific housing considerations" for c in found.clauses), question
    start, value = found.value_on(date(2026, 1, 1))
    assert start is None
    if default is not None:
        assert value == default
    assert found.description
