"""The demonstration and ``case_event_sequences`` play any installed scheme (issue 15).

Two invented schemes are built here with ``reciprocity.Scheme`` and registered for the test: each
has its own areas, rules, process (its own state and role names) and partnership, and gives no
simulation hints, so the year is read off what it declares. ``open`` circulates requests to
partners with homes in the requested areas, one of which offers a home; ``open_councils`` sends
them to every safe council, one of which gives final acceptance while the referring council
makes the offer, and counts referrals instead of keeping debts.
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
from reciprocity import Area, Scheme
from reciprocity.casework.cases import Cases
from reciprocity.cli import cli
from reciprocity.demo import schemes, simulate
from reciprocity.errors import ReciprocityError
from reciprocity.ledger.service import Ledger
from reciprocity.lifecycle import guards
from reciprocity.lifecycle.case import replay
from reciprocity.lifecycle.process import NEW, Party, Process, Step
from reciprocity.partnership import LedgerKind, Partnership
from reciprocity.rules import Clause, Parameter, Rule, Source, fact, param
from reciprocity.store import EventStore
from reciprocity.testing import case_event_sequences

SRC = Path(reciprocity.__file__).resolve().parent

AGREEMENT = Source(key="open1", title="Open Boroughs Reciprocal Agreement (invented, for tests)",
                   citation="Open MoU", file="open_mou.txt")


def clause(ref: str) -> Clause:
    return Clause(AGREEMENT, ref)


AREAS = tuple(Area(id=f"borough_{n}", name=f"Borough {n.upper()}", council=f"Borough {n.upper()} Council (invented)")
              for n in "abcdef")


def _rules(scheme_id: str) -> tuple[Rule, ...]:
    def rule(name: str, require: Any, ref: str, statement: str) -> Rule:
        return Rule(id=f"{scheme_id}.{name}", clauses=clause(ref), statement=statement, require=require,
                    passed=f"{statement} (met)", failed=f"{statement} (not met)")

    return (
        rule("at_risk", fact("risk.at_risk").is_true(), "1", "The household is at risk where it lives."),
        rule("assessed", fact("risk.assessed_by").one_of(["idva", "da_professional"]), "1",
             "An IDVA or a domestic-abuse professional assessed the risk."),
        rule("dash", fact("risk.dash_score").ge(param("minimum_dash")), "1", "The DASH score reaches the minimum."),
        rule("duty", fact("homelessness.duty").one_of(["relief", "main"]), "2",
             "A council has accepted a relief or main homelessness duty."),
        rule("own_stock", fact("own_stock_exhausted").is_true(), "2", "The landlord's own homes cannot help."),
        rule("areas", fact("requested_areas").non_empty() & fact("requested_areas").all_in(param("scheme_areas")),
             "3", "The requested areas are in the scheme."),
    )


def _offer_rules(scheme_id: str) -> tuple[Rule, ...]:
    return (
        Rule(id=f"{scheme_id}.offer_safe", clauses=clause("4"), statement="The home is not in an unsafe area.",
             require=fact("offer.in_unsafe_area").is_false(), passed="the home is safe",
             failed="the home is in an unsafe area"),
    )


PARAMETERS = (
    Parameter(name="scheme_areas", label="scheme areas", description="The scheme's areas.",
              values=[(None, frozenset(a.id for a in AREAS))], clauses=clause("3")),
    Parameter(name="minimum_dash", label="minimum DASH score", description="The lowest DASH score accepted.",
              values=[(None, 15)], clauses=clause("1")),
)


def _circulated_process(scheme_id: str) -> Process:
    """Requests go to partners with homes in the requested areas; one offers a home."""
    c = clause("5")
    open_states = ("received", "accepted", "listed", "offered", "offer_accepted")
    return Process(
        scheme_id=scheme_id,
        states=(*open_states, "moved", "closed"),
        initial="received",
        final={"moved", "closed"},
        roles={"caseworker": "the nominating landlord's caseworker", "panel": "the scheme's panel",
               "landlord_lead": "a partner landlord's lead"},
        steps=(
            Step("refer", NEW, "received", "caseworker", c, "The caseworker refers the household."),
            Step("check_eligibility", "received", None, "panel", c, "The panel checks the referral."),
            Step("accept", "received", "accepted", "panel", c, "The panel accepts an eligible case.",
                 guards=(guards.found_eligible(scheme_id, c),)),
            Step("decline", "received", "closed", "panel", c, "The panel declines an ineligible case.",
                 guards=(guards.found_ineligible(scheme_id, c),)),
            Step("circulate", "accepted", "listed", "panel", c, "The panel lists the request with safe partners.",
                 guards=guards.safe_circulation(scheme_id, c)),
            Step("circulate", "listed", None, "panel", c, "The panel lists it again.",
                 guards=guards.safe_circulation(scheme_id, c)),
            Step("respond", "listed", None, "landlord_lead", c, "A partner answers."),
            Step("make_offer", "listed", "offered", "landlord_lead", c, "A partner offers a suitable home.",
                 guards=(guards.suitable_offer(scheme_id, c),)),
            Step("accept_offer", "offered", "offer_accepted", "caseworker", c, "The household accepts.",
                 party=Party.NOMINATOR),
            Step("refuse_offer", "offered", "listed", "caseworker", c, "The household refuses.",
                 party=Party.NOMINATOR),
            Step("move", "offer_accepted", "moved", "panel", c, "The household moves."),
            Step("close", open_states, "closed", "panel", c, "The case is closed without a move."),
        ),
    )


def _receiving_process(scheme_id: str) -> Process:
    """Every safe council is contacted; one gives final acceptance; the referring council offers."""
    c = clause("6")
    open_states = ("opened", "eligible", "asking", "taken_on", "offered", "offer_accepted")
    referring = Party.NOMINATOR
    return Process(
        scheme_id=scheme_id,
        states=(*open_states, "moved", "done", "closed"),
        initial="opened",
        final={"done", "closed"},
        roles={"sending_officer": "the referring council's officer", "taking_officer": "a safe council's officer"},
        circulate_to="safe_scheme_areas",
        steps=(
            Step("refer", NEW, "opened", "sending_officer", c, "The referring council opens the case."),
            Step("check_eligibility", "opened", None, "sending_officer", c, "It checks the case.", party=referring),
            Step("accept", "opened", "eligible", "sending_officer", c, "It accepts an eligible case.",
                 party=referring, guards=(guards.found_eligible(scheme_id, c),)),
            Step("decline", "opened", "closed", "sending_officer", c, "It declines an ineligible case.",
                 party=referring, guards=(guards.found_ineligible(scheme_id, c),)),
            Step("circulate", ("eligible", "asking"), "asking", "sending_officer", c, "It asks the safe councils.",
                 party=referring, guards=guards.safe_circulation(scheme_id, c)),
            Step("respond", "asking", None, "taking_officer", c, "A council that can help answers."),
            Step("final_acceptance", "asking", "taken_on", "taking_officer", c, "That council takes the case on."),
            Step("make_offer", "taken_on", "offered", "sending_officer", c, "The referring council offers the home.",
                 party=referring, guards=(guards.suitable_offer(scheme_id, c),)),
            Step("accept_offer", "offered", "offer_accepted", "taking_officer", c, "The household accepts.",
                 party=Party.RECEIVER),
            Step("refuse_offer", "offered", "taken_on", "taking_officer", c, "The household refuses.",
                 party=Party.RECEIVER),
            Step("move", "offer_accepted", "moved", "taking_officer", c, "The household moves.",
                 party=Party.RECEIVER),
            Step("end_duty", "moved", "done", ("sending_officer", "taking_officer"), c,
                 "The council holding the duty ends it."),
            Step("close", open_states, "closed", "sending_officer", c, "The case is closed.", party=referring),
        ),
    )


def _scheme(scheme_id: str, *, receiving: bool = False, **changes: Any) -> Scheme:
    declared: dict[str, Any] = {
        "id": scheme_id, "title": f"{scheme_id} (invented)", "summary": "An invented scheme for tests.",
        "version": "test.1", "sources": (AGREEMENT,), "areas": AREAS, "rules": _rules(scheme_id),
        "offer_rules": _offer_rules(scheme_id), "parameters": PARAMETERS,
        "process": (_receiving_process if receiving else _circulated_process)(scheme_id),
        "partnership": Partnership(ledger=LedgerKind.REFERRAL_COUNTS if receiving else LedgerKind.PROPERTIES,
                                   ledger_clauses=[clause("7")]),
    }
    return Scheme(**{**declared, **changes})


OPEN = _scheme("open")
COUNCILS = _scheme("open_councils", receiving=True)
#: A scheme with rules but no process: the demonstration cannot play it.
RULES_ONLY = _scheme("open_rules", process=None)


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The invented schemes are installed for each test, next to the built-in ones."""
    registry = reciprocity.plugins.registry()
    added = {s.id: s for s in (OPEN, COUNCILS, RULES_ONLY)}
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
