"""Peer benchmark: kent_rp's thirteen conditions in OpenFisca against reciprocity, in one run.

Run `python benchmarks/peer_bench.py [--quick] [--rows N]` (not part of the tests). It needs the
`bench` extra (`pip install -e '.[bench]'`: openfisca-core, numpy, hypothesis).

The peer is an OpenFisca tax-benefit system written here by hand: one entity (a referral), one
input variable per fact kent_rp's rules read, one two-valued variable per rule, and `eligible`
(every rule passes), with the two parameters the rules read as OpenFisca parameters. It is
filled with N rows of fact columns (numpy arrays; default 1,000,000, `--quick` 100,000): a few
thousand distinct referrals (three quarters `reciprocity.caseloads.synthetic("kent_rp", ...)`, a
quarter benchmarks/bench.py's variants of the example, some with facts not recorded), their
facts computed by reciprocity's own rule set (`ruleset.facts_for`), encoded as columns and
tiled to N rows.

Printed, ratios first, then the absolute figures (best of several passes, with the machine's
load average, as the machine is shared):
  OpenFisca: every rule variable and `eligible` for all N rows, in two encodings of the lists;
  reciprocity native: `get_engine("native").run(ruleset, facts)` per row over a sample,
  extrapolated, and `reciprocity.evaluate_many` over a sample of the referrals;
  reciprocity columnar, when `reciprocity.engines.columnar` can be imported: `run_columns` on
  the same facts as its own `FactColumns`, tiled the same way.
Then agreement: OpenFisca's pass/fail for each rule must equal reciprocity's status on every
row where no fact is missing (rows with a missing fact are skipped and counted), and the
columnar engine's verdicts must equal native's on every distinct referral; exit 1 if not.

How facts are encoded (OpenFisca has no "unknown": a fact not recorded takes the variable's
default, which the two-valued rules then read like any other value):
  flags (`urgent`, ...)                 bool, default False
  values with a closed set (`subject_role`, `nominator.kind`, `nominator.membership_status`,
  `risk.assessed_by`)                   an OpenFisca Enum of reciprocity's values plus
                                        NOT_RECORDED (the default)
  partner ids (`nominator.id`, `tenancy.landlord`)
                                        int: an index into the partners seen, -1 not recorded
  lists (`nominator.stock_areas`, `requested_areas`, `risk.harm_types`)
                                        int bitmask: one bit per area of every installed scheme
                                        (per HarmType for harms), the top bit for any other
                                        value; 0 (empty) when not recorded. Measured too: one
                                        bool variable per value (`requested_areas__swale`)
Variable names are the fact names and rule ids with "." spelt "__" (`risk__assessed_by`,
`kent_rp__vawg_harm`).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import version
from typing import Any

import numpy as np
from bench import machine  # this folder's own benchmark: the same machine line
from bench import referrals as example_variants

import reciprocity
from reciprocity.caseloads import synthetic
from reciprocity.decision import Status
from reciprocity.engines import get_engine
from reciprocity.model import (
    VAWG_HARMS,
    Assessor,
    HarmType,
    MembershipStatus,
    PartnerKind,
    SubjectRole,
)
from reciprocity.rules.logic import MISSING
from reciprocity.rules.scheme import RuleSet

try:
    from openfisca_core.entities import build_entity
    from openfisca_core.indexed_enums import Enum
    from openfisca_core.parameters import ParameterNode
    from openfisca_core.periods import DateUnit
    from openfisca_core.simulations import SimulationBuilder
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable
except ImportError:  # pragma: no cover - the benchmark says what to install
    sys.exit("the peer benchmark needs openfisca-core: pip install -e '.[bench]'")

SCHEME_ID = "kent_rp"
#: The one day every row is computed for. kent_rp's rules and parameter values are the same on
#: every referral date drawn (checked in main), so one OpenFisca period stands for all of them.
PERIOD = "2026-01-01"
DAY = DateUnit.DAY

# --- the facts kent_rp's rules read, and how each becomes an OpenFisca input ----------------

FLAG_FACTS = (
    "homelessness.application_made", "kent_home_choice_exhausted", "nominator.dsp_signatory",
    "own_stock_exhausted", "risk.at_risk", "risk_too_great_to_remain", "social_tenant", "urgent",
)
ID_FACTS = ("nominator.id", "tenancy.landlord")
HARM_FACT = "risk.harm_types"


def openfisca_enum(values: type[Any]) -> type[Enum]:
    """An OpenFisca Enum with reciprocity's members and NOT_RECORDED, the default."""
    members = [(m.name, m.value) for m in values] + [("NOT_RECORDED", "not recorded")]
    return Enum(values.__name__, members)


