"""The Northshire Safe Moves Reciprocal (``northshire``): the worked fourth scheme of
docs/writing-a-scheme.md. Invented: it describes no real scheme, council, landlord or person.

Partner landlords help social tenants at risk of domestic abuse, sexual violence, hate crime
or gang violence to move to another Northshire district; the landlord the household leaves
owes the scheme a home. The agreement (``agreement.md``) is cited as "Northshire agreement §n".
"""

from __future__ import annotations

from collections.abc import Callable

from reciprocity import Scheme, hookimpl

from .scheme import SCHEME

__all__ = ["SCHEME", "reciprocity_register_schemes"]


@hookimpl
def reciprocity_register_schemes(register: Callable[[Scheme], None]) -> None:
    """Register the Northshire Safe Moves Reciprocal."""
    register(SCHEME)
