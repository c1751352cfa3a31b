"""The hooks of this very repository, installed and run by the real pre-commit in throwaway git repos.

A session fixture snapshots the working tree (tracked files and untracked ones git does not
ignore, so uncommitted work is what gets tested) into a temporary git repository, the *hook repo*,
and builds its hook environment once in a private ``PRE_COMMIT_HOME``: pre-commit clones the hook
repo at its commit and pip-installs it with PyYAML and jsonschema from the package indexes pip is
configured with on this machine (its ``PIP_*`` variables and its configuration file are kept).
Each test is then a small *consumer* repository with a ``.pre-commit-config.yaml`` naming both
hooks, ``pre-commit install`` for the pre-commit and pre-push stages, and a real ``git commit`` or
``git push``: the exit status, the findings pre-commit shows and whether the commit exists.

Nothing reads or writes the user's git configuration, pre-commit cache or hfname-guard cache:
``HOME``, ``GIT_CONFIG_GLOBAL``, ``GIT_CONFIG_NOSYSTEM``, the author and committer, and
``PRE_COMMIT_HOME`` are the test's own. Every subprocess has a timeout.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
"""Seconds one git or pre-commit command may take once the hook environment exists."""
BUILD_TIMEOUT = 300
"""Seconds the one-time build of the hook environment may take (about 5 s on the 2-core machine)."""

HOOK = "hfname-guard"
POLICY_HOOK = "hfname-guard-policy"

POLICY = "version: 1\nextends: default\nnamespaces: [acme]\n"
GOOD_CARD = "---\nlicense: apache-2.0\npipeline_tag: text-generation\n---\n\n# A model\n"
LLAMA_CONFIG = '{"model_type": "llama"}\n'
LFS_POINTER = (
    "version https://git-lfs.github.com/spec/v1\n"
    "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
    "size 123\n"
)
FINDING_RULE = re.compile(r"\[(repo-id|name|card|consistency|artifacts)/[a-z-]+\]")
SUMMARY = re.compile(r"^\d+ (errors?|warnings?|infos?)\b.*\(\d+ models? checked\)$", re.MULTILINE)


# --------------------------------------------------------------------------- environment


def _hook_names() -> dict[str, str]:
    """Hook id -> the name pre-commit prints in its status line, from the manifest."""
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: hook["name"] for hook in manifest}


def _isolated_env(base: Path) -> dict[str, str]:
    """os.environ minus everything git, pre-commit or Python would pick up from the user, plus a
    private home, git configuration, author, pre-commit home and hfname-guard cache.

    pip keeps its configuration: the ``PIP_*`` variables stay, and the user's pip (and
    virtualenv) configuration folder is copied into the private home, so the hook environment is
    built from the same indexes and wheel folders as everything else on this machine."""
    home = base / "home"
    home.mkdir()
    dropped_prefixes = ("GIT_", "PRE_COMMIT", "VIRTUALENV_", "HFNAME_GUARD_")
    dropped = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "SKIP", "NO_COLOR", "FORCE_COLOR",
               "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "GITHUB_ACTIONS"}
    env = {key: value for key, value in os.environ.items()
           if key not in dropped and not key.startswith(dropped_prefixes)}

    user_config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    for tool in ("pip", "virtualenv"):
        if (user_config / tool).is_dir():
            shutil.copytree(user_config / tool, home / ".config" / tool)
    if (Path.home() / ".pip").is_dir():  # pip's legacy per-user location
        shutil.copytree(Path.home() / ".pip", home / ".pip")

    # ~/.gitconfig of the private home, so git commands pre-commit runs itself (it drops
    # GIT_CONFIG_GLOBAL from their environment) read the same configuration as ours.
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(textwrap.dedent("""\
        [user]
        \tname = Hook Tester
        \temail = hook-tester@example.invalid
        [init]
        \tdefaultBranch = main
        [commit]
        \tgpgsign = false
        [advice]
        \tdetachedHead = false
        [protocol "file"]
        \tallow = always
        """), encoding="utf-8")
    if os.environ.get("GIT_SSL_CAINFO"):
        env["GIT_SSL_CAINFO"] = os.environ["GIT_SSL_CAINFO"]
    env.update(
        HOME=str(home),
        GIT_CONFIG_GLOBAL=str(gitconfig),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Hook Tester",
        GIT_AUTHOR_EMAIL="hook-tester@example.invalid",
        GIT_COMMITTER_NAME="Hook Tester",
        GIT_COMMITTER_EMAIL="hook-tester@example.invalid",
        GIT_TERMINAL_PROMPT="0",
        PRE_COMMIT_HOME=str(base / "pre-commit-home"),
        PRE_COMMIT_COLOR="never",
        HFNAME_GUARD_CACHE_DIR=str(base / "hfname-guard-cache"),
        # virtualenv would otherwise start a background download of newer pip/setuptools wheels
        VIRTUALENV_NO_PERIODIC_UPDATE="1",
        PYTHONUTF8="1",  # pre-commit and the hook read and print paths as UTF-8 whatever the locale
    )
    return env


@dataclass
class Run:
    code: int
    output: str
    """stdout and stderr together, as a user sees them."""

    def section(self, hook_id: str) -> str:
        """What pre-commit printed under a hook that showed output: from its ``- hook id:`` line
        to the next hook's status line."""
        lines = self.output.splitlines()
        marker = f"- hook id: {hook_id}"
        if marker not in lines:
            raise AssertionError(f"pre-commit shows no output for {hook_id}:\n{self.output}")
        start = lines.index(marker)
        body = []
        for line in lines[start:]:
            if body and STATUS_LINE.match(line):
                break
            body.append(line)
        return "\n".join(body)

    def status(self, hook_id: str) -> str | None:
        """``Passed``, ``Failed`` or ``Skipped``: the status line pre-commit printed for a hook."""
        name = re.escape(HOOK_NAMES[hook_id])
        match = re.search(rf"^{name}\.+(?:\([^)]*\))?(Passed|Failed|Skipped)$", self.output, re.MULTILINE)
        return match.group(1) if match else None


