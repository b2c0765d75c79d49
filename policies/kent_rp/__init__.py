"""Kent & Medway Reciprocal Housing Agreement (``kent_rp``).

A voluntary reciprocal between social landlords with stock in Kent and Medway: a tenant
at risk of domestic or sexual violence or other VAWG moves to another partner's home in a
safe area and keeps their tenancy rights; the nominating landlord then owes a property.

References:
    * Kent & Medway Reciprocal Housing Agreement, Memorandum of Understanding (doc 000),
      cited as "Kent RP MoU §n".
    * Kent & Medway Domestic Abuse Reciprocal Project, operating process (doc 002), cited
      as "Kent RP process, <stage>".
    * The same project's presentation (doc 004), cited as "Kent RP presentation, <topic>".

This package is a scheme plugin like any third-party one: it is found through the
``reciprocity`` entry-point group and registers its scheme through the hook below.
"""

from __future__ import annotations

from collections.abc import Callable

from reciprocity import Scheme, hookimpl
from reciprocity_kent_rp.scheme import SCHEME

__all__ = ["SCHEME", "reciprocity_register_schemes"]


@hookimpl
def reciprocity_register_schemes(register: Callable[[Scheme], None]) -> None:
    """Register the Kent & Medway Reciprocal Housing Agreement."""
    register(SCHEME)
