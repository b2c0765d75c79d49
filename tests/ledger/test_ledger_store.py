"""The ledger in the case store: Kent RP MoU §4.6 (the coordinator keeps the count of owed and
awarded homes through a centralised system), §2.4 (second) and §5.5 (debts survive withdrawal),
Cambridgeshire MoU §1 (an equal-size property is owed), KRS point 15 (referrals made and
received are counted instead)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reciprocity.casework import Actor, Cases
from reciprocity.ledger import LedgerError
from reciprocity.ledger.service import Ledger
from reciprocity.lifecycle.case import TransitionRefused
from reciprocity.partnership.service import Partners
from reciprocity.store import EventStore

from .walk import joining, walk_to_move

D = date(2026, 5, 1)
COORDINATOR = Actor.coordinator()


def token() -> object:
    """Reproducible random bytes (case ids and ARCs must differ between cases)."""
    rng = random.Random(2026)
    return rng.randbytes


@pytest.fixture
def cases(tmp_path: Path) -> Iterator[Cases]:
    with Cases.at(tmp_path / "cases.db", token=token()) as opened:
        yield opened


def test_the_move_writes_its_entry_in_the_same_transaction(cases: Cases) -> None:
    """MoU §4.6: the move and the owed home are recorded together, linked by the move's id."""
    state = walk_to_move(cases, "K1", scheme="kent_rp", nominator="orchard", acceptor="coast", moved_on=D)
    ledger = Ledger(cases.store)
    (entry,) = ledger.history("kent_rp")
    move_event = cases.store.stream("case:K1")[-1].event
    assert entry.details["case_event"] == move_event.event_id and move_event.type == "move"
    assert entry.on == D and entry.arc == state.arc and entry.details["basis"] == "tenant"
    assert ledger.balances("kent_rp", on=D).of("orchard") == -1
    assert "orchard owes a home" in entry.describe() and "K1" not in entry.describe()


def test_a_refused_move_writes_no_entry_and_a_repeated_move_writes_one(cases: Cases) -> None:
    walk_to_move(cases, "K1", scheme="kent_rp", nominator="orchard", acceptor="coast", moved_on=D)
    with pytest.raises(TransitionRefused, match="not allowed in state 'moved'"):
        cases.record("K1", "move", on=D + timedelta(days=1), actor=COORDINATOR)
    last = cases.store.stream("case:K1")[-1].event
    cases.record("K1", "move", on=D, actor=COORDINATOR, event_id=last.event_id)  # a retry: no-op
    assert len(Ledger(cases.store).history("kent_rp")) == 1
    assert len(cases.store.stream("case:K1")) == len(cases.get("K1").history)


def test_cambridgeshire_owes_a_home_of_the_size_the_household_needs(cases: Cases) -> None:
    """Cambridgeshire MoU §1 ('an equal size property'), read as the bedrooms the moved household
    needs under the size_standard parameter (interpretation cambridgeshire.equal_size): the
    example household (a parent and children of two sexes) needs 3 bedrooms."""
    walk_to_move(cases, "C1", scheme="cambridgeshire", nominator="fen", acceptor="city", moved_on=D)
    balances = Ledger(cases.store).balances("cambridgeshire", on=D)
    assert [(b.partner, b.size, b.net) for b in balances.rows] == [("city", 3, 1), ("fen", 3, -1)]


def test_krs_counts_referrals_made_and_received_and_keeps_no_debt(cases: Cases) -> None:
    """KRS point 15: each council keeps the number of referrals made and received."""
    from lifecycle.register import join_all
    from lifecycle.test_walkthrough import KRS_COUNCILS, test_kent_krs_from_referral_to_duty_ended

    join_all(cases.store, "kent_krs", KRS_COUNCILS)
    test_kent_krs_from_referral_to_duty_ended(cases)
    ledger = Ledger(cases.store)
    assert cases.store.stream("ledger:kent_krs") == []
    counts = ledger.counts("kent_krs", end=date(2026, 12, 31))
    assert dict(counts.made) == {"swale_bc": 1} and dict(counts.received) == {"ashford_bc": 1}
    assert dict(ledger.counts("kent_krs", end=date(2026, 12, 31), start=date(2026, 12, 1)).made) == {}


