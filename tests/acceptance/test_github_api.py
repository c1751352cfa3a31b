"""``hfname_guard.github`` against a real HTTP server that speaks GitHub's REST API.

The server (``tests/github_server.py``) runs on 127.0.0.1 in a thread, with pull request files
and issue comments in memory, real ``Link`` pagination, a fork's read-only token and scripted
failures. Waits between retries go to a recorder instead of ``time.sleep``, so the tests run
at once and can check how long the client would have waited. Every error is checked for the
token: it must never appear in a message.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier

import pytest
from github_server import REPOSITORY, TOKEN, FakeGitHub

from hfname_guard.errors import EXIT_USAGE, UsageError
from hfname_guard.github import (
    ALL_CLEAR,
    MARKER,
    MAX_BODY,
    Event,
    GitHub,
    GitHubError,
    GitHubPermissionError,
    read_event,
)

PR = 7


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHub]:
    for name in ("no_proxy", "NO_PROXY"):  # a proxy configured on the machine must not see 127.0.0.1
        monkeypatch.setenv(name, "127.0.0.1")
    with FakeGitHub() as fake:
        yield fake


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def github(server: FakeGitHub, sleeps: list[float]) -> GitHub:
    return GitHub(server.url, REPOSITORY, TOKEN, sleep=sleeps.append)


def error_of(raised: pytest.ExceptionInfo[GitHubError]) -> str:
    """The error's message, after checking it is one line and holds no token."""
    message = str(raised.value)
    assert TOKEN not in message and TOKEN not in repr(raised.value)
    assert "\n" not in message
    return message


def marker_comments(server: FakeGitHub, pr: int = PR) -> list[dict]:
    return [comment for comment in server.comments.get(pr, []) if comment["body"].startswith(MARKER)]


# changed files


def test_changed_files_follow_link_pagination_and_skip_removed_files(server: FakeGitHub, github: GitHub) -> None:
    server.max_per_page = 2
    server.add_file(PR, "models/a/README.md", "added")
    server.add_file(PR, "models/b/config.json")
    server.add_file(PR, "models/c/README.md", "removed")
    server.add_file(PR, "models/d-v2/README.md", "renamed", previous="models/d/README.md")
    server.add_file(PR, "models/e/README.md", "copied")
    server.add_file(PR, "docs/index.md")

    assert github.changed_files(PR) == [
        "models/a/README.md", "models/b/config.json", "models/d-v2/README.md", "models/e/README.md", "docs/index.md",
    ]
    pages = server.calls("GET")
    assert [request.path for request in pages] == [f"/repos/{REPOSITORY}/pulls/{PR}/files"] * 3
    assert pages[0].query == {"per_page": "100"}
    assert [request.query.get("page") for request in pages[1:]] == ["2", "3"]


def test_requests_send_github_headers_and_json(server: FakeGitHub, github: GitHub) -> None:
    github.changed_files(PR)
    github.sticky_comment(PR, "findings")

    for request in server.calls():
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert request.headers["accept"] == "application/vnd.github+json"
        assert request.headers["x-github-api-version"] == "2022-11-28"
        assert request.headers["user-agent"].startswith("hfname-guard/")
    (post,) = server.calls("POST")
    assert post.headers["content-type"] == "application/json"
    assert post.body == {"body": f"{MARKER}\nfindings"}


def test_an_empty_pull_request_has_no_changed_files(github: GitHub) -> None:
    assert github.changed_files(PR) == []


# the sticky comment


def test_sticky_comment_is_created_updated_and_cleared(server: FakeGitHub, github: GitHub) -> None:
    server.add_comment(PR, "Looks good to me", user="reviewer")

    assert github.sticky_comment(PR, "2 violations") == "created"
    (comment,) = marker_comments(server)
    assert comment["body"] == f"{MARKER}\n2 violations"

    assert github.sticky_comment(PR, f"{MARKER}\n1 violation") == "updated", "a body with the marker keeps it once"
    assert [(c["id"], c["body"]) for c in marker_comments(server)] == [(comment["id"], f"{MARKER}\n1 violation")]

    assert github.sticky_comment(PR, None) == "cleared"
    assert [c["body"] for c in marker_comments(server)] == [ALL_CLEAR]
    assert marker_comments(server)[0]["id"] == comment["id"]

    writes = len(server.calls()) - len(server.calls("GET"))
    assert github.sticky_comment(PR, None) == "cleared"
    assert len(server.calls()) - len(server.calls("GET")) == writes, "an unchanged comment is not sent again"
    assert server.comment_bodies(PR)[0] == "Looks good to me"


