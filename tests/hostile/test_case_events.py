"""Issue 18: an event's area lists hold only the scheme's areas ("extend-areas atlantis" was
accepted), and a refused event leaves the store as it was."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from pathlib import Path

import pytest

from reciprocity.casework import Cases
from reciprocity.errors import InvalidInputError

from lifecycle.register import COORDINATOR, counter_token
from lifecycle.test_commands import D, circulating
from lifecycle.test_walkthrough import KENT_RP_PARTNERS
from lifecycle.register import join_all


@pytest.fixture
def cases(tmp_path: Path) -> Iterator[Cases]:
    with Cases.at(tmp_path / "cases.db", token=counter_token()) as opened:
        join_all(opened.store, "kent_rp", KENT_RP_PARTNERS)
        yield opened


def test_an_area_the_scheme_does_not_have_is_refused(cases: Cases) -> None:
    """Kent RP MoU §4.3: the coordinator may widen the requested areas, to Kent districts only."""
    circulating(cases)
    before = cases.store.stream("case:K1")
    with pytest.raises(InvalidInputError, match=r"requested_areas\[1\]: is not an area of this scheme") as refused:
        cases.record("K1", "extend_areas", on=D("2026-03-20"), actor=COORDINATOR,
                     payload={"requested_areas": ["thanet", "atlantis"]})
    assert "atlantis" not in str(refused.value)
    assert cases.store.stream("case:K1") == before
    state = cases.record("K1", "extend_areas", on=D("2026-03-20"), actor=COORDINATOR,
                         payload={"requested_areas": ["thanet", "canterbury"]})
    assert "canterbury" in state.referral.requested_areas


def test_a_command_dated_outside_the_calendar_range_is_refused(cases: Cases) -> None:
    """Dates are bounded (1900-01-01..2199-12-31): `due` and `circulate` on 9999-12-31 ended
    in date arithmetic overflow; now they are refused as input, and the last allowed day works."""
    from datetime import date

    circulating(cases)
    for command in (lambda: cases.due(on=date(9999, 12, 31)),
                    lambda: cases.circulate("K1", on=date(9999, 12, 31), actor=COORDINATOR),
                    lambda: cases.record("K1", "extend_areas", on=date(1, 1, 1), actor=COORDINATOR,
                                         payload={"requested_areas": ["thanet"]})):
        with pytest.raises(InvalidInputError, match="on: must be between 1900-01-01 and 2199-12-31"):
            command()
    assert cases.due(on=date(2199, 12, 31), within_days=366) is not None


@pytest.mark.parametrize("event_id", ["Zelda Quarrington 07700900461", "AB123456C", "", "[bold]x[/red]",
                                      "req\u202e1", "zelda\u200bq", "line\u2028break"])
def test_an_event_id_is_a_reference_never_personal_data(cases: Cases, event_id: str) -> None:
    """An idempotency key is stored as the event's id: held to look like a reference, like a case
    id (it was stored as given, a name and an NI number included)."""
    circulating(cases)
    before = cases.store.stream("case:K1")
    with pytest.raises(InvalidInputError, match="event_id: event id must look like a reference") as refused:
        cases.record("K1", "extend_areas", on=D("2026-03-20"), actor=COORDINATOR,
                     payload={"requested_areas": ["thanet"]}, event_id=event_id)
    assert (event_id not in str(refused.value)) or not event_id
    assert cases.store.stream("case:K1") == before
    state = cases.record("K1", "extend_areas", on=D("2026-03-20"), actor=COORDINATOR,
                         payload={"requested_areas": ["thanet"]}, event_id="req-2026-0123")
    assert state.history[-1].event == "extend_areas"


class _Racing:
    """A store where another request records the same event just before this one appends."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def append_many(self, events: Any, **kwargs: Any) -> Any:
        self._store.append_many(events)  # the other request, first (its own checks passed)
        return self._store.append_many(events, **kwargs)


