"""Bad input end to end: the real command in a subprocess, fed what users and attackers feed it.

Each case checks the contract of DESIGN.md: exit code 2 for a usage or policy problem, 1 for a
model problem (a broken card is a ``card/syntax`` finding), never a traceback, never a hang (every
run has a timeout), and a message that names the file, the line where there is one, and what was
wrong.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

TIMEOUT = 30
"""Seconds a run may take; every case here finishes in well under one."""

REPO_ROOT = Path(__file__).resolve().parents[2]
GOOD_REPO_ID = "acme/llama-7b"
"""A name the default policy accepts, so a card case reports only the card."""

GOOD_METADATA = "license: mit\npipeline_tag: text-generation\n"

NOBODY = 65534


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def findings(self, rule: str) -> list[str]:
        """The text report's lines for ``rule``."""
        return [line.strip() for line in self.stdout.splitlines() if line.rstrip().endswith(f"[{rule}]")]


def run_command(
    *args: str, cwd: Path, cache: Path, preexec_fn: Callable[[], None] | None = None
) -> Result:
    env = {key: value for key, value in os.environ.items() if key not in ("GITHUB_ACTIONS", "FORCE_COLOR")}
    env.update(
        HFNAME_GUARD_CACHE_DIR=str(cache),
        NO_COLOR="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    )
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "hfname_guard", *args],
            cwd=cwd, env=env, capture_output=True, text=True, errors="replace",
            timeout=TIMEOUT, preexec_fn=preexec_fn, stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`hfname-guard {' '.join(args)}` hung: no answer within {TIMEOUT} s")
    result = Result(completed.returncode, completed.stdout, completed.stderr)
    assert "Traceback" not in result.output, result.output
    assert "internal error" not in result.output, result.output
    return result


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """The working directory of a run (the cache lives beside it, not in it)."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def run(work: Path, tmp_path: Path) -> Callable[..., Result]:
    def _run(*args: str) -> Result:
        return run_command(*args, cwd=work, cache=tmp_path / "cache")

    return _run


def listing(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


# ----- helpers for policies and cards ---------------------------------------------------------


def check_policy(run: Callable[..., Result], work: Path, text: str | bytes) -> Result:
    """Check a good name under the policy ``text``; a policy problem is exit 2, no report."""
    policy = work / "policy.yaml"
    if isinstance(text, bytes):
        policy.write_bytes(text)
    else:
        policy.write_text(text, encoding="utf-8")
    result = run("check", "--repo-id", GOOD_REPO_ID, "--policy", "policy.yaml")
    assert result.code == 2, result.output
    assert result.stdout == "", "a bad policy must not produce a report"
    return result


def policy_message(result: Result) -> str:
    """The problem line of policy.yaml's single problem."""
    problem = policy_problem(result)
    assert problem.startswith("policy.yaml"), problem
    return problem


def policy_problem(result: Result) -> str:
    """The single problem line of a policy error, checking the verdict line after it."""
    problem, verdict = result.stderr.strip().splitlines()
    assert verdict == "hfname-guard: the policy has 1 problem; nothing was checked", result.stderr
    return problem


def make_model(work: Path, readme: str | bytes | None = None) -> Path:
    folder = work / "llama-7b"
    folder.mkdir()
    if isinstance(readme, str):
        (folder / "README.md").write_text(readme, encoding="utf-8")
    elif isinstance(readme, bytes):
        (folder / "README.md").write_bytes(readme)
    return folder


def only_finding(run: Callable[..., Result], rule: str, file: str) -> str:
    """Check the model folder ``llama-7b``: exit 1 and exactly one ``rule`` finding, on its
    ``file``, returned as its text line (which starts with the file's path)."""
    result = run("check", "llama-7b", "--repo-id", GOOD_REPO_ID)
    assert result.code == 1, result.output
    found = result.findings(rule)
    assert len(found) == 1, result.output
    assert found[0].startswith(f"llama-7b{os.sep}{file}"), found[0]
    return found[0]


