"""The Application Reference Code (Cambridgeshire MoU §3: an ARC for each accepted case, used in
all partner communications): it must be a valid code, and no two cases may share one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from reciprocity.errors import InvalidInputError
from reciprocity.inputs import load_document
from reciprocity.casework.cases import ArcInUseError, Cases

from .register import COORDINATOR, join_all, partner

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
        join_all(opened.store, "kent_rp", [partner("orchard_housing", "registered_provider", "maidstone")])
        for _ in range(2):
            state = opened.new("kent_rp", referral, actor=("orchard_housing", "nominating_officer"))
            opened.check(state.case_id, on=D, actor=COORDINATOR)
        yield opened


def test_an_arc_is_issued_by_the_library_never_taken_from_the_caller(cases: Cases) -> None:
    first = cases.ids()[0]
    with pytest.raises(InvalidInputError, match="use Cases.accept"):
        cases.record(first, "accept", on=D, actor=COORDINATOR, payload={"arc": "ARC-7J8Q-MN8A"})
    assert cases.get(first).arc is None


def test_an_invalid_arc_is_refused_naming_the_field() -> None:
    from pydantic import ValidationError  # noqa: PLC0415

    from reciprocity.lifecycle.events import PAYLOADS  # noqa: PLC0415

    with pytest.raises(ValidationError, match="check character does not match"):
        PAYLOADS["accept"].model_validate({"arc": "ARC-7J8Q-MN8B"})
    assert PAYLOADS["accept"].model_validate({"arc": "arc 7j8q mn8a"}).arc == "ARC-7J8Q-MN8A"  # canonical


def test_two_cases_never_share_an_arc(cases: Cases) -> None:
    first, second = cases.ids()
    arc = cases.accept(first, on=D, actor=COORDINATOR).arc
    with pytest.raises(ArcInUseError, match="already the ARC of another case"):
        cases._write(second, "accept", on=D, actor=COORDINATOR, body={"arc": arc})
    assert cases.get(second).state == "referred" and cases.get(second).arc is None
    # Cases.accept draws again when the code it drew is taken.
    other = cases.accept(second, on=D, actor=COORDINATOR).arc
    assert other is not None and other != arc
    assert cases.accept(second, on=D, actor=COORDINATOR).arc == other  # stable once given
