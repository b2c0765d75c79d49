"""The demonstration and ``case_event_sequences`` play any installed scheme (issue 15).

The invented schemes of :mod:`.invented` (built with ``reciprocity.Scheme``, their own processes
and partnerships, no simulation hints) are registered for each test, so the year is read off
what they declare.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import reciprocity
from reciprocity import Scheme
from reciprocity.casework.cases import Cases
from reciprocity.cli import cli
from reciprocity.demo import SimulationHints, Stage, schemes, simulate
from reciprocity.demo.playbook import Playbook, hints_of
from reciprocity.errors import ReciprocityError
from reciprocity.ledger.service import Ledger
from reciprocity.lifecycle.case import CaseState, HistoryEntry, replay
from reciprocity.store import EventStore
from reciprocity.testing import case_event_sequences

from .invented import COUNCILS, HINTED, OPEN, RULES_ONLY, invented

SRC = Path(reciprocity.__file__).resolve().parent


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The invented schemes are installed for each test, next to the built-in ones."""
    registry = reciprocity.plugins.registry()
    added = {s.id: s for s in (OPEN, COUNCILS, RULES_ONLY, HINTED)}
    monkeypatch.setattr(reciprocity.plugins, "_registry", attrs.evolve(registry, schemes={**registry.schemes, **added}))
    yield


@pytest.fixture(scope="module")
def years() -> Iterator[dict[str, tuple[Any, Any]]]:
    """Each invented scheme's year (45 households), played once."""
    made: dict[str, tuple[Any, Any]] = {}

    class Years(dict):  # type: ignore[type-arg]
        def __missing__(self, scheme_id: str) -> tuple[Any, Any]:
            store = EventStore("sqlite://")
            made[scheme_id] = self[scheme_id] = (store, simulate(store, scheme_id=scheme_id))
            return made[scheme_id]

    yield Years()
    for store, _ in made.values():
        store.close()


def _replayed(store: Any, scheme: Scheme) -> list[Any]:
    """Every case of ``scheme`` in ``store``, folded again through its process from the events."""
    process = scheme.process
    return [replay(process, stream.removeprefix("case:"), store.stream(stream)) for stream in store.streams("case:")]


def test_the_invented_schemes_are_listed_as_playable() -> None:
    listed = schemes()
    assert {"open", "open_councils"} <= set(listed) and "open_rules" not in listed


def test_a_year_of_a_scheme_without_hints_goes_through_its_process(years: dict[str, tuple[Any, Any]]) -> None:
    """Referred, checked (most eligible; some ineligible or missing a fact, found by trial against
    the rules), circulated to safe partners, answered, offered, moved, each move in the ledger."""
    store, summary = years["open"]
    checks = dict(summary.checks)
    assert 40 <= summary.cases <= 80
    assert checks["eligible"] > checks.get("ineligible", 0) > 0 and checks.get("needs_information", 0) > 0
    assert summary.resubmitted > 0
    assert summary.circulations and summary.responses and summary.could_help
    assert summary.offers_accepted > 0 and summary.moves > 0
    assert summary.withdrawn and len(summary.partners) >= 5
    cases = Cases(store).all("open")
    assert [c.case_id for c in cases] == list(summary.case_ids)
    states = Counter(c.state for c in cases)
    assert set(states) <= set(OPEN.process.states) and states["moved"] == summary.moves
    roles = {h.role for c in cases for h in c.history}
    assert roles <= set(OPEN.process.roles) and {"caseworker", "panel", "landlord_lead"} <= roles
    assert all(str(c.referral.id).startswith("OPEN-2025-") for c in cases if c.referral is not None)
    ledger = Ledger(store)
    assert len(ledger.history("open")) == summary.moves
    assert summary.pool_total == 0 and ledger.balances("open", on=date(2025, 12, 31)).total() == 0
    assert _replayed(store, OPEN) == cases
    assert "Ledger at the year's end (pool total 0)" in "\n".join(summary.lines())


def test_a_receiving_scheme_without_hints_goes_through_its_process(years: dict[str, tuple[Any, Any]]) -> None:
    """Requests to every safe council: one answers and gives final acceptance, the referring
    council offers the home, the duty is ended by its holder; referrals counted, no debts."""
    store, summary = years["open_councils"]
    cases = Cases(store).all("open_councils")
    events = Counter(h.event for c in cases for h in c.history)
    assert events["final_acceptance"] > 0 and events["make_offer"] > 0 and events["end_duty"] > 0
    assert summary.moves > 0 and summary.pool_total is None
    assert all(p.startswith("example_council_") for p in summary.partners)  # councils only
    assert sum(n for _, n in summary.referrals_received) == events["final_acceptance"]
    assert store.stream("ledger:open_councils") == []
    assert _replayed(store, COUNCILS) == cases
    assert "(Open MoU §7)" in "\n".join(summary.lines())


def test_the_same_seed_plays_the_same_year_of_any_scheme() -> None:
    runs = []
    for seed in (4, 4, 5):
        with EventStore("sqlite://") as store:
            runs.append((simulate(store, scheme_id="open", seed=seed, households=6), [r.event for r in store.all()]))
    assert runs[0] == runs[1] and runs[0][1] != runs[2][1]


