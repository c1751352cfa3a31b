"""consistency/size on PEFT adapters: the name's size states the base model's, not the adapter's.

The folders are shaped like real LoRA releases: adapter_config.json as PEFT writes it and
adapter_model.safetensors holding the low-rank matrices (r=16 on q_proj and v_proj of a
Llama-3.1-8B: 32 layers x (16x4096 + 4096x16 + 16x4096 + 1024x16) = about 6.8 million)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from hfname_guard import Finding, Target, check, load_policy

pytestmark = pytest.mark.usefixtures("cache_dir")


def lora_tensors(layers: int = 32, rank: int = 16) -> dict[str, tuple[str, list[int]]]:
    tensors: dict[str, tuple[str, list[int]]] = {}
    for layer in range(layers):
        prefix = f"base_model.model.model.layers.{layer}.self_attn"
        tensors[f"{prefix}.q_proj.lora_A.weight"] = ("F32", [rank, 4096])
        tensors[f"{prefix}.q_proj.lora_B.weight"] = ("F32", [4096, rank])
        tensors[f"{prefix}.v_proj.lora_A.weight"] = ("F32", [rank, 4096])
        tensors[f"{prefix}.v_proj.lora_B.weight"] = ("F32", [1024, rank])
    return tensors


def adapter_folder(write_safetensors: Callable[..., None], tmp_path: Path, name: str, base: str | None) -> Path:
    path = tmp_path / name
    path.mkdir()
    config: dict[str, object] = {
        "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": 16, "lora_alpha": 32, "lora_dropout": 0.05,
        "target_modules": ["q_proj", "v_proj"], "bias": "none", "inference_mode": True,
    }
    if base is not None:
        config["base_model_name_or_path"] = base
    (path / "adapter_config.json").write_text(json.dumps(config), encoding="utf-8")
    write_safetensors(path / "adapter_model.safetensors", lora_tensors())
    (tmp_path / "policy.yaml").write_text("version: 1\nextends: default\n", encoding="utf-8")
    return path


def size_findings(path: Path) -> list[Finding]:
    policy = load_policy(str(path.parent / "policy.yaml"))
    report = check([Target(f"acme/{path.name}", str(path))], policy)
    return [finding for finding in report.findings if finding.rule == "consistency/size"]


@pytest.mark.parametrize("name, base", [
    ("llama-8b-chat-lora", "meta-llama/Llama-3.1-8B"),
    ("llama-7b-chat-lora", "meta-llama/Llama-2-7b-hf"),
    ("qwen-0.5b-chat-lora", "Qwen/Qwen2.5-0.5B-Instruct"),
    ("mixtral-8x7b-lora", "mistralai/Mixtral-8x7B-v0.1"),
])
def test_the_name_states_the_base_models_size(write_safetensors: Callable[..., None], tmp_path: Path,
                                              name: str, base: str) -> None:
    assert size_findings(adapter_folder(write_safetensors, tmp_path, name, base)) == []


def test_a_size_other_than_the_bases_is_reported_with_the_base(write_safetensors: Callable[..., None],
                                                                tmp_path: Path) -> None:
    path = adapter_folder(write_safetensors, tmp_path, "llama-70b-chat-lora", "meta-llama/Llama-3.1-8B")
    [finding] = size_findings(path)
    assert finding.message == (
        "the name says `70b`; adapter_config.json adapts `meta-llama/Llama-3.1-8B`, "
        "whose name says `8B` (an adapter's name states its base model's size)"
    )
    assert finding.file == f"{path}/adapter_config.json"
    assert finding.suggestion == "acme/llama-8b-chat-lora"


@pytest.mark.parametrize("base", [None, "/home/me/models/my-llama", "meta-llama/Meta-Llama-Guard"])
def test_no_finding_when_the_bases_size_is_unknown(write_safetensors: Callable[..., None], tmp_path: Path,
                                                   base: str | None) -> None:
    path = adapter_folder(write_safetensors, tmp_path, "llama-70b-chat-lora", base)
    assert size_findings(path) == []


def test_a_local_base_path_is_read_by_its_last_part(write_safetensors: Callable[..., None], tmp_path: Path) -> None:
    path = adapter_folder(write_safetensors, tmp_path, "llama-13b-lora", "/data/checkpoints/Llama-2-7b-hf")
    [finding] = size_findings(path)
    assert "whose name says `7b`" in finding.message
