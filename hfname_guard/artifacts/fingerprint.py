"""Which transformers ``model_type`` a set of tensor names belongs to, without a config.

Each architecture in transformers names its weights after its module tree, so the names in a
safetensors header say what built them: ``encoder.layer.0.attention.self.query`` is BERT's
self-attention, ``h.0.attn.c_attn`` GPT-2's fused projection. ``SIGNATURES`` below holds that
knowledge as data, one row per model type, most specific first: a row matches when each of its
patterns matches some tensor name (and the first one's tensor passes the row's shape test, if it
has one); the first row that matches wins, so a later row is only reached by weights that lack
what the rows before it need. The evidence is the tensor name the row's first pattern matched.

Patterns start at a name or at a dot inside one, so the prefixes of task heads
(``bert.``, ``model.``, ``transformer.``) and of wrappers (PEFT's ``base_model.model.``) do
not hide the architecture. The few prefix-less patterns (``^encoder...``) are base models saved
without their prefix (``BertModel``, as sentence-transformers saves all-MiniLM-L6-v2).

What names cannot tell apart is in ``SAME_NAMES`` (returned as ``Fingerprint.family``, and
asked through ``same_layout``, which never calls a model type the table does not know
different); a caller treats each family as one model type:
- ``roberta``: XLM-RoBERTa and CamemBERT are RoBERTa's modules under RoBERTa's names (their
  task heads even keep the ``roberta.`` prefix). Shapes do tell RoBERTa from BERT in a base model
  saved without prefix: RoBERTa has 2 + 2**k position rows (514), BERT 512.
- ``llama``: Mistral, Gemma (1), Granite, OLMo, Cohere, SmolLM3 and others save llama's names
  (``model.layers.N.self_attn.q_proj`` with ``mlp.gate_proj``); only the config tells them apart.
  Told apart where a tensor shows it: Qwen2 (biases on the q/k/v projections, which a llama with
  ``attention_bias`` shares), StableLM (LayerNorm biases), Qwen3 (per-head ``q_norm``), Gemma 2
  and 3 (``pre_feedforward_layernorm``), OLMo 2 (``post_feedforward_layernorm`` with ``q_norm``),
  Phi (``self_attn.dense``), Phi-3 (fused ``qkv_proj``), DeepSeek V2/V3 (latent attention),
  Mixtral (``block_sparse_moe``, shared with PhiMoE, MiniMax and GraniteMoE).
- ``bert``: a base model saved without prefix could be any BERT-shaped encoder (ELECTRA with
  equal embedding and hidden sizes, RoFormer, LayoutLM, ERNIE); with the ``bert.`` prefix it is
  BERT or Megatron-BERT.
- BART's layout: BART (``layernorm_embedding``), mBART (that and a final ``encoder.layer_norm``),
  Pegasus, M2M100 and Blenderbot (only the final norm), Marian and FSMT (neither).
- ``t5`` covers mT5 and UMT5; ``wav2vec2`` HuBERT, data2vec-audio and UniSpeech saved
  without their prefix; ``vit`` ViT-MAE and ViT-MSN; ``llava`` the vision- and audio-language
  models that join a tower to a language model through a ``multi_modal_projector`` (LLaVA and its
  successors, PaliGemma, Gemma 3, Mistral 3, Llama 4, Qwen2-Audio, ...).
Composite models (transformers' ``encoder-decoder``, ``vision-encoder-decoder`` and
``speech-encoder-decoder``) hold two models under ``encoder.`` and ``decoder.``; their
fingerprint is that of a part, so a caller compares it with the parts, not the composite.
Weights of anything else give None, never a guess.
"""

from __future__ import annotations

import re

from ..record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see hfname_guard/record.py
    from collections.abc import Callable

    ShapeTest = Callable[[tuple[int, ...]], bool]


def roberta_positions(shape: tuple[int, ...]) -> bool:
    """RoBERTa offsets positions past its padding index: 2 + a power of two rows (514, not 512)."""
    return len(shape) == 2 and shape[0] >= 66 and (shape[0] - 2) & (shape[0] - 3) == 0


