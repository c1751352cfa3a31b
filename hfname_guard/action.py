"""`hfname-guard github action`: what the composite action (action.yml) runs in a workflow.

It reads the action's inputs (passed as `HFNAME_GUARD_*` variables) and the runner's context
(`GITHUB_*`), checks the model folders the pull request touches (or the `paths` given) with the
same core as every other front end, and reports in every way a pull request shows: annotations
on the files, the job summary, a JSON report (and SARIF when asked), the step's outputs, and one
sticky comment on the pull request. The report is written before the comment is attempted, so an
API failure never loses it; a read-only token (a pull request from a fork) is said, not failed.

The pull request is untrusted (docs/security.md): its policy does not decide its verdict (see
``base_policy``), the files written into its checkout are never written through its symbolic
links, and the comment is only ever our own, for the newest commit.
"""

from __future__ import annotations

import json
import os
import posixpath
import tempfile

from . import base_policy, git
from .checker import check
from .errors import HfnameGuardError, PolicyError, UsageError
from .findings import PolicyChange
from .output_files import write_file
from .policy import POLICY_FILE_NAME, load_policy
from .regular_file import open_regular
from .targets import targets_from_arguments, targets_from_files
from .workflow_commands import command, write_workflow_commands

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from . import github
    from .policy import Policy

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
ONLINE = {"false": None, "true": "on", "required": "required"}
"""The `online` input: as the policy says, the hub/* rules on, or on with an unreachable Hub an error."""
HUB_CLIENT_INSTALL_SECONDS = 300
MAX_REPORT_BYTES = 64 << 20
"""A saved report larger than this is refused unread: the comment holds 65,536 characters."""


def run_action(environ: Mapping[str, str]) -> int:
    from . import github
    from .report import json_report, reporter

    fail_on = _choice(environ, "HFNAME_GUARD_FAIL_ON", "fail-on", ("error", "warning", "never"))
    policy_source = _choice(environ, "HFNAME_GUARD_POLICY_SOURCE", "policy-source", ("base", "head"))
    online = ONLINE[_choice(environ, "HFNAME_GUARD_ONLINE", "online", tuple(ONLINE))]
    policy_file = environ.get("HFNAME_GUARD_POLICY") or POLICY_FILE_NAME
    event = github.read_event(environ["GITHUB_EVENT_PATH"]) if environ.get("GITHUB_EVENT_PATH") else github.Event()
    client = _client(environ)
    pr = event.pull_request
    pull = client.pull_request(pr) if pr is not None and client is not None else None
    base_sha = event.base_sha or _text(pull, "base", "sha")
    in_pull_request = environ.get("GITHUB_EVENT_NAME") in PULL_REQUEST_EVENTS
    policy, head_policy, change = _policies(policy_file, base_sha if in_pull_request and policy_source == "base"
                                            else None, client, environ)
    if online is not None or policy.hub_online or (head_policy is not None and head_policy.hub_online):
        _install_hub_client(environ)
    paths = [line.strip() for line in (environ.get("HFNAME_GUARD_PATHS") or "").splitlines() if line.strip()]
    if paths:
        targets = targets_from_arguments(paths, environ.get("HFNAME_GUARD_REPO_ID") or None, policy)
    elif pr is not None and client is not None:
        changed = [path for path in _changed_files(client, pr, pull, base_sha) if os.path.lexists(path)]
        targets = targets_from_files(changed, policy)
    else:
        targets = []
        _command("notice", "hfname-guard: no pull request and no `paths` input: nothing to check")
    report = check(targets, policy, online=online, own_hub_client=True)
    if head_policy is not None and base_sha is not None:
        change, report = base_policy.judge_by_head(report, policy, head_policy, policy_file, os.getcwd(), base_sha)
    elif change is not None:  # the pull request brings the first policy: it decides, on every model
        report = base_policy.with_every_model_checked(report, policy, policy_file, os.getcwd())
    repository, commit = github.what_is_checked(environ, event)
    report = report.replace(repository=repository, commit=commit, policy_change=change)

    workspace = environ.get("GITHUB_WORKSPACE") or os.getcwd()
    report_path = os.path.join(environ.get("RUNNER_TEMP") or workspace, "hfname-guard-report.json")
    write_file(report_path, reporter("json").render(report, color=False), inside=workspace)
    write_workflow_commands(reporter("github").render(report, color=False))
    if change is not None:  # a changed policy is a warning; a base without one yet, a notice
        _command("warning" if change.decided_by == "base" else "notice", " ".join(change.notes))
    if environ.get("GITHUB_STEP_SUMMARY"):
        _append(environ["GITHUB_STEP_SUMMARY"], reporter("markdown").render(report, color=False))
    if environ.get("HFNAME_GUARD_SARIF_FILE"):
        write_file(environ["HFNAME_GUARD_SARIF_FILE"], reporter("sarif").render(report, color=False), inside=workspace)
    if environ.get("GITHUB_OUTPUT"):
        _append(environ["GITHUB_OUTPUT"], f"errors={report.count('error')}\nwarnings={report.count('warning')}\n"
                                          f"report={report_path}\n")
    if environ.get("HFNAME_GUARD_COMMENT", "true").lower() == "true" and pr is not None and client is not None:
        _comment(client, pr, json_report.to_dict(report), _author(client, environ), _text(pull, "head", "sha"))
    return report.exit_code(fail_on)


