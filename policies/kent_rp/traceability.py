"""Every clause of the Kent RP texts (docs 000, 002, 004), and why some are not encoded.

The inventories list each source's clauses in order, in a few words of our own; a part
found by its heading rather than a number carries the heading. ``not_encoded`` gives, for
each clause that no rule, parameter, interpretation, process step or partnership field
cites, the reason. ``tests/test_traceability.py`` checks both against the texts and the
scheme; the traceability table of ``docs/schemes/kent_rp.md`` is generated from them.
"""

from __future__ import annotations

from reciprocity.rules import Clause, Source

__all__ = ["MOU_CLAUSES", "PRESENTATION_CLAUSES", "PROCESS_CLAUSES", "not_encoded"]

#: Doc 000, clauses 1.1-7.1 (the x.0 lines are section headings); 2.2 and 2.4 occur twice.
MOU_CLAUSES = (
    ("1.1", "a voluntary collaboration in Kent and Medway"),
    ("1.2", "who is moved: social tenants at risk of VAWG, to a safe area"),
    ("1.3", "what the moves aim to achieve"),
    ("1.4", "what the MoU sets out"),
    ("2.1", "open to social landlords with stock in Kent and Medway"),
    ("2.2 (first)", "partners sign the data sharing protocol"),
    ("2.2 (second)", "the partner list (Appendix one)"),
    ("2.3", "the coordinator manages joining and notices"),
    ("2.4 (first)", "the partner and stock list is kept up to date"),
    ("2.4 (second)", "withdrawal on a month's notice; debts remain owed"),
    ("3.1", "moves out of area with another provider"),
    ("3.2", "eligibility: assessed at risk, risk too great, own efforts exhausted"),
    ("3.3", "urgent moves need a homelessness application"),
    ("4.1", "the nominating landlord's application form"),
    ("4.2", "the coordinator checks, pseudonymises and circulates"),
    ("4.3", "transfer lists; review after three months"),
    ("4.4", "the accepting landlord's due diligence and offer"),
    ("4.5", "uphold the tenancy terms; no downgrade"),
    ("4.6", "after the move the nominating landlord owes a home"),
    ("4.7", "arbitration when a landlord that owes declines"),
    ("5.1", "expedite moves; consider other options meanwhile"),
    ("5.2", "no tenancy downgrade"),
    ("5.3", "data protection; data sharing protocol"),
    ("5.4", "make good on owed homes"),
    ("5.5", "withdrawal: notice, no new nominations, debts remain"),
    ("6.1", "a named lead per partner; changes notified in seven days"),
    ("6.2", "conflicts resolved by the leads, then escalated"),
    ("7.1", "authorisation: not a formal undertaking"),
)

# Parts the process document (002) and the presentation (004) share, word for word.
_DESCRIPTION = ("scheme description", "what a managed reciprocal is", "What is a domestic abuse reciprocal scheme?")
_NEED = ("need for the scheme", "why survivors lose their tenancies", "Why do we need a reciprocal scheme?")
_STAGES = tuple(
    (f"{stage} stage", title, stage)
    for stage, title in (
        ("Referral", "referral form, approval, specialist support"),
        ("Request", "circulation, responses, recirculation"),
        ("Offer", "viewing and its outcome"),
        ("Move", "the move, its record, feedback"),
    )
)
_PERFORMANCE = ("performance measures", "monitoring data and quarterly reviews", "How will we measure performance?")

#: Doc 002, the operating process, by its headings (the four stages head one slide).
PROCESS_CLAUSES = (
    _DESCRIPTION,
    _NEED,
    *_STAGES,
    _PERFORMANCE,
    ("success measures", "what success looks like", "What does success look like?"),
    ("barriers", "getting partners to join", "What are the barriers?"),
)

#: Doc 004, the presentation, by its headings.
PRESENTATION_CLAUSES = (
    ("consumer standards", "the regulator's standards on domestic abuse",
     "What do the new consumer standards say about domestic abuse?"),
    _DESCRIPTION,
    _NEED,
    ("benefits", "what the scheme will bring", "How will this benefit?"),
    ("principles", "safety, mutual benefit, fairness and the rest", "The Principles"),
    *_STAGES,
    ("Specific housing considerations", "open questions: criteria, arrears, overcrowding, tenancy types, "
     "waiting time, joint tenancies", "Specific housing considerations"),
    _PERFORMANCE,
    ("case studies", "two moves from temporary accommodation", "Case study 1"),
)

_AIMS = "aims and background: they explain the scheme and set no requirement a case or partner can meet"
_MEASURES = ("what is measured: no rule; the scheme report (`reciprocity report`) counts referrals, "
             "circulations, offers and moves, and review meetings happen outside the library")
_SAME_STAGE = "the same stage as in the process document (002), which is cited instead"

_MOU_NOT_ENCODED = (
    ("1.3", _AIMS),
    ("1.4", "describes the MoU itself: no rule"),
    ("2.3", "the coordinator's administration of joining and notices: no rule of its own; joining, "
     "notice and withdrawal follow §2.2 (first), §2.4 (second) and §5.5"),
    ("5.1", "an aim without a test ('in good time' is not defined); the one concrete alternative, a "
     "homelessness application for an urgent move, is §3.3"),
    ("6.2", "informal conflict resolution and escalation to senior managers: outside the case process; "
     "arbitration (§4.7) is encoded"),
)
_PROCESS_NOT_ENCODED = (
    ("scheme description", _AIMS),
    ("need for the scheme", _AIMS),
    ("performance measures", _MEASURES),
    ("success measures", _MEASURES),
    ("barriers", "recruiting partners: no rule"),
)
_PRESENTATION_NOT_ENCODED = (
    ("consumer standards", "the regulator's standards bind each registered provider, not the scheme: no rule"),
    *((ref, _AIMS) for ref in ("scheme description", "need for the scheme", "benefits", "principles")),
    *((ref, _SAME_STAGE) for ref, _, _ in _STAGES),
    ("performance measures", _MEASURES),
)


def not_encoded(mou: Source, process_doc: Source, presentation: Source) -> tuple[tuple[Clause, str], ...]:
    """The clauses nothing encodes, each with the reason."""
    return tuple(
        (Clause(source, ref), why)
        for source, declared in ((mou, _MOU_NOT_ENCODED), (process_doc, _PROCESS_NOT_ENCODED),
                                 (presentation, _PRESENTATION_NOT_ENCODED))
        for ref, why in declared
    )