def card_syntax(run: Callable[..., Result], work: Path, readme: str | bytes | None = None) -> str:
    """Check a model whose card is broken: its one ``card/syntax`` finding."""
    if readme is not None:
        make_model(work, readme)
    return only_finding(run, "card/syntax", "README.md")


def card(yaml_text: str) -> str:
    return f"---\n{yaml_text}---\n\n# llama-7b\n\nA model.\n"


def alias_bomb() -> str:
    """Billion laughs: 9 levels, each a list of 9 aliases of the level below (9**9 leaves)."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 9):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


DEEP = 10_000
DEEP_FLOW = "deep: " + "[" * DEEP + "]" * DEEP + "\n"
DEEP_BLOCK_SEQUENCES = "deep:\n" + "- " * DEEP + "x\n"
"""Block style, compact: ``- - - x`` nests sequences one level per ``- ``."""
DEEP_BLOCK_MAPPINGS = "".join(" " * level + f"k{level}:\n" for level in range(DEEP))
"""Block mappings need one more space per level: 10,000 levels are about 50 MB of YAML."""


# ----- policy files ---------------------------------------------------------------------------


def test_policy_with_unclosed_bracket_names_line_and_column(run, work):
    message = policy_message(check_policy(run, work, "version: 1\nnamespaces: [acme, demo\nname:\n  case: lower\n"))
    match = re.match(r"policy\.yaml:(\d+):(\d+): invalid YAML: .+", message)
    assert match, message
    assert int(match[1]) in (2, 3), "points at the bracket or where the list should have closed"


def test_policy_alias_bomb_is_refused(run, work):
    message = policy_message(check_policy(run, work, "version: 1\n" + alias_bomb()))
    assert re.match(r"policy\.yaml:\d+:\d+: invalid YAML: ", message), message
    assert "alias" in message


@pytest.mark.parametrize("deep", [DEEP_FLOW, DEEP_BLOCK_SEQUENCES], ids=["flow", "block-sequences"])
def test_policy_nested_10000_deep_is_refused(run, work, deep):
    message = policy_message(check_policy(run, work, "version: 1\n" + deep))
    assert re.match(r"policy\.yaml:\d+:\d+: invalid YAML: .*nest", message), message


def test_policy_nested_200_plus_deep_block_mappings_is_refused(run, work):
    deep = "".join(" " * level + f"k{level}:\n" for level in range(300))
    message = policy_message(check_policy(run, work, "version: 1\n" + deep))
    assert re.match(r"policy\.yaml:\d+:\d+: invalid YAML: nested more than \d+ levels", message), message


def test_policy_of_10000_nested_block_mappings_is_refused_by_size(run, work):
    message = policy_message(check_policy(run, work, "version: 1\n" + DEEP_BLOCK_MAPPINGS))
    assert "larger than" in message and "bytes" in message, message


def test_policy_regex_that_does_not_compile(run, work):
    text = 'version: 1\nname: {fields: {x: {pattern: "([a-"}}, template: "{x}"}\n'
    message = policy_message(check_policy(run, work, text))
    assert re.match(r"policy\.yaml:2:\d+: name\.fields\.x\.pattern: ", message), message
    assert "regular expression" in message


def test_policy_unknown_key_suggests_the_known_one(run, work):
    message = policy_message(check_policy(run, work, 'version: 1\nnmae:\n  template: "{architecture}"\n'))
    assert message.startswith("policy.yaml:2:1: nmae: unknown key `nmae`"), message
    assert "did you mean `name`" in message, message


def test_policy_not_utf8(run, work):
    message = policy_message(check_policy(run, work, b"version: 1\nnamespaces: [acme\xff]\n"))
    assert "UTF-8" in message, message


def test_policy_is_a_directory(run, work):
    (work / "policies").mkdir()
    result = run("check", "--repo-id", GOOD_REPO_ID, "--policy", "policies")
    assert result.code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.strip().startswith("policies: ")
    assert "is a directory" in result.stderr


def test_policy_that_does_not_exist(run, work):
    result = run("check", "--repo-id", GOOD_REPO_ID, "--policy", "missing.yaml")
    assert result.code == 2, result.output
    assert result.stdout == ""
    assert policy_problem(result) == "missing.yaml: no such policy file"


def test_policy_fifo_does_not_hang(run, work):
    os.mkfifo(work / "policy.yaml")
    result = run("check", "--repo-id", GOOD_REPO_ID, "--policy", "policy.yaml")
    assert result.code == 2, result.output
    message = policy_message(result)
    assert "not a regular file" in message, message


# ----- model cards ----------------------------------------------------------------------------


def test_card_with_unclosed_bracket_is_a_syntax_finding(run, work):
    line = card_syntax(run, work, "---\nlicense: [mit\n---\n")
    match = re.match(r"llama-7b.README\.md:(\d+)(?::\d+)?: error: invalid YAML in the metadata block: ", line)
    assert match, line
    assert int(match[1]) in (2, 3), "points at the bracket or where the list should have closed"


def test_card_that_is_binary(run, work):
    line = card_syntax(run, work, b"---\nlicense: mit\n---\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
    assert "binary" in line and "NUL" in line, line


def test_card_that_is_not_utf8(run, work):
    line = card_syntax(run, work, GOOD_METADATA.join(["---\n", "---\n# caf\xe9\n"]).encode("latin-1"))
    assert re.match(r"llama-7b.README\.md:5(:\d+)?: error: README\.md is not UTF-8", line), line
    assert "0xe9" in line, line


def test_card_of_50_megabytes_is_checked_from_its_head(run, work):
    folder = make_model(work)
    paragraph = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 16 + "\n\n").encode()
    with open(folder / "README.md", "wb") as handle:
        handle.write(card(GOOD_METADATA).encode())
        for _ in range(50_000_000 // len(paragraph) + 1):
            handle.write(paragraph)
    assert (folder / "README.md").stat().st_size > 50_000_000
    result = run("check", "llama-7b", "--repo-id", GOOD_REPO_ID)  # the timeout is the speed check
    assert result.code == 0, result.output


def test_card_alias_bomb_is_a_syntax_finding(run, work):
    line = card_syntax(run, work, card("license: mit\n" + alias_bomb()))
    assert re.match(r"llama-7b.README\.md:\d+:\d+: error: invalid YAML in the metadata block: ", line), line
    assert "alias" in line, line


@pytest.mark.parametrize("deep", [DEEP_FLOW, DEEP_BLOCK_SEQUENCES], ids=["flow", "block-sequences"])
def test_card_nested_10000_deep_is_a_syntax_finding(run, work, deep):
    line = card_syntax(run, work, card("license: mit\n" + deep))
    assert re.match(r"llama-7b.README\.md:\d+:\d+: error: invalid YAML in the metadata block: .*nest", line), line


def test_card_of_10000_nested_block_mappings_is_a_syntax_finding(run, work):
    line = card_syntax(run, work, card("license: mit\n" + DEEP_BLOCK_MAPPINGS))
    assert "metadata block" in line, line


def test_card_fifo_does_not_hang(run, work):
    folder = make_model(work)
    os.mkfifo(folder / "README.md")
    line = card_syntax(run, work)
    assert "not a regular file" in line, line


# ----- model files: config.json and safetensors headers ----------------------------------------


def corrupt_file(run: Callable[..., Result], work: Path, name: str, content: bytes) -> str:
    """Check a model whose ``name`` holds ``content``: its one ``artifacts/corrupt`` finding."""
    folder = make_model(work, card(GOOD_METADATA))
    (folder / name).write_bytes(content)
    return only_finding(run, "artifacts/corrupt", name)


def test_config_cut_short_names_its_line_and_column(run, work):
    line = corrupt_file(run, work, "config.json", b'{\n  "model_type": "llama",\n  "hidden_si')
    assert line.startswith(f"llama-7b{os.sep}config.json:3:3: error: config.json ends in the middle of its JSON"), line


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "config.json is empty; expected a JSON object"),
        (b"model_type: llama\n", "config.json:1:1: error: config.json is not valid JSON"),
        (b'{"model_type": "llama", "pad": "' + b"x" * 10_000_000 + b'"}', "is larger than"),
    ],
    ids=["empty", "yaml", "gigantic"],
)
def test_config_that_is_not_a_json_object(run, work, content, expected):
    assert expected in corrupt_file(run, work, "config.json", content)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"\x10" + b"\0" * 6, "the file is only 7 bytes long"),
        (b"\0" * 8, "the header does not start with `{`"),
        ((2**63 - 1).to_bytes(8, "little") + b"{}", "header length 9,223,372,036,854,775,807 bytes is past the end"),
    ],
    ids=["0-bytes", "7-bytes", "8-bytes", "2^63"],
)
def test_safetensors_header_that_cannot_be_read(run, work, content, expected):
    line = corrupt_file(run, work, "model.safetensors", content)
    assert line.startswith(f"llama-7b{os.sep}model.safetensors: error: {expected}"), line


# ----- unreadable files: root reads anything, so drop that power for the run -------------------


def _become_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def _drop_read_override() -> None:
    """Stay root but lose CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set, so the
    interpreter exec'd next is subject to file modes like anyone else."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, cap_dac_override, cap_dac_read_search = 24, 1, 2
    for capability in (cap_dac_override, cap_dac_read_search):
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _honours_modes(preexec_fn: Callable[[], None], folder: Path) -> bool:
    """Whether a child started with ``preexec_fn`` can run the package and is refused a mode-000 file."""
    probe = folder / "probe"
    probe.write_text("secret")
    probe.chmod(0)
    script = (
        "import sys, hfname_guard, yaml\n"
        "try:\n    open(sys.argv[1]).read()\nexcept PermissionError:\n    sys.exit(0)\nsys.exit(1)\n"
    )
    try:
        completed = subprocess.run(
            [sys.executable, "-c", script, str(probe)], cwd=folder, preexec_fn=preexec_fn,
            capture_output=True, timeout=TIMEOUT,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        )
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        probe.unlink()
    return completed.returncode == 0


