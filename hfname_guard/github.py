"""Everything hfname-guard says to the GitHub REST API, for the GitHub Action.

The Action needs a few things from GitHub: the pull request itself (its head commit and how many
files it changes), which files it changes (to check only the model folders it touches), the
policy as the base commit holds it (when git cannot fetch it), and one *sticky* comment on the
pull request that always shows the current findings. All go through ``GitHub``, which speaks the
REST API with the standard library alone, so the Action installs nothing beyond hfname-guard.

What a run on a busy repository meets, and how it is handled:

- Lists come a page at a time; ``Link: <...>; rel="next"`` is followed to the end, and only to
  the API's own host, so the token is never sent anywhere else (redirects likewise).
- GitHub answers 5xx now and then, and rate-limits bursts (403/429 with ``retry-after``, or
  ``x-ratelimit-remaining: 0`` with ``x-ratelimit-reset``). Those are retried after the wait
  GitHub asks for, or 1, 2, 4 s; a wait longer than ``MAX_WAIT`` ends the run instead, because
  retrying early only burns attempts (and GitHub may block integrations that do).
- A pull request from a fork gets a read-only token: comments cannot be written, and GitHub
  answers 403 "Resource not accessible by integration". That is ``GitHubPermissionError``, so
  the caller can say it could not comment without failing the check.
- Two runs of the same pull request can race and both create a comment; the next run keeps the
  oldest and deletes the others, so the pull request converges on one comment.
- Anyone can write a comment that starts with our marker. Only a comment that the posting
  identity wrote is ours to edit or delete (``sticky_comment``'s ``author``).

The token is sent in the ``Authorization`` header and nowhere else: it is never part of a URL,
a message, an exception or a ``repr``.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from . import __version__
from .errors import EXIT_USAGE, HfnameGuardError, UsageError
from .git import Blob
from .record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from collections.abc import Callable, Iterator, Mapping
    from email.message import Message
    from http.client import HTTPMessage
    from typing import Any

MARKER = "<!-- hfname-guard -->"
"""Starts our comment's body: how a later run finds its own comment among everyone's. Put in
front of every text ``sticky_comment`` posts (``markdown_report.comment_body`` leaves room for it)."""
ALL_CLEAR = f"{MARKER}\n## \u2705 hfname-guard: all clear\n\nNo naming problems are left in this pull request.\n"
"""What the comment becomes once a pull request that had violations has none."""
MAX_BODY = 65536
"""GitHub refuses a longer comment (422 "Body is too long"); a longer one is cut to fit."""
TIMEOUT = 30.0
"""Seconds one request may take before it counts as a failed attempt."""
MAX_WAIT = 60.0
"""The longest wait before a retry; GitHub asking for more ends the run with a GitHubError."""
RATE_LIMIT_WAIT = 60.0
"""A rate limit that names no wait: GitHub's documentation asks for at least a minute."""
PER_PAGE = 100
"""The most items GitHub returns on a page: the fewest requests."""
MAX_LISTED_FILES = 3000
"""GitHub lists at most this many files of a pull request; the rest only git can tell."""
ACTIONS_BOT = "github-actions[bot]"
"""Who writes with a workflow's ``GITHUB_TOKEN``."""
API_VERSION = "2022-11-28"
USER_AGENT = f"hfname-guard/{__version__}"


class GitHubError(HfnameGuardError):
    """A GitHub API call failed for good (after any retries): status, endpoint and GitHub's
    message, on one line, never the token.

    Exit code 2, as for a usage or policy error: like those, it stops hfname-guard from
    checking or reporting, and is neither a model violation (1) nor a bug in hfname-guard (3).
    """

    exit_code = EXIT_USAGE


class GitHubPermissionError(GitHubError):
    """GitHub refused the token (403, not a rate limit): typically a pull request from a fork,
    whose token is read-only. The caller can report that it could not comment and carry on."""


class _Reply(Record):
    data: Any
    next_url: str | None = None


