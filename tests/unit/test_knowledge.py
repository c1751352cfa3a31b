"""The architecture knowledge base: what name words stand for, families, and the shipped files."""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfname_guard.names.data_files import DATA
from hfname_guard.names.knowledge import (
    TYPES_FILE,
    WORDS_FILE,
    key,
    knowledge,
    model_type_of,
    same_family,
    vocabulary,
)
from hfname_guard.names.tagger import Tagger

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import build_knowledge  # noqa: E402  (a maintainer tool in scripts/, not in the package)


@pytest.mark.parametrize(
    ("word", "model_type"),
    [
        ("bert", "bert"),
        ("XLM-RoBERTa", "xlm-roberta"),
        ("xlm_roberta", "xlm-roberta"),
        ("xlmroberta", "xlm-roberta"),
        ("gpt-neox", "gpt_neox"),
        ("GPTNeoX", "gpt_neox"),
        ("minilm", "bert"),
        ("vicuna", "llama"),
        ("zephyr", "mistral"),
        ("pythia", "gpt_neox"),
        ("nllb", "m2m_100"),
        ("deberta-v3", "deberta-v2"),
        ("opus-mt", "marian"),
        ("sbert", "bert"),
        ("xls-r", "wav2vec2"),
        ("xlsr", "wav2vec2"),
        ("mt5", "mt5"),
        ("flan-t5", "t5"),
        ("llama2", "llama"),
        ("Llama-3.1", "llama"),
        ("Qwen2.5", "qwen2"),
        ("qwen3", "qwen3"),
        ("phi-3", "phi3"),
        ("layoutxlm", "layoutlmv2"),
        ("donut", "vision-encoder-decoder"),
        ("vit-hybrid", "vit-hybrid"),
        ("transfo-xl", "transfo-xl"),
        ("m-ctc-t", "mctct"),
        ("distiluse", "distilbert"),
        ("xlm-mlm", "xlm"),
    ],
)
def test_model_type_of_known_words(word: str, model_type: str) -> None:
    assert model_type_of(word) == model_type


@pytest.mark.parametrize(
    "word", ["gpt", "deepseek", "dolphin", "my-model", "beam", "samples", "", "2", "van", "mega", "sst", "world", "xlm"]
)
def test_model_type_of_words_that_name_no_one_type(word: str) -> None:
    assert model_type_of(word) is None


def test_keys_drop_separators_but_not_between_numbers() -> None:
    assert key("XLM-RoBERTa") == key("xlm_roberta") == "xlmroberta"
    assert key("Qwen2.5") == "qwen2.5"
    assert key("v1_1") == "v1_1"


@pytest.mark.parametrize(
    ("one", "other", "agree"),
    [
        ("bert", "bert", True),
        ("deberta", "deberta-v2", True),
        ("t5", "mt5", True),
        ("vit", "deit", True),
        ("llama", "mllama", True),
        ("gemma3", "gemma3_text", True),
        ("falcon", "RefinedWebModel", True),
        ("blenderbot", "blenderbot-small", True),
        ("ernie", "bert", True),
        ("dpr", "bert", True),
        ("bert", "distilbert", False),
        ("roberta", "xlm-roberta", False),
        ("bart", "mbart", True),  # issue 12: IndicBART and BARThez are mbart under the BART name
        ("layoutlm", "layoutlmv3", True),
        ("swin", "swinv2", True),
        ("roberta", "camembert", True),
        ("xlm-roberta", "xlm-roberta-xl", True),
        ("distilbert", "clip", True),  # the text tower of a CLIP
        ("llama", "clip", False),  # a decoder is no tower
        ("longformer", "roberta", False),
        ("roberta", "bert", False),
        ("llama", "mistral", False),
        ("qwen2", "qwen3", False),
    ],
)
def test_same_family(one: str, other: str, agree: bool) -> None:
    assert same_family(one, other) is agree
    assert same_family(other, one) is agree


MODEL_TYPES = sorted({*knowledge().words.values(), *knowledge().families} - {""})


@given(st.sampled_from(MODEL_TYPES) | st.text(max_size=12), st.sampled_from(MODEL_TYPES) | st.text(max_size=12))
def test_same_family_is_symmetric_and_reflexive(one: str, other: str) -> None:
    assert same_family(one, other) == same_family(other, one)
    assert same_family(one, one)


def test_vocabulary_codes_are_taxonomy_codes() -> None:
    assert {code for code, _, _ in vocabulary().values()} <= set("STDLVCFWRMO")
    assert vocabulary()["english"][:2] == ("L", "en")


def test_shipped_knowledge_base_is_what_the_build_makes_from_the_data(
        transformers_model_types: dict[str, dict[str, object]], hub_model_types: list[tuple[str, str]]) -> None:
    built = build_knowledge.build(*build_knowledge.with_curated_files(transformers_model_types, hub_model_types))
    for name in (WORDS_FILE, TYPES_FILE):
        with open(os.path.join(DATA, name), encoding="utf-8") as handle:
            stale = f"{name} is stale: rebuild it with scripts/build_knowledge.py (tests/fixtures/README.md)"
            assert handle.read() == built[name], stale


@pytest.mark.parametrize(("part", "wrapper", "fits"), [
    ("wav2vec2", "speech-encoder-decoder", True),
    ("bert", "speech-encoder-decoder", True),
    ("vit", "vision-encoder-decoder", True),
    ("gpt2", "vision-encoder-decoder", True),
    ("bert", "encoder-decoder", True),
    ("wav2vec2", "encoder-decoder", False),
    ("vit", "speech-encoder-decoder", False),
    ("encoder-decoder", "speech-encoder-decoder", False),
])
def test_a_model_fits_the_wrappers_that_read_its_input(part: str, wrapper: str, fits: bool) -> None:
    assert same_family(part, wrapper) is fits
    assert same_family(wrapper, part) is fits


def test_words_mined_from_hub_names_are_built_on_an_architecture_word() -> None:
    base = build_knowledge.knowledge_of(build_knowledge.curated_words(*_curated_inputs()), "")
    rows = [
        (f"{namespace}/{word}-{index}", model_type)
        for namespace in ("one", "two", "three")
        for index in range(2)
        for word, model_type in (("kobigbird", "big_bird"), ("hello_world", "bert"), ("rita", "rita"))
    ]
    mined = build_knowledge.mine(rows, Tagger(base))
    assert {word: entry[0] for word, entry in mined.items()} == {"kobigbird": "big_bird", "rita": "rita"}


def _curated_inputs() -> tuple:
    model_types = {"bert": {"architectures": ["BertModel"]}, "big_bird": {"architectures": ["BigBirdModel"]}}
    aliases = {"bigbird": "big_bird"}
    return model_types, aliases, {"words": {}, "undetermined": {}, "undetermined_in": {}, "homonyms": {}, "not_words": {}}


def test_model_types_transformers_removed_are_architecture_words(
        transformers_model_types: dict[str, dict[str, object]]) -> None:
    model_types = build_knowledge.with_curated_files(transformers_model_types, [])[0]
    assert model_types["vit-hybrid"]["removed"] is True
    assert knowledge().modalities["vit-hybrid"] == "vision"
    assert knowledge().modalities["mctct"] == "audio"
