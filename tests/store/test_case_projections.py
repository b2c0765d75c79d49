"""The library's read models equal a full replay (issue 14), on SQLite and PostgreSQL.

The case index, the cases' deadlines and the ledger's balances are kept in the store with the
events. Whatever mix of writers made a store (some maintaining the read models, some the bare
store of an older reciprocity), they must say what replaying every case and the ledger says:
the case list, what is due (Kent RP MoU §4.3 review, the process's response and recirculation
deadlines, KRS point 2 band review) and the balances (Kent RP MoU §4.6).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reciprocity.casework.cases import Cases
from reciprocity.casework.projection import open_deadlines
from reciprocity.ledger.service import Ledger
from reciprocity.lifecycle.deadlines import due
from reciprocity.partnership.service import Partners
from reciprocity.store import EventStore
from reciprocity.testing import case_event_sequences

from ._support import BACKENDS, empty_postgres

SCHEMES = ("kent_rp", "kent_krs", "cambridgeshire")


@pytest.fixture(params=BACKENDS)
def fresh_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Makes the URL of an empty store, once per hypothesis example."""
    folder = tmp_path_factory.mktemp("stores")
    counter = iter(range(10**6))

    def make() -> str:
        if request.param == "postgresql":
            return empty_postgres()
        return f"sqlite:///{Path(folder) / f'store-{next(counter)}.db'}"

    yield make


def replayed_summaries(cases: Cases, scheme_id: str | None = None) -> list[dict[str, Any]]:
    return [{"case": c.case_id, "scheme": c.scheme_id, "state": c.state, "arc": c.arc,
             "last_event": c.history[-1].on.isoformat()} for c in cases.all(scheme_id)]


def replayed_due(cases: Cases, on: date, within: int) -> Any:
    items = [d for state in cases.all() for d in open_deadlines(state)]
    items.extend(Partners(cases.store).deadlines(on=on))
    return due(items, on=on, within_days=within)


def assert_read_models_equal_replay(store: EventStore, scheme_id: str, on: date) -> None:
    cases = Cases(store)
    assert store.check_projections() == []
    assert [s.to_dict() for s in cases.summaries()] == replayed_summaries(cases)
    assert [s.to_dict() for s in cases.summaries(scheme_id)] == replayed_summaries(cases, scheme_id)
    for within in (0, 14, 400):
        assert cases.due(on=on, within_days=within) == replayed_due(cases, on, within)
    ledger = Ledger(store)
    from reciprocity.partnership.policy import partnership_of

    if partnership_of(scheme_id).ledger.value != "referral_counts":
        book = ledger.book(scheme_id)
        for day in (on - timedelta(days=200), on - timedelta(days=30), on, on + timedelta(days=400)):
            assert ledger.balances(scheme_id, on=day) == book.balances(day)


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), scheme_id=st.sampled_from(SCHEMES))
def test_the_read_models_equal_a_replay_whoever_wrote_the_events(fresh_url: Any, data: st.DataObject,
                                                                  scheme_id: str) -> None:
    events = list(data.draw(case_event_sequences(scheme_id, max_households=5), label="history"))
    split = data.draw(st.integers(0, len(events)), label="written by a bare store")
    url = fresh_url()
    with EventStore(url) as bare:  # an older reciprocity: no read models kept
        bare.append_many(events[:split])
    with EventStore(url) as store:
        Cases(store)  # attaching builds the read models from what is there
        step = data.draw(st.integers(1, 7), label="batch")
        for start in range(split, len(events), step):
            store.append_many(events[start:start + step])  # kept in each append's transaction
        on = max(e.on for e in events)
        assert_read_models_equal_replay(store, scheme_id, on)
        assert_read_models_equal_replay(store, scheme_id, on - timedelta(days=60))


def test_a_correction_takes_its_move_out_of_the_balances(fresh_url: Any) -> None:
    """Kent RP MoU §4.6: a corrected move no longer counts; the read model and the book agree."""
    from reciprocity.demo import simulate

    with EventStore(fresh_url()) as store:
        simulate(store, scheme_id="kent_rp", year=2025, seed=7, households=30)
        ledger = Ledger(store)
        moves = [e for e in ledger.book("kent_rp").entries if e.kind == "move"]
        assert moves, "the simulation should move someone"
        before = ledger.balances("kent_rp", on=date(2025, 12, 31))
        ledger.correct("kent_rp", moves[0].entry_id, on=date(2025, 12, 31), actor=("coordinator", "coordinator"),
                       code="recorded_in_error")
        after = ledger.balances("kent_rp", on=date(2025, 12, 31))
        assert after == ledger.book("kent_rp").balances(date(2025, 12, 31))
        owing = next(e.partner for e in moves[0].effects if e.delta < 0)
        assert after.of(owing) == before.of(owing) + 1 and after.total() == 0
        assert store.check_projections() == []


def test_store_verify_finds_a_read_model_row_altered_by_hand(fresh_url: Any) -> None:
    from reciprocity.casework.verify import verify
    from reciprocity.demo import simulate

    url = fresh_url()
    with EventStore(url) as store:
        simulate(store, scheme_id="kent_rp", year=2025, seed=3, households=8)
        assert verify(store).ok
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        case_id = connection.exec_driver_sql("SELECT case_id FROM case_index ORDER BY opened LIMIT 1").scalar()
        connection.exec_driver_sql("UPDATE case_index SET state = 'closed' WHERE case_id = "
                                   f"'{case_id}'")
        connection.exec_driver_sql("DELETE FROM ledger_effects")
    engine.dispose()
    with EventStore(url) as store:
        report = verify(store)
        kinds = {(p.kind, p.stream) for p in report.problems}
        assert ("projection", "case_index") in kinds and ("projection", "ledger_effects") in kinds
        assert any(case_id in p.message for p in report.problems if p.stream == "case_index")
        store.rebuild()
        assert verify(store).ok


def test_the_case_list_pages_in_the_order_cases_were_opened(fresh_url: Any) -> None:
    """`case list --limit N --after CASE` (and `Cases.summaries(limit=, after=)`): pages that
    together are the whole list, in the order the cases were opened; an unknown case gives none."""
    from click.testing import CliRunner

    from reciprocity.cli import cli
    from reciprocity.demo import simulate

    url = fresh_url()
    with EventStore(url) as store:
        simulate(store, scheme_id="kent_rp", year=2025, seed=5, households=12)
        cases = Cases(store)
        whole = [s.case_id for s in cases.summaries()]
        assert whole == cases.ids()
        pages, after = [], None
        while True:
            page = cases.summaries(limit=5, after=after)
            if not page:
                break
            pages += [s.case_id for s in page]
            after = page[-1].case_id
        assert pages == whole
        assert cases.summaries(after="C-NOSUCHCASE") == []
        with pytest.raises(ValueError, match="limit must be a whole number"):
            cases.summaries(limit=0)
        nominator = cases.summaries()[0].nominator
        assert {s.nominator for s in cases.summaries(nominator=nominator)} == {nominator}
    result = CliRunner().invoke(cli, ["case", "list", "--limit", "3", "--after", whole[2], "--json", "--db", url])
    assert result.exit_code == 0, result.output
    import json

    assert [row["case"] for row in json.loads(result.output)] == whole[3:6]
