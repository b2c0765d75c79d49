"""A scheme: its sources, areas, facts, parameters and rules, and the rule set in force on a date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from reciprocity.errors import (
    InputProblem,
    InvalidInputError,
    NoRulesInForceError,
    SchemeDefinitionError,
)
from reciprocity.model.area import Area
from reciprocity.model.enums import HarmType
from reciprocity.model.offer import Offer
from reciprocity.model.referral import Referral
from reciprocity.rules.expr import Compiled, Labeller, Param, counts
from reciprocity.rules.extensions import (
    SchemeFields,
    SchemeHarm,
    extension_facts,
    extension_problems,
)
from reciprocity.rules.facts import FactContext, FactSpec
from reciprocity.rules.logic import MISSING
from reciprocity.rules.rule import Clause, Interpretation, Parameter, Rule, Source

__all__ = ["RuleSet", "Scheme"]

#: How many dates' rule sets a scheme remembers before starting afresh.
_DATES_REMEMBERED = 4096


@attrs.frozen(eq=False, repr=False)
class Scheme:
    """Everything a scheme plugin declares. Build one and register it through the hook.

    ``facts`` are the scheme's own derived facts; the core's base facts are always
    available. Construction checks the declaration: rule ids unique per date, every fact
    and parameter a rule reads declared, every clause citing one of the scheme's sources.
    """

    id: str = attrs.field(validator=attrs.validators.matches_re(r"^[a-z][a-z0-9_]*$"))
    title: str
    summary: str
    version: str
    sources: tuple[Source, ...] = attrs.field(converter=tuple)
    areas: tuple[Area, ...] = attrs.field(converter=tuple)
    rules: tuple[Rule, ...] = attrs.field(converter=tuple)
    facts: tuple[FactSpec, ...] = attrs.field(converter=tuple, default=())
    parameters: tuple[Parameter, ...] = attrs.field(converter=tuple, default=())
    interpretations: tuple[Interpretation, ...] = attrs.field(converter=tuple, default=())
    #: Rules an offered home is assessed against (they may read ``offer.*`` facts).
    offer_rules: tuple[Rule, ...] = attrs.field(converter=tuple, default=())
    #: The scheme's case process (a :class:`reciprocity.lifecycle.process.Process`), if any:
    #: the version in force from the scheme's start.
    process: Any = None
    #: Later versions of the process, each with the day it takes effect, in date order
    #: (``((date(2026, 4, 1), REVISED),)``). A case follows the version in force on its
    #: referral's ``referred_on`` date for its whole life: see :meth:`process_on`.
    process_changes: tuple[tuple[date, Any], ...] = attrs.field(converter=tuple, default=())
    #: How its partnership works: membership, ledger, arbitration
    #: (a :class:`reciprocity.partnership.Partnership`), if declared.
    partnership: Any = None
    #: Clauses of its sources that nothing encodes, each with the reason
    #: (``(Clause(MOU, "7.1"), "authorisation and signatures: no rule")``).
    not_encoded: tuple[tuple[Clause, str], ...] = attrs.field(converter=tuple, default=())
    #: The scheme's own referral fields: a :class:`~reciprocity.rules.extensions.SchemeFields`
    #: model, read from ``referral.extensions[<id>]``; each field is the fact ``<id>.<field>``.
    referral_fields: type[SchemeFields] | None = None
    #: Kinds of harm its text names beyond the core's ``HarmType`` (hate crime, gang violence).
    harm_types: tuple[SchemeHarm, ...] = attrs.field(converter=tuple, default=())
    #: Optional hints for the demonstration's simulated year (a
    #: :class:`reciprocity.demo.SimulationHints`): example referrals and offers, how many
    #: partners to invent. A scheme without them is still played, from what it declares.
    simulation: Any = None
    _catalogue: dict[str, FactSpec] = attrs.field(init=False, repr=False)
    _by_date: dict[tuple[date, str], RuleSet] = attrs.field(init=False, repr=False, factory=dict)
    _by_version: dict[tuple[Any, ...], RuleSet] = attrs.field(init=False, repr=False, factory=dict)
    _labels: _SchemeLabeller = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        from reciprocity.facts import BASE_FACTS  # noqa: PLC0415 - avoids an import cycle
        from reciprocity.offer_facts import OFFER_FACTS  # noqa: PLC0415

        catalogue: dict[str, FactSpec] = {f.name: f for f in (*BASE_FACTS, *OFFER_FACTS)}
        own: tuple[FactSpec, ...] = ()
        if self.referral_fields is not None:
            if not (isinstance(self.referral_fields, type) and issubclass(self.referral_fields, SchemeFields)):
                self._fail("referral_fields must be a subclass of reciprocity.rules.SchemeFields")
            try:
                own = extension_facts(self.id, self.referral_fields)
            except ValueError as error:
                self._fail(str(error))
        for harm in self.harm_types:
            if not isinstance(harm, SchemeHarm):
                self._fail("harm_types must be SchemeHarm values")
            if any(clause.source not in self.sources for clause in harm.clauses):
                self._fail(f"harm type {harm.value!r} cites a source the scheme does not list")
        if len({h.value for h in self.harm_types}) != len(self.harm_types):
            self._fail("two harm types share a value")
        for spec in (*self.facts, *own):
            if spec.name in catalogue:
                self._fail(f"fact {spec.name!r} is declared twice (or shadows a core fact)")
            catalogue[spec.name] = spec
        object.__setattr__(self, "_catalogue", catalogue)
        object.__setattr__(self, "_labels", _SchemeLabeller(self))
        params = {p.name: p for p in self.parameters}
        if len(params) != len(self.parameters):
            self._fail("two parameters share a name")
        for rule in self.rules:
            if any(name.startswith("offer.") for name in rule.facts() | rule.mentions()):
                self._fail(f"eligibility rule {rule.id} reads an offer fact; declare it in offer_rules")
        for rule in (*self.rules, *self.offer_rules):
            for name in (rule.facts() | rule.mentions()) - catalogue.keys():
                self._fail(f"rule {rule.id} reads or mentions undeclared fact {name!r}")
            for name in rule.params() - params.keys():
                self._fail(f"rule {rule.id} reads undeclared parameter {name!r}")
            self._check_counts(rule, catalogue, params)
            for name in sorted(rule.params() & params.keys()):
                starts = params[name].first_in_force
                if starts is not None and (rule.effective_from is None or rule.effective_from < starts):
                    since = "from the start" if rule.effective_from is None else f"from {rule.effective_from}"
                    self._fail(
                        f"rule {rule.id} is in force {since} but reads parameter {name!r}, which has no "
                        f"value before {starts}; give the parameter a value from the rule's start "
                        f"(or start the rule on {starts})"
                    )
            for clause in rule.clauses:
                if clause.source not in self.sources:
                    self._fail(f"rule {rule.id} cites a source the scheme does not list")
            if not rule.id.startswith(self.id + "."):
                self._fail(f"rule id {rule.id!r} must start with the scheme id {self.id!r}")
        for item in (*self.parameters, *self.interpretations):
            for clause in item.clauses:
                if clause.source not in self.sources:
                    kind = "parameter" if isinstance(item, Parameter) else "interpretation"
                    name = item.name if isinstance(item, Parameter) else item.id
                    self._fail(f"{kind} {name} cites a source the scheme does not list")
        for clause, reason in self.not_encoded:
            if clause.source not in self.sources or not reason:
                self._fail(f"not-encoded clause {clause} needs one of the scheme's sources and a reason")
        self._check_overlaps()
        self._check_processes()

    def __repr__(self) -> str:
        return f"<Scheme {self.id} {self.version}: {len(self.rules)} rules>"

    def _check_counts(self, rule: Rule, catalogue: Mapping[str, FactSpec], params: Mapping[str, Parameter]) -> None:
        """A rule counts only list facts, and compares the count with whole numbers."""
        conditions = (rule.require,) if rule.when is None else (rule.require, rule.when)
        for test in (c for condition in conditions for c in counts(condition)):
            spec = catalogue.get(test.subject.name)
            if spec is not None and spec.kind != "list":
                self._fail(
                    f"rule {rule.id} counts the items of {test.subject.name!r}, which is not a list fact "
                    "(a scheme's own fact holding a list declares kind=\"list\")"
                )
            bound = params.get(test.value.name) if isinstance(test.value, Param) else None
            if bound is not None and any(not isinstance(v, int) or isinstance(v, bool) for _, v in bound.values):
                self._fail(
                    f"rule {rule.id} compares the number of items of {test.subject.name!r} with "
                    f"parameter {bound.name!r}, whose every value must be a whole number"
                )

    def _fail(self, message: str) -> None:
        raise SchemeDefinitionError(f"scheme {self.id}: {message}")

    def _check_processes(self) -> None:
        if self.process is None:
            if self.process_changes:
                self._fail("process_changes needs a process in force from the start (process=)")
            return
        starts = [start for start, _ in self.process_changes]
        if any(not isinstance(s, date) for s in starts) or starts != sorted(set(starts)):
            self._fail("process_changes must be (date, Process) pairs in date order, one per date")
        for _, process in self.processes:
            if getattr(process, "scheme_id", None) != self.id:
                self._fail("its process must be declared for the same scheme id")
            for step in process.steps:
                for clause in step.clauses:
                    if clause.source not in self.sources:
                        self._fail(f"process step {step.event!r} cites a source the scheme does not list")
            for kind, limit in process.deadlines.items():
                if any(clause.source not in self.sources for clause in limit.clauses):
                    self._fail(f"deadline {kind!r} cites a source the scheme does not list")

    @property
    def processes(self) -> tuple[tuple[date | None, Any], ...]:
        """Every version of the process with the day it takes effect (None: from the start)."""
        if self.process is None:
            return ()
        return ((None, self.process), *self.process_changes)

    def process_on(self, on: date) -> Any:
        """The version of the process in force on ``on`` (a case's referral date), or None
        when the scheme declares no process."""
        current = self.process
        for start, process in self.process_changes:
            if start <= on:
                current = process
        return current

    def _check_overlaps(self) -> None:
        by_id: dict[str, list[Rule]] = {}
        for rule in self.rules:
            by_id.setdefault(rule.id, []).append(rule)
        for rule_id, versions in by_id.items():
            for i, a in enumerate(versions):
                for b in versions[i + 1 :]:
                    a_start, b_start = a.effective_from or date.min, b.effective_from or date.min
                    a_end, b_end = a.effective_to or date.max, b.effective_to or date.max
                    if a_start < b_end and b_start < a_end:
                        self._fail(f"two versions of rule {rule_id} are in force at the same time")

    @property
    def fact_catalogue(self) -> Mapping[str, FactSpec]:
        """Every fact this scheme's rules may read: the core's and its own."""
        return self._catalogue

    @property
    def labels(self) -> Labeller:
        """Words for this scheme's facts and parameters, for rendering conditions."""
        return self._labels

    @property
    def area_ids(self) -> frozenset[str]:
        return frozenset(a.id for a in self.areas)

    def area(self, area_id: str) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)

    def read_fields(self, referral: Referral) -> SchemeFields | None:
        """The scheme's own fields of ``referral``, validated; InvalidInputError names each field
        that does not fit (and each harm type neither the core nor the scheme knows)."""
        if self.referral_fields is None and not referral.extensions and (
            referral.risk is None or all(type(h) is HarmType for h in referral.risk.harm_types)
        ):
            return None  # nothing of a scheme's own to read or check (the common case: kept fast)
        fields, problems = extension_problems(self.id, self.referral_fields, self.harm_types, referral)
        if problems:
            raise InvalidInputError("referral", [InputProblem(*p) for p in problems])
        return fields

    def parameter(self, name: str) -> Parameter:
        return next(p for p in self.parameters if p.name == name)

    def ruleset(self, on: date) -> RuleSet:
        """The eligibility rules and parameter values in force on ``on``.

        Dates with the same rules and parameter values in force share one rule set, so an
        engine compiles each version of a scheme once, however many dates it is asked about.
        """
        return self._cached(on, "eligibility")

    def offer_ruleset(self, on: date) -> RuleSet:
        """The offer rules and parameter values in force on ``on``."""
        return self._cached(on, "offer")

    def _cached(self, on: date, kind: str) -> RuleSet:
        found = self._by_date.get((on, kind))
        if found is None:
            key = self._version_key(on, kind)
            found = self._by_version.get(key)
            if found is None:
                found = _ruleset(self, key, on)
                self._by_version[key] = found
            if len(self._by_date) >= _DATES_REMEMBERED:
                self._by_date.clear()
            self._by_date[(on, kind)] = found
        return found

    def _version_key(self, on: date, kind: str = "eligibility") -> tuple[Any, ...]:
        # Two dates with the same rules and parameter values in force share a rule set.
        source = self.rules if kind == "eligibility" else self.offer_rules
        rules = tuple(i for i, r in enumerate(source) if r.in_force_on(on))
        params = tuple(_param_start(p, on) for p in self.parameters)
        return kind, rules, params