STATUS_LINE = re.compile(r"^.*\.{3,}(?:\([^)]*\))?(Passed|Failed|Skipped)$")
HOOK_NAMES = _hook_names()


def run(args: list[str], cwd: Path, env: dict[str, str], *, timeout: float = TIMEOUT,
        check: bool = False, extra_env: dict[str, str] | None = None) -> Run:
    """Runs a command in its own process group, so a timeout ends the hooks it started too."""
    process = subprocess.Popen(
        args, cwd=cwd, env={**env, **(extra_env or {})}, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        raise AssertionError(f"{args} took more than {timeout} s in {cwd}:\n"
                             + output.decode("utf-8", errors="replace")) from None
    result = Run(process.returncode, output.decode("utf-8", errors="replace"))
    if check and result.code != 0:
        raise AssertionError(f"{args} exited {result.code} in {cwd}:\n{result.output}")
    return result


def pre_commit(*args: str) -> list[str]:
    return [sys.executable, "-m", "pre_commit", *args]


@dataclass
class Hooks:
    """The snapshot of this repository as a hook repo, and the environment to use it in."""

    repo: Path
    rev: str
    env: dict[str, str]

    def config(self, hook_args: tuple[str, ...] = ()) -> str:
        args = f"\n        args: [{', '.join(hook_args)}]" if hook_args else ""
        return (f"repos:\n  - repo: {self.repo}\n    rev: {self.rev}\n    hooks:\n"
                f"      - id: {HOOK}{args}\n      - id: {POLICY_HOOK}\n")


def _snapshot(destination: Path, env: dict[str, str]) -> str:
    """Copies the working tree (tracked files and untracked files git does not ignore) into a new
    git repository at ``destination`` and commits it; returns the commit."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, stdout=subprocess.PIPE, timeout=TIMEOUT,
    ).stdout.decode("utf-8", errors="surrogateescape")
    destination.mkdir()
    copied = 0
    for relative in filter(None, listed.split("\0")):
        source = ROOT / relative
        if not source.exists() and not source.is_symlink():
            continue  # tracked but deleted in the working tree: the snapshot is what is there
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
        copied += 1
    assert copied and (destination / ".pre-commit-hooks.yaml").is_file(), "nothing to snapshot"
    run(["git", "init", "--quiet"], destination, env, check=True)
    run(["git", "add", "--all"], destination, env, check=True)
    run(["git", "commit", "--quiet", "--no-verify", "-m", "snapshot of the working tree"],
        destination, env, check=True)
    return run(["git", "rev-parse", "HEAD"], destination, env, check=True).output.strip()


@pytest.fixture(scope="session")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Hooks:
    """The hook repo, committed, with its hook environment built once for the whole session."""
    if importlib.util.find_spec("pre_commit") is None:
        pytest.fail(f"pre-commit is not installed in {sys.executable}; these tests run the real "
                    "pre-commit (install it with the test dependencies)")
    base = tmp_path_factory.mktemp("pre-commit")
    env = _isolated_env(base)
    hook_repo = base / "hook-repo"
    rev = _snapshot(hook_repo, env)
    result = Hooks(hook_repo, rev, env)

    # Build the environment now, in a throwaway consumer, so no test pays for it.
    builder = base / "build-environment"
    builder.mkdir()
    run(["git", "init", "--quiet"], builder, env, check=True)
    (builder / ".pre-commit-config.yaml").write_text(result.config(), encoding="utf-8")
    built = run(pre_commit("install-hooks"), builder, env, timeout=BUILD_TIMEOUT)
    if built.code != 0:
        pytest.fail(f"pre-commit could not build the hook environment:\n{built.output}")
    return result


# --------------------------------------------------------------------------- consumer repos


class Consumer:
    """A git repository using the hooks: config and policy committed, both stages installed."""

    def __init__(self, path: Path, hooks: Hooks) -> None:
        self.path = path
        self.hooks = hooks
        self.env = hooks.env
        path.mkdir()
        self.git("init", "--quiet")
        self.write(".pre-commit-config.yaml", hooks.config())
        self.write(".hfname-guard.yaml", POLICY)
        installed = run(pre_commit("install", "--hook-type", "pre-commit", "--hook-type", "pre-push"),
                        path, self.env, check=True)
        assert "pre-commit installed" in installed.output, installed.output
        assert (path / ".git" / "hooks" / "pre-commit").is_file() and (path / ".git" / "hooks" / "pre-push").is_file()
        self.git("add", "--all")
        self.git("commit", "--quiet", "--no-verify", "-m", "pre-commit config and naming policy")

    def write(self, relative: str, text: str) -> Path:
        path = self.path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def model(self, folder: str, *, card: str | None = GOOD_CARD, config: str | None = LLAMA_CONFIG,
              weights: str | None = None) -> None:
        if card is not None:
            self.write(f"{folder}/README.md", card)
        if config is not None:
            self.write(f"{folder}/config.json", config)
        if weights is not None:
            self.write(f"{folder}/model.safetensors", weights)

    def git(self, *args: str, check: bool = True, extra_env: dict[str, str] | None = None) -> Run:
        return run(["git", *args], self.path, self.env, check=check, extra_env=extra_env)

    def commit(self, message: str, *, extra_env: dict[str, str] | None = None) -> Run:
        """``git add --all`` then a real ``git commit``, which runs the installed hooks."""
        self.git("add", "--all")
        return self.git("commit", "-m", message, check=False, extra_env=extra_env)

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").output.strip()

    def subject(self) -> str:
        return self.git("log", "-1", "--format=%s").output.strip()

    def tracked(self) -> set[str]:
        listed = self.git("-c", "core.quotePath=false", "ls-files").output
        return set(listed.splitlines())


@pytest.fixture
def consumer(tmp_path: Path, hooks: Hooks) -> Consumer:
    return Consumer(tmp_path / "consumer", hooks)


def assert_blocked(consumer: Consumer, result: Run, head_before: str) -> None:
    assert result.code != 0, result.output
    assert consumer.head() == head_before, "the commit was made although a hook failed"


def assert_no_traceback(result: Run) -> None:
    assert "Traceback" not in result.output, result.output
    assert "internal error" not in result.output.lower(), result.output


# --------------------------------------------------------------------------- tests


def test_the_manifest_validates(hooks: Hooks) -> None:
    result = run(pre_commit("validate-manifest", ".pre-commit-hooks.yaml"), hooks.repo, hooks.env)
    assert result.code == 0, result.output
    config = hooks.repo.parent / "consumer-config.yaml"
    config.write_text(hooks.config(), encoding="utf-8")
    result = run(pre_commit("validate-config", str(config)), hooks.repo, hooks.env)
    assert result.code == 0, result.output


def test_a_good_model_folder_commits(consumer: Consumer) -> None:
    consumer.model("models/llama-7b-chat")
    consumer.write(".hfname-guard.yaml", POLICY.replace("[acme]", "[acme, acme-research]"))
    result = consumer.commit("add llama-7b-chat")
    assert result.code == 0, result.output
    assert consumer.subject() == "add llama-7b-chat"
    assert "models/llama-7b-chat/README.md" in consumer.tracked()
    assert result.status(HOOK) == "Passed", result.output
    assert result.status(POLICY_HOOK) == "Passed", result.output


def test_a_bad_model_folder_is_blocked_with_its_findings(consumer: Consumer) -> None:
    before = consumer.head()
    consumer.model("models/tmp-model")
    result = consumer.commit("add tmp-model")
    assert_blocked(consumer, result, before)
    assert result.status(HOOK) == "Failed", result.output
    section = result.section(HOOK)
    assert "- exit code: 1" in section, section
    assert re.search(r"^\s*models/tmp-model\S*: error: .*\[name/forbidden\]$", section, re.MULTILINE), section
    assert SUMMARY.search(section), section
    assert "(1 model checked)" in section, "README.md and config.json of one folder are one model:\n" + section
    assert_no_traceback(result)


def test_the_pre_push_stage_blocks_a_push(consumer: Consumer, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    run(["git", "init", "--quiet", "--bare", str(remote)], tmp_path, consumer.env, check=True)
    consumer.git("remote", "add", "origin", str(remote))

    consumer.model("models/llama-7b-chat")
    assert consumer.commit("add llama-7b-chat").code == 0
    good = consumer.head()
    pushed = consumer.git("push", "origin", "HEAD:refs/heads/main", check=False)
    assert pushed.code == 0, pushed.output
    assert pushed.status(HOOK) == "Passed", pushed.output

    consumer.model("models/tmp-model")
    consumer.git("add", "--all")
    consumer.git("commit", "--quiet", "--no-verify", "-m", "add tmp-model, hooks bypassed")
    pushed = consumer.git("push", "origin", "HEAD:refs/heads/main", check=False)
    assert pushed.code != 0, pushed.output
    assert pushed.status(HOOK) == "Failed", pushed.output
    assert "[name/forbidden]" in pushed.section(HOOK)
    on_remote = run(["git", "--git-dir", str(remote), "rev-parse", "refs/heads/main"], tmp_path, consumer.env)
    assert on_remote.output.strip() == good, "the push went through although the pre-push hook failed"
    assert_no_traceback(pushed)


def test_skip_lets_a_bad_model_through(consumer: Consumer) -> None:
    consumer.model("models/tmp-model")
    result = consumer.commit("add tmp-model, skipping the check", extra_env={"SKIP": HOOK})
    assert result.code == 0, result.output
    assert consumer.subject() == "add tmp-model, skipping the check"
    assert result.status(HOOK) == "Skipped", result.output
    assert "[name/" not in result.output


def test_a_git_lfs_pointer_is_not_an_error(consumer: Consumer) -> None:
    consumer.model("models/llama-7b-chat", weights=LFS_POINTER)
    result = consumer.commit("add llama-7b-chat with its weights in git-LFS")
    assert result.code == 0, result.output
    assert consumer.subject() == "add llama-7b-chat with its weights in git-LFS"
    assert result.status(HOOK) == "Passed", result.output
    # what the hook says about the pointer, shown with --verbose: information at most
    shown = run(pre_commit("run", HOOK, "--verbose", "--files", "models/llama-7b-chat/model.safetensors",
                           "models/llama-7b-chat/README.md"), consumer.path, consumer.env)
    assert shown.code == 0, shown.output
    assert ": error:" not in shown.output and ": warning:" not in shown.output, shown.output
    assert_no_traceback(shown)


def test_weights_of_any_format_reach_the_hook(consumer: Consumer) -> None:
    """A folder of GGUF weights alone is a model folder; ONNX weights in a model's `onnx/` are
    that model's, not a model named `onnx`."""
    consumer.model("models/llama-7b-chat")
    consumer.write("models/llama-7b-chat/onnx/model.onnx", "not really onnx\n")
    result = consumer.commit("add llama-7b-chat with an ONNX export")
    assert result.code == 0, result.output
    assert result.status(HOOK) == "Passed", result.output

    before = consumer.head()
    consumer.write("models/tmp-model/model.Q4_K_M.GGUF", "GGUF, truncated\n")
    result = consumer.commit("add GGUF weights alone")
    assert_blocked(consumer, result, before)
    section = result.section(HOOK)
    assert re.search(r"^\s*models/tmp-model: error: .*\[name/forbidden\]$", section, re.MULTILINE), section
    assert "(1 model checked)" in section, section
    assert_no_traceback(result)


def test_a_model_folder_without_a_readme_is_blocked(consumer: Consumer) -> None:
    before = consumer.head()
    consumer.model("models/llama-7b-base", card=None)
    result = consumer.commit("add llama-7b-base without a card")
    assert_blocked(consumer, result, before)
    section = result.section(HOOK)
    assert re.search(r"^\s*models/llama-7b-base\S*: error: .*\[card/missing\]$", section, re.MULTILINE), section
    assert_no_traceback(result)


def test_a_readme_outside_any_model_folder_is_ignored(consumer: Consumer) -> None:
    consumer.write("README.md", "# Our models\n\nNo front matter here, and no model either.\n")
    consumer.write("docs/README.md", "# Docs\n\nHow we name models.\n")
    result = consumer.commit("project READMEs")
    assert result.code == 0, result.output
    assert consumer.subject() == "project READMEs"
    assert result.status(HOOK) in ("Passed", "Skipped"), result.output
    assert not FINDING_RULE.search(result.output), result.output


def test_deleting_files_in_a_commit(consumer: Consumer) -> None:
    consumer.model("models/llama-7b-chat", weights=LFS_POINTER)
    consumer.model("models/mistral-7b-instruct", config='{"model_type": "mistral"}\n', weights=LFS_POINTER)
    assert consumer.commit("two models").code == 0
    consumer.git("rm", "-r", "--quiet", "models/llama-7b-chat")  # a whole model folder
    consumer.git("rm", "--quiet", "models/mistral-7b-instruct/model.safetensors")  # its weights only
    consumer.write("models/mistral-7b-instruct/README.md", GOOD_CARD + "\nWeights moved elsewhere.\n")
    result = consumer.commit("remove llama-7b-chat and the mistral weights")
    assert result.code == 0, result.output
    assert consumer.subject() == "remove llama-7b-chat and the mistral weights"
    assert not any(path.startswith("models/llama-7b-chat/") for path in consumer.tracked())
    assert_no_traceback(result)

    # a commit that only deletes: nothing for the hook to check, and nothing breaks
    consumer.git("rm", "-r", "--quiet", "models/mistral-7b-instruct")
    result = consumer.commit("remove mistral-7b-instruct")
    assert result.code == 0, result.output
    assert_no_traceback(result)


def test_paths_with_spaces_and_non_ascii_letters(consumer: Consumer) -> None:
    before = consumer.head()
    consumer.model("models/llama 7b chat")
    consumer.model("models/llama-7b-zürich")
    result = consumer.commit("add two models with awkward folder names")
    assert_blocked(consumer, result, before)
    section = result.section(HOOK)
    assert "- exit code: 1" in section, section
    for folder in ("models/llama 7b chat", "models/llama-7b-zürich"):
        lines = [line for line in section.splitlines() if line.strip().startswith(folder)]
        assert any(line.rstrip().endswith("[repo-id/format]") for line in lines), (folder, section)
    assert "(2 models checked)" in section, section
    assert_no_traceback(result)


def test_an_invalid_policy_is_reported_once_and_blocks(consumer: Consumer) -> None:
    before = consumer.head()
    consumer.write(".hfname-guard.yaml", POLICY.replace("version: 1", "version: 2"))
    consumer.model("models/llama-7b-chat")  # good under the valid policy
    consumer.model("models/tmp-model")  # bad under it
    consumer.model("models/llama-7b-base", card=None)  # no card
    result = consumer.commit("policy v2 and three models")
    assert_blocked(consumer, result, before)
    assert result.status(HOOK) == "Failed", result.output
    section = result.section(HOOK)
    assert "- exit code: 2" in section, section
    naming_policy = [line for line in section.splitlines() if ".hfname-guard.yaml" in line]
    assert len(naming_policy) == 1, section
    assert "version" in naming_policy[0], naming_policy
    assert not FINDING_RULE.search(section), "a policy error was reported as model findings:\n" + section
    assert "models/" not in section, section
    assert result.status(POLICY_HOOK) == "Failed", result.output
    assert_no_traceback(result)


def test_a_stricter_policy_is_blocked_while_committed_models_fail_it(consumer: Consumer) -> None:
    consumer.model("models/llama-7b-chat")
    consumer.model("models/llama-7b-base")
    assert consumer.commit("two models").code == 0
    before = consumer.head()
    consumer.write(".hfname-guard.yaml", POLICY + "name:\n  forbidden-words: [base]\n")
    result = consumer.commit("forbid base")
    assert_blocked(consumer, result, before)
    assert result.status(POLICY_HOOK) == "Failed", result.output
    section = result.section(POLICY_HOOK)
    assert re.search(r"models/llama-7b-base\S*: error: .*\[name/forbidden\]$", section, re.MULTILINE), section
    assert re.search(r"^models/llama-7b-chat .* ok$", section, re.MULTILINE), "the committed model is checked too"
    assert "(2 models checked)" in section, section
    assert_no_traceback(result)


def test_a_stricter_file_the_policy_extends_rechecks_the_models(consumer: Consumer) -> None:
    consumer.model("models/llama-7b-base")
    consumer.write("policies/org.yaml", "version: 1\n")
    consumer.write(".hfname-guard.yaml", "version: 1\nextends: [default, policies/org.yaml]\nnamespaces: [acme]\n")
    assert consumer.commit("a model and an org policy").code == 0
    before = consumer.head()
    consumer.write("policies/org.yaml", "version: 1\nname:\n  forbidden-words: [base]\n")
    result = consumer.commit("the org forbids base")
    assert_blocked(consumer, result, before)
    assert result.status(POLICY_HOOK) == "Failed", result.output
    assert "[name/forbidden]" in result.section(POLICY_HOOK)


def test_yaml_that_is_no_policy_changes_nothing(consumer: Consumer) -> None:
    consumer.model("models/llama-7b-chat")
    consumer.write("config/settings.yaml", "a: 1\n")
    result = consumer.commit("settings")
    assert result.code == 0, result.output
    assert result.status(POLICY_HOOK) == "Passed", result.output



def test_the_hook_fixes_a_card_as_pre_commit_fixers_do(consumer: Consumer) -> None:
    """`args: [--fix]`: the hook rewrites the certain card values, pre-commit sees the file
    modified and stops the commit; the next commit, of the fixed card, passes."""
    consumer.write(".pre-commit-config.yaml", consumer.hooks.config(hook_args=("--fix",)))
    consumer.git("add", "--all")
    consumer.git("commit", "--quiet", "--no-verify", "-m", "fix mode")
    before = consumer.head()
    consumer.model("models/llama-7b-chat", card=GOOD_CARD.replace("license: apache-2.0", "license: Apache 2.0")
                   .replace("text-generation", "text2text-generation"))
    result = consumer.commit("add llama-7b-chat")
    assert_blocked(consumer, result, before)
    section = result.section(HOOK)
    assert "- files were modified by this hook" in section, section
    assert "fixed card/pipeline-tag: text2text-generation -> text-generation" in section, section
    fixed = (consumer.path / "models/llama-7b-chat/README.md").read_text(encoding="utf-8")
    assert fixed == GOOD_CARD  # `Apache 2.0` is apache-2.0, text2text-generation is text-generation
    again = consumer.commit("add llama-7b-chat")
    assert again.code == 0, again.output
    assert consumer.subject() == "add llama-7b-chat"


def test_each_folder_is_checked_once_however_pre_commit_batches_the_files(consumer: Consumer) -> None:
    """A commit of thousands of files is passed to the hook in several batches (pre-commit cuts
    the command line at 128 KiB), and folders straddle two batches; each folder is still checked,
    and reported, exactly once."""
    before = consumer.head()
    folders = [f"models/tmp-llama-{index:03d}-{'x' * (80 + index % 37)}" for index in range(250)]
    for index, folder in enumerate(folders):
        consumer.model(folder)
        shards = 1 + index % 13
        for shard in range(1, shards + 1):
            consumer.write(f"{folder}/pytorch_model-{shard:05d}-of-{shards:05d}.bin", "weights\n")
    result = consumer.commit("add 250 models of 3 to 15 files")
    assert_blocked(consumer, result, before)
    assert_no_traceback(result)
    section = result.section(HOOK)
    checked = [int(count) for count in re.findall(r"^\d+ errors? .*\((\d+) models? checked\)$", section, re.MULTILINE)]
    assert len(checked) >= 3, "the commit was not cut into batches:\n" + section[-2000:]
    assert sum(checked) == len(folders)
    reported = re.findall(r"^\s*(models/tmp-llama-\d{3})\S*: error: .*\[name/forbidden\]$", section, re.MULTILINE)
    assert sorted(reported) == sorted(folder[:len("models/tmp-llama-000")] for folder in folders)


def test_a_commit_adding_a_gguf_folder_reads_its_headers(consumer: Consumer, tmp_path: Path) -> None:
    """GGUF files written by llama.cpp's own `gguf` writer: a sound one commits (its 6.7 billion
    parameters, counted from its header, are the name's `7b`), one cut inside its header is
    blocked as corrupt, by name."""
    import gguf
    import numpy as np

    sound = tmp_path / "sound.gguf"
    writer = gguf.GGUFWriter(str(sound), arch="llama")
    writer.add_size_label("7B")
    writer.add_file_type(15)
    writer.add_token_list(["<s>", "</s>", "a"])
    parameters = 6_738_415_616  # described in the header, never written: a check reads no tensor
    writer.add_tensor_info("blk.0.ffn_up.weight", (parameters,), np.dtype(np.float16), parameters * 2)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    writer.close()
    consumer.model("models/llama-7b-chat-gguf", config=None)
    (consumer.path / "models/llama-7b-chat-gguf/llama-7b-chat.Q4_K_M.gguf").write_bytes(sound.read_bytes())
    result = consumer.commit("add llama-7b-chat-gguf")
    assert result.code == 0 and result.status(HOOK) == "Passed", result.output

    before = consumer.head()
    (consumer.path / "models/llama-7b-chat-gguf/llama-7b-chat.Q8_0.gguf").write_bytes(sound.read_bytes()[:60])
    result = consumer.commit("add a Q8_0 that was cut short")
    assert_blocked(consumer, result, before)
    section = result.section(HOOK)
    assert re.search(r"llama-7b-chat\.Q8_0\.gguf: error: the file ended inside its header \(truncated\?\) "
                     r"\[artifacts/corrupt\]$", section, re.MULTILINE), section
    assert_no_traceback(result)
