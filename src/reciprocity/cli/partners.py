"""``reciprocity partner …``: a scheme's partners on the store (``--db``).

One command per membership event (join, notice, withdraw, remove, lead, stock), each dated
with ``--on`` and checked against the scheme's partnership rules (a refusal writes nothing and
exits 2 naming the clause); ``partner show`` lists the partners' standing on a date with their
ledger balance. ``balance_text`` is shared with ``reciprocity ledger``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from reciprocity.casework.views import partner_view, standing
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
from reciprocity.cli.render import console, plain, safe
from reciprocity.inputs import load_document

__all__ = ["balance_text", "partner_group"]


def balance_text(net: int) -> str:
    """A partner's net balance in words: negative owes the pool, positive is owed by it."""
    if net < 0:
        return f"{net} (owes {-net})"
    if net > 0:
        return f"+{net} (owed {net})"
    return "0"


def _ledger_cell(standing: dict[str, Any]) -> str:
    if "balance" not in standing:
        return f"made {standing['referrals_made']}, received {standing['referrals_received']}"
    text = balance_text(standing["balance"])
    sizes = ", ".join(f"{size}-bed {net:+d}" for size, net in standing.get("by_size", {}).items() if net)
    return f"{text} [{sizes}]" if sizes else text


# --- partner records -------------------------------------------------------------------------

def _lead(record: Any) -> str:
    if record.partner.named_lead:
        return str(record.partner.named_lead)
    if record.lead_vacant_since is not None:
        return f"vacant since {record.lead_vacant_since.isoformat()}"
    return "vacant"


def _print_detail(data: dict[str, Any], record: Any) -> None:
    from reciprocity.partnership.policy import partnership_of  # noqa: PLC0415

    policy = partnership_of(record.scheme_id)
    out = console()
    out.print(f"[bold]{safe(data['partner'])}[/] ({safe(data['scheme'])}) on {data['on']}: "
              f"[bold]{safe(data['status'].replace('_', ' '))}[/]")
    rows: list[tuple[str, str | Text]] = [
        ("name", data["name"] or "-"),
        ("kind", (data["kind"] or "not recorded") + (f" (council for {data['authority_area']})" if data["authority_area"] else "")),
        ("joined", data["joined_on"] or "-"),
        ("data sharing protocol", {True: "signed", False: "not signed"}.get(data["data_sharing_protocol_signatory"],
                                                                          "not recorded")),
        ("stock areas", ", ".join(data["stock_areas"]) or "-"),
        ("named lead", _lead(record)),
        ("ledger", _ledger_cell(data)),
    ]
    if data["notice_given_on"]:
        rows.append(("notice given", f"{data['notice_given_on']}; withdrawal takes effect "
                                     f"{data['withdrawal_takes_effect']} ({policy.cite('notice')})"))
    if data["withdrawn_on"]:
        rows.append(("withdrawn", data["withdrawn_on"]))
    if data["removed_on"]:
        why = data["removal_reason"] or "-"
        if data["removal_arbitration"]:
            why += f", arbitration {data['removal_arbitration']}"
        rows.append(("removed", f"{data['removed_on']} ({why})"))
    for change in data["lead_changes"]:
        what = "named" if change["named"] else "fell vacant"
        line = plain(f"{what} {change['changed_on']}, notified {change['notified_on']}")
        if change["late"]:
            line.append(" ").append("late", style="red").append(f" ({policy.cite('named_contact')})")
        rows.append(("lead change", line))
    if (data["withdrawn_on"] or data["removed_on"]) and policy.debts_survive and data.get("balance", 0) < 0:
        rows.append(("debts", f"still owed to the pool ({policy.cite('debts_survive')})"))
    for label, value in rows:
        out.print(Text.assemble(f"  {label}: ", value if isinstance(value, Text) else plain(value)))


def _show(store: Any, scheme_id: str, partner_id: str, on: date, as_json: bool) -> None:
    """Print one partner's record as it stands on ``on``."""
    from reciprocity.partnership.service import Partners  # noqa: PLC0415

    record = Partners(store).get(scheme_id, partner_id)
    data = partner_view(record, on, standing(store, scheme_id, on)(record.id))
    if as_json:
        print_json(data)
    else:
        _print_detail(data, record)


@contextmanager
def _partners(db: str, *, create: bool = False) -> Iterator[Any]:
    from reciprocity.partnership.service import Partners  # noqa: PLC0415

    with opened_store(db, create=create) as store:
        yield Partners(store)


def _membership_command(name: str, help_text: str) -> Callable[[Callable[..., Any]], click.Command]:
    """A ``partner NAME PARTNER --scheme --on [--json] [--db]`` command whose body records the
    event (``act(partners, scheme_id, partner_id, on, **options)``) and then shows the partner."""

    def decorate(act: Callable[..., Any]) -> click.Command:
        def run(partner_id: str, scheme_id: str, on: date, as_json: bool, db: str, actor_id: str, role: str,
                **options: Any) -> None:
            with _partners(db) as partners:
                act(partners, scheme_id, partner_id, on, actor=actor(actor_id, role), **options)
                _show(partners.store, scheme_id, partner_id, on, as_json)

        run.__doc__ = help_text
        command = click.command(name, help=help_text)(run)
        for option in (click.argument("partner_id", metavar="PARTNER"), scheme_option, on_option, register_actor,
                       json_option, db_option):
            option(command)
        return command

    return decorate


@click.group("partner")
def partner_group() -> None:
    """A scheme's partners: join, notice, withdraw, remove, named lead, stock, show."""


