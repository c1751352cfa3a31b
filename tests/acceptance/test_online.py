"""The Hub-aware gate: `check --online` through the real huggingface_hub, against a local Hub.

Each run is the command line in a fresh process (``HF_ENDPOINT`` is read when huggingface_hub is
imported), pointed at ``FakeHub`` on 127.0.0.1: nothing reaches the internet, and every case
looks at what the server saw as well as at what the command printed.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from guards import hfname_guard
from hub_server import TOKEN, FakeHub

CARD = "license: mit\npipeline_tag: text-generation\n"


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    with FakeHub() as server:
        server.add_models("acme", ["llama-7b-chat", "llama-7b-chat-v1", "mistral-7b-instruct"])
        server.add_models("meta-llama", ["Llama-3.1-8B", "Llama-3.1-70B"])
        server.datasets["HuggingFaceH4/ultrachat_200k"] = {}
        yield server


def model(tmp_path: Path, name: str, card: str = CARD) -> Path:
    folder = tmp_path / "models" / name
    folder.mkdir(parents=True)
    (folder / "README.md").write_text(f"---\n{card}---\n# {name}\n", encoding="utf-8")
    return folder


def online(hub: FakeHub, tmp_path: Path, *args: str, token: str | None = None,
           env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``hfname-guard ARGS`` against the local Hub, with its own huggingface_hub home and no
    saved token; ``token`` as HF_TOKEN."""
    environment = {"HF_ENDPOINT": hub.url, "HF_HOME": str(tmp_path / "hf-home"), "HF_HUB_DISABLE_TELEMETRY": "1",
                   "HF_TOKEN": token or "", "HF_HUB_OFFLINE": "", **(env or {})}  # other modules set it offline
    return hfname_guard(*args, cwd=tmp_path, env=environment, timeout=timeout)


