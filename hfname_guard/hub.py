"""Facts from the Hub, through huggingface_hub: everything hfname-guard asks the Hub.

Imported only when a run is online (``check --online``, the policy's ``hub: {online: true}``),
so the offline hook never pays for huggingface_hub. huggingface_hub is the client for every
call, so what users set for it holds here: ``HF_ENDPOINT``, ``HF_TOKEN`` or the stored login,
``HF_HUB_OFFLINE=1``. Each request times out after ``HF_HUB_ETAG_TIMEOUT`` seconds
(huggingface_hub's timeout for metadata requests, 10 by default): the lookups pass it, and the
command line gives huggingface_hub's shared client the same default (``use_timeouts``), which
listings and card validation use.

Every answer is cached for the run: a namespace is listed once (``list_models(author=...)``),
however many of its models are checked, and a base model or dataset that many cards name is
looked up once. A rate limit (429) is retried after the ``Retry-After`` the Hub sends (at most
``MAX_WAIT`` seconds), a 5xx after a short pause; listings are retried by huggingface_hub itself
(``http_backoff``: 429 and 5xx, ``Retry-After`` honoured), so not again here. When the Hub still
does not answer, or is offline, the session says so with ``HubUnreachable`` and stays down for
the rest of the run, so a thousand models do not each wait for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from huggingface_hub import HfApi, ModelCard, constants
from huggingface_hub.errors import (
    GatedRepoError,
    HfHubHTTPError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
)

from .errors import HubUnreachable
from .hub_names import NamespaceIndex

ATTEMPTS = 3
MAX_WAIT = 10.0
"""The longest a rate limit's ``Retry-After`` is waited for, in seconds, before giving up."""
SERVER_ERROR_PAUSE = 0.5
SEARCH_LIMIT = 20

FOUND, MISSING, GATED, PRIVATE = "found", "missing", "gated", "private"
"""What the Hub says of a repository: it exists (public), does not exist (or is private and
the token cannot see it: the Hub answers both alike), or exists but is gated or private."""

_T = TypeVar("_T")


def use_timeouts() -> None:
    """Give huggingface_hub's shared HTTP client a timeout (it has none by default): for the
    command line, which owns its process. The Python API leaves the caller's client alone."""
    from huggingface_hub import set_client_factory
    from huggingface_hub.utils._http import default_client_factory

    def client_with_timeout() -> Any:  # huggingface_hub's httpx2.Client
        client = default_client_factory()
        client.timeout = constants.HF_HUB_ETAG_TIMEOUT
        return client

    set_client_factory(client_with_timeout)