@pytest.fixture
def unprivileged(tmp_path: Path) -> Iterator[tuple[Path, Callable[[], None] | None]]:
    """A world-traversable working directory and a ``preexec_fn`` under which mode 000 means
    unreadable: none needed for an ordinary user; for root, run as ``nobody`` where ``nobody``
    can reach the interpreter, else stay root without the capabilities that bypass file modes."""
    folder = Path(tempfile.mkdtemp(prefix="hfname-guard-unreadable-"))
    folder.chmod(0o755)
    try:
        if os.geteuid() != 0:
            yield folder, None
            return
        for preexec_fn in (_become_nobody, _drop_read_override):
            if _honours_modes(preexec_fn, folder):
                yield folder, preexec_fn
                return
        pytest.fail(
            "running as root, and neither `nobody` (uid 65534) can run "
            f"{sys.executable} with hfname_guard, nor could CAP_DAC_OVERRIDE be dropped: "
            "a mode-000 file cannot be made unreadable to the command here"
        )
    finally:
        for path in folder.rglob("*"):
            if not path.is_symlink():
                path.chmod(stat.S_IRWXU)
        shutil.rmtree(folder, ignore_errors=True)


def test_policy_unreadable(unprivileged):
    folder, preexec_fn = unprivileged
    (folder / "policy.yaml").write_text("version: 1\n")
    (folder / "policy.yaml").chmod(0)
    result = run_command("check", "--repo-id", GOOD_REPO_ID, "--policy", "policy.yaml",
                         cwd=folder, cache=folder / "cache", preexec_fn=preexec_fn)
    assert result.code == 2, result.output
    assert result.stdout == ""
    assert policy_problem(result) == "policy.yaml: cannot read the policy: Permission denied"