class GitHub:
    """One repository of a GitHub (github.com or an Enterprise Server) seen through its REST API.

    ``api_url`` is ``$GITHUB_API_URL``, ``repository`` is ``owner/name`` (``$GITHUB_REPOSITORY``).
    ``sleep`` waits between attempts (tests pass a recorder); ``max_attempts`` counts the first
    try. A retried POST whose first try did reach GitHub can leave a second comment; the next
    run removes it like any duplicate.
    """

    def __init__(self, api_url: str, repository: str, token: str, *, sleep: Callable[[float], object] = time.sleep,
                 max_attempts: int = 4) -> None:
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, not {max_attempts}")
        self._api_url = api_url.rstrip("/")
        self._origin = _origin(self._api_url)
        self._repository = repository
        self._token = token
        self._sleep = sleep
        self._max_attempts = max_attempts
        self._opener = urllib.request.build_opener(_SameOriginRedirects(self._origin))

    def __repr__(self) -> str:
        return f"GitHub({self._api_url!r}, {self._repository!r}, token=<hidden>)"

    def pull_request(self, pr: int) -> dict[str, Any]:
        """The pull request as GitHub has it now: ``head.sha``, ``base.sha``, ``changed_files``, ..."""
        reply = self._request("GET", f"{self._api_url}/repos/{self._repository}/pulls/{pr}")
        if not isinstance(reply.data, dict):
            raise GitHubError(f"GitHub API GET /repos/{self._repository}/pulls/{pr}: expected an object")
        return reply.data

    def login(self) -> str | None:
        """Who the token writes as, when GitHub says (a personal token); None for a workflow's or
        an app's installation token, which cannot read ``/user``."""
        try:
            reply = self._request("GET", f"{self._api_url}/user")
        except GitHubPermissionError:
            return None
        login = reply.data.get("login") if isinstance(reply.data, dict) else None
        return login if isinstance(login, str) and login else None

    def file_at(self, path: str, ref: str) -> Blob | None:
        """``path`` on commit ``ref`` through the contents API, or None when there is no file."""
        quoted = urllib.parse.quote(path, safe="/")
        url = f"{self._api_url}/repos/{self._repository}/contents/{quoted}?ref={urllib.parse.quote(ref, safe='')}"
        reply = self._request("GET", url, gone_ok=True)
        entry = reply.data
        if not isinstance(entry, dict):
            return None  # gone, or a folder (a list)
        if entry.get("type") == "symlink" and isinstance(entry.get("target"), str):
            return Blob(entry["target"].encode("utf-8"), symlink=True)
        if entry.get("type") != "file" or not isinstance(entry.get("content"), str):
            return None
        try:
            return Blob(base64.b64decode(entry["content"]))
        except ValueError:
            raise GitHubError(f"GitHub API GET {_endpoint(url)}: the file's content is not base64") from None

    def changed_files(self, pr: int) -> list[str]:
        """Paths the pull request adds, modifies, copies or renames (by their new name); removed
        files are left out, since there is nothing left to check. GitHub lists at most 3,000."""
        return [
            entry["filename"]
            for entry in self._paginate(f"/repos/{self._repository}/pulls/{pr}/files")
            if entry.get("status") != "removed"
        ]

    def sticky_comment(
        self, pr: int, body: str | None, *, author: str = ACTIONS_BOT, all_clear: str = ALL_CLEAR
    ) -> str:
        """Make our one comment on the pull request show ``body`` (None: no findings).

        Ours is a comment that ``author`` (the login the token writes as) wrote and that starts
        with ``MARKER``; anyone else's comment is never edited or deleted, whatever it says.

        Findings create the comment or update it in place; no findings turn an existing comment
        into ``all_clear`` and leave a pull request that never had violations alone. Duplicates
        left by racing runs are deleted, keeping the oldest. Both texts get ``MARKER`` in front
        when they lack it (without it the next run could not find the comment) and are cut to
        ``MAX_BODY``. Returns ``"created"``, ``"updated"``, ``"cleared"`` or ``"none"``: the
        state the comment is left in (an unchanged text is not sent again).
        """
        comments = f"/repos/{self._repository}/issues/{pr}/comments"
        # Ids grow with creation time and, unlike created_at (whole seconds), never tie.
        ours = sorted((comment for comment in self._paginate(comments) if _written_by(comment, author)),
                      key=lambda comment: comment["id"])
        for duplicate in ours[1:]:  # gone already when a racing run deleted it first: as good
            self._request("DELETE", f"{self._api_url}/repos/{self._repository}/issues/comments/{duplicate['id']}",
                          gone_ok=True)
        kept = ours[0] if ours else None
        if body is None and kept is None:
            return "none"
        text = _comment_text(all_clear if body is None else body)
        if kept is None:
            self._request("POST", self._api_url + comments, {"body": text})
            return "created"
        if kept.get("body") != text:
            self._request("PATCH", f"{self._api_url}/repos/{self._repository}/issues/comments/{kept['id']}",
                          {"body": text})
        return "cleared" if body is None else "updated"

    def _paginate(self, path: str) -> Iterator[dict[str, Any]]:
        url: str | None = f"{self._api_url}{path}?per_page={PER_PAGE}"
        while url is not None:
            reply = self._request("GET", url)
            if not isinstance(reply.data, list):
                raise GitHubError(self._redact(f"GitHub API GET {_endpoint(url)}: expected a list, got "
                                               f"{type(reply.data).__name__}"))
            yield from reply.data
            url = reply.next_url
            if url is not None and _origin(url) != self._origin:
                raise GitHubError(self._redact(f"GitHub API GET {path}: the next page is on another host "
                                               f"({_origin(url)[1]}); not sending the token there"))

    def _request(self, method: str, url: str, body: dict[str, Any] | None = None, *, gone_ok: bool = False) -> _Reply:
        """One call, retried as the module says; ``gone_ok``: a 404 is success (deleting what is gone)."""
        endpoint = f"{method} {_endpoint(url)}"
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "Authorization": f"Bearer {self._token}",
            "User-Agent": USER_AGENT,
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        attempt = 0
        while True:
            attempt += 1
            request = urllib.request.Request(url, data=data, headers=headers, method=method)
            try:
                with self._opener.open(request, timeout=TIMEOUT) as response:
                    raw = response.read()
                    next_url = _next_link(response.headers.get("Link"))
                return _Reply(self._parse(endpoint, raw), next_url)
            except urllib.error.HTTPError as error:
                message = _error_message(error)
                failure = f"{error.code} {error.reason}" + (f": {message}" if message else "")
                wait = _rate_limit_wait(error.code, error.headers, message)
                if wait is None and error.code >= 500:
                    wait = _backoff(attempt)
                if wait is None and error.code == 403:
                    raise GitHubPermissionError(self._failure(endpoint, failure, attempt)) from None
                if wait is None and error.code == 404 and gone_ok:
                    return _Reply(None)
                if wait is not None and wait > MAX_WAIT:
                    failure += f" (rate limited: GitHub asks to wait {wait:.0f} s, more than {MAX_WAIT:.0f} s)"
                    wait = None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
                reason = getattr(error, "reason", error)
                failure = f"cannot reach GitHub: {str(reason) or type(reason).__name__}"
                wait = _backoff(attempt)
            if wait is None or attempt == self._max_attempts:
                raise GitHubError(self._failure(endpoint, failure, attempt)) from None
            self._sleep(wait)

    def _parse(self, endpoint: str, raw: bytes) -> Any:
        if not raw.strip():
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise GitHubError(self._redact(f"GitHub API {endpoint}: the answer is not JSON; is the API URL "
                                           f"{self._api_url} right?")) from None

    def _failure(self, endpoint: str, failure: str, attempt: int) -> str:
        after = f" (after {attempt} attempts)" if attempt > 1 else ""
        return self._redact(f"GitHub API {endpoint}: {failure}{after}")

    def _redact(self, text: str) -> str:
        """Messages quote what servers answer; a proxy that echoes a request must not leak the token."""
        return text.replace(self._token, "***") if self._token else text


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only within the API's host: urllib would carry the Authorization
    header to any host a redirect names."""

    def __init__(self, origin: tuple[str, str]) -> None:
        self.origin = origin

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: HTTPMessage,
                         newurl: str) -> urllib.request.Request | None:
        if _origin(newurl) != self.origin:
            return None  # the 3xx becomes an HTTPError, and a GitHubError
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Event(Record):
    """What a workflow run is about, from the event file at ``$GITHUB_EVENT_PATH``."""

    pull_request: int | None = None
    """The pull request's number. ``pull_request`` and ``pull_request_target`` events (and the
    review events) carry it as ``pull_request.number``; a ``workflow_run`` event (how a fork's
    pull request gets a token that can comment) as ``workflow_run.pull_requests[0].number``, a
    list GitHub leaves empty when the pull request comes from a fork."""
    base_sha: str | None = None
    """The commit the pull request is compared with (``pull_request.base.sha``)."""
    head_sha: str | None = None
    """The pull request's last commit: ``pull_request.head.sha``, or ``workflow_run.head_sha``."""


