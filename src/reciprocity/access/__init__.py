"""Who may reach the partnership's records from outside the library: API tokens that stand for
an actor, what each actor may read (scope), and the log of reads of special category data.

Below the doors (the HTTP service) and beside the casework: the doors authenticate a caller
into an :class:`~reciprocity.lifecycle.actors.Actor` here, then call the same commands as the
command line.
"""

from reciprocity.access.tokens import ApiToken, IssuedToken, TokenRefused, Tokens

__all__ = ["ApiToken", "IssuedToken", "TokenRefused", "Tokens"]
