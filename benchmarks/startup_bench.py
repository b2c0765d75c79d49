"""Command-line start-up benchmark: run `python benchmarks/startup_bench.py` (not part of the tests).

Prints the median wall time of a few runs of each command below, and its ratio to
`python -c pass` (the interpreter's own start, the floor):

  python -c pass
  python -c "import reciprocity"
  reciprocity --help
  reciprocity case --help
  reciprocity schemes

The commands run with this interpreter and this environment (so PYTHONPATH, if set, chooses the
sources measured); `reciprocity` is the console script beside the interpreter when there is
one, else `python -c "from reciprocity.cli import main; main()"`.

Options: --runs N (default 5).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _reciprocity() -> list[str]:
    script = Path(sys.executable).with_name("reciprocity")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from reciprocity.cli import main; main()"]


def wall(command: list[str], runs: int) -> float:
    """Median wall-clock milliseconds of running ``command`` ``runs`` times (after one warm-up
    run, so the file cache is warm for every command alike)."""
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per command (default 5)")
    runs = parser.parse_args().runs

    python = [sys.executable]
    cli = _reciprocity()
    commands = [
        ("python -c pass", [*python, "-c", "pass"]),
        ("python -c 'import reciprocity'", [*python, "-c", "import reciprocity"]),
        ("reciprocity --help", [*cli, "--help"]),
        ("reciprocity case --help", [*cli, "case", "--help"]),
        ("reciprocity schemes", [*cli, "schemes"]),
    ]
    print(f"Python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs; "
          f"median of {runs} runs")
    if os.environ.get("PYTHONPATH"):
        print(f"PYTHONPATH={os.environ['PYTHONPATH']}")
    base = None
    for label, command in commands:
        ms = wall(command, runs)
        base = base or ms
        print(f"{label:34} {ms:7.1f} ms  {ms / base:5.1f}x python -c pass")


if __name__ == "__main__":
    main()
