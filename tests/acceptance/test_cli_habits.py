"""Familiar command-line habits: --version, -q, the summary line, --repo-ids-from, waived
findings with their waiver, the facts each model was judged on, and what `check --help` says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from hfname_guard import Finding, Report, Target, __version__, check, load_policy
from hfname_guard.report import json_report, text_report
from hfname_guard.rules import all_rules
from hfname_guard.rules_doc import CHECK_FAMILIES

ROOT = Path(__file__).resolve().parents[2]
REPORT_SCHEMA = json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
CARD = "---\nlicense: mit\npipeline_tag: text-generation\n---\n"
POLICY = """\
version: 1
extends: default
namespaces: [acme]
name:
  case: lower
waivers:
  - repo-id: "acme/legacy-*"
    rules: ["name/*"]
    reason: "published before the policy (NW-1)"
    expires: 2999-12-31
"""


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hfname_guard", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
        input=stdin, env={**os.environ, "HFNAME_GUARD_CACHE_DIR": str(cwd / ".cache"), "NO_COLOR": "1"},
    )


def model(tmp_path: Path, name: str, card: str | None = CARD) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    if card is not None:
        (folder / "README.md").write_text(card, encoding="utf-8")
    return folder


def valid_report(text: str) -> dict[str, object]:
    report = json.loads(text)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)
    return report  # type: ignore[no-any-return]


def test_version_prints_the_name_and_version(tmp_path: Path) -> None:
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"hfname-guard {__version__}\n"


@pytest.mark.parametrize("command", ["check", "hook"])
def test_quiet_shows_the_findings_alone_and_the_same_summary_line(tmp_path: Path, command: str) -> None:
    model(tmp_path, "llama-7b-chat")
    model(tmp_path, "tmp-llama-model")
    args = ["llama-7b-chat", "tmp-llama-model"] if command == "check" else ["llama-7b-chat/README.md",
                                                                              "tmp-llama-model/README.md"]
    loud = run(command, *args, cwd=tmp_path)
    quiet = run(command, *args, "-q", cwd=tmp_path)
    assert loud.returncode == quiet.returncode == 1
    assert "llama-7b-chat  (llama-7b-chat, repo id from folder name) ok" in loud.stdout.splitlines()
    summary = "1 error (2 models checked)"
    assert loud.stdout.splitlines()[-1] == quiet.stdout.splitlines()[-1] == summary
    findings = [line[2:] for line in loud.stdout.splitlines() if line.startswith("  ")]
    assert quiet.stdout.splitlines() == [*findings, summary], "the same findings, without headings or indent"
    assert findings[0].startswith("tmp-llama-model: error: ") and findings[1] == "  fix: llama-model"


def test_quiet_with_nothing_found_prints_the_summary_line_alone(tmp_path: Path) -> None:
    model(tmp_path, "llama-7b-chat")
    result = run("check", "llama-7b-chat", "--quiet", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == "no problems (1 model checked)\n"


def test_repo_ids_from_a_file_checks_each_name_alone(tmp_path: Path) -> None:
    (tmp_path / ".hfname-guard.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "names.txt").write_text(
        "# proposed names\n\nacme/llama-7b-chat\n  acme/bert-base-ner  \nacme/llama-7b-chat\nacme/bad name!\n"
        "other/llama-7b\n",
        encoding="utf-8",
    )
    result = run("check", "--repo-ids-from", "names.txt", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "acme/llama-7b-chat  (acme/llama-7b-chat, repo id from names.txt:3) ok" in lines
    assert "acme/bert-base-ner  (acme/bert-base-ner, repo id from names.txt:4) ok" in lines
    assert "acme/bad name!  (acme/bad name!, repo id from names.txt:6)" in lines
    assert any(line.startswith("  acme/bad name!: error:") and line.endswith("[repo-id/format]") for line in lines)
    assert "other/llama-7b  (other/llama-7b, repo id from names.txt:7)" in lines
    assert any(line.endswith("[repo-id/namespace]") for line in lines)
    assert lines[-1].endswith("(4 models checked)"), "a repeated name is checked once; comments and blanks skipped"
    report = valid_report(run("check", "--repo-ids-from", "names.txt", "--format", "json", cwd=tmp_path).stdout)
    assert [target["repo_id_source"] for target in report["targets"]] == [  # type: ignore[attr-defined]
        "names.txt:3", "names.txt:4", "names.txt:6", "names.txt:7"
    ]
    assert all(target["folder"] is None for target in report["targets"])  # type: ignore[attr-defined]


def test_repo_ids_from_standard_input(tmp_path: Path) -> None:
    result = run("check", "--repo-ids-from", "-", "-q", cwd=tmp_path, stdin="llama-7b-chat\ntmp-model\n")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("tmp-model: error:")
    assert result.stdout.splitlines()[-1] == "2 errors (2 models checked)"
    shown = run("check", "--repo-ids-from", "-", cwd=tmp_path, stdin="llama-7b-chat\n")
    assert "llama-7b-chat  (llama-7b-chat, repo id from standard input:1) ok" in shown.stdout.splitlines()


def test_repo_ids_from_comes_after_the_folders(tmp_path: Path) -> None:
    model(tmp_path, "llama-7b-chat")
    (tmp_path / "names.txt").write_text("bert-base-ner\n", encoding="utf-8")
    report = valid_report(run("check", "llama-7b-chat", "--repo-ids-from", "names.txt", "--format", "json",
                              cwd=tmp_path).stdout)
    assert [(target["repo_id"], target["folder"]) for target in report["targets"]] == [  # type: ignore[attr-defined]
        ("llama-7b-chat", "llama-7b-chat"), ("bert-base-ner", None)
    ]


@pytest.mark.parametrize("content, problem", [
    (None, "cannot read the repo ids: No such file or directory"),
    (b"acme/llama-7b\n\xff\xfe\n", "line 2 is not UTF-8 text"),
])
def test_an_unreadable_list_of_repo_ids_is_a_usage_error(tmp_path: Path, content: bytes | None, problem: str) -> None:
    if content is not None:
        (tmp_path / "names.txt").write_bytes(content)
    result = run("check", "--repo-ids-from", "names.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"hfname-guard: --repo-ids-from names.txt: {problem}\n"
    assert result.stdout == ""


def test_a_list_of_repo_ids_may_start_with_a_byte_order_mark_and_end_lines_with_crlf(tmp_path: Path) -> None:
    result = run("check", "--repo-ids-from", "-", "-q", cwd=tmp_path, stdin="\ufeffllama-7b-chat\r\nbert-base\r\n")
    assert result.returncode == 0, result.stdout
    assert result.stdout == "no problems (2 models checked)\n"


def test_a_hundred_thousand_repo_ids(tmp_path: Path) -> None:
    names = "".join(f"acme/llama-{index % 70 + 1}b-chat-v{index}\n" for index in range(100_000))
    (tmp_path / "names.txt").write_text(names + "acme/tmp-model\n", encoding="utf-8")
    result = run("check", "--repo-ids-from", "names.txt", "-q", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines()[-1] == "2 errors (100001 models checked)"
    assert result.stdout.splitlines()[0].startswith("acme/tmp-model: error:")


def waived_setup(tmp_path: Path) -> None:
    (tmp_path / ".hfname-guard.yaml").write_text(POLICY, encoding="utf-8")
    model(tmp_path, "legacy-Bot")  # name/case and name/required-word, both waived
    model(tmp_path, "llama-7b-chat")


def test_show_waived_lists_each_waived_finding_with_its_waiver(tmp_path: Path) -> None:
    waived_setup(tmp_path)
    plain = run("check", "legacy-Bot", "llama-7b-chat", cwd=tmp_path)
    assert plain.returncode == 0
    assert "waived" not in plain.stdout.replace("2 waived)", "")
    shown = run("check", "legacy-Bot", "llama-7b-chat", "--show-waived", cwd=tmp_path)
    assert shown.returncode == 0
    lines = shown.stdout.splitlines()
    assert "legacy-Bot  (acme/legacy-Bot, repo id from folder name under `acme`) ok" in lines
    waived = [line for line in lines if ": waived (" in line]
    assert [line.rsplit(" ", 1)[-1] for line in waived] == ["[name/case]", "[name/required-word]"]
    assert all(line.startswith("  legacy-Bot: waived (error): ") for line in waived)
    assert lines.count("    waived by .hfname-guard.yaml:7:5 (published before the policy (NW-1), until 2999-12-31)") == 2
    assert not any(": error:" in line for line in lines), "a waived finding never reads as an error to a log scanner"
    assert lines[-1] == "no problems (2 models checked, 2 waived)"
    quiet = run("check", "legacy-Bot", "llama-7b-chat", "--show-waived", "-q", cwd=tmp_path).stdout.splitlines()
    assert quiet[0].startswith("legacy-Bot: waived (error): ")
    assert quiet[1] == "  waived by .hfname-guard.yaml:7:5 (published before the policy (NW-1), until 2999-12-31)"
    assert quiet[-1] == lines[-1] and len(quiet) == 5


def test_json_lists_the_waived_findings_with_their_waiver(tmp_path: Path) -> None:
    waived_setup(tmp_path)
    report = valid_report(run("check", "legacy-Bot", "--format", "json", cwd=tmp_path).stdout)
    assert report["findings"] == []
    waived = report["waived"]
    assert [entry["finding"]["rule"] for entry in waived] == ["name/case", "name/required-word"]  # type: ignore[attr-defined]
    assert waived[0]["waiver"] == {  # type: ignore[index]
        "repo_id": "acme/legacy-*", "rules": ["name/*"], "reason": "published before the policy (NW-1)",
        "expires": "2999-12-31", "where": ".hfname-guard.yaml:7:5",
    }
    assert report["summary"]["waived"] == 2  # type: ignore[index]


def test_json_gives_the_facts_each_model_was_judged_on(
    tmp_path: Path, write_safetensors: Callable[[Path, dict[str, tuple[str, list[int]]]], None]
) -> None:
    (tmp_path / ".hfname-guard.yaml").write_text(
        'version: 1\nextends: default\nname:\n  template: "{architecture}-{parameters}[-{task}]"\n', encoding="utf-8"
    )
    folder = model(tmp_path, "llama-1m-chat")
    (folder / "config.json").write_text(json.dumps({"model_type": "llama", "architectures": ["LlamaForCausalLM"]}),
                                        encoding="utf-8")
    write_safetensors(folder / "model.safetensors", {"model.embed_tokens.weight": ("F16", [1000, 1000])})
    result = run("check", "llama-1m-chat", "--repo-id", "acme/llama-1m-chat", "--repo-ids-from", "-",
                 "--format", "json", cwd=tmp_path, stdin="bert-base-ner\n")
    report = valid_report(result.stdout)
    on_folder, on_name = (target["facts"] for target in report["targets"])  # type: ignore[attr-defined]
    assert on_folder["model_type"] == "llama"
    assert on_folder["architectures"] == ["LlamaForCausalLM"]
    assert on_folder["parameters"] == 1_000_000
    assert on_folder["card"] == {"file": os.path.join("llama-1m-chat", "README.md"),
                                 "fields": ["license", "pipeline_tag"]}
    assert on_folder["adapter"] is None
    assert on_folder["name_architecture"] == "llama"
    assert [(element["text"], element["code"], element["field"]) for element in on_folder["name_elements"]] == [
        ("llama", "A", "architecture"), ("1m", "P", "parameters"), ("chat", "T", "task")
    ]
    assert on_folder["name_elements"][1]["value"] == "1000000"
    assert on_name["model_type"] is None and on_name["parameters"] is None and on_name["card"] is None
    assert on_name["name_architecture"] == "bert"
    assert [element["code"] for element in on_name["name_elements"]] == ["A", "S", "T"]


def test_check_help_says_what_is_checked_today(tmp_path: Path) -> None:
    result = run("check", "--help", cwd=tmp_path)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "what is checked today" in text and "`hfname-guard rules`" in text
    families = {rule.ID.split("/", 1)[0] for rule in all_rules()}
    assert families <= set(CHECK_FAMILIES), "every rule family has a description in check --help"
    for family in families:
        assert f"{family}/ {CHECK_FAMILIES[family].split()[0]}" in text
    for rule in all_rules():
        assert rule.ID in text, f"check --help does not name {rule.ID}"
    for option in ("--repo-ids-from", "--quiet", "--show-waived"):
        assert option in text


def test_only_a_check_asked_to_keep_facts_keeps_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the JSON report shows facts, so a check for any other format keeps none."""
    monkeypatch.setenv("HFNAME_GUARD_CACHE_DIR", str(tmp_path / ".cache"))
    monkeypatch.chdir(tmp_path)
    policy = load_policy(None)  # the built-in default
    assert check([Target("acme/llama-7b")], policy).facts is None
    kept = check([Target("acme/llama-7b"), Target("acme/bert-base")], policy, keep_facts=True).facts
    assert kept is not None and [facts.name_architecture for facts in kept if facts is not None] == ["llama", "bert"]


def test_a_report_made_by_hand_still_renders(tmp_path: Path) -> None:
    """A report from the Python API or merged from others: a waived finding without its waiver,
    facts that are not parallel to the targets."""
    finding = Finding(rule="name/case", severity="error", message="`X` is not lower-case", repo_id="acme/X")
    report = Report(targets=[Target("acme/X")], findings=[], waived=[finding], facts=[])
    rendered = valid_report(json_report.render(report, color=False))
    assert rendered["waived"] == [{"finding": finding.to_dict(), "waiver": None}]
    assert "facts" not in rendered["targets"][0]  # type: ignore[index]
    assert text_report.render(report, color=False, show_waived=True).splitlines()[1:3] == [
        "  acme/X: waived (error): `X` is not lower-case [name/case]", "    waived",
    ]
