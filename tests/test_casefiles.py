"""The YAML test-case runner (reciprocity.casefiles) and ``reciprocity test``.

A wrong expectation fails and names the rule with both statuses; a malformed file is refused
with a message naming the file and the field; the command exits 0, 1 or 2; referral values
appear only inside the library's own finding sentences.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from reciprocity.casefiles import case_files, load_cases, run_case
from reciprocity.cli import cli
from reciprocity.errors import InvalidInputError

ROOT = Path(__file__).resolve().parent.parent
KENT_RP = (ROOT / "examples" / "kent_rp_referral.json").as_posix()


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).replace("BASE", KENT_RP), encoding="utf-8")
    return path


POLICE_CASE = """\
    name: police-only assessment
    scheme: kent_rp
    referral:
      base: BASE
      changes: {{risk.assessed_by: police}}
    expect:
      outcome: {outcome}
      findings: {{assessed_at_risk: {status}}}
"""


def police(folder: Path, outcome: str, status: str, name: str = "case.yaml") -> Path:
    return write(folder, name, POLICE_CASE.format(outcome=outcome, status=status))


def test_a_right_expectation_passes(tmp_path: Path) -> None:
    [case] = load_cases(police(tmp_path, "ineligible", "not_met"))
    result = run_case(case)
    assert result.passed, result.report()


def test_a_wrong_expectation_names_the_rule_both_statuses_and_the_sentence(tmp_path: Path) -> None:
    [case] = load_cases(police(tmp_path, "eligible", "met"))
    result = run_case(case)
    assert not result.passed
    report = result.report()
    assert "outcome: expected eligible, got ineligible" in report
    assert "kent_rp.assessed_at_risk: expected met, got not_met" in report
    assert "Kent RP MoU §3.2 (first condition)" in report  # the actual finding's sentence


def test_decided_by_others_and_missing_are_checked(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", """\
        - name: wrong deciding clause, others and missing fact
          scheme: kent_rp
          referral:
            base: BASE
            changes: {risk.assessed_by: police}
          expect:
            outcome: ineligible
            decided_by: [Kent RP MoU §3.3, assessed_at_risk]
            others: met
            missing: [urgent]
        - name: the referral date can be overridden with on
          scheme: kent_rp
          on: 2026-04-01
          referral: {base: BASE}
          expect: {outcome: eligible, others: met}
    """)
    wrong, dated = load_cases(path)
    report = run_case(wrong).report()
    assert "decided by Kent RP MoU §3.3" in report
    assert "decided by kent_rp.assessed_at_risk" not in report  # it is among the failed findings
    assert "kent_rp.assessed_at_risk: expected met, got not_met" in report  # from others: met
    assert "missing urgent" in report
    assert dated.spec.on is not None and dated.spec.on.isoformat() == "2026-04-01"
    assert run_case(dated).passed


def test_an_inline_referral_is_accepted(tmp_path: Path) -> None:
    import json  # noqa: PLC0415

    referral = json.loads(Path(KENT_RP).read_text(encoding="utf-8"))
    path = tmp_path / "inline.yaml"
    import yaml  # noqa: PLC0415

    path.write_text(yaml.safe_dump({"name": "inline", "scheme": "kent_rp", "engine": "native",
                                    "referral": referral, "expect": {"outcome": "eligible"}}), encoding="utf-8")
    [case] = load_cases(path)
    assert run_case(case).passed


@pytest.mark.parametrize(("text", "field"), [
    ("name: x\nscheme: kent_rp\nreferral: {base: BASE}\nexpect: {outcome: elegible}\n", "expect.outcome"),
    ("name: x\nscheme: kent_rp\nreferral: {base: BASE}\nexpect: {outcome: eligible, findings: {assesed: met}}\n",
     "expect.findings: names a rule"),
    ("name: x\nscheme: kent_rp\nreferral: {base: BASE}\nexpect: {outcome: eligible, findings: {assessed_at_risk: yes}}\n",
     "expect.findings"),
    ("name: x\nscheme: kent_rpx\nreferral: {base: BASE}\nexpect: {outcome: eligible}\n", "scheme"),
    ("scheme: kent_rp\nreferral: {base: BASE}\nexpect: {outcome: eligible}\n", "name"),
    ("name: x\nscheme: kent_rp\nreferral: {base: BASE}\n", "expect"),
    ("name: x\nscheme: kent_rp\nreferral: {base: BASE}\nexpect: {outcome: eligible}\nexpected: 1\n", "expected"),
    ("name: x\nscheme: kent_rp\nreferral: {base: nowhere.json}\nexpect: {outcome: eligible}\n", "referral.base"),
    ("name: x\nscheme: kent_rp\nreferral: {base: BASE, changes: {risk.assesed_by: police}}\n"
     "expect: {outcome: eligible}\n", "referral.risk"),
    ("name: x\nscheme: kent_rp\nreferral: {base: BASE, changes: {household.members.7.age: 3}}\n"
     "expect: {outcome: eligible}\n", "referral.changes.household.members.7.age"),
    ("name: x\nscheme: kent_krs\nreferral: {base: BASE}\nexpect: {outcome: eligible}\n", "referral.scheme"),
    ("- name: x\n  scheme: kent_rp\n  referral: {base: BASE}\n  expect: {outcome: eligible}\n- 3\n", "[1]"),
    ("just text\n", "holds no case"),
    ("name: [unclosed\n", "is not valid YAML"),
])
def test_a_malformed_file_names_the_file_and_the_field(tmp_path: Path, text: str, field: str) -> None:
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(InvalidInputError) as raised:
        load_cases(path)
    message = str(raised.value)
    assert "bad.yaml" in message
    assert field in message


def test_errors_do_not_repeat_referral_values(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.yaml", """\
        name: x
        scheme: kent_rp
        referral:
          base: BASE
          changes: {risk.dash_score: Jane-Invented-Doe}
        expect: {outcome: eligible}
    """)
    with pytest.raises(InvalidInputError) as raised:
        load_cases(path)
    assert "referral.risk.dash_score" in str(raised.value)
    assert "Jane" not in str(raised.value)


def test_folders_are_searched_recursively(tmp_path: Path) -> None:
    police(tmp_path / "a" / "b", "ineligible", "not_met", "one.yaml")
    write(tmp_path, "notes.txt", "not a case\n")
    assert [p.name for p in case_files([tmp_path])] == ["one.yaml"]
    with pytest.raises(InvalidInputError, match="does not exist"):
        case_files([tmp_path / "nowhere"])


def invoke(*paths: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["test", *map(str, paths)], prog_name="reciprocity")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_command_exits_0_when_every_case_passes(tmp_path: Path) -> None:
    police(tmp_path, "ineligible", "not_met")
    code, output = invoke(tmp_path)
    assert code == 0, output
    assert "PASS" in output and "1 passed, 0 failed" in output


def test_command_exits_1_and_prints_the_differing_findings(tmp_path: Path) -> None:
    police(tmp_path, "ineligible", "not_met", "good.yaml")
    police(tmp_path, "eligible", "met", "wrong.yaml")
    code, output = invoke(tmp_path)
    assert code == 1, output
    assert "FAIL" in output and "kent_rp.assessed_at_risk: expected met, got not_met" in output
    assert "1 passed, 1 failed" in output
    assert "KRP-2026-014" not in output  # the referral's id is not printed


def test_command_exits_2_for_a_malformed_file_and_still_runs_the_others(tmp_path: Path) -> None:
    police(tmp_path, "ineligible", "not_met", "good.yaml")
    write(tmp_path, "bad.yaml", "name: x\nscheme: kent_rp\nreferral: {base: BASE}\nexpect: {outcome: maybe}\n")
    code, output = invoke(tmp_path)
    assert code == 2, output
    assert "expect.outcome" in output and "bad.yaml" in output
    assert "1 passed" in output and "Traceback" not in output


def test_command_exits_2_for_a_missing_path_or_no_cases(tmp_path: Path) -> None:
    assert invoke(tmp_path / "nowhere.yaml")[0] == 2
    assert invoke(tmp_path)[0] == 2


def test_the_project_cases_pass_through_the_command() -> None:
    code, output = invoke(ROOT / "tests" / "cases")
    assert code == 0, output


@pytest.mark.parametrize("scheme", ["kent_rp", "kent_krs", "cambridgeshire"])
def test_each_scheme_has_at_least_ten_cases(scheme: str) -> None:
    cases = [case for path in case_files([ROOT / "tests" / "cases" / scheme]) for case in load_cases(path)]
    assert len(cases) >= 10
    assert {case.spec.scheme for case in cases} == {scheme}
    assert all(case.spec.clause for case in cases)  # each case cites its clause


def test_what_a_case_expects_is_checked_against_the_scheme_without_echo(tmp_path: Path) -> None:
    # A mismatch is reported by the scheme's rule ids and facts, so an expectation naming
    # something else is refused when the file is read, and never repeated.
    name = "Zelda Quarrington 07700900461"
    referral = Path(__file__).resolve().parents[1] / "examples" / "kent_rp_referral.json"
    path = tmp_path / "case.yaml"
    path.write_text(f"- name: expects\n  scheme: kent_rp\n  referral: {{base: {referral}}}\n"
                    f"  expect: {{outcome: eligible, decided_by: [{name}], missing: [zelda_q],\n"
                    f"           findings: {{zelda_q: met}}}}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["test", str(path)])
    assert result.exit_code == 2
    for words in ("expect.decided_by[0]: is neither a rule id nor a clause of kent_rp",
                  "expect.missing[0]: is not a fact kent_rp reads", "expect.findings: names a rule"):
        assert words in result.output
    assert "zelda" not in result.output.lower()
