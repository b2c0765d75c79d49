"""Columnar engine benchmark: run `python benchmarks/columnar_bench.py` (not part of the tests).

Prints, from one run on this machine, ratios first:
  (a) columnar engine, kent_rp, the outcome and every rule's status (with its missing facts)
      over 1,000,000 rows of fact columns (lists as Arrow-style offsets, as a Parquet reader
      gives them; and lists coded whole, as `run_batch` builds them from fact mappings);
  (b) the native engine on the same facts, row by row (a sample of the rows, timed the same way);
  (c) the peer: OpenFisca on the same thirteen conditions (issue 16: not yet encoded here;
      its line says so until a benchmark-only extra brings openfisca-core);
  evaluate_many with full decisions over 100,000 referrals (bench.py's: 2,000 variants, cycled),
  columnar against native.

The rows are drawn (with a seed) from 20,000 variants of examples/kent_rp_referral.json
(benchmarks/bench.py's generator); the columns of the distinct variants are built once and
indexed to make the million rows (`FactColumns.take`). Before timing, the columnar verdicts are
checked against native's on the sampled rows.

Options: --quick (100,000 rows, 10,000 referrals), --rows N, --referrals N.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import reciprocity
from reciprocity.decision import build_decision
from reciprocity.engines import get_engine
from reciprocity.engines.columns import FactColumns, ListColumn, ScalarColumn
from reciprocity.inputs import coerce_referral
from reciprocity.rules.logic import MISSING

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import EXAMPLE, KENT_AND_MEDWAY, machine, referrals, variant  # noqa: E402 - benchmarks/bench.py's

SEED = 20261204


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """(first, best) wall seconds of ``fn`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times[0], min(times)


def distinct_referrals(count: int) -> list[Any]:
    """``count`` variants of the example drawn with bench.py's generator (not cycled)."""
    rng = random.Random(SEED)
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    areas = sorted(KENT_AND_MEDWAY)
    return [coerce_referral(variant(rng, document, areas)) for _ in range(count)]


def columns_of(ruleset: Any, rows: list[dict[str, Any]], *, arrow_lists: bool) -> FactColumns:
    catalogue = ruleset.scheme.fact_catalogue
    columns: dict[str, Any] = {}
    for name in ruleset.fact_names:
        values = [row.get(name, MISSING) for row in rows]
        if arrow_lists and catalogue[name].kind == "list":
            columns[name] = ListColumn.from_values(values)
        else:
            columns[name] = ScalarColumn.from_values(values)
    return FactColumns(columns, len(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts, for a smoke run")
    parser.add_argument("--rows", type=int, help="rows of fact columns (default 1,000,000)")
    parser.add_argument("--referrals", type=int, help="referrals for evaluate_many (default 100,000)")
    args = parser.parse_args()
    n_rows = args.rows or (100_000 if args.quick else 1_000_000)
    n_many = args.referrals or (10_000 if args.quick else 100_000)
    n_native = 20_000 if not args.quick else 5_000
    repeat = 3 if args.quick else 5

    print(f"machine: {machine()}; numpy {np.__version__}")
    scheme = reciprocity.get_scheme("kent_rp")
    distinct = distinct_referrals(20_000)
    day = distinct[0].referred_on
    ruleset = scheme.ruleset(day)
    assert all(scheme.ruleset(r.referred_on) is ruleset for r in distinct), "one rule set for every row"
    base = [ruleset.facts_for(r, r.referred_on) for r in distinct]
    pick = np.random.default_rng(SEED).integers(0, len(base), n_rows)
    columnar, native = get_engine("columnar"), get_engine("native")

    start = time.perf_counter()
    arrow = columns_of(ruleset, base, arrow_lists=True).take(pick)
    whole = columns_of(ruleset, base, arrow_lists=False).take(pick)
    built = time.perf_counter() - start

    sample = [base[i] for i in pick[:n_native].tolist()]
    check = columnar.run_columns(ruleset, arrow.take(np.arange(n_native)))
    for i, facts in enumerate(sample):
        assert check.verdicts(i) == list(native.run(ruleset, facts)), f"row {i} differs from native"
    print(f"columnar agrees with native on {n_native:,} rows (every rule's status and missing facts)")

    gc.collect()
    first, col_arrow = best(lambda: columnar.run_columns(ruleset, arrow), repeat)
    _, col_whole = best(lambda: columnar.run_columns(ruleset, whole), repeat)

    def natively() -> list[Any]:  # the outcome and verdicts, as a batch gives them
        return [build_decision(ruleset, native.run(ruleset, facts), facts, on=day, referral_id=None,
                               engine="native").outcome for facts in sample]

    _, nat = best(natively, 3)
    per_s = {"arrow": n_rows / col_arrow, "whole": n_rows / col_whole, "native": n_native / nat}

    print()
    print(f"kent_rp, outcome and every rule's status, {n_rows:,} rows ({len(ruleset.rules)} rules; best of {repeat}):")
    print(f"  (a) columnar, lists as offsets      {per_s['arrow']:>12,.0f} decisions/s  "
          f"({col_arrow:.3f} s; first run {first:.3f} s)")
    print(f"      columnar, lists coded whole     {per_s['whole']:>12,.0f} decisions/s  ({col_whole:.3f} s)")
    print(f"  (b) native, row by row              {per_s['native']:>12,.0f} decisions/s  "
          f"(over {n_native:,} of the rows)")
    print("  (c) OpenFisca (peer)                 not measured here yet: openfisca-core is not installed "
          "(issue 16 asks for a benchmark-only extra); the issue recorded about 2,300,000/s")
    print(f"  a/b = {per_s['arrow'] / per_s['native']:,.0f}x   (columnar against native, same facts, same run)")
    print(f"  building the columns from {len(base):,} distinct rows' facts and indexing them: {built:.2f} s "
          "(not in the figures)")

    many = referrals(n_many)  # as benchmarks/bench.py: 2,000 variants, cycled
    for engine in ("native", "columnar"):  # once each first: imports, rule sets, plans
        reciprocity.evaluate_many("kent_rp", many[:200], engine=engine)
    timings = {}
    for engine in ("native", "columnar", "native", "columnar"):
        gc.collect()
        start = time.perf_counter()
        decisions = reciprocity.evaluate_many("kent_rp", many, engine=engine)
        timings[engine] = min(timings.get(engine, float("inf")), time.perf_counter() - start)
        del decisions
    print()
    print(f"evaluate_many, full decisions, {n_many:,} referrals (best of 2):")
    for engine in ("native", "columnar"):
        print(f"  {engine:<9} {n_many / timings[engine]:>10,.0f} decisions/s  ({timings[engine]:.2f} s)")
    print(f"  columnar/native = {timings['native'] / timings['columnar']:.2f}x")


if __name__ == "__main__":
    main()
