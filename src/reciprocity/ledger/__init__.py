"""The owed-property ledger: a central pot of homes owed and awarded (Kent RP MoU §4.6).

A completed move writes one entry: the nominating partner owes a home to the pool and the
accepting partner is owed one (in Cambridgeshire, a home of the same size). A partner that
owes and houses another scheme household settles its debt by that move. Entries are never
changed: a mistake is put right by a correction that reverses an entry. Every balance is the
replay of the entries up to a date, so the pool always sums to zero (per size where sizes are
kept). KRS keeps no debt: each council's referrals made and received are counted instead.

- :mod:`~reciprocity.ledger.entries`: the entries and what each does to balances;
- :mod:`~reciprocity.ledger.book`: replaying entries into balances and history;
- :mod:`~reciprocity.ledger.service`: :class:`Ledger`, reading and correcting the store's ledger.
"""

from reciprocity.ledger.book import Balance, Balances, Book, LedgerError
from reciprocity.ledger.entries import Effect, LedgerEntry

__all__ = ["Balance", "Balances", "Book", "Effect", "LedgerEntry", "LedgerError"]