def test_a_pull_request_that_never_had_violations_gets_no_comment(server: FakeGitHub, github: GitHub) -> None:
    server.add_comment(PR, "Looks good to me", user="reviewer")

    assert github.sticky_comment(PR, None) == "none"
    assert [request.method for request in server.calls()] == ["GET"]
    assert server.comment_bodies(PR) == ["Looks good to me"]


def test_a_custom_all_clear_text_gets_the_marker(server: FakeGitHub, github: GitHub) -> None:
    github.sticky_comment(PR, "1 violation")
    assert github.sticky_comment(PR, None, all_clear="All 3 models pass.") == "cleared"
    assert [c["body"] for c in marker_comments(server)] == [f"{MARKER}\nAll 3 models pass."]
    assert github.sticky_comment(PR, "1 violation") == "updated", "the next run still finds it"


def test_a_comment_that_only_quotes_the_marker_is_not_ours(server: FakeGitHub, github: GitHub) -> None:
    quoting = f"The bot's comment starts with `{MARKER}`, FYI"
    server.add_comment(PR, quoting, user="reviewer")

    assert github.sticky_comment(PR, "1 violation") == "created"
    assert server.comment_bodies(PR) == [quoting, f"{MARKER}\n1 violation"]


def test_duplicate_comments_keep_the_oldest_and_delete_the_others(server: FakeGitHub, github: GitHub) -> None:
    server.add_comment(PR, "first!", user="reviewer")
    oldest = server.add_comment(PR, f"{MARKER}\nold findings")
    server.add_comment(PR, "please fix", user="reviewer")
    newer = server.add_comment(PR, f"{MARKER}\nnewer findings")
    newest = server.add_comment(PR, f"{MARKER}\nnewest findings")

    assert github.sticky_comment(PR, "current findings") == "updated"
    assert server.comment_bodies(PR) == ["first!", f"{MARKER}\ncurrent findings", "please fix"]
    assert marker_comments(server)[0]["id"] == oldest["id"]
    deleted = sorted(int(request.path.rsplit("/", 1)[1]) for request in server.calls("DELETE"))
    assert deleted == [newer["id"], newest["id"]]


def test_duplicates_are_removed_when_clearing_too(server: FakeGitHub, github: GitHub) -> None:
    server.add_comment(PR, f"{MARKER}\nold")
    server.add_comment(PR, f"{MARKER}\nnew")

    assert github.sticky_comment(PR, None) == "cleared"
    assert server.comment_bodies(PR) == [ALL_CLEAR]


def test_racing_runs_converge_on_one_comment(server: FakeGitHub, sleeps: list[float]) -> None:
    server.list_barrier = Barrier(2)  # both runs list the comments before either writes
    runs = [GitHub(server.url, REPOSITORY, TOKEN, sleep=sleeps.append) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda run: run.sticky_comment(PR, "1 violation"), runs))
    assert results == ["created", "created"]
    assert len(marker_comments(server)) == 2, "the race this test is about did happen"
    oldest = min(comment["id"] for comment in marker_comments(server))

    server.list_barrier = None
    assert runs[0].sticky_comment(PR, "1 violation") == "updated"
    assert [comment["id"] for comment in marker_comments(server)] == [oldest]
    assert sleeps == []


def test_racing_cleanups_both_delete_the_same_duplicate(server: FakeGitHub, sleeps: list[float]) -> None:
    kept = server.add_comment(PR, f"{MARKER}\nold")
    duplicate = server.add_comment(PR, f"{MARKER}\nnew")
    server.list_barrier = Barrier(2)
    runs = [GitHub(server.url, REPOSITORY, TOKEN, sleep=sleeps.append) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda run: run.sticky_comment(PR, "2 violations"), runs))

    assert results == ["updated", "updated"]
    assert [request.path for request in server.calls("DELETE")] == [
        f"/repos/{REPOSITORY}/issues/comments/{duplicate['id']}"] * 2, "the second DELETE found it gone (404)"
    assert [(c["id"], c["body"]) for c in marker_comments(server)] == [(kept["id"], f"{MARKER}\n2 violations")]


def test_our_comment_is_found_on_a_later_page(server: FakeGitHub, github: GitHub) -> None:
    server.max_per_page = 2
    for number in range(4):
        server.add_comment(PR, f"review {number}", user="reviewer")
    ours = server.add_comment(PR, f"{MARKER}\nold findings")
    server.add_comment(PR, "review 5", user="reviewer")

    assert github.sticky_comment(PR, "new findings") == "updated"
    assert [request.query.get("page") for request in server.calls("GET")] == [None, "2", "3"]
    assert server.calls("POST") == []
    (patch,) = server.calls("PATCH")
    assert patch.path == f"/repos/{REPOSITORY}/issues/comments/{ours['id']}"