class HubSession:
    """One run's view of the Hub. ``requests`` counts what was asked, for the benchmark."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self._api = HfApi()
        self._sleep = sleep
        self._namespaces: dict[str, Future[NamespaceIndex]] = {}
        self._statuses: dict[tuple[str, str], Future[tuple[str, str | None]]] = {}
        self._card_verdicts: dict[str, Future[str | None]] = {}
        self._lock = threading.Lock()  # an audit judges several models at once (``check(workers=...)``)
        self.down: str | None = None
        self.requests = 0

    @property
    def endpoint(self) -> str:
        return str(self._api.endpoint)

    def namespace(self, namespace: str) -> NamespaceIndex:
        """Every model repository of ``namespace``, listed once per run."""
        return self._once(self._namespaces, namespace, lambda: NamespaceIndex(self._ask(
            lambda: [model.id for model in self._api.list_models(author=namespace)],
            f"listing the models of `{namespace}`", attempts=1)))

    def model(self, repo_id: str) -> str:
        """FOUND, MISSING, GATED or PRIVATE for a model repository."""
        return self._status("model", repo_id)[0]

    def model_spelling(self, repo_id: str) -> str | None:
        """The model's id as the Hub spells it (the Hub finds ``Meta-Llama/llama-3.1-8b`` as
        ``meta-llama/Llama-3.1-8B``); None when the Hub did not say."""
        return self._status("model", repo_id)[1]

    def dataset(self, repo_id: str) -> str:
        """FOUND, MISSING, GATED or PRIVATE for a dataset repository."""
        return self._status("dataset", repo_id)[0]

    def models_like(self, text: str) -> list[str]:
        """Model ids the Hub's search finds for ``text`` (for a did-you-mean)."""
        return self._ask(lambda: [model.id for model in self._api.list_models(search=text, limit=SEARCH_LIMIT)],
                         f"searching the Hub for `{text}`", attempts=1)

    def card_error(self, card_text: str) -> str | None:
        """The Hub's own verdict on a model card (its validate-yaml endpoint, through
        ``ModelCard.validate``): None when it accepts the card, else its message."""
        return self._once(self._card_verdicts, card_text,
                          lambda: self._ask(lambda: _refusal(card_text), "validating the card"))

    def _status(self, repo_type: str, repo_id: str) -> tuple[str, str | None]:
        info = self._api.model_info if repo_type == "model" else self._api.dataset_info

        def lookup() -> tuple[str, str | None]:
            try:
                found = info(repo_id, timeout=constants.HF_HUB_ETAG_TIMEOUT)
            except GatedRepoError:
                return GATED, None
            except RepositoryNotFoundError:
                return MISSING, None
            spelling = found.id if isinstance(found.id, str) else None
            return (PRIVATE if found.private else GATED if found.gated else FOUND), spelling

        return self._once(self._statuses, (repo_type, repo_id),
                          lambda: self._ask(lookup, f"looking up the {repo_type} `{repo_id}`"))

    def _once(self, answers: dict[Any, Future[_T]], key: Any, ask: Callable[[], _T]) -> _T:
        """The answer for ``key``, asked once per run: a thread that wants it while another is
        asking waits for that answer (or that error) instead of asking again."""
        with self._lock:
            answer = answers.get(key)
            asking = answer is None
            if answer is None:
                answer = answers[key] = Future()
        if asking:
            try:
                answer.set_result(ask())
            except BaseException as error:
                answer.set_exception(error)
        return answer.result()

    def _ask(self, call: Callable[[], _T], what: str, attempts: int = ATTEMPTS) -> _T:
        """``call``'s answer, tried up to ``attempts`` times on a rate limit or a server error;
        ``HubUnreachable`` when the Hub cannot answer (and from then on, at once)."""
        if self.down is not None:
            raise HubUnreachable(self.down)
        for attempt in range(1, attempts + 1):
            with self._lock:
                self.requests += 1
            try:
                return call()
            except OfflineModeIsEnabled:
                self.down = "HF_HUB_OFFLINE is set, so huggingface_hub makes no request"
            except HfHubHTTPError as error:
                status = error.response.status_code if error.response is not None else None
                if status == 429 or (status is not None and status >= 500):
                    wait = _retry_after(error) if status == 429 else SERVER_ERROR_PAUSE * attempt
                    if attempt < attempts and wait <= MAX_WAIT:
                        self._sleep(wait)
                        continue
                    self.down = (f"{self.endpoint} answered {status} "
                                 f"{'(rate limited)' if status == 429 else '(a server error)'} while {what}")
                elif status in (401, 403):
                    self.down = (f"{self.endpoint} refused the request ({status}) while {what}: "
                                 "check the token (HF_TOKEN or `hf auth login`)")
                else:
                    raise
            except Exception as error:
                if not unreachable(error):
                    raise
                self.down = f"{self.endpoint} could not be reached while {what}: {_reason(error)}"
            break
        assert self.down is not None
        raise HubUnreachable(self.down)


def unreachable(error: Exception) -> bool:
    """Whether ``error`` says the Hub could not be reached: a socket's error, or a connection or
    timeout error of huggingface_hub's HTTP client (httpx's, which are no ``OSError``)."""
    return isinstance(error, OSError) or type(error).__module__.split(".")[0] in ("httpx", "httpx2", "httpcore")


def _refusal(card_text: str) -> str | None:
    try:
        ModelCard(card_text, ignore_metadata_errors=True).validate(repo_type="model")
    except ValueError as error:
        return str(error).strip() or "the Hub refuses the card's metadata"
    return None


def _retry_after(error: HfHubHTTPError) -> float:
    """The seconds the Hub asks to wait (``Retry-After``), 1 when it does not say."""
    value = error.response.headers.get("Retry-After", "") if error.response is not None else ""
    try:
        return max(float(value), 0.0)
    except ValueError:
        return 1.0


def _reason(error: Exception) -> str:
    name = type(error).__name__
    if "Timeout" in name:
        return f"no answer within {constants.HF_HUB_ETAG_TIMEOUT} seconds (HF_HUB_ETAG_TIMEOUT)"
    return str(error) or name
