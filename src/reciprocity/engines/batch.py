"""A batch's verdicts from the columnar engine: status arrays, outcomes, and decisions on demand.

A :class:`Batch` holds, per rule and row, a status code and the bits of the missing facts (as
:mod:`reciprocity.engines.columnar` computed them), and the outcome of each row, decided as
:func:`~reciprocity.decision.build_decision` decides it: ineligible where a rule that excludes
is not met, otherwise needs information where a rule is open (or not met, but only for
review), otherwise eligible. Any row expands into the decision the native engine would make.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from reciprocity.decision import Decision, Status, build_decision
from reciprocity.engines.base import Verdict
from reciprocity.engines.columns import FactColumns
from reciprocity.rules.rule import Outcome

__all__ = ["ENGINE_NAME", "OUTCOMES", "STATUSES", "Batch"]

#: The name decisions of a batch carry (``Decision.engine``).
ENGINE_NAME = "columnar"
#: What the codes of :attr:`Batch.status` and :attr:`Batch.outcome` stand for.
STATUSES: tuple[Status, ...] = (Status.MET, Status.NOT_MET, Status.NEEDS_INFORMATION, Status.NOT_APPLICABLE)
OUTCOMES: tuple[Outcome, ...] = (Outcome.ELIGIBLE, Outcome.INELIGIBLE, Outcome.NEEDS_INFORMATION)
MET, NOT_MET, NEEDS, NOT_APPLICABLE = range(4)
_ELIGIBLE, _INELIGIBLE, _OPEN = range(3)
_NONE: frozenset[str] = frozenset()


class Batch:
    """The columnar engine's verdicts on one rule set over a batch of rows.

    ``status[r, i]`` is rule ``r``'s status on row ``i`` as a code into :data:`STATUSES`;
    ``missing[r, i]`` the bits of the facts it needs (:meth:`missing_facts` names them);
    ``outcome[i]`` a code into :data:`OUTCOMES`, as :func:`~reciprocity.decision.build_decision`
    would decide it. :meth:`decision` expands one row into the full decision.
    """

    def __init__(self, plan: Any, status: np.ndarray, missing: np.ndarray, facts: FactColumns,
                 rows: Sequence[Mapping[str, Any]] | None) -> None:
        self._plan = plan
        self.ruleset = plan.ruleset
        self.status = status
        self.missing = missing
        self.columns = facts
        self._rows = rows
        ineligible = (status[plan.on_fail_ineligible] == NOT_MET).any(axis=0)
        open_ = ((status == NEEDS) | (status == NOT_MET)).any(axis=0)
        self.outcome = np.where(ineligible, _INELIGIBLE, np.where(open_, _OPEN, _ELIGIBLE)).astype(np.int8)

    def __len__(self) -> int:
        return self.status.shape[1]

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.ruleset.rules)

    @property
    def fact_names(self) -> tuple[str, ...]:
        """The facts the missing bits stand for, lowest bit first."""
        return self._plan.names

    def outcomes(self) -> list[Outcome]:
        return [OUTCOMES[code] for code in self.outcome.tolist()]

    def statuses(self, rule: int | str) -> list[Status]:
        """One rule's status in every row (by index or id)."""
        return [STATUSES[code] for code in self.status[self._rule_index(rule)].tolist()]

    def missing_facts(self, rule: int | str, row: int) -> frozenset[str]:
        return self._plan.names_of(self.missing[self._rule_index(rule), row])

    def verdicts(self, row: int) -> list[Verdict]:
        """Row ``row``'s verdicts, as the native engine's ``run`` returns them."""
        names_of = self._plan.names_of
        return [(STATUSES[code], names_of(self.missing[r, row]) if code == NEEDS else _NONE)
                for r, code in enumerate(self.status[:, row].tolist())]

    def facts(self, row: int) -> Mapping[str, Any]:
        """The facts of row ``row`` (the row given, or read back from the columns)."""
        if self._rows is not None:
            return self._rows[row]
        return self.columns.row(row, self.ruleset.fact_names)

    def decision(self, row: int, *, on: date, referral_id: str | None = None) -> Decision:
        """The full decision for one row: the very decision the native engine makes."""
        return build_decision(self.ruleset, self.verdicts(row), self.facts(row), on=on,
                              referral_id=referral_id, engine=ENGINE_NAME)

    def decisions(self, *, on: date | Sequence[date], referral_ids: Sequence[str | None] | None = None) -> list[Decision]:
        """Every row's decision (``on``: one date, or one per row). Rows with the same
        verdicts share one verdict tuple; findings are built when read, as always."""
        n = len(self)
        days = [on] * n if isinstance(on, date) else list(on)
        ids = [None] * n if referral_ids is None else list(referral_ids)
        if len(days) != n or len(ids) != n:
            raise ValueError("give one date and one referral id per row")
        kinds, first = self._verdict_kinds()
        shared = [tuple(self.verdicts(i)) for i in first]
        ruleset, engine = self.ruleset, ENGINE_NAME
        return [
            Decision(ruleset, shared[kind], self.facts(i), outcome=OUTCOMES[outcome], on=day,
                     referral_id=rid, engine=engine)
            for i, (kind, outcome, day, rid) in enumerate(zip(kinds, self.outcome.tolist(), days, ids, strict=True))
        ]

    def _verdict_kinds(self) -> tuple[list[int], list[int]]:
        """Per row, which distinct list of verdicts it has; and one row of each.

        Each rule's verdict is coded as its status and, packed into a few bits, which of the
        facts it misses in some row it misses in each; the codes of all rules make one integer key per row
        (re-numbered whenever it would outgrow 62 bits), and the keys are told apart by one sort.
        """
        if not len(self):
            return [], []
        key = np.zeros(len(self), dtype=np.int64)
        width = 0
        for r in range(len(self.ruleset.rules)):
            code = self.status[r].astype(np.int64)
            bits = 2
            for name in self._plan.names_of(np.bitwise_or.reduce(self.missing[r], axis=0)):
                code |= self._has(r, name).astype(np.int64) << bits
                bits += 1
            if width + bits > 62:
                key = np.unique(key, return_inverse=True)[1].reshape(-1).astype(np.int64)
                width = int(key.max()).bit_length()
                if width + bits > 62:  # one rule reading some 60 facts: tell its verdicts apart by sorting
                    code = np.unique(code, return_inverse=True)[1].reshape(-1).astype(np.int64)
                    bits = max(int(code.max()).bit_length(), 1)
            key = (key << bits) | code
            width += bits
        _, first, kinds = np.unique(key, return_index=True, return_inverse=True)
        return kinds.reshape(-1).tolist(), first.tolist()

    def _has(self, rule: int, name: str) -> np.ndarray:
        """Whether rule ``rule`` misses fact ``name``, row by row."""
        i = self._plan.bit[name]
        word, shift = (i // 64, i % 64) if self._plan.words > 1 else (0, i)
        return (self.missing[rule, :, word] >> self._plan.dtype.type(shift)) & self._plan.dtype.type(1)

    def _rule_index(self, rule: int | str) -> int:
        if isinstance(rule, int):
            return rule
        return self.rule_ids.index(rule)

    def __repr__(self) -> str:
        return f"<Batch {self.ruleset.scheme.id}: {len(self.ruleset.rules)} rules over {len(self)} rows>"
