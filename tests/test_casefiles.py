"""The YAML test-case runner (reciprocity.casefiles) and ``reciprocity test``.

A wrong expectation fails and names the rule with both statuses; a case that is not valid
fails alone, naming the file, the case and the field, and a file that is not a case file is
refused; a case dated before its scheme's rules fails with that reason; ``missing`` names
referral fields; the command exits 0, 1 or 2; referral values appear only inside the library's
own finding sentences.
"""

from __future__ import annotations

import re
import shutil
import textwrap
import typing
from datetime import date
from pathlib import Path

import attrs
import pydantic
import pytest
from click.testing import CliRunner

import reciprocity
from reciprocity.casefiles import InvalidCase, TestCase, case_files, load_cases, run_case
from reciprocity.cli import cli
from reciprocity.errors import InvalidInputError
from reciprocity.model.referral import Referral
from reciprocity.plugins import registry

pytest_plugins = ("pytester",)  # to run tests/cases/conftest.py on a file of its own

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


def valid(path: Path) -> list[TestCase]:
    """The file's cases, every one of them valid."""
    cases = load_cases(path)
    invalid = [str(case.error) for case in cases if isinstance(case, InvalidCase)]
    assert not invalid, invalid
    return typing.cast("list[TestCase]", cases)


def test_a_right_expectation_passes(tmp_path: Path) -> None:
    [case] = valid(police(tmp_path, "ineligible", "not_met"))
    result = run_case(case)
    assert result.passed, result.report()


def test_a_wrong_expectation_names_the_rule_both_statuses_and_the_sentence(tmp_path: Path) -> None:
    [case] = valid(police(tmp_path, "eligible", "met"))
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
    wrong, dated = valid(path)
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
    [case] = valid(path)
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
    ("- name: x\n  scheme: kent_rp\n  referral: {base: BASE}\n  expect: {outcome: eligible}\n- 3\n", "::[1]"),
    ("- name: y\n  scheme: kent_rp\n  referral: {base: BASE}\n  expect: {outcome: eligible}\n- {name: z}\n",
     "bad.yaml::z"),
])
def test_an_invalid_case_names_the_file_the_case_and_the_field(tmp_path: Path, text: str, field: str) -> None:
    path = write(tmp_path, "bad.yaml", text)
    invalid = [case for case in load_cases(path) if isinstance(case, InvalidCase)]
    assert len(invalid) == 1  # in a list, the valid case beside it is read as usual
    message = str(invalid[0].error)
    assert "bad.yaml" in message
    assert field in message


@pytest.mark.parametrize(("text", "field"), [
    ("just text\n", "holds no case"),
    ("[]\n", "holds no case"),
    ("name: [unclosed\n", "is not valid YAML"),
])
def test_a_file_that_is_not_a_case_file_is_malformed(tmp_path: Path, text: str, field: str) -> None:
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
    [case] = load_cases(path)
    assert isinstance(case, InvalidCase)
    assert "referral.risk.dash_score" in str(case.error)
    assert "Jane" not in str(case.error)


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
    write(tmp_path, "not_yaml.yaml", "name: [unclosed\n")
    code, output = invoke(tmp_path)
    assert code == 2, output
    assert f"ERROR {tmp_path / 'bad.yaml'}::x" in output and "expect.outcome" in output
    assert f"ERROR {tmp_path / 'not_yaml.yaml'}\n" in output and "is not valid YAML" in output
    assert "1 passed, 0 failed, 1 invalid case(s), 1 malformed file(s)" in output and "Traceback" not in output


def test_command_exits_2_for_a_missing_path_or_no_cases(tmp_path: Path) -> None:
    assert invoke(tmp_path / "nowhere.yaml")[0] == 2
    assert invoke(tmp_path)[0] == 2


def test_the_project_cases_pass_through_the_command() -> None:
    code, output = invoke(ROOT / "tests" / "cases")
    assert code == 0, output