def test_a_body_longer_than_github_takes_is_cut(server: FakeGitHub, github: GitHub) -> None:
    github.sticky_comment(PR, "x" * (MAX_BODY + 10_000))
    (body,) = server.comment_bodies(PR)
    assert len(body) == MAX_BODY
    assert body.startswith(MARKER) and "the job log has every finding" in body


# a fork's read-only token


def test_a_fork_token_cannot_comment(server: FakeGitHub, github: GitHub, sleeps: list[float]) -> None:
    server.fork = True
    server.add_file(PR, "models/a/README.md")
    assert github.changed_files(PR) == ["models/a/README.md"], "reading works"

    with pytest.raises(GitHubPermissionError) as raised:
        github.sticky_comment(PR, "1 violation")
    message = error_of(raised)
    assert message == (f"GitHub API POST /repos/{REPOSITORY}/issues/{PR}/comments: 403 Forbidden: "
                       "Resource not accessible by integration")
    assert isinstance(raised.value, GitHubError) and raised.value.exit_code == EXIT_USAGE
    assert sleeps == [], "a refusal is not retried"
    assert server.comments.get(PR, []) == []


def test_a_fork_without_violations_never_writes(server: FakeGitHub, github: GitHub) -> None:
    server.fork = True
    assert github.sticky_comment(PR, None) == "none"


def test_bad_credentials_are_a_github_error_not_a_permission_error(server: FakeGitHub, sleeps: list[float]) -> None:
    github = GitHub(server.url, REPOSITORY, "not-the-token", sleep=sleeps.append)
    with pytest.raises(GitHubError) as raised:
        github.changed_files(PR)
    assert not isinstance(raised.value, GitHubPermissionError)
    assert "401 Unauthorized: Bad credentials" in str(raised.value)
    assert sleeps == []


# retries


def test_a_server_error_is_retried(server: FakeGitHub, github: GitHub, sleeps: list[float]) -> None:
    server.add_file(PR, "models/a/README.md")
    server.fail(502, "Server Error")

    assert github.changed_files(PR) == ["models/a/README.md"]
    assert sleeps == [1.0]
    assert len(server.calls("GET")) == 2


@pytest.mark.parametrize("status", [403, 429])
def test_retry_after_is_honored(server: FakeGitHub, github: GitHub, sleeps: list[float], status: int) -> None:
    server.fail(status, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                {"retry-after": "7"}, method="POST")

    assert github.sticky_comment(PR, "1 violation") == "created"
    assert sleeps == [7.0]
    assert len(server.calls("POST")) == 2
    assert len(marker_comments(server)) == 1


def test_an_exhausted_rate_limit_waits_until_its_reset(server: FakeGitHub, github: GitHub, sleeps: list[float]) -> None:
    reset = int(time.time()) + 5
    server.fail(403, "API rate limit exceeded for installation.",
                {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)})

    assert github.changed_files(PR) == []
    (wait,) = sleeps
    assert 4.0 <= wait <= 7.0


def test_a_rate_limit_that_names_no_wait_waits_a_minute(server: FakeGitHub, github: GitHub,
                                                        sleeps: list[float]) -> None:
    server.fail(429, "Too many requests")
    assert github.changed_files(PR) == []
    assert sleeps == [60.0]


def test_a_wait_longer_than_a_minute_ends_the_run(server: FakeGitHub, github: GitHub, sleeps: list[float]) -> None:
    server.fail(403, "You have exceeded a secondary rate limit.", {"retry-after": "3600"})

    with pytest.raises(GitHubError) as raised:
        github.changed_files(PR)
    assert "GitHub asks to wait 3600 s, more than 60 s" in error_of(raised)
    assert not isinstance(raised.value, GitHubPermissionError)
    assert sleeps == []
    assert len(server.calls()) == 1


def test_server_errors_that_persist_end_after_max_attempts(server: FakeGitHub, github: GitHub,
                                                           sleeps: list[float]) -> None:
    server.fail(503, "Service Unavailable", times=None)

    with pytest.raises(GitHubError) as raised:
        github.changed_files(PR)
    assert error_of(raised) == (f"GitHub API GET /repos/{REPOSITORY}/pulls/{PR}/files?per_page=100: "
                                "503 Service Unavailable: Service Unavailable (after 4 attempts)")
    assert sleeps == [1.0, 2.0, 4.0]
    assert len(server.calls()) == 4


def test_backoff_stops_growing_at_a_minute(server: FakeGitHub, sleeps: list[float]) -> None:
    server.fail(502, "Bad Gateway", times=8)
    github = GitHub(server.url, REPOSITORY, TOKEN, sleep=sleeps.append, max_attempts=9)
    assert github.changed_files(PR) == []
    assert sleeps == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0]


