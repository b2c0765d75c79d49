"""The Application Reference Code (Cambridgeshire MoU §3: an ARC for each accepted case, used in
all partner communications): it must be a valid code, and no two cases may share one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from reciprocity.errors import InvalidInputError
from reciprocity.inputs import load_document
from reciprocity.lifecycle.service import ArcInUseError, Cases

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
D = date(2026, 3, 3)


def tokens(*values: int) -> Iterator[bytes]:
    for value in values:
        yield value.to_bytes(5, "big")


@pytest.fixture
def cases(tmp_path: Path) -> Iterator[Cases]:
    # Case ids from 1, 2; then ARC draws: the first two give the same code, the third another.
    source = tokens(1, 2, 0xAB00000000, 0xAB00000000, 0x1200000000)
    with Cases.at(tmp_path / "cases.db", token=lambda n: next(source)) as opened:
        referral = load_document(EXAMPLES / "kent_rp_referral.json")
        for _ in range(2):
            state = opened.new("kent_rp", referral)
            opened.check(state.case_id, on=D, role="coordinator")
        yield opened


def test_an_invalid_arc_is_refused_naming_the_field(cases: Cases) -> None:
    first = cases.ids()[0]
    with pytest.raises(InvalidInputError, match="arc: .*check character does not match"):
        cases.record(first, "accept", on=D, role="coordinator", payload={"arc": "ARC-7J8Q-MN8B"})
    state = cases.record(first, "accept", on=D, role="coordinator", payload={"arc": "arc 7j8q mn8a"})
    assert state.arc == "ARC-7J8Q-MN8A"  # stored in its canonical form


def test_two_cases_never_share_an_arc(cases: Cases) -> None:
    first, second = cases.ids()
    arc = cases.accept(first, on=D, role="coordinator").arc
    with pytest.raises(ArcInUseError, match="already the ARC of another case"):
        cases.record(second, "accept", on=D, role="coordinator", payload={"arc": arc})
    assert cases.get(second).state == "referred" and cases.get(second).arc is None
    # Cases.accept draws again when the code it drew is taken.
    other = cases.accept(second, on=D, role="coordinator").arc
    assert other is not None and other != arc
    assert cases.accept(second, on=D, role="coordinator").arc == other  # stable once given
