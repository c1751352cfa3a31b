"""One rule cannot sink the run: a rule that raises becomes an ``internal/rule-error`` finding on
that model, every other rule and model is still checked and reported in every format, and the
exit code is 3 once all of it is written; ``--debug`` adds the traceback."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hfname_guard import Finding, Policy, Target, check
from hfname_guard.cli import main
from hfname_guard.errors import EXIT_INTERNAL, PolicyError
from hfname_guard.facts import Facts
from hfname_guard.findings import Problem
from hfname_guard.rules import internal_rule_error, name_case, rule_by_id
from hfname_guard.schema_check import validate_report

pytestmark = pytest.mark.usefixtures("cache_dir")

POLICY = "namespaces: [acme]\nname: {case: lower, forbidden-words: [test]}\n"
CARD = "---\nlicense: mit\npipeline_tag: text-generation\n---\n"


class Boom(ValueError):
    pass


def broken_case_rule(monkeypatch: pytest.MonkeyPatch, error: Exception | None = None) -> None:
    """name/case reports one problem, then raises on the model named `acme/Broken-test`."""
    original = name_case.check

    def check_then_raise(facts: Facts) -> Iterator[Problem]:
        yield from original(facts)
        if facts.repo_id == "acme/Broken-test":
            yield Problem("found before the failure")
            raise error if error is not None else Boom("the rule tripped\non two lines")

    monkeypatch.setattr(name_case, "check", check_then_raise)


def rule_errors(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.rule == "internal/rule-error"]


def test_a_rule_that_raises_becomes_one_finding_and_the_rest_still_runs(
    make_policy: Callable[[str], Policy], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_case_rule(monkeypatch)
    report = check([Target("acme/Broken-test"), Target("acme/Other-test")], make_policy(POLICY))

    on_broken = [(f.rule, f.message) for f in report.findings if f.repo_id == "acme/Broken-test"]
    assert ("name/case", "found before the failure") in on_broken  # what the rule said before it raised
    assert any(rule == "name/forbidden" for rule, _ in on_broken)  # the rules after it still ran
    [error] = rule_errors(report.findings)
    assert error.repo_id == "acme/Broken-test"
    assert error.severity == "error"
    assert error.message == (
        "rule name/case failed on this model: Boom: the rule tripped\\non two lines; "
        "this is a bug in hfname-guard, please report it with this model's files"
    )
    on_other = {f.rule for f in report.findings if f.repo_id == "acme/Other-test"}
    assert {"name/case", "name/forbidden"} <= on_other  # the next model was checked whole
    assert [type(error) for error in report.exceptions] == [Boom]
    assert report.failed_internally
    assert report.exit_code("never") == report.exit_code("error") == EXIT_INTERNAL


def test_each_failing_rule_keeps_one_exception_however_many_models_it_fails_on(
    make_policy: Callable[[str], Policy], monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_raise(facts: Facts) -> Iterator[Problem]:
        raise Boom(facts.repo_id)

    monkeypatch.setattr(name_case, "check", always_raise)
    report = check([Target(f"acme/model-{n}") for n in range(50)], make_policy(POLICY))
    assert len(rule_errors(report.findings)) == 50
    assert len(report.exceptions) == 1


def test_an_error_while_reading_the_model_files_is_contained_too(
    make_policy: Callable[[str], Policy], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Facts are read inside the rules, on first use; a bug there fails the rules that read them."""
    import hfname_guard.artifacts.config as artifacts

    def read_config(folder: str) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(artifacts, "read_config", read_config)
    folder = tmp_path / "llama-7b"
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "llama"}', encoding="utf-8")
    (folder / "README.md").write_text(CARD, encoding="utf-8")
    report = check([Target("acme/llama-7b", folder)], make_policy(POLICY))
    failed = {finding.message.split()[1] for finding in rule_errors(report.findings)}
    assert "artifacts/corrupt" in failed and "consistency/architecture" in failed
    assert all(finding.file == str(folder) for finding in rule_errors(report.findings))