@pytest.mark.parametrize("scheme", ["kent_rp", "kent_krs", "cambridgeshire"])
def test_each_scheme_has_at_least_ten_cases(scheme: str) -> None:
    cases = [case for path in case_files([ROOT / "tests" / "cases" / scheme]) for case in valid(path)]
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
                  "expect.missing[0]: is not a referral field kent_rp's rules read",
                  "expect.findings: names a rule"):
        assert words in result.output
    assert "zelda" not in result.output.lower()


# --- a case dated before any rule is in force fails alone (issue 15) -------------------------

NEW = reciprocity.rules.Source(key="n1", title="New agreement (invented)", citation="New MoU", file="n1.txt")
STARTS = date(2027, 1, 1)  # after the example referral's date, 2026-03-02


def new_scheme(**changes: typing.Any) -> reciprocity.Scheme:
    """A scheme whose one rule (the need is urgent) comes into force on STARTS."""
    rule = reciprocity.rules.Rule(
        id="new_scheme.urgent", clauses=reciprocity.rules.Clause(NEW, "1"),
        statement="The need to move must be urgent.", require=reciprocity.rules.fact("urgent").is_true(),
        passed="the need is urgent", failed="the need is not urgent", effective_from=STARTS)
    fields: dict[str, typing.Any] = {"id": "new_scheme", "title": "New scheme (invented)",
                                     "summary": "Its rules start in 2027.", "version": "0.1",
                                     "sources": [NEW], "areas": [], "rules": [rule]}
    return reciprocity.Scheme(**(fields | changes))


EARLY_CASES = """\
    - name: decided on the referral's date, before the rules
      scheme: new_scheme
      referral: {base: BASE, changes: {scheme: null}}
      expect: {outcome: eligible}
    - name: decided once the rules are in force
      scheme: new_scheme
      on: 2027-02-01
      referral: {base: BASE, changes: {scheme: null}}
      expect: {outcome: eligible}
"""


def test_a_case_dated_before_the_rules_fails_alone_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reason = "no rule of scheme new_scheme is in force on the case's date"
    scheme = new_scheme()
    monkeypatch.setitem(registry().schemes, "new_scheme", scheme)
    write(tmp_path, "a_early.yaml", EARLY_CASES)
    police(tmp_path, "ineligible", "not_met", "b_other.yaml")

    early, later = valid(tmp_path / "a_early.yaml")
    result = run_case(early)
    assert not result.passed
    assert reason in result.report()
    assert run_case(later).passed

    code, output = invoke(tmp_path)
    assert code == 1, output  # a failed case, not bad input
    assert f"FAIL  {tmp_path / 'a_early.yaml'}::decided on the referral's date, before the rules" in output
    assert f"decision: expected a decision under new_scheme, got none: {reason}" in output
    assert "its first rules come into force on 2027-01-01" in output
    assert "2 passed, 1 failed" in output  # the file's other case and the other file still ran
    assert "2026-03-02" not in output and "Traceback" not in output  # the referral's date is not shown


