"""The Application Reference Code (Cambridgeshire draft MoU (001) §3): issued once for each
accepted case and used in every partnership communication for security."""

from __future__ import annotations

import random
import re
import secrets

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reciprocity.privacy import ALPHABET, InvalidArcError, is_arc, new_arc, parse_arc

FORMAT = re.compile(r"^ARC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def _token(seed: bytes) -> object:
    """A token function that always returns ``seed`` (as many bytes as asked, repeating)."""
    return lambda n: (seed * n)[:n]


tokens = st.binary(min_size=5, max_size=5).map(_token)
arcs = tokens.map(new_arc)


def test_format() -> None:
    arc = new_arc()
    assert FORMAT.match(arc)
    assert set(arc[4:].replace("-", "")) <= set(ALPHABET)
    assert not set("ILOU") & set(ALPHABET)


def test_deterministic_with_an_injected_token() -> None:
    assert new_arc(_token(b"\x00\x00\x00\x00\x00")) == "ARC-0000-0000"
    fixed = _token(b"\x3a\x91\xc4\x07\xee")
    assert new_arc(fixed) == new_arc(fixed)
    assert FORMAT.match(new_arc(fixed))


def test_uses_the_token_function_it_is_given() -> None:
    asked: list[int] = []

    def token(n: int) -> bytes:
        asked.append(n)
        return secrets.token_bytes(n)

    new_arc(token)
    assert asked == [5]


def test_refuses_a_token_function_that_returns_too_little() -> None:
    with pytest.raises(ValueError, match="at least 5 bytes"):
        new_arc(lambda n: b"\x01")


def test_no_two_of_ten_thousand_are_equal() -> None:
    """Seeded, so the test is exact: with 35 random bits a repeat among 10,000 codes has a
    chance of about 1 in 700, which the store guards against by refusing a duplicate."""
    rng = random.Random(20260301)
    codes = [new_arc(rng.randbytes) for _ in range(10_000)]
    assert len(set(codes)) == len(codes)
    assert all(FORMAT.match(code) for code in codes)


@given(arcs)
def test_a_new_arc_parses_to_itself(arc: str) -> None:
    assert is_arc(arc)
    assert parse_arc(arc) == arc


@given(arcs, st.sampled_from(("lower", "compact", "spaced", "padded")))
def test_parsing_normalises_case_spaces_and_hyphens(arc: str, form: str) -> None:
    written = {
        "lower": arc.lower(),
        "compact": arc.replace("-", ""),
        "spaced": arc.replace("-", " "),
        "padded": f"  {arc.lower()}\n",
    }[form]
    assert parse_arc(written) == arc


def test_i_l_and_o_read_as_one_and_zero() -> None:
    arc = new_arc(_token(b"\x00\x00\x00\x00\x00"))  # ARC-0000-0000
    assert parse_arc("ARC-OOOO-OOOO") == arc
    one = next(a for a in (new_arc(_token(bytes([n] * 5))) for n in range(256)) if "1" in a[4:])
    assert parse_arc(one.replace("1", "I")) == one
    assert parse_arc(one.replace("1", "l")) == one


@given(arcs, st.data())
def test_every_single_character_typo_is_caught(arc: str, data: st.DataObject) -> None:
    positions = [i for i, c in enumerate(arc) if c in ALPHABET and i >= 4]
    position = data.draw(st.sampled_from(positions))
    wrong = data.draw(st.sampled_from([c for c in ALPHABET if c != arc[position]]))
    typo = arc[:position] + wrong + arc[position + 1:]
    assert not is_arc(typo)
    with pytest.raises(InvalidArcError, match="check character"):
        parse_arc(typo)


def test_every_single_character_typo_of_some_arcs_exhaustively() -> None:
    rng = random.Random(7)
    for _ in range(50):
        arc = new_arc(rng.randbytes)
        for position in (i for i in range(4, len(arc)) if arc[i] != "-"):
            for wrong in ALPHABET:
                if wrong != arc[position]:
                    assert not is_arc(arc[:position] + wrong + arc[position + 1:])


@given(arcs)
def test_every_swap_of_two_different_characters_is_caught(arc: str) -> None:
    symbols = arc[4:].replace("-", "")
    for i in range(len(symbols)):
        for j in range(i + 1, len(symbols)):
            if symbols[i] != symbols[j]:
                swapped = list(symbols)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                assert not is_arc("ARC" + "".join(swapped))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("4HJW-T2PB", "starts with 'ARC'"),
        ("ARC-4HJW-T2P", "has 7"),
        ("ARC-4HJW-T2PBB", "has 9"),
        ("ARC-4HJW-T2PU", "character 8 after 'ARC'"),
        ("ARC-4H!W-T2PB", "character 3 after 'ARC'"),
        ("", "starts with 'ARC'"),
    ],
)
def test_errors_name_the_problem_not_the_value(text: str, problem: str) -> None:
    with pytest.raises(InvalidArcError, match=re.escape(problem)) as caught:
        parse_arc(text)
    assert "4H" not in str(caught.value)
    assert "T2P" not in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert not is_arc(text)


def test_non_text_is_not_an_arc() -> None:
    assert not is_arc(None)
    assert not is_arc(12345678)
    with pytest.raises(InvalidArcError, match="text"):
        parse_arc(12345678)  # type: ignore[arg-type]
