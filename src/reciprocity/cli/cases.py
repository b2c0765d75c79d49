"""``reciprocity case …`` and ``reciprocity due``: cases on the embedded store (``--db``).

One command per process event (``reciprocity case approve CASE --on DATE --role ROLE``);
``check``, ``accept``, ``circulate`` and ``offer`` do the work the event records (run the
eligibility check, issue the ARC, work out the recipients and the pseudonymised request,
assess the offer). Every date is given with ``--on``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.table import Table

from reciprocity.cli.options import (
    actor,
    actor_options,
    date_value,
    db_option,
    on_option,
    open_cases,
)
from reciprocity.cli.render import clean, console, plain, safe
from reciprocity.errors import InputProblem, InvalidInputError
from reciprocity.inputs import load_document

__all__ = ["case_group", "due_command"]

#: Events with a command of their own below, which derives what the event records.
_SPECIAL = {"refer", "check_eligibility", "accept", "circulate", "make_offer", "propose_offer",
            "approve_offer", "reject_offer"}


def _print_state(state: Any, cases: Any, as_json: bool) -> None:
    from reciprocity.casework.views import case_view  # noqa: PLC0415

    data = case_view(state, cases)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    out = console(wide=False)
    out.print(f"[bold]{safe(data['case'])}[/] ({safe(data['scheme'])}) state: [bold]{safe(data['state'])}[/]  "
              f"ARC: {safe(data['arc'])}  eligibility: {safe(data['eligibility'] or 'not checked')}")
    table = Table("seq", "on", "event", "actor", "role", "state after")
    for h in data["history"]:
        table.add_row(*(plain(v) for v in (h["seq"], h["on"], h["event"], h["actor"], h["role"], h["state"])))
    out.print(table)
    if data["allowed_commands"]:
        allowed = "; ".join(f"{c} ({', '.join(w)})" for c, w in data["allowed_commands"].items())
        out.print(plain(f"allowed now (reciprocity case ...): {allowed}"))
    for o in data["obligations"]:
        status = f"ended {o['ended_on']}" if o["ended_on"] else "open"
        out.print(plain(f"obligation {o['kind']}: {clean(o['holder'])} since {o['since']}, {status} ({o['clause']})"))


@click.group("case")
def case_group() -> None:
    """Cases on the store: open, move through the scheme's process, show, list."""


