"""The name tagger: how Hub names split into components, and what each component is."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfname_guard.names.knowledge import Knowledge, model_type_of
from hfname_guard.names.tagger import Component, Tagger, architecture_of, tag

CODES = set("ASPTDLVCFWRNHMO")


def read(name: str) -> str:
    """The components as ``text/CODE:model_type-or-value``, space-separated."""
    return " ".join(
        f"{c.text}/{c.code}" + (f":{c.model_type or c.value}" if c.model_type or c.value else "") for c in tag(name)
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("all-MiniLM-L6-v2", "all/O MiniLM/A:bert L6/N:6 v2/V:2"),
        ("GPTNeoX", "GPTNeoX/A:gpt_neox"),
        ("gpt-neox-20b", "gpt-neox/A:gpt_neox 20b/P:20000000000"),
        ("llama2-13b", "llama/A:llama 2/V:2 13b/P:13000000000"),
        ("Llama-2-7b-chat-hf", "Llama/A:llama 2/V:2 7b/P:7000000000 chat/T hf/W"),
        ("gpt2", "gpt2/A:gpt2"),
        ("t5-small", "t5/A:t5 small/S"),
        ("mt5-base", "mt5/A:mt5 base/S"),
        ("e5-large-v2", "e5/A:bert large/S v2/V:2"),
        ("wav2vec2-large-960h", "wav2vec2/A:wav2vec2 large/S 960h/C"),
        ("phi3-mini", "phi3/A:phi3 mini/S"),
        ("Phi-3-mini-4k-instruct", "Phi-3/A:phi3 mini/S 4k/C instruct/T"),
        ("Qwen2.5-7B-Instruct-GGUF", "Qwen2.5/A:qwen2 7B/P:7000000000 Instruct/T GGUF/W"),
        ("Mixtral-8x7B-Instruct-v0.1", "Mixtral/A:mixtral 8x7B/P:8x7000000000 Instruct/T v0.1/V:0.1"),
        ("Qwen2.5-1.5B", "Qwen2.5/A:qwen2 1.5B/P:1500000000"),
        ("vicuna-7b-v1.5", "vicuna/A:llama 7b/P:7000000000 v1.5/V:1.5"),
        ("xlm-roberta-large", "xlm-roberta/A:xlm-roberta large/S"),
        ("XLMRoberta_base", "XLMRoberta/A:xlm-roberta base/S"),
        ("deberta-v3-base", "deberta-v3/A:deberta-v2 base/S"),
        ("opus-mt-en-de", "opus-mt/A:marian en/L:en de/L:de"),
        ("flan-t5-xl", "flan-t5/A:t5 xl/S"),
        ("bert-base-uncased", "bert/A:bert base/S uncased/C"),
        ("bert_uncased_L-12_H-768_A-12", "bert/A:bert uncased/C L-12/N:12 H-768/H:768 A-12/H:12"),
        ("MiniLM-L12-H384", "MiniLM/A:bert L12/N:12 H384/H:384"),
        ("bert-L6-H12", "bert/A:bert L6/N:6 H12/H:12"),
        ("t5-v1_1-base", "t5/A:t5 v1_1/V:1.1 base/S"),
        ("gemma-2b-it", "gemma/A:gemma 2b/P:2000000000 it/T:instruct"),
        ("gemma-2-9b-it", "gemma-2/A:gemma2 9b/P:9000000000 it/T:instruct"),
        ("llama-4.1m-ner", "llama/A:llama 4.1m/P:4100000 ner/T"),  # a decimal count, not Llama 4
        ("T0_3B", "T0/A:t5 3B/P:3000000000"),  # `_` is no decimal point after a family word
        ("m2m100_418M", "m2m100/A:m2m_100 418M/P:418000000"),
        ("opus-mt-it-en", "opus-mt/A:marian it/L:it en/L:en"),
        ("mistral-7b-q4_k_m.gguf", "mistral/A:mistral 7b/P:7000000000 q4_k_m/W gguf/W"),
        ("Llama-3.1-8B-bnb-4bit", "Llama/A:llama 3.1/V:3.1 8B/P:8000000000 bnb/W 4bit/W"),
        ("Meta-Llama-3.1-8B-Instruct-IQ3_XXS", "Meta/M Llama/A:llama 3.1/V:3.1 8B/P:8000000000 Instruct/T IQ3_XXS/W"),
        ("Mistral-7B-Instruct-v0.2-AWQ", "Mistral/A:mistral 7B/P:7000000000 Instruct/T v0.2/V:0.2 AWQ/W"),
        ("Llama-2-7B-GPTQ-Int4", "Llama/A:llama 2/V:2 7B/P:7000000000 GPTQ/W Int4/W"),
        ("Qwen3-30B-A3B-GGUF", "Qwen3/A:qwen3 30B/P:30000000000 A3B/P GGUF/W"),  # A3B: active, no total
        (
            "distilbert-base-uncased-finetuned-sst-2-english",
            "distilbert/A:distilbert base/S uncased/C finetuned/F:finetuned sst-2/D english/L:en",
        ),
        ("bert2bert", "bert/A:bert 2/O bert/A:bert"),
        ("distil-led-large", "distil/F:distilled led/A:led large/S"),
        ("lr-1e-5", "lr/O 1e/O 5/O"),  # not the e5 family
        ("", ""),
    ],
)
def test_tricky_names_split_and_tag(name: str, expected: str) -> None:
    assert read(name) == expected


def test_components_are_records_with_offsets_in_the_string_given() -> None:
    components = tag("meta-llama/Llama-2-7b-chat-hf")
    assert components[0] == Component("Llama", 11, "A", "llama")
    assert [c.start for c in components] == [11, 17, 19, 22, 27]


def test_only_the_part_after_the_last_slash_is_read() -> None:
    assert [c.text for c in tag("bert-org/gpt2-medium")] == ["gpt2", "medium"]


def test_family_words_without_one_model_type_are_architectures_without_a_type() -> None:
    assert read("gpt-ya") == "gpt/A ya/O"
    assert architecture_of("gpt-ya") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sentence-transformers/all-MiniLM-L6-v2", ("bert", "MiniLM")),
        ("Helsinki-NLP/opus-mt-en-de", ("marian", "opus-mt")),
        ("microsoft/deberta-v3-base", ("deberta-v2", "deberta-v3")),
        ("exp_w2v2t_nl_hubert_s449", ("hubert", "hubert")),  # a model type's own name outranks an abbreviation
        ("sbert-roberta-large-nli", ("roberta", "roberta")),
        ("mask2former-swin-large-coco", ("mask2former", "mask2former")),  # of equals, the first
        ("bert2gpt2-summarization", ("encoder-decoder", "bert2gpt2")),
        ("roberta_gpt2_summarization", ("encoder-decoder", "roberta_gpt2")),
        ("vit-gpt2-image-captioning", ("vision-encoder-decoder", "vit-gpt2")),
        ("wav2vec2-2-bart-large", ("speech-encoder-decoder", "wav2vec2-2-bart")),
        ("bigbird-roberta-base", ("big_bird", "bigbird")),  # roberta is no decoder-only model
        ("codebert-base", ("roberta", "codebert")),
        ("finetuning-sentiment-model-3000-samples", None),
        ("my-awesome-model", None),
        ("uer/roberta-base-chinese-extractive-qa", None),  # Chinese RoBERTa releases are mostly bert
        ("roberta-base-zh", None),
        ("sbert-roberta-base-zh", ("bert", "sbert")),  # the next most telling word decides
        ("roberta-base-german", ("roberta", "roberta")),
        ("krinal214/xlm-all", None),  # XLM in Hub names is as often XLM-R
    ],
)
def test_architecture_of(name: str, expected: tuple[str, str] | None) -> None:
    assert architecture_of(name) == expected


def test_a_tagger_reads_with_the_knowledge_base_it_is_given() -> None:
    tagger = Tagger(Knowledge({"zorblax": "llama"}, {"zorblax": 1}, {}, {}, {}, {}, frozenset({"llama"})))
    assert tagger.architecture_of("zorblax-7b") == ("llama", "zorblax")
    assert tagger.architecture_of("bert-base") is None


NAME_PARTS = st.sampled_from(
    ["bert", "MiniLM", "llama", "Llama", "2", "7b", "8x7B", "1.5", "v", "v0.1", "L", "12", "H", "A", "gpt", "neox",
     "xlm", "roberta", "opus", "mt", "en", "it", "q4", "k", "m", "bit", "2b", "e", "5", "x", "Qwen2", "base", "deberta"]
)
NAMES = st.one_of(
    st.text(max_size=200),
    st.lists(st.tuples(NAME_PARTS, st.sampled_from(["", "-", "_", ".", " ", "/", "--", "+"])), max_size=12).map(
        lambda parts: "".join(part + gap for part, gap in parts)
    ),
)


@settings(max_examples=300, deadline=None)
@given(NAMES)
def test_components_are_in_order_without_overlap_and_point_into_the_name(name: str) -> None:
    components = tag(name)
    end = name.rfind("/") + 1
    for component in components:
        assert component.start >= end
        assert name[component.start : component.start + len(component.text)] == component.text
        assert component.text
        assert component.code in CODES
        assert component.model_type is None or component.code == "A"
        end = component.start + len(component.text)
    found = architecture_of(name)
    if found is not None:
        model_type, words = found
        assert words in name
        named = {c.model_type for c in components if c.code == "A"}
        assert model_type in named or model_type.endswith("encoder-decoder")


@settings(max_examples=200, deadline=None)
@given(NAMES)
def test_an_architecture_component_is_the_word_model_type_of_reads(name: str) -> None:
    for component in tag(name):
        if component.code == "A" and component.model_type:
            assert model_type_of(component.text) == component.model_type
