"""Cambridgeshire Housing Reciprocal Agreement (``cambridgeshire``), from its draft MoU.

Cambridgeshire Specialist DA Services refer social tenants at risk of domestic abuse,
sexual violence or another VAWG strand (and, when assessed safe, some perpetrators) to
move to another local authority area in Cambridgeshire; the originating council or
registered provider owes an equal-size property in return.

References:
    * Draft Cambridgeshire Housing Reciprocal Agreement, Memorandum of Understanding
      (doc 001), cited as "Cambridgeshire MoU (draft) §n"; footnote 1 lists the VAWG strands.
"""

from __future__ import annotations

from collections.abc import Callable

from reciprocity import Scheme, hookimpl
from reciprocity_cambridgeshire.scheme import SCHEME

__all__ = ["SCHEME", "reciprocity_register_schemes"]


@hookimpl
def reciprocity_register_schemes(register: Callable[[Scheme], None]) -> None:
    """Register the Cambridgeshire Housing Reciprocal Agreement."""
    register(SCHEME)
