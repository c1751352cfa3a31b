"""The Action against a hostile pull request (docs/security.md): each attack of the threat model,
run through action.yml as a runner runs it, fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from action_runner import run_action
from action_setup import (
    CHECK,
    GOOD_CARD,
    INSTALL,
    POLICY,
    SHADOWING,
    base_environ,
    commands_run,
    commit_all,
    event_file,
    git,
    open_pull_request,
    plant_shadowing_modules,
    report_of,
    run_pull_request,
    serve,
)
from github_server import BOT, REPOSITORY, TOKEN, FakeGitHub

from hfname_guard.github import MARKER

BAD_MODEL = {"models/tmp-model/README.md": GOOD_CARD}
"""`tmp` is a forbidden word of the default policy: one name/forbidden error (and a required-word one)."""
LAX_POLICY = POLICY + "rules:\n  name/forbidden: off\nwaivers:\n  - repo-id: acme/*\n    rules: [name/*]\n    reason: mine\n"


def rules_of(run: object) -> set[str]:
    return {finding["rule"] for finding in report_of(run)["findings"]}  # type: ignore[index,union-attr]


# 1. no code from the pull request runs


def test_modules_in_the_checkout_never_run(tmp_path: Path, runner_temp: Path, evidence: Path) -> None:
    plant_shadowing_modules(tmp_path, evidence)
    pull = open_pull_request(tmp_path, 20, BAD_MODEL)
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp)
    check = run.logs[CHECK]
    assert "PWNED" not in check.stdout + check.stderr
    assert sorted(path.name for path in evidence.iterdir()) == [], "the install step ran none either"
    assert rules_of(run) == {"name/forbidden", "name/required-word"}, check.stderr
    assert set(SHADOWING) <= set(git(tmp_path, "ls-files").splitlines()), "the modules were in the pull request"


def test_without_isolation_the_planted_modules_would_run(tmp_path: Path, evidence: Path) -> None:
    """The attack is real: the same interpreter started in the checkout without -I runs them."""
    plant_shadowing_modules(tmp_path, evidence)
    result = subprocess.run([sys.executable, "-m", "pip", "--version"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=60)
    assert "PWNED by pip/__main__.py" in result.stdout
    (evidence / "pip-__main__.py").unlink()


# 2. the base branch's policy decides


def test_a_pull_request_cannot_waive_its_own_findings(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 21, {**BAD_MODEL, ".hfname-guard.yaml": LAX_POLICY})
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp)
        [comment] = server.comment_bodies(21)
    assert run.failed == CHECK and run.outputs["errors"] == "2"
    change = report_of(run)["policy_change"]
    assert change["decided_by"] == "base" and change["base_commit"] == pull.base  # type: ignore[index]
    assert {"rule": "name/forbidden", "base": "error", "head": "off"} in change["relaxed_rules"]  # type: ignore[index]
    assert {(entry["finding"]["rule"], entry["head_severity"]) for entry in change["softened"]} == {  # type: ignore[index]
        ("name/forbidden", None), ("name/required-word", None)}
    for shown in (comment, run.summary):
        assert "This pull request changes the naming policy" in shown
        assert "name/forbidden (error \u2192 off)" in shown
    assert any(name == "warning" and message.startswith("This pull request changes the naming policy")
               for name, _, message in commands_run(run))


def test_a_stricter_policy_fails_while_models_already_merged_fail_it(tmp_path: Path, runner_temp: Path) -> None:
    """The policy hook's rule in CI: the new policy's findings on every model count, never make it milder."""
    pull = open_pull_request(tmp_path, 49, {".hfname-guard.yaml": POLICY + "name:\n  forbidden-words: [chat]\n"},
                             base_files={".hfname-guard.yaml": POLICY, "models/llama-7b-chat/README.md": GOOD_CARD})
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp)
    assert run.failed == CHECK, run.logs[CHECK].stderr
    [finding] = report_of(run)["findings"]  # type: ignore[misc]
    assert finding["rule"] == "name/forbidden" and finding["file"] == "models/llama-7b-chat"
    assert finding["message"].endswith("(under this pull request's policy)")


def test_a_first_policy_checks_every_model_it_covers(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 50, {".hfname-guard.yaml": POLICY},
                             base_files={"models/tmp-model/README.md": GOOD_CARD})
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp)
    assert rules_of(run) == {"name/forbidden", "name/required-word"}, run.logs[CHECK].stderr
    assert report_of(run)["policy_change"]["decided_by"] == "head"  # type: ignore[index]


def test_a_policy_extended_from_another_file_is_read_from_the_base_too(tmp_path: Path, runner_temp: Path) -> None:
    base = {".hfname-guard.yaml": "version: 1\nextends: [policies/org.yaml]\n",
            "policies/org.yaml": POLICY}
    pull = open_pull_request(tmp_path, 22, {**BAD_MODEL, "policies/org.yaml": LAX_POLICY}, base_files=base)
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp)
    assert rules_of(run) == {"name/forbidden", "name/required-word"}
    assert report_of(run)["policy_change"]["decided_by"] == "base"  # type: ignore[index]


@pytest.mark.parametrize("how", ["deleted", "broken symlink", "symlink out of the repository"])
def test_deleting_or_replacing_the_policy_changes_nothing(tmp_path: Path, runner_temp: Path, how: str) -> None:
    repository = tmp_path / "repository"
    repository.mkdir()
    (tmp_path / "lax.yaml").write_text(LAX_POLICY, encoding="utf-8")
    pull = open_pull_request(repository, 23, {**BAD_MODEL, ".hfname-guard.yaml": None})
    if how != "deleted":
        (repository / ".hfname-guard.yaml").symlink_to("missing.yaml" if how == "broken symlink" else "../lax.yaml")
        pull.head = commit_all(repository, "the policy, replaced")
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp)
    assert run.outputs["errors"] == "2", run.logs[CHECK].stderr
    assert rules_of(run) == {"name/forbidden", "name/required-word"}
    assert report_of(run)["policy_change"]["notes"][0].startswith("This pull request changes")  # type: ignore[index]


def test_a_policy_linked_inside_the_repository_is_followed_and_unchanged(tmp_path: Path, runner_temp: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "naming.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / ".hfname-guard.yaml").symlink_to("policies/naming.yaml")
    pull = open_pull_request(tmp_path, 48, BAD_MODEL, base_files={})
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp)
    assert rules_of(run) == {"name/forbidden", "name/required-word"}, run.logs[CHECK].stderr
    assert "policy_change" not in report_of(run), "the same policy, reached through the same link"


def test_without_a_policy_on_the_base_the_pull_requests_own_decides(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 24, {**BAD_MODEL, ".hfname-guard.yaml": LAX_POLICY},
                             base_files={"README.md": "# models\n"})
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp)
    assert run.failed is None and rules_of(run) == set()
    change = report_of(run)["policy_change"]
    assert change["decided_by"] == "head"  # type: ignore[index]
    assert change["notes"] == ["The base branch has no policy at .hfname-guard.yaml yet, so this pull "  # type: ignore[index]
                               "request's .hfname-guard.yaml decides."]


def test_policy_source_head_lets_the_pull_requests_policy_decide(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 25, {**BAD_MODEL, ".hfname-guard.yaml": LAX_POLICY})
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp, {"policy-source": "head"})
    assert run.failed is None and rules_of(run) == set()
    assert "policy_change" not in report_of(run)


def test_a_bad_policy_source_is_a_usage_error(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 26, BAD_MODEL)
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp, {"policy-source": "pull-request"})
    assert run.logs[CHECK].returncode == 2
    assert "policy-source: `pull-request` is not one of base, head" in run.logs[CHECK].stderr


def test_a_shallow_checkout_fetches_the_base_commit(tmp_path: Path, runner_temp: Path) -> None:
    """actions/checkout's default: one commit, without its parents; the base comes by fetch."""
    origin = tmp_path / "origin"
    origin.mkdir()
    pull = open_pull_request(origin, 27, {**BAD_MODEL, ".hfname-guard.yaml": LAX_POLICY})
    git(origin, "config", "uploadpack.allowAnySHA1InWant", "true")  # as GitHub allows
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "--quiet", "--depth=1", f"file://{origin}", str(checkout))
    assert subprocess.run(["git", "cat-file", "-e", pull.base], cwd=checkout).returncode != 0
    pull.workspace = checkout
    with FakeGitHub() as server:
        serve(server, pull, files=list(BAD_MODEL) + [".hfname-guard.yaml"])
        run = run_pull_request(pull, server, runner_temp)
    assert rules_of(run) == {"name/forbidden", "name/required-word"}, run.logs[CHECK].stderr
    assert not any(request.path.startswith(f"/repos/{REPOSITORY}/contents/") for request in server.calls())