@pytest.mark.parametrize("scheme", [OPEN, COUNCILS], ids=lambda s: s.id)
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_histories_of_a_scheme_without_hints_fold_through_its_process(scheme: Scheme, data: st.DataObject) -> None:
    """Each history drawn replays, case by case, through the scheme's own process (every event
    checked again by its steps, roles, parties and guards); each move has its ledger entry."""
    events = data.draw(case_event_sequences(scheme.id, max_households=3), label="events")
    with EventStore("sqlite://") as store:
        store.append_many(list(events))
        cases = _replayed(store, scheme)
        assert cases and all(c.state in scheme.process.states for c in cases)
        moves = sum(1 for c in cases if c.moved_on is not None)
        assert len(store.stream(f"ledger:{scheme.id}")) == (moves if scheme.partnership.keeps_debts else 0)


def test_a_scheme_the_demonstration_cannot_play_is_refused_clearly() -> None:
    with EventStore("sqlite://") as store, pytest.raises(ReciprocityError, match="open_rules declares no case process"):
        simulate(store, scheme_id="open_rules")
    with pytest.raises(InvalidArgument, match="open_rules declares no case process"):
        case_event_sequences("open_rules").validate()
    with pytest.raises(InvalidArgument, match="no scheme with this id"):
        case_event_sequences("nope").validate()


def test_the_command_lists_and_plays_an_installed_scheme() -> None:
    shown = CliRunner().invoke(cli, ["demo", "--help"])
    assert shown.exit_code == 0 and "open_councils" in shown.output and "open_rules" not in shown.output
    played = CliRunner().invoke(cli, ["demo", "--scheme", "open", "--households", "6", "--seed", "3"])
    assert played.exit_code == 0, played.output
    assert "Simulated 2025 of open (seed 3)" in played.output
    refused = CliRunner().invoke(cli, ["demo", "--scheme", "open_rules"])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert "open, open_councils" in refused.output


def test_hints_a_scheme_gives_are_used() -> None:
    with EventStore("sqlite://") as store:
        summary = simulate(store, scheme_id="open_hinted", households=40, seed=8)
        cases = Cases(store).all("open_hinted")
    assert len(summary.partners) == 3  # two providers (one joining later) and one council
    assert all(str(c.referral.id).startswith("OPH-2025-") for c in cases if c.referral is not None)
    ineligible = [c for c in cases if c.eligibility == "ineligible"]
    assert ineligible and all(c.referral.risk.assessed_by == "police" for c in ineligible if c.referral and c.referral.risk)
    resent = [c for c in cases if str(c.referral.id).endswith("-R") if c.referral is not None]
    assert resent and all(c.referral.own_stock_exhausted for c in resent if c.referral is not None)


def test_the_playbook_is_read_off_the_process() -> None:
    """What the process says without hints: the case's kind, the partners invented, the way from
    acceptance to circulation, and the role for a step several roles may take."""
    open_book, councils = Playbook.of(OPEN, OPEN.process), Playbook.of(COUNCILS, COUNCILS.process)
    assert (open_book.case_kind, open_book.providers, open_book.circulating) == ("circulated", 4, "listed")
    assert (councils.case_kind, councils.providers, councils.circulating) == ("receiving", 0, "asking")
    assert open_book.preparation("accepted") == ()
    kent = reciprocity.get_scheme("kent_rp")
    assert Playbook.of(kent, kent.process).preparation("eligible") == (Stage(("approve",), days=(1, 3)),)
    step = COUNCILS.process.step("moved", "end_duty")
    history = (HistoryEntry(1, "make_offer", date(2025, 3, 1), "sending_officer", "offered", "council_a"),)
    state = CaseState(case_id="C-1", scheme_id=COUNCILS.id, state="moved", history=history)
    assert councils.role(state, "end_duty", step, "council_a") == "sending_officer"  # its last role
    assert councils.role(state, "end_duty", step, "council_b") == "sending_officer"  # first in order
    hinted = Playbook(COUNCILS, COUNCILS.process, SimulationHints(roles={"end_duty": "taking_officer"}))
    assert hinted.role(state, "end_duty", step, "council_a") == "taking_officer"


def test_hints_are_checked() -> None:
    with pytest.raises(ValueError, match="days"):
        Stage(("approve",), days=(3, 1))
    with pytest.raises(ValueError, match="case_kind"):
        SimulationHints(case_kind="sideways")  # type: ignore[arg-type]
    with pytest.raises(ReciprocityError, match="SimulationHints"):
        hints_of(invented("open_wrong", simulation={"providers": 2}))


def _code_strings(path: Path) -> list[str]:
    """The string constants of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


@pytest.mark.parametrize("package", ["demo", "testing"])
def test_the_demonstration_and_the_strategies_name_no_scheme(package: str) -> None:
    """Outside docstring examples, no scheme id appears in their code: what is particular to a
    scheme lives in its package (its simulation hints)."""
    ids = {"kent_rp", "kent_krs", "cambridgeshire", "KRP", "KRS", "CAM"}
    for path in sorted((SRC / package).glob("*.py")):
        named = [s for s in _code_strings(path) if any(i in s for i in ids)]
        assert named == [], f"{path.name} names a scheme: {named}"
