"""What-if: a caseload decided under a scheme as it is and under a reform, side by side.

``simulate(scheme_id, caseload, reform=...)`` decides every referral twice, on the same date:
under the scheme (the baseline) and under the scheme with the reform applied. Each row says
both outcomes and which rules changed status; the totals are a transition table (how many
went from eligible to needs information, and so on).

The date decided: ``on`` when given; otherwise, with a reform, its ``applies_from`` date (the
question a review asks: "had this been in force, what would these referrals have got?"), and
without one each referral's own ``referred_on``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from reciprocity.decision import Decision, Outcome, Status
from reciprocity.engines import get_engine
from reciprocity.errors import InputProblem, InvalidInputError
from reciprocity.inputs import coerce_referral
from reciprocity.model.referral import Referral
from reciprocity.reforms.reform import Reform, apply_reform
from reciprocity.rules import Scheme

__all__ = ["OUTCOMES", "RowResult", "Simulation", "simulate"]

#: The outcomes in the order tables list them.
OUTCOMES: tuple[Outcome, ...] = (Outcome.ELIGIBLE, Outcome.NEEDS_INFORMATION, Outcome.INELIGIBLE)


@attrs.frozen
class RowResult:
    """One referral of the caseload: its row (the caseload's row number, or its index in a plain
    list), its outcome before and after, and the rules that changed (rule id, status before,
    status after; a rule only one side has is ``None`` on the other)."""

    row: int
    referral_id: str | None
    baseline: Outcome
    reformed: Outcome
    changed: tuple[tuple[str, Status | None, Status | None], ...]

    @property
    def moved(self) -> bool:
        """Whether the outcome changed."""
        return self.baseline is not self.reformed


@attrs.frozen
class Simulation:
    """A caseload decided under a scheme and a reform of it (or under the scheme alone)."""

    scheme_id: str
    reform_id: str | None
    on: date | None
    baseline_version: str
    reformed_version: str
    rows: tuple[RowResult, ...]

    @property
    def transitions(self) -> dict[tuple[Outcome, Outcome], int]:
        """How many referrals went from each baseline outcome to each reformed outcome."""
        counts = Counter((r.baseline, r.reformed) for r in self.rows)
        return {(a, b): counts[(a, b)] for a in OUTCOMES for b in OUTCOMES}

    @property
    def moved(self) -> tuple[RowResult, ...]:
        """The referrals whose outcome changed."""
        return tuple(r for r in self.rows if r.moved)

    def rule_changes(self) -> dict[str, int]:
        """For each rule, how many referrals it changed status for."""
        counts: Counter[str] = Counter(rule for r in self.rows for rule, _, _ in r.changed)
        return dict(sorted(counts.items()))

    def table(self) -> list[list[str]]:
        """The transition table as rows of text: baseline outcome down, reformed across."""
        out = [["baseline \\ reformed", *(o.value for o in OUTCOMES), "total"]]
        for a in OUTCOMES:
            row = [self.transitions[(a, b)] for b in OUTCOMES]
            out.append([a.value, *(str(n) for n in row), str(sum(row))])
        columns = [sum(self.transitions[(a, b)] for a in OUTCOMES) for b in OUTCOMES]
        out.append(["total", *(str(n) for n in columns), str(len(self.rows))])
        return out

    def markdown(self) -> str:
        """The transition table as a Markdown table, then the rules that changed status."""
        rows = self.table()
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        changed = self.rule_changes()
        lines += ["", f"{len(self.moved)} of {len(self.rows)} referrals change outcome."]
        if changed:
            lines += ["Rules whose status changed: " + "; ".join(f"`{r}` ({n})" for r, n in changed.items()) + "."]
        return "\n".join(lines) + "\n"

    def records(self) -> list[dict[str, Any]]:
        """One flat record per referral (for CSV or Parquet)."""
        return [{"row": r.row, "referral_id": r.referral_id, "baseline": r.baseline.value,
                 "reformed": r.reformed.value, "moved": r.moved,
                 "rules_changed": ";".join(f"{rule}:{_s(a)}>{_s(b)}" for rule, a, b in r.changed)}
                for r in self.rows]


def _s(status: Status | None) -> str:
    return "absent" if status is None else status.value


def simulate(
    scheme_id: str,
    caseload: Iterable[Referral | Mapping[str, Any]],
    *,
    reform: Reform | None = None,
    on: date | None = None,
    engine: str | None = None,
    progress: Callable[[int], None] | None = None,
    scheme: Scheme | None = None,
) -> Simulation:
    """Decide ``caseload`` under scheme ``scheme_id`` and under ``reform`` (see the module's
    docstring for the date). A bad referral raises InvalidInputError whose paths start with its
    row (``[12].risk.assessed_by``). ``engine`` left out decides as :func:`reciprocity.evaluate_many`
    does (the columnar engine for large groups where numpy is installed, else native: the same
    answers). ``progress`` is called with the rows done after each side. ``scheme`` overrides the
    registered scheme (a scheme object not installed)."""
    from reciprocity.api import check_scheme, decide_many_with  # noqa: PLC0415 - the API sits beside this module
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    base = scheme or get_scheme(scheme_id)
    reformed = apply_reform(base, reform) if reform is not None else base
    day = on or (reform.applies_from if reform is not None else None)
    if engine is not None:
        get_engine(engine)  # an unknown engine is named before any work
    numbers = [r.row for r in caseload.rows] if hasattr(caseload, "rows") else None
    referrals: list[Referral] = []
    for index, raw in enumerate(caseload):
        try:
            referrals.append(check_scheme(coerce_referral(raw), base.id))
        except InvalidInputError as error:
            raise InvalidInputError(error.what, [
                InputProblem(f"[{index}].{p.path}" if p.path else f"[{index}]", p.message, p.hint)
                for p in error.problems]) from None
    before = decide_many_with(base, referrals, on=day, engine=engine)
    if progress is not None:
        progress(len(referrals) // 2 if reformed is not base else len(referrals))
    after = before if reformed is base else decide_many_with(reformed, referrals, on=day, engine=engine)
    rows = [RowResult(numbers[i] if numbers is not None else i, referral.id, b.outcome, a.outcome, _changed(b, a))
            for i, (referral, b, a) in enumerate(zip(referrals, before, after, strict=True))]
    if progress is not None:
        progress(len(rows))
    versions = (_version(base, day, rows), _version(reformed, day, rows))
    return Simulation(scheme_id, reform.id if reform else None, day, versions[0], versions[1], tuple(rows))


def _version(scheme: Scheme, day: date | None, rows: list[RowResult]) -> str:
    if day is None:
        return f"{scheme.id} {scheme.version} (each referral's own date)"
    return scheme.ruleset(day).version if rows else f"{scheme.id} {scheme.version}"


def _changed(before: Decision, after: Decision) -> tuple[tuple[str, Status | None, Status | None], ...]:
    was = {f.rule_id: f.status for f in before.findings}
    now = {f.rule_id: f.status for f in after.findings}
    return tuple((rule, was.get(rule), now.get(rule)) for rule in dict.fromkeys([*was, *now])
                 if was.get(rule) is not now.get(rule))