def what_is_checked(environ: Mapping[str, str], event: Event) -> tuple[str | None, str | None]:
    """The repository and commit a run inside Actions checks, as a report records them: the pull
    request's head commit where the event names one (``GITHUB_SHA`` is then a merge commit),
    else ``GITHUB_SHA``."""
    return environ.get("GITHUB_REPOSITORY") or None, event.head_sha or environ.get("GITHUB_SHA") or None


def read_event(event_path: str) -> Event:
    try:
        with open(event_path, encoding="utf-8") as handle:
            event = json.load(handle)
    except OSError as error:
        raise UsageError(f"{event_path}: cannot read the GitHub event: {error.strerror or error}") from None
    except ValueError as error:
        raise UsageError(f"{event_path}: the GitHub event is not JSON: {error}") from None
    if not isinstance(event, dict):
        return Event()
    pull = event.get("pull_request")
    if isinstance(pull, dict):
        return Event(_number(pull.get("number")), _sha(pull, "base"), _sha(pull, "head"))
    run = event.get("workflow_run")
    if isinstance(run, dict):
        pulls = run.get("pull_requests")
        first = pulls[0] if isinstance(pulls, list) and pulls and isinstance(pulls[0], dict) else {}
        head_sha = run.get("head_sha")
        return Event(_number(first.get("number")), head_sha=head_sha if isinstance(head_sha, str) else None)
    return Event()


