"""``reciprocity token …`` and ``reciprocity serve``: API tokens, and the HTTP service.

Tokens are kept in the store (``--db``) as a digest; ``token create`` prints the secret once.
Whoever can write the store file is the coordinator here: these commands act as the scheme's
coordinator, as the register commands do by default.
"""

from __future__ import annotations

import json
from datetime import date

import click
from rich.table import Table

from reciprocity.cli.options import (
    db_option,
    json_option,
    on_option,
    open_cases,
    print_json,
    scheme_option,
)
from reciprocity.cli.render import console, plain

__all__ = ["serve_command", "token_group"]


def _coordinator(_scheme_id: str) -> object:
    """Who acts for these commands: the scheme's coordinator (whoever can write the store)."""
    from reciprocity.casework import Actor  # noqa: PLC0415

    return Actor.coordinator()


@click.group("token")
def token_group() -> None:
    """API tokens for the HTTP service: create (shown once), list, revoke."""


@token_group.command("create")
@scheme_option
@click.option("--partner", "partner_id", required=True, metavar="PARTNER",
              help="Who the token acts as: a partner id from the register, or 'coordinator'.")
@click.option("--role", required=True, help="The role it acts in, e.g. named_lead (see `case show`).")
@on_option
@json_option
@db_option
def create_command(scheme_id: str, partner_id: str, role: str, on: date, as_json: bool, db: str) -> None:
    """Create a token for PARTNER acting as ROLE in a scheme; its secret is printed once, and
    only its digest is kept (a new store is made where none is yet)."""
    from reciprocity.access import Tokens  # noqa: PLC0415
    from reciprocity.plugins import get_scheme  # noqa: PLC0415

    get_scheme(scheme_id)  # an unknown scheme is refused before any store is made
    with open_cases(db, create=True) as cases:
        issued = Tokens(cases.store).create(scheme_id, partner_id, role, on=on, actor=_coordinator(scheme_id))
    if as_json:
        print_json({**issued.token.to_dict(), "secret": issued.secret})
        return
    click.echo(issued.secret)
    click.echo(f"token {issued.token.token_id}: {partner_id} as {role} in {scheme_id}. The line above is the "
               "secret: it is shown this once; keep it as a password.", err=True)


@token_group.command("list")
@click.option("--scheme", "scheme_id", help="Only this scheme's tokens.")
@json_option
@db_option
def list_command(scheme_id: str | None, as_json: bool, db: str) -> None:
    """The tokens (never their secrets), revoked ones included."""
    from reciprocity.access import Tokens  # noqa: PLC0415

    with open_cases(db) as cases:
        rows = [t.to_dict() for t in Tokens(cases.store).all(scheme_id)]
    if as_json:
        print_json(rows)
        return
    table = Table("token", "scheme", "partner", "role", "created", "revoked")
    for r in rows:
        table.add_row(*(plain(r[k] or "-") for k in ("token", "scheme", "partner", "role", "created_on",
                                                      "revoked_on")))
    console(wide=False).print(table)


@token_group.command("revoke")
@click.argument("token_id", metavar="TOKEN")
@on_option
@db_option
def revoke_command(token_id: str, on: date, db: str) -> None:
    """Revoke the token with this id (as `token list` shows it); it never authenticates again."""
    from reciprocity.access import Tokens  # noqa: PLC0415

    with open_cases(db) as cases:
        tokens = Tokens(cases.store)
        token = tokens.get(token_id)
        revoked = tokens.revoke(token_id, on=on, actor=_coordinator(token.scheme_id))
    click.echo(json.dumps(revoked.to_dict()))


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The port.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes (each opens the store itself).")
@click.option("--openapi", "print_openapi", is_flag=True,
              help="Print the service's OpenAPI document (JSON) and exit, without serving.")
def serve_command(db: str, host: str, port: int, workers: int, print_openapi: bool) -> None:
    """Run the HTTP service on the store at --db (needs reciprocity[http]; the store must exist:
    `reciprocity token create` makes one). The API page is at /docs."""
    import os  # noqa: PLC0415

    try:
        import uvicorn  # noqa: PLC0415

        from reciprocity.http import create_app  # noqa: PLC0415
    except ImportError:
        raise click.UsageError("the HTTP service needs its extra: pip install 'reciprocity[http]'") from None
    if print_openapi:
        click.echo(json.dumps(create_app(db).openapi(), indent=2, ensure_ascii=False))
        return
    with open_cases(db):  # refused now, with the CLI's message, if there is no store there
        pass
    os.environ["RECIPROCITY_DB"] = db
    click.echo(f"serving on http://{host}:{port} (API page: /docs); Ctrl-C stops", err=True)
    uvicorn.run("reciprocity.http:app", host=host, port=port, workers=workers, log_level="warning",
                access_log=False)
