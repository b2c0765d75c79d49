"""Reading a 100,000-row Parquet caseload: rows per second, and where the time goes.

    .venv/bin/python benchmarks/caseload_bench.py [--rows 100000] [--distinct 5000] [--scheme kent_rp] [--repeat 3]

The caseload is synthetic (``reciprocity.caseloads.synthetic``, seed 1): ``--distinct``
referrals (60% eligible, the rest failing one rule each) drawn once, then repeated with a
fresh id each to ``--rows`` rows, written flat (dotted columns) with ``write_caseload``.
Drawing 100,000 distinct referrals would take a couple of minutes and measure the drawing,
not the reading; the reader does the same work for a repeated row as for a new one.

Printed, best of ``--repeat`` runs: ``read_caseload`` end to end (rows/s), and its parts on
the same file: pyarrow's decoding alone (the columns to Python lists), and validating the
rows' documents with ``Referral.model_validate`` alone (the referrals kept, as the reader
keeps them), so the share of each is plain.
Also CSV and JSON Lines of the same rows, for comparison. This is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from pathlib import Path


def _best(repeat: int, run: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=5_000)
    parser.add_argument("--scheme", default="kent_rp")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import pyarrow.parquet as pq

    from reciprocity.caseloads import read_caseload, synthetic, write_caseload
    from reciprocity.model import Referral

    start = time.perf_counter()
    drawn = synthetic(args.scheme, min(args.distinct, args.rows), seed=1).referrals
    drew = time.perf_counter() - start
    rows = [drawn[i % len(drawn)].model_copy(update={"id": f"case_{i}"}) for i in range(args.rows)]
    print(f"drew {len(drawn):,} distinct {args.scheme} referrals in {drew:.1f} s "
          f"({len(drawn) / drew:,.0f}/s); caseload of {len(rows):,} rows")

    with tempfile.TemporaryDirectory() as folder:
        paths = {fmt: write_caseload(rows, Path(folder) / f"caseload.{fmt}") for fmt in ("parquet", "csv", "jsonl")}
        sizes = {fmt: path.stat().st_size for fmt, path in paths.items()}
        parquet = paths["parquet"]
        print(f"parquet: {sizes['parquet'] / 1e6:.1f} MB, {len(pq.read_schema(parquet).names)} columns")

        def read() -> None:
            assert len(read_caseload(parquet)) == args.rows

        def decode() -> None:
            table = pq.read_table(parquet)
            for column in table.columns:
                column.to_pylist()

        documents = [r.model_dump(mode="json", exclude_defaults=True) for r in rows]

        def validate() -> None:
            # Kept, with the garbage collector paused, as read_caseload keeps and pauses.
            collecting = gc.isenabled()
            gc.disable()
            try:
                kept = [Referral.model_validate(document) for document in documents]
            finally:
                if collecting:
                    gc.enable()
            assert len(kept) == args.rows

        whole = _best(args.repeat, read)
        print(f"read_caseload parquet: {whole:.2f} s, {args.rows / whole:,.0f} rows/s")
        decoding = _best(args.repeat, decode)
        print(f"  of which pyarrow decoding to Python lists: {decoding:.2f} s ({decoding / whole:.0%})")
        validating = _best(args.repeat, validate)
        print(f"  of which Referral.model_validate of the documents: {validating:.2f} s ({validating / whole:.0%})")
        for fmt in ("csv", "jsonl"):
            took = _best(1, lambda fmt=fmt: read_caseload(paths[fmt]))
            print(f"read_caseload {fmt}: {took:.2f} s, {args.rows / took:,.0f} rows/s ({sizes[fmt] / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
