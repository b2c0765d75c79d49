"""Performance benchmark for reciprocity: run `python benchmarks/bench.py` (not part of the tests).

Prints, from one run on this machine:
  (a) native engine, microseconds per decision with full findings;
  (b) durable engine, microseconds per decision;
  (c) a hand-written plain-Python function of the same kent_rp rules: the floor;
  ratios a/c and b/c; durable against posting the same facts to the same ruleset by hand;
  evaluate_many decisions per second over 100,000 referrals (native, and the default engine);
  durable soak: 100,000 evaluations in a row, sessions and resident memory;
  `import reciprocity` and `reciprocity check` wall time against `python -c pass`.

Options: --quick (smaller counts, for a smoke run), --soak N (durable soak length).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import reciprocity
from reciprocity.engines import get_engine
from reciprocity.inputs import coerce_referral
from reciprocity.model import (
    VAWG_HARMS,
    Assessor,
    MembershipStatus,
    PartnerKind,
    Referral,
    SubjectRole,
)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "kent_rp_referral.json"
KENT_AND_MEDWAY = frozenset(a.id for a in reciprocity.get_scheme("kent_rp").areas)


# --- the floor: kent_rp's rules written by hand -------------------------------------------


def kent_rp_by_hand(r: Referral) -> tuple[str, tuple[str, ...]]:
    """The kent_rp rules as plain Python: (outcome, status per rule), None meaning unknown.

    Same three-valued semantics as the engine, no explanations: the cheapest correct answer.
    """
    p = r.nominating_partner
    risk = r.risk
    social = True if (r.tenancy is not None or r.tenure == "social_tenant") else (
        False if r.tenure in ("private_rented", "non_tenant_priority_need") else None
    )
    harms = risk.harm_types if risk is not None and risk.harm_types else None
    assessed_by = risk.assessed_by if risk is not None else None
    at_risk = risk.at_risk if risk is not None else None
    stock = p.stock_areas or None
    requested = r.requested_areas or None

    def both(a: bool | None, b: bool | None) -> bool | None:
        if a is False or b is False:
            return False
        return None if a is None or b is None else True

    results: list[bool | None | str] = [
        both(p.kind in (PartnerKind.REGISTERED_PROVIDER, PartnerKind.LOCAL_AUTHORITY),
             None if stock is None else any(a in KENT_AND_MEDWAY for a in stock)),
        p.data_sharing_protocol_signatory,
        p.membership.status_on(r.referred_on) is MembershipStatus.ACTIVE,
        None if r.subject_role is None else r.subject_role is SubjectRole.SURVIVOR,
        social,
        "n/a" if social is False else (None if r.tenancy is None else r.tenancy.landlord == p.id) if social else None,
        None if harms is None else any(h in VAWG_HARMS for h in harms),
        both(None if assessed_by is None else assessed_by in (Assessor.IDVA, Assessor.DA_PROFESSIONAL), at_risk),
        r.risk_too_great_to_remain,
        r.own_stock_exhausted,
        r.kent_home_choice_exhausted,
        "n/a" if r.urgent is False else (True if r.homelessness.application_made else (
            None if r.urgent is None or r.homelessness.application_made is None else False)),
        None if requested is None else all(a in KENT_AND_MEDWAY for a in requested),
    ]
    statuses = tuple(
        "not_applicable" if v == "n/a" else "met" if v is True else "not_met" if v is False else "needs_information"
        for v in results
    )
    outcome = "ineligible" if "not_met" in statuses else (
        "needs_information" if "needs_information" in statuses else "eligible")
    return outcome, statuses


# --- referrals ----------------------------------------------------------------------------


def variant(rng: random.Random, base: dict[str, Any], areas: list[str]) -> dict[str, Any]:
    """A copy of ``base`` with its flags, risk assessor, signatory and areas drawn at random."""
    doc = json.loads(json.dumps(base))
    for flag in ("risk_too_great_to_remain", "own_stock_exhausted", "kent_home_choice_exhausted", "urgent"):
        doc[flag] = rng.choice([True, True, True, False, None])
    doc["homelessness"]["application_made"] = rng.choice([True, True, False, None])
    doc["risk"]["assessed_by"] = rng.choice(["idva", "idva", "da_professional", "police", "other"])
    doc["nominating_partner"]["data_sharing_protocol_signatory"] = rng.choice([True, True, True, False])
    doc["unsafe_areas"] = rng.sample(areas, 2)
    doc["requested_areas"] = rng.sample([a for a in areas if a not in doc["unsafe_areas"]], 3)
    if rng.random() < 0.1:
        doc.pop("risk")
    return doc


def referrals(count: int, seed: int = 20261123) -> list[Referral]:
    """``count`` varied kent_rp referrals: eligible, ineligible and incomplete ones."""
    rng = random.Random(seed)
    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    areas = sorted(KENT_AND_MEDWAY)
    variants = [coerce_referral(variant(rng, base, areas)) for _ in range(min(count, 2000))]
    return [variants[i % len(variants)] for i in range(count)]


# --- timing -------------------------------------------------------------------------------


def per_call(fn: Callable[[Any], Any], items: list[Any], repeat: int = 5) -> float:
    """Best-of-``repeat`` microseconds per call of ``fn`` over ``items``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, (time.perf_counter() - start) / len(items))
    return best * 1e6


