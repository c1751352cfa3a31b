"""The consistency rules on model folders shaped like real ones: config.json, safetensors
headers over sparse data of the real size, adapter configs and cards."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from hfname_guard import Finding, Target, check, load_policy
from hfname_guard.rules import consistency_size
from hfname_guard.rules_doc import markdown

pytestmark = pytest.mark.usefixtures("cache_dir")

ROOT = Path(__file__).resolve().parents[2]

BERT_TENSORS = {
    "embeddings.word_embeddings.weight": ("F32", [30522, 384]),
    "encoder.layer.0.attention.self.query.weight": ("F32", [384, 384]),
}
GPT2_TENSORS = {
    "transformer.wte.weight": ("F32", [50257, 768]),
    "transformer.h.0.attn.c_attn.weight": ("F32", [768, 2304]),
}


def llama_tensors(parameters: int) -> dict[str, tuple[str, list[int]]]:
    """A Llama-style decoder's tensor names, holding `parameters` in all."""
    layer = 4096 * 4096
    return {
        "model.embed_tokens.weight": ("BF16", [parameters - 2 * layer]),
        "model.layers.0.self_attn.q_proj.weight": ("BF16", [4096, 4096]),
        "model.layers.0.mlp.gate_proj.weight": ("BF16", [4096, 4096]),
    }


@pytest.fixture
def folder(write_safetensors: Callable[..., None]) -> Callable[..., Path]:
    return lambda *args, **kwargs: _folder(write_safetensors, *args, **kwargs)


