"""Properties of whole case histories from ``reciprocity.testing.case_event_sequences``: Kent RP
MoU §4.6 (a central count of owed and awarded homes), Cambridgeshire MoU §1 (equal size), KRS
point 15 (counts, no debt); the store's replay guarantees (docs/cases.md)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reciprocity.ledger.service import Ledger
from reciprocity.casework.cases import Cases
from reciprocity.plugins import get_scheme
from reciprocity.store import EventStore
from reciprocity.testing import case_event_sequences

SCHEMES = ("kent_rp", "kent_krs", "cambridgeshire")


@pytest.mark.parametrize("scheme_id", SCHEMES)
@settings(max_examples=6, deadline=None)
@given(data=st.data())
def test_histories_replay_to_the_same_cases_and_a_balanced_pool(scheme_id: str, data: st.DataObject) -> None:
    """Each move owes exactly one home (none under KRS), the pool sums to zero per size, and
    appending the same events again or into a new store gives the same cases."""
    events = data.draw(case_event_sequences(scheme_id, max_households=3), label="events")
    with EventStore("sqlite://") as store:
        store.append_many(list(events))
        cases = Cases(store)
        states = cases.all(scheme_id)
        assert states and all(s.scheme_id == scheme_id for s in states)
        moves = sum(1 for s in states if s.moved_on is not None)
        if get_scheme(scheme_id).partnership.keeps_debts:
            balances = Ledger(store).balances(scheme_id, on=date(2030, 1, 1))
            for size in balances.sizes:
                assert balances.total(size) == 0
            assert sum(b.owes for b in balances.rows) == moves
        else:
            assert store.stream(f"ledger:{scheme_id}") == []
        # Replaying the same events again, into the same store or a new one, changes nothing.
        store.append_many(list(events))
        assert cases.all(scheme_id) == states
        with EventStore("sqlite://") as other:
            other.append_many(list(events))
            assert Cases(other).all(scheme_id) == states
