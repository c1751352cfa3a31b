"""The local Hub answers the real huggingface_hub client the way the Hub does.

Every case goes through huggingface_hub itself, pointed at ``FakeHub`` by ``HfApi(endpoint=...)``
and a monkeypatched ``constants.ENDPOINT``; each checks the server saw the calls, so nothing
fell back to huggingface.co.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from hub_server import TOKEN, FakeHub
from huggingface_hub import HfApi, ModelCard, constants
from huggingface_hub.errors import (
    GatedRepoError,
    HfHubHTTPError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
)


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeHub]:
    """A running FakeHub that huggingface_hub's module-level helpers talk to, telemetry and saved tokens off."""
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)  # other test modules turn it on before importing it
    monkeypatch.delenv("HF_TOKEN", raising=False)
    with FakeHub() as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        monkeypatch.setattr(constants, "ENDPOINT", server.url)
        monkeypatch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE",
                            server.url + "/{repo_id}/resolve/{revision}/{filename}")
        monkeypatch.setattr(constants, "AGENT_HARNESSES_PATH", str(tmp_path / "agent_harnesses.json"))
        yield server


def anonymous(hub: FakeHub) -> HfApi:
    return HfApi(endpoint=hub.url, token=False)


def signed_in(hub: FakeHub) -> HfApi:
    return HfApi(endpoint=hub.url, token=TOKEN)


def test_model_info_of_an_existing_model(hub: FakeHub) -> None:
    hub.models["acme/llama-7b"] = {"pipeline_tag": "text-generation", "library_name": "transformers",
                                   "config": {"model_type": "llama"}, "tags": ["llama"]}
    info = anonymous(hub).model_info("acme/llama-7b")
    assert (info.id, info.author, info.pipeline_tag, info.library_name) == (
        "acme/llama-7b", "acme", "text-generation", "transformers")
    assert info.config == {"model_type": "llama"} and info.private is False and info.siblings == []
    assert [request.path for request in hub.calls("GET", "/api/models")] == ["/api/models/acme/llama-7b"]


def test_a_missing_model_is_repository_not_found(hub: FakeHub) -> None:
    with pytest.raises(RepositoryNotFoundError) as raised:
        anonymous(hub).model_info("acme/nothing")
    assert raised.value.response.status_code == 401
    assert raised.value.server_message == "Repository not found"


def test_a_private_model_needs_the_token(hub: FakeHub) -> None:
    hub.models["acme/secret"] = {"private": True}
    with pytest.raises(RepositoryNotFoundError):
        anonymous(hub).model_info("acme/secret")
    assert signed_in(hub).model_info("acme/secret").private is True
    assert hub.calls()[-1].headers["authorization"] == f"Bearer {TOKEN}"
    assert "authorization" not in hub.calls(path="/api/models/")[0].headers


def test_a_wrong_token_is_not_a_missing_repo(hub: FakeHub) -> None:
    with pytest.raises(HfHubHTTPError) as raised:
        HfApi(endpoint=hub.url, token="hf_wrong").model_info("acme/anything")
    assert not isinstance(raised.value, RepositoryNotFoundError)
    assert raised.value.response.status_code == 401


def test_a_gated_model_has_public_info_but_refuses_its_files(hub: FakeHub, tmp_path: Path) -> None:
    hub.models["acme/gated"] = {"gated": "manual"}
    assert anonymous(hub).model_info("acme/gated").gated == "manual"
    with pytest.raises(GatedRepoError):
        anonymous(hub).hf_hub_download("acme/gated", "config.json", cache_dir=tmp_path)
    assert hub.calls("HEAD")[0].path == "/acme/gated/resolve/main/config.json"


def test_a_missing_file_is_entry_not_found(hub: FakeHub, tmp_path: Path) -> None:
    hub.models["acme/open"] = {}
    with pytest.raises(RemoteEntryNotFoundError):
        anonymous(hub).hf_hub_download("acme/open", "config.json", cache_dir=tmp_path)


