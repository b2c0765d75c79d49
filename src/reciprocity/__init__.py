"""reciprocity: the rules of UK domestic-abuse housing reciprocal schemes as explainable code.

Evaluate a referral under a scheme::

    import reciprocity
    decision = reciprocity.evaluate("kent_rp", referral_dict)
    print(decision.outcome, decision.summary())
    for finding in decision.findings:
        print(finding.sentence)

Schemes are plugins found through the ``reciprocity`` entry-point group; write one with
``from reciprocity import hookimpl`` (see docs/plugins.md).

The names below are loaded on first use (PEP 562): ``import reciprocity`` alone imports none of
the models, rules, engines or plugins, so a program that needs one name (or the command line's
``--help``) does not pay for the rest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from reciprocity.plugins import (
        PluginFailure,
        get_scheme,
        plugin_failures,
        reload_plugins,
        schemes,
    )
    from reciprocity.reforms import Reform, load_reform
    from reciprocity.reforms.simulate import Simulation, simulate
    from reciprocity.rules import Outcome, Rule, Scheme

__version__ = "0.1.0"

# Plainly sorted (tests/test_models.py), not in ruff's isort-style order.
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
    "Reform",
    "Relationship",
    "RiskAssessment",
    "Rule",
    "Scheme",
    "SchemeDefinitionError",
    "Sex",
    "Simulation",
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
    "load_reform",
    "plugin_failures",
    "referral_json_schema",
    "reload_plugins",
    "schemes",
    "simulate",
]

#: The module each public name is loaded from, on first use.
_SOURCES: dict[str, str] = {
    **dict.fromkeys(("assess_offer", "evaluate", "evaluate_many", "referral_json_schema"), "reciprocity.api"),
    **dict.fromkeys(("Decision", "FactReading", "Finding", "Status"), "reciprocity.decision"),
    **dict.fromkeys(("ENGINES", "EngineUnavailableError"), "reciprocity.engines"),
    **dict.fromkeys(("InputProblem", "InvalidInputError", "NoRulesInForceError", "ReciprocityError",
                     "SchemeDefinitionError", "UnknownSchemeError"), "reciprocity.errors"),
    "hookimpl": "reciprocity.hookspecs",
    **dict.fromkeys(("Reform", "load_reform"), "reciprocity.reforms"),
    **dict.fromkeys(("Simulation", "simulate"), "reciprocity.reforms.simulate"),
    **dict.fromkeys(("VAWG_HARMS", "Area", "Assessor", "FinalOffer", "HarmType", "Homelessness",
                     "HomelessnessDuty", "Household", "LandlordType", "Member", "Membership",
                     "MembershipStatus", "Offer", "Partner", "PartnerKind", "Referral", "Relationship",
                     "RiskAssessment", "Sex", "SubjectRole", "Tenancy", "TenancyType", "Tenure"),
                    "reciprocity.model"),
    **dict.fromkeys(("PluginFailure", "get_scheme", "plugin_failures", "reload_plugins", "schemes"),
                    "reciprocity.plugins"),
    **dict.fromkeys(("Outcome", "Rule", "Scheme"), "reciprocity.rules"),
}


def __getattr__(name: str) -> Any:
    """A public name, imported from its module the first time it is asked for and kept; or a
    submodule (``reciprocity.errors``), as when the package imported them all at once."""
    if name in _SOURCES:
        value = getattr(importlib.import_module(_SOURCES[name]), name)
        globals()[name] = value
        return value
    if not name.startswith("_"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
