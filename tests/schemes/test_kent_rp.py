"""Kent & Medway Reciprocal Housing Agreement (``kent_rp``).

Every rule, and the documented interpretations.

Sources: the MoU (doc 000, "Kent RP MoU §n"), the operating process (doc 002) and the
presentation (doc 004). Every referral here is invented: an invented housing provider
``hp_one`` nominating its own tenant; no person is described.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

import pytest

import reciprocity
from reciprocity import Outcome, Status
from reciprocity.model import VAWG_HARMS, HarmType

from .base import REMOVE, Case, SchemeTests, finding

ELIGIBLE: dict[str, Any] = {
    "referred_on": "2026-03-02",
    "nominating_partner": {
        "id": "hp_one",
        "kind": "registered_provider",
        "stock_areas": ["maidstone"],
        "membership": {"joined_on": "2024-01-01"},
        "data_sharing_protocol_signatory": True,
    },
    "subject_role": "survivor",
    "tenure": "social_tenant",
    "tenancy": {"type": "assured", "landlord": "hp_one"},
    "risk": {"assessed_by": "idva", "at_risk": True, "harm_types": ["domestic_abuse"]},
    "urgent": False,
    "current_area": "maidstone",
    "requested_areas": ["thanet"],
    "risk_too_great_to_remain": True,
    "own_stock_exhausted": True,
    "kent_home_choice_exhausted": True,
}

CITATIONS = {
    "kent_rp.nominator_social_landlord": "Kent RP MoU §2.1",
    "kent_rp.nominator_dsp_signatory": "Kent RP MoU §2.2 (first), §5.3",
    "kent_rp.nominator_active": "Kent RP MoU §5.5, §2.4 (second)",
    "kent_rp.subject_survivor": "Kent RP MoU §1.2",
    "kent_rp.social_tenant": "Kent RP MoU §1.2, §3.1",
    "kent_rp.tenant_of_nominator": "Kent RP MoU §3.1, §4.1",
    "kent_rp.vawg_harm": "Kent RP MoU §1.2",
    "kent_rp.assessed_at_risk": "Kent RP MoU §3.2 (first condition)",
    "kent_rp.risk_too_great_to_remain": "Kent RP MoU §3.2 (second condition)",
    "kent_rp.own_stock_exhausted": "Kent RP MoU §3.2 (third condition)",
    "kent_rp.kent_home_choice_exhausted": "Kent RP MoU §3.2 (third condition)",
    "kent_rp.urgent_homelessness_application": "Kent RP MoU §3.3",
    "kent_rp.requested_areas": "Kent RP MoU §4.1; Kent RP process Referral stage",
}

#: A council with stock, nominating its own (secure) tenant.
COUNCIL_WITH_STOCK = {
    "nominating_partner.kind": "local_authority",
    "nominating_partner.authority_area": "maidstone",
    "tenancy.type": "secure",
}
URGENT = {"urgent": True, "homelessness.application_made": True}
MEMBER = "nominating_partner.membership"

MET = [
    Case("kent_rp.nominator_social_landlord", "registered provider"),
    Case("kent_rp.nominator_social_landlord", "council with stock", COUNCIL_WITH_STOCK),
    Case("kent_rp.nominator_dsp_signatory", "signed the protocol"),
    Case("kent_rp.nominator_active", "joined before the referral"),
    Case(
        "kent_rp.nominator_active",
        "notice given after the referral date",
        {f"{MEMBER}.notice_given_on": "2026-03-03"},
    ),
    Case("kent_rp.subject_survivor", "survivor"),
    Case("kent_rp.social_tenant", "social tenant with tenancy"),
    Case(
        "kent_rp.social_tenant",
        "temporary accommodation, tenancy kept",
        {"tenure": "temporary_accommodation"},
    ),
    Case("kent_rp.social_tenant", "tenancy given, tenure not", {"tenure": REMOVE}),
    Case("kent_rp.tenant_of_nominator", "tenant of the nominating landlord"),
    Case("kent_rp.vawg_harm", "domestic abuse"),
    Case("kent_rp.vawg_harm", "sexual violence", {"risk.harm_types": ["sexual_violence"]}),
    Case("kent_rp.vawg_harm", "stalking", {"risk.harm_types": ["stalking"]}),
    Case(
        "kent_rp.vawg_harm",
        "VAWG among other harm",
        {"risk.harm_types": ["harm_outside_home", "forced_marriage"]},
    ),
    Case("kent_rp.assessed_at_risk", "IDVA found at risk"),
    Case(
        "kent_rp.assessed_at_risk",
        "DA professional found at risk",
        {"risk.assessed_by": "da_professional"},
    ),
    Case("kent_rp.risk_too_great_to_remain", "too great to remain"),
    Case("kent_rp.own_stock_exhausted", "own stock exhausted"),
    Case("kent_rp.kent_home_choice_exhausted", "Kent Home Choice exhausted"),
    Case("kent_rp.urgent_homelessness_application", "urgent, application made", URGENT),
    Case(
        "kent_rp.urgent_homelessness_application",
        "urgency unknown, application made",
        {"urgent": REMOVE, "homelessness.application_made": True},
    ),
    Case("kent_rp.requested_areas", "one Kent district"),
    Case(
        "kent_rp.requested_areas",
        "Medway and Kent districts",
        {"requested_areas": ["medway", "dover", "folkestone_hythe"]},
    ),
]

NOT_MET = [
    Case(
        "kent_rp.nominator_social_landlord",
        "specialist DA service",
        {"nominating_partner.kind": "specialist_da_service"},
    ),
    Case(
        "kent_rp.nominator_social_landlord",
        "coordinator",
        {"nominating_partner.kind": "coordinator"},
    ),
    Case(
        "kent_rp.nominator_dsp_signatory",
        "not signed",
        {"nominating_partner.data_sharing_protocol_signatory": False},
    ),
    Case(
        "kent_rp.nominator_active", "in notice period", {f"{MEMBER}.notice_given_on": "2026-02-15"}
    ),
    Case("kent_rp.subject_survivor", "perpetrator", {"subject_role": "perpetrator"}),
    Case(
        "kent_rp.social_tenant", "private renter", {"tenure": "private_rented", "tenancy": REMOVE}
    ),
    Case(
        "kent_rp.social_tenant",
        "non-tenant in priority need",
        {"tenure": "non_tenant_priority_need", "tenancy": REMOVE},
    ),
    Case(
        "kent_rp.tenant_of_nominator", "tenant of another landlord", {"tenancy.landlord": "hp_two"}
    ),
    Case(
        "kent_rp.vawg_harm",
        "harm from outside the home only",
        {"risk.harm_types": ["harm_outside_home"]},
    ),
    Case("kent_rp.vawg_harm", "other harm only", {"risk.harm_types": ["other"]}),
    Case("kent_rp.assessed_at_risk", "police only", {"risk.assessed_by": "police"}),
    Case("kent_rp.assessed_at_risk", "other assessor", {"risk.assessed_by": "other"}),
    Case("kent_rp.assessed_at_risk", "IDVA found not at risk", {"risk.at_risk": False}),
    Case(
        "kent_rp.assessed_at_risk",
        "nobody assessed",
        {"risk": {"assessed_by": "nobody", "harm_types": ["domestic_abuse"]}},
    ),
    Case("kent_rp.risk_too_great_to_remain", "not too great", {"risk_too_great_to_remain": False}),
    Case("kent_rp.own_stock_exhausted", "own stock not exhausted", {"own_stock_exhausted": False}),
    Case(
        "kent_rp.kent_home_choice_exhausted",
        "Kent Home Choice not exhausted",
        {"kent_home_choice_exhausted": False},
    ),
    Case(
        "kent_rp.urgent_homelessness_application",
        "urgent, no application",
        {"urgent": True, "homelessness.application_made": False},
    ),
    Case(
        "kent_rp.requested_areas",
        "area outside Kent and Medway",
        {"requested_areas": ["cambridge"]},
    ),
    Case("kent_rp.requested_areas", "one area outside", {"requested_areas": ["thanet", "croydon"]}),
    Case(
        "kent_rp.nominator_social_landlord",
        "all stock outside Kent and Medway",
        {"nominating_partner.stock_areas": ["cambridge", "fenland"]},
    ),
]

NEEDS_INFORMATION = [
    Case(
        "kent_rp.nominator_active",
        "membership not given",
        {MEMBER: REMOVE},
        missing=("nominator.membership_status",),
    ),
    Case(
        "kent_rp.social_tenant",
        "other tenure, no tenancy",
        {"tenure": "other", "tenancy": REMOVE},
        missing=("social_tenant",),
    ),
    Case(
        "kent_rp.requested_areas",
        "an empty list counts as not given",
        {"requested_areas": []},
        missing=("requested_areas",),
    ),
    Case(
        "kent_rp.nominator_social_landlord",
        "stock areas not given",
        {"nominating_partner.stock_areas": []},
        missing=("nominator.stock_areas",),
    ),
    Case(
        "kent_rp.nominator_dsp_signatory",
        "signatory not given",
        {"nominating_partner.data_sharing_protocol_signatory": REMOVE},
        missing=("nominator.dsp_signatory",),
    ),
    Case(
        "kent_rp.subject_survivor",
        "role not given",
        {"subject_role": REMOVE},
        missing=("subject_role",),
    ),
    Case(
        "kent_rp.social_tenant",
        "temporary accommodation, tenancy not given",
        {"tenure": "temporary_accommodation", "tenancy": REMOVE},
        missing=("social_tenant",),
    ),
    Case(
        "kent_rp.social_tenant",
        "neither tenure nor tenancy given",
        {"tenure": REMOVE, "tenancy": REMOVE},
        missing=("social_tenant",),
    ),
    Case(
        "kent_rp.tenant_of_nominator",
        "social tenant, tenancy not given",
        {"tenancy": REMOVE},
        missing=("tenancy.landlord",),
    ),
    Case(
        "kent_rp.vawg_harm",
        "harm not given",
        {"risk.harm_types": REMOVE},
        missing=("risk.harm_types",),
    ),
    Case(
        "kent_rp.assessed_at_risk",
        "conclusion not given",
        {"risk.at_risk": REMOVE},
        missing=("risk.at_risk",),
    ),
    Case(
        "kent_rp.assessed_at_risk",
        "no risk assessment given",
        {"risk": REMOVE},
        missing=("risk.assessed_by", "risk.at_risk"),
    ),
    Case(
        "kent_rp.risk_too_great_to_remain",
        "not given",
        {"risk_too_great_to_remain": REMOVE},
        missing=("risk_too_great_to_remain",),
    ),
    Case(
        "kent_rp.own_stock_exhausted",
        "not given",
        {"own_stock_exhausted": REMOVE},
        missing=("own_stock_exhausted",),
    ),
    Case(
        "kent_rp.kent_home_choice_exhausted",
        "not given",
        {"kent_home_choice_exhausted": REMOVE},
        missing=("kent_home_choice_exhausted",),
    ),
    Case(
        "kent_rp.urgent_homelessness_application",
        "urgent, application not given",
        {"urgent": True},
        missing=("homelessness.application_made",),
    ),
    Case(
        "kent_rp.urgent_homelessness_application",
        "urgency unknown, no application",
        {"urgent": REMOVE, "homelessness.application_made": False},
        missing=("urgent",),
    ),
    Case(
        "kent_rp.urgent_homelessness_application",
        "urgency and application unknown",
        {"urgent": REMOVE},
        missing=("homelessness.application_made", "urgent"),
    ),
    Case(
        "kent_rp.requested_areas",
        "not given",
        {"requested_areas": REMOVE},
        missing=("requested_areas",),
    ),
]

NOT_APPLICABLE = [
    Case(
        "kent_rp.tenant_of_nominator",
        "no social tenancy",
        {"tenure": "private_rented", "tenancy": REMOVE},
        outcome=Outcome.INELIGIBLE,
    ),
    Case("kent_rp.urgent_homelessness_application", "not urgent"),
    Case(
        "kent_rp.urgent_homelessness_application",
        "not urgent, no application",
        {"homelessness.application_made": False},
    ),
]

NEVER_MISSING = [
    Case(
        "kent_rp.nominator_social_landlord",
        "partner kind left out",
        {"nominating_partner.kind": REMOVE},
    ),
]


class TestKentRP(SchemeTests):
    scheme_id = "kent_rp"
    plugin_module = "reciprocity_kent_rp"
    example_file = "kent_rp_referral.json"
    source_files = frozenset(
        {"000_384ab9f408af0e6d.txt", "002_b9c1e63cfc46e238.txt", "004_57641a9e922540fc.txt"}
    )
    citations = CITATIONS
    met_cases = MET
    not_met_cases = NOT_MET
    needs_information_cases = NEEDS_INFORMATION
    not_applicable_cases = NOT_APPLICABLE
    never_missing_cases = NEVER_MISSING
    needs_information_impossible: ClassVar[Mapping[str, str]] = {}

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
