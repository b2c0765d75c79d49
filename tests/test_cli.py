"""The ``reciprocity`` command line: schemes, check and schema, and every user mistake.

A mistake ends with exit code 2 and a message naming the field path or file position and
what to do, never a traceback. The bad-input cases run both in process (click's
CliRunner) and as the installed console script in a fresh process, because only a real
process shows what a user sees when an exception escapes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import reciprocity
from reciprocity.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in {".json", ".yaml", ".yml"})
BUILTIN = ("cambridgeshire", "kent_krs", "kent_rp")
USER_ERROR = 2


@dataclass
class Ran:
    code: int
    output: str  # stdout and stderr together, as a user sees them


def _console_script() -> list[str]:
    script = shutil.which("reciprocity", path=str(Path(sys.executable).parent)) or shutil.which("reciprocity")
    if script:
        return [script]
    return [sys.executable, "-c", "from reciprocity.cli import main; main()"]


def run_in_process(args: list[str], cwd: Path) -> Ran:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        result = CliRunner().invoke(cli, args, prog_name="reciprocity")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # CliRunner swallows the traceback a user would see; show it as the failure.
        raise AssertionError(f"uncaught {type(result.exception).__name__}") from result.exception
    return Ran(result.exit_code, result.output)


def run_console_script(args: list[str], cwd: Path) -> Ran:
    env = {**os.environ, "COLUMNS": "200"}
    done = subprocess.run(
        [*_console_script(), *args],
        capture_output=True, text=True, env=env, cwd=cwd, timeout=120, check=False,
    )
    return Ran(done.returncode, done.stdout + done.stderr)


RUNNERS: dict[str, Callable[[list[str], Path], Ran]] = {
    "cli_runner": run_in_process,
    "console_script": run_console_script,
}


def example_scheme(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return document["scheme"]


def kent_rp() -> dict[str, Any]:
    return json.loads((ROOT / "examples" / "kent_rp_referral.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _builtin_schemes() -> Iterator[None]:
    """Exactly the built-in schemes, in process (the shared registry) and in subprocesses."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RECIPROCITY_LOAD_PLUGINS", ",".join(BUILTIN))
        assert set(reciprocity.reload_plugins().schemes) == set(BUILTIN)
        yield
    reciprocity.reload_plugins()


# --- schemes ------------------------------------------------------------------------------


def test_schemes_lists_the_three_schemes(tmp_path: Path) -> None:
    ran = run_in_process(["schemes"], tmp_path)
    assert ran.code == 0
    for scheme in reciprocity.schemes():
        assert scheme.id in ran.output
        assert scheme.version in ran.output
    assert "was not loaded" not in ran.output


def test_schemes_as_json(tmp_path: Path) -> None:
    ran = run_in_process(["schemes", "--json"], tmp_path)
    assert ran.code == 0
    listed = json.loads(ran.output)
    assert [s["id"] for s in listed["schemes"]] == list(BUILTIN)
    assert listed["plugin_failures"] == []
    by_id = {s["id"]: s for s in listed["schemes"]}
    assert by_id["kent_rp"]["rules"] == len(reciprocity.get_scheme("kent_rp").rules)
    assert "maidstone" in by_id["kent_rp"]["areas"]


# --- check --------------------------------------------------------------------------------


def test_there_are_examples_for_every_scheme() -> None:
    assert sorted(example_scheme(p) for p in EXAMPLES) == list(BUILTIN)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_check_finds_each_example_eligible(example: Path, tmp_path: Path) -> None:
    ran = run_in_process(["check", "--scheme", example_scheme(example), str(example)], tmp_path)
    assert ran.code == 0, ran.output
    first = ran.output.splitlines()[0]
    assert first.startswith("ELIGIBLE")
    assert "NOT ELIGIBLE" not in ran.output
    assert example_scheme(example) in first


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_check_as_json(example: Path, tmp_path: Path) -> None:
    scheme = example_scheme(example)
    ran = run_in_process(["check", "--scheme", scheme, "--json", str(example)], tmp_path)
    assert ran.code == 0, ran.output
    decision = json.loads(ran.output)
    assert decision["outcome"] == "eligible"
    assert decision["scheme"] == scheme
    assert decision["missing_facts"] == []
    rule_ids = {r.id for r in reciprocity.get_scheme(scheme).rules}
    assert decision["findings"], "a decision must show its findings"
    for finding in decision["findings"]:
        assert finding["rule"] in rule_ids
        assert finding["status"] in {"met", "not_applicable"}
        assert finding["clause"] and finding["sentence"]
    assert {f["rule"] for f in decision["findings"]} == rule_ids


