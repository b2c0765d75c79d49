"""The domain model: pydantic models for everything that enters the library."""

from reciprocity.model.area import Area, load_areas
from reciprocity.model.enums import (
    VAWG_HARMS,
    Assessor,
    HarmType,
    HomelessnessDuty,
    LandlordType,
    MembershipStatus,
    PartnerKind,
    Relationship,
    Sex,
    SubjectRole,
    TenancyType,
    Tenure,
)
from reciprocity.model.household import Household, Member
from reciprocity.model.offer import FinalOffer, Offer
from reciprocity.model.partner import Membership, Partner
from reciprocity.model.referral import Homelessness, Referral
from reciprocity.model.risk import RiskAssessment
from reciprocity.model.tenancy import Tenancy

__all__ = [
    "VAWG_HARMS",
    "Area",
    "Assessor",
    "FinalOffer",
    "HarmType",
    "Homelessness",
    "HomelessnessDuty",
    "Household",
    "LandlordType",
    "Member",
    "Membership",
    "MembershipStatus",
    "Offer",
    "Partner",
    "PartnerKind",
    "Referral",
    "Relationship",
    "RiskAssessment",
    "Sex",
    "SubjectRole",
    "Tenancy",
    "TenancyType",
    "Tenure",
    "load_areas",
]
