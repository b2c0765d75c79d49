"""Kent & Medway Reciprocal Housing Agreement (``kent_rp``).

Every rule, and the documented interpretations.

Sources: the MoU (doc 000, "Kent RP MoU §n"), the operating process (doc 002) and the
presentation (doc 004). Every referral here is invented: an invented housing provider
``hp_one`` nominating its own tenant; no person is described.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, ClassVar

from reciprocity import Outcome

from .base import REMOVE, Case, SchemeTests

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
    Case(
        "kent_rp.nominator_social_landlord",
        "partner kind left out" + " (unknown is not invalid: asked for)",
        {"nominating_partner.kind": REMOVE},
        missing=("nominator.kind",),
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
    needs_information_impossible: ClassVar[Mapping[str, str]] = {}

    def eligible_referral(self) -> dict[str, Any]:
        return copy.deepcopy(ELIGIBLE)