def test_two_requests_recording_one_event_at_once_tell_the_second(cases: Cases) -> None:
    """Issue 14: both were told they succeeded; the store keeps one event, and the second request
    is told another one recorded it. A retry after a lost answer stays a quiet no-op."""
    from reciprocity.casework.cases import AlreadyRecordedError

    circulating(cases)
    before = len(cases.store.stream("case:K1"))
    racing = Cases(_Racing(cases.store))
    with pytest.raises(AlreadyRecordedError, match="recorded by another request at the same moment"):
        racing.record("K1", "extend_areas", on=D("2026-03-20"), actor=COORDINATOR,
                      payload={"requested_areas": ["thanet"]})
    assert len(cases.store.stream("case:K1")) == before + 1
    again = cases.record("K1", "extend_areas", on=D("2026-03-20"), actor=COORDINATOR,
                         payload={"requested_areas": ["thanet"]})
    assert len(cases.store.stream("case:K1")) == before + 1 and again.history[-1].event == "extend_areas"


class _Interleaving:
    """A store where another request records ``interleave`` on the case after a command read it
    and before its write (``times`` times)."""

    def __init__(self, store: Any, interleave: Any, times: int = 1) -> None:
        self._store, self._interleave, self._times = store, interleave, times

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def append_many(self, events: Any, **kwargs: Any) -> Any:
        if self._times and any(e.type == "circulate" for e in events):
            self._times -= 1
            self._interleave()
        return self._store.append_many(events, **kwargs)


def test_a_derivation_made_stale_by_another_request_is_worked_out_again(cases: Cases) -> None:
    """Issue 14: the recipients were derived from the case as read, then written after another
    request had extended the areas (Kent RP MoU §4.3), so the request could go to partners worked
    out from areas no longer the case's. Now the write sees the case changed and the command
    works the recipients out again from the case as it stands."""
    circulating(cases)
    other = Cases(cases.store)
    extend = lambda: other.record("K1", "extend_areas", on=D("2026-03-20"), actor=COORDINATOR,  # noqa: E731
                                  payload={"requested_areas": ["thanet"]})  # dover_dc has homes in dover only
    racing = Cases(_Interleaving(cases.store, extend))
    before = len(cases.store.stream("case:K1"))
    state = racing.circulate("K1", on=D("2026-03-20"), actor=COORDINATOR)
    events = cases.store.stream("case:K1")
    assert [r.event.type for r in events[before:]] == ["extend_areas", "circulate"]
    expected = cases.circulation("K1", on=D("2026-03-20"))
    assert tuple(events[-1].event.payload["recipients"]) == tuple(expected.recipients) == ("coast_homes",)
    assert state.history[-1].event == "circulate"


def test_a_case_that_keeps_changing_is_reported_and_nothing_is_written(cases: Cases) -> None:
    from reciprocity.casework.cases import CaseChangedError

    circulating(cases)
    other = Cases(cases.store)
    areas = iter([["thanet", "canterbury"], ["thanet", "dover"], ["thanet", "swale"], ["thanet"]])
    extend = lambda: other.record("K1", "extend_areas", on=D("2026-03-20"), actor=COORDINATOR,  # noqa: E731
                                  payload={"requested_areas": next(areas)})
    racing = Cases(_Interleaving(cases.store, extend, times=3))
    with pytest.raises(CaseChangedError, match="the case changed while this 'circulate' was being worked out"):
        racing.circulate("K1", on=D("2026-03-20"), actor=COORDINATOR)
    assert [r.event.type for r in cases.store.stream("case:K1")][-3:] == ["extend_areas"] * 3


def test_the_command_line_says_try_again_when_the_case_keeps_changing(monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    """CaseChangedError after the command's own retries exits 3 (the store cannot be used now,
    try again), not 2 (a mistake in what was typed)."""
    from click.testing import CliRunner

    from reciprocity.casework.cases import CaseChangedError
    from reciprocity.cli import cli

    db = tmp_path / "cases.db"
    with Cases.at(db, token=counter_token()) as opened:
        join_all(opened.store, "kent_rp", KENT_RP_PARTNERS)
        circulating(opened)

    def changing(*_args: Any, **_kwargs: Any) -> Any:
        raise CaseChangedError("circulate")

    monkeypatch.setattr(Cases, "circulate", changing)
    result = CliRunner().invoke(cli, ["case", "circulate", "K1", "--on", "2026-03-20", "--actor", "coordinator",
                                      "--role", "coordinator", "--db", str(db)])
    assert result.exit_code == 3, result.output
    assert "the case changed while this 'circulate' was being worked out" in result.output