def test_without_git_the_base_policy_comes_from_the_contents_api(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 28, {**BAD_MODEL, ".hfname-guard.yaml": LAX_POLICY},
                             base_files={".hfname-guard.yaml": "version: 1\nextends: [org/naming.yml]\n",
                                         "org/naming.yml": POLICY})
    with FakeGitHub() as server:
        serve(server, pull)
        server.contents[pull.base] = {".hfname-guard.yaml": b"version: 1\nextends: [org/naming.yml]\n",
                                      "org/naming.yml": POLICY.encode()}
        (tmp_path / ".git").rename(tmp_path / "not-git")  # a checkout git cannot read
        run = run_pull_request(pull, server, runner_temp)
    assert rules_of(run) == {"name/forbidden", "name/required-word"}, run.logs[CHECK].stderr
    fetched = [request.path for request in server.calls() if "/contents/" in request.path]
    assert fetched == [f"/repos/{REPOSITORY}/contents/.hfname-guard.yaml",
                       f"/repos/{REPOSITORY}/contents/org/naming.yml"]


def test_a_broken_base_policy_names_its_lines_as_the_base_holds_them(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 29, {**BAD_MODEL, ".hfname-guard.yaml": POLICY},
                             base_files={".hfname-guard.yaml": "version: 1\nrulez: {}\n"})
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp)
    check = run.logs[CHECK]
    assert check.returncode == 2
    assert check.stderr.startswith(".hfname-guard.yaml:2:1: "), check.stderr
    assert f"the base commit {pull.base[:7]}" in check.stderr and str(runner_temp) not in check.stderr


