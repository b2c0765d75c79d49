"""``reciprocity simulate``: a caseload decided under a scheme and under a reform of it.

Prints the transition table (baseline outcome down, reformed across), the rules that changed
status and how often; ``--out`` writes one row per referral (CSV or Parquet by the suffix),
``--chart`` the flows (PNG or SVG; needs ``reciprocity[charts]``). See docs/simulation.md.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from reciprocity.cli.options import date_value, json_option, print_json, scheme_option
from reciprocity.cli.render import console, plain
from reciprocity.errors import InputProblem, InvalidInputError

__all__ = ["simulate_command"]

_OUT_FORMATS = (".csv", ".parquet")


@click.command("simulate")
@click.argument("caseload", type=click.Path(path_type=Path, dir_okay=False))
@scheme_option
@click.option("--reform", "reform_file", type=click.Path(path_type=Path, dir_okay=False),
              help="A reform file (YAML or JSON, see docs/simulation.md); without one, the baseline only.")
@click.option("--on", "on", callback=date_value, metavar="DATE",
              help="Decide every referral on this date (YYYY-MM-DD); default: the reform's applies_from, "
                   "or each referral's own date without a reform.")
@click.option("--skip-bad-rows", is_flag=True,
              help="Leave out rows that are not valid referrals (each is listed) instead of stopping.")
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write one row per referral (baseline, reformed, rules changed) to this .csv or .parquet file.")
@click.option("--chart", "chart_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Draw the flows between outcomes into this .png or .svg file.")
@json_option
def simulate_command(caseload: Path, scheme_id: str, reform_file: Path | None, on: date | None,
                     skip_bad_rows: bool, out_file: Path | None, chart_file: Path | None, as_json: bool) -> None:
    """Decide the referrals in CASELOAD (.jsonl, .csv or .parquet) under a scheme and a reform of it.

    Exit 0 when the run completes, whatever the outcomes; 2 for a mistake in the input (a bad
    row, without --skip-bad-rows, is named by its row and field, never its values).
    """
    from reciprocity.caseloads import read_caseload  # noqa: PLC0415
    from reciprocity.plugins import get_scheme  # noqa: PLC0415
    from reciprocity.reforms import load_reform  # noqa: PLC0415
    from reciprocity.reforms.simulate import simulate  # noqa: PLC0415
    from reciprocity.reports.chart import chart_format, require_charts  # noqa: PLC0415

    get_scheme(scheme_id)
    if out_file is not None and out_file.suffix.lower() not in _OUT_FORMATS:
        raise InvalidInputError("--out", [InputProblem("--out", "must end in .csv or .parquet",
                                                       "name the file, e.g. results.csv")])
    if chart_file is not None:
        chart_format(chart_file)
        require_charts()
    reform = load_reform(reform_file) if reform_file is not None else None
    loaded = read_caseload(caseload, on_error="skip" if skip_bad_rows else "fail", scheme_id=scheme_id)
    out = console()
    if loaded.skipped and not as_json:
        out.print(plain(loaded.report()))
    with _progress(out, len(loaded)) as advance:
        result = simulate(scheme_id, loaded, reform=reform, on=on, progress=advance)
    if out_file is not None:
        _write(result.records(), out_file)
    if chart_file is not None:
        from reciprocity.reforms.chart import write_flow_chart  # noqa: PLC0415

        write_flow_chart(result, chart_file)
    if as_json:
        print_json({"scheme": scheme_id, "reform": result.reform_id, "on": result.on.isoformat() if result.on else None,
                    "baseline": result.baseline_version, "reformed": result.reformed_version,
                    "referrals": len(result.rows), "moved": len(result.moved),
                    "skipped": [{"row": r.row, "fields": [p.path for p in r.problems]} for r in loaded.skipped],
                    "transitions": [{"baseline": a.value, "reformed": b.value, "count": n}
                                    for (a, b), n in result.transitions.items()],
                    "rules_changed": result.rule_changes()})
        return
    _show(out, result)


def _progress(out: Any, total: int) -> Any:
    """A progress bar on a terminal for long runs (rich), nothing otherwise."""
    from contextlib import contextmanager  # noqa: PLC0415

    @contextmanager
    def bar() -> Any:
        if total < 5000 or not out.is_terminal:
            yield None
            return
        from rich.progress import Progress  # noqa: PLC0415

        with Progress(console=out, transient=True) as progress:
            task = progress.add_task("deciding", total=total)
            yield lambda done: progress.update(task, completed=done)

    return bar()


def _write(records: list[dict[str, Any]], path: Path) -> None:
    try:
        if path.suffix.lower() == ".parquet":
            try:
                import pyarrow as pa  # noqa: PLC0415 - only Parquet needs it
                import pyarrow.parquet as pq  # noqa: PLC0415
            except ImportError:
                from reciprocity.caseloads import MissingExtraError  # noqa: PLC0415

                raise MissingExtraError("writing a .parquet file needs pyarrow, which is not installed: "
                                        "pip install 'reciprocity[simulation]'") from None
            pq.write_table(pa.Table.from_pylist(records), path)
            return
        import csv  # noqa: PLC0415

        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(records[0]) if records else ["row"])
            writer.writeheader()
            writer.writerows(records)
    except OSError as error:
        raise InvalidInputError("--out", [InputProblem("--out", f"cannot be written ({error.strerror or 'error'})",
                                                       "check the folder exists and may be written")]) from None


def _show(out: Any, result: Any) -> None:
    from rich.table import Table  # noqa: PLC0415

    when = f"decided on {result.on.isoformat()}" if result.on else "each decided on its own date"
    out.print(plain(f"{len(result.rows)} referrals to {result.scheme_id}, {when}"))
    out.print(plain(f"baseline: {result.baseline_version}"))
    if result.reform_id:
        out.print(plain(f"reformed: {result.reformed_version}"))
    rows = result.table()
    table = Table(*rows[0])
    for row in rows[1:]:
        table.add_row(*row)
    out.print(table)
    out.print(plain(f"{len(result.moved)} referral(s) change outcome"))
    for rule, count in result.rule_changes().items():
        out.print(plain(f"  {rule}: changes status for {count}"))
