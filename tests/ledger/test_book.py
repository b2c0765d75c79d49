"""The ledger's arithmetic: Kent RP MoU §4.6 (the nominating landlord owes a home, the count of
owed and awarded homes), §2.4 (second) and §5.5 (debts remain owed), Cambridgeshire MoU §1
(an equal-size property is owed)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reciprocity.ledger import Book, LedgerError


def move(nominating: str, accepting: str, bedrooms: int | None = None, case: str = "C1") -> dict[str, Any]:
    return {"case": case, "arc": None, "nominating": nominating, "accepting": accepting, "bedrooms": bedrooms,
            "basis": "tenant", "case_event": f"ev-{case}"}


D = date(2026, 4, 1)


def test_a_move_makes_the_nominator_owe_and_the_acceptor_owed() -> None:
    """MoU §4.6: on completion of the move the nominating landlord owes a home to the pool."""
    book = Book("kent_rp", sized=False).add("e1", 1, "move", D, move("orchard", "coast"))
    balances = book.balances(D)
    assert balances.of("orchard") == -1 and balances.of("coast") == 1 and balances.total() == 0
    assert [(b.partner, b.owes, b.owed) for b in balances.rows] == [("coast", 0, 1), ("orchard", 1, 0)]
    assert book.balances(D - timedelta(days=1)).rows == ()


def test_housing_another_household_settles_a_debt() -> None:
    """MoU §4.6, §5.4: a partner that owes makes good by housing a scheme household."""
    book = (Book("kent_rp", sized=False)
            .add("e1", 1, "move", D, move("orchard", "coast", case="C1"))
            .add("e2", 2, "move", D + timedelta(days=9), move("weald", "orchard", case="C2")))
    assert book.balances(D + timedelta(days=8)).of("orchard") == -1
    after = book.balances(D + timedelta(days=9))
    assert after.of("orchard") == 0 and after.of("weald") == -1 and after.total() == 0
    assert [e.settles for e in book.entries] == [False, True]
    assert "orchard housed the household, settling one it owed" in book.entries[1].describe()


def test_sizes_are_kept_apart_where_the_scheme_owes_equal_size() -> None:
    """Cambridgeshire MoU §1: the referring partner owes an equal-size property; a 3-bedroom
    debt is not settled by housing a household needing 2 bedrooms."""
    book = (Book("cambridgeshire", sized=True)
            .add("e1", 1, "move", D, move("fen", "city", bedrooms=3, case="C1"))
            .add("e2", 2, "move", D, move("hunts", "fen", bedrooms=2, case="C2")))
    balances = book.balances(D)
    assert balances.of("fen", 3) == -1 and balances.of("fen", 2) == 1 and balances.of("fen") == 0
    assert balances.total(3) == 0 and balances.total(2) == 0
    with pytest.raises(LedgerError, match="equal size"):
        Book("cambridgeshire", sized=True).add("e1", 1, "move", D, move("fen", "city"))


def test_a_correction_reverses_one_entry_once() -> None:
    """Entries are never changed: a move recorded in error is reversed by a correction."""
    book = Book("kent_rp", sized=False).add("e1", 1, "move", D, move("orchard", "coast"))
    fixed = book.add("c1", 2, "correction", D + timedelta(days=1), {"reverses": "e1", "reason": "wrong case"})
    assert fixed.balances(D).of("orchard") == -1  # history up to the correction stands
    later = fixed.balances(D + timedelta(days=1))
    assert later.of("orchard") == 0 and later.of("coast") == 0
    assert [(b.owes, b.owed) for b in later.rows] == [(0, 0), (0, 0)]
    with pytest.raises(LedgerError, match="already been reversed"):
        fixed.add("c2", 3, "correction", D + timedelta(days=2), {"reverses": "e1", "reason": "again"})
    with pytest.raises(LedgerError, match="cannot itself be reversed"):
        fixed.add("c2", 3, "correction", D + timedelta(days=2), {"reverses": "c1", "reason": "undo"})
    with pytest.raises(LedgerError, match="no ledger entry with this id"):
        book.add("c2", 2, "correction", D, {"reverses": "nope", "reason": "typo"})
    with pytest.raises(LedgerError, match="before the entry"):
        book.add("c2", 2, "correction", D - timedelta(days=1), {"reverses": "e1", "reason": "early"})


def test_a_move_within_one_partner_is_not_a_reciprocal_move() -> None:
    with pytest.raises(LedgerError, match="own homes"):
        Book("kent_rp", sized=False).add("e1", 1, "move", D, move("orchard", "orchard"))


PARTNERS = st.sampled_from(["p1", "p2", "p3", "p4", "p5"])


@st.composite
def ledgers(draw: st.DrawFn, sized: bool) -> list[tuple[str, str, int, Any]]:
    """A random sequence of moves and corrections (only of moves not yet reversed)."""
    ops: list[tuple[str, str, int, Any]] = []
    moves: list[tuple[str, int]] = []
    reversed_: set[str] = set()
    day = 0
    for i in range(draw(st.integers(0, 25))):
        day += draw(st.integers(0, 20))
        open_moves = [m for m in moves if m[0] not in reversed_]
        if open_moves and draw(st.integers(0, 4)) == 0:
            target, _ = draw(st.sampled_from(open_moves))
            reversed_.add(target)
            ops.append((f"e{i}", "correction", day, {"reverses": target, "reason": "recorded in error"}))
        else:
            a, b = draw(st.lists(PARTNERS, min_size=2, max_size=2, unique=True))
            size = draw(st.integers(1, 4)) if sized else None
            ops.append((f"e{i}", "move", day, move(a, b, bedrooms=size, case=f"C{i}")))
            moves.append((f"e{i}", day))
    return ops


@settings(max_examples=200)
@given(sized=st.booleans(), data=st.data())
def test_the_pool_sums_to_zero_and_only_entries_change_balances(sized: bool, data: st.DataObject) -> None:
    """Every entry's effects cancel, so on every date the pool (each size, where kept) sums to
    zero; a balance changes only on a date with an entry; replaying gives the same book."""
    ops = data.draw(ledgers(sized))
    book = Book.replay("s", sized, ((eid, n, kind, D + timedelta(days=day), p) for n, (eid, kind, day, p)
                                    in enumerate(ops, 1)))
    days = sorted({day for _, _, day, _ in ops} | {0})
    previous = None
    for day in range(days[-1] + 2):
        balances = book.balances(D + timedelta(days=day))
        for size in balances.sizes:
            assert balances.total(size) == 0
        assert all(b.owes >= 0 and b.owed >= 0 for b in balances.rows)
        if previous is not None and previous.rows != balances.rows:
            assert day in days  # a change needs an entry that day
        previous = balances
    again = Book.replay("s", sized, ((e.entry_id, e.seq, e.kind, e.on, e.details) for e in book.entries))
    assert again.balances(D + timedelta(days=days[-1])) == book.balances(D + timedelta(days=days[-1]))


def test_replaying_twenty_thousand_entries_takes_under_a_second() -> None:
    """Issue 14: replay was quadratic (each entry summed every earlier one and copied the
    tuple: 37 s of CPU for 11,600 entries); it keeps running totals now."""
    import time

    partners = [f"p{i}" for i in range(12)]
    events = []
    for n in range(20_000):
        nominating, accepting = partners[n % 12], partners[(n * 7 + 1) % 12]
        if nominating == accepting:
            accepting = partners[(n + 1) % 12]
        events.append((f"e{n}", n + 1, "move", D + timedelta(days=n // 50), move(nominating, accepting, 2, f"C{n}")))
    events.append(("c1", 20_001, "correction", D + timedelta(days=500), {"reverses": "e10", "code": "recorded_in_error"}))
    started = time.perf_counter()
    book = Book.replay("s", True, events)
    elapsed = time.perf_counter() - started
    assert len(book.entries) == 20_001 and book.balances(D + timedelta(days=1000)).total() == 0
    assert elapsed < 1.0, f"{elapsed:.2f} s"
