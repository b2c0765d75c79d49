"""Kent High Priority Rehousing (Reciprocal) Scheme (``kent_krs``).

A local-authority reciprocal between the twelve Kent district and borough councils
(Medway excluded) to help meet homelessness duties: a council owing a prevention, relief
or main duty to a household at risk of domestic abuse, violence or serious harm asks a
safe council to rehouse it through a Part 6 allocation.

References:
    * Kent High Priority Rehousing (Reciprocal) Scheme: Joint Statement (doc 003), points
      1-16 and Appendix 1, cited as "KRS point n".
"""

from __future__ import annotations

from collections.abc import Callable

from reciprocity import Scheme, hookimpl
from reciprocity_kent_krs.scheme import SCHEME

__all__ = ["SCHEME", "reciprocity_register_schemes"]


@hookimpl
def reciprocity_register_schemes(register: Callable[[Scheme], None]) -> None:
    """Register the Kent High Priority Rehousing (Reciprocal) Scheme."""
    register(SCHEME)