def linear_layout(shape: tuple[int, ...]) -> bool:
    """A fused QKV weight stored (out, in) as ``nn.Linear`` stores it, taller than wide; GPT-2's
    ``Conv1D`` stores (in, out), wider than tall. StarCoder (gpt_bigcode) keeps GPT-2's names."""
    return len(shape) == 2 and shape[0] > shape[1]


B = r"(?:^|\.)"  # a name starts here: at its start or after a prefix's dot
N = r"\d+"  # a layer (or expert) number

# (model_type, patterns that must each match a tensor name, shape test of the first one's tensor)
SIGNATURES: list[tuple[str, tuple[str, ...], ShapeTest | None]] = [
    # LLaVA and kin: a vision (or audio) tower joined to a whole language model, so before any LM
    ("llava", (B + r"multi_modal_projector\.",), None),
    # Qwen2-VL and Qwen2.5-VL: vision patches merged into the tokens of a Qwen2 language model
    ("qwen2_vl", (B + r"visual\.merger\.",), None),
    # Idefics 2 and 3, SmolVLM: towers joined through a connector's modality projection
    ("idefics3", (B + r"connector\.modality_projection\.",), None),
    # Whisper: two convolutions before a BART-like encoder
    ("whisper", (B + r"encoder\.conv1\.", B + rf"encoder\.layers\.{N}\.self_attn\.k_proj\."), None),
    # Speech2Text: a stack of convolutions before a BART-like encoder
    ("speech_to_text", (B + r"encoder\.conv\.conv_layers\.",), None),
    # T5, mT5, UMT5: blocks of numbered sublayers with single-letter projections
    ("t5", (B + rf"encoder\.block\.{N}\.layer\.0\.SelfAttention\.q\.",), None),
    # mBART: BART's layout with both an embedding norm and a final encoder norm
    ("mbart", (B + rf"encoder\.layers\.{N}\.self_attn\.k_proj\.", B + rf"decoder\.layers\.{N}\.",
               B + r"encoder\.layernorm_embedding\.", B + r"encoder\.layer_norm\."), None),
    # BART: an embedding norm, no final encoder norm
    ("bart", (B + rf"encoder\.layers\.{N}\.self_attn\.k_proj\.", B + rf"decoder\.layers\.{N}\.",
              B + r"encoder\.layernorm_embedding\."), None),
    # Pegasus, M2M100, Blenderbot: a final encoder norm, no embedding norm
    ("pegasus", (B + rf"encoder\.layers\.{N}\.self_attn\.k_proj\.", B + rf"decoder\.layers\.{N}\.",
                 B + r"encoder\.layer_norm\."), None),
    # Marian, FSMT: BART's layout with neither norm
    ("marian", (B + rf"encoder\.layers\.{N}\.self_attn\.k_proj\.", B + rf"decoder\.layers\.{N}\."), None),
    # OPT: a BART-like decoder alone, with a final norm or an input projection no BART decoder has
    ("opt", (B + rf"decoder\.layers\.{N}\.self_attn\.k_proj\.", B + r"decoder\.(?:final_layer_norm|project_in)\."),
     None),
    # DeBERTa v2 and v3: disentangled attention with separate query/key/value projections
    ("deberta-v2", (B + rf"encoder\.layer\.{N}\.attention\.self\.query_proj\.",), None),
    # DeBERTa (v1): one fused input projection
    ("deberta", (B + rf"encoder\.layer\.{N}\.attention\.self\.in_proj\.",), None),
    # MPNet: single-letter projections under attention.attn (514 positions, like RoBERTa)
    ("mpnet", (B + rf"encoder\.layer\.{N}\.attention\.attn\.q\.",), None),
    # Longformer: RoBERTa's names plus global-attention projections
    ("longformer", (B + rf"encoder\.layer\.{N}\.attention\.self\.query_global\.",), None),
    # ALBERT: one group of layers shared across depth
    ("albert", (B + r"encoder\.albert_layer_groups\.",), None),
    # DistilBERT: transformer.layer.N with q_lin/k_lin/v_lin
    ("distilbert", (B + rf"transformer\.layer\.{N}\.attention\.q_lin\.",), None),
    # ELECTRA: its prefix, its embedding projection, or its pre-training heads
    ("electra", (B + r"(?:electra\.(?:embeddings|encoder)|embeddings_project|discriminator_predictions"
                 r"|generator_predictions)\.",), None),
    # RoBERTa, XLM-RoBERTa, CamemBERT: the roberta. prefix their task heads keep
    ("roberta", (B + rf"roberta\.encoder\.layer\.{N}\.attention\.self\.query\.",), None),
    # the same saved without prefix: BERT's names, but 2 + 2**k position rows (514)
    ("roberta", (r"^embeddings\.position_embeddings\.weight$",), roberta_positions),
    # BERT: the bert. prefix of its task heads
    ("bert", (B + rf"bert\.encoder\.layer\.{N}\.attention\.self\.query\.",), None),
    # BertModel saved without prefix (all-MiniLM-L6-v2)
    ("bert", (rf"^encoder\.layer\.{N}\.attention\.self\.query\.",), None),
    # StarCoder: GPT-2's names, its fused projection stored as nn.Linear stores it
    ("gpt_bigcode", (B + rf"h\.{N}\.attn\.c_attn\.weight$",), linear_layout),
    # GPT-2: transformer.h.N.attn.c_attn
    ("gpt2", (B + rf"h\.{N}\.attn\.c_attn\.",), None),
    # GPT-Neo: attention nested one level deeper, GPT-2's MLP names
    ("gpt_neo", (B + rf"h\.{N}\.attn\.attention\.q_proj\.", B + rf"h\.{N}\.mlp\.c_fc\."), None),
    # GPT-J: separate projections and an fc_in MLP
    ("gptj", (B + rf"h\.{N}\.attn\.q_proj\.", B + rf"h\.{N}\.mlp\.fc_in\."), None),
    # BLOOM: a norm on its word embeddings (otherwise Falcon's names)
    ("bloom", (B + r"word_embeddings_layernorm\.",), None),
    # Falcon: transformer.h.N.self_attention.query_key_value
    ("falcon", (B + rf"h\.{N}\.self_attention\.query_key_value\.",), None),
    # GPT-NeoX (Pythia): layers.N.attention.query_key_value
    ("gpt_neox", (B + rf"layers\.{N}\.attention\.query_key_value\.",), None),
    # Mixtral: llama's attention with a sparse mixture of experts
    ("mixtral", (B + rf"layers\.{N}\.block_sparse_moe\.",), None),
    # Qwen2-MoE: experts beside a gated shared expert
    ("qwen2_moe", (B + rf"layers\.{N}\.mlp\.shared_expert_gate\.",), None),
    # DeepSeek V3: latent attention, experts routed with a bias on their scores
    ("deepseek_v3", (B + rf"layers\.{N}\.self_attn\.kv_a_proj_with_mqa\.", B + r"mlp\.gate\.e_score_correction_bias$"),
     None),
    # DeepSeek V2: latent attention
    ("deepseek_v2", (B + rf"layers\.{N}\.self_attn\.kv_a_proj_with_mqa\.",), None),
    # Gemma 3: norms around the MLP and per-head query/key norms
    ("gemma3_text", (B + rf"layers\.{N}\.pre_feedforward_layernorm\.", B + rf"layers\.{N}\.self_attn\.q_norm\."), None),
    # Gemma 2: norms around the MLP
    ("gemma2", (B + rf"layers\.{N}\.pre_feedforward_layernorm\.",), None),
    # OLMo 2: norms after the MLP and on queries, none before attention
    ("olmo2", (B + rf"layers\.{N}\.post_feedforward_layernorm\.", B + rf"layers\.{N}\.self_attn\.q_norm\."), None),
    # Qwen3: llama's layout with per-head query/key norms
    ("qwen3", (B + rf"layers\.{N}\.self_attn\.q_norm\.", B + rf"layers\.{N}\.input_layernorm\.",
               B + rf"layers\.{N}\.mlp\.gate_proj\."), None),
    # Phi-3 and Phi-4: fused qkv_proj (and gate_up_proj)
    ("phi3", (B + rf"layers\.{N}\.self_attn\.qkv_proj\.",), None),
    # Persimmon (Fuyu's language model): fused query_key_value under self_attn
    ("persimmon", (B + rf"layers\.{N}\.self_attn\.query_key_value\.",), None),
    # Phi (1, 1.5, 2): the attention output is self_attn.dense
    ("phi", (B + rf"layers\.{N}\.self_attn\.dense\.",), None),
    # StableLM: llama's layout with LayerNorm biases
    ("stablelm", (B + rf"layers\.{N}\.input_layernorm\.bias$", B + rf"layers\.{N}\.mlp\.gate_proj\."), None),
    # Qwen2: llama's layout with biases on the query/key/value projections
    ("qwen2", (B + rf"layers\.{N}\.self_attn\.q_proj\.bias$", B + rf"layers\.{N}\.mlp\.gate_proj\."), None),
    # llama and every decoder that saves its names (Mistral, Gemma 1, ...: see SAME_NAMES)
    ("llama", (B + rf"layers\.{N}\.self_attn\.q_proj\.", B + rf"layers\.{N}\.mlp\.gate_proj\."), None),
    # HuBERT: wav2vec2's feature extractor under its own prefix
    ("hubert", (B + r"hubert\.feature_extractor\.",), None),
    # WavLM: gated relative position bias
    ("wavlm", (B + rf"encoder\.layers\.{N}\.attention\.gru_rel_pos_",), None),
    # wav2vec2-conformer: a convolution module in each layer
    ("wav2vec2-conformer", (B + rf"encoder\.layers\.{N}\.conv_module\.",), None),
    # wav2vec2: the convolutional feature extractor
    ("wav2vec2", (B + rf"feature_extractor\.conv_layers\.{N}\.conv\.",), None),
    # DINOv2: ViT's names with layer scale
    ("dinov2", (B + rf"encoder\.layer\.{N}\.layer_scale1\.lambda1",), None),
    # BEiT: its prefix, or its layer scale
    ("beit", (B + rf"(?:beit\.embeddings\.|encoder\.layer\.{N}\.lambda_1)",), None),
    # DeiT: a distillation token beside the class token
    ("deit", (B + r"embeddings\.distillation_token",), None),
    # ViT-MAE pre-training: ViT with a decoder
    ("vit_mae", (B + rf"decoder\.decoder_layers\.{N}\.",), None),
    # ViT: the vit. prefix of its task heads
    ("vit", (B + r"vit\.embeddings\.patch_embeddings\.",), None),
    # ViTModel saved without prefix: patch embedding and attention.attention
    ("vit", (r"^embeddings\.patch_embeddings\.projection\.", rf"^encoder\.layer\.{N}\.attention\.attention\.query\."),
     None),
    # SigLIP: a bias in its sigmoid loss and pooling heads on its towers, which CLIP lacks
    ("siglip", (B + r"(?:logit_bias$|vision_model\.head\.probe|text_model\.head\.)",), None),
    # CLIP's vision tower: a norm before the encoder, spelled pre_layrnorm
    ("clip", (B + r"vision_model\.pre_layrnorm\.",), None),
    # CLIP's text tower alone
    ("clip", (B + rf"text_model\.encoder\.layers\.{N}\.self_attn\.q_proj\.", B + r"text_model\.final_layer_norm\."),
     None),
]

