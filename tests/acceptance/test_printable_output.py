"""Any text is printable (issue 10, point 3): the real command in a subprocess, on model folders
whose names hold bytes that are not UTF-8 and terminal controls, cards and configs whose values
hold NUL, ESC, CR, BEL, bidirectional overrides, line breaks and lone surrogates.

In every format, to standard output and to files (``--format FMT=FILE``), under a UTF-8, an
ASCII and the default output encoding: the run ends with 0 or 1, never an encoding error; the
output is UTF-8; JSON and SARIF follow their schemas; text and error messages hold no control
character but their line breaks, and show each one escaped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
REPORT_SCHEMA = json.loads((REPO_ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
SARIF_SCHEMA = json.loads((REPO_ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What must not reach a terminal: every control but the line break, and the bidirectional marks."""

UNDECODABLE = b"model-\xff\xfe"
TERMINAL = b"evil\x1b[2Jname\r\x07\xe2\x80\xaeexe"
"""Clears the screen, returns to the line's start, rings, and reverses the rest (U+202E)."""
CARD = ('---\nlicense: "mit\\0\\e]0;pwned\\a\\r\\u202e\\nnext"\npipeline_tag: text-generation\n'
        'library_name: "\\u2066x\\u2069\\x85\\x9b"\n---\n')
CONFIG = '{"model_type": "llama", "architectures": ["\\ud800\\u0000\\u001b[31mForSequenceClassification"]}'
"""A lone surrogate as JSON writes one, then NUL and ESC, in a head class that consistency/task
quotes against `llama-7b-chat`."""

SHOWN = ["model-\\xff\\xfe", "evil\\x1b[2Jname\\r\\x07\\u202eexe", "mit\\x00\\x1b]0;pwned\\x07\\r\\u202e\\nnext",
         "\\ud800\\x00\\x1b[31m"]
"""How the text format and messages show the names and values above."""
ENCODINGS = [None, "utf-8", "ascii"]
"""The output encoding: the default (surrogateescape in a C locale), strict UTF-8, and ASCII."""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / ".hfname-guard.yaml").write_text("version: 1\nnamespaces: [acme]\n", encoding="utf-8")
    for name in (UNDECODABLE, TERMINAL, b"llama-7b-chat"):
        folder = os.path.join(os.fsencode(tmp_path), b"models", name)
        os.makedirs(folder)
        with open(os.path.join(folder, b"README.md"), "w", encoding="utf-8") as card:
            card.write(CARD)
        with open(os.path.join(folder, b"config.json"), "w", encoding="utf-8") as config:
            config.write(CONFIG)
    return tmp_path


def run(*args: str | bytes, cwd: Path, encoding: str | None = "utf-8",
        environ: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("GITHUB_ACTIONS", "FORCE_COLOR", "PYTHONIOENCODING")}
    env.update(HFNAME_GUARD_CACHE_DIR=str(cwd / ".cache"), NO_COLOR="1",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
               **(environ or {}))
    if encoding is not None:
        env["PYTHONIOENCODING"] = encoding
    completed = subprocess.run([sys.executable, "-m", "hfname_guard", *args], cwd=cwd, env=env, capture_output=True,
                               timeout=60)
    assert b"Traceback" not in completed.stderr, completed.stderr.decode("utf-8", "replace")
    return completed


def folders(workspace: Path) -> list[bytes]:
    return sorted(os.path.join(b"models", name) for name in os.listdir(os.fsencode(workspace / "models")))


def assert_printable(text: str) -> None:
    """No control character but line breaks, and the names and values shown escaped."""
    assert not RAW_CONTROL.search(text), RAW_CONTROL.findall(text)
    for shown in SHOWN:
        assert shown in text


def assert_valid_json(text: str, schema: dict[str, object]) -> dict[str, object]:
    document = json.loads(text)
    jsonschema.validate(document, schema)
    return document


