"""The application layer: commands on cases, partners' arbitration, and verifying a store.

Above the domain packages (:mod:`reciprocity.lifecycle` for a case's process,
:mod:`reciprocity.partnership` for the partner register, :mod:`reciprocity.ledger` for the
owed homes), which never import it; below the doors (the CLI, an HTTP service), which only
call it.

- :mod:`~reciprocity.casework.actors`: who acts (:class:`Actor`) and the register check;
- :mod:`~reciprocity.casework.derive`: what the library derives for each command;
- :mod:`~reciprocity.casework.cases`: :class:`Cases`, the case commands;
- :mod:`~reciprocity.casework.arbitration`: Kent RP MoU §4.7 panels;
- :mod:`~reciprocity.casework.verify`: recomputing what a store records (`reciprocity store verify`).
"""

from reciprocity.casework.actors import COORDINATOR, Actor, ActorRefused
from reciprocity.casework.cases import ArcInUseError, Cases, CaseWorkError, UnknownCaseError

__all__ = ["COORDINATOR", "Actor", "ActorRefused", "ArcInUseError", "CaseWorkError", "Cases", "UnknownCaseError"]