@case_group.command("new")
@click.argument("referral_file", metavar="REFERRAL", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--scheme", "scheme_id", required=True, help="Scheme id, e.g. kent_rp.")
@click.option("--id", "case_id", help="The case id (default: a random one).")
@actor_options
@click.option("--on", "on", callback=date_value, metavar="DATE",
              help="Date of the referral (default: the referral's referred_on).")
@click.option("--json", "as_json", is_flag=True)
@db_option
def new_command(referral_file: Path, scheme_id: str, case_id: str | None, actor_id: str, role: str,
                on: date | None, as_json: bool, db: str) -> None:
    """Open a case from a referral file (the id, if given, must look like a reference)."""
    with open_cases(db, create=True) as cases:
        state = cases.new(scheme_id, load_document(referral_file), on=on, actor=actor(actor_id, role),
                          case_id=case_id)
        _print_state(state, cases, as_json)


@case_group.command("show")
@click.argument("case_id", metavar="CASE")
@click.option("--json", "as_json", is_flag=True)
@db_option
def show_command(case_id: str, as_json: bool, db: str) -> None:
    """Show a case: its state, ARC, history, the events allowed now and its obligations."""
    with open_cases(db) as cases:
        _print_state(cases.get(case_id), cases, as_json)


@case_group.command("list")
@click.option("--scheme", "scheme_id", help="Only this scheme's cases.")
@click.option("--limit", type=click.IntRange(1), default=None,
              help="At most this many cases (a page; default: every case).")
@click.option("--after", "after", metavar="CASE", default=None,
              help="Only the cases opened after this one (the last case of the previous page).")
@click.option("--json", "as_json", is_flag=True)
@db_option
def list_command(scheme_id: str | None, limit: int | None, after: str | None, as_json: bool, db: str) -> None:
    """List the cases, in the order they were opened."""
    if scheme_id is not None:
        from reciprocity.plugins import get_scheme  # noqa: PLC0415

        get_scheme(scheme_id)  # an unknown scheme is refused, not listed as having no cases
    with open_cases(db) as cases:
        rows = [c.to_dict() for c in cases.summaries(scheme_id, limit=limit, after=after)]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table("case", "scheme", "state", "ARC", "last event")
    for r in rows:
        table.add_row(*(plain(r[k]) for k in ("case", "scheme", "state", "arc", "last_event")))
    console(wide=False).print(table)


@case_group.command("request")
@click.argument("case_id", metavar="CASE")
@db_option
def request_command(case_id: str, db: str) -> None:
    """Print the pseudonymised request of the latest circulation: what partners receive."""
    with open_cases(db) as cases:
        request = cases.latest_request(case_id)
    if request is None:
        raise InvalidInputError("case", [InputProblem("case", "has not been circulated", "run `case circulate` first")])
    click.echo(json.dumps(request, indent=2))


@case_group.command("check")
@click.argument("case_id", metavar="CASE")
@on_option
@actor_options
@click.option("--engine", type=click.Choice(("native", "durable")), default="native", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@db_option
def check_command(case_id: str, on: date, actor_id: str, role: str, engine: str, as_json: bool, db: str) -> None:
    """Run the eligibility check on the case's referral and record its outcome (shown)."""
    with open_cases(db) as cases:
        _print_state(cases.check(case_id, on=on, actor=actor(actor_id, role), engine=engine), cases, as_json)


@case_group.command("accept")
@click.argument("case_id", metavar="CASE")
@on_option
@actor_options
@click.option("--json", "as_json", is_flag=True)
@db_option
def accept_command(case_id: str, on: date, actor_id: str, role: str, as_json: bool, db: str) -> None:
    """Accept an eligible case and issue its Application Reference Code."""
    with open_cases(db) as cases:
        _print_state(cases.accept(case_id, on=on, actor=actor(actor_id, role)), cases, as_json)


@case_group.command("circulate")
@click.argument("case_id", metavar="CASE")
@click.option("--notes", help="Free text for partners; refused if it holds an identifier.")
@click.option("--known", multiple=True, metavar="TEXT",
              help="A name, address or place your system holds for the case: refused in the notes too (repeat).")
@on_option
@actor_options
@click.option("--json", "as_json", is_flag=True)
@db_option
def circulate_command(case_id: str, notes: str | None, known: tuple[str, ...], on: date, actor_id: str, role: str,
                      as_json: bool, db: str) -> None:
    """Send the pseudonymised request to the partners in the register it may safely reach, and record it."""
    with open_cases(db) as cases:
        _print_state(cases.circulate(case_id, on=on, actor=actor(actor_id, role), notes=notes, known=known),
                     cases, as_json)


@case_group.command("offer")
@click.argument("case_id", metavar="CASE")
@click.argument("offer_file", metavar="OFFER", type=click.Path(path_type=Path, dir_okay=False))
@on_option
@actor_options
@click.option("--json", "as_json", is_flag=True)
@db_option
def offer_command(case_id: str, offer_file: Path, on: date, actor_id: str, role: str, as_json: bool,
                  db: str) -> None:
    """Assess an offered home and record it: an offer when suitable, a proposal for the named
    leads' review when like for like cannot be guaranteed; refused otherwise."""
    with open_cases(db) as cases:
        _print_state(cases.make_offer(case_id, load_document(offer_file), on=on, actor=actor(actor_id, role)),
                     cases, as_json)


@case_group.command("review-offer")
@click.argument("case_id", metavar="CASE")
@click.option("--approve/--reject", "approve", required=True, help="The named lead's decision on the flagged offer.")
@click.option("--consent/--no-consent", "consent", required=True, help="Whether the household consents to it.")
@on_option
@actor_options
@click.option("--json", "as_json", is_flag=True)
@db_option
def review_offer_command(case_id: str, approve: bool, consent: bool, on: date, actor_id: str, role: str,
                         as_json: bool, db: str) -> None:
    """The nominating partner's named lead approves or rejects an offer flagged for review (Kent RP MoU §4.5)."""
    with open_cases(db) as cases:
        _print_state(cases.review_offer(case_id, on=on, actor=actor(actor_id, role), approve=approve,
                                        consent=consent), cases, as_json)


def _is_date(annotation: Any) -> bool:
    from reciprocity.model.base import plain_types  # noqa: PLC0415

    return plain_types(annotation) == [date]


def _option_type(annotation: Any) -> tuple[Any, str]:
    """The click type of an event field, and words for its help: yes/no fields take true or
    false (stored as a yes/no, never as text), whole numbers a number, a closed list its values."""
    import enum  # noqa: PLC0415
    import typing  # noqa: PLC0415

    from reciprocity.model.base import plain_types  # noqa: PLC0415

    parts = plain_types(annotation)
    if typing.get_origin(annotation) is tuple:
        parts = [a for a in typing.get_args(annotation) if a is not Ellipsis]
    if parts == [bool]:
        return click.Choice(["true", "false"]), " One of: true, false."
    if parts == [int]:
        return click.INT, ""
    if len(parts) == 1 and typing.get_origin(parts[0]) is typing.Literal:
        values = [str(v) for v in typing.get_args(parts[0])]
        return click.Choice(values), f" One of: {', '.join(values)}."
    if len(parts) == 1 and isinstance(parts[0], type) and issubclass(parts[0], enum.Enum):
        values = [str(m.value) for m in parts[0]]
        return click.Choice(values), f" One of: {', '.join(values)}."
    return None, ""


def _event_command(event: str) -> click.Command:
    from reciprocity.lifecycle.events import PAYLOADS  # noqa: PLC0415
    from reciprocity.model.base import plain_types  # noqa: PLC0415

    model = PAYLOADS[event]
    fields = model.model_fields
    yes_no = {name for name, info in fields.items() if plain_types(info.annotation) == [bool]}

    def run(case_id: str, on: date, actor_id: str, role: str, as_json: bool, db: str, event_id: str | None,
            **values: Any) -> None:
        payload: dict[str, Any] = {}
        for name, value in values.items():
            if value is None or value == ():
                continue
            if name in yes_no:
                value = value == "true"
            payload[name] = list(value) if isinstance(value, tuple) else value
        with open_cases(db) as cases:
            state = cases.record(case_id, event, on=on, actor=actor(actor_id, role), payload=payload,
                                 event_id=event_id)
            _print_state(state, cases, as_json)

    params: list[click.Parameter] = [click.Argument(["case_id"], metavar="CASE")]
    for name, info in fields.items():
        multiple = "tuple" in str(info.annotation)
        kind, words = _option_type(info.annotation)
        text = (info.description or f"The event's {name.replace('_', ' ')}.") + words
        params.append(click.Option([f"--{name.replace('_', '-')}", name], multiple=multiple, type=kind,
                                   callback=date_value if kind is None and _is_date(info.annotation) else None,
                                   metavar="DATE" if _is_date(info.annotation) else None, help=text))
    command = click.Command(event.replace("_", "-"), callback=run, params=params,
                            help=f"Record the '{event}' event on a case.")
    for decorate in (on_option, actor_options, click.option("--json", "as_json", is_flag=True), db_option,
                     click.option("--event-id", help="An idempotency key: repeating it with the same event is a no-op.")):
        decorate(command)
    return command


def _register_events() -> None:
    from reciprocity.lifecycle.events import PAYLOADS  # noqa: PLC0415

    for event in PAYLOADS:
        if event not in _SPECIAL:
            case_group.add_command(_event_command(event))


_register_events()


@click.command("due")
@on_option
@click.option("--within", "within_days", type=click.IntRange(0, 366), default=14, show_default=True,
              help="Also list what falls due within this many days.")
@click.option("--json", "as_json", is_flag=True)
@db_option
def due_command(on: date, within_days: int, as_json: bool, db: str) -> None:
    """What is overdue on a date, and what falls due next, across every case."""
    with open_cases(db) as cases:
        report = cases.due(on=on, within_days=within_days)
    groups = {"overdue": report.overdue, "today": report.today, "upcoming": report.upcoming}
    if as_json:
        click.echo(json.dumps({"on": on.isoformat(), **{
            k: [{"due_on": d.due_on.isoformat(), "kind": d.kind, "case": d.case, "arc": d.arc, "what": d.what,
                 "clause": d.citation} for d in v] for k, v in groups.items()}}, indent=2))
        return
    table = Table("when", "due", "case", "what", "clause")
    for label, items in groups.items():
        for d in items:
            table.add_row(*(plain(v) for v in (label, d.due_on.isoformat(), d.case, d.what, d.citation)))
    out = console(wide=False)
    out.print(plain(f"due on {on.isoformat()} (and the next {within_days} days)"))
    out.print(table)