def test_card_unreadable(unprivileged):
    folder, preexec_fn = unprivileged
    model = folder / "llama-7b"
    model.mkdir()
    model.chmod(0o755)
    (model / "README.md").write_text(card(GOOD_METADATA))
    (model / "README.md").chmod(0)
    result = run_command("check", "llama-7b", "--repo-id", GOOD_REPO_ID,
                         cwd=folder, cache=folder / "cache", preexec_fn=preexec_fn)
    assert result.code == 1, result.output
    found = result.findings("card/syntax")
    assert len(found) == 1, result.output
    assert found[0].startswith(f"llama-7b{os.sep}README.md: error: "), found[0]
    assert "Permission denied" in found[0], found[0]


# ----- repo ids -------------------------------------------------------------------------------


def repo_id_findings(run: Callable[..., Result], repo_id: str) -> list[dict]:
    result = run("check", "--repo-id", repo_id, "--format", "json")
    assert result.code == 1, result.output
    findings = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "repo-id/format"]
    assert findings, result.stdout
    return findings


def test_repo_id_empty(run):
    [finding] = repo_id_findings(run, "")
    assert "empty" in finding["message"], finding


def test_repo_id_empty_text_line_has_a_location(run):
    """Every finding line leads with where it is; an empty repo id must not leave that blank."""
    result = run("check", "--repo-id", "")
    assert result.code == 1, result.output
    [line] = result.findings("repo-id/format")
    assert not line.startswith(":"), f"the finding line has no location: {line!r}"


