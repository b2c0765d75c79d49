"""reciprocity: the rules of UK domestic-abuse housing reciprocal schemes as explainable code.

Evaluate a referral under a scheme::

    import reciprocity
    decision = reciprocity.evaluate("kent_rp", referral_dict)
    print(decision.outcome, decision.summary())
    for finding in decision.findings:
        print(finding.sentence)

Schemes are plugins found through the ``reciprocity`` entry-point group; write one with
``from reciprocity import hookimpl`` (see docs/plugins.md).
"""

from reciprocity.api import assess_offer, evaluate, evaluate_many, referral_json_schema
from reciprocity.decision import Decision, FactReading, Finding, Status
from reciprocity.engines import ENGINES, EngineUnavailableError
from reciprocity.errors import (
    InputProblem,
    InvalidInputError,
    NoRulesInForceError,
    ReciprocityError,
    SchemeDefinitionError,
    UnknownSchemeError,
)
from reciprocity.hookspecs import hookimpl
from reciprocity.model import (
    VAWG_HARMS,
    Area,
    Assessor,
    FinalOffer,
    HarmType,
    Homelessness,
    HomelessnessDuty,
    Household,
    LandlordType,
    Member,
    Membership,
    MembershipStatus,
    Offer,
    Partner,
    PartnerKind,
    Referral,
    Relationship,
    RiskAssessment,
    Sex,
    SubjectRole,
    Tenancy,
    TenancyType,
    Tenure,
)
from reciprocity.plugins import PluginFailure, get_scheme, plugin_failures, reload_plugins, schemes
from reciprocity.rules import Outcome, Rule, Scheme

__version__ = "0.1.0"

__all__ = [
    "Area",
    "Assessor",
    "Decision",
    "ENGINES",
    "EngineUnavailableError",
    "FactReading",
    "FinalOffer",
    "Finding",
    "HarmType",
    "Homelessness",
    "HomelessnessDuty",
    "Household",
    "InputProblem",
    "InvalidInputError",
    "LandlordType",
    "Member",
    "Membership",
    "MembershipStatus",
    "NoRulesInForceError",
    "Offer",
    "Outcome",
    "Partner",
    "PartnerKind",
    "PluginFailure",
    "ReciprocityError",
    "Referral",
    "Relationship",
    "RiskAssessment",
    "Rule",
    "Scheme",
    "SchemeDefinitionError",
    "Sex",
    "Status",
    "SubjectRole",
    "Tenancy",
    "TenancyType",
    "Tenure",
    "UnknownSchemeError",
    "VAWG_HARMS",
    "__version__",
    "assess_offer",
    "evaluate",
    "evaluate_many",
    "get_scheme",
    "hookimpl",
    "plugin_failures",
    "referral_json_schema",
    "reload_plugins",
    "schemes",
]
