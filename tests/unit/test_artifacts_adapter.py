"""hfname_guard.artifacts.adapter: the PEFT fields of adapter_config.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hfname_guard.artifacts.adapter import AdapterFacts, read_adapter
from hfname_guard.artifacts.problem import CORRUPT, UNAVAILABLE

# A LoRA adapter's config as PEFT 0.13 writes it (fields it leaves at their defaults trimmed).
LORA = {
    "alpha_pattern": {},
    "base_model_name_or_path": "meta-llama/Llama-2-7b-hf",
    "bias": "none",
    "fan_in_fan_out": False,
    "inference_mode": True,
    "lora_alpha": 16,
    "lora_dropout": 0.05,
    "peft_type": "LORA",
    "r": 8,
    "target_modules": ["q_proj", "v_proj"],
    "task_type": "CAUSAL_LM",
}


def adapter(folder: Path, content: dict | bytes) -> tuple[AdapterFacts | None, list[str]]:
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    (folder / "adapter_config.json").write_bytes(raw)
    facts, problems = read_adapter(str(folder))
    return facts, [problem.message for problem in problems]


def test_a_lora_adapter(tmp_path: Path) -> None:
    assert adapter(tmp_path, LORA) == (
        AdapterFacts(
            file=str(tmp_path / "adapter_config.json"),
            peft_type="LORA",
            base_model="meta-llama/Llama-2-7b-hf",
            rank=8,
            target_modules=("q_proj", "v_proj"),
        ),
        [],
    )


def test_target_modules_as_one_regex_string(tmp_path: Path) -> None:
    facts, problems = adapter(tmp_path, {**LORA, "target_modules": r".*\.(q|v)_proj"})
    assert facts is not None and facts.target_modules == (r".*\.(q|v)_proj",)
    assert problems == []


def test_an_adapter_without_a_rank_or_targets(tmp_path: Path) -> None:
    """Prefix tuning has no rank and no target modules; a local base model has no Hub id."""
    facts, problems = adapter(tmp_path, {"peft_type": "PREFIX_TUNING", "base_model_name_or_path": None, "num_virtual_tokens": 20})
    assert facts == AdapterFacts(str(tmp_path / "adapter_config.json"), "PREFIX_TUNING", None, None, ())
    assert problems == []


def test_no_adapter_config_is_no_facts_and_no_problem(tmp_path: Path) -> None:
    assert read_adapter(str(tmp_path)) == (None, [])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"peft_type": 1}, "`peft_type` is a number (1); expected a string such as 'LORA'"),
        ({"base_model_name_or_path": ["a"]}, "`base_model_name_or_path` is an array; expected a string"),
        ({"r": "8"}, "`r` is a string ('8'); expected a non-negative integer"),
        ({"r": 8.5}, "`r` is a number (8.5); expected a non-negative integer"),
        ({"target_modules": {"q_proj": 1}}, "`target_modules` is an object; expected an array of strings"),
        ({"target_modules": ["q_proj", None]}, "`target_modules[1]` is null; expected a string"),
    ],
)
def test_a_field_of_the_wrong_type_is_a_problem(tmp_path: Path, change: dict, message: str) -> None:
    facts, problems = adapter(tmp_path, {**LORA, **change})
    assert facts is not None
    assert len(problems) == 1 and problems[0].startswith(message)
    assert facts.peft_type == (None if "peft_type" in change else "LORA")


@pytest.mark.parametrize(
    ("content", "kind", "message"),
    [
        (b"", CORRUPT, "adapter_config.json is empty; expected a JSON object"),
        (b'{"peft_type": "LORA", "r": 8', CORRUPT, "adapter_config.json ends in the middle of its JSON: the file is cut short"),
        (b"[]", CORRUPT, "adapter_config.json holds an array; expected a JSON object"),
        (b"version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 9\n", UNAVAILABLE,
         "adapter_config.json is a git-LFS pointer, not the file itself"),
    ],
)
def test_a_broken_adapter_config(tmp_path: Path, content: bytes, kind: str, message: str) -> None:
    facts, _ = adapter(tmp_path, content)
    _, problems = read_adapter(str(tmp_path))
    assert facts is None
    assert [problem.kind for problem in problems] == [kind]
    assert problems[0].message.startswith(message)