ENUMS: dict[str, type[Enum]] = {
    "nominator.kind": openfisca_enum(PartnerKind),
    "nominator.membership_status": openfisca_enum(MembershipStatus),
    "risk.assessed_by": openfisca_enum(Assessor),
    "subject_role": openfisca_enum(SubjectRole),
}
Kind, Membership, Assessed, Role = (ENUMS[f] for f in ENUMS)

#: Bit i of an area mask is AREAS[i]; the bit after the last is any other area.
AREAS: tuple[str, ...] = tuple(sorted({a.id for s in reciprocity.schemes() for a in s.areas}))
OTHER_AREA = 1 << len(AREAS)
#: Bit i of a harm mask is HARMS[i]; the bit after the last is a harm of a scheme's own.
HARMS: tuple[HarmType, ...] = tuple(HarmType)
OTHER_HARM = 1 << len(HARMS)
VAWG_MASK = sum(1 << HARMS.index(h) for h in VAWG_HARMS)
assert len(AREAS) < 31, "an OpenFisca int is 32 bits"


def variable_name(fact: str) -> str:
    return fact.replace(".", "__")


def area_mask(areas: Sequence[str]) -> int:
    """The bitmask of a list of area ids (as a parameter or a fact lists them)."""
    bits = {a: 1 << i for i, a in enumerate(AREAS)}
    return sum({bits.get(a, OTHER_AREA) for a in areas})


def harm_mask(harms: Sequence[Any]) -> int:
    bits = {h: 1 << i for i, h in enumerate(HARMS)}
    return sum({bits.get(h, OTHER_HARM) for h in harms})


# --- the OpenFisca tax-benefit system ------------------------------------------------------

REFERRAL = build_entity(
    key="referral", plural="referrals", label="A referral: the household asking to move", is_person=True,
)


def input_variable(fact: str) -> type[Variable]:
    """The OpenFisca input variable of one fact (see the module docstring for the encoding)."""
    body: dict[str, Any] = {"entity": REFERRAL, "definition_period": DAY, "label": f"fact {fact}"}
    if fact in FLAG_FACTS:
        body.update(value_type=bool, default_value=False)
    elif fact in ENUMS:
        body.update(value_type=Enum, possible_values=ENUMS[fact], default_value=ENUMS[fact].NOT_RECORDED)
    elif fact in ID_FACTS:
        body.update(value_type=int, default_value=-1)
    else:  # a list, as a bitmask
        body.update(value_type=int, default_value=0)
    return type(variable_name(fact), (Variable,), body)


def rule_variable(rule: str, label: str) -> Callable[[Callable[..., Any]], type[Variable]]:
    """Make a formula the two-valued OpenFisca variable ``rule`` (a rule id, "." spelt "__")."""

    def make(formula: Callable[..., Any]) -> type[Variable]:
        body = {"value_type": bool, "entity": REFERRAL, "definition_period": DAY, "label": label}
        return type(rule, (Variable,), {**body, "formula": formula})

    return make


def get(referral: Any, period: Any, fact: str) -> Any:
    return referral(variable_name(fact), period)


@rule_variable("kent_rp__nominator_social_landlord", "a social landlord with homes in Kent or Medway")
def _nominator_social_landlord(referral: Any, period: Any, parameters: Any) -> Any:
    kind = get(referral, period, "nominator.kind")
    areas = area_mask(parameters(period).kent_rp.scheme_areas)
    social_landlord = (kind == Kind.REGISTERED_PROVIDER) | (kind == Kind.LOCAL_AUTHORITY)
    return social_landlord & ((get(referral, period, "nominator.stock_areas") & areas) != 0)


@rule_variable("kent_rp__nominator_dsp_signatory", "the nominator signed the data sharing protocol")
def _nominator_dsp_signatory(referral: Any, period: Any) -> Any:
    return get(referral, period, "nominator.dsp_signatory")


@rule_variable("kent_rp__nominator_active", "the nominator is an active member on the referral date")
def _nominator_active(referral: Any, period: Any) -> Any:
    return get(referral, period, "nominator.membership_status") == Membership.ACTIVE


