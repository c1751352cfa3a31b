"""The GitHub-facing formats: workflow-command annotations, SARIF and Markdown.

Their input is untrusted (names, card values and messages come from a pull request's author),
and GitHub caps each of them: these tests hold the escaping and the limits, not only the look.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfname_guard import __version__, check, load_policy
from hfname_guard.findings import DOCS_URL, Finding, Report
from hfname_guard.github import ALL_CLEAR, MARKER
from hfname_guard.printable import printable, unprintable
from hfname_guard.report import (
    FORMATS,
    annotated_position,
    github_report,
    json_report,
    markdown_report,
    reporter,
    sarif_report,
)
from hfname_guard.rules import all_rules, summary
from hfname_guard.targets import Target
from hfname_guard.workflow_commands import escape_data

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

pytestmark = pytest.mark.usefixtures("cache_dir")


def finding(rule: str = "card/license", severity: str = "error", message: str = "license `apache2` is not allowed",
            repo_id: str = "acme/x", file: str | None = "models/x/README.md", line: int | None = 2,
            column: int | None = 1, suggestion: str | None = "apache-2.0") -> Finding:
    return Finding(rule=rule, severity=severity, message=message, repo_id=repo_id, file=file, line=line,
                   column=column, suggestion=suggestion)


def report_of(*findings: Finding, targets: list[Target] | None = None, waived: int = 0) -> Report:
    if targets is None:
        targets = list({f.repo_id: Target(f.repo_id, "models/x" if f.file else None) for f in findings}.values())
    return Report(targets=targets, findings=sorted(findings, key=Finding.sort_key), waived=[finding()] * waived)


@pytest.fixture
def checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Report:
    """A real check of a small folder: a card with a misspelt license, a repo id alone."""
    (tmp_path / ".hfname-guard.yaml").write_text("version: 1\nnamespaces: [acme]\ncard:\n  licenses: [apache-2.0]\n",
                                                 encoding="utf-8")
    folder = tmp_path / "models" / "llama-8b"
    folder.mkdir(parents=True)
    (folder / "README.md").write_text("---\nlicense: apache2\npipeline_tag: text-generation\n---\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    policy = load_policy(".hfname-guard.yaml")
    return check([Target("acme/llama-8b", "models/llama-8b", "folder name under `acme`"), Target("acme/my model")],
                 policy)


def test_the_formats_are_registered() -> None:
    for name in ("github", "sarif", "markdown"):
        assert name in FORMATS
        assert reporter(name).render(report_of(), color=True).endswith("\n")


# --- github -----------------------------------------------------------------------------------


def test_github_annotation_lines() -> None:
    report = report_of(
        finding(),
        finding(rule="name/length", severity="warning", message="the name is 60 characters", file="models/x",
                line=None, column=None, suggestion=None),
        finding(rule="name/case", severity="info", message="`X` is upper case", file="models/x", line=None,
                column=None, suggestion="acme/x"),
        finding(rule="repo-id/format", message="`my model` has a space", repo_id="acme/my model", file=None,
                line=None, column=None, suggestion="acme/my-model"),
    )
    assert github_report.render(report, color=True).splitlines() == [
        "::error title=repo-id/format::acme/my model: `my model` has a space%0Afix: acme/my-model",
        "::warning file=models/x,title=name/length::the name is 60 characters",
        "::notice file=models/x,title=name/case::`X` is upper case%0Afix: acme/x",
        ("::error file=models/x/README.md,line=2,col=1,title=card/license::license `apache2` is not allowed%0Afix: "
         "apache-2.0"),
        "hfname-guard: 2 errors, 1 warning, 1 info (2 models checked)",
    ]


def test_github_a_column_without_a_line_is_left_out() -> None:
    assert github_report.annotation(finding(line=None, column=3, suggestion=None)).startswith(
        "::error file=models/x/README.md,title=card/license::")


def test_github_escapes_data_and_properties() -> None:
    line = github_report.annotation(finding(message="100% sure\r\n::error::injected", file="models/a:b,c%/README.md",
                                            suggestion="x\ny"))
    assert line == ("::error file=models/a%3Ab%2Cc%25/README.md,line=2,col=1,title=card/license::"
                    "100%25 sure\\r\\n::error::injected%0Afix: x\\ny")
    assert "\n" not in line and "\r" not in line


def test_github_caps_each_kind_at_ten_and_says_what_it_left_out() -> None:
    report = report_of(*(finding(message=f"error {i:02}") for i in range(15)),
                       *(finding(severity="warning", message=f"warning {i:02}") for i in range(12)),
                       *(finding(severity="info", message=f"info {i:02}") for i in range(3)))
    lines = github_report.render(report, color=False).splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert sum(line.startswith("::warning ") for line in lines) == 10
    assert sum(line.startswith("::notice ") for line in lines) == 4
    assert lines[-2] == ("::notice title=hfname-guard::5 errors, 2 warnings not annotated here: GitHub shows at most "
                         "10 annotations of each kind per step. The job summary and the report list them all.")
    assert lines[-1] == "hfname-guard: 15 errors, 12 warnings, 3 infos (1 model checked)"
    assert [line for line in lines if line.startswith("::error ")][-1].endswith("::error 09%0Afix: apache-2.0")


def test_github_keeps_a_notice_slot_for_the_left_out_notice() -> None:
    lines = github_report.render(report_of(*(finding(severity="info", message=f"i{i:02}") for i in range(11))),
                                 color=False).splitlines()
    notices = [line for line in lines if line.startswith("::notice ")]
    assert len(notices) == 10
    assert notices[-1].startswith("::notice title=hfname-guard::2 info findings not annotated here")


def test_github_ten_of_each_fit_without_a_notice() -> None:
    report = report_of(*(finding(severity=severity, message=f"{severity} {i}")
                         for severity in ("error", "warning", "info") for i in range(10)))
    lines = github_report.render(report, color=False).splitlines()
    assert len(lines) == 31 and "not annotated" not in lines[-2]


def test_github_identical_findings_are_capped_too() -> None:
    lines = github_report.render(report_of(*[finding()] * 12), color=False).splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert "2 errors not annotated" in lines[-2]


def test_github_from_a_real_check(checked: Report) -> None:
    name = next(found for found in checked.findings if found.rule == "repo-id/format")
    assert name.file is None and name.suggestion is None
    assert github_report.render(checked, color=False).splitlines() == [
        f"::error title=repo-id/format::acme/my model: {escape_data(name.message)}",
        ("::error file=models/llama-8b/README.md,line=2,col=1,title=card/license::license `apache2` is not allowed by "
         "the policy; did you mean `apache-2.0`?%0Afix: apache-2.0"),
        "hfname-guard: 2 errors (2 models checked)",
    ]


def _unescape(data: str) -> str:
    return data.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


@settings(max_examples=200, deadline=None)
@given(message=st.text(), file=st.text(min_size=1).filter(lambda text: not os.path.isdir(text)),
       suggestion=st.none() | st.text(min_size=1))
def test_github_any_text_stays_one_command_and_round_trips(message: str, file: str, suggestion: str | None) -> None:
    """The runner reads back the printable text of each value: one line, no control character."""
    line = github_report.annotation(finding(message=message, file=file, suggestion=suggestion))
    assert not unprintable().search(line)
    properties, data = re.fullmatch(r"::error (.*?)::(.*)", line, re.DOTALL).groups()  # type: ignore[union-attr]
    assert _unescape(data) == printable(message) + (f"\nfix: {printable(suggestion)}" if suggestion else "")
    assert _unescape(properties.split(",")[0]) == f"file={printable(file.replace(os.sep, '/'))}"


def test_a_folder_finding_is_annotated_on_the_folder_card_else_its_config(tmp_path: Path) -> None:
    with_card, with_config, empty = tmp_path / "llama-7b", tmp_path / "llama-8b", tmp_path / "llama-9b"
    for folder in (with_card, with_config, empty):
        folder.mkdir()
        (folder / "model.safetensors").write_bytes(b"")
    (with_card / "README.md").write_text("# llama-7b\n", encoding="utf-8")
    (with_card / "config.json").write_text("{}", encoding="utf-8")
    (with_config / "config.json").write_text("{}", encoding="utf-8")
    assert annotated_position(finding(file=str(with_card), line=None, column=None)) == (
        str(with_card / "README.md"), 1, None)
    assert annotated_position(finding(file=str(with_config), line=None, column=None)) == (
        str(with_config / "config.json"), 1, None)
    assert annotated_position(finding(file=str(empty), line=None, column=None)) == (str(empty), None, None)
    config = finding(file=str(with_card / "config.json"), line=3, column=5)
    assert annotated_position(config) == (str(with_card / "config.json"), 3, 5)
    assert annotated_position(finding(file=None, line=None, column=None)) == (None, None, None)


# --- sarif ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def sarif(report: Report, validator: jsonschema.Draft4Validator | None = None) -> dict:
    text = sarif_report.render(report, color=False)
    assert text.isascii() and text.endswith("\n")
    log = json.loads(text)
    if validator is not None:
        errors = sorted(validator.iter_errors(log), key=str)
        assert not errors, errors[0]
    return log


def test_sarif_empty_report_is_valid(sarif_validator) -> None:
    log = sarif(report_of(), sarif_validator)
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["results"] == []
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("hfname-guard", __version__)
    assert driver["informationUri"].startswith("https://")
    assert [rule["id"] for rule in driver["rules"]] == [rule.ID for rule in all_rules()]
    first = all_rules()[0]
    assert driver["rules"][0]["shortDescription"]["text"] == summary(first)
    assert driver["rules"][0]["helpUri"] == f"{DOCS_URL}#{first.ID.replace('/', '')}"
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_sarif_results(checked: Report, sarif_validator) -> None:
    run = sarif(checked, sarif_validator)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_rule = {result["ruleId"]: result for result in run["results"]}
    card = by_rule["card/license"]
    assert rules[card["ruleIndex"]]["id"] == "card/license"
    assert rules[card["ruleIndex"]]["defaultConfiguration"] == {"level": "error"}
    assert card["level"] == "error"
    assert card["message"]["text"].endswith("did you mean `apache-2.0`?\nfix: apache-2.0")
    assert card["locations"] == [{"physicalLocation": {
        "artifactLocation": {"uri": "models/llama-8b/README.md", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 2, "startColumn": 1}}}]
    assert by_rule["repo-id/format"]["locations"] == [{"logicalLocations": [{"fullyQualifiedName": "acme/my model"}]}]
    assert run["properties"]["summary"] == checked.summary


def test_sarif_levels_uris_and_unknown_rules(sarif_validator) -> None:
    report = report_of(finding(severity="info", file="models/my model #1/ünï.md", line=None),
                       finding(severity="warning", rule="custom/rule", file="/abs/models/x y/README.md", column=None))
    run = sarif(report, sarif_validator)["runs"][0]
    results = {result["ruleId"]: result for result in run["results"]}
    info = results["card/license"]
    assert info["level"] == "note"
    assert info["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "models/my%20model%20%231/%C3%BCn%C3%AF.md", "uriBaseId": "%SRCROOT%"}}
    custom = results["custom/rule"]
    assert custom["level"] == "warning"
    assert custom["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "file:///abs/models/x%20y/README.md"}, "region": {"startLine": 2}}
    assert run["tool"]["driver"]["rules"][custom["ruleIndex"]]["id"] == "custom/rule"


def test_sarif_fingerprints_follow_rule_file_and_message_not_line() -> None:
    def fingerprint(**changes: object) -> str:
        result = sarif(report_of(finding().replace(**changes)))["runs"][0]["results"][0]
        return result["partialFingerprints"]["hfnameGuardFinding/v1"]

    assert fingerprint() == fingerprint(line=40, column=7, suggestion=None)
    assert len({fingerprint(), fingerprint(message="other"), fingerprint(file="models/y/README.md"),
                fingerprint(rule="card/tags")}) == 4


MARKUP = ["<img src=x>", "<!--", "&#64;", "[a](https://x.y)", "![i](y.png)", "**", "_", "~~", "$", "`", "\\", "|", "\n",
          "@octocat", "#12", "GH-7", "org/repo#3", "https://github.com/o/r/issues/1", "www.x.io", "a@b.io", "1. ", "> ",
          "\u202e", "\x00", "a", " ", "7"]
untrusted = st.text() | st.lists(st.sampled_from(MARKUP), max_size=12).map("".join)
"""Any text, and text made of the pieces an attacker would try."""

finding_strategy = st.builds(
    Finding,
    rule=st.sampled_from([rule.ID for rule in all_rules()]) | untrusted,
    severity=st.sampled_from(["error", "warning", "info"]),
    message=untrusted,
    repo_id=untrusted,
    file=st.none() | untrusted.filter(bool),
    line=st.none() | st.integers(1, 10**6),
    column=st.none() | st.integers(1, 500),
    suggestion=st.none() | untrusted,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(findings=st.lists(finding_strategy, max_size=60))
def test_sarif_is_valid_for_any_report(findings: list[Finding], sarif_validator) -> None:
    run = sarif(report_of(*findings), sarif_validator)["runs"][0]
    assert len(run["results"]) == len(findings)
    rules = run["tool"]["driver"]["rules"]
    assert all(rules[result["ruleIndex"]]["id"] == result["ruleId"] for result in run["results"])


def test_sarif_a_large_report_is_valid(sarif_validator) -> None:
    report = report_of(*(finding(message=f"problem {i} " + "x" * 100, line=i + 1) for i in range(3000)))
    assert len(sarif(report, sarif_validator)["runs"][0]["results"]) == 3000


def test_sarif_truncation_is_recorded_and_stays_valid(sarif_validator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif_report, "MAX_BYTES", 60_000)
    report = report_of(*(finding(message=f"problem {i} " + "y" * 500, line=i + 1) for i in range(200)))
    text = sarif_report.render(report, color=False)
    assert len(text) - 1 <= 60_000
    run = sarif(report, sarif_validator)["runs"][0]
    kept = len(run["results"])
    assert 0 < kept < 200
    assert run["properties"]["truncated"] is True
    assert (run["properties"]["resultsTotal"], run["properties"]["resultsOmitted"]) == (200, 200 - kept)
    notification = run["invocations"][0]["toolExecutionNotifications"][0]
    assert notification["level"] == "warning"
    assert notification["message"]["text"].startswith(f"{200 - kept} of 200 results left out")


def test_sarif_keeps_at_most_25000_results() -> None:
    report = report_of(*(finding(message=str(i), suggestion=None) for i in range(25_001)))
    run = sarif(report)["runs"][0]
    assert len(run["results"]) == 25_000
    assert run["properties"]["resultsOmitted"] == 1


def test_sarif_stays_within_10_mb() -> None:
    report = report_of(*(finding(message=f"{i} " + "\u00e9" * 4000) for i in range(800)))
    text = sarif_report.render(report, color=False)
    assert len(text.encode("utf-8")) <= 10_000_000
    run = json.loads(text)["runs"][0]
    assert 0 < len(run["results"]) < 800 and run["properties"]["truncated"] is True


# --- markdown ---------------------------------------------------------------------------------


def as_dict(report: Report) -> dict:
    """As a later step reads it back from report.json."""
    return json.loads(json_report.render(report, color=False))


def test_markdown_comment(checked: Report) -> None:
    body = markdown_report.comment_body(as_dict(checked))
    assert body == markdown_report.comment_body(json_report.to_dict(checked))
    assert body.startswith("## \u274c hfname-guard found 2 errors\n\n"), "github.py puts its marker in front"
    assert "2 models checked \u00b7 0 pass \u00b7 2 errors \u00b7 0 warnings \u00b7 0 info\n" in body
    assert ("\n### models/llama-8b (acme/llama-8b, repo id from folder name under <code>acme</code>)\n\n"
            "| | Rule | Location | Problem | Fix |\n|---|---|---|---|---|\n"
            f"| \u274c error | [card/license]({DOCS_URL}#cardlicense) | models/llama-8b/README.md:2:1 | license "
            "<code>apache2</code> is not allowed by the policy; did you mean <code>apache-2.0</code>? "
            "| <code>apache-2.0</code> |\n") in body
    assert "\n### acme/my model\n" in body
    assert markdown_report.render(checked, color=True) == body


def test_markdown_comment_leaves_room_for_the_marker_github_puts_in_front() -> None:
    assert len(MARKER) + 1 <= markdown_report.COMMENT_HEADROOM
    assert ALL_CLEAR.startswith(f"{MARKER}\n## \u2705 hfname-guard: all clear\n")


def test_markdown_all_clear_and_passing_models() -> None:
    body = markdown_report.render(report_of(targets=[Target("acme/a", "models/a")], waived=2), color=False)
    assert body.startswith("## \u2705 hfname-guard: no naming problems\n\n1 model checked \u00b7 1 pass")
    assert "\u00b7 2 waived\n" in body
    assert "<details><summary>1 model without findings</summary>\n\n- \u2705 models/a (acme/a, repo id from " in body


def test_markdown_escapes_what_the_author_wrote() -> None:
    message = "value `<img src=x onerror=alert(1)>` @octocat fixes #12 and GH-7, see [here](https://evil.example) " \
              "![i](x.png) **bold** _em_ ~~del~~ $x$ | cell\nnext www.evil.example <!-- &amp;"
    body = markdown_report.comment_body(as_dict(report_of(finding(message=message, suggestion="a|b`c"))))
    row = next(line for line in body.splitlines() if line.startswith("| \u274c"))
    assert ("value <code>&lt;img src=x onerror=alert(1)&gt;</code> @\u200docto" "cat fixes \\#\u200d12 and GH-\u200d7, "
            "see \\[here\\](https:\u200d//evil.example) !\\[i\\](x.png) \\*\\*bold\\*\\* \\_em\\_ \\~\\~del\\~\\~ "
            "\\$x\\$ \\| cell next www\u200d.evil.example &lt;!-- &amp;amp;") in row
    assert row.endswith("| <code>a\\|b\\`c</code> |")
    assert len(re.findall(r"(?:^|(?<= ))\|", row)) == 6  # five cells: none split by the author's `|`


def test_markdown_shows_invisible_controls() -> None:
    body = markdown_report.comment_body(as_dict(report_of(finding(message="evil\u202eexe.md\x00\x1b[31m"))))
    assert "evil\\\\u202eexe.md\\\\x00\\\\x1b\\[31m" in body


ALLOWED_TAGS = re.compile(r"<!-- hfname-guard -->|</?code>|</?details>|</?summary>")
OUR_LINKS = re.compile(r"\]\(" + re.escape(DOCS_URL) + r"#[a-z0-9-]*\)")
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def assert_inert(body: str) -> None:
    """Nothing from the input renders as HTML, a link, an image, a mention or a reference."""
    assert "<" not in ALLOWED_TAGS.sub("", body)
    assert all(len(before) % 2 for before in re.findall(r"(\\*)\]\(", OUR_LINKS.sub("", body)))  # each `]` escaped
    assert "![" not in body
    rendered = html.unescape(MARKDOWN_ESCAPE.sub(r"\1", OUR_LINKS.sub("", body)))  # what GitHub's filters see
    assert not re.search(r"@[A-Za-z0-9_-]", rendered)
    assert not re.search(r"#[0-9]", rendered)
    assert not re.search(r"(?i)\bgh-[0-9]", rendered)
    assert "://" not in rendered and not re.search(r"(?i)www\.", rendered)
    for line in body.splitlines():
        if line.startswith("| ") and not line.startswith("| |"):
            assert len(re.findall(r"(?:^|(?<= ))\|", line)) in (5, 6), line  # count tables, findings tables


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(findings=st.lists(finding_strategy, min_size=1, max_size=8), folder=untrusted, source=untrusted)
def test_markdown_any_text_stays_inert(findings: list[Finding], folder: str, source: str) -> None:
    targets = [Target(f.repo_id, folder, source) for f in findings[:2]]
    data = as_dict(report_of(*findings, targets=targets))
    assert_inert(markdown_report.comment_body(data))
    assert_inert(markdown_report.summary_body(data))


@pytest.fixture(scope="module")
def huge() -> dict:
    """Thousands of long findings across many models, many of them multibyte."""
    targets = [Target(f"acme/model-{m}", f"models/model-{m}") for m in range(300)]
    findings = [finding(rule=rule.ID, severity=("error", "warning", "info")[i % 3], repo_id=f"acme/model-{i % 300}",
                        file=f"models/model-{i % 300}/README.md", line=i + 1,
                        message=f"{i} @someone #{i} " + "\u00e9\u4e2d <b>" * 150)
                for i, rule in zip(range(6000), [*all_rules()] * 300)]
    return as_dict(report_of(*findings, targets=targets))


def shown_findings(body: str) -> int:
    return sum(line.startswith(("| \u274c", "| \u26a0", "| \u2139")) for line in body.splitlines())


def test_markdown_comment_fits_github(huge: dict) -> None:
    body = markdown_report.comment_body(huge)
    assert len(f"{MARKER}\n{body}") <= 65_536 and not body.startswith(MARKER)
    assert "\n### Findings per rule\n" in body and "\n### Findings per model\n" in body
    assert "| 250 more models | | | |" in body
    left = 6000 - shown_findings(body)
    assert 0 < left < 6000
    assert body.endswith(f"\n**{left:,} more findings** not shown: GitHub takes at most 65,536 characters for a "
                         "comment; the job summary and the JSON report list every finding.\n")
    assert_inert(body)


def test_markdown_job_summary_stays_under_1_mib(huge: dict) -> None:
    body = markdown_report.summary_body(huge)
    assert len(body.encode("utf-8")) <= 1 << 20
    left = 6000 - shown_findings(body)
    assert 0 < left and body.endswith(f"\n**{left:,} more findings** not shown: GitHub takes at most 1 MiB for a job "
                                      "summary; the JSON report (`--format json`) lists every finding.\n")


def test_markdown_long_values_are_clipped() -> None:
    body = markdown_report.comment_body(as_dict(report_of(finding(message="z" * 5000))))
    assert "z" * 500 + "\u2026" in body and "z" * 501 not in body


def test_markdown_many_passing_models_are_counted_not_listed() -> None:
    targets = [Target(f"acme/{'m' * 80}-{i}", f"models/{'m' * 80}-{i}") for i in range(1000)]
    body = markdown_report.comment_body(as_dict(report_of(targets=targets)))
    assert len(body) <= 65_536 and "1,000 models checked \u00b7 1,000 pass" in body and "<details>" not in body
