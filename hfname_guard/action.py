"""`hfname-guard github action`: what the composite action (action.yml) runs in a workflow.

It reads the action's inputs (passed as `HFNAME_GUARD_*` variables) and the runner's context
(`GITHUB_*`), checks the model folders the pull request touches (or the `paths` given) with the
same core as every other front end, and reports in every way a pull request shows: annotations
on the files, the job summary, a JSON report (and SARIF when asked), the step's outputs, and one
sticky comment on the pull request. The report is written before the comment is attempted, so an
API failure never loses it; a read-only token (a pull request from a fork) is said, not failed.
"""

from __future__ import annotations

import os
import sys

from .checker import check
from .errors import UsageError
from .policy import POLICY_FILE_NAME, load_policy
from .targets import targets_from_arguments, targets_from_files

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from . import github


def run_action(environ: Mapping[str, str]) -> int:
    from . import github
    from .report import json_report, reporter

    fail_on = environ.get("HFNAME_GUARD_FAIL_ON") or "error"
    if fail_on not in ("error", "warning", "never"):
        raise UsageError(f"fail-on: `{fail_on}` is not one of error, warning, never")
    policy_file = environ.get("HFNAME_GUARD_POLICY") or POLICY_FILE_NAME
    # the default file may be absent (the built-in policy applies); a file named on purpose may not
    policy = load_policy(None if policy_file == POLICY_FILE_NAME and not os.path.exists(policy_file) else policy_file)
    event = environ.get("GITHUB_EVENT_PATH")
    pr = github.pull_request_number(event) if event else None
    client = _client(environ)
    paths = [line.strip() for line in (environ.get("HFNAME_GUARD_PATHS") or "").splitlines() if line.strip()]
    if paths:
        targets = targets_from_arguments(paths, environ.get("HFNAME_GUARD_REPO_ID") or None, policy)
    elif pr is not None and client is not None:
        changed = [path for path in client.changed_files(pr) if os.path.exists(path)]
        targets = targets_from_files(changed, policy)
    else:
        targets = []
        print("::notice::hfname-guard: no pull request and no `paths` input: nothing to check")
    report = check(targets, policy)

    report_path = os.path.join(environ.get("RUNNER_TEMP") or ".", "hfname-guard-report.json")
    _write(report_path, reporter("json").render(report, color=False))
    sys.stdout.write(reporter("github").render(report, color=False))
    if environ.get("GITHUB_STEP_SUMMARY"):
        _append(environ["GITHUB_STEP_SUMMARY"], reporter("markdown").render(report, color=False))
    if environ.get("HFNAME_GUARD_SARIF_FILE"):
        _write(environ["HFNAME_GUARD_SARIF_FILE"], reporter("sarif").render(report, color=False))
    if environ.get("GITHUB_OUTPUT"):
        _append(environ["GITHUB_OUTPUT"], f"errors={report.count('error')}\nwarnings={report.count('warning')}\n"
                                          f"report={report_path}\n")
    if environ.get("HFNAME_GUARD_COMMENT", "true").lower() == "true" and pr is not None and client is not None:
        _comment(client, pr, json_report.to_dict(report))
    return 1 if report.fails(fail_on) else 0


def comment_from_report(environ: Mapping[str, str], report_path: str, pr: int | None = None) -> int:
    """The second workflow of the fork-safe pattern: comment a report made by the first, without
    running any of the pull request's code."""
    import json

    from . import github

    event = environ.get("GITHUB_EVENT_PATH")
    if pr is None and event:
        pr = github.pull_request_number(event)
    client = _client(environ)
    if pr is None or client is None:
        raise UsageError("github comment: needs --pr or GITHUB_EVENT_PATH of a pull request or workflow_run event, "
                         "and GITHUB_REPOSITORY and GITHUB_TOKEN")
    try:
        with open(report_path, encoding="utf-8") as handle:
            report = json.load(handle)
    except (OSError, ValueError) as error:
        raise UsageError(f"{report_path}: cannot read the report: {error}") from None
    _comment(client, pr, report)
    return 0


def _client(environ: Mapping[str, str]) -> github.GitHub | None:
    from .github import GitHub

    token, repository = environ.get("GITHUB_TOKEN"), environ.get("GITHUB_REPOSITORY")
    if not token or not repository:
        return None
    return GitHub(environ.get("GITHUB_API_URL") or "https://api.github.com", repository, token)


def _comment(client: github.GitHub, pr: int, report: dict[str, object]) -> None:
    from .github import GitHubError, GitHubPermissionError
    from .report.markdown_report import comment_body

    body = comment_body(report) if report["findings"] else None
    try:
        done = client.sticky_comment(pr, body)
    except GitHubPermissionError:
        print("::warning::hfname-guard could not comment on the pull request: the token is read-only (a pull "
              "request from a fork). The annotations and the job summary hold the report; see the README for "
              "the two-workflow pattern that comments on fork pull requests.")
        return
    except GitHubError as error:
        print(f"::warning::hfname-guard could not comment on the pull request: {error}. The annotations, the "
              "job summary and the JSON report hold the report.")
        return
    print(f"hfname-guard: pull request comment {done}")


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _append(path: str, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)