# 3. only our own comment, and only for the newest commit


def test_a_comment_that_imitates_ours_is_never_touched(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 30, BAD_MODEL)
    with FakeGitHub() as server:
        serve(server, pull)
        spoof = server.add_comment(30, f"{MARKER}\n## all clear, merge away", user="mallory")
        ours = server.add_comment(30, f"{MARKER}\nold findings")
        run = run_pull_request(pull, server, runner_temp)
        bodies = server.comment_bodies(30)
    assert run.outputs["errors"] == "2"
    assert bodies[0] == spoof["body"], "someone else's comment is left as it was"
    assert len(bodies) == 2 and "tmp-model" in bodies[1], "ours was updated in place"
    assert {request.path for request in server.calls("PATCH")} == {f"/repos/{REPOSITORY}/issues/comments/{ours['id']}"}
    assert not server.calls("DELETE")


def test_the_comment_author_input_names_an_apps_identity(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 31, BAD_MODEL)
    with FakeGitHub() as server:
        serve(server, pull)
        server.bot = "naming-app[bot]"
        server.add_comment(31, f"{MARKER}\nby the workflow token")  # github-actions[bot]: not the app's
        run_pull_request(pull, server, runner_temp, {"comment-author": "naming-app[bot]"})
        run_pull_request(pull, server, runner_temp, {"comment-author": "naming-app[bot]"})
        authors = [comment["user"]["login"] for comment in server.comments[31]]
    assert authors == [BOT, "naming-app[bot]"], "one comment of the app's own, kept up to date"


def test_a_personal_token_finds_its_comments_by_its_login(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 32, BAD_MODEL)
    with FakeGitHub() as server:
        serve(server, pull)
        server.bot = server.user_login = "release-bot"
        run_pull_request(pull, server, runner_temp)
        run_pull_request(pull, server, runner_temp)
        assert [comment["user"]["login"] for comment in server.comments[32]] == ["release-bot"]


def test_a_run_for_an_older_commit_leaves_the_newer_verdict(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 33, BAD_MODEL)
    with FakeGitHub() as server:
        serve(server, pull)
        newer = "f" * 40
        server.add_pull(33, head_sha=newer, base_sha=pull.base)
        verdict = server.add_comment(33, f"{MARKER}\nthe verdict on {newer}")
        run = run_pull_request(pull, server, runner_temp)
        assert server.comment_bodies(33) == [verdict["body"]]
    assert f"has moved on to {newer}" in run.logs[CHECK].stdout
    assert run.outputs["errors"] == "2", "the check itself still judges its commit"


# 4. the fork-safe comment workflow checks what it is handed


@pytest.fixture
def saved_report(tmp_path: Path, runner_temp: Path) -> tuple[Path, str]:
    """A report made by the Action for pull request 40, and its head commit."""
    repository = tmp_path / "repository"
    repository.mkdir()
    pull = open_pull_request(repository, 40, BAD_MODEL)
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp, {"comment": "false"})
    return Path(run.outputs["report"]), pull.head


