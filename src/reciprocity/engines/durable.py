"""The durable_rules engine: the very same rule declarations, run on durable_rules.

Each scheme's rule set in force is compiled once into a durable_rules ruleset on a private
host (:class:`_QuietHost`). Every rule becomes up to four durable rules: its ``when`` and its
``require`` condition, each as "definitely true" and "definitely false"
(:mod:`reciprocity.engines.translate`). One evaluation asserts one message holding every fact
in a fresh session; the actions that fire record which tests matched, and the shared
:func:`~reciprocity.engines.native.combine` turns them into verdicts, so both engines decide
through the same three-valued logic. The durable_rules behaviours the adapter guards against
(see docs/engines.md): one session per evaluation, deleted afterwards (at most 1024 may live
at once); a random evaluation id checked inside every action (sessions are told apart by a
32-bit hash); exceptions raised in actions caught and re-raised to the caller (durable_rules
would store them in the session and, measured here, loop); one lock around the engine.
"""

from __future__ import annotations

import itertools
import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from reciprocity.decision import Status
from reciprocity.engines.base import Verdict
from reciprocity.engines.native import combine
from reciprocity.engines.translate import ALWAYS, definitely, encode_facts
from reciprocity.errors import ReciprocityError
from reciprocity.rules.expr import Env
from reciprocity.rules.scheme import RuleSet

try:  # durable_rules 2.0.28 does not import on Python 3.13+ (undefined PyEval_CallObject)
    from durable import engine as _durable
except Exception as error:  # noqa: BLE001 - any failure means the engine cannot run here
    _durable = None
    IMPORT_ERROR: str | None = f"{type(error).__name__}: {error}"
else:
    IMPORT_ERROR = None

__all__ = ["IMPORT_ERROR", "DurableEngine", "DurableEngineError", "IdentityMismatchError"]

# Which test of a rule an action reports: when true/false, require true/false.
WHEN_TRUE, WHEN_FALSE, REQUIRE_TRUE, REQUIRE_FALSE = range(4)
_SEEN = "seen"


class DurableEngineError(ReciprocityError):
    """durable_rules misbehaved; the evaluation was abandoned rather than trusted."""


class IdentityMismatchError(DurableEngineError):
    """An action saw a message from another evaluation (a session id collision)."""


if _durable is not None:

    class _QuietHost(_durable.Host):  # type: ignore[misc]
        """A durable_rules host without its timer threads: every action runs in our call."""

        def _run(self) -> None:
            """Start no background dispatch; this adapter uses neither timers nor queues."""


@attrs.define
class _Compiled:
    name: str


@attrs.define
class _Evaluation:
    eid: str
    flags: list[list[bool]]
    seen: bool = False


