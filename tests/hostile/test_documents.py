"""Issue 18: a file can hold anything; reading it never hangs, never exhausts memory and never
builds objects from tags. Each refusal is a plain InvalidInputError naming the file and what
to do, within 2 s and 200 MB, measured in a fresh process (so the limit is the whole
command's, interpreter included)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reciprocity.documents import DEFAULT_MAX_INPUT_BYTES, MAX_DEPTH, load_document, parse_document
from reciprocity.errors import InvalidInputError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _bomb(levels: int = 9) -> str:
    """A "billion laughs" YAML: each level repeats the one before nine times."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    lines.append("risk: {harm_types: *l%d}" % (levels - 1))
    return "\n".join(lines) + "\n"


def _files(tmp: Path) -> dict[str, Path]:
    """The hostile files, by name."""
    referral = json.loads((EXAMPLES / "kent_rp_referral.json").read_text(encoding="utf-8"))
    out = {"bomb": tmp / "bomb.yaml", "zero": tmp / "zero.json", "pipe": tmp / "pipe.yaml",
           "huge": tmp / "huge.json", "folder": tmp / "folder.yaml"}
    out["bomb"].write_text(_bomb(), encoding="utf-8")
    out["zero"].symlink_to("/dev/zero")
    os.mkfifo(out["pipe"])
    with out["huge"].open("w", encoding="utf-8") as handle:  # 50 MB of one referral's padding
        handle.write(json.dumps({**referral, "id": "x" * 50_000_000}))
    out["folder"].mkdir()
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _files(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize(("name", "says"), [
    ("bomb", "uses a YAML alias"),
    ("zero", "is not a regular file"),
    ("pipe", "is not a regular file"),
    ("huge", "is larger than the 1,000,000 bytes"),
    ("folder", "is not a regular file"),
])
def test_hostile_files_are_refused_quickly_and_in_little_memory(hostile: dict[str, Path], name: str,
                                                               says: str) -> None:
    path = hostile[name]
    # The child reports its own peak, VmHWM, which starts afresh at exec (ru_maxrss would
    # carry over the forking test process's size on Linux).
    script = ("import sys\nfrom reciprocity.inputs import load_document\n"
              "from reciprocity.errors import InvalidInputError\n"
              "try:\n    load_document(__import__('pathlib').Path(sys.argv[1]))\nexcept InvalidInputError:\n"
              "    print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))\n"
              "    sys.exit(2)\n")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, str(path)], timeout=30, check=False,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    assert done.returncode == 2, done.stderr[-500:]
    peak_mb = int(done.stdout.strip()) / 1024
    assert elapsed < 2.0, f"{name}: {elapsed:.2f} s"
    assert peak_mb < 200, f"{name}: {peak_mb:.0f} MB"
    with pytest.raises(InvalidInputError, match=says) as refused:  # in this process, once it is known to end
        load_document(path)
    assert path.name in str(refused.value) and "lol" not in str(refused.value)


