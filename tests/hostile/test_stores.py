"""Issue 18: a store given by mistake (another application's SQLite file, a truncated store)
is refused with advice, and left exactly as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from reciprocity.store import EventStore, StoreError
from reciprocity.casework import Actor, Cases

from lifecycle.register import join_all
from lifecycle.test_walkthrough import KENT_RP_PARTNERS


def test_another_applications_sqlite_file_is_not_made_a_store(tmp_path: Path) -> None:
    other = tmp_path / "crm.db"
    with sqlite3.connect(other) as connection:
        connection.execute("create table customers (id integer)")
    before = other.read_bytes()
    with pytest.raises(StoreError, match="another application's SQLite database"):
        EventStore.at(other)
    assert other.read_bytes() == before


def test_a_truncated_store_says_it_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    with Cases.at(path) as cases:
        join_all(cases.store, "kent_rp", KENT_RP_PARTNERS)
    cut = tmp_path / "cut.db"
    shutil.copy(path, cut)
    with cut.open("r+b") as handle:
        handle.truncate(6000)
    before = cut.read_bytes()
    with pytest.raises(StoreError, match="is damaged") as refused:
        with EventStore.at(cut) as store:
            store.streams("")
    assert "in the event store" not in str(refused.value) and "backup" in str(refused.value)
    assert cut.read_bytes() == before


# --- the CLI's --db: reads never make a store, URLs keep their slashes (issue 18, 14) --------

from click.testing import CliRunner  # noqa: E402

from reciprocity.cli import cli  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_READS = [
    ["due", "--on", "2026-01-01"],
    ["case", "list"],
    ["case", "show", "case-1"],
    ["report", "--scheme", "kent_rp", "--period", "2026"],
    ["ledger", "balances", "--scheme", "kent_rp", "--on", "2026-01-01"],
    ["ledger", "history", "--scheme", "kent_rp"],
    ["partner", "show", "--scheme", "kent_rp", "--on", "2026-01-01"],
    ["arbitration", "show", "--scheme", "kent_rp"],
    ["store", "verify"],
    ["partner", "stock", "orchard_housing", "thanet", "--scheme", "kent_rp", "--on", "2026-01-01"],
    ["case", "approve", "case-1", "--on", "2026-01-01", "--actor", "coordinator", "--role", "coordinator"],
    ["token", "list"],
    ["token", "revoke", "0123456789ab", "--on", "2026-01-01"],
    ["serve", "--port", "1"],
]


def _invoke(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args, env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize("args", _READS, ids=lambda a: " ".join(a[:2]))
def test_a_command_on_a_store_that_does_not_exist_refuses_and_creates_nothing(tmp_path: Path,
                                                                               args: list[str]) -> None:
    # A typo in --db (or the default ./reciprocity.db in the wrong folder) must not read as an
    # empty partnership with nothing due; only `case new` and `partner join` start a store.
    typo = tmp_path / "typo.db"
    code, output = _invoke([*args, "--db", str(typo)])
    assert code == 2, output
    assert "no case store at this path" in output and "case new" in output
    assert not typo.exists()


@pytest.mark.parametrize("args", _READS[:3], ids=lambda a: " ".join(a[:2]))
def test_the_default_store_is_not_created_by_a_read(tmp_path: Path, args: list[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _ = _invoke(args)
    assert code == 2
    assert not (tmp_path / "reciprocity.db").exists()


def test_an_empty_file_is_refused_by_reads_and_by_case_new(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    code, output = _invoke(["case", "list", "--db", str(empty)])
    assert code == 2 and "holds no event store" in output
    code, output = _invoke(["case", "new", str(EXAMPLES / "kent_rp_referral.json"), "--scheme", "kent_rp",
                            "--actor", "coordinator", "--role", "coordinator", "--db", str(empty)])
    assert code == 2 and "is an empty file, not an event store" in output
    assert empty.stat().st_size == 0


def test_a_folder_given_as_the_store_is_refused(tmp_path: Path) -> None:
    code, output = _invoke(["case", "list", "--db", str(tmp_path)])
    assert code == 2 and "is not a file" in output


@pytest.mark.parametrize("form", ["url", "env"])
def test_a_sqlite_url_with_an_absolute_path_keeps_its_slashes(tmp_path: Path, form: str) -> None:
    # `--db` is kept as typed: sqlite:////abs/path.db names /abs/path.db (a click.Path collapsed
    # the '//' and the URL was taken for a file in a folder that does not exist).
    partner = tmp_path / "orchard.yaml"
    partner.write_text("id: orchard_housing\nkind: registered_provider\nstock_areas: [maidstone]\n"
                       "data_sharing_protocol_signatory: true\n", encoding="utf-8")
    store = tmp_path / "shared.db"
    url = f"sqlite:///{store}"  # store is absolute, so four slashes
    assert url.startswith("sqlite:////")
    db_args, env = (["--db", url], None) if form == "url" else ([], {"RECIPROCITY_DB": url})
    code, output = _invoke(["partner", "join", str(partner), "--scheme", "kent_rp", "--on", "2026-01-05",
                            *db_args], env=env)
    assert code == 0, output
    assert store.is_file()
    code, output = _invoke(["partner", "show", "--scheme", "kent_rp", "--on", "2026-01-06", "--json", *db_args],
                           env=env)
    assert code == 0 and "orchard_housing" in output


def test_an_unknown_scheme_is_refused_by_case_list(tmp_path: Path) -> None:
    store = tmp_path / "s.db"
    with Cases.at(store) as cases:
        join_all(cases.store, "kent_rp", KENT_RP_PARTNERS)
    code, output = _invoke(["case", "list", "--scheme", "nope", "--db", str(store)])
    assert code == 2 and "nope" not in output and "reciprocity schemes" in output


# --- a store changed outside the library: refused with advice, never a traceback ------------

NAME = "Zelda_Quarrington"


def _tampered(tmp_path: Path, sql: str) -> str:
    path = tmp_path / "tampered.db"
    with Cases.at(path) as cases:
        join_all(cases.store, "kent_rp", KENT_RP_PARTNERS)
    with sqlite3.connect(path) as connection:
        connection.execute(sql)
    return str(path)


@pytest.mark.parametrize("sql", [
    "update events set payload = '{not json' where position = 2",
    "update events set payload = '[1, 2]' where position = 2",
    f"update events set payload = '{{\"a\": \"\x1b[31m\"}}' where position = 2",
    f"update events set type = '{NAME}' where position = 2",
], ids=["not-json", "not-an-object", "control-character", "unknown-kind"])
@pytest.mark.parametrize("command", [
    ["due", "--on", "2026-06-01"],
    ["partner", "show", "--scheme", "kent_rp", "--on", "2026-06-01"],
    ["report", "--scheme", "kent_rp", "--period", "2026"],
], ids=lambda c: " ".join(c[:2]))
def test_a_record_changed_outside_the_library_is_refused_with_advice(tmp_path: Path, sql: str,
                                                                     command: list[str]) -> None:
    db = _tampered(tmp_path, sql)
    code, output = _invoke([*command, "--db", db])
    assert code == 3, output  # the store cannot be used: not a mistake in what was typed (2)
    assert "cannot be read" in output and "backup" in output
    assert NAME not in output and "\x1b" not in output
