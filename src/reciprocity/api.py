"""The functions most users need: evaluate referrals, list schemes, export the schema."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date, datetime
from typing import Any

from reciprocity.batching import collector_paused
from reciprocity.decision import Decision, build_decision
from reciprocity.engines import COLUMNAR_AVAILABLE, Engine, get_engine
from reciprocity.errors import InputProblem, InvalidInputError
from reciprocity.inputs import coerce_offer, coerce_referral
from reciprocity.model.offer import Offer
from reciprocity.model.referral import Referral
from reciprocity.plugins import get_scheme
from reciprocity.rules.scheme import RuleSet, Scheme

__all__ = ["assess_offer", "check_scheme", "decide_many_with", "decide_with", "evaluate", "evaluate_many",
           "referral_json_schema"]


def evaluate(
    scheme_id: str,
    referral: Referral | Mapping[str, Any],
    *,
    on: date | None = None,
    engine: str = "native",
) -> Decision:
    """Decide whether ``referral`` is eligible under scheme ``scheme_id``.

    ``on`` chooses which rules apply (those in force that day); it defaults to the
    referral's ``referred_on`` date, never to today's date. A dict is validated first and
    bad input raises :class:`~reciprocity.errors.InvalidInputError` naming each field.
    """
    return _decide(get_scheme(scheme_id), get_engine(engine), referral, on)


def evaluate_many(
    scheme_id: str,
    referrals: Iterable[Referral | Mapping[str, Any]],
    *,
    on: date | None = None,
    engine: str | None = None,
) -> list[Decision]:
    """Decide a batch of referrals under one scheme, in order.

    Rule sets are built once per date and reused, and the cyclic garbage collector is paused
    for the batch (see :func:`_collector_paused`). A bad referral raises
    :class:`~reciprocity.errors.InvalidInputError` whose paths start with its index.

    ``engine`` left out decides with the columnar engine each group of at least
    :data:`COLUMNAR_FROM` referrals under one rule set (where numpy is installed: the
    ``simulation`` extra), and the rest with the native engine: the same decisions either
    way (``Decision.engine`` says which made each). With the columnar engine, the facts of
    every referral are computed first, each group under one rule set (referrals of different
    dates may fall under different ones) is evaluated in one pass over columns, and the
    decisions are built from it.
    """
    return decide_many_with(get_scheme(scheme_id), referrals, on=on, engine=engine)


def decide_many_with(
    scheme: Scheme, referrals: Iterable[Referral | Mapping[str, Any]], *, on: date | None = None,
    engine: str | None = None,
) -> list[Decision]:
    """:func:`evaluate_many` under the ``scheme`` object itself (installed or not: a scheme with a
    reform applied, say), with the same choice of engine."""
    runner = None if engine is None else get_engine(engine)
    with _collector_paused() if runner is None or runner.name != "durable" else nullcontext():
        if runner is None or runner.name == "columnar":
            return _decide_grouped(scheme, runner, referrals, on)
        decisions = []
        for index, referral in enumerate(referrals):
            with _at_index(index):
                decisions.append(_decide(scheme, runner, referral, on))
        return decisions


#: The smallest group of referrals under one rule set that ``evaluate_many`` gives the
#: columnar engine when no engine is named. Measured (docs/performance.md): at about 64 rows a
#: pass over columns (about 1.5 ms, numpy's fixed cost per operation) costs what it saves; at
#: 128 it is about 1.1 times as fast as the native engine, at 1,000 about 1.5 times.
COLUMNAR_FROM = 128


@contextmanager
def _at_index(index: int) -> Iterator[None]:
    """Re-raise a bad referral's InvalidInputError with its index in front of each path."""
    try:
        yield
    except InvalidInputError as error:
        problems = [
            InputProblem(f"[{index}].{p.path}" if p.path else f"[{index}]", p.message, p.hint)
            for p in error.problems
        ]
        raise InvalidInputError(error.what, problems) from None


def _decide_grouped(
    scheme: Scheme, runner: Engine | None, referrals: Iterable[Referral | Mapping[str, Any]], on: date | None
) -> list[Decision]:
    """Facts per referral, then each rule set's group decided at once: by ``runner`` (the
    columnar engine), or when it is None by the columnar engine if the group is large enough
    and numpy is installed, else natively. Decisions come back in the batch's order."""
    groups: dict[int, tuple[RuleSet, list[int], list[dict[str, Any]], list[date], list[str | None]]] = {}
    count = 0
    for index, raw in enumerate(referrals):
        with _at_index(index):
            referral = check_scheme(coerce_referral(raw), scheme.id)
            _check_on(on)
            day = on or referral.referred_on
            ruleset = scheme.ruleset(day)
            facts = ruleset.facts_for(referral, day)
        group = groups.get(id(ruleset))
        if group is None:
            group = groups[id(ruleset)] = (ruleset, [], [], [], [])
        group[1].append(index)
        group[2].append(facts)
        group[3].append(day)
        group[4].append(referral.id)
        count += 1
    decisions: list[Decision] = [None] * count  # type: ignore[list-item]
    for ruleset, indices, rows, days, ids in groups.values():
        if runner is not None or (COLUMNAR_AVAILABLE and len(rows) >= COLUMNAR_FROM):
            made = get_engine("columnar").run_batch(ruleset, rows).decisions(on=days, referral_ids=ids)  # type: ignore[attr-defined]
        else:
            native = get_engine("native")
            made = [build_decision(ruleset, native.run(ruleset, facts), facts, on=day, referral_id=rid,
                                   engine=native.name) for facts, day, rid in zip(rows, days, ids, strict=True)]
        for index, decision in zip(indices, made, strict=True):
            decisions[index] = decision
    return decisions