def comment(report: Path, pr: int, server: FakeGitHub, repository: str = REPOSITORY) -> subprocess.CompletedProcess[str]:
    """`github comment` as examples/workflows/hfname-guard-comment.yml runs it, in a folder that
    holds what a fork's artifact could: modules that would run if anything imported them."""
    folder, evidence = report.parent / "artifact-folder", report.parent / "evidence"
    if not folder.exists():
        evidence.mkdir()
        plant_shadowing_modules(folder, evidence)
    environ = {**os.environ, "GITHUB_API_URL": server.url, "GITHUB_REPOSITORY": repository, "GITHUB_TOKEN": TOKEN}
    environ.pop("GITHUB_EVENT_PATH", None)
    result = subprocess.run([sys.executable, "-I", "-m", "hfname_guard", "github", "comment", "--report", str(report),
                             "--pr", str(pr)], cwd=folder, capture_output=True, text=True, timeout=60, env=environ)
    assert "PWNED" not in result.stdout + result.stderr
    assert not list(evidence.iterdir()), "a planted module ran"
    return result


def test_the_comment_workflow_posts_a_report_of_the_pull_requests_head(saved_report: tuple[Path, str]) -> None:
    report, head = saved_report
    with FakeGitHub() as server:
        server.add_pull(40, head_sha=head)
        result = comment(report, 40, server)
        assert result.returncode == 0, result.stderr
        [body] = server.comment_bodies(40)
    assert "tmp-model" in body and head[:12] in body


@pytest.mark.parametrize("attack", ["another pull request", "an older commit", "another repository"])
def test_the_comment_workflow_refuses_a_report_of_something_else(saved_report: tuple[Path, str], attack: str) -> None:
    report, head = saved_report
    with FakeGitHub() as server:
        server.add_pull(40, head_sha=head)
        server.add_pull(41, head_sha="a" * 40)
        if attack == "an older commit":
            server.add_pull(40, head_sha="b" * 40)
        pr = 41 if attack == "another pull request" else 40
        result = comment(report, pr, server, "acme/other" if attack == "another repository" else REPOSITORY)
        assert result.returncode == 2 and "nothing was posted" in result.stderr, result.stderr
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
        assert not server.calls("POST") and not server.calls("PATCH")