def test_a_correction_is_a_new_entry_and_is_refused_twice(cases: Cases) -> None:
    walk_to_move(cases, "K1", scheme="kent_rp", nominator="orchard", acceptor="coast", moved_on=D)
    ledger = Ledger(cases.store)
    (entry,) = ledger.history("kent_rp")
    ledger.correct("kent_rp", entry.entry_id, on=D + timedelta(days=3), code="recorded_in_error", actor=COORDINATOR)
    assert [e.kind for e in ledger.history("kent_rp")] == ["move", "correction"]
    assert ledger.balances("kent_rp", on=D + timedelta(days=3)).of("orchard") == 0
    assert ledger.balances("kent_rp", on=D).of("orchard") == -1
    before = cases.store.stream("ledger:kent_rp")
    with pytest.raises(LedgerError, match="already been reversed"):
        ledger.correct("kent_rp", entry.entry_id, on=D + timedelta(days=4), code="duplicate", event_id="other", actor=COORDINATOR)
    assert cases.store.stream("ledger:kent_rp") == before


def test_withdrawal_keeps_debts(cases: Cases) -> None:
    """MoU §2.4 (second), §5.5: commitments owed after a partner withdraws remain owed."""
    partners = Partners(cases.store)
    partners.join("kent_rp", joining("orchard", "swale"), on=date(2021, 1, 1), actor=COORDINATOR)
    walk_to_move(cases, "K1", scheme="kent_rp", nominator="orchard", acceptor="coast", moved_on=D)
    partners.give_notice("kent_rp", "orchard", on=D + timedelta(days=1), actor=COORDINATOR)
    partners.withdraw("kent_rp", "orchard", on=D + timedelta(days=40), actor=COORDINATOR)
    assert Ledger(cases.store).balances("kent_rp", on=date(2030, 1, 1)).of("orchard") == -1


# --- properties over random histories -------------------------------------------------------

NAMES = ["p1", "p2", "p3", "p4"]


@st.composite
def histories(draw: st.DrawFn) -> list[tuple[str, ...]]:
    steps: list[tuple[str, ...]] = []
    for i in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["move", "move", "correct", "notice"]))
        if kind == "move":
            a, b = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=2, unique=True))
            steps.append(("move", f"K{i}", a, b))
        elif kind == "correct":
            steps.append(("correct", str(draw(st.integers(0, 5)))))
        else:
            steps.append(("notice", draw(st.sampled_from(NAMES))))
    return steps


def _play(cases: Cases, steps: list[tuple[str, ...]]) -> None:
    partners = Partners(cases.store)
    for name in NAMES:
        partners.join("kent_rp", joining(name, "thanet"), on=date(2021, 1, 1), actor=COORDINATOR)
    ledger = Ledger(cases.store)
    day = D
    for step in steps:
        day += timedelta(days=40)
        if step[0] == "move":
            if partners.get("kent_rp", step[2]).status_on(day - timedelta(days=30)).value != "active":
                continue  # a partner in notice or gone cannot nominate (MoU §5.5): the register says so
            if partners.get("kent_rp", step[3]).status_on(day - timedelta(days=10)).value not in ("active",
                                                                                                 "notice_given"):
                continue  # nor can a former partner offer a home (§2.4 (second))
            walk_to_move(cases, step[1], scheme="kent_rp", nominator=step[2], acceptor=step[3], moved_on=day)
        elif step[0] == "correct":
            moves = [e for e in ledger.history("kent_rp") if e.kind == "move"]
            done = ledger.book("kent_rp").reversed_ids()
            open_moves = [e for e in moves if e.entry_id not in done]
            if open_moves:
                target = open_moves[int(step[1]) % len(open_moves)]
                ledger.correct("kent_rp", target.entry_id, on=day, code="recorded_in_error", actor=COORDINATOR)
        elif partners.get("kent_rp", step[1]).status_on(day).value == "active":
            partners.give_notice("kent_rp", step[1], on=day, actor=COORDINATOR)
            partners.withdraw("kent_rp", step[1], on=day + timedelta(days=31), actor=COORDINATOR)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=histories())
