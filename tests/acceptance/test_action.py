"""The composite action (action.yml), run step by step as the GitHub runner runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from action_runner import ROOT, run_action
from github_server import REPOSITORY, TOKEN, FakeGitHub

INSTALL = "Install hfname-guard"
GOOD_CARD = "---\nlicense: mit\npipeline_tag: text-generation\n---\n# a model\n"


@pytest.fixture(scope="session")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """RUNNER_TEMP with hfname-guard installed by the action's own install step, once."""
    temp = tmp_path_factory.mktemp("runner-temp")
    workspace = tmp_path_factory.mktemp("install-workspace")
    run = run_action({"paths": "."}, workspace=workspace, runner_temp=temp, environ=base_environ(temp),
                     skip=("Check the models the pull request touches",), timeout=600)
    assert run.failed is None, run.logs[INSTALL].stderr
    return temp


def base_environ(runner_temp: Path) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(runner_temp)),
        "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "acme/models", "GITHUB_TOKEN": "ghs_secret_token_value",
        "HFNAME_GUARD_CACHE_DIR": str(runner_temp / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        **{key: value for key, value in os.environ.items() if key.startswith("PIP_")},
    }


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / ".hfname-guard.yaml").write_text("version: 1\nextends: default\nnamespaces: [acme]\n", "utf-8")
    for name in ("llama-7b-chat", "tmp-model"):
        (tmp_path / "models" / name).mkdir(parents=True)
        (tmp_path / "models" / name / "README.md").write_text(GOOD_CARD, encoding="utf-8")
    return tmp_path


