"""The Application Reference Code (ARC): the only name a case has outside the coordinator.

The Cambridgeshire draft MoU (001) §3 makes the specialist DA service responsible for issuing
an ARC for each newly accepted case, shared with the local authority and registered provider
partners, and for using the ARC in every partnership communication "for security purposes".
The domain notes (``reference/domain.md``, "How reciprocals work in practice") record the same
practice in the Pan-London reciprocal that these schemes follow: the applicant's name stays off
the form and the case travels under its ARC.

An ARC looks like ``ARC-7KQ2-M9XD``: seven random symbols and one check symbol, written in
Crockford's base32 alphabet (digits and capital letters without I, L, O and U, so nothing is
read as 1, 0 or a rude word).

It reveals nothing. It is drawn from random bytes and never derived from case data: not from a
name, a date, a referral id or a count of cases, so it cannot be reversed, guessed from what
someone knows about the household, or used to tell how many cases a partner or area has (as a
sequential code such as ``ARC-01-16`` would). It is stable because the caller draws it once,
when the case is accepted, and stores it in that acceptance event; nothing recomputes it.

With seven random symbols (35 bits) two codes collide with probability about ``n**2 / 2**36``
for ``n`` codes: about 1 in 35,000 for the 1,401 requests the Pan-London reciprocal circulated
over seven years. The store that records the acceptance should still refuse a duplicate ARC
and draw again.

The check symbol makes every ARC self-checking. Reading the eight symbols as elements of the
field GF(32) (polynomial x^5 + x^2 + 1), a valid code satisfies
``sum(symbol[i] * alpha**i) == 0``, with ``alpha`` a generator of the field. Changing any
one symbol changes the sum by a non-zero amount, and so does swapping any two different
symbols (``alpha**i != alpha**j`` for different positions), so :func:`parse_arc` catches every
single mistyped character and every transposition. On reading, ``I`` and ``L`` count as ``1``
and ``O`` as ``0``, as Crockford's alphabet prescribes, and case, spaces and hyphens are
ignored.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import NewType

from reciprocity.errors import ReciprocityError

__all__ = ["ALPHABET", "Arc", "InvalidArcError", "is_arc", "new_arc", "parse_arc"]

#: An Application Reference Code in its canonical form, ``ARC-XXXX-XXXX``.
Arc = NewType("Arc", str)

#: Crockford's base32 alphabet: the value of a symbol is its index.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

_PREFIX = "ARC"
_RANDOM_SYMBOLS = 7
_SYMBOLS = _RANDOM_SYMBOLS + 1  # and the check symbol
_BYTES = 5  # 40 random bits, of which the top 35 are used
_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)} | {"I": 1, "L": 1, "O": 0}

_MODULUS = 0b100101  # x^5 + x^2 + 1, primitive over GF(2)


def _multiply(a: int, b: int) -> int:
    """Product of two elements of GF(32)."""
    product = 0
    while b:
        if b & 1:
            product ^= a
        b >>= 1
        a <<= 1
        if a & 0b100000:
            a ^= _MODULUS
    return product


def _powers(count: int) -> tuple[int, ...]:
    powers = [1]
    for _ in range(count - 1):
        powers.append(_multiply(powers[-1], 2))
    return tuple(powers)


_ALPHA = _powers(31)  # alpha**0 ... alpha**30; alpha**31 == 1
_INVERSE_LAST = _ALPHA[(31 - _RANDOM_SYMBOLS) % 31]  # 1 / alpha**7


def _weighted_sum(values: list[int]) -> int:
    total = 0
    for position, value in enumerate(values):
        total ^= _multiply(value, _ALPHA[position])
    return total


def _check_symbol(values: list[int]) -> int:
    """The symbol that makes the weighted sum of ``values`` and itself zero."""
    return _multiply(_weighted_sum(values), _INVERSE_LAST)


def _format(values: list[int]) -> Arc:
    symbols = "".join(ALPHABET[v] for v in values)
    return Arc(f"{_PREFIX}-{symbols[:4]}-{symbols[4:]}")


class InvalidArcError(ReciprocityError, ValueError):
    """Text that is not a valid Application Reference Code; the message says what is wrong.

    The message never repeats the text: it names the problem, such as a wrong length or a
    check symbol that does not match.
    """


def new_arc(token: Callable[[int], bytes] = secrets.token_bytes) -> Arc:
    """A new random ARC, such as ``ARC-7KQ2-M9XD``.

    ``token(n)`` returns ``n`` random bytes; the default is :func:`secrets.token_bytes`.
    Pass another function to make codes reproducible in tests. Nothing about a case goes in:
    call this once when the case is accepted and store the result with the acceptance.
    """
    raw = token(_BYTES)
    if not isinstance(raw, bytes | bytearray) or len(raw) < _BYTES:
        raise ValueError(f"the token function must return at least {_BYTES} bytes")
    bits = int.from_bytes(bytes(raw[:_BYTES]), "big") >> (8 * _BYTES - 5 * _RANDOM_SYMBOLS)
    values = [(bits >> (5 * (_RANDOM_SYMBOLS - 1 - i))) & 0b11111 for i in range(_RANDOM_SYMBOLS)]
    return _format([*values, _check_symbol(values)])


def parse_arc(text: str) -> Arc:
    """``text`` as a canonical ARC (``ARC-XXXX-XXXX``), or :class:`InvalidArcError`.

    Case, spaces and hyphens are ignored, and ``I``, ``L`` and ``O`` read as ``1``, ``1`` and
    ``0``, so ``arc 7kq2 m9xd`` gives ``ARC-7KQ2-M9XD``. The error says what is wrong without
    repeating the text.
    """
    if not isinstance(text, str):
        raise InvalidArcError("an ARC must be text")
    compact = "".join(c for c in text.upper() if not (c.isspace() or c == "-"))
    if not compact.startswith(_PREFIX):
        raise InvalidArcError("an ARC starts with 'ARC', as in ARC-7KQ2-M9XD")
    body = compact[len(_PREFIX):]
    if len(body) != _SYMBOLS:
        raise InvalidArcError(
            f"an ARC has {_SYMBOLS} characters after 'ARC' (two groups of four); "
            f"this has {len(body)}"
        )
    values = []
    for position, symbol in enumerate(body, start=1):
        if symbol not in _VALUES:
            raise InvalidArcError(
                f"character {position} after 'ARC' cannot appear in an ARC, which uses only "
                "digits and the letters A to Z other than U"
            )
        values.append(_VALUES[symbol])
    if _weighted_sum(values) != 0:
        raise InvalidArcError(
            "the ARC's check character does not match: a character was mistyped or two were "
            "swapped; copy the ARC again from the case's acceptance record"
        )
    return _format(values)


def is_arc(text: object) -> bool:
    """Whether ``text`` is a valid ARC (in any case, with or without hyphens)."""
    try:
        parse_arc(text)  # type: ignore[arg-type]
    except InvalidArcError:
        return False
    return True