def test_random_histories_keep_the_pool_balanced_and_replay_changes_nothing(
    steps: list[tuple[str, ...]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """MoU §4.6: whatever happens, the pool sums to zero on every date; every change of balance
    has a recorded move or correction behind it; withdrawal (§5.5) leaves balances alone; and
    appending the same events again, or replaying them into a new store, changes nothing."""
    folder = tmp_path_factory.mktemp("ledger")
    with Cases.at(folder / "a.db", token=token()) as cases:
        _play(cases, steps)
        ledger = Ledger(cases.store)
        book = ledger.book("kent_rp")
        entry_days = {e.on for e in book.entries}
        moves = {r.event.event_id for s in cases.store.streams("case:") for r in cases.store.stream(s)
                 if r.event.type == "move"}
        assert {e.details["case_event"] for e in book.entries if e.kind == "move"} == moves
        previous = None
        for n in range(0, 40 * (len(steps) + 2), 5):
            day = D + timedelta(days=n)
            balances = ledger.balances("kent_rp", on=day)
            assert balances.total() == 0
            if previous is not None and previous.rows != balances.rows:
                assert any(day - timedelta(days=5) < d <= day for d in entry_days)
            previous = balances
        final = ledger.balances("kent_rp", on=date(2031, 1, 1))
        everything = [r.event for r in cases.store.all()]
        cases.store.append_many(everything)  # the same events again: every id is already there
        assert ledger.balances("kent_rp", on=date(2031, 1, 1)) == final
        assert len(list(cases.store.all())) == len(everything)
        # Withdrawal keeps debts: the balances do not depend on membership at all.
        with EventStore.at(folder / "b.db") as other:
            other.append_many([e for e in everything if not e.stream_id.startswith("partner:")])
            assert Ledger(other).balances("kent_rp", on=date(2031, 1, 1)) == final


def test_a_correction_is_checked_before_it_is_written(cases: Cases) -> None:
    """A second correction of one entry is refused plainly, and a reason that identifies someone
    is refused: the ledger is shared with partners."""
    from reciprocity.errors import InvalidInputError

    walk_to_move(cases, "K1", scheme="kent_rp", nominator="orchard", acceptor="coast", moved_on=D)
    ledger = Ledger(cases.store)
    (entry,) = ledger.history("kent_rp")
    with pytest.raises(InvalidInputError, match="note: .*may identify someone"):
        ledger.correct("kent_rp", entry.entry_id, on=D, code="other", note="tenant rang on 07700 900123", actor=COORDINATOR)
    ledger.correct("kent_rp", entry.entry_id, on=D, code="wrong_partner", actor=COORDINATOR)
    with pytest.raises(LedgerError, match="already been reversed"):
        ledger.correct("kent_rp", entry.entry_id, on=D + timedelta(days=1), code="duplicate", actor=COORDINATOR)


def test_only_the_coordinator_corrects_and_partners_never_read_the_note(cases: Cases) -> None:
    """Kent RP MoU §4.6: the Local Coordinator keeps the count, so only it corrects an entry
    (a partner is refused and nothing is written). What partners read is the closed-list reason;
    the coordinator's note ("Mary Roe asked for it" names a person no screen can know) is kept
    for the coordinator only (issue 12)."""
    from reciprocity.casework import ActorRefused

    walk_to_move(cases, "K1", scheme="kent_rp", nominator="orchard", acceptor="coast", moved_on=D)
    ledger = Ledger(cases.store)
    (entry,) = ledger.history("kent_rp")
    before = cases.store.stream("ledger:kent_rp")
    for who in (Actor("orchard", "named_lead"), Actor("coast", "coordinator")):
        with pytest.raises(ActorRefused, match="only the coordinator corrects"):
            ledger.correct("kent_rp", entry.entry_id, on=D, code="duplicate", actor=who)
    assert cases.store.stream("ledger:kent_rp") == before
    correction = ledger.correct("kent_rp", entry.entry_id, on=D, code="wrong_partner", note="Mary Roe asked for it",
                                actor=COORDINATOR)
    assert correction.note == "Mary Roe asked for it"
    shown = [e.describe() for e in ledger.history("kent_rp")]
    assert shown[1] == f"correction of entry {entry.entry_id}: the entry named the wrong partner"
    assert not any("Mary" in line or "Roe" in line for line in shown)
    assert cases.store.stream("ledger:kent_rp")[-1].event.payload["actor"] == "coordinator"


def test_a_free_text_reason_recorded_before_the_closed_list_is_no_longer_shown(cases: Cases) -> None:
    """Stores written before issue 12 kept a free-text reason that partners saw; it reads back
    as 'another reason' with no note, and the store stays readable."""
    from reciprocity.store import Event

    walk_to_move(cases, "K1", scheme="kent_rp", nominator="orchard", acceptor="coast", moved_on=D)
    (entry,) = Ledger(cases.store).history("kent_rp")
    cases.store.append(Event("old-correction", "ledger:kent_rp", "correction", D, "coordinator",
                             {"reverses": entry.entry_id, "reason": "Mary Roe asked for it"}))
    old = Ledger(cases.store).history("kent_rp")[-1]
    assert old.details["code"] == "other" and old.note is None
    assert "Mary" not in old.describe() and "kept by the coordinator" in old.describe()