def test_neither_waivers_nor_severities_hide_a_rule_error(
    make_policy: Callable[[str], Policy], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_case_rule(monkeypatch)
    with pytest.raises(PolicyError, match="cannot be configured"):  # a policy file may not even say so
        make_policy(POLICY + "rules: {internal/rule-error: off}\n")
    with pytest.raises(PolicyError, match="cannot be waived"):
        make_policy(POLICY + 'waivers: [{repo-id: "acme/*", rules: ["internal/*"], reason: "legacy"}]\n')
    policy = make_policy(POLICY + 'waivers: [{repo-id: "acme/*", rules: ["name/*"], reason: "legacy"}]\n')
    policy = policy.replace(  # and a policy built in Python that says so anyway changes nothing
        severities={"internal/rule-error": "off", "internal/*": "info"},
        waivers=(policy.waivers[0].replace(rules=("internal/*", "name/*")),),
    )
    report = check([Target("acme/Broken-test")], policy)
    [error] = rule_errors(report.findings)
    assert error.severity == "error"
    assert not rule_errors(report.waived)
    assert report.exit_code("never") == EXIT_INTERNAL


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("one\ntwo\r\x1b[31mred\u2028end", "one\\ntwo\\r\\x1b[31mred\\u2028end"),
        ("x" * 10_000, "x" * 197 + "..."),
        ("", ""),
    ],
)
def test_the_exception_is_one_escaped_line_of_bounded_length(text: str, shown: str) -> None:
    message = internal_rule_error.message("card/license", ValueError(text))
    assert message == (f"rule card/license failed on this model: ValueError: {shown}; "
                       "this is a bug in hfname-guard, please report it with this model's files")
    assert message.isprintable()


def test_an_exception_whose_text_fails_is_still_reported() -> None:
    class Unprintable(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no")

    assert "Unprintable: (its message cannot be shown);" in internal_rule_error.message("name/case", Unprintable())


def test_the_pseudo_rule_is_documented_and_never_run() -> None:
    rule = rule_by_id("internal/rule-error")
    assert rule is internal_rule_error
    assert rule.SUBJECT == "internal" and not hasattr(rule, "check")


# ----- the command line ---------------------------------------------------------------------


@pytest.fixture
def two_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "policy.yaml").write_text("version: 1\n" + POLICY, encoding="utf-8")
    folders = []
    for name in ("Broken-test", "Other-test"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "README.md").write_text(CARD, encoding="utf-8")
        folders.append(name)
    return folders


FORMATS = ("json", "sarif", "github", "markdown")


def run_cli(debug: bool, folders: list[str]) -> list[str]:
    args = ["--debug"] * debug + ["check", *folders, "--policy", "policy.yaml", "--format", "text"]
    for name in FORMATS:
        args += ["--format", f"{name}=report.{name}"]
    return args


@pytest.mark.parametrize("debug", [False, True])
def test_the_command_writes_every_report_then_exits_3(
    two_models: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], debug: bool
) -> None:
    broken_case_rule(monkeypatch)

    assert main(run_cli(debug, two_models)) == EXIT_INTERNAL

    out, err = capsys.readouterr()
    assert "internal/rule-error" in out and "Other-test" in out
    for name in FORMATS:
        written = Path(f"report.{name}").read_text(encoding="utf-8")
        assert "internal/rule-error" in written, name
        assert "failed on this model: Boom: the rule tripped" in written, name
    report = json.loads(Path("report.json").read_text(encoding="utf-8"))
    assert validate_report(report) is None
    assert {finding["repo_id"] for finding in report["findings"]} == {"acme/Broken-test", "acme/Other-test"}
    assert report["summary"]["targets"] == 2
    notice = [line for line in err.splitlines() if line.startswith("hfname-guard: internal error:")]
    assert len(notice) == 1
    if debug:
        assert "Traceback (most recent call last)" in err and "Boom: the rule tripped" in err
    else:
        assert "Traceback" not in err
        assert notice[0].endswith("(run with --debug for the traceback)")


def test_a_report_without_rule_errors_keeps_its_exit_code(two_models: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", *two_models, "--policy", "policy.yaml"]) == 1
    assert main(["check", *two_models, "--policy", "policy.yaml", "--fail-on", "never"]) == 0
    assert "internal error" not in capsys.readouterr().err
