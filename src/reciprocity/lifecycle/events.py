"""The events a case can record, and what each carries (validated at the boundary).

The vocabulary is the core's; each scheme's :class:`~reciprocity.lifecycle.process.Process`
says which of them it uses, in which states, by which roles. Payloads are stored as JSON in
the event store, so every value here is JSON-friendly; a case's state is the replay of its
events (:mod:`reciprocity.lifecycle.case`).
"""

from __future__ import annotations

from enum import StrEnum
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator

from reciprocity.model import Offer, Referral
from reciprocity.model.base import STORED, AreaId, BoundaryModel, PartnerId

__all__ = ["ACTOR_KEY", "COMMANDS", "DERIVED", "PAYLOADS", "Information", "split_actor", "validate_payload"]

#: The payload key under which every recorded event keeps its actor's id (a partner id from
#: the scheme's register, or ``coordinator``); the role is the event's own ``role``.
ACTOR_KEY = "actor"


class Information(StrEnum):
    """What a referring council sends before final acceptance (KRS point 11)."""

    DASH = "dash_risk_assessment"
    POLICE_REPORTS = "police_reports"
    RISK_MATRIX = "risk_assessment_matrix"
    AGENCY_REPORTS = "agency_reports"


class _Empty(BoundaryModel):
    pass


class Refer(BoundaryModel):
    scheme: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    referral: Referral


class EligibilityChecked(BoundaryModel):
    outcome: Literal["eligible", "ineligible", "needs_information"]
    failed: tuple[str, ...] = ()
    open: tuple[str, ...] = ()


class Accept(BoundaryModel):
    arc: str = Field(description="The case's Application Reference Code, e.g. ARC-7KQ2-M9XD.")

    @field_validator("arc")
    @classmethod
    def _valid_arc(cls, value: str) -> str:
        from reciprocity.privacy.arc import InvalidArcError, parse_arc  # noqa: PLC0415

        try:
            return str(parse_arc(value))
        except InvalidArcError as error:
            raise ValueError(str(error)) from None




class RecordUnsafe(BoundaryModel):
    unsafe_areas: tuple[AreaId, ...]


class Circulate(BoundaryModel):
    round: int = Field(ge=1)
    recipients: tuple[PartnerId, ...]
    excluded: tuple[tuple[PartnerId, str], ...] = ()
    #: Where each recipient holds homes (its council area and stock areas), so the guard can
    #: check, from the record itself, that no recipient is in an unsafe area.
    recipient_areas: dict[PartnerId, tuple[AreaId, ...]]
    respond_by: str
    request: dict[str, Any]


class Respond(BoundaryModel):
    """A partner's answer (the partner is the actor: a partner answers only for itself)."""

    can_help: bool


class SendInformation(BoundaryModel):
    kinds: tuple[Information, ...] = Field(min_length=1)


class MakeOffer(BoundaryModel):
    offer: Offer
    assessment: Literal["eligible", "ineligible", "needs_information", "needs_review"]
    failed: tuple[str, ...] = ()


class ReviewOffer(BoundaryModel):
    """The nominating partner's named lead's review of an offer flagged for it (Kent RP MoU §4.5)."""

    consent: bool = Field(description="Whether the household consents to the offered tenancy.")


class ExtendAreas(BoundaryModel):
    requested_areas: tuple[AreaId, ...] = Field(min_length=1)


class Close(BoundaryModel):
    reason: Literal["no_property_identified", "withdrawn", "ineligible", "other"]


class ReceiveFeedback(BoundaryModel):
    source: Literal["nominating_officer", "survivor", "partner"] = Field(
        description="Who gave the feedback (never their name).")
    positive: bool | None = Field(None, description="Whether the feedback was positive, if it says.")


class EndDuty(BoundaryModel):
    hclic_recorded: bool


#: Each event's payload model.
PAYLOADS: dict[str, type[BoundaryModel]] = {
    "refer": Refer,
    "check_eligibility": EligibilityChecked,
    "accept": Accept,
    "decline": _Empty,
    "approve": _Empty,
    "sign_off": _Empty,
    "notify_outcome": _Empty,
    "offer_specialist_support": _Empty,
    "record_unsafe_areas": RecordUnsafe,
    "circulate": Circulate,
    "respond": Respond,
    "send_information": SendInformation,
    "final_acceptance": _Empty,
    "place_in_band": _Empty,
    "review_band": _Empty,
    "take_over_duty": _Empty,
    "make_offer": MakeOffer,
    "propose_offer": MakeOffer,
    "approve_offer": ReviewOffer,
    "reject_offer": ReviewOffer,
    "accept_offer": _Empty,
    "refuse_offer": _Empty,
    "move": _Empty,
    "request_feedback": _Empty,
    "receive_feedback": ReceiveFeedback,
    "extend_areas": ExtendAreas,
    "close": Close,
    "end_duty": EndDuty,
    "end_previous_tenancy": _Empty,
}


#: Events whose content the library derives (from the store, the scheme and the date): they
#: are written only by the command named here, never from a caller's payload.
DERIVED: dict[str, str] = {
    "refer": "Cases.new (CLI: case new)",
    "check_eligibility": "Cases.check (CLI: case check)",
    "accept": "Cases.accept (CLI: case accept)",
    "circulate": "Cases.circulate (CLI: case circulate)",
    "make_offer": "Cases.make_offer (CLI: case offer)",
    "propose_offer": "Cases.make_offer (CLI: case offer)",
    "approve_offer": "Cases.review_offer (CLI: case review-offer)",
    "reject_offer": "Cases.review_offer (CLI: case review-offer)",
}

#: The CLI command that records each event (``reciprocity case <command>``).
COMMANDS: dict[str, str] = {
    **{event: event.replace("_", "-") for event in PAYLOADS},
    "refer": "new",
    "check_eligibility": "check",
    "make_offer": "offer",
    "propose_offer": "offer",
    "approve_offer": "review-offer",
    "reject_offer": "review-offer",
}


def split_actor(payload: Mapping[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """The actor recorded on an event's payload (None for an event recorded without one), and
    the payload without it."""
    body = dict(payload)
    actor = body.pop(ACTOR_KEY, None)
    return (actor if isinstance(actor, str) else None), body


def validate_payload(event: str, payload: Mapping[str, Any]) -> BoundaryModel:
    """The payload of ``event`` as its model (the actor key aside); raises pydantic's
    ValidationError if invalid."""
    model = PAYLOADS.get(event)
    if model is None:
        from reciprocity.store.errors import DamagedStoreError  # noqa: PLC0415

        raise DamagedStoreError("a stored case event of a kind this library does not know")
    return model.model_validate(split_actor(payload)[1], context=STORED)
