"""The repo name against the facts of its GGUF files: consistency/architecture reads
`general.architecture`, consistency/size the tensors' shapes, on files written by llama.cpp's
`gguf` writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import gguf
import pytest
from test_artifacts_gguf import CARD, write_gguf

from hfname_guard import Target, check, load_policy
from hfname_guard.artifacts.gguf import MODEL_TYPES, read_gguf
from hfname_guard.names.knowledge import knowledge

LLAMA_8B, QWEN_7B, LLAMA_1B = 8_030_261_248, 7_615_616_512, 1_235_814_400
CUSTOM = {"arctic", "deci", "deepseek", "glm", "internlm2", "jina_bert", "minicpm", "nemotron-nas", "openelm", "qwen"}
"""Model types of custom code (config.json's `auto_map`) that llama.cpp converts, which the knowledge base
does not list: the rule does not judge them."""


def folder_of(tmp_path: Path, files: dict[str, dict[str, object]]) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "README.md").write_text(CARD, encoding="utf-8")
    for name, header in files.items():
        write_gguf(folder / name, **header)  # type: ignore[arg-type]
    return folder


def findings(repo_id: str, folder: Path, rule: str) -> list[tuple[str, str, str | None]]:
    report = check([Target(repo_id, str(folder))], load_policy(None))
    return [(Path(finding.file or "").name, finding.message, finding.suggestion)
            for finding in report.findings if finding.rule == rule]


@pytest.mark.parametrize(("repo_id", "arch", "parameters"), [
    ("acme/Llama-3.1-8B-Instruct-GGUF", "llama", LLAMA_8B),
    ("acme/Mistral-7B-Instruct-v0.3-GGUF", "llama", 7_248_023_552),  # Mistral's GGUF architecture is llama's
    ("acme/Mixtral-8x7B-Instruct-v0.1-GGUF", "llama", 46_702_792_704),
    ("acme/Falcon3-7B-Instruct-GGUF", "llama", 7_455_550_464),  # Falcon 3 is a llama
    ("acme/DeepSeek-R1-Distill-Qwen-7B-GGUF", "qwen2", QWEN_7B),  # the family word beside another
    ("acme/llava-v1.5-13b-GGUF", "llama", 13_015_864_320),  # a vision-language model's language model
    ("acme/Qwen3-30B-A3B-GGUF", "qwen3moe", 30_532_122_624),
    ("acme/Llama-4-Scout-17B-16E-Instruct-GGUF", "llama4", 108_641_793_536),
    ("acme/bge-m3-GGUF", "bert", 567_754_752),  # an XLM-RoBERTa, which llama.cpp writes as `bert`
    ("acme/phi-4-GGUF", "phi3", 14_659_507_200),
    ("acme/gemma-3-27b-it-GGUF", "gemma3", 27_009_002_240),
    ("acme/Some-Model-7B-GGUF", "an-architecture-after-the-table", 7_000_000_000),
])
def test_names_their_gguf_files_agree_with(tmp_path: Path, repo_id: str, arch: str, parameters: int) -> None:
    folder = folder_of(tmp_path, {"model-Q4_K_M.gguf": {"arch": arch, "parameters": parameters}})
    assert findings(repo_id, folder, "consistency/architecture") == []
    assert findings(repo_id, folder, "consistency/size") == []


def test_an_architecture_the_gguf_header_denies_is_fixed_to_it(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, {"model-Q4_K_M.gguf": {"arch": "qwen2", "parameters": QWEN_7B}})
    assert findings("acme/llama-7b-chat", folder, "consistency/architecture") == [
        ("model-Q4_K_M.gguf", "the name says `llama` (llama); model-Q4_K_M.gguf says general.architecture `qwen2`",
         "acme/qwen2-7b-chat-gguf"),
    ]


def test_a_gguf_architecture_of_several_types_gives_no_fix(tmp_path: Path) -> None:
    """A GGUF `llama` may be a Llama, a Mistral, a Falcon 3...: no one word to put in the name."""
    folder = folder_of(tmp_path, {"model-Q4_K_M.gguf": {"arch": "llama", "parameters": QWEN_7B}})
    [(file, message, suggestion)] = findings("acme/qwen2-7b-chat", folder, "consistency/architecture")
    assert (file, message) == ("model-Q4_K_M.gguf",
                               "the name says `qwen2` (qwen2); model-Q4_K_M.gguf says general.architecture `llama`")
    assert suggestion is None


def test_a_parameter_count_the_gguf_tensors_deny(tmp_path: Path) -> None:
    """Every encoding holds the same count; a set of shards holds the sum of its shards'."""
    folder = folder_of(tmp_path, {
        "Llama-3.2-1B-Q4_K_M.gguf": {"parameters": LLAMA_1B},
        "Llama-3.2-1B-Q8_0-00001-of-00002.gguf": {"file_type": 7, "shard": (1, 2), "parameters": LLAMA_1B // 2},
        "Llama-3.2-1B-Q8_0-00002-of-00002.gguf": {"file_type": 7, "shard": (2, 2), "parameters": LLAMA_1B // 2},
    })
    assert findings("acme/llama-3.2-7b-chat", folder, "consistency/size") == [
        ("Llama-3.2-1B-Q4_K_M.gguf",
         "the name says `7b`; Llama-3.2-1B-Q4_K_M.gguf holds 1,235,814,400 parameters (1.24B)",
         "acme/llama-3.2-1.2b-chat-gguf"),
    ]
    assert findings("acme/llama-3.2-1b-chat", folder, "consistency/size") == []


def test_a_folder_of_several_sizes_or_of_incomplete_sets_is_not_judged(tmp_path: Path) -> None:
    several = folder_of(tmp_path, {"Llama-3.2-1B-Q4_K_M.gguf": {"parameters": LLAMA_1B},
                                   "Llama-3.2-3B-Q4_K_M.gguf": {"parameters": 3_212_749_824}})
    assert findings("acme/llama-3.2-7b-chat", several, "consistency/size") == []
    (tmp_path / "sets").mkdir()
    incomplete = folder_of(tmp_path / "sets", {
        "Llama-3.2-1B-Q8_0-00001-of-00002.gguf": {"shard": (1, 2), "parameters": LLAMA_1B // 2}})
    assert findings("acme/llama-3.2-1b-chat", incomplete, "consistency/size") == []


def test_a_vision_projector_beside_the_model_is_not_the_model(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, {
        "Llama-3.2-1B-Q4_K_M.gguf": {"parameters": LLAMA_1B},
        "mmproj-model-f16.gguf": {"arch": "clip", "file_type": 1, "parameters": 303_000_000},
    })
    assert findings("acme/llama-3.2-1b-vision", folder, "consistency/size") == []
    assert findings("acme/llama-3.2-1b-vision", folder, "consistency/architecture") == []


def test_safetensors_weights_are_counted_before_gguf_files(
        tmp_path: Path, write_safetensors: Callable[[Path, dict[str, tuple[str, list[int]]]], None]) -> None:
    """A folder with both is counted by its safetensors headers, as before GGUF was read."""
    folder = folder_of(tmp_path, {"model-Q4_K_M.gguf": {"parameters": LLAMA_8B}})
    write_safetensors(folder / "model.safetensors", {"w": ("F32", [1000, 1000])})
    [(file, message, _)] = findings("acme/llama-8b-chat", folder, "consistency/size")
    assert file == "model.safetensors" and "holds 1,000,000 parameters" in message


def test_every_type_in_the_architecture_table_is_one_transformers_defines_or_custom() -> None:
    """Each GGUF architecture stands for model types the knowledge base knows, or for custom code,
    never for a misspelled type that would match nothing."""
    base = knowledge()
    assert set(MODEL_TYPES) <= set(gguf.MODEL_ARCH_NAMES.values())
    unknown = {model_type for types in MODEL_TYPES.values() for model_type in types} - set(base.model_types)
    assert unknown <= CUSTOM, unknown - CUSTOM


def test_the_reader_gives_the_architecture(tmp_path: Path) -> None:
    facts, problem = read_gguf(str(write_gguf(tmp_path / "m.gguf", arch="qwen2")))
    assert problem is None and facts is not None and facts.architecture == "qwen2"


def test_a_name_says_gguf_exactly_when_the_folder_holds_gguf_files(
        tmp_path: Path, write_safetensors: Callable[[Path, dict[str, tuple[str, list[int]]]], None]) -> None:
    ggufs = folder_of(tmp_path, {"model-Q4_K_M.gguf": {"parameters": LLAMA_8B}})
    assert findings("acme/Llama-3.1-8B-Instruct-GGUF", ggufs, "consistency/reuse") == []
    assert findings("acme/Llama-3.1-8B-Instruct", ggufs, "consistency/reuse") == [
        ("model", "the folder holds GGUF weights (.gguf files), but the name does not say so; add `gguf` to it",
         "acme/Llama-3.1-8B-Instruct-gguf"),
    ]
    assert [message for _, message, _ in findings("acme/Llama-3.1-8B-Instruct-AWQ", ggufs, "consistency/reuse")] == [
        "the folder holds GGUF weights (.gguf files), but the name does not say so; add `gguf` to it",
        "the name says `awq`, but the folder has no AWQ quantization (quantization_config in config.json)",
    ]
    (tmp_path / "full").mkdir()
    full = tmp_path / "full" / "model"
    full.mkdir()
    write_safetensors(full / "model.safetensors", {"w": ("BF16", [1000, 1000])})
    assert [message for _, message, _ in findings("acme/Llama-3.1-8B-Instruct-GGUF", full, "consistency/reuse")] == [
        "the name says `gguf`, but the folder has no GGUF weights (.gguf files)"]


def test_no_string_of_a_header_reaches_a_message(tmp_path: Path) -> None:
    """A header's text is the pull request author's: only llama.cpp's own names (an architecture
    of the table, an encoding) are ever quoted."""
    hostile = "llama\x1b[31m\n::error file=x::pwned"
    folder = folder_of(tmp_path, {"model-Q4_K_M.gguf": {"arch": hostile, "parameters": LLAMA_1B}})
    report = check([Target("acme/qwen2-7b-chat", str(folder))], load_policy(None))
    assert report.findings  # the size and the missing `gguf` word are still judged
    assert not any("pwned" in f"{finding.message} {finding.suggestion}" for finding in report.findings)
