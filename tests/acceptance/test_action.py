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
from action_setup import (
    CHECK,
    GOOD_CARD,
    INSTALL,
    POLICY,
    base_environ,
    commands_run,
    open_pull_request,
    report_of,
    run_pull_request,
    serve,
)
from github_server import REPOSITORY, TOKEN, FakeGitHub


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / ".hfname-guard.yaml").write_text(POLICY, "utf-8")
    for name in ("llama-7b-chat", "tmp-model"):
        (workspace / "models" / name).mkdir(parents=True)
        (workspace / "models" / name / "README.md").write_text(GOOD_CARD, encoding="utf-8")
    return workspace


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
    assert ("error", {"file": "models/tmp-model/README.md", "line": "1", "title": "name/forbidden"}) in [
        (name, properties) for name, properties, _ in commands_run(run)]
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


MODELS = {f"models/{name}/README.md": GOOD_CARD for name in ("llama-7b-chat", "tmp-model")}


def test_a_pull_request_gets_one_comment_kept_up_to_date(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 7, {**MODELS, "README.md": "# models\n"})
    with FakeGitHub() as server:
        serve(server, pull)
        first = run_pull_request(pull, server, runner_temp)
        assert first.outputs["errors"] == "2", first.logs[CHECK].stderr
        [body] = server.comment_bodies(7)
        assert body.startswith("<!-- hfname-guard -->") and "tmp-model" in body
        assert f"commit <code>{pull.head[:12]}</code>" in body, "the comment names the commit it judged"
        again = run_pull_request(pull, server, runner_temp)
        assert again.outputs["errors"] == "2" and len(server.comment_bodies(7)) == 1
        shutil.rmtree(tmp_path / "models" / "tmp-model")  # the PR is fixed
        fixed = run_pull_request(pull, server, runner_temp)
        assert fixed.failed is None
        [cleared] = server.comment_bodies(7)
        assert "all clear" in cleared
        assert all(TOKEN not in log.stdout + log.stderr for log in fixed.logs.values())


def test_a_clean_pull_request_gets_no_comment(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 8, {"models/llama-7b-chat/README.md": GOOD_CARD})
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp)
        assert run.failed is None and server.comment_bodies(8) == []
        assert not server.calls("POST")


def test_a_fork_pull_request_reports_without_commenting(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 9, {"models/tmp-model/README.md": GOOD_CARD})
    with FakeGitHub() as server:
        server.fork = True
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp, {"fail-on": "never"})
        check = run.logs[CHECK]
        assert run.failed is None, check.stderr
        commands = commands_run(run)
        assert any(name == "warning" and message.startswith("hfname-guard could not comment on the pull request: the "
                                                             "token is read-only") for name, _, message in commands)
        assert any(name == "error" and properties["file"].startswith("models/tmp-model/")
                   for name, properties, _ in commands)
        assert "tmp-model" in run.summary


def test_an_api_that_fails_then_recovers_still_comments(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 10, {"models/tmp-model/README.md": GOOD_CARD})
    with FakeGitHub() as server:
        serve(server, pull)
        server.fail(502, "Bad Gateway", times=1)
        run = run_pull_request(pull, server, runner_temp, {"fail-on": "never"})
        assert run.failed is None, run.logs[CHECK].stderr
        assert len(server.comment_bodies(10)) == 1
        assert report_of(run)["commit"] == pull.head and report_of(run)["repository"] == REPOSITORY


@pytest.mark.parametrize("workflow", sorted((ROOT / "examples" / "workflows").glob("*.yml")), ids=lambda p: p.name)
def test_example_workflows_are_valid_workflows(workflow: Path) -> None:
    checker = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", str(workflow)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_comment_workflow_comments_a_saved_report(workspace: Path, tmp_path: Path) -> None:
    """`check --format json` inside Actions records what it checked, so the comment step can
    tell the report belongs to the pull request's head."""
    report = tmp_path / "report.json"
    head = "c" * 40
    checked = subprocess.run([sys.executable, "-m", "hfname_guard", "check", "models/tmp-model", "--format",
                              f"json={report}"], cwd=workspace, capture_output=True, text=True, timeout=60,
                             env={**os.environ, "HFNAME_GUARD_CACHE_DIR": str(tmp_path / "cache"), "GITHUB_ACTIONS": "true",
                                  "GITHUB_REPOSITORY": REPOSITORY, "GITHUB_SHA": head, "GITHUB_WORKSPACE": str(workspace)})
    assert checked.returncode == 1, checked.stderr
    event = tmp_path / "workflow_run.json"
    event.write_text(json.dumps({"workflow_run": {"event": "pull_request", "pull_requests": []}}), encoding="utf-8")
    with FakeGitHub() as server:
        server.add_pull(12, head_sha=head)
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


def test_the_online_input_checks_against_the_hub_with_the_token_unseen(workspace: Path, runner_temp: Path) -> None:
    """`online: true` runs the hub/* rules through huggingface_hub (HF_ENDPOINT from the runner's
    environment), with the `hf-token` input as HF_TOKEN; the token is never printed."""
    from hub_server import TOKEN as HF_TOKEN
    from hub_server import FakeHub

    with FakeHub() as hub:
        hub.add_models("acme", ["Llama-7B-Chat"])
        environ = {**base_environ(runner_temp), "HF_ENDPOINT": hub.url, "HF_HOME": str(runner_temp / "hf-home"),
                   "HF_HUB_DISABLE_TELEMETRY": "1", "HF_HUB_OFFLINE": ""}
        run = run_action({"paths": "models/llama-7b-chat", "comment": "false", "online": "true",
                          "hf-token": HF_TOKEN}, workspace=workspace, runner_temp=runner_temp, environ=environ,
                         skip=(INSTALL,))
        check = run.logs["Check the models the pull request touches"]
        report = json.loads(Path(run.outputs["report"]).read_text(encoding="utf-8"))
        assert [finding["rule"] for finding in report["findings"]] == ["hub/case-collision"], check.stdout
        assert all(request.headers.get("authorization") == f"Bearer {HF_TOKEN}" for request in hub.calls("GET"))
        assert HF_TOKEN not in check.stdout + check.stderr + run.summary