# model types that save their weights under the same names as the one the fingerprint returns
SAME_NAMES: dict[str, tuple[str, ...]] = {
    "llava": ("llava_next", "llava_next_video", "llava_onevision", "vipllava", "paligemma", "gemma3", "mistral3",
              "aya_vision", "mllama", "llama4", "internvl", "qwen2_audio", "voxtral"),
    "qwen2_vl": ("qwen2_5_vl",),
    "idefics3": ("idefics2", "smolvlm"),
    "whisper": ("moonshine",),
    "t5": ("mt5", "umt5"),
    "bart": ("blenderbot-small", "plbart", "mvp"),
    "pegasus": ("m2m_100", "blenderbot", "nllb-moe"),
    "marian": ("fsmt",),
    "roberta": ("xlm-roberta", "camembert", "xlm-roberta-xl", "data2vec-text", "roberta-prelayernorm", "xmod", "ibert"),
    "bert": ("megatron-bert", "electra", "roformer", "layoutlm", "ernie", "splinter"),
    "gpt2": ("imagegpt", "decision_transformer"),
    "gpt_neox": ("gpt_neox_japanese",),
    "mixtral": ("phimoe", "minimax", "granitemoe", "granitemoeshared"),
    "deepseek_v2": ("deepseek_v3",),
    "gemma3_text": ("gemma3", "gemma3n", "gemma3n_text"),
    "olmo2": ("olmo3",),
    "qwen3": ("cohere",),  # Command R+ normalizes queries and keys per head too
    "phi3": ("phi4_multimodal",),
    "persimmon": ("fuyu",),
    "qwen2": ("llama",),  # llama with `attention_bias` has the same biases
    "llama": ("mistral", "ministral", "gemma", "granite", "olmo", "cohere", "cohere2", "helium", "smollm3", "ernie4_5",
              "bitnet"),
    "wav2vec2": ("hubert", "data2vec-audio", "unispeech", "unispeech-sat", "sew", "sew-d"),
    "wav2vec2-conformer": ("wav2vec2-bert",),
    "dinov2": ("dinov2_with_registers",),
    "beit": ("data2vec-vision",),
    "vit": ("vit_mae", "vit_msn"),
    "siglip": ("siglip2",),
    "clip": ("chinese_clip", "clip_vision_model", "clip_text_model", "altclip", "git"),
}


