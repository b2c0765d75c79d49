"""``reciprocity ledger …``: the partnership ledger on the store (``--db``).

``balances`` gives every partner's balance on a date and shows the pool summing to zero (per
size where the scheme owes homes of equal size); for a scheme that keeps no debt (KRS) it
prints the referrals each council made and received instead, and says why. ``history`` lists
the entries (by ARC, never by case id); ``correct`` reverses an entry, for a reason from a
closed list (a coordinator's note, if given, is kept but never printed here: partners read this).
"""

from __future__ import annotations

from datetime import date

import click
from rich.table import Table

from reciprocity.cli.options import (
    actor,
    date_value,
    db_option,
    json_option,
    on_option,
    opened_store,
    print_json,
    register_actor,
    scheme_option,
)
from reciprocity.cli.partners import balance_text
from reciprocity.cli.render import console, plain
from reciprocity.ledger.entries import CorrectionCode
from reciprocity.ledger.views import entry_view

__all__ = ["ledger_group"]


@click.group("ledger")
def ledger_group() -> None:
    """The partnership ledger: balances on a date, entries, corrections."""


@ledger_group.command("balances")
@scheme_option
@on_option
@json_option
@db_option
def balances_command(scheme_id: str, on: date, as_json: bool, db: str) -> None:
    """Every partner's balance on --on (negative: owes the pool), and the pool's total (always zero).

    For a scheme whose ledger is referral counts (KRS point 15) the referrals each council made
    and received up to --on are printed instead.
    """
    from reciprocity.ledger.service import Ledger  # noqa: PLC0415
    from reciprocity.partnership.policy import partnership_of  # noqa: PLC0415

    policy = partnership_of(scheme_id)
    with opened_store(db) as store:
        ledger = Ledger(store)
        if not policy.keeps_debts:
            counts = ledger.counts(scheme_id, end=on)
        else:
            balances = ledger.balances(scheme_id, on=on)
    clause = policy.cite("ledger")
    if not policy.keeps_debts:
        why = (f"{scheme_id} keeps no debt between partners: its text counts referrals made and received "
               f"({clause})")
        councils = sorted(set(counts.made) | set(counts.received))
        rows = [{"partner": c, "made": counts.made[c], "received": counts.received[c]} for c in councils]
        if as_json:
            print_json({"scheme": scheme_id, "on": on.isoformat(), "ledger": policy.ledger.value, "clause": clause,
                        "why": why, "counts": rows})
            return
        table = Table("partner", "referrals made", "referrals received")
        for r in rows:
            table.add_row(plain(r["partner"]), plain(r["made"]), plain(r["received"]))
        out = console()
        out.print(plain(f"{why}; up to {on.isoformat()}:"))
        out.print(table)
        return
    sizes = balances.sizes if policy.sized else (None,)
    totals = {("all" if s is None else str(s)): balances.total(s) for s in sizes}
    rows = [{"partner": b.partner, "size": b.size, "owes": b.owes, "owed": b.owed, "balance": b.net}
            for b in balances.rows]
    if as_json:
        print_json({"scheme": scheme_id, "on": on.isoformat(), "ledger": policy.ledger.value, "clause": clause,
                    "balances": rows, "totals": totals})
        return
    columns = ["partner", *(["size (bedrooms)"] if policy.sized else []), "owes", "owed", "balance"]
    table = Table(*columns)
    for r in rows:
        sized = [plain(r["size"])] if policy.sized else []
        table.add_row(plain(r["partner"]), *sized, plain(r["owes"]), plain(r["owed"]), plain(balance_text(r["balance"])))
    out = console()
    out.print(plain(f"{scheme_id} ledger on {on.isoformat()} ({clause}); negative: owes the pool a home"))
    out.print(table if rows else "no entries yet: a move writes the first")
    if policy.sized:
        for size, total in totals.items():
            out.print(plain(f"pool total, {size}-bedroom homes: {total}"))
    out.print(plain(f"pool total: {balances.total()}" + (" (every home owed is owed to a partner)" if rows else "")))


@ledger_group.command("history")
@scheme_option
@click.option("--partner", "partner_id", metavar="PARTNER", help="Only entries that change this partner's balance.")
@click.option("--from", "start", callback=date_value, metavar="DATE", help="Only entries dated on or after (YYYY-MM-DD).")
@click.option("--to", "end", callback=date_value, metavar="DATE", help="Only entries dated on or before (YYYY-MM-DD).")
@json_option
@db_option
def history_command(scheme_id: str, partner_id: str | None, start: date | None, end: date | None, as_json: bool,
                    db: str) -> None:
    """The ledger's entries in the order they were recorded (by ARC; never the case id)."""
    from reciprocity.ledger.service import Ledger  # noqa: PLC0415
    from reciprocity.partnership.policy import partnership_of  # noqa: PLC0415

    policy = partnership_of(scheme_id)
    with opened_store(db) as store:
        ledger = Ledger(store)
        book = ledger.book(scheme_id)
        entries = ledger.history(scheme_id, partner=partner_id, start=start, end=end)
    rows = [entry_view(e, book) for e in entries]
    if as_json:
        print_json(rows)
        return
    out = console()
    if not policy.keeps_debts:
        out.print(plain(f"{scheme_id} keeps no ledger entries: its text counts referrals made and received "
                        f"({policy.cite('ledger')}); see `reciprocity ledger balances`"))
        return
    table = Table("seq", "on", "entry", "kind", "ARC", "what")
    for r in rows:
        what = r["description"] + (" [reversed]" if r.get("reversed") else "")
        table.add_row(*(plain(v) for v in (r["seq"], r["on"], r["entry"], r["kind"], r["arc"], what)))
    out.print(table if rows else "no entries")


@ledger_group.command("correct")
@click.argument("entry_id", metavar="ENTRY")
@scheme_option
@on_option
@click.option("--code", "code", required=True, type=click.Choice([c.value for c in CorrectionCode]),
              help="Why the entry is wrong, from a closed list (what partners read).")
@click.option("--note", default=None, metavar="TEXT",
              help="The coordinator's own note (3-200 characters, no personal data; never shown to partners).")
@register_actor
@json_option
@db_option
def correct_command(entry_id: str, scheme_id: str, on: date, code: str, note: str | None, actor_id: str, role: str,
                    as_json: bool, db: str) -> None:
    """Reverse ledger entry ENTRY on --on; the entry itself stays. Only the coordinator corrects
    the ledger it keeps."""
    from reciprocity.ledger.service import Ledger  # noqa: PLC0415

    with opened_store(db) as store:
        ledger = Ledger(store)
        entry = ledger.correct(scheme_id, entry_id, on=on, code=code, note=note, actor=actor(actor_id, role))
        book = ledger.book(scheme_id)
        balances = ledger.balances(scheme_id, on=on)
    data = entry_view(entry, book)
    data["balances_after"] = {e["partner"]: balances.of(e["partner"]) for e in data["effects"]}
    if as_json:
        print_json(data)
        return
    out = console()
    out.print(plain(f"recorded {data['entry']} on {data['on']}: {data['description']}"))
    for partner, net in data["balances_after"].items():
        out.print(plain(f"  {partner}: balance now {balance_text(net)}"))