def findings(completed: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    return list(json.loads(completed.stdout)["findings"])


def hub_findings(completed: subprocess.CompletedProcess[str]) -> list[tuple[object, object, object]]:
    return [(f["rule"], f["severity"], f["message"]) for f in findings(completed) if str(f["rule"]).startswith("hub/")]


def test_offline_by_default_the_hub_is_never_asked(hub: FakeHub, tmp_path: Path) -> None:
    model(tmp_path, "Llama-7B-chat")
    completed = online(hub, tmp_path, "check", "--repo-id", "acme/Llama-7B-chat", "models/Llama-7B-chat",
                       "--format", "json")
    assert completed.returncode == 0, completed.stdout
    assert hub_findings(completed) == []
    assert hub.requests == []


@pytest.mark.parametrize(("repo_id", "expected"), [
    ("acme/Llama-7B-chat", "`acme/Llama-7B-chat` is the existing `acme/llama-7b-chat` spelled another way"),
    ("acme/llama_7b_chat", "`acme/llama_7b_chat` is the existing `acme/llama-7b-chat` spelled another way"),
    ("acme/llama-7b-chat", None),  # the existing repository itself: an update
    ("acme/qwen-7b-chat", None),
])
def test_case_collision(hub: FakeHub, tmp_path: Path, repo_id: str, expected: str | None) -> None:
    model(tmp_path, "m")
    completed = online(hub, tmp_path, "check", "--online", "--repo-id", repo_id, "models/m", "--format", "json")
    found = [f for f in findings(completed) if f["rule"] == "hub/case-collision"]
    if expected is None:
        assert found == [] and completed.returncode == 0, completed.stdout
        return
    [finding] = found
    assert str(finding["message"]).startswith(expected)
    assert (finding["severity"], finding["suggestion"], completed.returncode) == ("error", "acme/llama-7b-chat", 1)


@pytest.mark.parametrize(("repo_id", "expected"), [
    ("acme/llama_7b_chat_v2", "`acme/llama_7b_chat_v2` is new, and close to what `acme` already has: "
                              "`acme/llama-7b-chat-v1` (the same name at version 1, spelled `llama-7b-chat`)"),
    ("acme/llama-7b-chat-v3", "`acme/llama-7b-chat-v3` is new, and close to what `acme` already has: "
                              "`acme/llama-7b-chat-v1` (the same name at version 1: version 3 skips 2)"),
    ("acme/mistral-7b-instrct", "`acme/mistral-7b-instrct` is new, and close to what `acme` already has: "
                                "`acme/mistral-7b-instruct` (one letter apart)"),
    ("acme/chat-llama-7b", "`acme/chat-llama-7b` is new, and close to what `acme` already has: "
                           "`acme/llama-7b-chat` (the same words in another order)"),
    ("acme/llama-7b-chat-v2", None),  # the next version, spelled alike
    ("acme/llama-8b-chat", None),  # a digit apart: another model
])
def test_near_duplicate(hub: FakeHub, tmp_path: Path, repo_id: str, expected: str | None) -> None:
    model(tmp_path, "m")
    completed = online(hub, tmp_path, "check", "--online", "--repo-id", repo_id, "models/m", "--format", "json")
    found = [(f["severity"], f["message"]) for f in findings(completed) if f["rule"] == "hub/near-duplicate"]
    assert found == ([] if expected is None else [("warning", expected)])
    assert completed.returncode == 0  # a warning


def test_base_model_and_datasets(hub: FakeHub, tmp_path: Path) -> None:
    hub.models["meta-llama/Llama-Guard"] = {"gated": "manual"}
    model(tmp_path, "llama-7b-chat-v2", CARD + "base_model: [meta-llama/Llama-3.1-9B, meta-llama/Llama-3.1-8B, "
          "meta-llama/Llama-Guard]\nbase_model_relation: finetuned\n"
          "datasets: [HuggingFaceH4/ultrachat_200k, HuggingFaceH4/ultrachat_200]\n")
    completed = online(hub, tmp_path, "check", "--online", "--repo-id", "acme/llama-7b-chat-v2",
                       "models/llama-7b-chat-v2", "--format", "json")
    by_rule = {(f["rule"], f["severity"], f["message"], f["line"], f["suggestion"]) for f in findings(completed)
               if str(f["rule"]).startswith("hub/")}
    assert by_rule == {
        ("hub/base-model", "error", "base_model `meta-llama/Llama-3.1-9B` is not a model on the Hub (or not one "
         "this token can see); did you mean `meta-llama/Llama-3.1-8B`?", 4, "meta-llama/Llama-3.1-8B"),
        ("hub/base-model", "info", "base_model `meta-llama/Llama-Guard` is gated on the Hub: it exists, but not "
         "everyone can open it", 4, None),
        ("hub/base-model", "error", "base_model_relation `finetuned` is not a relation the Hub knows (`adapter`, "
         "`merge`, `quantized`, `finetune`)", 5, None),
        ("hub/datasets", "warning", "dataset `HuggingFaceH4/ultrachat_200` is not a dataset on the Hub (or not one "
         "this token can see)", 6, None),
    }


def test_the_hubs_own_card_validation(hub: FakeHub, tmp_path: Path) -> None:
    hub.validate = lambda card: "\"license\" must be one of [mit, apache-2.0]" if card.get("license") == "gpl-3.0" \
        else None
    model(tmp_path, "llama-7b-chat-v2", "license: gpl-3.0\npipeline_tag: text-generation\n")
    completed = online(hub, tmp_path, "check", "--online", "--repo-id", "acme/llama-7b-chat-v2",
                       "models/llama-7b-chat-v2", "--format", "json")
    [finding] = [f for f in findings(completed) if f["rule"] == "hub/card-validation"]
    assert finding["message"] == "the Hub refuses this card: \"license\" must be one of [mit, apache-2.0]"
    assert (finding["severity"], finding["line"], finding["column"]) == ("error", 2, 1)  # the metadata block
    [sent] = hub.calls("POST", "/api/validate-yaml")
    assert "license: gpl-3.0" in str(sent.json()["content"])
    assert "# llama-7b-chat-v2" not in str(sent.json()["content"])  # the metadata, not the card's text


def test_a_namespace_is_listed_once_across_pages(hub: FakeHub, tmp_path: Path) -> None:
    hub.max_per_page = 100
    hub.add_models("bigorg", [f"model-{number:04d}" for number in range(3000)])
    for number in (1, 2, 3):
        model(tmp_path, f"model-{number:04d}-new")
    completed = online(hub, tmp_path, "check", "--online", "--policy", _policy(tmp_path, "namespaces: [bigorg]\n"),
                       "models/model-0001-new", "models/model-0002-new", "models/model-0003-new", "--format", "json")
    assert completed.returncode == 0, completed.stdout
    assert len([request for request in hub.calls("GET", "/api/models") if request.path == "/api/models"]) == 30
    assert hub.calls("GET", "/api/models/") == []  # existing names are looked up in the listing, not one by one


def test_the_policy_can_turn_online_checks_on(hub: FakeHub, tmp_path: Path) -> None:
    model(tmp_path, "Llama-7B-chat")
    completed = online(hub, tmp_path, "check", "--policy", _policy(tmp_path, "namespaces: [acme]\nhub: {online: true}\n"),
                       "models/Llama-7B-chat", "--format", "json")
    assert [rule for rule, _, _ in hub_findings(completed)] == ["hub/case-collision"]


def test_offline_mode_is_one_notice_and_no_failure(hub: FakeHub, tmp_path: Path) -> None:
    model(tmp_path, "Llama-7B-chat")
    args = ("check", "--repo-id", "acme/Llama-7B-chat", "models/Llama-7B-chat", "--format", "json")
    completed = online(hub, tmp_path, *args[:1], "--online", *args[1:], env={"HF_HUB_OFFLINE": "1"})
    assert completed.returncode == 0, completed.stdout
    assert hub_findings(completed) == [(
        "hub/unreachable", "info", "the Hub could not be reached (HF_HUB_OFFLINE is set, so huggingface_hub makes no "
        "request); skipped: hub/card-validation for 1 model, hub/case-collision for 1 model, hub/near-duplicate for "
        "1 model")]
    assert hub.requests == []
    required = online(hub, tmp_path, *args[:1], "--online=required", *args[1:], env={"HF_HUB_OFFLINE": "1"})
    assert required.returncode == 1
    assert [severity for rule, severity, _ in hub_findings(required)] == ["error"]


def test_server_errors_are_retried_then_reported(hub: FakeHub, tmp_path: Path) -> None:
    model(tmp_path, "llama-7b-chat-v2", CARD + "base_model: meta-llama/Llama-3.1-8B\n")
    hub.fail(503, "Service Unavailable", times=1)  # once: the retry gets through
    args = ("check", "--online", "--repo-id", "acme/llama-7b-chat-v2", "models/llama-7b-chat-v2", "--format", "json")
    completed = online(hub, tmp_path, *args)
    assert completed.returncode == 0 and hub_findings(completed) == [], completed.stdout
    hub.requests.clear()
    hub.fail(503, "Service Unavailable", times=None)  # for good
    completed = online(hub, tmp_path, *args)
    assert completed.returncode == 0
    [(rule, severity, message)] = hub_findings(completed)
    assert (rule, severity) == ("hub/unreachable", "info")
    assert f"{hub.url} answered 503 (a server error) while looking up the model `meta-llama/Llama-3.1-8B`" in str(message)
    assert len(hub.calls("GET", "/api/models/meta-llama")) == 3  # three tries, then the session stays down
    assert hub.calls("POST") == []


def test_a_rate_limit_waits_for_retry_after(hub: FakeHub, tmp_path: Path) -> None:
    model(tmp_path, "llama-7b-chat-v2", CARD + "base_model: meta-llama/Llama-3.1-8B\n")
    hub.fail(429, "Too Many Requests", headers={"Retry-After": "1"}, times=1)
    completed = online(hub, tmp_path, "check", "--online", "--repo-id", "acme/llama-7b-chat-v2",
                       "models/llama-7b-chat-v2", "--format", "json")
    assert completed.returncode == 0 and hub_findings(completed) == [], completed.stdout
    first, second = hub.calls("GET", "/api/models/meta-llama/Llama-3.1-8B")
    assert second.received - first.received >= 1.0


def test_a_hub_that_does_not_answer_times_out(hub: FakeHub, tmp_path: Path) -> None:
    model(tmp_path, "llama-7b-chat-v2", CARD + "base_model: meta-llama/Llama-3.1-8B\n")
    hub.delay = 5
    completed = online(hub, tmp_path, "check", "--online", "--repo-id", "acme/llama-7b-chat-v2",
                       "models/llama-7b-chat-v2", "--format", "json", env={"HF_HUB_ETAG_TIMEOUT": "1"}, timeout=40)
    assert completed.returncode == 0
    [(rule, _, message)] = hub_findings(completed)
    assert rule == "hub/unreachable"
    assert "no answer within 1 seconds (HF_HUB_ETAG_TIMEOUT)" in str(message)


def test_the_token_is_sent_and_never_shown(hub: FakeHub, tmp_path: Path) -> None:
    hub.models["acme/internal-base"] = {"private": True}
    model(tmp_path, "llama-7b-chat-v2", CARD + "base_model: acme/internal-base\n")
    args = ("check", "--online", "--repo-id", "acme/llama-7b-chat-v2", "models/llama-7b-chat-v2")
    completed = online(hub, tmp_path, *args, token=TOKEN)
    assert "base_model `acme/internal-base` is private on the Hub" in completed.stdout
    assert all(request.headers.get("authorization") == f"Bearer {TOKEN}"
               for request in hub.calls("GET", "/api/models/"))
    refused = online(hub, tmp_path, *args, "--format", "json", token="hf_wrong0token0that0must0not0show")
    assert "refused the request (401)" in str(hub_findings(refused))
    for output in (completed, refused):
        assert TOKEN not in output.stdout + output.stderr
        assert "hf_wrong0token" not in output.stdout + output.stderr


def test_the_guarded_upload(hub: FakeHub, tmp_path: Path) -> None:
    model(tmp_path, "Llama-7B-chat")
    refused = online(hub, tmp_path, "upload", "models/Llama-7B-chat", "--repo-id", "acme/Llama-7B-chat", "--create",
                     token=TOKEN)
    assert refused.returncode == 1
    assert "[hub/case-collision]" in refused.stdout
    assert "nothing was uploaded" in refused.stderr
    assert hub.calls("POST", "/api/repos/create") == [] and hub.uploads == {}
    folder = model(tmp_path, "qwen-7b-chat")
    (folder / "config.json").write_text('{"model_type": "qwen2"}', encoding="utf-8")
    allowed = online(hub, tmp_path, "upload", "models/qwen-7b-chat", "--repo-id", "acme/qwen-7b-chat", "--create",
                     "--private", token=TOKEN)
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert f"uploaded to {hub.url}/acme/qwen-7b-chat" in allowed.stdout
    assert set(hub.uploads["acme/qwen-7b-chat"]) == {"README.md", "config.json"}
    [created] = hub.calls("POST", "/api/repos/create")
    assert created.json()["visibility"] == "private"
    assert TOKEN not in allowed.stdout + allowed.stderr


def test_upload_without_create_to_a_missing_repository(hub: FakeHub, tmp_path: Path) -> None:
    model(tmp_path, "qwen-7b-chat")
    completed = online(hub, tmp_path, "upload", "models/qwen-7b-chat", "--repo-id", "acme/qwen-7b-chat", token=TOKEN)
    assert completed.returncode == 2
    assert "acme/qwen-7b-chat does not exist on the Hub (or this token cannot write to it); pass --create" in \
        completed.stderr
    assert hub.uploads == {}


@pytest.mark.parametrize("rule_id", ["hub/case-collision", "hub/near-duplicate", "hub/base-model", "hub/datasets",
                                     "hub/card-validation"])
def test_a_hub_rule_set_off_yields_nothing(hub: FakeHub, tmp_path: Path, rule_id: str) -> None:
    hub.validate = lambda card: "refused" if card.get("license") == "gpl-3.0" else None
    model(tmp_path, "Llama-7B-chat", "license: gpl-3.0\nbase_model: acme/nothing\ndatasets: [acme/nothing]\n")
    model(tmp_path, "mistral-7b-instrct")
    folders = ("models/Llama-7B-chat", "models/mistral-7b-instrct")

    def rules(extra: str) -> list[object]:
        policy = _policy(tmp_path, f"namespaces: [acme]\nhub: {{online: true}}\n{extra}")
        return [f["rule"] for f in findings(online(hub, tmp_path, "check", "--policy", policy, *folders,
                                                   "--format", "json"))]

    assert rule_id in rules("")
    assert rule_id not in rules(f"rules: {{{rule_id}: off}}\n")


def _policy(tmp_path: Path, text: str) -> str:
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\n" + text, encoding="utf-8")
    return str(policy)


def test_a_base_model_in_another_case_is_fixed_to_the_hubs_spelling(hub: FakeHub, tmp_path: Path) -> None:
    folder = model(tmp_path, "llama-7b-chat-v2", CARD + "base_model: meta-llama/llama-3.1-8b  # the base\n")
    args = ("check", "--online", "--repo-id", "acme/llama-7b-chat-v2", "models/llama-7b-chat-v2")
    completed = online(hub, tmp_path, *args, "--format", "json")
    [finding] = [f for f in findings(completed) if f["rule"] == "hub/base-model"]
    assert (finding["severity"], finding["suggestion"]) == ("warning", "meta-llama/Llama-3.1-8B")
    fixed = online(hub, tmp_path, *args, "--fix")
    assert fixed.returncode == 1  # a file changed
    assert (folder / "README.md").read_text(encoding="utf-8") == (
        f"---\n{CARD}base_model: meta-llama/Llama-3.1-8B  # the base\n---\n# llama-7b-chat-v2\n")


def test_a_guessed_base_model_is_never_written(hub: FakeHub, tmp_path: Path) -> None:
    """A did-you-mean for a model that does not exist is a guess: shown, never written."""
    folder = model(tmp_path, "llama-7b-chat-v2", CARD + "base_model: meta-llama/Llama-3.1-9B\n")
    before = (folder / "README.md").read_bytes()
    online(hub, tmp_path, "check", "--online", "--repo-id", "acme/llama-7b-chat-v2", "models/llama-7b-chat-v2",
           "--fix")
    assert (folder / "README.md").read_bytes() == before


def test_online_a_taken_name_gets_the_next_free_version(hub: FakeHub, tmp_path: Path) -> None:
    hub.add_models("acme", ["mistral-7b-chat-v1", "Mistral-7B-chat-v2"])
    folder = model(tmp_path, "llama-7b-chat-v1")
    (folder / "config.json").write_text('{"model_type": "mistral"}', encoding="utf-8")
    policy = _policy(tmp_path, "extends: default\nnamespaces: [acme]\nname:\n"
                               "  template: \"{architecture}-{parameters}[-{variant}]-v{version}\"\n"
                               "  fields:\n    variant: {vocabulary: tasks}\n")
    args = ("suggest", "models/llama-7b-chat-v1", "--policy", policy, "--format", "json")
    offline = json.loads(online(hub, tmp_path, *args).stdout)
    assert offline["repo_id"] == "acme/mistral-7b-chat-v1"  # what the facts say: but that repository exists
    answered = json.loads(online(hub, tmp_path, *args, "--online").stdout)
    assert answered["repo_id"] == "acme/mistral-7b-chat-v3"
    assert {"field": "version", "value": "3", "source": "the next version acme does not hold yet"} in answered["parts"]