def _param_start(parameter: Parameter, on: date) -> date | None | str:
    try:
        return parameter.value_on(on)[0]
    except LookupError:
        return "none"


def _ruleset(scheme: Scheme, key: tuple[Any, ...], on: date) -> RuleSet:
    kind, rule_indices, _ = key
    source = scheme.rules if kind == "eligibility" else scheme.offer_rules
    rules = tuple(source[i] for i in rule_indices)
    if not rules:
        what = "rule" if kind == "eligibility" else "offer rule"
        raise NoRulesInForceError(
            f"no {what} of scheme {scheme.id} is in force on {on.isoformat()}; "
            "check the date (--on) against the scheme's effective dates"
        )
    params: dict[str, Any] = {}
    starts: list[date] = []
    for parameter in scheme.parameters:
        try:
            start, value = parameter.value_on(on)
        except LookupError:
            # Not yet in force. No rule in force reads it (Scheme checks every rule's
            # parameters have values from the rule's start), so it is simply absent.
            continue
        params[parameter.name] = value
        if start is not None:
            starts.append(start)
    starts.extend(r.effective_from for r in rules if r.effective_from is not None)
    since = max(starts).isoformat() if starts else "original"
    return RuleSet(scheme=scheme, rules=rules, params=params, since=since, kind=kind)


