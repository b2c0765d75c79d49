"""The service's request bodies and responses that are not the library's own input models.

Request bodies reuse the library's models (``Referral``, ``Offer``, the events' payloads), so
the OpenAPI document and the command line validate the same way; the models here describe what
the service returns (the library's JSON-ready views) and the envelopes around the inputs.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reciprocity.model import Offer, Referral
from reciprocity.model.base import BoundaryModel

__all__ = [
    "BatchBody", "BatchDecisions", "CaseSummary", "CaseView", "DecisionView", "FindingView", "NewCaseBody",
    "OfferBody", "SchemeDocument", "SchemeSummary", "Who",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- decisions --------------------------------------------------------------------------------

class FindingView(_Out):
    rule: str = Field(description="The rule's stable id.")
    clause: str = Field(description="The clause of the scheme's document the rule encodes.")
    status: Literal["met", "not_met", "needs_information", "not_applicable"]
    sentence: str = Field(description="What was found, in a sentence a caseworker understands.")
    statement: str = Field(description="What the rule says, in one sentence.")
    facts: dict[str, Any] = Field(description="The facts the rule read, with their values.")
    missing: list[str] = Field(description="The facts it needed and did not have.")
    effective_from: date | None


class DecisionView(_Out):
    scheme: str
    assessment: Literal["eligibility", "offer"]
    referral_id: str | None
    outcome: Literal["eligible", "ineligible", "needs_information"]
    on: date = Field(description="The date whose rules were applied.")
    ruleset_version: str
    engine: str
    summary: str
    missing_facts: list[str]
    questions: list[str] = Field(description="The missing facts as questions for the nominating officer.")
    findings: list[FindingView]


class BatchBody(BoundaryModel):
    referrals: list[Referral] = Field(min_length=1, max_length=1000, description="Up to 1,000 referrals.")


class BatchDecisions(_Out):
    decisions: list[DecisionView]


class OfferBody(BoundaryModel):
    referral: Referral
    offer: Offer


# --- schemes ----------------------------------------------------------------------------------

class SchemeSummary(_Out):
    id: str
    title: str
    version: str
    rules: int
    areas: list[str]


class SchemeDocument(BaseModel):
    """A scheme as data (:func:`reciprocity.rules.export.scheme_document`)."""

    id: str
    title: str
    summary: str
    version: str
    sources: list[dict[str, Any]]
    areas: list[dict[str, Any]]
    rules: list[dict[str, Any]]
    offer_rules: list[dict[str, Any]]
    parameters: list[dict[str, Any]]
    interpretations: list[dict[str, Any]]


# --- case work --------------------------------------------------------------------------------

class Who(_Out):
    """The actor a token stands for."""

    token: str = Field(description="The token's public id.")
    scheme: str
    partner: str
    role: str


class NewCaseBody(BoundaryModel):
    referral: Referral
    on: date | None = Field(None, description="The date of the referral (default: its referred_on).")
    case_id: str | None = Field(None, max_length=64, description="The case id (default: a random one).")


class HistoryView(_Out):
    seq: int
    event: str
    on: date
    actor: str | None
    role: str
    state: str


class ObligationView(_Out):
    kind: str
    holder: str | None
    since: date
    ended_on: date | None
    clause: str


class CaseView(_Out):
    """A case as the coordinator and its nominating partner read it (never the referral)."""

    case: str
    scheme: str
    state: str
    arc: str | None
    referred_on: date | None
    eligibility: str | None
    allowed_commands: dict[str, list[str]]
    history: list[HistoryView]
    obligations: list[ObligationView]


class CaseSummary(_Out):
    case: str
    scheme: str
    state: str
    arc: str | None
    last_event: date | None


class RecipientView(_Out):
    """What a partner the request went to learns of an event it recorded: the case's ARC and state."""

    arc: str
    state: str
    event: str