@rule_variable("kent_rp__subject_survivor", "the person to move is the survivor")
def _subject_survivor(referral: Any, period: Any) -> Any:
    return get(referral, period, "subject_role") == Role.SURVIVOR


@rule_variable("kent_rp__social_tenant", "the household holds a social tenancy")
def _social_tenant(referral: Any, period: Any) -> Any:
    return get(referral, period, "social_tenant")


@rule_variable("kent_rp__tenant_of_nominator", "the tenancy is with the nominator (passes without one)")
def _tenant_of_nominator(referral: Any, period: Any) -> Any:
    same = get(referral, period, "tenancy.landlord") == get(referral, period, "nominator.id")
    return ~get(referral, period, "social_tenant") | same


@rule_variable("kent_rp__vawg_harm", "at risk of domestic or sexual violence or other VAWG")
def _vawg_harm(referral: Any, period: Any) -> Any:
    return (get(referral, period, HARM_FACT) & VAWG_MASK) != 0


@rule_variable("kent_rp__assessed_at_risk", "an IDVA or DA professional assessed the tenant at risk")
def _assessed_at_risk(referral: Any, period: Any, parameters: Any) -> Any:
    assessed_by = get(referral, period, "risk.assessed_by")
    qualifies = np.zeros(len(assessed_by), dtype=bool)
    for assessor in parameters(period).kent_rp.qualifying_assessors:
        qualifies |= assessed_by == Assessed(assessor)
    return qualifies & get(referral, period, "risk.at_risk")


@rule_variable("kent_rp__risk_too_great_to_remain", "the risk is too great to remain in the area")
def _risk_too_great_to_remain(referral: Any, period: Any) -> Any:
    return get(referral, period, "risk_too_great_to_remain")


@rule_variable("kent_rp__own_stock_exhausted", "the landlord's own stock is exhausted")
def _own_stock_exhausted(referral: Any, period: Any) -> Any:
    return get(referral, period, "own_stock_exhausted")


@rule_variable("kent_rp__kent_home_choice_exhausted", "Kent Home Choice is exhausted")
def _kent_home_choice_exhausted(referral: Any, period: Any) -> Any:
    return get(referral, period, "kent_home_choice_exhausted")


@rule_variable("kent_rp__urgent_homelessness_application", "if urgent, a homelessness application is made")
def _urgent_homelessness_application(referral: Any, period: Any) -> Any:
    return ~get(referral, period, "urgent") | get(referral, period, "homelessness.application_made")


@rule_variable("kent_rp__requested_areas", "at least one requested area, all in Kent or Medway")
def _requested_areas(referral: Any, period: Any, parameters: Any) -> Any:
    requested = get(referral, period, "requested_areas")
    outside = ~area_mask(parameters(period).kent_rp.scheme_areas)
    return (requested != 0) & ((requested & outside) == 0)


#: The rule variables in kent_rp's rule order (main checks the order against the rule set).
RULES: tuple[type[Variable], ...] = (
    _nominator_social_landlord, _nominator_dsp_signatory, _nominator_active, _subject_survivor,
    _social_tenant, _tenant_of_nominator, _vawg_harm, _assessed_at_risk, _risk_too_great_to_remain,
    _own_stock_exhausted, _kent_home_choice_exhausted, _urgent_homelessness_application, _requested_areas,
)
RULE_NAMES = tuple(r.__name__ for r in RULES)


@rule_variable("eligible", "every one of kent_rp's thirteen rules passes")
def _eligible(referral: Any, period: Any) -> Any:
    return np.logical_and.reduce([referral(name, period) for name in RULE_NAMES])


# --- the other encoding of lists: one boolean input variable per value ----------------------

#: The values of each list fact, in bit order ("any_other": any value not listed).
LIST_VALUES: dict[str, tuple[str, ...]] = {
    "nominator.stock_areas": (*AREAS, "any_other"),
    "requested_areas": (*AREAS, "any_other"),
    HARM_FACT: (*(h.value for h in HARMS), "any_other"),
}


def flag_name(fact: str, value: str) -> str:
    return f"{variable_name(fact)}__{value}"


def any_flag(referral: Any, period: Any, fact: str, values: Sequence[str]) -> Any:
    """Whether the list ``fact`` holds any of ``values``, from its boolean variables."""
    return np.logical_or.reduce([referral(flag_name(fact, v), period) for v in values])


