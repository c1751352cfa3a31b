"""A local GitHub REST API for tests: the endpoints hfname-guard calls, with in-memory state.

A real HTTP server on 127.0.0.1 rather than a mocked ``urlopen``, because what can go wrong is
HTTP itself: headers, status codes, ``Link`` pagination, redirects, retries, threads racing.
It speaks the way GitHub does for:

- ``GET /repos/{repo}/pulls/{pr}`` (``pulls[pr]``, with ``changed_files`` counted from ``files[pr]``)
- ``GET /repos/{repo}/pulls/{pr}/files`` (``files[pr]``, at most ``MAX_LISTED_FILES`` as GitHub lists)
- ``GET /repos/{repo}/contents/{path}?ref=SHA`` (``contents[sha][path]``: bytes, or ``Symlink``)
- ``GET /user``: 403 for an installation token (``GITHUB_TOKEN``), as GitHub answers; the
  login when ``user_login`` is set (a personal token)
- ``GET`` and ``POST /repos/{repo}/issues/{pr}/comments`` (``comments[pr]``; a new comment's
  author is ``bot``)
- ``PATCH`` and ``DELETE /repos/{repo}/issues/comments/{id}``

Lists honor ``per_page`` up to ``max_per_page`` (GitHub's 100; lower it to force many pages)
and ``page``, with ``Link`` headers of absolute URLs. ``fork = True`` refuses every write with
GitHub's 403 for a read-only token. ``script()`` and ``fail()`` queue answers that come before
the normal ones (a 502, a rate limit, a redirect, bytes that are not JSON, ...). ``list_barrier`` holds comment listings until that
many are waiting, to make runs race. Every request is in ``requests``, headers included, so a
test can check what the client sent.

Use as a context manager: ``with FakeGitHub() as github: GitHub(github.url, REPOSITORY, TOKEN)``.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

REPOSITORY = "acme/models"
TOKEN = "ghs_t0ken0that0must0never0be0shown0anywhere"
BOT = "github-actions[bot]"
MAX_LISTED_FILES = 3000
EPOCH = datetime(2025, 1, 1, tzinfo=timezone.utc)

PULL = re.compile(r"/repos/(?P<repo>[^/]+/[^/]+)/pulls/(?P<pr>\d+)")
FILES = re.compile(r"/repos/(?P<repo>[^/]+/[^/]+)/pulls/(?P<pr>\d+)/files")
CONTENTS = re.compile(r"/repos/(?P<repo>[^/]+/[^/]+)/contents/(?P<path>.+)")
COMMENTS = re.compile(r"/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<pr>\d+)/comments")
COMMENT = re.compile(r"/repos/(?P<repo>[^/]+/[^/]+)/issues/comments/(?P<id>\d+)")


@dataclass(frozen=True)
class Request:
    """One request as the server received it (``headers`` with lower-case names)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass(frozen=True)
class Symlink:
    """A symbolic link in ``contents``: the contents API answers ``type: symlink`` with its target."""

    target: str


@dataclass
class Scripted:
    """An answer given instead of the normal one, ``times`` times (None: for ever)."""

    status: int
    body: Any
    headers: dict[str, str]
    times: int | None
    method: str | None


