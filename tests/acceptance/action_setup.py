"""A pull request as the Action meets it: a git checkout with a base and a head commit, the
event file the runner writes, and the environment a runner gives the action's steps."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from action_runner import ActionRun, run_action
from github_server import REPOSITORY, TOKEN, FakeGitHub
from workflow_runner import executed

INSTALL = "Install hfname-guard"
CHECK = "Check the models the pull request touches"
GOOD_CARD = "---\nlicense: mit\npipeline_tag: text-generation\n---\n# a model\n"
POLICY = "version: 1\nextends: default\nnamespaces: [acme]\n"
GIT_ENVIRONMENT = {
    "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "A",
    "GIT_COMMITTER_EMAIL": "a@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


SHADOWING = {
    *(f"{package}/{module}.py" for package in ("pip", "venv", "ensurepip", "yaml", "hfname_guard", "json")
      for module in ("__init__", "__main__")),
    "sitecustomize.py", "usercustomize.py",
}
"""Modules a pull request could add at the root of its checkout to run its code in the Action."""


def plant_shadowing_modules(workspace: Path, evidence: Path) -> None:
    """Each module, if it ever ran, would leave a file in ``evidence`` and say so."""
    for path in sorted(SHADOWING):
        module = workspace / path
        module.parent.mkdir(parents=True, exist_ok=True)
        module.write_text(f"import pathlib\npathlib.Path({str(evidence)!r}, {path.replace('/', '-')!r}).touch()\n"
                          f"print('PWNED by {path}')\n", encoding="utf-8")


def git(folder: Path, *arguments: str) -> str:
    result = subprocess.run(["git", *arguments], cwd=folder, capture_output=True, text=True, timeout=60,
                            env={**os.environ, **GIT_ENVIRONMENT})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def commit_all(folder: Path, message: str) -> str:
    git(folder, "add", "--all")
    git(folder, "commit", "--quiet", "--allow-empty", "--no-verify", "-m", message)
    return git(folder, "rev-parse", "HEAD")


@dataclass
class PullRequest:
    """A checkout whose HEAD is the pull request's commit, on top of ``base``."""

    workspace: Path
    number: int
    base: str
    head: str


def open_pull_request(workspace: Path, number: int, change: dict[str, str | None],
                      base_files: dict[str, str] | None = None) -> PullRequest:
    """A repository whose base commit holds ``base_files`` (default: the policy) and whose head
    commit writes (or, for None, deletes) the files of ``change``."""
    git(workspace, "init", "--quiet", "--initial-branch=main")
    for path, text in (base_files if base_files is not None else {".hfname-guard.yaml": POLICY}).items():
        (workspace / path).parent.mkdir(parents=True, exist_ok=True)
        (workspace / path).write_text(text, encoding="utf-8")
    base = commit_all(workspace, "base")
    for path, text in change.items():
        target = workspace / path
        if text is None:
            target.unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return PullRequest(workspace, number, base, commit_all(workspace, "the pull request"))


def event_file(path: Path, pull: PullRequest, fork: bool = False) -> Path:
    """A `pull_request` event payload, trimmed to the fields a runner's event file always has."""
    head_repo = "someone/models" if fork else REPOSITORY
    event = {
        "action": "synchronize",
        "number": pull.number,
        "pull_request": {
            "number": pull.number, "state": "open", "title": "Add models",
            "head": {"ref": "add-models", "sha": pull.head, "repo": {"full_name": head_repo, "fork": fork}},
            "base": {"ref": "main", "sha": pull.base, "repo": {"full_name": REPOSITORY, "fork": False}},
        },
        "repository": {"full_name": REPOSITORY},
    }
    path.write_text(json.dumps(event), encoding="utf-8")
    return path


def base_environ(runner_temp: Path) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(runner_temp)),
        "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": REPOSITORY, "GITHUB_TOKEN": "ghs_secret_token_value",
        "HFNAME_GUARD_CACHE_DIR": str(runner_temp / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        **GIT_ENVIRONMENT,
        **{key: value for key, value in os.environ.items() if key.startswith("PIP_")},
    }


def serve(server: FakeGitHub, pull: PullRequest, files: list[str] | None = None) -> None:
    """Make ``server`` know the pull request: its commits and (default: from git) its files."""
    server.add_pull(pull.number, head_sha=pull.head, base_sha=pull.base)
    listed = files if files is not None else git(pull.workspace, "diff", "--name-only", "--diff-filter=d",
                                                pull.base, pull.head).splitlines()
    for path in listed:
        server.add_file(pull.number, path, status="added")


def run_pull_request(pull: PullRequest, server: FakeGitHub, runner_temp: Path, inputs: dict[str, str] | None = None,
                     event_name: str = "pull_request") -> ActionRun:
    event = event_file(runner_temp / f"event-{pull.number}.json", pull)
    environ = {**base_environ(runner_temp), "GITHUB_API_URL": server.url, "GITHUB_EVENT_PATH": str(event),
               "GITHUB_EVENT_NAME": event_name, "GITHUB_TOKEN": TOKEN, "GITHUB_SHA": pull.head}
    return run_action(inputs or {}, workspace=pull.workspace, runner_temp=runner_temp, environ=environ,
                      skip=(INSTALL,))


def report_of(run: ActionRun) -> dict[str, object]:
    return json.loads(Path(run.outputs["report"]).read_text(encoding="utf-8"))  # type: ignore[no-any-return]



def commands_run(run: ActionRun) -> list[tuple[str, dict[str, str], str]]:
    """What the runner executes of the check step's output: (name, properties, message) of each
    command, leaving out the guard's stop-commands and resume pairs."""
    output = run.logs[CHECK].stdout + run.logs[CHECK].stderr
    return [(command.name, command.properties, command.data) for command in executed(output)
            if command.name not in ("stop-commands", "resume")]