def test_a_parameter_not_yet_in_force_does_not_stop_a_case_no_rule_reading_it_applies_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule cannot read a parameter before its first value (Scheme refuses it), so a case
    dated before a parameter starts is decided by the rules then in force."""
    scheme = new_scheme()
    minimum = reciprocity.rules.Parameter(name="minimum_age", label="minimum age", description="Invented.",
                                          values=[(STARTS, 16)])
    scheme = new_scheme(rules=[attrs.evolve(scheme.rules[0], effective_from=None)], parameters=[minimum])
    monkeypatch.setitem(registry().schemes, "new_scheme", scheme)
    write(tmp_path, "a_early.yaml", EARLY_CASES)
    early, later = valid(tmp_path / "a_early.yaml")
    assert run_case(early).passed and run_case(later).passed


# --- an invalid case fails alone (issue 15) ---------------------------------------------------

def test_an_invalid_case_fails_alone_and_its_file_s_other_cases_run(tmp_path: Path) -> None:
    path = write(tmp_path, "shared.yaml", """\
        - name: first
          scheme: kent_rp
          referral: {base: BASE, changes: {risk.assessed_by: police}}
          expect: {outcome: ineligible}
        - name: breaks the shared base
          scheme: kent_rp
          referral:
            base: BASE
            changes: {risk.dash_score: Jane-Invented-Doe, household.members.0.agee: 3}
          expect: {outcome: eligible}
        - name: third
          scheme: kent_rp
          referral: {base: BASE}
          expect: {outcome: eligible, others: met}
    """)
    first, broken, third = load_cases(path)
    assert isinstance(broken, InvalidCase) and broken.index == 1
    assert broken.label == f"{path}::breaks the shared base"
    assert {problem.path for problem in broken.problems} == {"referral.risk.dash_score", "referral.household.members[0]"}
    assert "Jane" not in str(broken.error)
    assert isinstance(first, TestCase) and isinstance(third, TestCase)
    assert run_case(first).passed and run_case(third).passed  # the base is unchanged for them

    code, output = invoke(path)
    assert code == 2, output  # a case that is not valid is bad input
    assert f"ERROR {path}::breaks the shared base" in output
    assert "referral.risk.dash_score: must be a whole number" in output
    assert "2 passed, 0 failed, 1 invalid case(s)" in output
    assert "Jane" not in output and "Traceback" not in output


def test_the_pytest_plugin_fails_an_invalid_case_alone(pytester: pytest.Pytester) -> None:
    pytester.makeconftest((ROOT / "tests" / "cases" / "conftest.py").read_text(encoding="utf-8"))
    path = pytester.path / "cases.yaml"
    path.write_text(textwrap.dedent("""\
        - name: fine
          scheme: kent_rp
          referral: {base: BASE}
          expect: {outcome: eligible}
        - name: not fine
          scheme: kent_rp
          referral: {base: BASE, changes: {risk.dash_score: lots}}
          expect: {outcome: eligible}
    """).replace("BASE", KENT_RP), encoding="utf-8")
    result = pytester.runpytest("-p", "no:cacheprovider", "cases.yaml")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*referral.risk.dash_score: must be a whole number*"])


# --- expect.missing names referral fields (issue 15) ------------------------------------------

MISSING_CASE = """\
    name: {name}
    scheme: kent_rp
    referral: {{base: BASE, changes: {changes}}}
    expect: {{outcome: needs_information, missing: {missing}}}