class _SchemeLabeller(Labeller):
    def __init__(self, scheme: Scheme) -> None:
        self._scheme = scheme
        self._readings: dict[int, tuple[Rule, tuple[tuple[str, str], ...]]] = {}

    def readings(self, rule: Rule) -> tuple[tuple[str, str], ...]:
        """The facts ``rule`` reads with their labels, worked out once per rule version."""
        found = self._readings.get(id(rule))
        if found is None or found[0] is not rule:
            found = (rule, tuple((name, self.fact(name)) for name in rule.fact_order))
            self._readings[id(rule)] = found
        return found[1]

    def fact(self, name: str) -> str:
        spec = self._scheme.fact_catalogue.get(name)
        return spec.label if spec else name

    def param(self, name: str) -> str:
        return f"the {self._scheme.parameter(name).label}"

    def question(self, name: str) -> str:
        spec = self._scheme.fact_catalogue.get(name)
        return spec.question if spec else name


@attrs.frozen(eq=False)
class RuleSet:
    """The rules of one scheme in force over a period, with the parameter values then."""

    scheme: Scheme
    rules: tuple[Rule, ...]
    params: dict[str, Any]
    since: str  # the latest start date among the rules and values in force, or "original"
    kind: str = "eligibility"  # or "offer"
    fact_names: tuple[str, ...] = attrs.field(init=False)
    labels: Labeller = attrs.field(init=False)
    #: Each rule's ``when`` (or None) and ``require``, compiled with this set's parameters.
    compiled: tuple[tuple[Compiled | None, Compiled], ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        names = sorted(set().union(*(r.facts() | r.mentions() for r in self.rules)))
        object.__setattr__(self, "fact_names", tuple(names))
        object.__setattr__(self, "labels", self.scheme.labels)
        object.__setattr__(self, "compiled", tuple(
            (r.when.compile(self.params) if r.when is not None else None, r.require.compile(self.params))
            for r in self.rules
        ))

    @property
    def version(self) -> str:
        """Which version decided: scheme id, package version and the rules' start date."""
        return f"{self.scheme.id} {self.scheme.version} (rules in force since {self.since})"

    def facts_for(self, referral: Referral, on: date, offer: Offer | None = None) -> dict[str, Any]:
        """Compute every fact these rules read from ``referral`` (and ``offer``, for offer rules)."""
        catalogue = self.scheme.fact_catalogue
        ctx = FactContext(on=on, params=self.params, offer=offer, extension=self.scheme.read_fields(referral))
        facts = {name: catalogue[name].compute(referral, ctx) for name in self.fact_names}
        for name, value in facts.items():
            if value is None:  # a plugin's "not recorded": never a known value
                facts[name] = MISSING
        return facts

