"""The command line as a user runs it: subcommands, exit codes, colour, --fail-on, --debug."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from hfname_guard import cli
from hfname_guard.resources import schema_path

ROOT = Path(__file__).resolve().parents[2]
CARD = "---\nlicense: mit\npipeline_tag: text-generation\n---\n"


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hfname_guard", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
        env={**os.environ, "HFNAME_GUARD_CACHE_DIR": str(cwd / ".cache"), "NO_COLOR": "1", **(env or {})},
    )


def model(tmp_path: Path, name: str, card: str | None = CARD) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    if card is not None:
        (folder / "README.md").write_text(card, encoding="utf-8")
    return folder


def test_init_writes_a_valid_starter_policy_and_never_overwrites(tmp_path: Path) -> None:
    first = run("init", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    written = (tmp_path / ".hfname-guard.yaml").read_text(encoding="utf-8")
    assert "\n# yaml-language-server: $schema=" in written.split("\n---\n")[0], "the schema line leads the file"
    validated = run("policy", "validate", cwd=tmp_path)
    assert validated.returncode == 0, validated.stderr
    assert validated.stdout.startswith(f"{tmp_path / '.hfname-guard.yaml'}: valid policy")
    again = run("init", cwd=tmp_path)
    assert again.returncode == 2
    assert "already exists; not overwriting it" in again.stderr
    assert (tmp_path / ".hfname-guard.yaml").read_text(encoding="utf-8") == written


def test_policy_validate_reports_each_problem_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("version: 1\nname:\n  case: shouty\n  temlate: x\n", encoding="utf-8")
    result = run("policy", "validate", "p.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "p.yaml:3:3: name.case: `shouty` is not one of: lower, upper, as-is",
        "p.yaml:4:3: name.temlate: unknown key `temlate`; did you mean `template`?",
        "hfname-guard: the policy has 2 problems; nothing was checked",
    ]


def test_policy_validate_without_a_policy_says_where_it_looked(tmp_path: Path) -> None:
    result = run("policy", "validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "no .hfname-guard.yaml here or in a folder above" in result.stderr


def test_policy_schema_prints_the_shipped_schema(tmp_path: Path) -> None:
    result = run("policy", "schema", cwd=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout) == json.loads(Path(schema_path("policy.schema.json")).read_text("utf-8"))


def test_fail_on_decides_the_exit_code(tmp_path: Path) -> None:
    (tmp_path / ".hfname-guard.yaml").write_text(
        "version: 1\nextends: default\nrules:\n  name/forbidden: warning\n", encoding="utf-8"
    )
    model(tmp_path, "llama-test")
    assert run("check", "llama-test", cwd=tmp_path).returncode == 0
    assert run("check", "llama-test", "--fail-on", "warning", cwd=tmp_path).returncode == 1
    model(tmp_path, "tmp-model")  # no architecture word: an error
    assert run("check", "tmp-model", cwd=tmp_path).returncode == 1
    assert run("check", "tmp-model", "--fail-on", "never", cwd=tmp_path).returncode == 0


def test_a_file_in_the_model_folder_checks_the_folder(tmp_path: Path) -> None:
    model(tmp_path, "llama-7b")
    result = run("check", "llama-7b/README.md", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    targets = json.loads(result.stdout)["targets"]
    assert [{key: target[key] for key in ("repo_id", "folder", "repo_id_source")} for target in targets] == [
        {"repo_id": "llama-7b", "folder": "llama-7b", "repo_id_source": "folder name"}
    ]


def run_on_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run with standard output on a pseudo-terminal, as a person at a shell would."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "hfname_guard", *args], cwd=cwd, env=env,
                               stdout=terminal, stderr=subprocess.DEVNULL)
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(controller)
    return output.decode()


@pytest.mark.parametrize("no_color, coloured", [(False, True), (True, False)])
def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path: Path, no_color: bool, coloured: bool) -> None:
    model(tmp_path, "tmp-model")
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    env["HFNAME_GUARD_CACHE_DIR"] = str(tmp_path / ".cache")
    if no_color:
        env["NO_COLOR"] = "1"
    output = run_on_a_terminal(["check", "tmp-model"], tmp_path, env)
    assert "[name/required-word]" in output
    assert ("\033[31merror\033[0m" in output) is coloured
    piped = subprocess.run([sys.executable, "-m", "hfname_guard", "check", "tmp-model"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60)
    assert "\033[" not in piped.stdout


def test_an_internal_error_is_one_line_and_debug_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setenv("HFNAME_GUARD_CACHE_DIR", str(tmp_path / ".cache"))
    monkeypatch.setattr("hfname_guard.checker.check", broken)
    assert cli.main(["check", "--repo-id", "acme/llama-7b"]) == 3
    assert capsys.readouterr().err == (
        "hfname-guard: internal error: RuntimeError: the disk is on fire (run with --debug for details)\n"
    )
    with pytest.raises(RuntimeError, match="the disk is on fire"):
        cli.main(["--debug", "check", "--repo-id", "acme/llama-7b"])


def test_help_teaches_the_commands_and_exit_codes(tmp_path: Path) -> None:
    top = run("--help", cwd=tmp_path)
    assert top.returncode == 0
    for command in ("check", "policy", "init", "rules", "explain"):
        assert f"\n    {command} " in top.stdout
    check_help = run("check", "--help", cwd=tmp_path)
    assert "exit codes: 0 nothing at or above --fail-on, 1 violations, 2 usage or policy error" in check_help.stdout
    assert "hfname-guard check --repo-id acme/llama-7b-chat-v1" in check_help.stdout


def test_the_console_script_and_python_m_are_the_same_program(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("hfname-guard")
    assert script.exists(), "the test environment installs the package with its console script"
    env = {**os.environ, "HFNAME_GUARD_CACHE_DIR": str(tmp_path / ".cache"), "NO_COLOR": "1"}
    by_script = subprocess.run([str(script), "check", "--repo-id", "acme/lamma-7b"], cwd=tmp_path, env=env,
                               capture_output=True, text=True, timeout=60)
    by_module = run("check", "--repo-id", "acme/lamma-7b", cwd=tmp_path)
    assert by_script.returncode == by_module.returncode == 1
    assert by_script.stdout == by_module.stdout
    assert "did you mean `llama` for `lamma`?" in by_script.stdout


def test_explain_reads_names_as_text_json_and_jsonl(tmp_path: Path) -> None:
    text = run("explain", "Mixtral-8x7B-Instruct-v0.1", cwd=tmp_path)
    assert text.returncode == 0
    assert text.stdout.splitlines()[:3] == [
        "Mixtral-8x7B-Instruct-v0.1",
        "  Mixtral   A  architecture        mixtral",
        "  8x7B      P  parameters          8x7000000000",
    ]
    assert text.stdout.splitlines()[-1] == "  architecture: mixtral (read from `Mixtral`)"
    (tmp_path / "names.txt").write_text("meta-llama/Llama-2-7b-chat-hf\n\nbert-base-uncased\n", encoding="utf-8")
    lines = run("explain", "--names-from", "names.txt", "--format", "jsonl", cwd=tmp_path)
    assert lines.returncode == 0
    objects = [json.loads(line) for line in lines.stdout.splitlines()]
    assert [(item["name"], item["architecture"]) for item in objects] == [
        ("meta-llama/Llama-2-7b-chat-hf", "llama"), ("bert-base-uncased", "bert"),
    ]
    assert objects[1]["components"][1] == {"text": "base", "start": 5, "code": "S", "element": "size",
                                           "model_type": None, "value": None}
    listed = run("explain", "t5-small", "gpt2", "--format", "json", cwd=tmp_path)
    assert [item["architecture"] for item in json.loads(listed.stdout)] == ["t5", "gpt2"]
    paired = run("explain", "uer/roberta-base-chinese-extractive-qa", "bert2gpt2-cnn", "--format", "json", cwd=tmp_path)
    assert [(item["architecture"], item["architecture_words"]) for item in json.loads(paired.stdout)] == [
        (None, None), ("encoder-decoder", "bert2gpt2"),
    ]


def test_explain_with_nothing_to_explain_says_so(tmp_path: Path) -> None:
    result = run("explain", cwd=tmp_path)
    assert result.returncode == 2
    assert "explain what? give a rule id (name/template) or model names" in result.stderr
    missing = run("explain", "--names-from", "nope.txt", cwd=tmp_path)
    assert missing.returncode == 2
    assert "--names-from nope.txt: cannot read the names" in missing.stderr


def test_names_stream_through_and_a_line_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    """Names are read and explained one at a time (memory stays flat): those before a line
    that is not UTF-8 are written, then the line is named and the run ends with a usage error."""
    (tmp_path / "names.txt").write_bytes(b"llama-7b\n\nbert-base\n\xff\xfe-model\ngpt2\n")
    result = run("explain", "--names-from", "names.txt", "--format", "jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert [json.loads(line)["name"] for line in result.stdout.splitlines()] == ["llama-7b", "bert-base"]
    assert "--names-from names.txt: line 4 is not UTF-8" in result.stderr
    (tmp_path / "folder").mkdir()
    folder = run("explain", "--names-from", "folder", cwd=tmp_path)
    assert folder.returncode == 2 and "--names-from folder: cannot read the names" in folder.stderr


def test_a_reader_that_leaves_early_ends_the_run_quietly(tmp_path: Path) -> None:
    (tmp_path / "names.txt").write_text("".join(f"acme/bert-base-{index}\n" for index in range(20_000)))
    process = subprocess.Popen(
        [sys.executable, "-m", "hfname_guard", "explain", "--names-from", "names.txt"], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"},
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == b"acme/bert-base-0\n"
    process.stdout.close()  # as `| head -1` does
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert errors == ""


def test_a_folder_of_gguf_weights_alone_is_checked(tmp_path: Path) -> None:
    """There is no GGUF reader: the name rules run, the weights are not read, nothing breaks."""
    folder = model(tmp_path, "tmp-model", card=None)
    (folder / "model.gguf").write_bytes(b"GGUF\x03\x00\x00\x00" + b"\x00" * 32)
    result = run("check", "tmp-model", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    rules = {finding["rule"] for finding in json.loads(result.stdout)["findings"]}
    assert {"name/forbidden", "name/required-word"} <= rules, rules
    assert result.stderr == ""


@pytest.mark.parametrize("weights", ["model.gguf", "pytorch_model.bin"])
def test_the_hook_checks_a_folder_of_weights_alone(tmp_path: Path, weights: str) -> None:
    folder = model(tmp_path, "tmp-model", card=None)
    (folder / weights).write_bytes(b"\x00" * 16)
    result = run("hook", f"tmp-model/{weights}", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "tmp-model: error: `tmp-model` contains the forbidden word `tmp` [name/forbidden]" in result.stdout


def test_the_hook_leaves_alone_a_folder_without_model_files(tmp_path: Path) -> None:
    folder = model(tmp_path, "tmp-model", card="# notes, no metadata\n")
    for name in ("notes.txt", "model.binary"):
        (folder / name).write_text("not weights\n", encoding="utf-8")
    result = run("hook", "tmp-model/notes.txt", "tmp-model/model.binary", "tmp-model/README.md", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_inside_github_actions_a_report_never_goes_through_a_link_of_the_checkout(tmp_path: Path) -> None:
    """A pull request commits `out.sarif` as a link to a runner's file, or `reports/` as a link
    to a runner's folder: the file outside is never written."""
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    model(workspace, "llama-7b")
    secret = tmp_path / "runner" / "credentials"
    secret.parent.mkdir()
    secret.write_text("keep me\n", encoding="utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(workspace)}

    (workspace / "out.sarif").symlink_to(secret)
    result = run("check", "llama-7b", "--format", "sarif=out.sarif", cwd=workspace, env=env)
    assert result.returncode == 0, result.stderr
    assert secret.read_text(encoding="utf-8") == "keep me\n"
    assert not (workspace / "out.sarif").is_symlink()
    assert json.loads((workspace / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"

    (workspace / "reports").symlink_to(secret.parent, target_is_directory=True)
    result = run("check", "llama-7b", "--format", "sarif=reports/credentials", cwd=workspace, env=env)
    assert result.returncode == 2
    assert result.stderr == (f"hfname-guard: --format: reports/credentials: {workspace / 'reports'} is a symbolic "
                             f"link inside {workspace}; a report is never written through one\n")
    assert secret.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(os.listdir(secret.parent)) == ["credentials"]


def test_explain_writes_the_same_lines_in_blocks_as_one_at_a_time(tmp_path: Path) -> None:
    """To a pipe or a file, jsonl goes out a block of lines at a time; behind the guard of GitHub
    Actions, a line at a time: the same lines either way, over more than two blocks."""
    names = [f"acme/llama-7b-chat-v{index}" for index in range(600)]
    (tmp_path / "names.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    blocks = run("explain", "--names-from", "names.txt", "--format", "jsonl", cwd=tmp_path)
    one_by_one = run("explain", "--names-from", "names.txt", "--format", "jsonl", cwd=tmp_path,
                     env={"GITHUB_ACTIONS": "true"})
    assert blocks.returncode == one_by_one.returncode == 0
    assert blocks.stdout == one_by_one.stdout
    assert [json.loads(line)["name"] for line in blocks.stdout.splitlines()] == names