def _folder(write_safetensors: Callable[..., None], tmp_path: Path, name: str, *, card: dict[str, object] | None = None, config: dict[str, object] | None = None,
           tensors: dict[str, tuple[str, list[int]]] | None = None, adapter: dict[str, object] | None = None,
           files: tuple[str, ...] = ()) -> Path:
    path = tmp_path / name
    path.mkdir()
    if card is not None:
        import yaml

        (path / "README.md").write_text(f"---\n{yaml.safe_dump(card)}---\n# {name}\n", encoding="utf-8")
    if config is not None:
        (path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    if tensors is not None:
        write_safetensors(path / "model.safetensors", tensors)
    if adapter is not None:
        (path / "adapter_config.json").write_text(json.dumps(adapter), encoding="utf-8")
    for extra in files:
        (path / extra).write_bytes(b"")
    return path


def found(path: Path, rule: str, repo_id: str | None = None) -> list[Finding]:
    policy = load_policy(_hub_policy(path.parent))
    report = check([Target(repo_id or f"acme/{path.name}", str(path))], policy)
    return [finding for finding in report.findings if finding.rule == rule]


def _hub_policy(where: Path) -> str:
    policy = where / "policy.yaml"
    policy.write_text("version: 1\nextends: default\n", encoding="utf-8")  # consistency/* are default's
    return str(policy)


# consistency/architecture -------------------------------------------------------------------

def test_a_bert_name_over_a_roberta_config(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "bert-base-ner", config={"model_type": "roberta", "architectures": ["RobertaModel"]})
    [finding] = found(path, "consistency/architecture")
    assert finding.message == "the name says `bert` (bert); config.json says model_type `roberta`"
    assert finding.file == f"{path}/config.json"
    assert finding.suggestion == "acme/roberta-base-ner"


@pytest.mark.parametrize(("name", "model_type", "suggestion"), [
    ("BERT-base-ner", "roberta", "acme/ROBERTA-base-ner"),  # the replaced word's case
    ("Llama-7b", "gpt_neox", "acme/Gpt-neox-7b"),  # the model type as names write it
    ("bert2bert-cnn", "whisper", "acme/whisper-cnn"),
    ("wav2vec2-summarizer", "encoder-decoder", None),  # a wrapper is no word for a name
])
def test_the_fix_puts_the_model_type_in_the_name(folder: Callable[..., Path], tmp_path: Path, name: str,
                                                 model_type: str, suggestion: str | None) -> None:
    [finding] = found(folder(tmp_path, name, config={"model_type": model_type}), "consistency/architecture")
    assert finding.suggestion == suggestion


def test_a_family_word_resolves_to_its_model_type(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "minilm-l6-embed", config={"model_type": "bert"})
    assert found(path, "consistency/architecture") == []


def test_a_name_stating_the_encoder_of_a_wrapper_agrees(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "wav2vec2-aed-tedlium", config={"model_type": "speech-encoder-decoder"})
    assert found(path, "consistency/architecture") == []
    other = folder(tmp_path, "wav2vec2-summarizer", config={"model_type": "encoder-decoder"})
    assert len(found(other, "consistency/architecture")) == 1


@pytest.mark.parametrize(("name", "model_type"), [
    ("IndicBART", "mbart"),  # a release under its family's name (ai4bharat/IndicBART)
    ("layoutlm-bill", "layoutlmv2"),
    ("swin-tiny-food", "swinv2"),
    ("vit-manuscripts", "vit_mae"),
    ("xlm-roberta-xxl", "xlm-roberta-xl"),
    ("wangchanberta-base-wiki-newmm", "roberta"),
    ("est-roberta", "camembert"),
    ("update-summarization-bart-large-longformer", "led"),
    ("sentiment-hts2-hubert-hungarian", "bert"),  # huBERT, by its config
    ("nerkor-hubert", "bert"),
    ("microtransquest-en_de-it-nmt", "xlm-roberta"),  # a language pair, not DeiT
    ("paraphrase-multilingual-mpnet-base-v2", "xlm-roberta"),
    ("simcse-model-distil-m-bert", "distilbert"),  # distilled mBERT
    ("M-BERT-Distil-40", "distilbert"),
    ("bn-indic-bert-ner", "albert"),  # IndicBERT is an ALBERT
    ("clip-fa-text", "roberta"),  # the text tower of a CLIP
    ("clip-ViT-B-32-multilingual-v1", "distilbert"),
    ("declutr-sci-base", "bert"),  # a training method, not an architecture
    ("personal-speech-to-text-model", "wav2vec2"),  # a task, not the S2T model
    ("pythia-1b", "GPT_NeoX"),  # spelled another way, the type is gpt_neox
    ("clip-italian-final", "hybrid-clip"),  # custom code: not judged
    ("colbert-distilbert-margin_mse-T2-msmarco", "ColBERT"),
])
def test_real_names_that_tell_the_truth(folder: Callable[..., Path], tmp_path: Path, name: str, model_type: str) -> None:
    """Names of the real-card benchmark (issue 12) that an earlier reading flagged."""
    assert found(folder(tmp_path, name, config={"model_type": model_type}), "consistency/architecture") == []


@pytest.mark.parametrize(("name", "model_type", "word"), [
    ("hubert-large-ls960-ft", "wav2vec2", "hubert"),  # HuBERT, the speech model: the homonym does not help
    ("longformer-base-4096-spanish", "roberta", "longformer"),  # a compound over another family
    ("xlm-roberta-large-language-detection", "roberta", "xlm-roberta"),
    ("roberta-base-squad2", "xlm-roberta", "roberta"),
    ("KannadaBERT", "roberta", "BERT"),
    ("llama-7b-vision", "clip", "llama"),  # a decoder is no tower of a CLIP
    ("distill-bert-base-spanish", "bert", "distill-bert"),
    ("bert-base-cased", "GPT-NeoX", "bert"),
])
def test_real_anomalies_stay_caught(folder: Callable[..., Path], tmp_path: Path, name: str, model_type: str,
                                    word: str) -> None:
    [finding] = found(folder(tmp_path, name, config={"model_type": model_type}), "consistency/architecture")
    assert finding.message.startswith(f"the name says `{word}` (")
    assert finding.message.endswith(f"config.json says model_type `{model_type}`")


def test_without_a_config_the_tensors_speak(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "llama-7b", tensors=GPT2_TENSORS)
    [finding] = found(path, "consistency/architecture")
    assert "the name says `llama` (llama)" in finding.message
    assert "are those of `gpt2` (`transformer.h.0.attn.c_attn.weight`)" in finding.message
    [size] = found(path, "consistency/size")  # the tensors hold far fewer than 7b: one fix corrects both
    assert finding.suggestion == size.suggestion == "acme/gpt2-40m"


def test_a_mistral_name_over_llama_style_tensors_agrees(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "mistral-7b", tensors=llama_tensors(7_241_732_096))
    assert found(path, "consistency/architecture") == []


# consistency/weights ------------------------------------------------------------------------

def test_a_config_over_weights_of_another_family(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "llama-7b", config={"model_type": "llama"}, tensors=GPT2_TENSORS)
    [finding] = found(path, "consistency/weights")
    assert finding.message.startswith("config.json says model_type `llama`; the tensors of model.safetensors")
    assert "`gpt2`" in finding.message


def test_a_bert_config_over_prefixless_bert_tensors_agrees(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "minilm", config={"model_type": "bert"}, tensors=BERT_TENSORS)
    assert found(path, "consistency/weights") == []


# consistency/size ---------------------------------------------------------------------------

def test_a_7b_name_over_one_billion_parameters(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "llama-7b-chat", config={"model_type": "llama"}, tensors=llama_tensors(1_100_048_384))
    [finding] = found(path, "consistency/size")
    assert finding.message == (
        "the name says `7b`; model.safetensors holds 1,100,048,384 parameters (1.1B)"
    )
    assert finding.suggestion == "acme/llama-1.1b-chat"


@pytest.mark.parametrize(("name", "parameters", "suggestion"), [
    ("Llama-70B", 13_015_864_320, "acme/Llama-13B"),
    ("opt-1.3b", 125_239_296, "acme/opt-125m"),
    ("mixtral-8x7b", 1_000_000_000, None),  # which of the counts would be right is not for the rule to say
])
def test_the_fix_states_the_count_the_weights_hold(folder: Callable[..., Path], tmp_path: Path, name: str,
                                                   parameters: int, suggestion: str | None) -> None:
    path = folder(tmp_path, name, config={"model_type": name.split("-")[0].lower()}, tensors=llama_tensors(parameters))
    [finding] = found(path, "consistency/size")
    assert finding.suggestion == suggestion


@pytest.mark.parametrize("name, parameters", [("llama-7b", 6_738_415_616), ("mistral-7b", 7_241_732_096),
                                              ("mixtral-8x7b", 46_702_792_704), ("mixtral-8x7b", 12_000_000_000)])
def test_counts_within_the_tolerance_pass(folder: Callable[..., Path], tmp_path: Path, name: str, parameters: int) -> None:
    path = folder(tmp_path, name, config={"model_type": "llama"}, tensors=llama_tensors(parameters))
    assert found(path, "consistency/size") == []


def test_quantized_weights_are_not_counted(folder: Callable[..., Path], tmp_path: Path) -> None:
    config = {"model_type": "llama", "quantization_config": {"quant_method": "gptq", "bits": 4}}
    path = folder(tmp_path, "llama-7b-gptq", config=config, tensors=llama_tensors(1_000_000_000))
    assert found(path, "consistency/size") == []


def test_a_policy_without_a_size_tolerance_gets_the_rules(folder: Callable[..., Path], tmp_path: Path) -> None:
    edge = round(7_000_000_000 * (1 + consistency_size.SIZE_TOLERANCE))
    inside = folder(tmp_path, "llama-7b", config={"model_type": "llama"}, tensors=llama_tensors(edge - 10**6))
    outside = folder(tmp_path, "llama-7b-chat", config={"model_type": "llama"}, tensors=llama_tensors(edge + 10**6))
    assert load_policy(_hub_policy(tmp_path)).consistency.size_tolerance is None
    assert found(inside, "consistency/size") == []
    assert len(found(outside, "consistency/size")) == 1


def test_the_size_tolerance_default_is_the_rules_own() -> None:
    """consistency/size owns the default of `consistency.size-tolerance` (`SIZE_TOLERANCE`): the
    schema, the starter policy and the documents say the same number."""
    tolerance = consistency_size.SIZE_TOLERANCE
    billions = f"{7 * (1 - tolerance):.1f} to {7 * (1 + tolerance):.1f} billion"  # what a 7b name may hold
    schema = json.loads((ROOT / "schemas/policy.schema.json").read_text(encoding="utf-8"))
    setting = schema["properties"]["consistency"]["properties"]["size-tolerance"]
    assert setting["default"] == tolerance
    assert setting["description"].endswith(f"When absent, {tolerance}.")
    assert setting["markdownDescription"].endswith(f"When absent, `{tolerance}`.")
    starter = (ROOT / "hfname_guard/starter-policy.yaml").read_text(encoding="utf-8")
    assert f"(a 7b may hold {billions}):\n# consistency:\n#   size-tolerance: {tolerance}\n" in starter
    assert f"(default {tolerance}: a `7b` name may hold {billions})" in " ".join(
        (consistency_size.__doc__ or "").split())
    assert f"(default {tolerance}: a `7b` name may hold {billions})" in " ".join(markdown().split())
    assert f"- **Default:** `{tolerance}`" in (ROOT / "docs/policy.md").read_text(encoding="utf-8")
    assert f"`consistency.size-tolerance` (default {tolerance})" in " ".join(
        (ROOT / "README.md").read_text(encoding="utf-8").split())


def test_a_size_word_against_the_hidden_size(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "bert-large-ner", config={"model_type": "bert", "hidden_size": 768})
    [finding] = found(path, "consistency/size")
    assert finding.message == (
        "the name says `large`, a hidden size from 1024 to 2048; config.json says 768 (a `base` bert)"
    )
    assert finding.suggestion == "acme/bert-base-ner"


# consistency/task ---------------------------------------------------------------------------

def test_a_ner_name_over_a_text_classifier(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "bert-base-ner", card={"pipeline_tag": "text-classification"},
                  config={"model_type": "bert", "architectures": ["BertForSequenceClassification"]})
    by_card, by_config = found(path, "consistency/task")
    assert by_card.file == f"{path}/README.md" and by_card.line == 2
    assert "README.md says pipeline_tag `text-classification` (expected `token-classification`)" in by_card.message
    assert by_config.message.endswith("config.json says the model is a `BertForSequenceClassification`")


def test_a_chat_name_over_a_causal_lm_agrees(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "llama-7b-chat", card={"pipeline_tag": "text-generation"},
                  config={"model_type": "llama", "architectures": ["LlamaForCausalLM"]})
    assert found(path, "consistency/task") == []


# consistency/language -----------------------------------------------------------------------

def test_an_english_name_over_a_german_card(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "bert-base-en", card={"language": "de", "license": "mit"})
    [finding] = found(path, "consistency/language")
    assert finding.message == "the name says `en` (en); README.md says language `de`"
    assert finding.line == 2


def test_a_multilingual_card_is_not_contradicted(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "bert-base-en", card={"language": ["multilingual"]})
    assert found(path, "consistency/language") == []


# consistency/base-model ---------------------------------------------------------------------

def test_a_mistral_name_on_a_llama_base(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "mistral-7b-lora", card={"base_model": "meta-llama/Llama-2-7b-hf"},
                  adapter={"peft_type": "LORA", "base_model_name_or_path": "meta-llama/Llama-2-7b-hf", "r": 8})
    by_card, by_adapter = found(path, "consistency/base-model")
    assert by_card.message == (
        "the name says `mistral` (mistral); README.md names the base model `meta-llama/Llama-2-7b-hf` (llama)"
    )
    assert by_adapter.file == f"{path}/adapter_config.json"
    assert by_card.suggestion == by_adapter.suggestion == "acme/llama-7b-lora"


# consistency/reuse --------------------------------------------------------------------------

def test_a_lora_name_without_an_adapter(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "llama-7b-lora", config={"model_type": "llama"}, files=("pytorch_model.bin",))
    [finding] = found(path, "consistency/reuse")
    assert finding.message == "the name says `lora`, but the folder has no adapter_config.json (a PEFT adapter)"


@pytest.mark.parametrize("name, files", [
    ("llama-7b-lora", ()),  # a card and a config: the weights live elsewhere
    ("wav2vec2-2-bert-large-no-adapter", ("pytorch_model.bin",)),
    ("gpt-j-6b-without-lora", ("pytorch_model.bin",)),
])
def test_packaging_is_denied_only_on_the_weights_evidence(folder: Callable[..., Path], tmp_path: Path, name: str,
                                                          files: tuple[str, ...]) -> None:
    path = folder(tmp_path, name, config={"model_type": "llama"}, files=files)
    assert found(path, "consistency/reuse") == []


def test_a_quantized_word_needs_readable_float_weights_to_be_denied(folder: Callable[..., Path],
                                                                    tmp_path: Path) -> None:
    """Pickled 8-bit weights of 2022 (hivemind/gpt-j-6B-8bit) carry no quantization_config."""
    pickled = folder(tmp_path, "gpt-j-6b-8bit", config={"model_type": "gptj"}, files=("pytorch_model.bin",))
    assert found(pickled, "consistency/reuse") == []
    floats = folder(tmp_path, "llama-7b-8bit", config={"model_type": "llama"}, tensors=llama_tensors(7_000_000_000))
    [finding] = found(floats, "consistency/reuse")
    assert finding.message == ("the name says `8bit`, but the folder has no quantized weights "
                               "(quantization_config in config.json)")
    integers = folder(tmp_path, "llama-7b-int8", config={"model_type": "llama"},
                      tensors={"model.embed_tokens.weight": ("I8", [4096, 4096])})
    assert found(integers, "consistency/reuse") == []


def test_an_adapter_whose_name_does_not_say_so(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "llama-7b-chat", adapter={"peft_type": "LORA", "r": 16})
    [finding] = found(path, "consistency/reuse")
    assert finding.message == (
        "the folder holds adapter_config.json (a PEFT adapter), but the name does not say so; add `lora` to it"
    )
    assert finding.suggestion == "acme/llama-7b-chat-lora"


@pytest.mark.parametrize("name, config, files, adapter", [
    ("mistral-7b-gptq", {"model_type": "mistral", "quantization_config": {"quant_method": "gptq"}}, (), None),
    ("qwen2.5-7b-instruct-gguf", None, ("qwen2.5-7b-instruct-q4_k_m.gguf",), None),
    ("llama-7b-chat-lora", None, (), {"peft_type": "LORA", "r": 8}),
])
def test_declared_packaging_agrees(folder: Callable[..., Path], tmp_path: Path, name: str, config: dict[str, object] | None,
                                   files: tuple[str, ...], adapter: dict[str, object] | None) -> None:
    path = folder(tmp_path, name, config=config, files=files, adapter=adapter)
    assert found(path, "consistency/reuse") == []


def test_a_broken_adapter_config_is_reported_once(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "llama-7b-chat", files=("adapter_config.json",))
    assert found(path, "consistency/reuse") == []
    [finding] = found(path, "artifacts/corrupt")
    assert finding.file == f"{path}/adapter_config.json"


# artifacts ----------------------------------------------------------------------------------

def test_a_truncated_safetensors_file_is_corrupt(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "llama-7b")
    (path / "model.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00")
    [finding] = found(path, "artifacts/corrupt")
    assert finding.file == f"{path}/model.safetensors"


def test_a_git_lfs_pointer_is_unavailable_not_corrupt(folder: Callable[..., Path], tmp_path: Path) -> None:
    path = folder(tmp_path, "llama-7b-chat", config={"model_type": "llama"})
    (path / "model.safetensors").write_text(textwrap.dedent("""\
        version https://git-lfs.github.com/spec/v1
        oid sha256:4d7a2ba3b5d8f8b3c6e1a9f0e2c3d4b5a6978877665544332211000011223344
        size 90868376
        """), encoding="utf-8")
    assert found(path, "artifacts/corrupt") == []
    [finding] = found(path, "artifacts/unavailable")
    assert finding.severity == "info"
    assert "git-LFS pointer" in finding.message
    assert found(path, "consistency/size") == []
