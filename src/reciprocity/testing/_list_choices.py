"""The builder's choices of list facts, and a scheme's own facts computed from one (see _lists).

A count test of the rule language (``fact("requested_areas").count().ge(6)``) is read by
:class:`~reciprocity.testing._lists._ListNeeds` as a length limit. A scheme may instead
count through a derived fact (a number computed from ``requested_areas``, say). The
builder cannot choose such a fact's value, only the list it is computed from, so the fact
is tried on lists of every length the list's own tests allow (:class:`_Probe`,
:func:`~reciprocity.testing._lists.sizes_passing`) and only lengths that pass are drawn; a
fact that also depends on which elements are held is checked again on the list drawn.
When no length passes and nothing drawn before matters, that is a contradiction of the
plan, reported with the fewest tests that still admit no length. This relies on the fact's
``reads`` naming every referral field it reads.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reciprocity.model import Referral
from reciprocity.rules import FactContext, FactSpec
from reciprocity.rules.logic import MISSING
from reciprocity.testing._lists import (
    _Contradiction,
    _fewest,
    _ListNeeds,
    list_pool,
    sizes_passing,
)
from reciprocity.testing._plans import _BASE_FACT_NAMES, _Chooser, _Impossible, _Plan, _Test

if TYPE_CHECKING:
    from reciprocity.testing._builder import _Context

#: Lists drawn to meet a list fact's readable tests, before giving up on its other tests.
_LIST_TRIES = 8


# --- a scheme's own facts over a list --------------------------------------------------------


class _Probe:
    """A scheme's own facts computed from one field of a referral otherwise drawn.

    Each fact's ``reads`` names ``field`` and otherwise only fields drawn already; the facts
    are computed with each value tried in ``field``, on the referral drawn but for it.
    """

    def __init__(
        self,
        field: str,
        specs: Sequence[FactSpec],
        base: Referral,
        context: FactContext,
        plan: _Plan,
        known: Mapping[str, Any],
    ) -> None:
        self.field = field
        self.specs = tuple(specs)
        self.names = tuple(spec.name for spec in specs)
        self._base = base
        self._context = context
        self._plan = plan
        self._known = dict(known)
        self.tests = tuple(t for name in self.names for t in plan.by_fact[name])
        #: The facts read only ``field`` and their tests only them: a failure is the plan's.
        self.static = all(set(spec.reads) == {field} for spec in specs) and all(
            t.facts <= set(self.names) and len(t.facts) == 1 for t in self.tests
        )

    def passes(self, value: Any, plan: _Plan | None = None) -> bool:
        """Whether the facts computed with ``value`` pass the tests of ``plan`` (or the build's)."""
        plan = self._plan if plan is None else plan
        referral = self._base.model_copy(update={self.field: value})
        for spec in self.specs:
            computed = spec.compute(referral, self._context)
            if not plan.allows(spec.name, MISSING if computed is None else computed, self._known):
                return False
        return True


def probe_for(
    plan: _Plan, ctx: _Context, field: str, fields: Mapping[str, Any], known: Mapping[str, Any]
) -> _Probe | None:
    """The probe of the plan's scheme facts that read ``field`` and otherwise only ``fields``."""
    if ctx.scheme is None or ctx.ruleset is None:
        return None
    catalogue = ctx.scheme.fact_catalogue
    drawn = {*fields, field}
    specs = [
        catalogue[name]
        for name in plan.by_fact
        if name not in _BASE_FACT_NAMES
        and name in catalogue
        and field in catalogue[name].reads
        and all(read.split(".")[0] in drawn for read in catalogue[name].reads)
    ]
    if not specs:
        return None
    context = FactContext(on=ctx.day, params=dict(ctx.ruleset.params))
    return _Probe(field, specs, Referral(**fields), context, plan, known)


# --- drawing lists in a referral -------------------------------------------------------------

#: ``(others, n, needs)``: hold at most ``n`` of ``others``, which the list ``needs``
#: describes (drawn later, and never sharing an element) still needs.
_Keep = tuple[frozenset[Any], int, _ListNeeds]


class _ListDrawing:
    """The builder's choices of list facts (mixed into ``_Builder``, whose state it reads)."""

    c: _Chooser
    plan: _Plan
    ctx: _Context
    known: dict[str, Any]
    must_know: frozenset[str]
    needed_by: dict[str, tuple[_Test, ...]]

    def choose_set(
        self,
        name: str,
        elements: Sequence[Any],
        *,
        nullable: bool,
        to_fact: Callable[[Any], Any],
        max_extra: int = 3,
        prefer: Collection[Any] = (),
        free_pool: Sequence[Any] | None = None,
        avoid: Collection[Any] = (),
        keep: _Keep | None = None,
        probe: _Probe | None = None,
        sizes: Collection[int] | None = None,
    ) -> tuple[Any, ...] | None:
        """A list of distinct ``elements`` (never one of ``avoid``) meeting the plan's tests.

        A list no test reads is drawn directly: missing, or up to ``max_extra + 1`` of
        ``free_pool`` (default ``elements``), half the time only ``prefer``red ones, so
        that lists of areas are often all in the scheme. Otherwise its tests are read
        (:class:`_ListNeeds`) and a list meeting them is drawn, of any length they allow
        and ``probe`` (a scheme's own facts computed from this list) passes, or of one of
        ``sizes`` when those lengths are known already.
        """
        missing = None if nullable else ()
        if not self.plan.constrains(name) and name not in self.must_know:
            pool = [e for e in (elements if free_pool is None else free_pool) if e not in avoid]
            whole: tuple[Any, ...] | None = missing
            if self.c.coin():
                preferred = [e for e in pool if e in prefer]
                pool = preferred if preferred and self.c.coin() else pool
                whole = tuple(self.c.sublist(pool, max_extra + 1, min_size=0 if nullable else 1))
            self.known[name] = to_fact(whole)
            return whole
        needs = self.list_needs(name, [e for e in elements if e not in avoid], to_fact)
        whole = self._draw_list(needs, missing, to_fact, prefer, keep, probe, sizes)
        self.known[name] = to_fact(whole)
        return whole

    def list_needs(
        self, name: str, pool: Sequence[Any], to_fact: Callable[[Any], Any]
    ) -> _ListNeeds:
        """What the plan asks of list fact ``name``, given the facts drawn so far."""
        needs = _ListNeeds.read(
            self.plan, name, pool, self.known, empty_is_missing=to_fact(()) is MISSING
        )
        if tuple(pool) != list_pool(name, self.ctx.universe, self.ctx.harms):
            needs.static = False  # fewer to draw from because of earlier draws
        if name in self.must_know:
            needs.need_present(self.needed_by[name])
        elif needs.present is None and not self.plan.allows(name, MISSING, self.known):
            needs.need_present()
        return needs

    def needs_if_read(
        self, name: str, pool: Sequence[Any], to_fact: Callable[[Any], Any]
    ) -> _ListNeeds | None:
        """:meth:`list_needs`, or None when no test (nor a scheme's fact) reads the list."""
        if not self.plan.constrains(name) and name not in self.must_know:
            return None
        return self.list_needs(name, pool, to_fact)

    def list_possible(
        self, name: str, pool: Sequence[Any], known: Mapping[str, Any], *, given: bool
    ) -> bool:
        """Whether list fact ``name`` (empty counts as missing) can pass the plan's tests."""
        if self.plan.allows(name, MISSING, known):
            return True
        if not given:
            return False
        needs = _ListNeeds.read(self.plan, name, pool, known, empty_is_missing=True)
        return needs.present is not False and needs.conflict() is None

    def _draw_list(
        self,
        needs: _ListNeeds,
        missing: tuple[()] | None,
        to_fact: Callable[[Any], Any],
        prefer: Collection[Any],
        keep: _Keep | None,
        probe: _Probe | None,
        sizes: Collection[int] | None,
    ) -> tuple[Any, ...] | None:
        if needs.conflict() is not None:
            raise needs.contradiction()
        if needs.present is False or (needs.present is None and self.c.coin()):
            return missing
        room = keep[:2] if keep is not None else None
        if sizes is None and probe is not None:
            sizes = self.lengths(needs, probe, prefer, keep)
        for _ in range(_LIST_TRIES):
            whole = needs.draw(self.c, sizes=sizes, prefer=prefer, keep=room)
            if not needs.opaque or self.plan.allows(needs.name, to_fact(whole), self.known):
                return whole
        raise _Impossible(needs.name)

    def lengths(
        self, needs: _ListNeeds, probe: _Probe, prefer: Collection[Any], keep: _Keep | None = None
    ) -> list[int]:
        """The lengths of list ``needs`` allows that pass ``probe``; raises when there is none."""
        room = keep[:2] if keep is not None else None
        key = (id(self.plan), needs.signature(), room, tuple(prefer)) if probe.static else None
        sizes = self.ctx.sizes.get(key) if key is not None else None
        if sizes is None:
            sizes = sizes_passing(needs, probe.passes, prefer, room)
            if key is not None:
                self.ctx.sizes[key] = sizes
        if not sizes:
            raise self._no_length(needs, probe, prefer, keep)
        return sizes

    def _no_length(
        self, needs: _ListNeeds, probe: _Probe, prefer: Collection[Any], keep: _Keep | None
    ) -> _Impossible:
        """The error when no length of list passes ``probe``: a contradiction of the fewest
        tests that still admit no length, when it does not depend on earlier draws."""
        static = probe.static and needs.static and (keep is None or keep[2].static)
        if not static:
            return _Impossible(", ".join(probe.names))
        room = keep[:2] if keep is not None else None
        params = self.plan.params

        def of(tests: Sequence[_Test]) -> _ListNeeds:
            on_list = [t for t in tests if needs.name in t.facts]
            fewer = _ListNeeds.of(
                needs.name, on_list, params, needs.pool, {}, empty_is_missing=needs.empty_is_missing
            )
            if len(on_list) < len(tests):  # a scheme's fact reads the list, so it must be given
                fewer.need_present()
            return fewer

        def conflicts(tests: Sequence[_Test]) -> bool:
            fewer = of(tests)
            if fewer.conflict() is not None:
                return True
            plan = _Plan([t for t in tests if needs.name not in t.facts], params)
            return not sizes_passing(fewer, lambda v: probe.passes(v, plan), prefer, room)

        tests = _fewest([*dict.fromkeys((*needs.tests, *probe.tests))], conflicts)
        fewer = of(tests)
        most = min(fewer.high, len(fewer.candidates()))
        reason = (
            f"no {needs.name} of {fewer.least()} to {most} elements (of the "
            f"{len(fewer.candidates())} it may hold) gives {', '.join(probe.names)} a value "
            "its tests allow"
        )
        if keep is not None:
            reason += f" and leaves {keep[2].name} the areas it needs"
            tests = (*tests, *keep[2].tests)
        return _Contradiction(", ".join(probe.names), tests, reason)
