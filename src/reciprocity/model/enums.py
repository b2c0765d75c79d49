"""The closed vocabularies the domain model uses."""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "Assessor",
    "HarmType",
    "HomelessnessDuty",
    "LandlordType",
    "MembershipStatus",
    "PartnerKind",
    "Relationship",
    "Sex",
    "SubjectRole",
    "TenancyType",
    "Tenure",
    "VAWG_HARMS",
]


class PartnerKind(StrEnum):
    """What kind of organisation a scheme partner is."""

    LOCAL_AUTHORITY = "local_authority"
    REGISTERED_PROVIDER = "registered_provider"
    SPECIALIST_DA_SERVICE = "specialist_da_service"
    COORDINATOR = "coordinator"


class MembershipStatus(StrEnum):
    """A partner's standing in a scheme on a given date."""

    NOT_YET_JOINED = "not_yet_joined"
    ACTIVE = "active"
    NOTICE_GIVEN = "notice_given"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"


class LandlordType(StrEnum):
    """Which sector a social landlord is in; tenancy types differ between the two."""

    COUNCIL = "council"
    REGISTERED_PROVIDER = "registered_provider"


class TenancyType(StrEnum):
    """Social tenancy types in England (see docs/concepts and shared domain notes)."""

    # Council tenancies (Housing Act 1985 / 1996, Localism Act 2011).
    SECURE = "secure"
    FLEXIBLE = "flexible"
    INTRODUCTORY = "introductory"
    DEMOTED = "demoted"
    # Registered provider tenancies (Housing Act 1988 and earlier).
    ASSURED = "assured"
    ASSURED_SHORTHOLD = "assured_shorthold"  # includes starter tenancies
    FIXED_TERM_ASSURED = "fixed_term_assured"
    SECURE_FAIR_RENT = "secure_fair_rent"  # pre-15 Jan 1989, usually called "protected"

    @property
    def landlord_type(self) -> LandlordType:
        """The sector that grants this type of tenancy."""
        if self in _COUNCIL_TYPES:
            return LandlordType.COUNCIL
        return LandlordType.REGISTERED_PROVIDER


_COUNCIL_TYPES = frozenset(
    {TenancyType.SECURE, TenancyType.FLEXIBLE, TenancyType.INTRODUCTORY, TenancyType.DEMOTED}
)


class Tenure(StrEnum):
    """Where the household lives now, as the referral records it."""

    SOCIAL_TENANT = "social_tenant"
    NON_TENANT_PRIORITY_NEED = "non_tenant_priority_need"  # or due to receive a social tenancy
    PRIVATE_RENTED = "private_rented"
    TEMPORARY_ACCOMMODATION = "temporary_accommodation"
    OTHER = "other"


class HomelessnessDuty(StrEnum):
    """The Housing Act 1996 Part 7 duty a council has accepted, if any."""

    NONE = "none"
    PREVENTION = "prevention"  # s.195
    RELIEF = "relief"  # s.189B
    MAIN = "main"  # s.193


class SubjectRole(StrEnum):
    """Whether the person to be moved is the survivor or the perpetrator of the abuse."""

    SURVIVOR = "survivor"
    PERPETRATOR = "perpetrator"


class Assessor(StrEnum):
    """Who assessed the risk."""

    IDVA = "idva"
    DA_PROFESSIONAL = "da_professional"
    POLICE = "police"
    OTHER = "other"
    NOBODY = "nobody"


class HarmType(StrEnum):
    """Kinds of harm; the VAWG strands follow footnote 1 of the Cambridgeshire MoU."""

    DOMESTIC_ABUSE = "domestic_abuse"
    SEXUAL_VIOLENCE = "sexual_violence"
    SEXUAL_EXPLOITATION = "sexual_exploitation"  # including prostitution
    CHILD_SEXUAL_EXPLOITATION = "child_sexual_exploitation"
    MODERN_SLAVERY = "modern_slavery"  # including trafficking
    FORCED_MARRIAGE = "forced_marriage"
    FGM = "fgm"
    HONOUR_BASED_VIOLENCE = "honour_based_violence"
    STALKING = "stalking"
    HARM_OUTSIDE_HOME = "harm_outside_home"  # violence or serious harm from outside the home
    OTHER = "other"


#: Domestic abuse, sexual violence and every other VAWG strand (Cambridgeshire MoU footnote 1).
VAWG_HARMS: frozenset[HarmType] = frozenset(HarmType) - {HarmType.HARM_OUTSIDE_HOME, HarmType.OTHER}


class Sex(StrEnum):
    """Sex as the size standards use it (children of the same sex may share a bedroom)."""

    FEMALE = "female"
    MALE = "male"


class Relationship(StrEnum):
    """A household member's relationship to the applicant."""

    APPLICANT = "applicant"
    PARTNER = "partner"
    CHILD = "child"
    OTHER_RELATIVE = "other_relative"
    CARER = "carer"  # a non-resident overnight carer the household needs
    OTHER = "other"