class FakeGitHub:
    def __init__(self, repository: str = REPOSITORY, token: str = TOKEN, max_per_page: int = 100) -> None:
        self.repository = repository
        self.token = token
        self.max_per_page = max_per_page
        self.fork = False
        self.list_barrier: threading.Barrier | None = None
        self.bot = BOT
        self.user_login: str | None = None
        self.pulls: dict[int, dict[str, Any]] = {}
        self.files: dict[int, list[dict[str, Any]]] = {}
        self.contents: dict[str, dict[str, bytes | Symlink]] = {}
        self.comments: dict[int, list[dict[str, Any]]] = {}
        self.requests: list[Request] = []
        self._scripted: list[Scripted] = []
        self._next_id = 1000
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        # shutdown() waits out one poll interval: the default half second would be most of a test's time
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def add_file(self, pr: int, filename: str, status: str = "modified", previous: str | None = None) -> None:
        entry: dict[str, Any] = {"filename": filename, "status": status, "additions": 1, "deletions": 0, "changes": 1}
        if previous is not None:
            entry["previous_filename"] = previous
        self.files.setdefault(pr, []).append(entry)

    def add_pull(self, pr: int, head_sha: str, base_sha: str = "1" * 40) -> None:
        self.pulls[pr] = {"number": pr, "state": "open", "head": {"sha": head_sha, "ref": "add-models"},
                          "base": {"sha": base_sha, "ref": "main"}}

    def add_comment(self, pr: int, body: str, user: str = BOT) -> dict[str, Any]:
        with self._lock:
            return self._create_comment(pr, body, user)

    def comment_bodies(self, pr: int) -> list[str]:
        with self._lock:
            return [comment["body"] for comment in self.comments.get(pr, [])]

    def script(self, status: int, body: Any = None, headers: dict[str, str] | None = None, times: int | None = 1,
               method: str | None = None) -> None:
        """Answer the next ``times`` requests (of ``method``, when given) with this, in queue order."""
        with self._lock:
            self._scripted.append(Scripted(status, body, headers or {}, times, method))

    def fail(self, status: int, message: str, headers: dict[str, str] | None = None, times: int | None = 1,
             method: str | None = None) -> None:
        """A GitHub error answer: ``{"message": ..., "documentation_url": ...}``."""
        body = {"message": message, "documentation_url": "https://docs.github.com/rest"}
        self.script(status, body, headers, times, method)

    def calls(self, method: str | None = None) -> list[Request]:
        with self._lock:
            return [request for request in self.requests if method in (None, request.method)]

    def _create_comment(self, pr: int, body: str, user: str) -> dict[str, Any]:
        self._next_id += 1
        stamp = (EPOCH + timedelta(seconds=self._next_id)).strftime("%Y-%m-%dT%H:%M:%SZ")
        comment = {
            "id": self._next_id, "body": body, "user": {"login": user, "type": "Bot"},
            "created_at": stamp, "updated_at": stamp,
            "html_url": f"https://github.com/{self.repository}/pull/{pr}#issuecomment-{self._next_id}",
        }
        self.comments.setdefault(pr, []).append(comment)
        return comment

    def _find_comment(self, comment_id: int) -> tuple[int, dict[str, Any]] | None:
        for pr, comments in self.comments.items():
            for comment in comments:
                if comment["id"] == comment_id:
                    return pr, comment
        return None

    def _answer(self, request: Request) -> tuple[int, Any, dict[str, str]]:
        """The status, JSON body and headers for one request (under the lock)."""
        self.requests.append(request)
        for scripted in self._scripted:
            if scripted.method in (None, request.method):
                if scripted.times is not None:
                    scripted.times -= 1
                    if scripted.times == 0:
                        self._scripted.remove(scripted)
                return scripted.status, scripted.body, scripted.headers
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return 401, {"message": "Bad credentials"}, {}
        if request.path == "/user" and request.method == "GET":
            if self.user_login is None:
                return 403, {"message": "Resource not accessible by integration",
                             "documentation_url": "https://docs.github.com/rest/users/users"}, {}
            return 200, {"login": self.user_login, "type": "User"}, {}
        match = (FILES.fullmatch(request.path) or PULL.fullmatch(request.path) or CONTENTS.fullmatch(request.path)
                 or COMMENTS.fullmatch(request.path) or COMMENT.fullmatch(request.path))
        if match is None or match["repo"] != self.repository:
            return 404, {"message": "Not Found"}, {}
        if request.method != "GET" and self.fork:
            return 403, {"message": "Resource not accessible by integration",
                         "documentation_url": "https://docs.github.com/rest/issues/comments"}, {}
        if match.re is PULL and request.method == "GET" and int(match["pr"]) in self.pulls:
            pull = self.pulls[int(match["pr"])]
            return 200, {**pull, "changed_files": len(self.files.get(int(match["pr"]), []))}, {}
        if match.re is FILES and request.method == "GET":
            return self._page(request, self.files.get(int(match["pr"]), [])[:MAX_LISTED_FILES])
        if match.re is CONTENTS and request.method == "GET":
            return self._content(match["path"], request.query.get("ref", ""))
        if match.re is COMMENTS and request.method == "GET":
            return self._page(request, self.comments.get(int(match["pr"]), []))
        if match.re is COMMENTS and request.method == "POST":
            return 201, self._create_comment(int(match["pr"]), request.body["body"], self.bot), {}
        if match.re is COMMENT:
            found = self._find_comment(int(match["id"]))
            if found is None:
                return 404, {"message": "Not Found"}, {}
            pr, comment = found
            if request.method == "PATCH":
                comment["body"] = request.body["body"]
                comment["updated_at"] = (EPOCH + timedelta(seconds=self._next_id + 1)).strftime("%Y-%m-%dT%H:%M:%SZ")
                return 200, comment, {}
            if request.method == "DELETE":
                self.comments[pr].remove(comment)
                return 204, None, {}
        return 404, {"message": "Not Found"}, {}

    def _content(self, path: str, ref: str) -> tuple[int, Any, dict[str, str]]:
        found = self.contents.get(ref, {}).get(unquote(path))
        if found is None:
            return 404, {"message": "Not Found"}, {}
        if isinstance(found, Symlink):
            return 200, {"type": "symlink", "target": found.target, "path": path}, {}
        encoded = base64.encodebytes(found).decode("ascii")  # GitHub wraps the base64 in lines, too
        return 200, {"type": "file", "encoding": "base64", "size": len(found), "path": path, "content": encoded}, {}

    def _page(self, request: Request, items: list[dict[str, Any]]) -> tuple[int, Any, dict[str, str]]:
        per_page = min(int(request.query.get("per_page", "30")), self.max_per_page)
        page = int(request.query.get("page", "1"))
        last = max(1, -(-len(items) // per_page))
        links = []
        relations = {"prev": page - 1 if page > 1 else None, "next": page + 1 if page < last else None,
                     "last": last if page < last else None, "first": 1 if page > 1 else None}
        for relation, number in relations.items():
            if number is not None:
                links.append(f'<{self.url}{request.path}?per_page={per_page}&page={number}>; rel="{relation}"')
        headers = {"Link": ", ".join(links)} if links else {}
        return 200, [dict(item) for item in items[(page - 1) * per_page: page * per_page]], headers


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeGitHub/1"

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PATCH = do_DELETE = do_GET

    def _handle(self) -> None:
        fake: FakeGitHub = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        request = Request(
            method=self.command, path=parts.path,
            query={name: values[-1] for name, values in parse_qs(parts.query).items()},
            headers={name.lower(): value for name, value in self.headers.items()},
            body=json.loads(raw) if raw else None,
        )
        with fake._lock:
            status, body, headers = fake._answer(request)
        barrier = fake.list_barrier
        if barrier is not None and request.method == "GET" and COMMENTS.fullmatch(request.path) and status == 200:
            barrier.wait(timeout=10)
        raw_answer = isinstance(body, bytes)  # scripted non-JSON, such as a proxy's HTML page
        payload = body if raw_answer else b"" if body is None else json.dumps(body).encode("utf-8")
        self.send_response(status)
        if payload:
            self.send_header("Content-Type", "text/html" if raw_answer else "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read ``FakeGitHub.requests`` instead."""