def test_the_folders_are_what_the_tests_say(workspace: Path) -> None:
    assert set(os.listdir(os.fsencode(workspace / "models"))) == {UNDECODABLE, TERMINAL, b"llama-7b-chat"}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_text_shows_every_control_escaped(workspace: Path, encoding: str | None) -> None:
    result = run("check", *folders(workspace), cwd=workspace, encoding=encoding)
    assert result.returncode == 1
    text = result.stdout.decode("utf-8")
    assert_printable(text)
    assert "models/model-\\xff\\xfe  (acme/model-\\xff\\xfe, repo id from folder name under `acme`)" in text
    assert text.endswith(" (3 models checked)\n")
    assert text.startswith("policy: .hfname-guard.yaml\n")
    assert all(line.startswith(("models/", "  models/", "    fix: ")) for line in text.splitlines()[1:-1])


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_json_is_ascii_and_valid(workspace: Path, encoding: str | None) -> None:
    result = run("check", *folders(workspace), "--format", "json", cwd=workspace, encoding=encoding)
    assert result.returncode == 1 and result.stdout.isascii()
    report = assert_valid_json(result.stdout.decode("ascii"), REPORT_SCHEMA)
    targets = report["targets"]
    assert isinstance(targets, list)
    assert {target["folder"] for target in targets} == {
        "models/model-\\xff\\xfe", "models/evil\x1b[2Jname\r\x07\u202eexe", "models/llama-7b-chat"}
    findings = json.dumps(report["findings"], ensure_ascii=False)
    assert "\\\\ud800\\u0000\\u001b[31m" in findings  # the surrogate as text; NUL and ESC as JSON escapes them


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_sarif_is_ascii_and_valid(workspace: Path, encoding: str | None) -> None:
    result = run("check", *folders(workspace), "--format", "sarif", cwd=workspace, encoding=encoding)
    assert result.returncode == 1 and result.stdout.isascii()
    log = assert_valid_json(result.stdout.decode("ascii"), SARIF_SCHEMA)
    results = log["runs"][0]["results"]  # type: ignore[index]
    uris = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in results}
    assert "models/model-%FF%FE/README.md" in uris  # the URI says the bytes
    messages = "\n".join(result["message"]["text"] for result in results)  # shown to people: printable
    assert not RAW_CONTROL.search(messages)
    assert SHOWN[2] in messages and SHOWN[3] in messages


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_markdown_and_annotations_show_controls_escaped(workspace: Path, encoding: str | None) -> None:
    markdown = run("check", *folders(workspace), "--format", "markdown", cwd=workspace, encoding=encoding)
    assert markdown.returncode == 1
    body = markdown.stdout.decode("utf-8")
    assert not RAW_CONTROL.search(body)
    assert "model-\\\\xff\\\\xfe" in body  # Markdown escapes the backslash of the escape
    github = run("check", *folders(workspace), "--format", "github", cwd=workspace, encoding=encoding)
    assert github.returncode == 1
    annotations = github.stdout.decode("utf-8")
    assert not RAW_CONTROL.search(annotations)
    assert "file=models/model-\\xff\\xfe/README.md," in annotations
    assert "mit\\x00\\x1b]0;pwned\\x07\\r\\u202e\\nnext" in annotations


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_report_files_are_utf8_and_valid_whatever_the_console(workspace: Path, encoding: str | None) -> None:
    out = workspace / "out"
    out.mkdir()
    formats = [f"{name}={out / name}" for name in ("text", "json", "sarif", "markdown", "github")]
    result = run("check", *folders(workspace), *(arg for spec in formats for arg in ("--format", spec)),
                 cwd=workspace, encoding=encoding)
    assert result.returncode == 1 and result.stdout == b""
    files = {path.name: path.read_bytes().decode("utf-8") for path in out.iterdir()}
    assert_printable(files["text"])
    assert_valid_json(files["json"], REPORT_SCHEMA)
    assert_valid_json(files["sarif"], SARIF_SCHEMA)
    assert not RAW_CONTROL.search(files["markdown"] + files["github"])


def test_inside_actions_the_annotations_show_controls_escaped(workspace: Path) -> None:
    result = run("check", *folders(workspace), "--format", "github", cwd=workspace,
                 environ={"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "acme/models", "GITHUB_SHA": "0" * 40})
    assert result.returncode == 1
    output = result.stdout.decode("utf-8")
    assert not RAW_CONTROL.search(output)
    assert "file=models/evil\\x1b[2Jname\\r\\x07\\u202eexe/README.md," in output


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_error_messages_show_controls_escaped(workspace: Path, encoding: str | None) -> None:
    missing = run("check", b"models/gone\x1b]0;pwned\x07\r\xff", cwd=workspace, encoding=encoding)
    assert missing.returncode == 2
    message = missing.stderr.decode("utf-8")
    assert not RAW_CONTROL.search(message)
    assert "gone\\x1b]0;pwned\\x07\\r\\xff" in message
    folder = run("check", "--format", "json=gone\x1b[2J/report.json", "models/llama-7b-chat", cwd=workspace,
                 encoding=encoding)
    assert folder.returncode == 2
    assert "gone\\x1b[2J/report.json" in folder.stderr.decode("utf-8")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_policy_validate_and_explain_show_controls_escaped(workspace: Path, encoding: str | None) -> None:
    policy = b"policy\x1b[2J\xff.yaml"
    with open(os.path.join(os.fsencode(workspace), policy), "w", encoding="utf-8") as handle:
        handle.write("version: 1\nnamespaces: [acme]\n")
    valid = run("policy", "validate", policy, cwd=workspace, encoding=encoding)
    assert valid.returncode == 0
    assert valid.stdout.decode("utf-8") == "policy\\x1b[2J\\xff.yaml: valid policy\n"
    name = b"llama-7b\x1b[2J\xff\xe2\x80\xae"
    text = run("explain", name, cwd=workspace, encoding=encoding)
    assert text.returncode == 0
    assert not RAW_CONTROL.search(text.stdout.decode("utf-8"))
    assert text.stdout.decode("utf-8").startswith("llama-7b\\x1b[2J\\xff\\u202e\n")
    for output in ("json", "jsonl"):
        explained = run("explain", name, "--format", output, cwd=workspace, encoding=encoding)
        assert explained.returncode == 0 and explained.stdout.isascii()
        document = json.loads(explained.stdout)
        first = document[0] if output == "json" else document
        assert first["name"] == "llama-7b\x1b[2J\\xff\u202e"