def test_check_shows_why_a_referral_is_not_eligible(tmp_path: Path) -> None:
    doc = kent_rp()
    doc["subject_role"] = "perpetrator"
    path = tmp_path / "perpetrator.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    ran = run_in_process(["check", "--scheme", "kent_rp", str(path)], tmp_path)
    assert ran.code == 0  # a decision, not a mistake
    assert ran.output.startswith("NOT ELIGIBLE")
    assert "Kent RP MoU §1.2" in ran.output

    ran = run_in_process(["check", "--scheme", "kent_rp", "--json", str(path)], tmp_path)
    decision = json.loads(ran.output)
    assert decision["outcome"] == "ineligible"
    [failed] = [f for f in decision["findings"] if f["status"] == "not_met"]
    assert failed["rule"] == "kent_rp.subject_survivor"


def test_check_on_a_date(tmp_path: Path) -> None:
    example = ROOT / "examples" / "kent_rp_referral.json"
    ran = run_in_process(["check", "--scheme", "kent_rp", "--on", "2026-04-01", "--json", str(example)], tmp_path)
    assert ran.code == 0
    assert json.loads(ran.output)["on"] == "2026-04-01"


def test_the_console_script_checks_an_example(tmp_path: Path) -> None:
    example = ROOT / "examples" / "kent_rp_referral.json"
    ran = run_console_script(["check", "--scheme", "kent_rp", str(example)], tmp_path)
    assert ran.code == 0, ran.output
    assert ran.output.startswith("ELIGIBLE")
    assert "kent_rp.nominator_social_landlord" in ran.output

    ran = run_console_script(["check", "--scheme", "kent_rp", "--json", str(example)], tmp_path)
    assert json.loads(ran.output)["outcome"] == "eligible"


# --- schema -------------------------------------------------------------------------------


def test_schema_prints_the_json_schema(tmp_path: Path) -> None:
    ran = run_in_process(["schema"], tmp_path)
    assert ran.code == 0
    printed = json.loads(ran.output)
    assert printed == reciprocity.referral_json_schema()
    assert printed["additionalProperties"] is False
    assert "referred_on" in printed["properties"]


def test_schema_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "referral.schema.json"
    ran = run_in_process(["schema", "--out", str(out)], tmp_path)
    assert ran.code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == reciprocity.referral_json_schema()


# --- user mistakes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Mistake:
    """A bad input: the files to write, the arguments, and what the message must say."""

    args: tuple[str, ...]
    says: tuple[str, ...]
    files: tuple[tuple[str, str], ...] = ()
    never_says: tuple[str, ...] = ()


def _json(**changes: Any) -> str:
    doc = kent_rp()
    for key, value in changes.items():
        if value is None:
            del doc[key]
        else:
            doc[key] = value
    return json.dumps(doc, indent=2)


def _missing_fields() -> str:
    doc = kent_rp()
    del doc["referred_on"]
    del doc["nominating_partner"]["id"]
    return json.dumps(doc)


EXAMPLE = str(ROOT / "examples" / "kent_rp_referral.json")

