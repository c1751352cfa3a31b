"""hfname_guard.artifacts.fingerprint: the model type from tensor names, as transformers saves them.

Each case is the distinguishing part of a real checkpoint's tensor names (one layer of each; the
fingerprint looks at one name per layout anyway), with the prefixes its task head adds.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from hfname_guard.artifacts.fingerprint import SAME_NAMES, SIGNATURES, Fingerprint, fingerprint, same_layout

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "all-MiniLM-L6-v2"

LLAMA_LAYER = [
    "self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight", "self_attn.o_proj.weight",
    "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight",
    "input_layernorm.weight", "post_attention_layernorm.weight",
]
QKV_BIASES = ["self_attn.q_proj.bias", "self_attn.k_proj.bias", "self_attn.v_proj.bias"]
BART_LAYER = ["self_attn.k_proj.weight", "self_attn.q_proj.weight", "fc1.weight", "final_layer_norm.weight"]


def decoder(layer: list[str], prefix: str = "model.", layers: int = 2, extra: tuple[str, ...] = ()) -> list[str]:
    names = [f"{prefix}layers.{n}.{name}" for n in range(layers) for name in layer]
    return [f"{prefix}embed_tokens.weight", f"{prefix}norm.weight", *names, *extra]


def seq2seq(encoder_extra: tuple[str, ...] = (), prefix: str = "model.") -> list[str]:
    names = [f"{prefix}shared.weight"]
    for side in ("encoder", "decoder"):
        names += [f"{prefix}{side}.layers.0.{name}" for name in BART_LAYER]
        names += [f"{prefix}{side}.{name}" for name in encoder_extra]
    return names


def shaped(names: list[str], shapes: dict[str, tuple[int, ...]] | None = None) -> dict[str, tuple[int, ...]]:
    """Tensors with these names: the shapes given, (8, 8) for every other one."""
    return {name: (shapes or {}).get(name, (8, 8)) for name in names}


# (model_type expected, the evidence expected, tensors: a list of names, or names with shapes)
CASES: list[tuple[str, str, list[str] | dict[str, tuple[int, ...]]]] = [
    ("bert", "bert.encoder.layer.0.attention.self.query.weight", [
        "bert.embeddings.word_embeddings.weight", "bert.encoder.layer.0.attention.self.query.weight",
        "bert.pooler.dense.weight", "classifier.weight"]),
    ("roberta", "roberta.encoder.layer.0.attention.self.query.weight", [
        "roberta.embeddings.word_embeddings.weight", "roberta.encoder.layer.0.attention.self.query.weight",
        "lm_head.dense.weight"]),
    ("distilbert", "distilbert.transformer.layer.0.attention.q_lin.weight", [
        "distilbert.embeddings.word_embeddings.weight", "distilbert.transformer.layer.0.attention.q_lin.weight",
        "pre_classifier.weight"]),
    ("distilbert", "transformer.layer.0.attention.q_lin.weight", [
        "embeddings.word_embeddings.weight", "transformer.layer.0.attention.q_lin.weight"]),
    ("electra", "discriminator_predictions.dense.weight", [
        "electra.embeddings.word_embeddings.weight", "electra.encoder.layer.0.attention.self.query.weight",
        "discriminator_predictions.dense.weight"]),
    ("electra", "electra.encoder.layer.0.attention.self.query.weight", [
        "electra.encoder.layer.0.attention.self.query.weight", "classifier.out_proj.weight"]),
    ("deberta-v2", "deberta.encoder.layer.0.attention.self.query_proj.weight", [
        "deberta.embeddings.word_embeddings.weight", "deberta.encoder.layer.0.attention.self.query_proj.weight",
        "deberta.encoder.rel_embeddings.weight"]),
    ("deberta", "deberta.encoder.layer.0.attention.self.in_proj.weight", [
        "deberta.encoder.layer.0.attention.self.in_proj.weight", "deberta.encoder.layer.0.attention.self.q_bias"]),
    ("longformer", "longformer.encoder.layer.0.attention.self.query_global.weight", [
        "longformer.embeddings.position_embeddings.weight", "longformer.encoder.layer.0.attention.self.query.weight",
        "longformer.encoder.layer.0.attention.self.query_global.weight"]),
    ("albert", "albert.encoder.albert_layer_groups.0.albert_layers.0.attention.query.weight", [
        "albert.embeddings.word_embeddings.weight", "albert.encoder.embedding_hidden_mapping_in.weight",
        "albert.encoder.albert_layer_groups.0.albert_layers.0.attention.query.weight"]),
    ("roberta", "embeddings.position_embeddings.weight", shaped([  # xlm-roberta-base saved without prefix
        "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
        "encoder.layer.0.attention.self.query.weight"], {"embeddings.position_embeddings.weight": (514, 768)})),
    ("bert", "encoder.layer.0.attention.self.query.weight", shaped([  # bert-base-uncased saved without prefix
        "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
        "encoder.layer.0.attention.self.query.weight"], {"embeddings.position_embeddings.weight": (512, 768)})),
    ("mpnet", "encoder.layer.0.attention.attn.q.weight", shaped([  # all-mpnet-base-v2: 514 positions, like RoBERTa
        "embeddings.position_embeddings.weight", "encoder.layer.0.attention.attn.q.weight",
        "encoder.relative_attention_bias.weight"], {"embeddings.position_embeddings.weight": (514, 768)})),
    ("gpt2", "transformer.h.0.attn.c_attn.weight", shaped([  # GPT-2's Conv1D stores (in, out)
        "transformer.wte.weight", "transformer.wpe.weight", "transformer.h.0.attn.c_attn.weight",
        "transformer.h.0.mlp.c_fc.weight", "lm_head.weight"], {"transformer.h.0.attn.c_attn.weight": (768, 2304)})),
    ("gpt2", "h.0.attn.c_attn.bias", shaped(
        ["wte.weight", "h.0.attn.c_attn.bias", "h.0.attn.c_attn.weight"], {"h.0.attn.c_attn.weight": (768, 2304)})),
    ("gpt_bigcode", "transformer.h.0.attn.c_attn.weight", shaped([  # StarCoder: nn.Linear, (out, in), multi-query
        "transformer.wte.weight", "transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_attn.bias"],
        {"transformer.h.0.attn.c_attn.weight": (6144 + 2 * 128, 6144)})),
    ("gpt_neox", "gpt_neox.layers.0.attention.query_key_value.weight", [
        "gpt_neox.embed_in.weight", "gpt_neox.layers.0.attention.query_key_value.weight", "embed_out.weight"]),
    ("gptj", "transformer.h.0.attn.q_proj.weight", [
        "transformer.wte.weight", "transformer.h.0.attn.q_proj.weight", "transformer.h.0.mlp.fc_in.weight"]),
    ("gpt_neo", "transformer.h.0.attn.attention.q_proj.weight", [
        "transformer.wte.weight", "transformer.h.0.attn.attention.q_proj.weight", "transformer.h.0.mlp.c_fc.weight"]),
    ("bloom", "transformer.word_embeddings_layernorm.weight", [
        "transformer.word_embeddings.weight", "transformer.word_embeddings_layernorm.weight",
        "transformer.h.0.self_attention.query_key_value.weight"]),
    ("falcon", "transformer.h.0.self_attention.query_key_value.weight", [
        "transformer.word_embeddings.weight", "transformer.h.0.self_attention.query_key_value.weight",
        "transformer.h.0.mlp.dense_h_to_4h.weight"]),
    ("llama", "model.layers.0.self_attn.q_proj.weight", decoder(LLAMA_LAYER, extra=("lm_head.weight",))),
    ("llama", "layers.0.self_attn.q_proj.weight", decoder(LLAMA_LAYER, prefix="")),  # LlamaModel, no prefix
    ("llama", "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", [  # a PEFT LoRA adapter
        "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
        "base_model.model.model.layers.0.mlp.gate_proj.lora_A.weight"]),
    ("qwen2", "model.layers.0.self_attn.q_proj.bias", decoder(LLAMA_LAYER + QKV_BIASES)),
    ("qwen3", "model.layers.0.self_attn.q_norm.weight", decoder(LLAMA_LAYER + ["self_attn.q_norm.weight"])),
    ("gemma2", "model.layers.0.pre_feedforward_layernorm.weight", decoder(
        LLAMA_LAYER + ["pre_feedforward_layernorm.weight", "post_feedforward_layernorm.weight"])),
    ("gemma3_text", "model.layers.0.pre_feedforward_layernorm.weight", decoder(
        LLAMA_LAYER + ["pre_feedforward_layernorm.weight", "post_feedforward_layernorm.weight",
                       "self_attn.q_norm.weight", "self_attn.k_norm.weight"])),
    ("olmo2", "model.layers.0.post_feedforward_layernorm.weight", decoder(
        [n for n in LLAMA_LAYER if not n.startswith("input_")] + ["post_feedforward_layernorm.weight",
                                                                    "self_attn.q_norm.weight"])),
    ("stablelm", "model.layers.0.input_layernorm.bias", decoder(
        LLAMA_LAYER + QKV_BIASES + ["input_layernorm.bias", "post_attention_layernorm.bias"])),
    ("phi", "model.layers.0.self_attn.dense.weight", decoder(
        ["self_attn.q_proj.weight", "self_attn.q_proj.bias", "self_attn.dense.weight", "mlp.fc1.weight",
         "input_layernorm.weight", "input_layernorm.bias"])),
    ("phi3", "model.layers.0.self_attn.qkv_proj.weight", decoder(
        ["self_attn.qkv_proj.weight", "self_attn.o_proj.weight", "mlp.gate_up_proj.weight", "mlp.down_proj.weight"])),
    ("mixtral", "model.layers.0.block_sparse_moe.experts.0.w1.weight", decoder(
        LLAMA_LAYER[:4] + ["block_sparse_moe.gate.weight", "block_sparse_moe.experts.0.w1.weight"])),
    ("qwen2_moe", "model.layers.0.mlp.shared_expert_gate.weight", decoder(
        LLAMA_LAYER[:4] + QKV_BIASES + ["mlp.gate.weight", "mlp.experts.0.gate_proj.weight",
                                        "mlp.shared_expert.gate_proj.weight", "mlp.shared_expert_gate.weight"])),
    ("deepseek_v3", "model.layers.0.self_attn.kv_a_proj_with_mqa.weight", decoder(
        ["self_attn.q_a_proj.weight", "self_attn.kv_a_proj_with_mqa.weight", "self_attn.o_proj.weight",
         "mlp.gate_proj.weight", "mlp.gate.weight", "mlp.gate.e_score_correction_bias"])),
    ("deepseek_v2", "model.layers.0.self_attn.kv_a_proj_with_mqa.weight", decoder(  # V2-Lite: q_proj, gate_proj
        ["self_attn.q_proj.weight", "self_attn.kv_a_proj_with_mqa.weight", "mlp.gate_proj.weight",
         "mlp.experts.0.gate_proj.weight"])),
    ("persimmon", "model.layers.0.self_attn.query_key_value.weight", decoder(
        ["self_attn.query_key_value.weight", "self_attn.dense.weight", "mlp.dense_h_to_4h.weight"])),
    ("t5", "encoder.block.0.layer.0.SelfAttention.q.weight", [
        "shared.weight", "encoder.block.0.layer.0.SelfAttention.q.weight",
        "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
        "decoder.block.0.layer.1.EncDecAttention.q.weight", "encoder.block.0.layer.1.DenseReluDense.wi_0.weight"]),
    ("bart", "model.encoder.layers.0.self_attn.k_proj.weight", seq2seq(("layernorm_embedding.weight",))),
    ("mbart", "model.encoder.layers.0.self_attn.k_proj.weight", seq2seq(("layernorm_embedding.weight", "layer_norm.weight"))),
    ("pegasus", "model.encoder.layers.0.self_attn.k_proj.weight", seq2seq(("layer_norm.weight",))),
    ("marian", "model.encoder.layers.0.self_attn.k_proj.weight", seq2seq(("embed_positions.weight",))),
    ("marian", "encoder.layers.0.self_attn.k_proj.weight", seq2seq(prefix="")),  # MarianModel, no prefix
    ("opt", "model.decoder.layers.0.self_attn.k_proj.weight", [
        "model.decoder.embed_tokens.weight", "model.decoder.embed_positions.weight",
        "model.decoder.layers.0.self_attn.k_proj.weight", "model.decoder.layers.0.fc1.weight",
        "model.decoder.final_layer_norm.weight"]),
    ("opt", "decoder.layers.0.self_attn.k_proj.weight", [  # opt-350m: projections, no final norm
        "decoder.embed_tokens.weight", "decoder.project_in.weight", "decoder.layers.0.self_attn.k_proj.weight"]),
    ("whisper", "model.encoder.conv1.weight", [
        "model.encoder.conv1.weight", "model.encoder.conv2.weight", "model.encoder.layer_norm.weight",
        *seq2seq()[1:]]),
    ("speech_to_text", "model.encoder.conv.conv_layers.0.weight", [
        "model.encoder.conv.conv_layers.0.weight", "model.encoder.layer_norm.weight", *seq2seq()[1:]]),
    ("wav2vec2", "wav2vec2.feature_extractor.conv_layers.0.conv.weight", [
        "wav2vec2.feature_extractor.conv_layers.0.conv.weight", "wav2vec2.encoder.layers.0.attention.k_proj.weight",
        "lm_head.weight"]),
    ("wav2vec2", "feature_extractor.conv_layers.0.conv.weight", [
        "feature_extractor.conv_layers.0.conv.weight", "encoder.layers.0.attention.k_proj.weight"]),
    ("hubert", "hubert.feature_extractor.conv_layers.0.conv.weight", [
        "hubert.feature_extractor.conv_layers.0.conv.weight", "hubert.encoder.layers.0.attention.k_proj.weight"]),
    ("wavlm", "wavlm.encoder.layers.0.attention.gru_rel_pos_const", [
        "wavlm.feature_extractor.conv_layers.0.conv.weight", "wavlm.encoder.layers.0.attention.gru_rel_pos_const"]),
    ("wav2vec2-conformer", "wav2vec2_conformer.encoder.layers.0.conv_module.depthwise_conv.weight", [
        "wav2vec2_conformer.feature_extractor.conv_layers.0.conv.weight",
        "wav2vec2_conformer.encoder.layers.0.conv_module.depthwise_conv.weight"]),
    ("vit", "vit.embeddings.patch_embeddings.projection.weight", [
        "vit.embeddings.cls_token", "vit.embeddings.patch_embeddings.projection.weight",
        "vit.encoder.layer.0.attention.attention.query.weight", "classifier.weight"]),
    ("vit", "embeddings.patch_embeddings.projection.weight", [
        "embeddings.cls_token", "embeddings.patch_embeddings.projection.weight",
        "encoder.layer.0.attention.attention.query.weight", "pooler.dense.weight"]),
    ("vit_mae", "decoder.decoder_layers.0.attention.attention.query.weight", [
        "vit.embeddings.patch_embeddings.projection.weight", "decoder.decoder_layers.0.attention.attention.query.weight"]),
    ("dinov2", "encoder.layer.0.layer_scale1.lambda1", [
        "embeddings.mask_token", "embeddings.patch_embeddings.projection.weight",
        "encoder.layer.0.attention.attention.query.weight", "encoder.layer.0.layer_scale1.lambda1"]),
    ("deit", "deit.embeddings.distillation_token", [
        "deit.embeddings.cls_token", "deit.embeddings.distillation_token",
        "deit.embeddings.patch_embeddings.projection.weight", "deit.encoder.layer.0.attention.attention.query.weight"]),
    ("beit", "beit.embeddings.patch_embeddings.projection.weight", [
        "beit.embeddings.patch_embeddings.projection.weight", "beit.encoder.layer.0.lambda_1",
        "beit.encoder.layer.0.attention.attention.query.weight"]),
    ("clip", "vision_model.pre_layrnorm.weight", [
        "logit_scale", "text_projection.weight", "visual_projection.weight",
        "text_model.embeddings.token_embedding.weight", "text_model.encoder.layers.0.self_attn.q_proj.weight",
        "text_model.final_layer_norm.weight", "vision_model.embeddings.patch_embedding.weight",
        "vision_model.pre_layrnorm.weight", "vision_model.encoder.layers.0.self_attn.q_proj.weight"]),
    ("clip", "text_model.encoder.layers.0.self_attn.q_proj.weight", [  # CLIPTextModel alone
        "text_model.embeddings.token_embedding.weight", "text_model.encoder.layers.0.self_attn.q_proj.weight",
        "text_model.final_layer_norm.weight"]),
    ("siglip", "logit_bias", [
        "logit_bias", "logit_scale", "text_model.encoder.layers.0.self_attn.q_proj.weight",
        "text_model.final_layer_norm.weight", "text_model.head.weight", "vision_model.head.probe",
        "vision_model.embeddings.patch_embedding.weight"]),
    ("llava", "multi_modal_projector.linear_1.weight", [
        *decoder(LLAMA_LAYER, prefix="language_model.model."), "language_model.lm_head.weight",
        "vision_tower.vision_model.pre_layrnorm.weight", "multi_modal_projector.linear_1.weight"]),
    ("idefics3", "model.connector.modality_projection.proj.weight", [
        *decoder(LLAMA_LAYER, prefix="model.text_model."), "model.vision_model.embeddings.patch_embedding.weight",
        "model.connector.modality_projection.proj.weight"]),
    ("qwen2_vl", "visual.merger.mlp.0.weight", [
        *decoder(LLAMA_LAYER + QKV_BIASES), "visual.blocks.0.attn.qkv.weight", "visual.merger.mlp.0.weight"]),
]

def tensors_of(case: list[str] | dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
    return case if isinstance(case, dict) else shaped(case)


@pytest.mark.parametrize(("model_type", "evidence", "case"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_tensor_names_show_the_model_type(
    model_type: str, evidence: str, case: list[str] | dict[str, tuple[int, ...]]
) -> None:
    found = fingerprint(tensors_of(case))
    assert found == Fingerprint(model_type, evidence, (model_type, *SAME_NAMES.get(model_type, ())))


def test_all_minilm_l6_v2_is_bert_saved_without_its_prefix() -> None:
    header = json.loads((FIXTURE / "model.safetensors.header.json").read_bytes())
    tensors = {name: tuple(entry["shape"]) for name, entry in header.items() if name != "__metadata__"}
    found = fingerprint(tensors)
    assert found is not None
    assert (found.model_type, found.evidence) == ("bert", "encoder.layer.0.attention.self.query.bias")
    assert tensors["embeddings.position_embeddings.weight"] == (512, 384)  # BERT's 512, not RoBERTa's 514


def test_mistral_and_llama_share_their_names() -> None:
    found = fingerprint(shaped(decoder(LLAMA_LAYER)))
    assert found is not None and found.model_type == "llama" and "mistral" in found.family and "gemma" in found.family


@pytest.mark.parametrize(
    "names",
    [
        [],
        ["weight"],
        ["backbone.layers.0.mixer.in_proj.weight", "backbone.embeddings.weight"],  # Mamba
        ["conv1.weight", "bn1.weight", "layer1.0.conv1.weight", "fc.weight"],  # a torchvision ResNet
        ["model.layers.0.self_attn.q_proj.weight", "model.layers.0.mlp.c_fc.weight"],  # StarCoder2: not llama's MLP
        ["transformer.h.0.attn.attention.q_proj.weight", "transformer.h.0.mlp.c_fc_0.weight"],  # EXAONE 3, not GPT-Neo
        ["led.encoder.layers.0.self_attn.longformer_self_attn.key.weight",  # LED's decoder is not OPT
         "led.decoder.layers.0.self_attn.k_proj.weight", "led.decoder.layernorm_embedding.weight"],
        ["model.layers.0.self_attn.q_norm.weight", "model.layers.0.input_layernorm.weight",  # Qwen3-MoE
         "model.layers.0.mlp.experts.0.gate_proj.weight"],
    ],
)
def test_unknown_weights_give_no_fingerprint(names: list[str]) -> None:
    assert fingerprint(shaped(names)) is None


def test_the_order_of_the_tensors_does_not_matter() -> None:
    for model_type, _, case in CASES:
        tensors = tensors_of(case)
        names = list(tensors)
        random.Random(model_type).shuffle(names)
        assert fingerprint({name: tensors[name] for name in names}) == fingerprint(tensors)


def test_every_signature_is_the_one_that_matches_some_case() -> None:
    """No row is dead: each one is the first to match one of the cases (its type, its evidence)."""
    for model_type, patterns, _ in SIGNATURES:
        assert any(
            case_type == model_type and re.search(patterns[0], evidence) for case_type, evidence, _ in CASES
        ), (model_type, patterns[0])


def test_every_model_type_named_is_a_transformers_model_type(
        transformers_model_types: dict[str, dict[str, object]]) -> None:
    known = set(transformers_model_types)
    named = {row[0] for row in SIGNATURES} | set(SAME_NAMES) | {t for family in SAME_NAMES.values() for t in family}
    assert named <= known, sorted(named - known)


@pytest.mark.parametrize(
    ("model_type", "fingerprinted", "same"),
    [
        ("bert", "bert", True),
        ("xlm-roberta", "roberta", True),
        ("roberta", "xlm-roberta", True),
        ("mistral", "llama", True),
        ("llama", "qwen2", True),  # a llama with attention_bias
        ("gemma3", "llava", True),
        ("gemma3", "gemma3_text", True),
        ("bert", "roberta", False),
        ("gpt2", "llama", False),
        ("mistral", "gemma", False),  # both share llama's names, but neither is the fingerprint
        ("cohere", "qwen3", True),  # Command R+ with its per-head norms
        ("glm4_moe", "qwen2", True),  # unknown to the table: never said to differ
    ],
)
def test_same_layout(model_type: str, fingerprinted: str, same: bool) -> None:
    assert same_layout(model_type, fingerprinted) is same