"""


def missing_case(folder: Path, changes: str, missing: str, name: str = "asks") -> TestCase:
    [case] = valid(write(folder, f"{name}.yaml", MISSING_CASE.format(name=name, changes=changes, missing=missing)))
    return case


@pytest.mark.parametrize(("changes", "missing"), [
    ("{tenancy: null, tenure: null}", "[tenancy, tenure]"),
    ("{tenancy: null, tenure: temporary_accommodation}", "[tenancy, tenancy.landlord]"),
    ("{risk: null}", "[risk.assessed_by, risk.at_risk]"),
    ("{nominating_partner.membership: null}", "[nominating_partner.membership]"),
    ("{nominating_partner.data_sharing_protocol_signatory: null}", "[nominating_partner.data_sharing_protocol_signatory]"),
    # A fact's own name, as earlier versions took, is still accepted.
    ("{tenancy: null, tenure: null}", "[social_tenant]"),
    ("{nominating_partner.membership: null}", "[nominator.membership_status]"),
    ("{nominating_partner.data_sharing_protocol_signatory: null}", "[nominator.dsp_signatory]"),
])
def test_missing_names_the_referral_fields_a_user_fills(tmp_path: Path, changes: str, missing: str) -> None:
    result = run_case(missing_case(tmp_path, changes, missing))
    assert result.passed, result.report()


def test_a_missing_field_not_asked_for_is_reported_in_field_terms(tmp_path: Path) -> None:
    # The tenure is given, so only the tenancy is asked for (the line docs/test-cases.md shows).
    result = run_case(missing_case(tmp_path, "{tenancy: null, tenure: temporary_accommodation}", "[tenure]"))
    assert "missing tenure: expected the decision asks for it, got it asks for tenancy, tenancy.landlord" in result.report()
    # The membership is asked for, not the referral date it is read with (which is given).
    result = run_case(missing_case(tmp_path, "{nominating_partner.membership: null}", "[referred_on]", "dated"))
    assert "got it asks for nominating_partner.membership\n" in result.report()


@pytest.mark.parametrize("missing", ["nominating_partner.dsp_signatory", "nominator.data_sharing_protocol_signatory",
                                     "offer.area", "referred_on.year"])
def test_missing_refuses_what_the_scheme_s_rules_do_not_read(tmp_path: Path, missing: str) -> None:
    path = write(tmp_path, "c.yaml", MISSING_CASE.format(name="x", changes="{}", missing=f"[{missing}]"))
    [case] = load_cases(path)
    assert isinstance(case, InvalidCase)
    assert "expect.missing[0]: is not a referral field kent_rp's rules read" in str(case.error)


def _is_referral_field(dotted: str) -> bool:
    """Whether ``dotted`` is a path of the Referral model (through nested models, optional or not)."""
    model: typing.Any = Referral
    for part in dotted.split("."):
        field = model.model_fields.get(part) if model is not None else None
        if field is None:
            return False
        found = [field.annotation]
        model = None
        while found:
            kind = found.pop()
            if isinstance(kind, type) and issubclass(kind, pydantic.BaseModel):
                model = kind
            found.extend(typing.get_args(kind))
    return True


@pytest.mark.parametrize("scheme", reciprocity.schemes(), ids=lambda s: s.id)
def test_every_fact_a_rule_reads_names_referral_fields(scheme: reciprocity.Scheme) -> None:
    """FactSpec.fields gives real referral paths (nominator.dsp_signatory's included)."""
    names = {name for rule in scheme.rules for name in rule.facts() | rule.mentions()}
    fields = {name: scheme.fact_catalogue[name].fields for name in names}
    wrong = {name: paths for name, paths in fields.items() if not paths or not all(map(_is_referral_field, paths))}
    assert not wrong


def test_fact_fields() -> None:
    catalogue = reciprocity.get_scheme("kent_rp").fact_catalogue
    assert catalogue["nominator.dsp_signatory"].fields == ("nominating_partner.data_sharing_protocol_signatory",)
    assert catalogue["nominator.kind"].fields == ("nominating_partner.kind",)
    assert catalogue["social_tenant"].fields == ("tenancy", "tenure")
    assert catalogue["risk.assessed_by"].fields == ("risk.assessed_by",)


# --- the docs' sample is what the runner prints ------------------------------------------------

def test_the_docs_sample_output_is_what_the_runner_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = (ROOT / "docs" / "test-cases.md").read_text(encoding="utf-8")
    shown = re.search(r"```yaml\n# (\S+)\n(.*?)```", docs, re.DOTALL)
    sample = re.search(r"Had you taken .*?would print.*?:\n\n```\n(.*?)```", docs, re.DOTALL)
    assert shown and sample
    where, case = shown.groups()
    # The two changes the docs describe, each made exactly once.
    for old, new in (("outcome: ineligible", "outcome: eligible"),
                     ("findings: {assessed_at_risk: not_met}", "findings: {assessed_at_risk: met}")):
        assert case.count(old) == 1, old
        case = case.replace(old, new)
    (tmp_path / where).parent.mkdir(parents=True)
    (tmp_path / where).write_text(case, encoding="utf-8")
    (tmp_path / "examples").mkdir()
    shutil.copy(KENT_RP, tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    code, output = invoke(Path(where))
    assert code == 1
    assert output == sample.group(1)
