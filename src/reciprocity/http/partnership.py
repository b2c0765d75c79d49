"""The partnership over HTTP: the partner register, the ledger, arbitrations and reports, as
the token's actor.

The scheme is always the token's. Each write is the library command the command line runs
(``reciprocity partner``, ``ledger``, ``arbitration``), with the token's actor, and the library
decides who may: the coordinator keeps the register and the ledger and runs arbitrations; a
partner records its own notice, withdrawal and change of named lead. What each route returns is
what the command's ``--json`` prints.

Who reads what:

- the register (every partner's standing and ledger balance) and the ledger (balances and
  entries, by ARC, never by case id; a correction's note is never shown): any member of the
  scheme, since they hold no personal data;
- an arbitration: the coordinator, and the partners that are its declining or nominating
  partner or sit on its panel (another partner is refused, whether the arbitration exists or not);
- a report: the coordinator.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import Field

from reciprocity.casework.arbitration import Arbitration, ArbitrationRefused, Arbitrations
from reciprocity.casework.cases import Cases
from reciprocity.casework.views import arbitration_view, partner_view, partner_view_on, standing
from reciprocity.errors import InputProblem, InvalidInputError
from reciprocity.http.auth import Caller, CurrentCaller, store_of
from reciprocity.http.body import SafeJSONRoute
from reciprocity.http.outputs import (
    ArbitrationView,
    CorrectionView,
    EntryOut,
    LedgerBalancesView,
    PartnerOut,
    ReferralCountsView,
    ReportView,
)
from reciprocity.http.params import DayQuery, on_field, problem_response
from reciprocity.http.problems import AUTH_RESPONSES, PROBLEM_RESPONSES, ProblemError
from reciprocity.ledger.entries import CorrectionCode
from reciprocity.ledger.service import Ledger
from reciprocity.ledger.views import entry_view
from reciprocity.lifecycle.actors import ActorRefused
from reciprocity.model import Partner
from reciprocity.model.base import (
    MAX_AREAS,
    AreaId,
    BoundaryModel,
    InputDate,
    PartnerId,
)
from reciprocity.partnership.policy import partnership_of
from reciprocity.partnership.service import Partners

__all__ = ["router"]



_PARTNER_404 = problem_response(404, "No partner of the scheme has this id.")
_REFUSED_409 = problem_response(409, "The scheme's partnership rules refuse it (the message names the clause).")
_PARTNER_RESPONSES = {**_PARTNER_404, **_REFUSED_409}
_ARBITRATION_RESPONSES = {**problem_response(404, "No arbitration (or case) with this id."),
                          **problem_response(409, "The arbitration cannot be requested or decided (the message says why).")}

router = APIRouter(route_class=SafeJSONRoute, responses={**PROBLEM_RESPONSES, **AUTH_RESPONSES})

PartnerPath = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                                  description="The partner's id in the scheme's register.")]
ArbitrationPath = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$",
                                      description="The arbitration's id (ARB-...), as GET /arbitrations lists it.")]


# --- request bodies -------------------------------------------------------------------------------


class MembershipBody(BoundaryModel):
    on: date = on_field()


class JoinBody(BoundaryModel):
    partner: Partner = Field(description="The partner, as `reciprocity partner join FILE` reads it "
                                         "(no membership dates: the join's date is the joining date).")
    on: date = on_field("The day the partner joins (YYYY-MM-DD).")


class RemoveBody(BoundaryModel):
    on: date = on_field("The day the partner is removed (YYYY-MM-DD).")
    reason: Literal["breach", "other"] = Field("breach", description="Why the partner is removed.")
    arbitration: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$",
                                    description="The arbitration that found the partner in breach "
                                                "(reason must then be breach).")


class LeadBody(BoundaryModel):
    on: date = on_field("The day the change is notified (YYYY-MM-DD).")
    changed_on: date = Field(description="The day the change happened (Kent RP MoU §6.1: notify within seven days).")
    name: str | None = Field(None, min_length=1, max_length=120,
                             description="The new named lead (a role or staff reference, not a person's name).")
    vacant: bool = Field(False, description="The post is vacant (no named lead yet).")


class StockBody(BoundaryModel):
    on: date = on_field()
    stock_areas: list[AreaId] = Field(min_length=1, max_length=MAX_AREAS,
                                      description="The areas where the partner now holds homes (replacing the list).")


class CorrectionBody(BoundaryModel):
    on: date = on_field("The date of the correction (YYYY-MM-DD).")
    entry: str = Field(max_length=255, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$",
                       description="The id of the ledger entry to reverse (GET /ledger/history).")
    code: CorrectionCode = Field(description="Why the entry is wrong, from a closed list (what partners read).")
    note: str | None = Field(None, min_length=3, max_length=200,
                             description="The coordinator's own note (no personal data; never shown to partners).")


class ArbitrationBody(BoundaryModel):
    case_id: str = Field(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
                         description="The case whose applicant was declined.")
    declining: PartnerId = Field(description="The partner that declined the case's applicant.")
    on: date = on_field("The date of the request (YYYY-MM-DD).")


class DecisionBody(BoundaryModel):
    on: date = on_field("The date of the panel's finding (YYYY-MM-DD).")
    justified: bool = Field(description="The panel's finding: the refusal was justified, or not (a breach).")


def _registered(request: Request, caller: Caller, partner_id: str) -> Partners:
    """The register, once it holds the partner (404 otherwise: the library's membership events
    refuse an unknown partner as not having joined, which is a 409)."""
    partners = Partners(store_of(request))
    partners.get(caller.scheme_id, partner_id)
    return partners


def _invalid(path: str, message: str, hint: str) -> InvalidInputError:
    return InvalidInputError("request", [InputProblem(path, message, hint)])


# --- the partner register -------------------------------------------------------------------------

@router.get("/partners", response_model=list[PartnerOut], response_model_exclude_unset=True, tags=["partners"],
            summary="Every partner's standing on a date, with its ledger balance (any member reads the register)")
def list_partners(request: Request, on: DayQuery, caller: CurrentCaller) -> list[dict[str, Any]]:
    store = store_of(request)
    of = standing(store, caller.scheme_id, on)
    return [partner_view(r, on, of(r.id)) for r in Partners(store).all(caller.scheme_id)]


@router.get("/partners/{partner_id}", response_model=PartnerOut, response_model_exclude_unset=True,
            tags=["partners"], responses=_PARTNER_404, summary="One partner's standing on a date")
def get_partner(request: Request, partner_id: PartnerPath, on: DayQuery, caller: CurrentCaller) -> dict[str, Any]:
    return partner_view_on(store_of(request), caller.scheme_id, partner_id, on)


@router.post("/partners", response_model=PartnerOut, response_model_exclude_unset=True, status_code=201,
             tags=["partners"], responses=_REFUSED_409,
             summary="Record that a partner joins the scheme (the coordinator; Kent RP MoU §2.2: a signatory)")
def join_partner(request: Request, body: JoinBody, caller: CurrentCaller) -> dict[str, Any]:
    partners = Partners(store_of(request))
    record = partners.join(caller.scheme_id, body.partner, on=body.on, actor=caller.actor)
    return partner_view_on(partners.store, caller.scheme_id, record.id, body.on)


@router.post("/partners/{partner_id}/notice", response_model=PartnerOut, response_model_exclude_unset=True,
             tags=["partners"], responses=_PARTNER_RESPONSES,
             summary="Record the partner's notice to withdraw (the partner itself or the coordinator)")
def give_notice(request: Request, partner_id: PartnerPath, body: MembershipBody,
                caller: CurrentCaller) -> dict[str, Any]:
    partners = _registered(request, caller, partner_id)
    partners.give_notice(caller.scheme_id, partner_id, on=body.on, actor=caller.actor)
    return partner_view_on(partners.store, caller.scheme_id, partner_id, body.on)


@router.post("/partners/{partner_id}/withdraw", response_model=PartnerOut, response_model_exclude_unset=True,
             tags=["partners"], responses=_PARTNER_RESPONSES,
             summary="Record the partner's withdrawal taking effect (its debts remain owed)")
def withdraw(request: Request, partner_id: PartnerPath, body: MembershipBody, caller: CurrentCaller) -> dict[str, Any]:
    partners = _registered(request, caller, partner_id)
    partners.withdraw(caller.scheme_id, partner_id, on=body.on, actor=caller.actor)
    return partner_view_on(partners.store, caller.scheme_id, partner_id, body.on)


@router.post("/partners/{partner_id}/remove", response_model=PartnerOut, response_model_exclude_unset=True,
             tags=["partners"],
             responses={**problem_response(404, "No partner (or arbitration) of the scheme has this id."),
                        **problem_response(409, "The partnership rules refuse it, or the arbitration found no breach by "
                                        "this partner.")},
             summary="Remove the partner (the coordinator; after a breach, e.g. an arbitration's finding)")
def remove(request: Request, partner_id: PartnerPath, body: RemoveBody, caller: CurrentCaller) -> dict[str, Any]:
    partners = _registered(request, caller, partner_id)
    if body.arbitration is None:
        partners.remove(caller.scheme_id, partner_id, on=body.on, actor=caller.actor, reason=body.reason)
    else:
        # A removal citing an arbitration goes through the arbitration, which checks its finding
        # of breach against this partner (Kent RP MoU §4.7); the library says who may remove.
        if body.reason != "breach":
            raise _invalid("reason", "must be breach for a removal after an arbitration",
                           "leave out reason, or give no arbitration")
        arbitrations = Arbitrations(partners.store)
        _readable(arbitrations, caller, body.arbitration)
        arbitrations.check_breach(caller.scheme_id, body.arbitration, partner_id)
        arbitrations.remove_in_breach(caller.scheme_id, body.arbitration, on=body.on, actor=caller.actor)
    return partner_view_on(partners.store, caller.scheme_id, partner_id, body.on)


@router.post("/partners/{partner_id}/lead", response_model=PartnerOut, response_model_exclude_unset=True,
             tags=["partners"], responses=_PARTNER_RESPONSES,
             summary="Record a change of the partner's named lead (Kent RP MoU §6.1: within seven days)")
def change_lead(request: Request, partner_id: PartnerPath, body: LeadBody, caller: CurrentCaller) -> dict[str, Any]:
    if (body.name is None) == (not body.vacant):
        raise _invalid("name", "give either name (the new named lead) or vacant: true (the post is empty)",
                       "send one of the two")
    partners = _registered(request, caller, partner_id)
    partners.change_named_lead(caller.scheme_id, partner_id, on=body.on, changed_on=body.changed_on,
                               named_lead=body.name, actor=caller.actor)
    return partner_view_on(partners.store, caller.scheme_id, partner_id, body.on)


@router.post("/partners/{partner_id}/stock", response_model=PartnerOut, response_model_exclude_unset=True,
             tags=["partners"], responses=_PARTNER_RESPONSES,
             summary="Record the areas where the partner now holds homes (the coordinator keeps the list)")
def update_stock(request: Request, partner_id: PartnerPath, body: StockBody, caller: CurrentCaller) -> dict[str, Any]:
    partners = Partners(store_of(request))
    partners.update_stock(caller.scheme_id, partner_id, on=body.on, stock_areas=body.stock_areas,
                          actor=caller.actor)
    return partner_view_on(partners.store, caller.scheme_id, partner_id, body.on)


# --- the ledger -----------------------------------------------------------------------------------

@router.get("/ledger/balances", response_model=LedgerBalancesView | ReferralCountsView, tags=["ledger"],
            summary="Every partner's balance on a date (negative: owes the pool) and the pool's totals (zero); "
                    "for a scheme that keeps no debt, the referrals made and received")
def balances(request: Request, on: DayQuery, caller: CurrentCaller) -> dict[str, Any]:
    scheme_id = caller.scheme_id
    policy = partnership_of(scheme_id)
    ledger = Ledger(store_of(request))
    clause = policy.cite("ledger")
    if not policy.keeps_debts:
        counts = ledger.counts(scheme_id, end=on)
        why = (f"{scheme_id} keeps no debt between partners: its text counts referrals made and received "
               f"({clause})")
        councils = sorted(set(counts.made) | set(counts.received))
        return {"scheme": scheme_id, "on": on.isoformat(), "ledger": policy.ledger.value, "clause": clause,
                "why": why, "counts": [{"partner": c, "made": counts.made[c], "received": counts.received[c]}
                                       for c in councils]}
    book = ledger.balances(scheme_id, on=on)
    sizes = book.sizes if policy.sized else (None,)
    return {"scheme": scheme_id, "on": on.isoformat(), "ledger": policy.ledger.value, "clause": clause,
            "balances": [{"partner": b.partner, "size": b.size, "owes": b.owes, "owed": b.owed, "balance": b.net}
                         for b in book.rows],
            "totals": {("all" if s is None else str(s)): book.total(s) for s in sizes}}


@router.get("/ledger/history", response_model=list[EntryOut], response_model_exclude_unset=True, tags=["ledger"],
            summary="The ledger's entries in the order they were recorded (by ARC, never the case id)")
def history(request: Request, caller: CurrentCaller,
            partner: Annotated[str | None, Query(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
                                                 description="Only entries that change this partner's "
                                                             "balance.")] = None,
            start: Annotated[InputDate | None, Query(description="Only entries dated on or after "
                                                                 "(YYYY-MM-DD).")] = None,
            end: Annotated[InputDate | None, Query(description="Only entries dated on or before "
                                                               "(YYYY-MM-DD).")] = None,
            ) -> list[dict[str, Any]]:
    ledger = Ledger(store_of(request))
    book = ledger.book(caller.scheme_id)
    return [entry_view(e, book) for e in ledger.history(caller.scheme_id, partner=partner, start=start, end=end)]


@router.post("/ledger/corrections", response_model=CorrectionView, response_model_exclude_unset=True,
             status_code=201, tags=["ledger"],
             responses=problem_response(409, "The entry cannot be reversed (unknown, already reversed, or dated after)."),
             summary="Reverse a ledger entry, for a reason from a closed list (the coordinator)")
def correct(request: Request, body: CorrectionBody, caller: CurrentCaller) -> dict[str, Any]:
    ledger = Ledger(store_of(request))
    entry = ledger.correct(caller.scheme_id, body.entry, on=body.on, code=body.code, note=body.note,
                           actor=caller.actor)
    book = ledger.book(caller.scheme_id)
    after = ledger.balances(caller.scheme_id, on=body.on)
    data = entry_view(entry, book)
    data["balances_after"] = {e["partner"]: after.of(e["partner"]) for e in data["effects"]}
    return data


# --- arbitrations ---------------------------------------------------------------------------------

def _party(caller: Caller, a: Arbitration) -> bool:
    """Whether the caller reads the arbitration: the coordinator, or a partner that is a party
    to it (declining or nominating) or sits on its panel."""
    partner = caller.actor.partner
    return caller.actor.is_coordinator or partner in (a.declining, a.nominating) or partner in a.panel


def _readable(arbitrations: Arbitrations, caller: Caller, arbitration_id: str) -> Arbitration:
    """The arbitration, if the caller reads it: 404 for the coordinator when there is none; 403
    for another partner whether it exists or not."""
    try:
        found: Arbitration | None = arbitrations.get(caller.scheme_id, arbitration_id)
    except ArbitrationRefused:
        found = None
    if found is not None and _party(caller, found):
        return found
    if not caller.actor.is_coordinator:
        raise ActorRefused("only the coordinator, the declining and the nominating partner and the panel read an "
                           "arbitration; GET /arbitrations lists those the caller reads")
    raise ProblemError(404, "not-found", "not found",
                       "no arbitration with this id in this scheme; GET /arbitrations lists them")


@router.get("/arbitrations", response_model=list[ArbitrationView], tags=["arbitrations"],
            summary="The scheme's arbitrations the caller reads (coordinator: all; a partner: those it is party "
                    "to or sits on the panel of)")
def list_arbitrations(request: Request, caller: CurrentCaller) -> list[dict[str, Any]]:
    return [arbitration_view(a) for a in Arbitrations(store_of(request)).all(caller.scheme_id) if _party(caller, a)]


@router.get("/arbitrations/{arbitration_id}", response_model=ArbitrationView, tags=["arbitrations"],
            responses=problem_response(404, "No arbitration with this id."),
            summary="One arbitration: panel, candidates, seed, finding")
def get_arbitration(request: Request, arbitration_id: ArbitrationPath, caller: CurrentCaller) -> dict[str, Any]:
    return arbitration_view(_readable(Arbitrations(store_of(request)), caller, arbitration_id))


@router.post("/arbitrations", response_model=ArbitrationView, status_code=201, tags=["arbitrations"],
             responses=_ARBITRATION_RESPONSES,
             summary="Ask for arbitration of a partner's refusal of a case's applicant; draws the panel of three "
                     "(the coordinator; Kent RP MoU §4.7)")
def request_arbitration(request: Request, body: ArbitrationBody, caller: CurrentCaller) -> dict[str, Any]:
    store = store_of(request)
    caller.check_scheme(Cases(store).get(body.case_id).scheme_id)
    return arbitration_view(Arbitrations(store).request(body.case_id, body.declining, on=body.on,
                                                         actor=caller.actor))


@router.post("/arbitrations/{arbitration_id}/decide", response_model=ArbitrationView, tags=["arbitrations"],
             responses=_ARBITRATION_RESPONSES, summary="Record the panel's finding (the coordinator)")
def decide_arbitration(request: Request, arbitration_id: ArbitrationPath, body: DecisionBody,
                       caller: CurrentCaller) -> dict[str, Any]:
    arbitrations = Arbitrations(store_of(request))
    _readable(arbitrations, caller, arbitration_id)
    return arbitration_view(arbitrations.decide(caller.scheme_id, arbitration_id, on=body.on,
                                                 justified=body.justified, actor=caller.actor))


# --- reports --------------------------------------------------------------------------------------

@router.get("/reports", response_model=ReportView, tags=["reports"],
            summary="The scheme's performance over a period (the coordinator), as `reciprocity report "
                    "--format json`")
def report(request: Request, caller: CurrentCaller,
           period: Annotated[str, Query(min_length=4, max_length=32,
                                        description="2026Q3 (quarter), 2026 (year), 2026-07 (month) or "
                                                    "2026-07-01..2026-09-30 (dates, inclusive).")]) -> dict[str, Any]:
    from reciprocity.reports import build_report, parse_period, report_dict

    caller.coordinator("reads the scheme's reports")
    try:
        chosen = parse_period(period)
    except InvalidInputError as error:
        raise InvalidInputError("request", [InputProblem("period (query)", p.message, p.hint)
                                            for p in error.problems]) from None
    return report_dict(build_report(store_of(request), caller.scheme_id, chosen))