def test_repo_id_with_two_slashes(run):
    [finding] = repo_id_findings(run, "acme/models/llama-7b")
    assert "2 slashes" in finding["message"] and "(column 12)" in finding["message"], finding


def test_repo_id_of_500_characters(run):
    repo_id = "acme/llama-" + "x" * 489
    assert len(repo_id) == 500
    [finding] = repo_id_findings(run, repo_id)
    assert "495 characters" in finding["message"] and "96" in finding["message"], finding


def test_repo_id_with_a_cyrillic_lookalike(run):
    [finding] = repo_id_findings(run, "acme/ll\u0430ma-7b")
    message = finding["message"]
    assert "CYRILLIC SMALL LETTER A" in message and "looks like `a`" in message, message
    assert "(column 8)" in message, message


# ----- output formats -------------------------------------------------------------------------


def test_format_to_a_directory(run, work):
    (work / "out").mkdir()
    before = listing(work)
    result = run("check", "--repo-id", GOOD_REPO_ID, "--format", "json=out")
    assert result.code == 2, result.output
    assert result.stderr.strip() == "hfname-guard: --format: out is a directory; give a file name", result.stderr
    assert "directory" in result.stderr.lower()
    assert listing(work) == before, "no partial or temporary report left behind"


def test_format_unknown(run, work):
    result = run("check", "--repo-id", GOOD_REPO_ID, "--format", "json=report.json", "--format", "nope")
    assert result.code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == "hfname-guard: --format nope: unknown format `nope`; choose from text, json, github, sarif, markdown"
    assert listing(work) == set()


def test_one_repo_id_for_two_folders(run, work):
    make_model(work, card(GOOD_METADATA))
    (work / "other").mkdir()
    before = listing(work)
    result = run("check", "llama-7b", "other", "--repo-id", "x", "--format", "json=report.json")
    assert result.code == 2, result.output
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("hfname-guard: --repo-id names one model, but several folders were given"), line
    assert listing(work) == before, "no report written"


def test_json_file_and_text_together(run, work):
    result = run("check", "--repo-id", "acme/llama-test", "--format", "json=report.json", "--format", "text")
    assert result.code == 1, result.output
    assert "[name/forbidden]" in result.stdout
    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    assert report["version"] == 1
    assert [f["rule"] for f in report["findings"]] == [
        line.rsplit("[", 1)[1].rstrip("]") for line in result.stdout.splitlines() if line.rstrip().endswith("]")
    ]
    assert report["summary"]["error"] == len(report["findings"]) > 0
    errors = report["summary"]["error"]
    assert result.stdout.splitlines()[-1].startswith(f"{errors} error"), result.stdout
    assert listing(work) == {"report.json"}