def test_action_yml_is_valid_action_metadata() -> None:
    checker = Path(sys.executable).with_name("check-jsonschema")  # installed with the test extra
    result = subprocess.run([str(checker), "--builtin-schema",
                             "vendor.github-actions", str(ROOT / "action.yml")], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_paths_are_checked_and_reported_everywhere(workspace: Path, runner_temp: Path) -> None:
    sarif = workspace / "results.sarif"
    run = run_action({"paths": "models/llama-7b-chat\nmodels/tmp-model\n", "comment": "false",
                      "sarif-file": str(sarif)}, workspace=workspace, runner_temp=runner_temp,
                     environ=base_environ(runner_temp), skip=(INSTALL,))
    check = run.logs["Check the models the pull request touches"]
    assert run.failed == "Check the models the pull request touches", check.stderr
    assert check.returncode == 1
    # on the card, not the folder: GitHub shows an annotation only on a file of the pull request
    assert "::error file=models/tmp-model/README.md,line=1,title=name/forbidden::" in check.stdout
    assert "ghs_secret_token_value" not in check.stdout + check.stderr
    assert run.outputs["errors"] == "2" and run.outputs["warnings"] == "0"
    report = json.loads(Path(run.outputs["report"]).read_text(encoding="utf-8"))
    assert {finding["rule"] for finding in report["findings"]} == {"name/forbidden", "name/required-word"}
    assert "tmp-model" in run.summary
    log = json.loads(sarif.read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0"
    assert {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for result in log["runs"][0]["results"]} == {"models/tmp-model/README.md"}


def test_fail_on_never_reports_without_failing(workspace: Path, runner_temp: Path) -> None:
    run = run_action({"paths": "models/tmp-model", "comment": "false", "fail-on": "never"}, workspace=workspace,
                     runner_temp=runner_temp, environ=base_environ(runner_temp), skip=(INSTALL,))
    assert run.failed is None
    assert run.outputs["errors"] == "2"


def test_a_bad_fail_on_input_is_a_usage_error(workspace: Path, runner_temp: Path) -> None:
    run = run_action({"paths": "models/tmp-model", "fail-on": "sometimes"}, workspace=workspace,
                     runner_temp=runner_temp, environ=base_environ(runner_temp), skip=(INSTALL,))
    check = run.logs["Check the models the pull request touches"]
    assert check.returncode == 2
    assert "fail-on: `sometimes` is not one of error, warning, never" in check.stderr


def pull_request_event(path: Path, number: int, fork: bool = False) -> Path:
    """A `pull_request` event payload, trimmed to the fields a runner's event file always has."""
    head_repo = "someone/models" if fork else "acme/models"
    event = {
        "action": "synchronize",
        "number": number,
        "pull_request": {
            "number": number, "state": "open", "title": "Add models",
            "head": {"ref": "add-models", "sha": "0" * 40, "repo": {"full_name": head_repo, "fork": fork}},
            "base": {"ref": "main", "sha": "1" * 40, "repo": {"full_name": "acme/models", "fork": False}},
        },
        "repository": {"full_name": "acme/models"},
    }
    path.write_text(json.dumps(event), encoding="utf-8")
    return path


def api_environ(runner_temp: Path, server: FakeGitHub, event: Path) -> dict[str, str]:
    return {**base_environ(runner_temp), "GITHUB_API_URL": server.url, "GITHUB_EVENT_PATH": str(event),
            "GITHUB_EVENT_NAME": "pull_request", "GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPOSITORY}


def test_a_pull_request_gets_one_comment_kept_up_to_date(workspace: Path, runner_temp: Path, tmp_path: Path) -> None:
    with FakeGitHub() as server:
        for path in ("models/tmp-model/README.md", "models/llama-7b-chat/README.md", "README.md"):
            server.add_file(7, path, status="added")
        environ = api_environ(runner_temp, server, pull_request_event(tmp_path / "event.json", 7))
        first = run_action({}, workspace=workspace, runner_temp=runner_temp, environ=environ, skip=(INSTALL,))
        assert first.outputs["errors"] == "2"
        [body] = server.comment_bodies(7)
        assert body.startswith("<!-- hfname-guard -->") and "tmp-model" in body
        again = run_action({}, workspace=workspace, runner_temp=runner_temp, environ=environ, skip=(INSTALL,))
        assert again.outputs["errors"] == "2" and len(server.comment_bodies(7)) == 1
        shutil.rmtree(workspace / "models" / "tmp-model")  # the PR is fixed
        fixed = run_action({}, workspace=workspace, runner_temp=runner_temp, environ=environ, skip=(INSTALL,))
        assert fixed.failed is None
        [cleared] = server.comment_bodies(7)
        assert "all clear" in cleared
        assert all(TOKEN not in log.stdout + log.stderr for log in fixed.logs.values())


def test_a_clean_pull_request_gets_no_comment(workspace: Path, runner_temp: Path, tmp_path: Path) -> None:
    with FakeGitHub() as server:
        server.add_file(8, "models/llama-7b-chat/README.md")
        environ = api_environ(runner_temp, server, pull_request_event(tmp_path / "event.json", 8))
        run = run_action({}, workspace=workspace, runner_temp=runner_temp, environ=environ, skip=(INSTALL,))
        assert run.failed is None and server.comment_bodies(8) == []
        assert not server.calls("POST")


def test_a_fork_pull_request_reports_without_commenting(workspace: Path, runner_temp: Path, tmp_path: Path) -> None:
    with FakeGitHub() as server:
        server.fork = True
        server.add_file(9, "models/tmp-model/README.md", status="added")
        environ = api_environ(runner_temp, server, pull_request_event(tmp_path / "event.json", 9, fork=True))
        run = run_action({"fail-on": "never"}, workspace=workspace, runner_temp=runner_temp, environ=environ,
                         skip=(INSTALL,))
        check = run.logs["Check the models the pull request touches"]
        assert run.failed is None, check.stderr
        assert "::warning::hfname-guard could not comment on the pull request: the token is read-only" in check.stdout
        assert "::error file=models/tmp-model" in check.stdout
        assert "tmp-model" in run.summary


def test_an_api_that_fails_then_recovers_still_comments(workspace: Path, runner_temp: Path, tmp_path: Path) -> None:
    with FakeGitHub() as server:
        server.add_file(10, "models/tmp-model/README.md", status="added")
        server.fail(502, "Bad Gateway", times=1)
        environ = api_environ(runner_temp, server, pull_request_event(tmp_path / "event.json", 10))
        run = run_action({"fail-on": "never"}, workspace=workspace, runner_temp=runner_temp, environ=environ,
                         skip=(INSTALL,))
        assert run.failed is None
        assert len(server.comment_bodies(10)) == 1


@pytest.mark.parametrize("workflow", sorted((ROOT / "examples" / "workflows").glob("*.yml")), ids=lambda p: p.name)
def test_example_workflows_are_valid_workflows(workflow: Path) -> None:
    checker = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", str(workflow)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_comment_workflow_comments_a_saved_report(workspace: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    checked = subprocess.run([sys.executable, "-m", "hfname_guard", "check", "models/tmp-model", "--format",
                              f"json={report}"], cwd=workspace, capture_output=True, text=True, timeout=60,
                             env={**os.environ, "HFNAME_GUARD_CACHE_DIR": str(tmp_path / "cache")})
    assert checked.returncode == 1, checked.stderr
    event = tmp_path / "workflow_run.json"
    event.write_text(json.dumps({"workflow_run": {"event": "pull_request", "pull_requests": []}}), encoding="utf-8")
    with FakeGitHub() as server:
        environ = {**os.environ, "GITHUB_API_URL": server.url, "GITHUB_REPOSITORY": REPOSITORY,
                   "GITHUB_TOKEN": TOKEN, "GITHUB_EVENT_PATH": str(event)}
        without_number = subprocess.run([sys.executable, "-m", "hfname_guard", "github", "comment", "--report",
                                         str(report)], capture_output=True, text=True, timeout=60, env=environ)
        assert without_number.returncode == 2 and "needs --pr" in without_number.stderr
        commented = subprocess.run([sys.executable, "-m", "hfname_guard", "github", "comment", "--report",
                                    str(report), "--pr", "12"], capture_output=True, text=True, timeout=60, env=environ)
        assert commented.returncode == 0, commented.stderr
        [body] = server.comment_bodies(12)
        assert "tmp-model" in body and TOKEN not in commented.stdout + commented.stderr


def test_a_policy_named_on_purpose_must_exist(workspace: Path, runner_temp: Path) -> None:
    run = run_action({"paths": "models/llama-7b-chat", "policy": "policies/naming.yaml", "comment": "false"},
                     workspace=workspace, runner_temp=runner_temp, environ=base_environ(runner_temp), skip=(INSTALL,))
    check = run.logs["Check the models the pull request touches"]
    assert check.returncode == 2
    assert "policies/naming.yaml: no such policy file" in check.stderr