def comment_from_report(environ: Mapping[str, str], report_path: str, pr: int | None = None) -> int:
    """The second workflow of the fork-safe pattern: comment a report made by the first, without
    running any of the pull request's code. The report is untrusted (the first workflow ran the
    pull request's files): it must follow the report schema, and name this repository and the
    pull request's current head commit, or nothing is posted."""
    from . import github

    if pr is None and environ.get("GITHUB_EVENT_PATH"):
        pr = github.read_event(environ["GITHUB_EVENT_PATH"]).pull_request
    client = _client(environ)
    if pr is None or client is None:
        raise UsageError("github comment: needs --pr or GITHUB_EVENT_PATH of a pull request or workflow_run event, "
                         "and GITHUB_REPOSITORY and GITHUB_TOKEN")
    report = _saved_report(report_path)
    repository = environ["GITHUB_REPOSITORY"]
    if str(report.get("repository", "")).lower() != repository.lower():
        raise UsageError(f"{report_path}: the report is for repository {report.get('repository')!r}, not "
                         f"{repository}; nothing was posted")
    head = _text(client.pull_request(pr), "head", "sha")
    if report.get("commit") != head:
        raise UsageError(f"{report_path}: the report is for commit {report.get('commit')}, but the head of pull "
                         f"request #{pr} is {head}; nothing was posted")
    _comment(client, pr, report, _author(client, environ), head)
    return 0


def _saved_report(path: str) -> dict[str, Any]:
    from .schema_check import validate_report

    try:
        with open_regular(path) as handle:
            raw = handle.read(MAX_REPORT_BYTES + 1)
    except OSError as error:
        raise UsageError(f"{path}: cannot read the report: {error.strerror or error}") from None
    if len(raw) > MAX_REPORT_BYTES:
        raise UsageError(f"{path}: larger than {MAX_REPORT_BYTES:,} bytes; not a report hfname-guard wrote")
    try:
        report = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise UsageError(f"{path}: not a JSON report ({error}); was it cut short?") from None
    problem = validate_report(report)
    if problem is not None:
        raise UsageError(f"{path}: not a report of this version of hfname-guard: {problem}")
    if "repository" not in report or not report.get("commit"):
        raise UsageError(f"{path}: the report does not say which repository and commit it checked; write it with "
                         "the Action, or with `hfname-guard check --format json` inside GitHub Actions")
    return report


def _policies(policy_file: str, base_sha: str | None, client: github.GitHub | None,
              environ: Mapping[str, str]) -> tuple[Policy, Policy | None, PolicyChange | None]:
    """The policy that decides: the base commit's when there is one (``base_sha``), else the
    checkout's. With it, the pull request's policy when it differs (to compare), or the change
    already known (the pull request's does not load; the base has none yet)."""
    if base_sha is None or not git.is_commit_id(base_sha):
        return _head_policy(policy_file), None, None
    relative = _repository_path(policy_file)
    base = base_policy.fetch(relative, base_sha, os.getcwd(), client)
    if base is None:
        head = _head_policy(policy_file)
        source = f"this pull request's {policy_file}" if head.sources else "the built-in default policy"
        note = f"The base branch has no policy at {relative} yet, so {source} decides."
        return head, None, PolicyChange("head", base_sha, (note,))
    folder = tempfile.mkdtemp(prefix="hfname-guard-base-policy-", dir=environ.get("RUNNER_TEMP") or None)
    policy = base.load(root=os.path.abspath(os.path.dirname(policy_file) or "."), folder=folder)
    if not base_policy.differs_from_checkout(base, os.getcwd()):
        return policy, None, None
    try:
        return policy, _head_policy(policy_file), None
    except PolicyError as error:
        return policy, None, base_policy.unloadable(base_sha, error)