@rule_variable("kent_rp__nominator_social_landlord", "a social landlord with homes in Kent or Medway")
def _nominator_social_landlord_flags(referral: Any, period: Any, parameters: Any) -> Any:
    kind = get(referral, period, "nominator.kind")
    social_landlord = (kind == Kind.REGISTERED_PROVIDER) | (kind == Kind.LOCAL_AUTHORITY)
    areas = parameters(period).kent_rp.scheme_areas
    return social_landlord & any_flag(referral, period, "nominator.stock_areas", areas)


@rule_variable("kent_rp__vawg_harm", "at risk of domestic or sexual violence or other VAWG")
def _vawg_harm_flags(referral: Any, period: Any) -> Any:
    return any_flag(referral, period, HARM_FACT, sorted(h.value for h in VAWG_HARMS))


@rule_variable("kent_rp__requested_areas", "at least one requested area, all in Kent or Medway")
def _requested_areas_flags(referral: Any, period: Any, parameters: Any) -> Any:
    every = LIST_VALUES["requested_areas"]
    inside = set(parameters(period).kent_rp.scheme_areas)
    outside = [a for a in every if a not in inside]
    some = any_flag(referral, period, "requested_areas", every)
    return some & ~any_flag(referral, period, "requested_areas", outside)


_FLAG_RULES = {r.__name__: r for r in (_nominator_social_landlord_flags, _vawg_harm_flags,
                                        _requested_areas_flags)}
RULES_WITH_FLAGS = tuple(_FLAG_RULES.get(r.__name__, r) for r in RULES)


def flag_variables(fact: str) -> list[type[Variable]]:
    return [type(flag_name(fact, v), (Variable,), {
        "entity": REFERRAL, "definition_period": DAY, "value_type": bool, "default_value": False,
        "label": f"{fact} includes {v}"}) for v in LIST_VALUES[fact]]