class DurableEngine:
    """Evaluates rule sets on durable_rules; answers must equal the native engine's."""

    name = "durable"

    def __init__(self) -> None:
        if _durable is None:
            raise DurableEngineError(f"durable_rules cannot be imported: {IMPORT_ERROR}")
        self._lock = threading.Lock()
        self._host: Any = None
        self._compiled: dict[int, tuple[RuleSet, _Compiled]] = {}
        self._names = itertools.count(1)
        self._current: _Evaluation | None = None
        self._errors: list[BaseException] = []

    # --- compiling -------------------------------------------------------------------

    def _ruleset(self, ruleset: RuleSet) -> _Compiled:
        cached = self._compiled.get(id(ruleset))
        if cached is not None and cached[0] is ruleset:
            return cached[1]
        if self._host is None:
            self._host = _QuietHost()
        # Names are unique per compiled rule set: durable_rules cannot delete or replace one.
        name = f"reciprocity_{ruleset.scheme.id}_{next(self._names)}"
        definition: dict[str, Any] = {_SEEN: {"all": [{"m": ALWAYS}], "run": self._action(-1, 0)}}
        for index, rule in enumerate(ruleset.rules):
            tests = [(REQUIRE_TRUE, rule.require, True), (REQUIRE_FALSE, rule.require, False)]
            if rule.when is not None:
                tests += [(WHEN_TRUE, rule.when, True), (WHEN_FALSE, rule.when, False)]
            for flag, condition, truth in tests:
                definition[f"r{index}_{flag}"] = {
                    "all": [{"m": definitely(condition, truth, ruleset.params)}],
                    "run": self._action(index, flag),
                }
        self._host.set_rulesets({name: definition})
        compiled = _Compiled(name=name)
        self._compiled[id(ruleset)] = (ruleset, compiled)
        return compiled

    def _action(self, index: int, flag: int) -> Callable[[Any], None]:
        def action(c: Any) -> None:
            # Nothing may escape into durable_rules: it would keep the error in the session.
            try:
                self._record(c.m["eid"], index, flag)
            except BaseException as error:  # noqa: BLE001
                self._errors.append(error)

        return action

    def _record(self, eid: Any, index: int, flag: int) -> None:
        current = self._current
        if current is None or eid != current.eid:
            raise IdentityMismatchError(
                "durable_rules delivered a message from another evaluation; the result was discarded"
            )
        if index < 0:
            current.seen = True
        else:
            current.flags[index][flag] = True

    # --- evaluating ------------------------------------------------------------------

    def _message(self, ruleset: RuleSet, facts: Mapping[str, Any], eid: str) -> dict[str, Any]:
        message = encode_facts({name: facts[name] for name in ruleset.fact_names})
        message["sid"] = eid
        message["eid"] = eid
        return message

    def run(self, ruleset: RuleSet, facts: Mapping[str, Any]) -> Sequence[Verdict]:
        with self._lock:
            compiled = self._ruleset(ruleset)
            eid = secrets.token_hex(16)
            evaluation = _Evaluation(eid=eid, flags=[[False] * 4 for _ in ruleset.rules])
            self._current, self._errors = evaluation, []
            try:
                self._host.assert_fact(compiled.name, self._message(ruleset, facts, eid))
            except Exception as error:
                raise DurableEngineError(f"durable_rules failed: {type(error).__name__}: {error}") from error
            finally:
                self._current = None
                try:
                    self._host.delete_state(compiled.name, eid)
                except Exception:  # noqa: BLE001, S110 - a state that was never created
                    pass
            if self._errors:
                raise self._errors[0]
            if not evaluation.seen:
                raise DurableEngineError("durable_rules did not process the evaluation's message")
        return self._verdicts(ruleset, facts, evaluation.flags)

    def _verdicts(self, ruleset: RuleSet, facts: Mapping[str, Any], flags: list[list[bool]]) -> list[Verdict]:
        env = Env(facts=facts, params=ruleset.params)
        verdicts: list[Verdict] = []
        for rule, fired in zip(ruleset.rules, flags, strict=True):
            if (fired[WHEN_TRUE] and fired[WHEN_FALSE]) or (fired[REQUIRE_TRUE] and fired[REQUIRE_FALSE]):
                raise DurableEngineError(f"rule {rule.id} was both true and false: a translation bug")
            applies = True if rule.when is None else _tri(fired[WHEN_TRUE], fired[WHEN_FALSE])
            holds = _tri(fired[REQUIRE_TRUE], fired[REQUIRE_FALSE])
            status, _ = combine(applies, frozenset(), holds, frozenset())
            missing: frozenset[str] = frozenset()
            if status is Status.NEEDS_INFORMATION:
                # durable_rules says the rule is undecided; which facts would decide it is
                # explanation, worked out from the same facts by the shared evaluator.
                applies_missing = rule.when.evaluate(env)[1] if rule.when is not None and applies is None else frozenset()
                holds_missing = rule.require.evaluate(env)[1] if holds is None else frozenset()
                status, missing = combine(applies, applies_missing, holds, holds_missing)
            verdicts.append((status, missing))
        return verdicts


def _tri(true: bool, false: bool) -> bool | None:
    return True if true else False if false else None