def same_layout(model_type: str, fingerprinted: str) -> bool:
    """Whether weights of ``model_type`` may carry the names that fingerprint as ``fingerprinted``,
    so that a config saying one over weights showing the other is no contradiction.

    Only a model type the table knows (a row's or a family member's) can be said to differ: the
    weights of one it does not know (GLM-4.5, Chameleon, ...) may well look like a known one's.
    """
    known = model_type in SAME_NAMES or any(model_type in family for family in SAME_NAMES.values()) or any(
        model_type == row[0] for row in SIGNATURES
    )
    return (
        not known
        or model_type == fingerprinted
        or model_type in SAME_NAMES.get(fingerprinted, ())
        or fingerprinted in SAME_NAMES.get(model_type, ())
    )


_LAYER_NUMBER = re.compile(r"(?<=\.)\d+(?=\.)")


class Fingerprint(Record):
    """The model type the tensor names show, the name that showed it, and every model type
    (itself first) whose weights carry the same names."""

    model_type: str
    evidence: str
    family: tuple[str, ...] = ()


_compiled: list[tuple[str, tuple[re.Pattern[str], ...], ShapeTest | None]] | None = None


def fingerprint(tensors: dict[str, tuple[int, ...]]) -> Fingerprint | None:
    """The model type of weights with these tensor names and shapes, or None when unknown."""
    global _compiled
    if _compiled is None:  # compiled on first use: a check without weights never pays for it
        _compiled = [(kind, tuple(re.compile(p) for p in patterns), test) for kind, patterns, test in SIGNATURES]
    names = _one_per_layout(tensors)
    for model_type, patterns, shape_test in _compiled:
        evidence = next(
            (name for name in names if patterns[0].search(name) and (shape_test is None or shape_test(tensors[name]))),
            None,
        )
        if evidence is not None and all(any(p.search(name) for name in names) for p in patterns[1:]):
            return Fingerprint(model_type, evidence, (model_type, *SAME_NAMES.get(model_type, ())))
    return None


def _one_per_layout(tensors: dict[str, tuple[int, ...]]) -> list[str]:
    """One tensor name per name-with-its-layer-numbers-removed, the first in sorted order.

    A 70B model repeats the same dozen names in each of its 80 layers; matching one of each
    keeps the cost near that of a small model.
    """
    seen: dict[str, str] = {}
    for name in sorted(tensors):
        seen.setdefault(_LAYER_NUMBER.sub("#", name), name)
    return list(seen.values())