MISTAKES = {
    "malformed_json": Mistake(
        args=("check", "--scheme", "kent_rp", "bad.json"),
        files=(("bad.json", '{\n  "id": "KRP-1",\n  "referred_on": \n}\n'),),
        says=("bad.json line 4 column 1", "fix the JSON syntax"),
    ),
    "malformed_yaml": Mistake(
        args=("check", "--scheme", "kent_rp", "bad.yaml"),
        files=(("bad.yaml", "id: KRP-1\nrequested_areas: [thanet\nurgent: true\n"),),
        says=("bad.yaml line 3 column", "fix the YAML syntax"),
    ),
    "unknown_scheme": Mistake(
        args=("check", "--scheme", "kent_xx", EXAMPLE),
        says=("no scheme with this id", "cambridgeshire, kent_krs, kent_rp", "reciprocity schemes"),
    ),
    "wrong_types": Mistake(
        args=("check", "--scheme", "kent_rp", "types.json"),
        files=(("types.json", _json(urgent="perhaps", requested_areas="thanet")),),
        says=("urgent:", "must be true or false", "requested_areas:", "give a list"),
    ),
    "missing_fields": Mistake(
        args=("check", "--scheme", "kent_rp", "missing.json"),
        files=(("missing.json", _missing_fields()),),
        says=("referred_on: is required; add this field", "nominating_partner.id: is required"),
    ),
    "unknown_fields": Mistake(
        args=("check", "--scheme", "kent_rp", "unknown.json"),
        files=(("unknown.json", _json(caller_phone="07700 900123")),),
        says=("(top level): holds a field this model does not have", "remove it or check its spelling",
              "reciprocity schema"),
        never_says=("07700", "caller_phone"),
    ),
    "impossible_date_in_json": Mistake(
        args=("check", "--scheme", "kent_rp", "date.json"),
        files=(("date.json", _json(referred_on="2026-02-30")),),
        says=("referred_on:", "YYYY-MM-DD"),
    ),
    "impossible_date_on_option": Mistake(
        args=("check", "--scheme", "kent_rp", "--on", "2026-02-30", EXAMPLE),
        says=("--on", "not a real date", "YYYY-MM-DD"),
    ),
    "missing_file": Mistake(
        args=("check", "--scheme", "kent_rp", "no_such_referral.json"),
        says=("no_such_referral.json", "does not exist", "check the path"),
    ),
    "unsupported_extension": Mistake(
        args=("check", "--scheme", "kent_rp", "referral.txt"),
        files=(("referral.txt", _json()),),
        says=("referral.txt", "unknown extension", "name it .json, .yaml or .yml"),
    ),
    "scheme_field_disagrees": Mistake(
        args=("check", "--scheme", "kent_krs", EXAMPLE),
        says=("scheme:", "names a different scheme", "use it under its own scheme or correct the field"),
    ),
    "not_utf8": Mistake(
        args=("check", "--scheme", "kent_rp", "latin1.json"),
        files=(("latin1.json", "\udcff\udcfe{}"),),
        says=("latin1.json", "is not UTF-8 text", "save the file as UTF-8"),
    ),
    "empty_yaml": Mistake(
        args=("check", "--scheme", "kent_rp", "empty.yaml"),
        files=(("empty.yaml", ""),),
        says=("(top level)", "expected an object", "give the referral as a mapping of fields"),
    ),
    "a_directory": Mistake(
        args=("check", "--scheme", "kent_rp", "folder.json"),
        files=(("folder.json/", ""),),
        says=("folder.json", "is a directory"),
    ),
}

#: Mistakes that once crashed the CLI (fixed; kept as regressions).
MISTAKES["impossible_date_in_yaml"] = Mistake(
    args=("check", "--scheme", "kent_rp", "date.yaml"),
    files=(("date.yaml", "id: KRP-1\nreferred_on: 2026-02-30\n"),),
    says=("referred_on", "YYYY-MM-DD"),
)
MISTAKES["deeply_nested_json"] = Mistake(
    args=("check", "--scheme", "kent_rp", "deep.json"),
    files=(("deep.json", "[" * 100_000 + "]" * 100_000),),
    says=("deep.json",),
)


def _cases() -> list[Any]:
    return [pytest.param(name, mistake, id=name) for name, mistake in MISTAKES.items()]


def _write(tmp_path: Path, files: tuple[tuple[str, str], ...]) -> None:
    for name, text in files:
        path = tmp_path / name
        if name.endswith("/"):
            path.mkdir()
        else:
            path.write_bytes(text.encode("utf-8", errors="surrogateescape"))


@pytest.mark.parametrize("runner", sorted(RUNNERS))
@pytest.mark.parametrize(("name", "mistake"), _cases())
def test_a_mistake_ends_with_a_message_and_exit_code_2(
    name: str, mistake: Mistake, runner: str, tmp_path: Path
) -> None:
    _write(tmp_path, mistake.files)
    ran = RUNNERS[runner](list(mistake.args), tmp_path)
    assert "Traceback" not in ran.output
    assert ran.code == USER_ERROR, ran.output
    flat = " ".join(ran.output.split())
    for words in mistake.says:
        assert words in flat, f"{name}: the message does not say {words!r}:\n{ran.output}"
    for words in mistake.never_says:
        assert words not in ran.output
