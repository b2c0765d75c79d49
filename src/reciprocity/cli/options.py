"""The options and values every command module shares: dates, ``--db``, actors, ``--json``.

Each command module imports these from here (none imports another command module's helpers).
A refused value is never repeated in its message: click's own messages quote what was typed,
which may be personal data.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click

from reciprocity.errors import InputProblem, InvalidInputError
from reciprocity.model.base import EARLIEST_DATE, LATEST_DATE

__all__ = [
    "DEFAULT_DB",
    "OwnWords",
    "actor",
    "actor_options",
    "date_value",
    "db_option",
    "expects",
    "json_option",
    "on_option",
    "open_cases",
    "opened_store",
    "print_json",
    "register_actor",
    "scheme_option",
]

DEFAULT_DB = "reciprocity.db"
_RANGE = f"from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NEW_STORE = ("a new store is made by `reciprocity store init`, or by the first `reciprocity case new`, "
              "`reciprocity partner join` or `reciprocity token create`")


class OwnWords(click.BadParameter):
    """A bad value, in words that never repeat it (click's own messages quote the value)."""


def expects(param: click.Parameter | None) -> str:
    """What ``param`` takes, in words (for a value it refused, which is not repeated)."""
    kind = param.type if param is not None else None
    if isinstance(kind, click.Choice):
        return "must be one of: " + ", ".join(str(c) for c in kind.choices)
    if isinstance(kind, click.IntRange):
        if kind.min is not None and kind.max is not None:
            return f"must be a whole number from {kind.min} to {kind.max}"
        if kind.min is not None:
            return f"must be a whole number, at least {kind.min}"
        if kind.max is not None:
            return f"must be a whole number, at most {kind.max}"
    if isinstance(kind, click.types.IntParamType):
        return "must be a whole number"
    if isinstance(kind, click.types.FloatParamType):
        return "must be a number"
    if isinstance(kind, click.types.BoolParamType):
        return "must be true or false"
    return "is not a value this option takes; see --help"


def date_value(_ctx: click.Context | None, _param: click.Parameter | None, value: str | None) -> date | None:
    """A date option's callback: YYYY-MM-DD, from EARLIEST_DATE to LATEST_DATE."""
    if value is None:
        return None
    text = value.strip()
    try:
        day = date.fromisoformat(text) if _ISO_DATE.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None:
        raise OwnWords(f"not a real date written YYYY-MM-DD (e.g. 2026-03-31); give a date {_RANGE}")
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise OwnWords(f"must be a date {_RANGE}")
    return day


def on_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--on DATE`` (required): the date the event happened."""
    return click.option("--on", "on", callback=date_value, required=True, metavar="DATE",
                        help="The date the event happened (YYYY-MM-DD).")(command)


def db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--db``: a SQLite file or a SQLAlchemy URL, kept as typed (a ``click.Path`` would
    collapse the ``//`` of ``sqlite:////abs.db`` or ``postgresql+psycopg://``)."""
    return click.option(
        "--db", "db", metavar="PATH|URL",
        default=lambda: os.environ.get("RECIPROCITY_DB", DEFAULT_DB), show_default=DEFAULT_DB,
        help="The case store: a SQLite file, or a SQLAlchemy URL such as sqlite:////abs/path.db or "
             "postgresql+psycopg://user@host/db (needs reciprocity[postgres]); env RECIPROCITY_DB.",
    )(command)


def actor_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--actor PARTNER --role ROLE`` (both required): who acts on a case."""
    command = click.option("--role", required=True,
                           help="The role the actor acts in, e.g. named_lead (see `case show`).")(command)
    return click.option("--actor", "actor_id", required=True, metavar="PARTNER",
                        help="Who acts: a partner id from the register, or 'coordinator'.")(command)


def register_actor(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--actor`` and ``--role`` for a register or ledger command (default: the coordinator,
    who keeps the register; a partner may record its own notice, withdrawal and named lead)."""
    command = click.option("--role", default="coordinator", show_default=True,
                           help="The role the actor acts in.")(command)
    return click.option("--actor", "actor_id", default="coordinator", show_default=True, metavar="PARTNER",
                        help="Who records it: 'coordinator', or the partner itself for its own notice, "
                             "withdrawal or named lead.")(command)


def actor(actor_id: str, role: str) -> Any:
    """The :class:`~reciprocity.casework.Actor` the options name."""
    from reciprocity.casework import Actor  # noqa: PLC0415

    return Actor(actor_id, role)


def scheme_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--scheme", "scheme_id", required=True,
                        help="Scheme id, e.g. kent_rp (see `reciprocity schemes`).")(command)


def json_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(command)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _refuse(problem: str, hint: str) -> InvalidInputError:
    return InvalidInputError("--db", [InputProblem("--db", problem, hint)])


def open_cases(db: str | os.PathLike[str], *, create: bool = False) -> Any:
    """The :class:`~reciprocity.casework.cases.Cases` of the store at ``--db``.

    Only a command that starts a store (``create=True``: ``case new``, ``partner join``,
    ``token create``) makes
    one where no file is yet; every other command refuses a path with no file, so that a typo
    never reads as an empty store that has nothing due. A SQLite file's folder must exist.
    """
    from reciprocity.casework.cases import Cases  # noqa: PLC0415
    from reciprocity.store import EventStore  # noqa: PLC0415

    text = os.fspath(db)
    if "://" not in text:
        path = Path(text).expanduser()
        if not path.parent.is_dir():
            raise _refuse("its folder does not exist", "give a path in an existing folder")
        if not create and not path.exists():
            raise _refuse("no case store at this path",
                          f"check the path (or RECIPROCITY_DB); {_NEW_STORE}")
        if path.exists() and not path.is_file():
            raise _refuse("is not a file", "give the path of the store's file")
    store = EventStore.at(text, create=create)
    try:
        return Cases(store)
    except BaseException:
        store.close()
        raise


@contextmanager
def opened_store(db: str | os.PathLike[str], *, create: bool = False) -> Iterator[Any]:
    """The event store at ``--db`` (see :func:`open_cases`), closed afterwards."""
    with open_cases(db, create=create) as cases:
        yield cases.store