@partner_group.command("join")
@click.argument("partner_file", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@scheme_option
@on_option
@register_actor
@json_option
@db_option
def join_command(partner_file: Path, scheme_id: str, on: date, actor_id: str, role: str, as_json: bool,
                 db: str) -> None:
    """Record that the partner in FILE (JSON or YAML) joins the scheme on --on.

    Where the scheme requires it (Kent RP MoU §2.2) the partner must have signed the data
    sharing protocol (``data_sharing_protocol_signatory: true``); give no membership dates.
    """
    document = load_document(partner_file)
    with _partners(db, create=True) as partners:
        record = partners.join(scheme_id, document, on=on, actor=actor(actor_id, role))
        _show(partners.store, scheme_id, record.id, on, as_json)


def _notice(partners: Any, scheme_id: str, partner_id: str, on: date, actor: Any) -> None:
    partners.give_notice(scheme_id, partner_id, on=on, actor=actor)


def _withdraw(partners: Any, scheme_id: str, partner_id: str, on: date, actor: Any) -> None:
    partners.withdraw(scheme_id, partner_id, on=on, actor=actor)


partner_group.add_command(_membership_command(
    "notice", "Record the partner's notice to withdraw, given on --on (it takes effect a month later)."
)(_notice))
partner_group.add_command(_membership_command(
    "withdraw", "Record the partner's withdrawal taking effect on --on (refused before its notice runs out; "
    "its debts remain owed).")(_withdraw))


def _remove(partners: Any, scheme_id: str, partner_id: str, on: date, actor: Any, reason: str,
            arbitration: str | None) -> None:
    if arbitration is None:
        partners.remove(scheme_id, partner_id, on=on, actor=actor, reason=reason)
        return
    # A removal citing an arbitration goes through the arbitration, which checks its finding of
    # breach against this partner (Kent RP MoU §4.7); the coordinator removes.
    from reciprocity.casework.arbitration import Arbitrations  # noqa: PLC0415

    if reason != "breach":
        raise click.UsageError("--arbitration is for a removal in breach; leave out --reason")
    arbitrations = Arbitrations(partners.store)
    arbitrations.check_breach(scheme_id, arbitration, partner_id)
    arbitrations.remove_in_breach(scheme_id, arbitration, on=on, actor=actor)


_remove_command = _membership_command(
    "remove", "Remove the partner on --on (after a breach, e.g. an arbitration's finding; its debts remain owed)."
)(_remove)
click.option("--reason", type=click.Choice(("breach", "other")), default="breach", show_default=True,
             help="Why the partner is removed.")(_remove_command)
click.option("--arbitration", "arbitration", metavar="ID",
             help="The arbitration that found the partner in breach (see `reciprocity arbitration show`).")(
    _remove_command)
partner_group.add_command(_remove_command)


def _lead_change(partners: Any, scheme_id: str, partner_id: str, on: date, actor: Any, changed_on: date,
                 name: str | None, vacant: bool) -> None:
    if (name is None) == (not vacant):
        raise click.UsageError("give either --name REF (the new named lead) or --vacant (the post is empty)")
    partners.change_named_lead(scheme_id, partner_id, on=on, changed_on=changed_on, named_lead=name, actor=actor)


_lead_command = _membership_command(
    "lead", "Record a change of the partner's named lead, notified on --on, that happened on --changed-on "
    "(Kent RP MoU §6.1: within seven days).")(_lead_change)
click.option("--changed-on", "changed_on", callback=date_value, required=True, metavar="DATE",
             help="The day the change happened (YYYY-MM-DD).")(_lead_command)
click.option("--name", metavar="REF", help="The new named lead (a role or staff reference, not a person's name).")(
    _lead_command)
click.option("--vacant", is_flag=True, help="The post is vacant (no named lead yet).")(_lead_command)
partner_group.add_command(_lead_command)


@partner_group.command("stock")
@click.argument("partner_id", metavar="PARTNER")
@click.argument("areas", metavar="AREA...", nargs=-1, required=True)
@scheme_option
@on_option
@register_actor
@json_option
@db_option
def stock_command(partner_id: str, areas: tuple[str, ...], scheme_id: str, on: date, actor_id: str, role: str,
                  as_json: bool, db: str) -> None:
    """Record the areas where the partner now holds homes (replacing the list; the coordinator keeps it)."""
    with _partners(db) as partners:
        partners.update_stock(scheme_id, partner_id, on=on, stock_areas=areas, actor=actor(actor_id, role))
        _show(partners.store, scheme_id, partner_id, on, as_json)


@partner_group.command("show")
@click.argument("partner_id", metavar="[PARTNER]", required=False)
@scheme_option
@click.option("--on", "on", callback=date_value, required=True, metavar="DATE",
              help="Standing on this date (YYYY-MM-DD); the date is always given, never read from the clock.")
@json_option
@db_option
def show_command(partner_id: str | None, scheme_id: str, on: date, as_json: bool, db: str) -> None:
    """The scheme's partners on a date: status, stock areas, named lead, ledger balance; or one in detail."""
    with _partners(db) as partners:
        if partner_id is not None:
            _show(partners.store, scheme_id, partner_id, on, as_json)
            return
        of = standing(partners.store, scheme_id, on)
        records = partners.all(scheme_id)
        rows = [partner_view(r, on, of(r.id)) for r in records]
        leads = {r.id: _lead(r) for r in records}
    if as_json:
        print_json(rows)
        return
    table = Table("partner", "kind", "status", "stock areas", "named lead", "ledger")
    for r in rows:
        table.add_row(*(plain(v) for v in (r["partner"], r["kind"], r["status"].replace("_", " "),
                                            ", ".join(r["stock_areas"]) or "-", leads[r["partner"]], _ledger_cell(r))))
    out = console()
    out.print(plain(f"partners of {scheme_id} on {on.isoformat()}"))
    out.print(table if rows else "no partners yet: `reciprocity partner join FILE --scheme ... --on ...`")
