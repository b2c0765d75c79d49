"""Named facts: typed values computed from a referral that conditions can read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import attrs

from reciprocity.model.offer import Offer
from reciprocity.model.referral import Referral

__all__ = ["FactContext", "FactSpec"]


@attrs.frozen
class FactContext:
    """What a fact's computation may use besides the referral: the date and the parameters."""

    on: date
    params: dict[str, Any]
    offer: Offer | None = None  # set when assessing an offer; offer facts read it
    #: The scheme's own referral fields (a ``SchemeFields`` model), read from the referral's
    #: ``extensions``; None when the scheme declares none.
    extension: Any = None


@attrs.frozen
class FactSpec:
    """A named fact: how to compute it, and how to talk about it.

    ``compute`` returns the value or :data:`~reciprocity.rules.logic.MISSING` when the
    referral does not say; it must never guess. ``label`` is the noun phrase a reader
    sees in rendered conditions ("who assessed the risk"); ``question`` is what a
    caseworker is asked when the fact is missing ("who assessed the risk, and whether
    they found the person at risk").
    """

    name: str
    label: str
    question: str
    compute: Callable[[Referral, FactContext], Any] = attrs.field(eq=False, repr=False)
    kind: str = "value"  # "value", "flag", "list" or "number": how it renders and translates
    derived: bool = False
    reads: tuple[str, ...] = ()  # referral fields a derived fact reads (for docs)
