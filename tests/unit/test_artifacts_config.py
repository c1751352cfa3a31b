"""hfname_guard.artifacts.config: facts from config.json, and a sentence for every way it breaks."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfname_guard.artifacts.config import MAX_CONFIG_BYTES, ConfigFacts, read_config
from hfname_guard.artifacts.problem import CORRUPT, UNAVAILABLE, ArtifactProblem

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "all-MiniLM-L6-v2"


def config_in(folder: Path, content: str | bytes | dict) -> str:
    path = folder / "config.json"
    if isinstance(content, dict):
        content = json.dumps(content)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return str(path)


def facts_of(folder: Path, content: dict) -> tuple[ConfigFacts, list[str]]:
    config_in(folder, content)
    facts, problems = read_config(str(folder))
    assert facts is not None
    return facts, [problem.message for problem in problems]


def test_the_real_config(tmp_path: Path) -> None:
    shutil.copy(FIXTURE / "config.json", tmp_path)
    assert read_config(str(tmp_path)) == (
        ConfigFacts(
            file=str(tmp_path / "config.json"),
            model_type="bert",
            architectures=("BertModel",),
            hidden_size=384,
            num_hidden_layers=6,
            num_attention_heads=12,
            vocab_size=30522,
            quantization=None,
        ),
        [],
    )


def test_no_config_is_no_facts_and_no_problem(tmp_path: Path) -> None:
    assert read_config(str(tmp_path)) == (None, [])
    assert read_config(str(tmp_path / "missing")) == (None, [])


@pytest.mark.parametrize(
    ("content", "sizes"),
    [
        ({"model_type": "gpt2", "n_embd": 768, "n_layer": 12, "n_head": 12}, (768, 12, 12)),  # GPT-2, GPT-J
        ({"model_type": "t5", "d_model": 512, "num_layers": 6, "num_heads": 8}, (512, 6, 8)),
        ({"model_type": "bart", "d_model": 1024, "encoder_layers": 12, "encoder_attention_heads": 16}, (1024, 12, 16)),
        ({"model_type": "distilbert", "dim": 768, "n_layers": 6, "n_heads": 12}, (768, 6, 12)),
        ({"model_type": "bloom", "n_embed": 1024, "n_layer": 24, "n_head": 16}, (1024, 24, 16)),
        ({"hidden_size": 4096, "d_model": 1, "num_hidden_layers": 32, "n_layer": 1}, (4096, 32, None)),
        ({"hidden_size": None, "d_model": 256}, (256, None, None)),
    ],
)
def test_sizes_are_read_under_each_name_transformers_accepts(
    tmp_path: Path, content: dict, sizes: tuple[int | None, ...]
) -> None:
    facts, problems = facts_of(tmp_path, content)
    assert (facts.hidden_size, facts.num_hidden_layers, facts.num_attention_heads) == sizes
    assert problems == []


@pytest.mark.parametrize(
    ("content", "quantization"),
    [
        ({"quantization_config": {"quant_method": "gptq", "bits": 4}}, "gptq"),
        ({"quantization_config": {"quant_method": "awq"}}, "awq"),
        ({"quantization_config": {"quant_method": "bitsandbytes", "load_in_4bit": True}}, "bitsandbytes"),
        ({"quantization_config": {"load_in_8bit": True}}, "bitsandbytes"),  # written before quant_method existed
        ({"load_in_4bit": True}, "bitsandbytes"),
        ({"quantization_config": {"load_in_8bit": False, "load_in_4bit": False}}, None),
        ({"quantization_config": {}}, None),
        ({"quantization_config": None}, None),
        ({}, None),
    ],
)
def test_quantization(tmp_path: Path, content: dict, quantization: str | None) -> None:
    facts, problems = facts_of(tmp_path, content)
    assert facts.quantization == quantization
    assert problems == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"model_type": 42}, "`model_type` is a number (42); expected a string such as 'bert'"),
        ({"model_type": ["bert"]}, "`model_type` is an array; expected a string such as 'bert'"),
        ({"architectures": "BertModel"},
         "`architectures` is a string ('BertModel'); expected an array of strings such as [\"BertModel\"]"),
        ({"architectures": ["BertModel", 3]},
         "`architectures[1]` is a number (3); expected a string (architectures should be an array of strings"),
        ({"hidden_size": "384"}, "`hidden_size` is a string ('384'); expected a non-negative integer"),
        ({"num_hidden_layers": 6.0}, "`num_hidden_layers` is a number (6.0); expected a non-negative integer"),
        ({"n_layer": True}, "`n_layer` is a boolean (true); expected a non-negative integer"),
        ({"vocab_size": -1}, "`vocab_size` is a number (-1); expected a non-negative integer"),
        ({"quantization_config": "gptq"},
         "`quantization_config` is a string ('gptq'); expected an object such as {\"quant_method\": \"gptq\"}"),
        ({"quantization_config": {"quant_method": 4}},
         "`quantization_config.quant_method` is a number (4); expected a string such as 'gptq'"),
    ],
)
def test_a_field_of_the_wrong_type_is_a_problem_and_reads_as_unknown(tmp_path: Path, content: dict, message: str) -> None:
    facts, problems = facts_of(tmp_path, {"model_type": "bert", "hidden_size": 768, **content})
    assert len(problems) == 1
    assert problems[0].startswith(message)
    assert facts.model_type == (None if "model_type" in content else "bert")


def test_a_wrong_field_leaves_the_other_facts(tmp_path: Path) -> None:
    facts, problems = facts_of(tmp_path, {"model_type": 1, "architectures": ["GPT2LMHeadModel"], "n_layer": 12})
    assert (facts.model_type, facts.architectures, facts.num_hidden_layers) == (None, ("GPT2LMHeadModel",), 12)
    assert len(problems) == 1


@pytest.mark.parametrize(
    ("content", "message", "where"),
    [
        (b"", "config.json is empty; expected a JSON object", None),
        (b" \n\t", "config.json is empty; expected a JSON object", None),
        (b'{\n  "model_type": "bert",\n  "hidden_si', "config.json ends in the middle of its JSON: the file is cut short", (3, 3)),
        (b'{"model_type": "bert",', "config.json ends in the middle of its JSON: the file is cut short", (1, 23)),
        (b"model_type: bert\n", "config.json is not valid JSON: Expecting value", (1, 1)),
        (b'{"model_type": "bert",}', "config.json is not valid JSON: Expecting property name enclosed in double quotes", (1, 23)),
        (b'["bert"]', "config.json holds an array; expected a JSON object", None),
        (b'"bert"', "config.json holds a string ('bert'); expected a JSON object", None),
        (b"null", "config.json holds null; expected a JSON object", None),
        (b"\xef\xbb\xbf{}", "config.json starts with a byte-order mark, which transformers' JSON reader rejects; expected plain UTF-8", None),
        (b'{"model_type": "b\xe9rt"}', "config.json is not UTF-8 text (byte 0xe9 at offset 17); expected a JSON object", None),
        (b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "config.json nests its JSON too deeply to be read (thousands of levels); expected a JSON object", None),
    ],
)
def test_a_broken_config_is_a_clear_problem(
    tmp_path: Path, content: bytes, message: str, where: tuple[int, int] | None
) -> None:
    path = config_in(tmp_path, content)
    line, column = where or (None, None)
    assert read_config(str(tmp_path)) == (None, [ArtifactProblem(path, message, CORRUPT, line, column)])


def test_a_gigantic_config_is_not_read_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    with path.open("wb") as handle:
        handle.write(b'{"model_type": "bert", "pad": "')
        handle.truncate(1 << 40)  # a terabyte, sparse: reading it all would never end
    facts, problems = read_config(str(tmp_path))
    assert facts is None
    assert [problem.message for problem in problems] == [
        f"config.json is larger than {MAX_CONFIG_BYTES:,} bytes, the most read for it; it was not parsed (expected a JSON object)"
    ]


def test_a_git_lfs_pointer_is_unavailable(tmp_path: Path) -> None:
    config_in(tmp_path, b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"0" * 64 + b"\nsize 612\n")
    facts, problems = read_config(str(tmp_path))
    assert facts is None
    assert [problem.kind for problem in problems] == [UNAVAILABLE]
    assert "run `git lfs pull`" in problems[0].message


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.symlink_to(p.name), "config.json cannot be used: it is a symbolic link that loops back on itself"),
        (lambda p: p.symlink_to("nowhere.json"), "config.json cannot be used: it is a symbolic link to a file that does not exist"),
        (lambda p: p.mkdir(), "config.json cannot be used: it is not a regular file"),
        (lambda p: os.mkfifo(p), "config.json cannot be used: it is not a regular file"),
    ],
)
def test_links_that_loop_or_dangle_and_non_files(tmp_path: Path, make: Callable[[Path], None], message: str) -> None:
    make(tmp_path / "config.json")
    facts, problems = read_config(str(tmp_path))
    assert facts is None
    assert len(problems) == 1 and problems[0].message.startswith(message)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
config_keys = st.sampled_from(
    ["model_type", "architectures", "hidden_size", "d_model", "n_layer", "num_heads", "vocab_size",
     "quantization_config", "load_in_4bit"]
)


@settings(max_examples=100, deadline=None)
@given(content=st.dictionaries(config_keys, json_values, max_size=6) | json_values)
def test_any_json_gives_facts_or_problems_never_an_exception(tmp_path_factory: pytest.TempPathFactory, content: object) -> None:
    folder = tmp_path_factory.mktemp("config")
    (folder / "config.json").write_text(json.dumps(content), encoding="utf-8")
    facts, problems = read_config(str(folder))
    assert facts is not None or problems
    for problem in problems:
        assert problem.kind == CORRUPT and problem.file == str(folder / "config.json") and problem.message
