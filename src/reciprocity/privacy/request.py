"""The property request circulated to partner landlords: the only thing about a case that leaves.

In the Kent & Medway process (002, "Referral → Request → Offer → Move") the local coordinator
circulates a new property request by e-mail to the Reciprocal Named Leads of the partners
with stock in the requested areas, asks for an answer within about two working days, and
recirculates pending requests every fortnight until an offer is made. The Cambridgeshire draft
MoU (001) §3 has every partnership communication use the case's Application Reference Code
"for security purposes". :class:`PartnerRequest` is that request: what a landlord needs to
look for a home, under the ARC, and nothing else.

What it cannot carry, by type
-----------------------------
Every field is a closed vocabulary, a number, a date of the process, or text held to a
pattern, except ``notes``, which is short and scanned. So no field can hold a name, a date
of birth, an address, a phone number, an e-mail address, a National Insurance number or a
tenancy reference (``tests/privacy`` walks the fields to keep it so).

What it leaves out on purpose
-----------------------------
The referral's id, the nominating partner, the current landlord, the current area and the
unsafe areas never go out. The first three name the organisations that know the survivor,
and the domain notes (``reference/domain.md``, "Data protection") count the current landlord
and area among the quasi-identifiers that can single out a household. The current and unsafe
areas say where the survivor is and where the perpetrator is likely to be: a request read by
the wrong person must not point at either. The requested areas are enough to route the
request (002) and a requested area is never an unsafe one (the Referral model refuses that).
Risk details and every date about the household stay with the coordinator as well.

What it still reveals
---------------------
Pseudonymised data is still personal data (domain notes: UK GDPR Art 4(5)). The counts of
adults and children, the bedrooms needed and the tenancy type are what a landlord must match,
and they are quasi-identifiers: together with an area they can narrow a household down. That
is why the request goes only to the named leads of partners with stock in the requested
areas, under the scheme's data sharing protocol.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from reciprocity.errors import ReciprocityError
from reciprocity.model.base import AreaId, BoundaryModel, raise_field_errors
from reciprocity.model.enums import Relationship, TenancyType
from reciprocity.model.referral import Referral
from reciprocity.privacy.arc import InvalidArcError, is_arc, parse_arc
from reciprocity.privacy.identifiers import find_identifiers

__all__ = ["KNOWN_CONTEXT_KEY", "NOTES_MAX_LENGTH", "PartnerRequest", "RequestError"]

#: The validation-context key holding strings the notes must not contain, e.g.
#: ``PartnerRequest.model_validate(data, context={"known": ["Jane Doe"]})``.
KNOWN_CONTEXT_KEY = "known"

#: The longest notes a request may carry: short enough to read as a line, not a case history.
NOTES_MAX_LENGTH = 280

#: A person is counted as an adult from this age.
ADULT_AGE = 18

_ARC_PATTERN = r"^ARC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"


def _canonical_arc(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # the str type check reports it
    try:
        return parse_arc(value)
    except InvalidArcError as error:
        raise PydanticCustomError("arc", str(error)) from None


#: An ARC, checked (including its check character) and written canonically.
ArcText = Annotated[str, BeforeValidator(_canonical_arc), StringConstraints(pattern=_ARC_PATTERN)]


class RequestError(ReciprocityError, ValueError):
    """A referral from which no partner request can be built yet; the message says what to add."""


class PartnerRequest(BoundaryModel):
    """A request for a home, as circulated to partner landlords under the case's ARC.

    Build one from a referral with :meth:`for_referral`. Built directly, the strings the
    notes must not contain go in the validation context under ``"known"``.
    """

    arc: ArcText = Field(description="The case's Application Reference Code (Cambridgeshire MoU §3).")
    scheme: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64, description="The scheme id.")
    circulated_on: date = Field(description="The day this request is circulated (a process date).")
    respond_by: date = Field(description="The day partners are asked to answer by (a process date).")
    requested_areas: tuple[AreaId, ...] = Field(
        max_length=64, description="Areas the household asks to move to; at least one."
    )
    bedrooms_needed: int | None = Field(
        None, ge=0, le=10, description="Bedrooms needed under the scheme's size standard."
    )
    adults: int | None = Field(
        None, ge=0, le=20, description=f"How many people aged {ADULT_AGE} or over would move."
    )
    children: int | None = Field(
        None, ge=0, le=20, description=f"How many people under {ADULT_AGE} would move."
    )
    tenancy_type: TenancyType | None = Field(
        None, description="The tenancy held now, which an offer must match."
    )
    round: int = Field(1, ge=1, le=999, description="1 for the first circulation, 2 and on for each recirculation.")
    notes: str | None = Field(
        None,
        min_length=1,
        max_length=NOTES_MAX_LENGTH,
        description="A short note for landlords; refused if it holds anything identifying.",
    )

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> PartnerRequest:
        errors: list[tuple[tuple[str | int, ...], str, str]] = []
        if self.respond_by < self.circulated_on:
            errors.append((("respond_by",), "date_order", "is before circulated_on"))
        # Checked here rather than with min_length, which pydantic also reports when an area
        # is merely invalid ("at least 1 item after validation").
        if not self.requested_areas:
            errors.append((("requested_areas",), "no_areas", "must name at least one area: the "
                           "request goes to partners with homes in the requested areas"))
        seen: set[str] = set()
        for index, area in enumerate(self.requested_areas):
            if area in seen:
                errors.append((("requested_areas", index), "duplicate_area", "lists the same area twice"))
            seen.add(area)
        if (self.adults is None) != (self.children is None):
            errors.append(
                (("children" if self.children is None else "adults",), "counts_incomplete",
                 "give both adults and children, or neither when the household is not known")
            )
        elif self.adults is not None and self.children is not None and self.adults + self.children < 1:
            errors.append((("adults",), "no_one_moves", "adults and children add up to nobody"))
        context = info.context if isinstance(info.context, dict) else {}
        known = context.get(KNOWN_CONTEXT_KEY, ())
        known = (known,) if isinstance(known, str) else tuple(known)
        # Ids are held to patterns, but a pattern admits "ab123456c" or "jane_doe": scan them.
        for loc, value in (
            (("scheme",), self.scheme),
            *((("requested_areas", i), area) for i, area in enumerate(self.requested_areas)),
        ):
            hits = find_identifiers(value, known=known)
            if hits:
                errors.append(
                    (loc, "identifying_id", f"looks like {hits[0].kind.description}, not an id")
                )
        if self.notes is not None:
            hits = find_identifiers(self.notes, known=known)
            if hits:
                found = "; ".join(str(hit) for hit in hits)
                errors.append(
                    (("notes",), "identifying_notes",
                     f"may identify the household ({found}); notes reach partner landlords, so "
                     "remove it or describe the need without it")
                )
        raise_field_errors("PartnerRequest", errors)
        return self

    @classmethod
    def for_referral(
        cls,
        referral: Referral,
        *,
        arc: str,
        circulated_on: date,
        respond_by: date,
        bedrooms_needed: int | None,
        round: int = 1,  # noqa: A002 - the field's name
        notes: str | None = None,
        known: Iterable[str] = (),
        scheme: str | None = None,
    ) -> PartnerRequest:
        """The request to circulate for ``referral``, holding only what a landlord must match.

        Copied: the requested areas (in the referral's order), how many adults and children
        would move (non-resident carers are not counted; the bedrooms needed, which the
        caller works out under the scheme's size standard, include any carer's room) and the
        current tenancy type. Never copied: the referral's id, the nominating partner, the
        current landlord, the current area, the unsafe areas, the risk assessment and any
        date about the household (see the module docstring for why).

        ``notes`` is refused (a pydantic ``ValidationError`` naming only the kind and the
        position) if it contains anything :func:`~reciprocity.privacy.find_identifiers`
        finds, counting as known both ``known`` and what the request withholds: the
        referral's id, the nominating partner's id, name and named lead, the current
        landlord, and the current, authority and unsafe areas that are not requested.

        ``scheme`` defaults to the referral's own; one of them must be given. Raises
        :class:`RequestError` when the referral names no requested area.
        """
        scheme_id = scheme if scheme is not None else referral.scheme
        if scheme_id is None:
            raise RequestError("the referral names no scheme; pass scheme=... to for_referral")
        if referral.scheme is not None and scheme_id != referral.scheme:
            raise RequestError("scheme differs from the referral's scheme; a request goes out under "
                               "the scheme the referral was made to")
        if not referral.requested_areas:
            raise RequestError(
                "the referral names no requested areas, and a request goes only to partners "
                "with homes in them (Kent process 002); ask the nominating officer for the areas"
            )
        adults = children = None
        if referral.household is not None:
            movers = [m for m in referral.household.members if m.relationship is not Relationship.CARER]
            adults = sum(m.age >= ADULT_AGE for m in movers)
            children = len(movers) - adults
        data = {
            "arc": arc,
            "scheme": scheme_id,
            "circulated_on": circulated_on,
            "respond_by": respond_by,
            "requested_areas": referral.requested_areas,
            "bedrooms_needed": bedrooms_needed,
            "adults": adults,
            "children": children,
            "tenancy_type": referral.tenancy.type if referral.tenancy is not None else None,
            "round": round,
            "notes": notes,
        }
        withheld = (*known, *_withheld(referral, arc))
        return cls.model_validate(data, context={KNOWN_CONTEXT_KEY: withheld})


def _withheld(referral: Referral, arc: str) -> tuple[str, ...]:
    """What the request leaves out and its notes must not bring back in."""
    partner = referral.nominating_partner
    requested = set(referral.requested_areas or ())
    areas = [referral.current_area, partner.authority_area, *(referral.unsafe_areas or ())]
    values = [
        None if referral.id is None or _same_arc(referral.id, arc) else referral.id,
        partner.id,
        partner.name,
        partner.named_lead,
        referral.tenancy.landlord if referral.tenancy is not None else None,
        *(area for area in areas if area not in requested),
    ]
    return tuple(v for v in values if v)


def _same_arc(case_id: str, arc: object) -> bool:
    """Whether the referral's id is this very ARC (the README suggests ids be ARCs)."""
    return isinstance(arc, str) and is_arc(case_id) and is_arc(arc) and parse_arc(case_id) == parse_arc(arc)