def flag_columns(columns: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The columns with each list's bitmask split into one boolean column per value."""
    out = {}
    for name, column in columns.items():
        fact = next((f for f in LIST_VALUES if variable_name(f) == name), None)
        if fact is None:
            out[name] = column
            continue
        for bit, value in enumerate(LIST_VALUES[fact]):
            out[flag_name(fact, value)] = (column & (1 << bit)) != 0
    return out


def tax_benefit_system(ruleset: RuleSet, *, flags: bool = False) -> TaxBenefitSystem:
    """kent_rp's eligibility as an OpenFisca system, its parameters from ``ruleset``; lists as
    bitmasks, or with ``flags`` as one boolean variable per value."""
    system = TaxBenefitSystem([REFERRAL])
    since = "2000-01-01"  # reciprocity's values hold from the scheme's start; every date drawn is later
    areas = sorted(ruleset.params["scheme_areas"])
    assessors = sorted(a.value for a in ruleset.params["qualifying_assessors"])
    system.parameters = ParameterNode("", data={"kent_rp": {
        "scheme_areas": {"values": {since: {"value": areas}}},
        "qualifying_assessors": {"values": {since: {"value": assessors}}},
    }})
    inputs = []
    for fact in ruleset.fact_names:
        inputs += flag_variables(fact) if flags and fact in LIST_VALUES else [input_variable(fact)]
    system.add_variables(*inputs, *(RULES_WITH_FLAGS if flags else RULES), _eligible)
    return system


# --- fact columns ----------------------------------------------------------------------------


def encode(facts: Sequence[Mapping[str, Any]], fact_names: Sequence[str]) -> dict[str, np.ndarray]:
    """One numpy column per OpenFisca input variable, row i from ``facts[i]``."""
    partners = sorted({f[name] for f in facts for name in ID_FACTS if f[name] is not MISSING})
    code = {p: i for i, p in enumerate(partners)}
    columns = {}
    for name in fact_names:
        values = [f[name] for f in facts]
        if name in FLAG_FACTS:
            column = np.array([v is True for v in values], dtype=bool)
        elif name in ENUMS:
            index = {m.value: m.index for m in ENUMS[name]}
            missing = ENUMS[name].NOT_RECORDED.index
            column = np.array([missing if v is MISSING else index[v.value] for v in values],
                              dtype=np.int16)
        elif name in ID_FACTS:
            column = np.array([-1 if v is MISSING else code[v] for v in values], dtype=np.int32)
        else:
            mask = harm_mask if name == HARM_FACT else area_mask
            column = np.array([0 if v is MISSING else mask(v) for v in values], dtype=np.int32)
        columns[variable_name(name)] = column
    return columns


# --- timing ----------------------------------------------------------------------------------


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def best_of(passes: int, run: Callable[[], float]) -> float:
    """The least of ``passes`` timings returned by ``run``."""
    return min(run() for _ in range(passes))


class OpenFiscaRun:
    """Build a simulation of the columns, then compute every rule variable and `eligible`."""

    def __init__(self, system: TaxBenefitSystem, columns: Mapping[str, np.ndarray]) -> None:
        self.system, self.columns = system, columns
        self.rows = len(next(iter(columns.values())))
        self.setup: list[float] = []
        self.results: dict[str, np.ndarray] = {}

    def __call__(self) -> float:
        self.results = {}
        gc.collect()
        start = time.perf_counter()
        builder = SimulationBuilder()
        builder.create_entities(self.system)
        builder.declare_person_entity("referral", range(self.rows))
        simulation = builder.build(self.system)
        for name, column in self.columns.items():
            simulation.set_input(name, PERIOD, column)
        ready = time.perf_counter()
        results = {name: simulation.calculate(name, PERIOD) for name in (*RULE_NAMES, "eligible")}
        done = time.perf_counter()
        self.setup.append(ready - start)
        self.results = results
        return done - ready


# --- the columnar engine, when it is there ----------------------------------------------------


def columnar_engine() -> tuple[Any, Any, str]:
    """(engine, FactColumns, note): the columnar engine and its column type, or Nones and why not.

    Its batch entry point is ``engine.run_columns(ruleset, FactColumns) -> Batch`` (rule-major
    status codes into ``STATUSES``, the missing facts' bits, each row's outcome), as on branch
    col16 at fd5d7f4; ``FactColumns.from_rows(rows, names)`` builds the columns from facts.
    """
    try:  # another engineer's, once merged
        from reciprocity.engines.columnar import ColumnarEngine  # noqa: PLC0415
        from reciprocity.engines.columns import FactColumns  # noqa: PLC0415
    except ImportError as error:
        return None, None, f"columnar: not available ({error})"
    try:
        engine = get_engine("columnar")
    except Exception:  # noqa: BLE001 - importable but not registered under that name
        engine = ColumnarEngine()
    if not callable(getattr(engine, "run_columns", None)) or not callable(getattr(FactColumns, "from_rows", None)):
        return None, None, "columnar: importable, but without run_columns and FactColumns.from_rows"
    return engine, FactColumns, "columnar: run_columns(ruleset, FactColumns.from_rows(facts).take(rows))"


def columnar_agreement(ruleset: RuleSet, facts: Sequence[Mapping[str, Any]], index: np.ndarray,
                       batch: Any) -> tuple[str, int]:
    """The columnar batch's verdicts (status and missing facts) against native's, row by row on
    the distinct referrals, and every row's statuses equal to its distinct referral's."""
    run = get_engine("native").run
    k = len(facts)
    wrong = sum(batch.verdicts(i) != list(run(ruleset, row)) for i, row in enumerate(facts))
    tiled = np.array_equal(batch.status, batch.status[:, :k][:, index])
    line = (f"  columnar against native on the {k:,} distinct referrals (every rule's status and missing facts): "
            f"{wrong} mismatches (must be 0); every row's statuses equal its referral's: {'yes' if tiled else 'NO'}")
    return line, wrong + (not tiled)


# --- agreement -------------------------------------------------------------------------------

PASSES = (Status.MET.value, Status.NOT_APPLICABLE.value)


def agreement(
    ruleset: RuleSet, facts: Sequence[Mapping[str, Any]], index: np.ndarray,
    results: Mapping[str, np.ndarray], other: Mapping[str, np.ndarray],
) -> tuple[list[str], int]:
    """Compare OpenFisca's results with the native engine's on the distinct referrals ``facts``
    (row i of OpenFisca's is ``facts[index[i]]``, and its first rows are ``facts`` in order).

    ``other`` is the other encoding's results, which must be the same. Returns the report's
    lines and the number of mismatches.
    """
    run = get_engine("native").run
    k = len(facts)
    status = np.array([[s.value for s, _ in run(ruleset, row)] for row in facts])  # referrals x rules
    complete = np.array([all(row[n] is not MISSING for n in ruleset.fact_names) for row in facts])
    passes = np.isin(status, PASSES)
    unknown = status == Status.NEEDS_INFORMATION.value
    assert not unknown[complete].any(), "a referral with every fact recorded still needs information"
    eligible = passes.all(axis=1)
    # the referrals whose outcome is needs_information
    needs = unknown.any(axis=1) & ~(status == Status.NOT_MET.value).any(axis=1)
    got = np.column_stack([results[name][:k] for name in RULE_NAMES])
    got_eligible = results["eligible"][:k]

    wrong = got != passes
    mismatches = int(wrong[complete].sum() + (got_eligible != eligible)[complete].sum())
    # Beyond the brief: a rule reciprocity decides although a fact is missing has the same answer
    # whatever that fact's value, so it must equal OpenFisca's, which read the fact's default.
    decided_partly = ~unknown & ~complete[:, None]
    partly_wrong = int((wrong & decided_partly).sum())
    names = (*RULE_NAMES, "eligible")
    tiled = all(np.array_equal(results[n], results[n][:k][index]) for n in names)
    same = all(np.array_equal(results[n], other[n]) for n in names)
    lines = [
        f"agreement, on the {k:,} distinct referrals (row i of the {len(index):,} is referral i mod {k:,}):",
        f"  {int(complete.sum()):,} with every fact recorded, compared on the 13 rules and `eligible`: "
        f"{mismatches} mismatches (must be 0)",
        f"  {int((~complete).sum()):,} skipped, a fact missing (reciprocity: unknown; OpenFisca: the "
        "variable's default). On those:",
        f"    {int(decided_partly.sum()):,} rule results reciprocity decided all the same (whatever the "
        f"missing value): {partly_wrong} mismatches with OpenFisca (must be 0)",
        f"    {int(unknown.sum()):,} rule results reciprocity left as needs_information; OpenFisca passed "
        f"{int((got & unknown).sum()):,} and failed {int((~got & unknown).sum()):,} of them",
        f"    {int(needs.sum()):,} referrals reciprocity says need information; OpenFisca called "
        f"{int(got_eligible[needs].sum()):,} eligible and {int((~got_eligible[needs]).sum()):,} ineligible",
        f"  every one of the {len(index):,} rows equals its distinct referral's: "
        f"{'yes' if tiled else 'NO'}; the two encodings of lists agree on every row: {'yes' if same else 'NO'}",
    ]
    return lines, mismatches + partly_wrong + (not tiled) + (not same)


# --- the run ---------------------------------------------------------------------------------


def rate(seconds_per_row: float) -> str:
    return f"{1 / seconds_per_row:,.0f} decisions/s"


def distinct_referrals(count: int) -> list[Any]:
    """``count`` kent_rp referrals: three quarters a synthetic caseload (eligible, or failing one
    rule, every fact they need recorded), a quarter variants of the example with flags left
    unrecorded and the risk assessment missing at times (benchmarks/bench.py)."""
    variants = count // 4
    drawn = synthetic(SCHEME_ID, count - variants, seed=16).referrals
    return [*drawn, *example_variants(variants, seed=16)]


def timed(call: Callable[[], Any]) -> Callable[[], float]:
    def one() -> float:
        start = time.perf_counter()
        call()
        return time.perf_counter() - start

    return one


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 rows and a smaller sample")
    parser.add_argument("--rows", type=int, default=None, help="rows for OpenFisca (default 1,000,000)")
    args = parser.parse_args()
    rows = args.rows or (100_000 if args.quick else 1_000_000)
    distinct = min(rows, 2_000 if args.quick else 4_000)
    sample = 10_000 if args.quick else 20_000
    passes = 3 if args.quick else 7

    print(f"machine: {machine()}; {load()}")
    print(f"openfisca-core {version('openfisca-core')}, numpy {np.__version__}")
    scheme = reciprocity.get_scheme(SCHEME_ID)
    referrals = distinct_referrals(distinct)
    rulesets = {id(scheme.ruleset(r.referred_on)): scheme.ruleset(r.referred_on) for r in referrals}
    assert len(rulesets) == 1, "kent_rp's rules differ between the dates drawn: one period cannot serve"
    ruleset = next(iter(rulesets.values()))
    assert tuple(variable_name(r.id) for r in ruleset.rules) == RULE_NAMES, "the rules and their order"
    facts = [ruleset.facts_for(r, r.referred_on) for r in referrals]
    index = np.arange(rows) % len(facts)
    columns = {name: column[index] for name, column in encode(facts, ruleset.fact_names).items()}
    print(f"{len(facts):,} distinct referrals, their {len(ruleset.fact_names)} facts as columns tiled to "
          f"{rows:,} rows; {len(ruleset.rules)} rules and `eligible` computed for every row")

    measured: dict[str, tuple[float, str]] = {}  # name: (seconds per row, line)
    for flags in (False, True):
        name = "OpenFisca, lists as booleans" if flags else "OpenFisca, lists as bitmasks"
        system = tax_benefit_system(ruleset, flags=flags)
        run = OpenFiscaRun(system, flag_columns(columns) if flags else columns)
        before = load()
        seconds = best_of(passes, run)
        measured[name] = (seconds / rows, (
            f"{rows:,} rows in {seconds:.4f} s = {rate(seconds / rows)} (best of {passes}; building the "
            f"simulation and setting its {len(run.columns)} inputs, not counted: {min(run.setup):.3f} s "
            f"more, {rate((seconds + min(run.setup)) / rows)} with it); {before}, after {load()}"))
        if flags:
            flag_results = run.results
        else:
            results = run.results
        del run

    native_run = get_engine("native").run
    native_rows = [facts[i % len(facts)] for i in range(sample)]
    before = load()

    def each_row() -> None:  # the verdicts are dropped, as OpenFisca's arrays are its only output
        for row in native_rows:
            native_run(ruleset, row)

    seconds = best_of(passes, timed(each_row))
    measured["native run(ruleset, facts)"] = (seconds / sample, (
        f"{sample:,} rows of facts, one call each, in {seconds:.3f} s = {rate(seconds / sample)}; "
        f"{rows:,} rows would take {seconds / sample * rows:.1f} s; {before}, after {load()}"))
    batch = [referrals[i % len(referrals)] for i in range(sample)]
    before = load()
    seconds = best_of(max(2, passes // 2), timed(lambda: reciprocity.evaluate_many(SCHEME_ID, batch)))
    measured["evaluate_many (native)"] = (seconds / sample, (
        f"{sample:,} validated referrals (facts, rules and Decision objects) in {seconds:.3f} s = "
        f"{rate(seconds / sample)}; {rows:,} would take {seconds / sample * rows:.1f} s; {before}, "
        f"after {load()}"))

    engine, fact_columns, columnar_note = columnar_engine()
    batch = None
    if engine is not None:
        start = time.perf_counter()
        tiled = fact_columns.from_rows(facts, ruleset.fact_names).take(index)
        built = time.perf_counter() - start
        gc.collect()
        before = load()
        seconds = best_of(passes, timed(lambda: engine.run_columns(ruleset, tiled)))
        batch = engine.run_columns(ruleset, tiled)
        measured["columnar"] = (seconds / rows, (
            f"{rows:,} rows in {seconds:.4f} s = {rate(seconds / rows)} (best of {passes}: every rule's "
            f"status, missing facts and the outcome; building the columns, not counted: {built:.3f} s); "
            f"{before}, after {load()}"))

    peers = [n for n in measured if n.startswith("OpenFisca")]
    print("\nratios, decisions/s against OpenFisca's in this run (above 1: faster than OpenFisca):")
    for name in ("columnar", "native run(ruleset, facts)", "evaluate_many (native)"):
        if name not in measured:
            print(f"  {name} / OpenFisca: not measured ({columnar_note})")
            continue
        ratios = [measured[p][0] / measured[name][0] for p in peers]
        shown = ", ".join(f"{r:.4f} = 1/{1 / r:,.0f} ({p.split(', ')[1]})" for r, p in zip(ratios, peers, strict=True))
        print(f"  {name} / OpenFisca: {shown}")
    print("\nabsolute:")
    for name, (_, line) in measured.items():
        print(f"  {name}: {line}")
    if engine is None:
        print(f"  {columnar_note}")
    else:
        print(f"  ({columnar_note})")
    print("\nnot alike: OpenFisca's rule results are two-valued (pass or fail: it has no 'unknown', a "
          "fact not recorded reads as\n  the variable's default), with no missing-fact sets and no "
          "explanation; reciprocity's are three-valued (met, not met,\n  not applicable, needs information "
          "with the facts that would settle it), and evaluate_many also builds each decision.")

    lines, mismatches = agreement(ruleset, facts, index, results, flag_results)
    if batch is not None:
        line, wrong = columnar_agreement(ruleset, facts, index, batch)
        lines.append(line)
        mismatches += wrong
    print()
    print("\n".join(lines))
    print(f"\ndone; {load()}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
