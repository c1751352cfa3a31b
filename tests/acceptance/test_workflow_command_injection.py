"""Inside GitHub Actions no text the tool prints becomes a workflow command (issue 9, point 6).

The real command in a subprocess, with ``GITHUB_ACTIONS=true``, on model folders, cards and
policies whose names, values and keys hold forged commands. What the runner would execute of
the output is read with ``workflow_runner``, a model of actions/runner's parser: only the tool's
own annotations, and the guard's stop and resume pairs around untrusted lines. Outside Actions
the output is unchanged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from workflow_runner import assert_only_stop_and_resume_pairs, executed, without

from hfname_guard.printable import printable

ADD_MASK = "\n::add-mask::secret"
CARRIAGE_RETURN_ERROR = "\r::error::forged"
SET_OUTPUT = "##[set-output name=x;]y"
FOLDERS = ("::add-mask::x", f"llama-7b{ADD_MASK}", f"llama-8b{CARRIAGE_RETURN_ERROR}")
CARD = (f"---\nlicense: {json.dumps('mit' + ADD_MASK)}\npipeline_tag: {json.dumps('x' + CARRIAGE_RETURN_ERROR)}\n"
        f"library_name: {json.dumps(SET_OUTPUT)}\n---\n")
BAD_POLICY = (f"version: 1\nnamespaces: [acme]\n{json.dumps('bad' + ADD_MASK)}: 1\n{json.dumps(SET_OUTPUT)}: 2\n"
              f"name:\n  case: {json.dumps('lower' + CARRIAGE_RETURN_ERROR)}\n")


def run(*args: str, cwd: Path, actions: bool = True) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    env.update(HFNAME_GUARD_CACHE_DIR=str(cwd / ".cache"), NO_COLOR="1")
    if actions:
        env["GITHUB_ACTIONS"] = "true"
    completed = subprocess.run([sys.executable, "-m", "hfname_guard", *args], cwd=cwd, env=env, capture_output=True,
                               timeout=60)  # bytes, decoded below: text mode would turn a lone \r into \n
    return subprocess.CompletedProcess(completed.args, completed.returncode, completed.stdout.decode(),
                                       completed.stderr.decode())


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / ".hfname-guard.yaml").write_text("version: 1\nnamespaces: [acme]\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(BAD_POLICY, encoding="utf-8")
    for name in FOLDERS:
        (tmp_path / "models" / name).mkdir(parents=True)
        (tmp_path / "models" / name / "README.md").write_text(CARD, encoding="utf-8")
    return tmp_path


def verbatim_text(output: str) -> str:
    """``output`` as the runner shows it when it executes nothing but stop and resume pairs,
    without them; fails on any other command."""
    commands = executed(output)
    assert_only_stop_and_resume_pairs(commands)
    return without(output, commands)


@pytest.mark.parametrize("args", [
    ("check", "models/::add-mask::x", *(f"models/{name}" for name in FOLDERS[1:])),
    ("check", *(f"models/{name}" for name in FOLDERS), "--format", "json"),
    ("check", "--policy", "bad.yaml", "models/::add-mask::x"),
    ("policy", "validate", "bad.yaml", ".hfname-guard.yaml"),
    ("explain", "::add-mask::x", f"acme/llama-7b{ADD_MASK}", SET_OUTPUT),
    ("check", "--repo-id", f"acme/{SET_OUTPUT}", "--format", "sarif"),
    ("check", "--format", f"x{SET_OUTPUT}"),
], ids=["text", "json", "policy-error", "policy-validate", "explain", "sarif", "usage-error"])
def test_untrusted_text_is_printed_verbatim_and_executes_nothing(workspace: Path, args: tuple[str, ...]) -> None:
    inside, outside = run(*args, cwd=workspace), run(*args, cwd=workspace, actions=False)
    assert executed(outside.stdout + outside.stderr), "the forged commands reach the output"
    assert inside.returncode == outside.returncode
    assert verbatim_text(inside.stdout) == outside.stdout
    assert verbatim_text(inside.stderr) == outside.stderr


def test_the_annotations_are_the_only_commands_and_carry_the_findings_whole(workspace: Path) -> None:
    folders = [f"models/{name}" for name in FOLDERS]
    result = run("check", *folders, "--format", "github", "--format", "json=report.json", cwd=workspace)
    assert result.returncode == 1 and result.stderr == ""
    annotations = executed(result.stdout)
    report = json.loads((workspace / "report.json").read_text(encoding="utf-8"))
    findings = report["findings"]
    assert len(findings) == len(annotations) == 12  # under GitHub's ten of a kind: all shown
    for annotation, finding in zip(annotations, findings):
        assert annotation.name == {"error": "error", "warning": "warning", "info": "notice"}[finding["severity"]]
        assert annotation.properties["title"] == finding["rule"]
        assert annotation.properties["file"] in (printable(finding["file"]), printable(f"{finding['file']}/README.md"))
        assert annotation.properties["line"] == str(finding["line"] or 1)
        assert annotation.data == printable(finding["message"])  # a line break of a card value shown as \\n
    forged = {f"{printable(ADD_MASK)}`", f"{printable(CARRIAGE_RETURN_ERROR)}`", f"`{SET_OUTPUT}`"}
    assert all(any(text in annotation.data for annotation in annotations) for text in forged)
    counts = report["summary"]
    assert result.stdout.endswith(f"\nhfname-guard: {counts['error']} errors, {counts['warning']} warnings "
                                  "(3 models checked)\n")


def test_outside_actions_the_annotations_are_the_same(workspace: Path) -> None:
    folders = [f"models/{name}" for name in FOLDERS]
    inside = run("check", *folders, "--format", "github", cwd=workspace)
    assert inside.stdout == run("check", *folders, "--format", "github", cwd=workspace, actions=False).stdout
    assert inside.stdout == run("check", *folders, "--format", "auto", cwd=workspace).stdout


def test_output_sent_to_a_file_keeps_its_bytes(workspace: Path) -> None:
    """The runner reads pipes, never a file: `> report.json` inside Actions is the report as it is."""
    args = [sys.executable, "-m", "hfname_guard", "check", *(f"models/{name}" for name in FOLDERS), "--format", "json"]
    with open(workspace / "report.json", "wb") as report:
        subprocess.run(args, cwd=workspace, stdout=report, timeout=60,
                       env={**os.environ, "HFNAME_GUARD_CACHE_DIR": str(workspace / ".cache"), "GITHUB_ACTIONS": "true"})
    written = (workspace / "report.json").read_bytes().decode()
    assert "::stop-commands::" not in written
    assert written == run(*args[3:], cwd=workspace, actions=False).stdout


def test_a_reader_that_leaves_early_ends_the_run_quietly_inside_actions(tmp_path: Path) -> None:
    (tmp_path / "names.txt").write_text("".join(f"acme/bert-base-{index}::x\n" for index in range(20_000)))
    process = subprocess.Popen(
        [sys.executable, "-m", "hfname_guard", "explain", "--names-from", "names.txt"], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1", "GITHUB_ACTIONS": "true"},
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"::stop-commands::")
    process.stdout.close()  # as `| head -1` does
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert errors == ""


PROBE = """
import sys
from hfname_guard.cli import main
code = main(sys.argv[1:])
print(code, "hfname_guard.workflow_commands" in sys.modules, file=sys.stderr)
"""


@pytest.mark.parametrize("actions", [False, True])
def test_the_guard_is_loaded_only_inside_actions(tmp_path: Path, actions: bool) -> None:
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    env.update(HFNAME_GUARD_CACHE_DIR=str(tmp_path / ".cache"), **({"GITHUB_ACTIONS": "true"} if actions else {}))
    result = subprocess.run([sys.executable, "-c", PROBE, "check", "--repo-id", "acme/llama-7b"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.stderr.splitlines()[-1] == f"0 {actions}"