def test_list_models_follows_every_page(hub: FakeHub) -> None:
    hub.max_per_page = 100
    hub.add_models("acme", (f"model-{number:04d}" for number in range(2500)))
    hub.add_models("other", ["acme-lookalike"])
    ids = [model.id for model in anonymous(hub).list_models(author="ACME")]
    assert len(ids) == 2500 and len(set(ids)) == 2500 and all(repo_id.startswith("acme/") for repo_id in ids)
    assert len(hub.calls("GET", "/api/models")) == 25


def test_list_models_honours_search_and_limit(hub: FakeHub) -> None:
    hub.add_models("acme", ["bert-base", "bert-large", "gpt-small"])
    api = anonymous(hub)
    assert [model.id for model in api.list_models(author="acme", search="BERT")] == ["acme/bert-base",
                                                                                    "acme/bert-large"]
    assert len(list(api.list_models(author="acme", limit=2))) == 2
    assert hub.calls()[-1].query == {"author": "acme", "limit": "2"}


def test_a_rate_limit_is_retried_after_retry_after(hub: FakeHub) -> None:
    hub.add_models("acme", ["one"])
    hub.fail(429, "You have exceeded our hourly quotas", headers={"Retry-After": "0"})
    assert [model.id for model in anonymous(hub).list_models(author="acme")] == ["acme/one"]
    assert len(hub.calls("GET", "/api/models")) == 2


def test_dataset_info(hub: FakeHub) -> None:
    hub.datasets["acme/corpus"] = {"tags": ["language:en"]}
    api = anonymous(hub)
    assert api.dataset_info("acme/corpus").tags == ["language:en"]
    with pytest.raises(RepositoryNotFoundError):
        api.dataset_info("acme/missing")
    assert [request.path for request in hub.calls(path="/api/datasets")] == ["/api/datasets/acme/corpus",
                                                                             "/api/datasets/acme/missing"]


def test_model_card_validation(hub: FakeHub) -> None:
    ModelCard("---\nlicense: mit\npipeline_tag: text-generation\n---\n# Card\n").validate()
    with pytest.raises(ValueError, match='"license" must be one of'):
        ModelCard("---\nlicense: not-a-license\n---\n# Card\n").validate()
    with pytest.raises(ValueError, match='"pipeline_tag" must be a string'):
        ModelCard("---\npipeline_tag: [a, b]\n---\n# Card\n").validate()
    assert [request.json()["repoType"] for request in hub.calls("POST", "/api/validate-yaml")] == ["model"] * 3


def test_create_repo_then_upload_folder(hub: FakeHub, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("---\nlicense: mit\n---\n# Model\n", encoding="utf-8")
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bert"}), encoding="utf-8")
    api = signed_in(hub)
    url = api.create_repo("acme/new-model")
    assert url.repo_id == "acme/new-model"
    assert api.create_repo("acme/new-model", exist_ok=True).repo_id == "acme/new-model"
    api.upload_folder(repo_id="acme/new-model", folder_path=tmp_path)
    assert hub.uploads["acme/new-model"] == {"README.md": (tmp_path / "README.md").read_bytes(),
                                             "config.json": (tmp_path / "config.json").read_bytes()}
    paths = [request.path for request in hub.calls("POST")]
    assert "/api/models/acme/new-model/preupload/main" in paths and paths[-1] == "/api/models/acme/new-model/commit/main"
    assert all(request.headers["authorization"] == f"Bearer {TOKEN}" for request in hub.calls(path="/api/"))


def test_a_scripted_503_surfaces_without_retry(hub: FakeHub) -> None:
    hub.models["acme/model"] = {}
    hub.fail(503, "Service Unavailable")
    with pytest.raises(HfHubHTTPError) as raised:
        anonymous(hub).model_info("acme/model")
    assert raised.value.response.status_code == 503
    assert len(hub.calls(path="/api/models")) == 1


def test_a_slow_answer_times_out_only_when_the_caller_sets_a_timeout(hub: FakeHub) -> None:
    hub.models["acme/model"] = {}
    hub.delay = 0.5
    with pytest.raises(httpx2.ReadTimeout):
        anonymous(hub).model_info("acme/model", timeout=0.1)
