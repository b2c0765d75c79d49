"""List facts: what a plan asks of one, and drawing a list that meets it (see _strategies).

The builder offers each fact only values the plan's tests allow. A scalar fact has few
values, and each is tried. A list fact (the requested or unsafe areas, the kinds of harm,
where the nominating partner has homes) has far too many, so its tests are read instead
(:class:`_ListNeeds`): which elements the list must, may and must not hold, which groups it
must draw from, and how long it may be. A list is then drawn to meet them, of any length
the rules allow (up to every element there is to draw, and never more than the model's
``MAX_AREAS``), not grown from one or two elements.

Reading the tests also shows when no list can pass them: one that must hold an area it
must not, or more areas than it may hold. :class:`_Contradiction` says so at once, naming
the fact and the tests, so the plan search (_search) tries such a plan once, not sixty
times, and drops every other plan asking the same. How the builder uses all this, and a
scheme's own facts computed from a list, is in _list_choices.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from reciprocity.model import HarmType
from reciprocity.model.base import MAX_AREAS
from reciprocity.rules import (
    AllIn,
    AnyIn,
    Compare,
    Const,
    CountCompare,
    Fact,
    NonEmpty,
    OneOf,
    Param,
    Present,
)
from reciprocity.rules.expr import NEGATED_OPS
from reciprocity.rules.logic import MISSING
from reciprocity.testing._plans import (
    _Chooser,
    _Impossible,
    _Plan,
    _Sampling,
    _Test,
)


class _Contradiction(_Impossible):
    """No referral passes ``tests``, whatever else is drawn: a plan holding them is contradictory.

    Raised only when the conflict does not depend on a value drawn earlier in the referral,
    so that every plan holding the same tests can be dropped without building it.
    """

    def __init__(self, fact: str, tests: Iterable[_Test], reason: str) -> None:
        super().__init__(fact)
        self.fact = fact
        self.tests = frozenset(tests)
        self.reason = reason


#: The list facts the builder draws, and whether an empty list counts as not given.
LIST_FACTS: dict[str, bool] = {
    "requested_areas": True,
    "unsafe_areas": False,  # an empty list says that no area is unsafe
    "risk.harm_types": True,
    "nominator.stock_areas": True,
}


def list_pool(name: str, universe: Sequence[str], harms: Sequence[Any] = tuple(HarmType)) -> tuple[Any, ...]:
    """The elements list fact ``name`` is drawn from (``harms``: the core's harm types and the
    scheme's own)."""
    return tuple(harms) if name == "risk.harm_types" else tuple(universe)


# --- what a list must be ---------------------------------------------------------------------


def _as_set(values: Any) -> frozenset[Any]:
    return frozenset(values) if not isinstance(values, frozenset) else values


def _words(values: Iterable[Any]) -> str:
    """Values as a test author wrote them: ids, not labels."""
    return "(" + ", ".join(sorted(str(getattr(v, "value", v)) for v in values)) + ")"


class _ListNeeds:
    """What a plan's tests ask of one list fact, and how to draw a list that meets it.

    The tests the rule language has for a list are read exactly: ``any_in`` (true: hold
    one of the values; false: hold none), ``all_in`` (true: hold only those; false: hold
    one other), ``non_empty`` and ``present``, ``eq`` with a tuple, and ``count()``
    comparisons (against a number or a parameter), which bound the length or, ``ne``, rule
    one length out. A test that compares the list with a fact drawn earlier is read with
    that fact's value; any other test (a scheme's own condition, or one comparing the list
    with a fact not drawn yet) is *opaque*: each list drawn is evaluated against it instead.
    """

    def __init__(self, name: str, pool: Sequence[Any], *, empty_is_missing: bool) -> None:
        self.name = name
        self.pool = tuple(pool)
        self.empty_is_missing = empty_is_missing
        self.tests: list[_Test] = []
        self.present: bool | None = None  # True: must be given; False: must not be
        self.allowed: frozenset[Any] | None = None  # holds only these (None: anything)
        self.banned: set[Any] = set()  # holds none of these
        self.hit: list[frozenset[Any]] = []  # holds at least one of each
        self.miss: list[frozenset[Any]] = []  # holds at least one outside each
        self.low = 0
        self.high = min(len(self.pool), MAX_AREAS)
        self.not_sizes: set[int] = set()  # lengths a count test rules out (``ne``)
        self.exact: tuple[Any, ...] | None = None
        self.opaque = False
        #: False when a test was read with the value of a fact drawn earlier: a conflict
        #: then depends on that draw and is no contradiction of the plan.
        self.static = True
        self._conflict: str | None = None
        self._cache: dict[str, Any] = {}

    @classmethod
    def read(
        cls,
        plan: _Plan,
        name: str,
        pool: Sequence[Any],
        known: Mapping[str, Any],
        *,
        empty_is_missing: bool,
    ) -> _ListNeeds:
        return cls.of(
            name, plan.by_fact.get(name, ()), plan.params, pool, known,
            empty_is_missing=empty_is_missing,
        )

    @classmethod
    def of(
        cls,
        name: str,
        tests: Iterable[_Test],
        params: Mapping[str, Any],
        pool: Sequence[Any],
        known: Mapping[str, Any],
        *,
        empty_is_missing: bool,
    ) -> _ListNeeds:
        needs = cls(name, pool, empty_is_missing=empty_is_missing)
        for test in tests:
            needs._read(test, params, known)
        return needs

    def need_present(self, because: Iterable[_Test] = ()) -> None:
        """The list must be given (a scheme's own fact, needed by ``because``, reads it)."""
        self.tests.extend(because)
        self._present(True)

    def _present(self, truth: bool) -> None:
        if self.present is not None and self.present is not truth:
            self._conflict = "it must be given and must not be given"
        self.present = truth

    def _read(self, test: _Test, params: Mapping[str, Any], known: Mapping[str, Any]) -> None:
        self.tests.append(test)
        self._cache.clear()
        condition, truth = test.condition, test.truth
        if isinstance(condition, Present) and condition.subject.name == self.name:
            self._present(truth)
            return
        if not isinstance(condition, (Compare, CountCompare, OneOf, AnyIn, AllIn, NonEmpty)):
            self.opaque = True  # a condition of a scheme's own: evaluated on each list
            return
        self._present(True)  # a test of a fact not given is unknown: neither true nor false
        if condition.subject.name != self.name:
            self.opaque = True  # the list is what another fact is compared with
            return
        if isinstance(condition, NonEmpty):
            if truth:
                self.low = max(self.low, 1)
            else:
                self.high = 0
            return
        value = self._value(condition.value, params, known)
        if value is MISSING:
            return
        if isinstance(condition, CountCompare):
            self._count(condition.op if truth else NEGATED_OPS[condition.op], value)
        elif isinstance(condition, AnyIn):
            if truth:
                self.hit.append(_as_set(value))
            else:
                self.banned |= _as_set(value)
        elif isinstance(condition, AllIn):
            if truth:
                values = _as_set(value)
                self.allowed = values if self.allowed is None else self.allowed & values
            else:
                self.miss.append(_as_set(value))
        elif isinstance(condition, Compare) and condition.op == "eq" and truth and (
            isinstance(value, tuple)
        ):
            if self.exact is not None and self.exact != value:
                self._conflict = f"it must be both {_words(self.exact)} and {_words(value)}"
            self.exact = value
        else:
            self.opaque = True

    def _count(self, op: str, n: int) -> None:
        """A count test that must hold: ``len(list) <op> n``."""
        if op in ("eq", "ge"):
            self.low = max(self.low, n)
        if op in ("eq", "le"):
            self.high = min(self.high, n)
        if op == "gt":
            self.low = max(self.low, n + 1)
        if op == "lt":
            self.high = min(self.high, n - 1)
        if op == "ne":
            self.not_sizes.add(n)

    def _value(self, term: Any, params: Mapping[str, Any], known: Mapping[str, Any]) -> Any:
        if isinstance(term, Const):
            return term.value
        if isinstance(term, Param):
            return params[term.name]
        assert isinstance(term, Fact)
        self.static = False
        if term.name not in known:
            self.opaque = True  # settled once that fact is drawn
            return MISSING
        if known[term.name] is MISSING:
            self._conflict = f"it is compared with {term.name}, which is not given"
            return MISSING
        return known[term.name]

    def signature(self) -> tuple[Any, ...]:
        """What the needs come to: two needs with one signature are met by the same lists."""
        return (
            self.name,
            tuple(self.candidates()),
            tuple(self.groups()),
            self.present,
            self.least(),
            self.high,
            tuple(sorted(self.not_sizes)),
            self.exact,
        )

    # -- what follows from the needs --

    def candidates(self) -> list[Any]:
        """The elements the list may hold."""
        if "candidates" not in self._cache:
            self._cache["candidates"] = [
                e
                for e in self.pool
                if e not in self.banned and (self.allowed is None or e in self.allowed)
            ]
        return list(self._cache["candidates"])

    def groups(self) -> list[frozenset[Any]]:
        """Sets the list must hold an element of (one for each ``any_in`` and false ``all_in``)."""
        allowed = frozenset(self.candidates())
        return [g & allowed for g in self.hit] + [allowed - g for g in self.miss]

    def must(self) -> frozenset[Any]:
        """The elements the list must hold, whatever else it holds."""
        if self.exact is not None:
            return frozenset(self.exact)
        return frozenset().union(*(g for g in self.groups() if len(g) == 1))

    def least(self) -> int:
        """The fewest elements a list meeting the needs holds (0 when it may be missing)."""
        floor = self._floor()
        if self.present is True and self.exact is None:
            while floor in self.not_sizes:  # a length a count test rules out
                floor += 1
        return floor

    def _floor(self) -> int:
        if self.present is not True:
            return 0
        if self.exact is not None:
            return len(self.exact)
        floor = self.low
        if self.empty_is_missing or self.hit or self.miss:
            floor = max(floor, 1)
        return max(floor, _disjoint_count(self.groups()))

    def conflict(self) -> str | None:
        """Why no list meets the needs, in words; None when one may."""
        if "conflict" not in self._cache:
            self._cache["conflict"] = self._find_conflict()
        return self._cache["conflict"]

    def _find_conflict(self) -> str | None:
        if self._conflict is not None or self.present is False:
            return self._conflict
        if self.present and self.high == 0 and self.empty_is_missing:
            return "it must be given and empty, but an empty list counts as not given"
        if self.exact is not None:
            exact = set(self.exact)
            if (
                len(exact) != len(self.exact)
                or not exact <= set(self.candidates())
                or any(group.isdisjoint(exact) for group in self.groups())
                or not self.low <= len(exact) <= self.high
                or len(exact) in self.not_sizes
                or (not exact and self.empty_is_missing)
            ):
                return f"it must be exactly {_words(self.exact)}, which its other tests rule out"
            return None
        for group, values in zip(self.groups(), [*self.hit, *self.miss], strict=True):
            if not group:
                return f"it must hold one of {_words(values)}, none of which it may hold"
        floor, most = self._floor(), min(self.high, len(self.candidates()))
        if floor > most:
            if self.low > self.high:  # two count tests (or non_empty both ways) at odds
                return f"it must hold at least {self.low} and at most {self.high} elements"
            return (
                f"it must hold at least {floor} but can hold at most {most} "
                f"(it may hold {len(self.candidates())} of the {len(self.pool)} there are)"
            )
        if self.least() > most:
            return (
                f"it must hold {_lengths(floor, most)} elements, but not "
                f"({', '.join(str(n) for n in sorted(self.not_sizes))})"
            )
        return None

    def contradiction(
        self,
        reason: str | None = None,
        *,
        fact: str | None = None,
        also: Iterable[_Test] = (),
        static: bool = True,
    ) -> _Impossible:
        """The error to raise when no list meets the needs: a contradiction of the plan when
        it does not depend on earlier draws (``static``), else a dead end of this referral.
        ``also``: further tests the conflict comes from (on ``fact``, when it is another)."""
        why = reason or self.conflict() or "no list meets its tests"
        if self.static and static:
            return _Contradiction(fact or self.name, [*self.tests, *also], why)
        return _Impossible(fact or self.name)

    # -- drawing --

    def draw(
        self,
        c: _Chooser,
        *,
        sizes: Collection[int] | None = None,
        prefer: Collection[Any] = (),
        keep: tuple[frozenset[Any], int] | None = None,
    ) -> tuple[Any, ...]:
        """A list meeting every need but the opaque tests, of one of ``sizes`` if given.

        Examples shrink towards the fewest elements, the first of each group and the pool's
        order. ``keep=(others, n)``: hold at most ``n`` of ``others`` (so that another list,
        which may not share an element, keeps enough to draw from).
        """
        if self.conflict() is not None:
            raise self.contradiction()
        if self.exact is not None:
            return self.exact
        candidates = self.candidates()
        others, room = keep if keep is not None else (frozenset(), len(candidates))
        chosen: list[Any] = []
        for group in self.groups():
            if group.isdisjoint(chosen):
                options = [e for e in candidates if e in group and e not in chosen]
                if sum(e in others for e in chosen) >= room:
                    options = [e for e in options if e not in others] or options
                chosen.append(c.pick(options, prefer))
        low = max(self.least(), len(chosen))
        high = min(self.high, len(candidates))
        fits = [k for k in (sorted(sizes) if sizes is not None else range(low, high + 1))
                if low <= k <= high and k not in self.not_sizes]
        if not fits:
            raise _Impossible(self.name)
        if len(fits) > 4 and c.coin():  # short lists stay common when long ones are allowed
            fits = fits[:4]
        size = fits[c.integer(0, len(fits) - 1)] if len(fits) > 1 else fits[0]
        rest = [e for e in candidates if e not in chosen]
        room -= sum(e in others for e in chosen)
        inside = [e for e in rest if e in others]
        outside = [e for e in rest if e not in others]
        wanted = size - len(chosen)
        fewest = max(0, wanted - len(outside))
        most = min(room, wanted, len(inside))
        if fewest > most:
            raise _Impossible(self.name)
        from_inside = c.integer(fewest, most) if most > fewest else most
        chosen += _exactly(c, inside, from_inside, prefer)
        chosen += _exactly(c, outside, wanted - from_inside, prefer)
        return tuple(c.permute(chosen))


def _lengths(low: int, high: int) -> str:
    return f"{low}" if low == high else f"{low} to {high}"


def _exactly(c: _Chooser, options: Sequence[Any], n: int, prefer: Collection[Any]) -> list[Any]:
    """``n`` distinct elements of ``options``; half the time only ``prefer``red ones, if enough."""
    if n <= 0:
        return []
    preferred = [e for e in options if e in prefer]
    if n <= len(preferred) < len(options) and c.coin():
        options = preferred
    return c.sublist(options, n, min_size=n)


def _disjoint_count(groups: Sequence[frozenset[Any]]) -> int:
    """How many of ``groups`` are pairwise disjoint (found greedily): a list meeting them all
    holds at least that many elements."""
    taken: set[Any] = set()
    count = 0
    for group in sorted(groups, key=len):
        if group and taken.isdisjoint(group):
            taken |= group
            count += 1
    return count


def sizes_passing(
    needs: _ListNeeds,
    passes: Callable[[tuple[Any, ...]], bool],
    prefer: Collection[Any] = (),
    keep: tuple[frozenset[Any], int] | None = None,
) -> list[int]:
    """The lengths of list for which ``passes`` holds of some list tried (two of each length).

    ``passes`` checks a scheme's own facts computed from the list alone (such as how many
    areas are requested); a fact that depends on which elements are held, not only how
    many, is checked again on the list finally drawn.
    """
    found = []
    for size in range(needs.least(), min(needs.high, len(needs.candidates())) + 1):
        for seed in range(2):
            try:
                candidate = needs.draw(_Sampling(seed), sizes=(size,), prefer=prefer, keep=keep)
            except _Impossible:
                break
            if passes(candidate):
                found.append(size)
                break
    return found


def disjoint_conflict(
    requested: _ListNeeds, unsafe: _ListNeeds, least_unsafe: int | None = None
) -> str | None:
    """Why the requested and unsafe areas (which never share an area) cannot both be drawn;
    ``least_unsafe``: the fewest unsafe areas, when more is known than ``unsafe`` says."""
    both = requested.must() & unsafe.must()
    if both:
        return f"{_words(both)} must be both requested and unsafe"
    least_r = requested.least()
    least_u = unsafe.least() if least_unsafe is None else least_unsafe
    either = set(requested.candidates()) | set(unsafe.candidates())
    if least_r + least_u > len(either):
        return (
            f"at least {least_r} requested and {least_u} unsafe areas are needed, all different, "
            f"but only {len(either)} areas may be either"
        )
    return None


def _fewest(
    tests: Sequence[_Test], conflicts: Callable[[Sequence[_Test]], bool]
) -> tuple[_Test, ...]:
    """A subset of ``tests`` that still ``conflicts``, from which no test can be left out."""
    kept = list(tests)
    for test in tests:
        fewer = [t for t in kept if t is not test]
        if fewer and conflicts(fewer):
            kept = fewer
    return tuple(kept)
