"""A local Hugging Face Hub REST API for tests: what huggingface_hub calls, with in-memory state.

A real HTTP server on 127.0.0.1 rather than a mocked session, because what can go wrong is HTTP
itself: status codes, the ``X-Error-Code`` headers the client turns into exceptions, ``Link``
pagination, retries, timeouts. It answers the way the Hub does (as read in huggingface_hub 2.4's
``hf_api.py``, ``repocard.py``, ``_commit_api.py`` and ``utils/_http.py``) for:

- ``GET /api/models/{repo_id}`` (and ``.../revision/{rev}``): the model's info, built from
  ``models[repo_id]`` (``id``, ``modelId``, ``author``, ``sha``, ``private``, ``gated``, ``disabled``,
  ``downloads``, ``likes``, ``tags``, ``pipeline_tag``, ``library_name``, ``createdAt``,
  ``lastModified``, ``siblings`` from the uploaded files, and any extra field such as ``cardData``,
  ``config`` or ``safetensors``), found whatever the case it is asked in and answering with its
  own spelling in ``id``. A missing repo, or a private one the caller may not see, answers
  ``X-Error-Code: RepoNotFound`` (401 anonymous, 404 with a token), as the Hub does. A gated repo's
  info is public, as on the Hub: ``gated`` is ``"auto"`` or ``"manual"``.
- ``GET /api/datasets/{repo_id}`` (and ``.../revision/{rev}``): the same from ``datasets``.
- ``GET /api/models?author=&search=&limit=&expand=``: with ``expand``, entries of ``_id``, ``id``
  and the fields asked for (``config``, ``cardData``, ``safetensors``, ``siblings``, ...) that
  ``models[repo_id]`` holds; without it, a JSON list of short entries (``_id``, ``id``,
  ``modelId``, ``private``, ``downloads``, ``likes``, ``tags``, ``pipeline_tag``, ``library_name``,
  ``createdAt``); ``author`` matches the namespace case-insensitively, ``search`` is a
  case-insensitive substring of the id. Pages hold ``min(limit, max_per_page)`` entries and link
  the next one with ``Link: <absolute url with cursor=...>; rel="next"``.
- ``HEAD``/``GET /{repo_id}/resolve/{revision}/{path}``: a file of ``uploads[repo_id]``; 404
  ``X-Error-Code: EntryNotFound`` for a missing file; a gated repo refuses every caller with
  ``X-Error-Code: GatedRepo`` (401 anonymous, 403 with a token: not on the authorized list).
- ``GET /api/agent-harnesses``: an empty registry. huggingface_hub 2.4 fetches it (with
  ``constants.ENDPOINT``, 3 s timeout, once a process, cached a day in
  ``constants.AGENT_HARNESSES_PATH``) the first time it builds request headers; scripted answers
  never go to it, so a test's script is not eaten by whichever test runs first.
- ``POST /api/validate-yaml`` (``{"content": README text, "repoType": ...}``): 200
  ``{"errors": [], "warnings": []}``, or 400 ``{"error": ..., "errors": [{"message": ...}]}``
  (``text/plain``, the messages one a line, when the client sends ``Accept: text/plain`` as
  ``ModelCard.validate`` does). ``validate`` is the rule: ``card_yaml_dict -> message | None``;
  the default refuses a ``license`` outside ``LICENSES`` and a ``pipeline_tag`` that is not a string.
- ``POST /api/repos/create`` (``{"name", "organization", "type", "visibility"}``): 200 ``{"url"}``,
  or 409 ``{"error": "You already created this model repo", "url": ...}`` (``create_repo`` reads the
  ``url`` even then, with ``exist_ok=True``). Needs the token.
- ``POST /api/{models|datasets}/{repo_id}/preupload/{revision}``: ``uploadMode: "regular"`` and
  ``shouldIgnore: false`` for each file. Needs the token.
- ``POST /api/{models|datasets}/{repo_id}/commit/{revision}``: the NDJSON commit; each base64
  ``file`` line lands in ``uploads[repo_id][path]``; answers ``{"commitUrl", "commitOid", ...}``.

``token``: a request with ``Authorization: Bearer <token>`` sees private repos and may write; any
other bearer token gets 401 ``X-Error-Message: Invalid credentials in Authorization header``.
``script()`` and ``fail()`` queue answers that come before the normal ones (a 503, a 429 with
``Retry-After``...); ``delay`` holds every answer that many seconds (to provoke client timeouts).
Every request is in ``requests``, headers included.

Pointing huggingface_hub at it: pass ``endpoint=hub.url`` to ``HfApi`` (every ``HfApi`` call and
``upload_folder`` use ``api.endpoint``), and monkeypatch ``huggingface_hub.constants.ENDPOINT``
for module-level helpers that read it at call time (``ModelCard.validate``), together with
``constants.HUGGINGFACE_CO_URL_TEMPLATE``: ``hf_hub_url`` swaps the endpoint into that template
only where it starts with ``constants.ENDPOINT``, so patching one without the other sends
downloads to huggingface.co. Setting
``HF_ENDPOINT`` alone does nothing once huggingface_hub is imported: ``constants.ENDPOINT`` is
read at import. Point ``constants.AGENT_HARNESSES_PATH`` at a temporary file, so the client neither
reads nor writes the user's cached registry. Pass ``token=False`` (or a token) explicitly so that no locally saved token is sent::

    with FakeHub() as hub:
        monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", hub.url)
        monkeypatch.setattr(huggingface_hub.constants, "HUGGINGFACE_CO_URL_TEMPLATE",
                            hub.url + "/{repo_id}/resolve/{revision}/{filename}")
        monkeypatch.setattr(huggingface_hub.constants, "AGENT_HARNESSES_PATH", str(tmp_path / "harnesses.json"))
        api = HfApi(endpoint=hub.url, token=False)
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import yaml

TOKEN = "hf_t0ken0that0must0never0be0shown0anywhere"
STAMP = "2025-01-01T00:00:00.000Z"
LICENSES = frozenset({
    "apache-2.0", "mit", "openrail", "openrail++", "bigscience-openrail-m", "creativeml-openrail-m",
    "cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc0-1.0", "bsd-3-clause",
    "gpl-3.0", "lgpl-3.0", "agpl-3.0", "llama2", "llama3", "llama3.1", "gemma", "other", "unknown",
})
HARNESSES = "/api/agent-harnesses"
NOT_FOUND = "Repository not found"
BAD_TOKEN = "Invalid credentials in Authorization header"

REPO = r"(?P<repo>[^/]+/[^/]+)"
INFO = re.compile(rf"/api/(?P<kind>models|datasets)/{REPO}(?:/revision/[^/]+)?")
WRITE = re.compile(rf"/api/(?P<kind>models|datasets)/{REPO}/(?P<action>preupload|commit)/[^/]+")
RESOLVE = re.compile(rf"/{REPO}/resolve/[^/]+/(?P<path>.+)")
YAML_BLOCK = re.compile(r"\A\s*---\n(?P<yaml>.*?)\n---", re.DOTALL)

Answer = tuple[int, Any, dict[str, str]]


@dataclass(frozen=True)
class Request:
    """One request as the server received it (``headers`` with lower-case names, ``body`` raw bytes)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    expand: tuple[str, ...] = ()
    """The ``expand`` parameters of a listing, in order (the query keeps only the last)."""
    received: float = field(default_factory=time.monotonic)
    """When it arrived (``time.monotonic``): how long a client waited between two tries."""

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Scripted:
    """An answer given instead of the normal one, ``times`` times (None: for ever)."""

    status: int
    body: Any
    headers: dict[str, str]
    times: int | None
    when: Callable[[Request], bool] | None = None
    """Only the requests this accepts get the answer (None: any)."""