def _collector_paused() -> AbstractContextManager[None]:
    """:func:`reciprocity.batching.collector_paused`. Not used with the durable engine, whose
    callbacks do leave cycles behind."""
    return collector_paused()


def _decide(
    scheme: Scheme, runner: Engine, raw: Referral | Mapping[str, Any], on: date | None
) -> Decision:
    referral = check_scheme(coerce_referral(raw), scheme.id)
    _check_on(on)
    day = on or referral.referred_on
    return _run(scheme.ruleset(day), runner, referral, day)


def decide_with(scheme: Scheme, engine: Engine, referral: Referral, day: date) -> Decision:
    """Decide a validated ``referral`` under the ``scheme`` object itself (installed or not: a
    scheme with a reform applied, say) with the rules in force on ``day``."""
    return _run(scheme.ruleset(day), engine, referral, day)


def _run(ruleset: RuleSet, runner: Engine, referral: Referral, day: date, offer: Offer | None = None) -> Decision:
    """Compute the facts the rule set reads, let the engine judge them, and build the decision."""
    facts = ruleset.facts_for(referral, day, offer)
    verdicts = runner.run(ruleset, facts)
    return build_decision(ruleset, verdicts, facts, on=day, referral_id=referral.id, engine=runner.name)


def assess_offer(
    scheme_id: str,
    referral: Referral | Mapping[str, Any],
    offer: Offer | Mapping[str, Any],
    *,
    on: date | None = None,
    engine: str = "native",
) -> Decision:
    """Assess an offered home against the referral it answers, under the scheme's offer rules.

    The outcome reads: ``ELIGIBLE`` = a suitable offer, ``INELIGIBLE`` = not suitable,
    ``NEEDS_INFORMATION`` = facts are missing or the named leads must review (e.g. like for
    like cannot be guaranteed). ``on`` defaults to the offer's ``made_on`` date.
    """
    scheme = get_scheme(scheme_id)
    runner = get_engine(engine)
    case = check_scheme(coerce_referral(referral), scheme.id)
    offered = coerce_offer(offer)
    _check_on(on)
    day = on or offered.made_on
    return _run(scheme.offer_ruleset(day), runner, case, day, offered)


def check_scheme(referral: Referral, scheme_id: str) -> Referral:
    """``referral`` if it names no scheme or ``scheme_id`` and its fields of that scheme's own
    (``extensions.<scheme_id>``, the scheme's harm types) fit the scheme; InvalidInputError
    otherwise (one referral, one scheme: every command refuses a referral written for another,
    and a case never stores a referral its scheme cannot read)."""
    if referral.scheme is not None and referral.scheme != scheme_id:
        raise InvalidInputError(
            "referral",
            [InputProblem("scheme", "names a different scheme from the one asked for",
                          "use it under its own scheme or correct the field")],
        )
    get_scheme(scheme_id).read_fields(referral)
    return referral


def _check_on(on: Any) -> None:
    from reciprocity.model.base import EARLIEST_DATE, LATEST_DATE  # noqa: PLC0415

    if on is not None and (not isinstance(on, date) or isinstance(on, datetime)):
        raise InvalidInputError(
            "date", [InputProblem("on", "must be a calendar date (datetime.date)", "pass e.g. date(2026, 3, 31)")]
        )
    if on is not None and not EARLIEST_DATE <= on <= LATEST_DATE:
        raise InvalidInputError("date", [InputProblem(
            "on", f"must be between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}", "check the year")])


def referral_json_schema(scheme_id: str | None = None) -> dict[str, Any]:
    """The JSON Schema of a referral document; with ``scheme_id``, of a referral to that
    scheme: its own fields under ``extensions.<scheme_id>`` and its harm types listed."""
    schema = Referral.model_json_schema()
    if scheme_id is None:
        return schema
    scheme = get_scheme(scheme_id)
    from reciprocity.model.enums import HarmType  # noqa: PLC0415

    harms = schema["$defs"]["RiskAssessment"]["properties"]["harm_types"]
    harms["items"] = {"enum": [*HarmType, *(h.value for h in scheme.harm_types)], "type": "string"}
    if scheme.harm_types:
        harms["description"] += " This scheme's own: " + "; ".join(
            f"{h.value} ({h.label})" for h in scheme.harm_types) + "."
    own: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": {}}
    if scheme.referral_fields is not None:
        fields = scheme.referral_fields.model_json_schema(ref_template="#/$defs/{model}")
        schema["$defs"].update(fields.pop("$defs", {}))
        own = fields
    schema["properties"]["extensions"] = {
        "anyOf": [{"type": "object", "properties": {scheme_id: own}, "additionalProperties": {"type": "object"}},
                  {"type": "null"}],
        "default": None,
        "description": schema["properties"]["extensions"]["description"],
        "title": "Extensions",
    }
    schema["properties"]["scheme"] = {"anyOf": [{"const": scheme_id, "type": "string"}, {"type": "null"}],
                                      "default": None, "description": "Scheme id; when given it must be "
                                      f"{scheme_id!r}."}
    schema["title"] = f"Referral to {scheme_id}"
    return schema