def _install_hub_client(environ: Mapping[str, str]) -> None:
    """Install huggingface_hub for an online run when it is missing, as in the Action's own
    environment: it takes as long to install as the rest, which offline runs never need. The
    runner's pip installs the pinned set (requirements/hub.txt) beside hfname-guard, with no
    token in its environment."""
    import importlib
    import importlib.util

    if importlib.util.find_spec("huggingface_hub") is not None:
        return
    import shutil
    import subprocess
    import sysconfig

    from .resources import PACKAGE

    print("hfname-guard: installing huggingface_hub for the online checks", flush=True)
    python3 = shutil.which("python3", path=environ.get("PATH")) or "python3"
    requirements = os.path.join(PACKAGE, "requirements", "hub.txt")
    command = [python3, "-I", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
               "--only-binary=:all:", "--target", sysconfig.get_path("purelib"), "-r", requirements]
    clean = {name: value for name, value in environ.items() if "TOKEN" not in name.upper()}
    try:
        result = subprocess.run(command, env=clean, cwd=environ.get("RUNNER_TEMP") or tempfile.gettempdir(),
                                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                timeout=HUB_CLIENT_INSTALL_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise HfnameGuardError(f"the online checks need huggingface_hub, and pip could not install it: {error}"
                               ) from None
    if result.returncode != 0:
        why = (result.stderr.strip().splitlines() or [f"pip exited {result.returncode}"])[-1]
        raise HfnameGuardError(f"the online checks need huggingface_hub, and pip could not install it: {why}")
    importlib.invalidate_caches()


def _head_policy(policy_file: str) -> Policy:
    # the default file may be absent (the built-in policy applies); a file named on purpose may not
    missing_default = policy_file == POLICY_FILE_NAME and not os.path.isfile(policy_file)
    return load_policy(None if missing_default else policy_file, start=os.getcwd() if missing_default else None)


def _repository_path(policy_file: str) -> str:
    """``policy_file`` relative to the top of the repository, ``/``-separated."""
    top = git.top_level(os.getcwd()) or os.getcwd()
    relative = os.path.relpath(os.path.abspath(policy_file), top).replace(os.sep, "/")
    if posixpath.isabs(relative) or relative == ".." or relative.startswith("../"):
        raise UsageError(f"policy: {policy_file} is outside the repository; the base commit's policy is read from it")
    return relative


def _changed_files(client: github.GitHub, pr: int, pull: dict[str, Any] | None, base_sha: str | None) -> list[str]:
    """What the pull request changes: GitHub's list, or git's when GitHub's is cut short."""
    from .github import MAX_LISTED_FILES

    listed = client.changed_files(pr)
    total = pull.get("changed_files") if pull is not None else None
    if len(listed) < MAX_LISTED_FILES and not (isinstance(total, int) and total > len(listed)):
        return listed
    how_many = f"{total:,}" if isinstance(total, int) else f"{MAX_LISTED_FILES:,} or more"
    too_many = f"pull request #{pr} changes {how_many} files, more than the {MAX_LISTED_FILES:,} GitHub lists"
    if base_sha is None or not git.is_commit_id(base_sha):
        raise UsageError(f"{too_many}, and the event names no base commit to ask git; "
                         "name the model folders in `paths`")
    try:
        files = git.changed_files(os.getcwd(), base_sha)
    except git.GitError as error:
        raise UsageError(f"{too_many}, and git could not list them ({error}); check out with `fetch-depth: 0`, "
                         "or name the model folders in `paths`") from None
    print(f"hfname-guard: pull request #{pr} changes {how_many} files; GitHub lists {MAX_LISTED_FILES:,}, so the "
          f"list comes from git ({len(files):,} files against the base commit {base_sha[:7]})")
    return files


def _choice(environ: Mapping[str, str], variable: str, name: str, allowed: tuple[str, ...]) -> str:
    value = environ.get(variable) or allowed[0]
    if value not in allowed:
        raise UsageError(f"{name}: `{value}` is not one of {', '.join(allowed)}")
    return value


def _text(data: dict[str, Any] | None, *keys: str) -> str | None:
    value: Any = data
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


def _client(environ: Mapping[str, str]) -> github.GitHub | None:
    from .github import GitHub

    token, repository = environ.get("GITHUB_TOKEN"), environ.get("GITHUB_REPOSITORY")
    if not token or not repository:
        return None
    return GitHub(environ.get("GITHUB_API_URL") or "https://api.github.com", repository, token)


def _author(client: github.GitHub, environ: Mapping[str, str]) -> str:
    """Who our comment is by: the `comment-author` input, else the token's own login where
    GitHub tells it (a personal token), else the Actions bot (``GITHUB_TOKEN``)."""
    from .github import ACTIONS_BOT

    return environ.get("HFNAME_GUARD_COMMENT_AUTHOR") or client.login() or ACTIONS_BOT


def _comment(client: github.GitHub, pr: int, report: dict[str, Any], author: str, head: str | None) -> None:
    from .github import GitHubError, GitHubPermissionError
    from .report.markdown_report import comment_body

    judged = report.get("commit")
    if head is not None and judged is not None and judged != head:
        print(f"hfname-guard: not commenting: this run checked commit {judged}, but pull request #{pr} has moved on "
              f"to {head}, whose run will comment")
        return
    change = report.get("policy_change")
    policy_changed = isinstance(change, dict) and change.get("decided_by") == "base"
    body = comment_body(report) if report["findings"] or policy_changed else None
    try:
        done = client.sticky_comment(pr, body, author=author)
    except GitHubPermissionError:
        _command("warning", "hfname-guard could not comment on the pull request: the token is read-only (a pull "
                 "request from a fork). The annotations and the job summary hold the report; see the README for the "
                 "two-workflow pattern that comments on fork pull requests.")
        return
    except GitHubError as error:
        _command("warning", f"hfname-guard could not comment on the pull request: {error}. The annotations, the job "
                 "summary and the JSON report hold the report.")
        return
    print(f"hfname-guard: pull request comment {done}")


def _command(kind: str, message: str) -> None:
    write_workflow_commands(command(kind, message) + "\n")


def _append(path: str, text: str) -> None:
    with open(path, "a", encoding="utf-8", errors="backslashreplace") as handle:
        handle.write(text)