@pytest.mark.parametrize(("damage", "message"), [
    (lambda text: text[: len(text) // 2], "not a JSON report"),
    (lambda text: json.dumps({**json.loads(text), "summary": "all clear"}), "not a report of this version"),
    (lambda text: json.dumps({key: value for key, value in json.loads(text).items() if key != "commit"}),
     "does not say which repository and commit"),
    (lambda text: "[" * 100_000, "not a JSON report"),
])
def test_a_damaged_report_is_refused_with_a_message(saved_report: tuple[Path, str], tmp_path: Path, damage: object,
                                                    message: str) -> None:
    report, head = saved_report
    damaged = tmp_path / "damaged.json"
    damaged.write_text(damage(report.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    with FakeGitHub() as server:
        server.add_pull(40, head_sha=head)
        result = comment(damaged, 40, server)
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and not server.calls("POST")


# 5. no writes through symbolic links


def test_a_symlinked_sarif_file_never_writes_outside(tmp_path: Path, runner_temp: Path) -> None:
    repository = tmp_path / "repository"
    repository.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("the runner's own file\n", encoding="utf-8")
    (repository / "hfname-guard.sarif").symlink_to(outside)
    pull = open_pull_request(repository, 42, BAD_MODEL)
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp, {"sarif-file": "hfname-guard.sarif"})
    assert outside.read_text(encoding="utf-8") == "the runner's own file\n"
    sarif = repository / "hfname-guard.sarif"
    assert not sarif.is_symlink() and json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert Path(run.outputs["report"]).parent == runner_temp


# 6. no workflow-command injection


def test_names_and_card_values_never_become_workflow_commands(tmp_path: Path, runner_temp: Path) -> None:
    card = ('---\nlicense: "mit\\n::add-mask::ghs_card"\nlibrary_name: "##[set-output name=errors;]0"\n'
            'pipeline_tag: text-generation\n---\n')
    pull = open_pull_request(tmp_path, 46, {"models/::add-mask::tmp-x/README.md": card,
                                            "models/::stop-commands::tok/README.md": GOOD_CARD})
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp)
    commands = commands_run(run)
    assert {name for name, _, _ in commands} == {"error", "warning"}, commands  # an unknown library: a warning
    files = {properties["file"] for _, properties, _ in commands}
    assert files == {"models/::add-mask::tmp-x/README.md", "models/::stop-commands::tok/README.md"}
    assert run.outputs["errors"] == str(report_of(run)["summary"]["error"]) != "0"  # type: ignore[index]


def test_policy_keys_with_commands_are_shown_not_run(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 47, BAD_MODEL, base_files={
        ".hfname-guard.yaml": 'version: 1\n"::add-mask::x\\n::error::forged": 1\n"##[set-output name=a;]b": 2\n'})
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp)
    assert run.logs[CHECK].returncode == 2
    assert "::add-mask::x" in run.logs[CHECK].stderr, "shown as text"
    assert commands_run(run) == []


# 7. no silent pass past the API's limits


def test_more_files_than_the_api_lists_come_from_git(tmp_path: Path, runner_temp: Path) -> None:
    notes = {f"docs/note-{index:04}.md": "a note\n" for index in range(3000)}
    pull = open_pull_request(tmp_path, 43, {**notes, **BAD_MODEL})
    with FakeGitHub() as server:
        serve(server, pull, files=[*notes, *BAD_MODEL])  # the bad model is the 3,001st: GitHub does not list it
        run = run_pull_request(pull, server, runner_temp)
    assert rules_of(run) == {"name/forbidden", "name/required-word"}, run.logs[CHECK].stderr
    assert "changes 3,001 files; GitHub lists 3,000, so the list comes from git" in run.logs[CHECK].stdout


def test_more_files_than_the_api_lists_and_no_git_is_an_error(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 44, BAD_MODEL)
    with FakeGitHub() as server:
        serve(server, pull, files=[f"docs/note-{index:04}.md" for index in range(3000)] + list(BAD_MODEL))
        (tmp_path / ".git").rename(tmp_path / "not-git")
        server.contents[pull.base] = {".hfname-guard.yaml": POLICY.encode()}
        run = run_pull_request(pull, server, runner_temp)
    check = run.logs[CHECK]
    assert check.returncode == 2 and "0 models" not in check.stdout
    assert "pull request #44 changes 3,001 files, more than the 3,000 GitHub lists, and git could not" in check.stderr


# 8. every model file counts


def test_a_model_folder_with_only_gguf_weights_is_checked(tmp_path: Path, runner_temp: Path) -> None:
    pull = open_pull_request(tmp_path, 45, {"models/tmp-quant/model-Q4_K_M.gguf": "GGUF"})
    with FakeGitHub() as server:
        serve(server, pull)
        run = run_pull_request(pull, server, runner_temp)
    assert "name/forbidden" in rules_of(run), run.logs[CHECK].stdout


def plant_parsed_policy(cache: Path, text: str, instead: str) -> None:
    """An entry of hfname-guard's parse cache at ``cache`` that says ``text`` reads as ``instead``:
    what another job on a self-hosted runner could leave in the runner's ~/.cache."""
    import marshal

    from hfname_guard import parse_cache
    from hfname_guard.yamlparse import parse
    from hfname_guard.yamlsource import YamlDocument

    lax = parse(instead)
    previous = os.environ.get("HFNAME_GUARD_CACHE_DIR")
    os.environ["HFNAME_GUARD_CACHE_DIR"] = str(cache)
    try:
        path = Path(parse_cache._path(text, 1))
    finally:
        os.environ.pop("HFNAME_GUARD_CACHE_DIR") if previous is None else os.environ.update(
            HFNAME_GUARD_CACHE_DIR=previous)
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = tuple(getattr(lax, name) for name in YamlDocument.__fields__)
    path.write_bytes(marshal.dumps((text, 1, fields, False)))


def test_a_cache_another_job_wrote_is_never_read(tmp_path: Path, runner_temp: Path) -> None:
    (tmp_path / "repository").mkdir()
    pull = open_pull_request(tmp_path / "repository", 27, BAD_MODEL)
    home, runners = tmp_path / "home", tmp_path / "runner-cache"
    for cache in (home / ".cache" / "hfname-guard", runners):
        plant_parsed_policy(cache, POLICY, LAX_POLICY)
    where_read = subprocess.run([sys.executable, "-m", "hfname_guard", "check", "models/tmp-model"],
                                cwd=pull.workspace, capture_output=True, text=True, timeout=60,
                                env={**os.environ, "HFNAME_GUARD_CACHE_DIR": str(runners)})
    assert where_read.returncode == 0, "the planted entry must work where it is read, or this test proves nothing"
    with FakeGitHub() as server:
        serve(server, pull)
        event = event_file(runner_temp / "event-27.json", pull)
        environ = {**base_environ(runner_temp), "HOME": str(home), "HFNAME_GUARD_CACHE_DIR": str(runners),
                   "GITHUB_API_URL": server.url, "GITHUB_EVENT_PATH": str(event), "GITHUB_EVENT_NAME": "pull_request",
                   "GITHUB_TOKEN": TOKEN, "GITHUB_SHA": pull.head}
        run = run_action({"comment": "false"}, workspace=pull.workspace, runner_temp=runner_temp, environ=environ,
                         skip=(INSTALL,))
    assert run.failed == CHECK and rules_of(run) == {"name/forbidden", "name/required-word"}