def test_the_size_limit_can_be_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RECIPROCITY_MAX_INPUT_BYTES sets the limit; the default is 1 MB."""
    path = tmp_path / "padded.json"
    path.write_text(json.dumps({"id": "x" * DEFAULT_MAX_INPUT_BYTES}), encoding="utf-8")
    with pytest.raises(InvalidInputError, match="larger than"):
        load_document(path)
    monkeypatch.setenv("RECIPROCITY_MAX_INPUT_BYTES", str(3 * DEFAULT_MAX_INPUT_BYTES))
    assert len(load_document(path)["id"]) == DEFAULT_MAX_INPUT_BYTES


@pytest.mark.parametrize(("text", "says"), [
    ("a: !!binary aGVsbG8=\n", "tag that is not plain data"),
    ("a: !!set {x, y}\n", "tag that is not plain data"),
    ("a: !!timestamp 2026-01-01\n", "tag that is not plain data"),
    ("a: !!python/object:os.system {}\n", "tag that is not plain data"),
    ("a: !custom x\n", "tag that is not plain data"),
    ("a: &x [1]\nb: *x\n", "uses a YAML alias"),
    ("a: &x {k: 1}\nb: {<<: *x}\n", "uses a YAML alias"),
    ("{1: x}\n", "key that is not text"),
])
def test_yaml_is_plain_data(text: str, says: str) -> None:
    with pytest.raises(InvalidInputError, match=says):
        parse_document(text, name="case.yaml", kind="yaml")


@pytest.mark.parametrize(("text", "value"), [
    ("a: yes\n", "yes"), ("a: on\n", "on"), ("on: 2026-01-01\n", None), ("a: 1:20\n", "1:20"),
    ("a: true\n", True), ("a: 2026-03-01\n", "2026-03-01"), ("a: 7\n", 7),
    ("a: 012\n", 12), ("a: -007\n", -7), ("a: 0o12\n", 10), ("a: 0x1f\n", 31),
])
def test_yaml_reads_only_what_a_person_would_expect(text: str, value: object) -> None:
    """YAML 1.2's core schema: only true/false are yes/no, `on:` stays a key, dates stay text
    (so an impossible one is reported at its field), 1:20 is not the number 80, and 012 is
    twelve (YAML 1.1 read it as octal ten: an age written 012 would become 10)."""
    data = parse_document(text, name="x.yaml", kind="yaml")
    assert data == ({"on": "2026-01-01"} if value is None else {"a": value})


def test_nesting_is_bounded(tmp_path: Path) -> None:
    deep_ok = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    parse_document(deep_ok, name="x.json", kind="json")
    for depth in (MAX_DEPTH + 1, 100_000):
        with pytest.raises(InvalidInputError, match="nested more than"):
            parse_document("[" * depth + "]" * depth, name="x.json", kind="json")


def test_text_must_be_utf8_and_a_bom_is_fine(tmp_path: Path) -> None:
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"id": "Ren\xe9e"}'.encode("latin-1"))
    with pytest.raises(InvalidInputError, match="latin.json: is not UTF-8 text") as refused:
        load_document(latin)
    assert "Ren" not in str(refused.value)
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + b'{"id": "K1"}')
    assert load_document(bom) == {"id": "K1"}


def test_a_yaml_case_file_whose_base_is_a_device_is_reported_not_read(tmp_path: Path) -> None:
    """A YAML test case's `base:` goes through the same reading (docs/test-cases.md)."""
    from reciprocity.casefiles import InvalidCase, load_cases  # noqa: PLC0415

    (tmp_path / "zero.json").symlink_to("/dev/zero")
    cases = tmp_path / "cases.yaml"
    cases.write_text("name: x\nscheme: kent_rp\nreferral: {base: zero.json}\nexpect: {outcome: eligible}\n",
                     encoding="utf-8")
    started = time.perf_counter()
    [case] = load_cases(cases)  # a case that is not valid is reported on its own
    assert time.perf_counter() - started < 2.0
    assert isinstance(case, InvalidCase)
    assert "referral.base" in str(case.error) and "regular file" in str(case.error)


@pytest.mark.parametrize(("text", "kind"), [
    ("urgent: true\nurgent: false\n", "yaml"),
    ("household: {members: [{age: 30, age: 31}]}\n", "yaml"),
    ('{"urgent": true, "urgent": false}', "json"),
    ('{"household": {"members": [{"age": 30, "age": 31}]}}', "json"),
])
def test_a_key_given_twice_is_refused_not_overwritten(text: str, kind: str) -> None:
    # The last value used to win silently, and change the decision (a flag read as false).
    with pytest.raises(InvalidInputError, match="the same key twice") as refused:
        parse_document(text, name="referral", kind=kind)
    assert "urgent" not in str(refused.value) and "age" not in str(refused.value)


def test_a_long_yaml_list_is_refused_within_the_time_bound(tmp_path: Path) -> None:
    path = tmp_path / "areas.yaml"
    path.write_text("requested_areas: [" + ", ".join(["thanet"] * 100_000) + "]\n", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(InvalidInputError, match="more than 100,000 values"):
        load_document(path)
    assert time.perf_counter() - started < 2.0
