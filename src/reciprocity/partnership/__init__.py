"""How a scheme's partnership works: who belongs, what each partner owes, arbitration.

- :mod:`~reciprocity.partnership.policy`: what a scheme declares (``Scheme.partnership``);
- :mod:`~reciprocity.partnership.events` and :mod:`~reciprocity.partnership.record`: a
  partner's membership as events in the store, and the replay that gives its standing;
- :mod:`~reciprocity.partnership.service`: :class:`Partners`, what a housing system or the CLI
  calls (join, notice, withdraw, remove, named-lead changes, the directory on a date);
- :mod:`~reciprocity.casework.arbitration`: arbitration panels (Kent RP MoU §4.7).
"""

from reciprocity.partnership.policy import LedgerKind, Partnership

__all__ = ["LedgerKind", "Partnership"]