def test_max_attempts_counts_the_first_try(server: FakeGitHub, sleeps: list[float]) -> None:
    server.fail(500, "Oops", times=None)
    github = GitHub(server.url, REPOSITORY, TOKEN, sleep=sleeps.append, max_attempts=2)
    with pytest.raises(GitHubError, match=r"\(after 2 attempts\)$"):
        github.sticky_comment(PR, "1 violation")
    assert len(server.calls()) == 2


def test_an_unreachable_api_is_retried_then_reported(sleeps: list[float]) -> None:
    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    github = GitHub(f"http://127.0.0.1:{port}", REPOSITORY, TOKEN, sleep=sleeps.append)

    with pytest.raises(GitHubError) as raised:
        github.changed_files(PR)
    assert "cannot reach GitHub" in error_of(raised) and "(after 4 attempts)" in str(raised.value)
    assert sleeps == [1.0, 2.0, 4.0]


# the token stays here


def test_the_token_never_leaves_the_api_host(server: FakeGitHub, github: GitHub) -> None:
    with FakeGitHub() as elsewhere:
        server.script(302, headers={"Location": f"{elsewhere.url}/repos/{REPOSITORY}/pulls/{PR}/files"})
        with pytest.raises(GitHubError) as raised:
            github.changed_files(PR)
        assert "302 Found: redirected to" in error_of(raised)

        server.script(200, [], {"Link": f'<{elsewhere.url}/repos/{REPOSITORY}/pulls/{PR}/files?page=2>; rel="next"'})
        with pytest.raises(GitHubError) as raised:
            github.changed_files(PR)
        assert "the next page is on another host" in error_of(raised)

        assert elsewhere.calls() == []


def test_the_token_is_redacted_from_answers_that_echo_it(server: FakeGitHub, github: GitHub) -> None:
    server.fail(400, f"Problems parsing request with Authorization: Bearer {TOKEN}")
    with pytest.raises(GitHubError) as raised:
        github.changed_files(PR)
    assert "Authorization: Bearer ***" in error_of(raised)


def test_nothing_is_printed_or_logged(server: FakeGitHub, github: GitHub, capsys: pytest.CaptureFixture[str],
                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server.fail(502, "Server Error")
    github.sticky_comment(PR, "1 violation")
    github.sticky_comment(PR, None)
    server.fork = True
    with pytest.raises(GitHubPermissionError):
        github.sticky_comment(PR, "1 violation")

    captured = capsys.readouterr()
    assert (captured.out, captured.err, caplog.text) == ("", "", "")
    assert TOKEN not in repr(github)


# odd answers


def test_an_answer_that_is_not_json(server: FakeGitHub, github: GitHub) -> None:
    server.script(200, b"<html>Sign in to your proxy</html>")
    with pytest.raises(GitHubError) as raised:
        github.changed_files(PR)
    assert f"the answer is not JSON; is the API URL {server.url} right?" in error_of(raised)


def test_a_validation_failure_names_the_details(server: FakeGitHub, github: GitHub) -> None:
    server.script(422, {"message": "Validation Failed", "errors": [
        {"resource": "IssueComment", "code": "unprocessable", "field": "data", "message": "Body is too long"}]},
        method="POST")
    with pytest.raises(GitHubError) as raised:
        github.sticky_comment(PR, "1 violation")
    assert error_of(raised).endswith("422 Unprocessable Entity: Validation Failed Body is too long")


# the event


BASE, HEAD = "1" * 40, "2" * 40


@pytest.mark.parametrize(("event", "expected"), [
    ({"action": "synchronize", "number": 12, "pull_request": {"number": 12, "base": {"sha": BASE},
                                                              "head": {"sha": HEAD}}}, Event(12, BASE, HEAD)),
    ({"action": "completed", "workflow_run": {"event": "pull_request", "head_sha": HEAD,
                                              "pull_requests": [{"number": 34}]}}, Event(34, head_sha=HEAD)),
    ({"action": "completed", "workflow_run": {"event": "pull_request", "pull_requests": []}}, Event()),
    ({"ref": "refs/heads/main", "commits": []}, Event()),
    ({"pull_request": {"number": "12", "base": "main", "head": {"sha": 7}}}, Event()),
    ([], Event()),
])
def test_what_the_event_is_about(tmp_path: Path, event: object, expected: Event) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    assert read_event(str(path)) == expected


def test_an_unreadable_event_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read the GitHub event"):
        read_event(str(tmp_path / "missing.json"))
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(UsageError, match="the GitHub event is not JSON"):
        read_event(str(tmp_path / "bad.json"))