def _number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _sha(pull: dict[str, Any], side: str) -> str | None:
    ref = pull.get(side)
    sha = ref.get("sha") if isinstance(ref, dict) else None
    return sha if isinstance(sha, str) else None


def _written_by(comment: dict[str, Any], author: str) -> bool:
    user = comment.get("user")
    login = user.get("login") if isinstance(user, dict) else None
    body = comment.get("body")
    return login == author and isinstance(body, str) and body.startswith(MARKER)


def _comment_text(body: str) -> str:
    text = body if body.startswith(MARKER) else f"{MARKER}\n{body}"
    if len(text) <= MAX_BODY:
        return text
    note = f"\n\n... (cut here: GitHub takes at most {MAX_BODY:,} characters; the job log has every finding)"
    return text[: MAX_BODY - len(note)] + note


def _backoff(attempt: int) -> float:
    """1, 2, 4, ... seconds after the first, second, third failed attempt, at most ``MAX_WAIT``."""
    return min(2.0 ** (attempt - 1), MAX_WAIT)


def _rate_limit_wait(status: int, headers: Message, message: str) -> float | None:
    """Seconds GitHub asks us to wait before trying again, or None when this is not a rate limit."""
    if status not in (403, 429):
        return None
    retry_after = (headers.get("retry-after") or "").strip()
    if retry_after.isdigit():
        return float(retry_after)
    reset = (headers.get("x-ratelimit-reset") or "").strip()
    if headers.get("x-ratelimit-remaining") == "0" and reset.isdigit():
        return max(int(reset) - time.time(), 0.0) + 1.0  # a second for the clocks to disagree
    if status == 429 or "rate limit" in message.lower():
        return RATE_LIMIT_WAIT
    return None


def _error_message(error: urllib.error.HTTPError) -> str:
    """GitHub's ``message`` (and a validation failure's details), on one line."""
    if 300 <= error.code < 400:
        return f"redirected to {error.headers.get('Location')}; not followed"
    try:
        raw = error.read()
    except (OSError, http.client.HTTPException):
        return ""
    try:
        answer = json.loads(raw)
    except ValueError:
        return " ".join(raw.decode("utf-8", "replace").split())[:200]
    if not isinstance(answer, dict):
        return ""
    details = [
        str(detail.get("message") or detail.get("code")) if isinstance(detail, dict) else str(detail)
        for detail in answer.get("errors") or []
    ]
    return " ".join(" ".join([str(answer.get("message", "")), *details]).split())


_LINK = re.compile(r'<([^>]*)>\s*;\s*rel="([^"]*)"')


def _next_link(header: str | None) -> str | None:
    for url, relations in _LINK.findall(header or ""):
        if "next" in relations.split():
            return url
    return None


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _endpoint(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