def default_validate(card: dict[str, Any]) -> str | None:
    """The Hub's refusals that matter here: an unknown ``license``, a ``pipeline_tag`` that is not a string."""
    license_id = card.get("license")
    if license_id is not None and license_id not in LICENSES:
        return f'"license" must be one of [{", ".join(sorted(LICENSES))}]'
    if "pipeline_tag" in card and not isinstance(card["pipeline_tag"], str):
        return '"pipeline_tag" must be a string'
    return None


def _error(status: int, message: str, code: str | None = None) -> Answer:
    """A Hub error: ``{"error": message}`` with ``X-Error-Message`` (and ``X-Error-Code`` when given)."""
    headers = {"X-Error-Message": message}
    if code is not None:
        headers["X-Error-Code"] = code
    return status, {"error": message}, headers


class FakeHub:
    def __init__(self, token: str = TOKEN, max_per_page: int = 1000) -> None:
        self.token = token
        self.max_per_page = max_per_page
        self.delay = 0.0
        self.validate: Callable[[dict[str, Any]], str | None] = default_validate
        self.models: dict[str, dict[str, Any]] = {}
        self.datasets: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, dict[str, bytes]] = {}
        self.requests: list[Request] = []
        self.in_flight = 0
        self.most_in_flight = 0
        """The most requests the server was answering at one time: how concurrent a client was."""
        self._scripted: list[Scripted] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        # shutdown() waits out one poll interval: the default half second would be most of a test's time
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeHub:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def add_models(self, namespace: str, names: Iterable[str], **fields: Any) -> None:
        """Many public models at once: ``{namespace}/{name}`` for each name, each with ``fields``."""
        with self._lock:
            for name in names:
                self.models[f"{namespace}/{name}"] = dict(fields)

    def script(self, status: int, body: Any = None, headers: dict[str, str] | None = None,
               times: int | None = 1, when: Callable[[Request], bool] | None = None) -> None:
        """Answer the next ``times`` requests with this (bytes: sent as they are), in queue order;
        with ``when``, the next ``times`` requests it accepts (``lambda request: "cursor" in
        request.query``: a listing's second page)."""
        with self._lock:
            self._scripted.append(Scripted(status, body, headers or {}, times, when))

    def fail(self, status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None,
             times: int | None = 1, when: Callable[[Request], bool] | None = None) -> None:
        """A Hub error answer: ``{"error": message}``, ``X-Error-Message`` and, when given, ``X-Error-Code``."""
        _, body, error_headers = _error(status, message, code)
        self.script(status, body, {**error_headers, **(headers or {})}, times, when)

    def calls(self, method: str | None = None, path: str | None = None) -> list[Request]:
        """The requests received, of ``method`` and whose path starts with ``path`` when given."""
        with self._lock:
            return [request for request in self.requests
                    if method in (None, request.method) and (path is None or request.path.startswith(path))]

    def _answer(self, request: Request) -> Answer:
        """The status, body and headers for one request (under the lock)."""
        self.requests.append(request)
        scripted = next((scripted for scripted in self._scripted
                         if request.path != HARNESSES and (scripted.when is None or scripted.when(request))), None)
        if scripted is not None:
            if scripted.times is not None:
                scripted.times -= 1
                if scripted.times == 0:
                    self._scripted.remove(scripted)
            return scripted.status, scripted.body, scripted.headers
        authorization = request.headers.get("authorization")
        if authorization is not None and authorization != f"Bearer {self.token}":
            return _error(401, BAD_TOKEN)
        authenticated = authorization is not None
        if request.path == HARNESSES:
            return 200, {"standardEnvVars": [], "harnesses": {}}, {}
        if request.method == "GET" and request.path == "/api/models":
            return self._list_models(request)
        if request.method == "POST" and request.path == "/api/validate-yaml":
            return self._validate_yaml(request)
        if request.method == "POST" and request.path == "/api/repos/create":
            return self._create_repo(request, authenticated)
        if request.method == "POST" and (match := WRITE.fullmatch(request.path)):
            return self._write(request, match, authenticated)
        if request.method == "GET" and (match := INFO.fullmatch(request.path)):
            return self._info(match["kind"], match["repo"], authenticated)
        if request.method in ("GET", "HEAD") and (match := RESOLVE.fullmatch(request.path)):
            return self._resolve(match["repo"], match["path"], authenticated)
        return _error(404, "Sorry, we can't find the page you are looking for.")

    def _repos(self, kind: str) -> dict[str, dict[str, Any]]:
        return self.models if kind == "models" else self.datasets

    def _visible(self, kind: str, repo_id: str, authenticated: bool) -> dict[str, Any] | None:
        """The repo's fields, or None when it is missing or private to an anonymous caller."""
        fields = self._repos(kind).get(repo_id)
        if fields is None or (fields.get("private") and not authenticated):
            return None
        return fields

    def _spelled(self, kind: str, repo_id: str) -> str:
        """The repo id as the repo spells it: the Hub finds a repository whatever the case it is
        asked in, and answers with its own spelling in ``id``."""
        repos = self._repos(kind)
        if repo_id in repos:
            return repo_id
        return next((known for known in repos if known.lower() == repo_id.lower()), repo_id)

    def _not_found(self, authenticated: bool) -> Answer:
        """The Hub's answer for a repo the caller cannot see: 404 with a token, 401 without."""
        return _error(404 if authenticated else 401, NOT_FOUND, "RepoNotFound")

    def _info(self, kind: str, repo_id: str, authenticated: bool) -> Answer:
        repo_id = self._spelled(kind, repo_id)
        fields = self._visible(kind, repo_id, authenticated)
        if fields is None:
            return self._not_found(authenticated)
        sha = hashlib.sha1(repo_id.encode()).hexdigest()
        files = self.uploads.get(repo_id, {})
        info: dict[str, Any] = {
            "_id": sha[:24], "id": repo_id, "author": repo_id.split("/")[0], "sha": sha,
            "private": False, "gated": False, "disabled": False, "downloads": 0, "likes": 0, "tags": [],
            "createdAt": STAMP, "lastModified": STAMP,
            "siblings": [{"rfilename": path} for path in sorted(files)],
        }
        if kind == "models":
            info["modelId"] = repo_id
        return 200, {**info, **fields}, {}

    def _list_models(self, request: Request) -> Answer:
        author = request.query.get("author", "").lower()
        search = request.query.get("search", "").lower()
        ids = [repo_id for repo_id, fields in self.models.items()
               if not fields.get("private") and (not author or repo_id.split("/")[0].lower() == author)
               and search in repo_id.lower()]
        size = min(int(request.query.get("limit") or self.max_per_page), self.max_per_page)
        start = int(request.query.get("cursor") or 0)
        page = [self._expanded(repo_id, request.expand) if request.expand else self._entry(repo_id)
                for repo_id in ids[start:start + size]]
        headers = {}
        if start + size < len(ids):
            query = [*((name, value) for name, value in request.query.items() if name not in ("expand", "cursor")),
                     *(("expand", name) for name in request.expand), ("cursor", str(start + size))]
            headers["Link"] = f'<{self.url}{request.path}?{urlencode(query)}>; rel="next"'
        return 200, page, headers

    def _entry(self, repo_id: str) -> dict[str, Any]:
        """A listing entry: the short shape ``/api/models`` gives without ``full`` or ``expand``."""
        fields = self.models[repo_id]
        entry = {"_id": hashlib.sha1(repo_id.encode()).hexdigest()[:24], "id": repo_id, "modelId": repo_id,
                 "private": False, "downloads": 0, "likes": 0, "tags": [], "createdAt": STAMP}
        for name in ("private", "downloads", "likes", "tags", "pipeline_tag", "library_name", "createdAt"):
            if name in fields:
                entry[name] = fields[name]
        return entry

    def _expanded(self, repo_id: str, expand: tuple[str, ...]) -> dict[str, Any]:
        """A listing entry with ``expand``: ``_id``, ``id`` and the fields asked for that the model
        has (``config``, ``cardData``, ``safetensors``, ``siblings``, ``downloads``, ...), as the Hub
        answers ``list_models(expand=[...])``."""
        fields = self.models[repo_id]
        entry: dict[str, Any] = {"_id": hashlib.sha1(repo_id.encode()).hexdigest()[:24], "id": repo_id}
        defaults = {"downloads": 0, "likes": 0, "tags": [], "private": False, "lastModified": STAMP,
                    "siblings": [{"rfilename": path} for path in sorted(self.uploads.get(repo_id, {}))]}
        for name in expand:
            if name in fields:
                entry[name] = fields[name]
            elif name in defaults:
                entry[name] = defaults[name]
        return entry

    def _validate_yaml(self, request: Request) -> Answer:
        content = request.json()["content"]
        block = YAML_BLOCK.match(content)
        card = yaml.safe_load(block["yaml"]) if block else None
        message = self.validate(card if isinstance(card, dict) else {})
        if request.headers.get("accept") == "text/plain":
            return (200, b"", {}) if message is None else (400, message.encode(), {"Content-Type": "text/plain"})
        if message is None:
            return 200, {"errors": [], "warnings": []}, {}
        return 400, {"error": message, "errors": [{"message": message}], "warnings": []}, {}

    def _create_repo(self, request: Request, authenticated: bool) -> Answer:
        if not authenticated:
            return _error(401, "You must be authenticated to access this resource")
        payload = request.json()
        kind = "datasets" if payload.get("type") == "dataset" else "models"
        repo_id = f"{payload.get('organization') or 'user'}/{payload['name']}"
        url = f"{self.url}/{'datasets/' if kind == 'datasets' else ''}{repo_id}"
        repos = self._repos(kind)
        if repo_id in repos:
            return 409, {"error": f"You already created this {kind[:-1]} repo", "url": url}, {}
        repos[repo_id] = {"private": payload.get("visibility") == "private"}
        return 200, {"url": url, "name": repo_id, "id": hashlib.sha1(repo_id.encode()).hexdigest()[:24]}, {}

    def _write(self, request: Request, match: re.Match[str], authenticated: bool) -> Answer:
        repo_id = match["repo"]
        if not authenticated or self._visible(match["kind"], repo_id, authenticated) is None:
            return self._not_found(authenticated)
        if match["action"] == "preupload":
            files = request.json()["files"]
            return 200, {"files": [{"path": file["path"], "uploadMode": "regular", "shouldIgnore": False}
                                   for file in files]}, {}
        stored = self.uploads.setdefault(repo_id, {})
        for line in request.body.splitlines():
            item = json.loads(line)
            if item["key"] == "file":
                stored[item["value"]["path"]] = base64.b64decode(item["value"]["content"])
        oid = hashlib.sha1(request.body).hexdigest()
        return 200, {"commitUrl": f"{self.url}/{repo_id}/commit/{oid}", "commitOid": oid,
                     "pullRequestUrl": None, "success": True}, {}

    def _resolve(self, repo_id: str, path: str, authenticated: bool) -> Answer:
        fields = self._visible("models", repo_id, authenticated)
        if fields is None:
            return self._not_found(authenticated)
        if fields.get("gated"):
            return _error(403 if authenticated else 401,
                          f"Access to model {repo_id} is restricted and you are not in the authorized list. "
                          f"Visit {self.url}/{repo_id} to ask for access.", "GatedRepo")
        content = self.uploads.get(repo_id, {}).get(path)
        if content is None:
            return _error(404, "Entry not found", "EntryNotFound")
        etag = hashlib.sha1(content).hexdigest()
        return 200, content, {"ETag": f'"{etag}"', "X-Repo-Commit": hashlib.sha1(repo_id.encode()).hexdigest(),
                              "Content-Type": "application/octet-stream"}


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeHub/1"
    protocol_version = "HTTP/1.1"  # keep-alive, as the Hub: httpx reuses its connections

    def do_GET(self) -> None:
        self._handle()

    do_HEAD = do_POST = do_GET

    def _handle(self) -> None:
        fake: FakeHub = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command, path=parts.path,
            query={name: values[-1] for name, values in parse_qs(parts.query).items()},
            headers={name.lower(): value for name, value in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
            expand=tuple(parse_qs(parts.query).get("expand", ())),
        )
        with fake._lock:
            status, body, headers = fake._answer(request)
            fake.in_flight += 1
            fake.most_in_flight = max(fake.most_in_flight, fake.in_flight)
        try:
            if fake.delay:
                time.sleep(fake.delay)
            self._send(status, body, headers)
        finally:
            with fake._lock:
                fake.in_flight -= 1

    def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
        raw = isinstance(body, bytes)  # scripted non-JSON, a text/plain validation error, a file
        payload = body if raw else b"" if body is None else json.dumps(body).encode("utf-8")
        self.send_response(status)
        if payload and "Content-Type" not in headers:
            self.send_header("Content-Type", "text/html" if raw else "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            try:
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (``delay``): what a timeout test provokes

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read ``FakeHub.requests`` instead."""