def wall(command: list[str], runs: int) -> float:
    """Median wall-clock milliseconds of running ``command``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}; {os.cpu_count()} cores; Python {platform.python_version()}; {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts, for a smoke run")
    parser.add_argument("--soak", type=int, default=100_000, help="durable evaluations in the soak")
    args = parser.parse_args()
    n_each = 500 if args.quick else 3000
    n_many = 10_000 if args.quick else 100_000
    soak = min(args.soak, 5_000) if args.quick else args.soak
    runs = 5 if args.quick else 15

    print(f"machine: {machine()}")
    sample = referrals(n_each)

    # The floor must give the same answers as the engine, or the comparison means nothing.
    for r in sample[:2000]:
        decision = reciprocity.evaluate("kent_rp", r)
        assert kent_rp_by_hand(r) == (decision.outcome.value, tuple(f.status.value for f in decision.findings)), r.id
    print(f"floor agrees with the engine on {min(len(sample), 2000)} referrals")

    def with_findings(r: Referral) -> None:  # every finding: rule, status, missing facts, facts read
        for finding in reciprocity.evaluate("kent_rp", r).findings:
            finding.facts  # noqa: B018

    def with_sentences(r: Referral) -> None:  # ... and every finding's sentence, as a reader sees it
        for finding in reciprocity.evaluate("kent_rp", r).findings:
            finding.sentence  # noqa: B018

    native = per_call(with_findings, sample)
    native_sentences = per_call(with_sentences, sample)
    native_outcome = per_call(lambda r: reciprocity.evaluate("kent_rp", r).outcome, sample)
    floor = per_call(kent_rp_by_hand, sample)
    durable_sample = sample[: n_each // 3]
    durable = per_call(lambda r: reciprocity.evaluate("kent_rp", r, engine="durable"), durable_sample, repeat=3)

    # Posting the same facts to the same compiled ruleset by hand: durable_rules' own cost.
    engine = get_engine("durable")
    scheme = reciprocity.get_scheme("kent_rp")
    by_hand_msgs = []
    for r in durable_sample:
        ruleset = scheme.ruleset(r.referred_on)
        by_hand_msgs.append((ruleset, ruleset.facts_for(r, r.referred_on)))
    compiled = engine._ruleset(by_hand_msgs[0][0])  # noqa: SLF001 - the benchmark looks inside
    from reciprocity.engines.durable import _Evaluation  # noqa: PLC0415

    def post_by_hand(item: tuple[Any, Any]) -> None:
        ruleset, facts = item
        eid = os.urandom(16).hex()
        message = engine._message(ruleset, facts, eid)  # noqa: SLF001
        engine._current = _Evaluation(eid=eid, flags=[[False] * 4 for _ in ruleset.rules])  # noqa: SLF001
        engine._host.assert_fact(compiled.name, message)  # noqa: SLF001
        engine._host.delete_state(compiled.name, eid)  # noqa: SLF001
        engine._current = None  # noqa: SLF001

    raw = per_call(post_by_hand, by_hand_msgs, repeat=3)

    print()
    print("per decision, kent_rp (best of several passes):")
    print(f"  (a) native engine, full findings   {native:8.1f} us  (every finding read: status, missing, facts)")
    print(f"      ... and every sentence         {native_sentences:8.1f} us  ({native_sentences / floor:.1f}x the floor)")
    print(f"      outcome only                   {native_outcome:8.1f} us  ({native_outcome / floor:.1f}x the floor)")
    print(f"  (b) durable engine                 {durable:8.1f} us")
    print(f"  (c) hand-written floor             {floor:8.1f} us")
    print(f"  a/c = {native / floor:5.1f}x   (target <= 3x)")
    print(f"  b/c = {durable / floor:5.1f}x")
    print(f"  durable by hand (same facts, same ruleset) {raw:8.1f} us; b/by-hand = {durable / raw:4.2f}x (target <= 1.5x)")

    many = referrals(n_many)
    start = time.perf_counter()
    decisions = reciprocity.evaluate_many("kent_rp", many, engine="native")
    elapsed = time.perf_counter() - start
    outcomes = {o: sum(d.outcome.value == o for d in decisions) for o in ("eligible", "ineligible", "needs_information")}
    count = len(many)
    del decisions
    print()
    print(f"evaluate_many, native: {count:,} referrals in {elapsed:.2f} s = {count / elapsed:,.0f} decisions/s "
          f"(target >= 50,000) {outcomes}")
    start = time.perf_counter()
    decisions = reciprocity.evaluate_many("kent_rp", many)  # the default: columnar where numpy is installed
    default = time.perf_counter() - start
    engines = sorted({d.engine for d in decisions})
    del decisions, many
    print(f"evaluate_many, default ({', '.join(engines)}): {count / default:,.0f} decisions/s "
          f"({elapsed / default:.2f}x native; benchmarks/columnar_bench.py compares the engines)")

    # Warm up over every variant first: durable_rules grows its tables to a plateau (about
    # 3 MB here) before it stops growing; the soak then shows whether anything keeps growing.
    for r in sample:
        reciprocity.evaluate("kent_rp", r, engine="durable")
    after_warm = rss_mb()
    checkpoints = []
    start = time.perf_counter()
    for i in range(1, soak + 1):
        reciprocity.evaluate("kent_rp", sample[i % len(sample)], engine="durable")
        if i % max(soak // 4, 1) == 0:
            checkpoints.append(f"{i:,}: +{rss_mb() - after_warm:.1f} MB")
    took = time.perf_counter() - start
    print()
    print(f"durable soak: {soak:,} evaluations in a row in {took:.1f} s, no session limit hit; resident memory "
          f"{after_warm:.1f} MB after warm-up, then " + ", ".join(checkpoints))

    python = [sys.executable]
    cli = [str(Path(sys.executable).with_name("reciprocity")), "check", str(EXAMPLE), "--scheme", "kent_rp"]
    base = wall([*python, "-c", "pass"], runs)
    imp = wall([*python, "-c", "import reciprocity"], runs)
    check = wall(cli, runs)
    print()
    print(f"python -c pass                 {base:7.1f} ms")
    print(f"import reciprocity             {imp:7.1f} ms (+{imp - base:.1f} ms; target <= 250 ms)")
    print(f"reciprocity check (kent_rp)    {check:7.1f} ms (+{check - base:.1f} ms; target <= 600 ms)")


if __name__ == "__main__":
    main()
