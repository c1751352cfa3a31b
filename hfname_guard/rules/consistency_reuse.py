"""The name says how the model is packaged exactly when its files show it.

A `lora` name must hold an adapter (adapter_config.json); a `gptq` or `awq` name a config.json
with that `quantization_config`; a `gguf` name `.gguf` files; `4bit`/`8bit` names quantized
weights; an `onnx` name `.onnx` files. And the reverse: a folder holding an adapter, or GPTQ,
AWQ or GGUF weights, whose name does not say so, surprises the user who loads it as a full
model.

The rule denies a word only on the evidence of the model's weights: a folder without weight
files (a card and a config whose weights live elsewhere) does not show how the model is
packaged, and a `4bit` or `8bit` word needs readable weights (safetensors) whose dtypes are all
floating point, for quantized weights saved by other code (a pickled `pytorch_model.bin`, an
OpenVINO `.bin`) leave no `quantization_config`. A word after `no`, `without`, `wo` or `non`
says what the model is not (`wav2vec2-2-bert-large-no-adapter`).

The fix adds the word the files show (`acme/llama-7b-lora`) and drops a word they deny; like
every fix of a name, it is the name `hfname-guard suggest` prints, so that every fix of one
model agrees.

Passing: `acme/llama-7b-chat-lora` with adapter_config.json; `acme/mistral-7b-gptq` quantized by GPTQ;
`acme/gpt-j-6b-8bit` holding only pytorch_model.bin

Failing: `acme/llama-7b-lora` with full weights and no adapter_config.json; `acme/llama-7b` holding adapter_config.json
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.tokens import words
from ..targets import is_weight_file

ID = "consistency/reuse"
SEVERITY = "error"
SUBJECT = "folder"

EVIDENCE = {
    # name word: what the folder must show for it
    **dict.fromkeys(("lora", "qlora", "dora", "adapter", "peft"), "adapter"),
    "gptq": "gptq",
    "awq": "awq",
    "gguf": "gguf",
    "onnx": "onnx",
    **dict.fromkeys(("4bit", "8bit", "bnb", "int4", "int8", "nf4"), "quantized"),
}
NEGATIONS = frozenset(("no", "without", "wo", "non"))
FLOATING_POINT_DTYPES = frozenset(("F64", "F32", "F16", "BF16"))
MUST_BE_NAMED = {"adapter": "lora", "gptq": "gptq", "awq": "awq", "gguf": "gguf"}
"""What a name must declare when the folder shows it, and the word to suggest."""

DESCRIPTIONS = {
    "adapter": "adapter_config.json (a PEFT adapter)",
    "gptq": "GPTQ quantization (quantization_config in config.json)",
    "awq": "AWQ quantization (quantization_config in config.json)",
    "gguf": "GGUF weights (.gguf files)",
    "onnx": "ONNX weights (.onnx files)",
    "quantized": "quantized weights (quantization_config in config.json)",
}


def check(facts: Facts) -> Iterator[Problem]:
    denied, unnamed = facts.shared(packaging_mismatch)
    for word in denied:
        yield Problem(f"the name says `{word}`, but the folder has no {DESCRIPTIONS[EVIDENCE[word]]}",
                      suggestion=facts.name_fix())
    for evidence in unnamed:
        yield Problem(
            f"the folder holds {DESCRIPTIONS[evidence]}, but the name does not say so; add "
            f"`{MUST_BE_NAMED[evidence]}` to it",
            suggestion=facts.name_fix(),
        )


def packaging_mismatch(facts: Facts) -> tuple[list[str], list[str]]:
    """The packaging words of the name that the model's files deny, and what the files show that
    it must say but does not (``adapter``: `lora`): what the rule reports and the name engine
    drops or adds."""
    return mismatch_of(facts, facts.name)


def mismatch_of(facts: Facts, name: str) -> tuple[list[str], list[str]]:
    """``packaging_mismatch`` for another name of the model (one the name engine proposes)."""
    if not facts.files:
        return [], []
    said = _said(words(name))
    shown = _packaging(facts)
    denied = [word for word in sorted(said) if EVIDENCE[word] not in shown and _could_show(facts, EVIDENCE[word])]
    return denied, sorted(shown & MUST_BE_NAMED.keys() - {EVIDENCE[word] for word in said})


def _said(name_words: list[str]) -> set[str]:
    """The packaging words the name claims, leaving out those it negates (`no-adapter`)."""
    return {word for before, word in zip(["", *name_words], name_words)
            if word in EVIDENCE and before not in NEGATIONS}


def _could_show(facts: Facts, evidence: str) -> bool:
    """Whether the folder's files would show ``evidence`` if the model had it."""
    if not any(is_weight_file(name) for name in facts.files):
        return False
    if evidence == "quantized":
        weights = facts.weights
        return weights is not None and set(weights.parameters) <= FLOATING_POINT_DTYPES
    return True


def _packaging(facts: Facts) -> set[str]:
    """What the files show: "adapter", "gptq", "awq", "gguf", "onnx", "quantized"."""
    shown = set()
    if facts.adapter is not None:  # a broken adapter_config.json is artifacts/corrupt's to report
        shown.add("adapter")
    if any(name.endswith(".gguf") for name in facts.files):
        shown.add("gguf")
    if any(name.endswith(".onnx") for name in facts.files) or "onnx" in facts.files:
        shown.add("onnx")
    config = facts.config
    if config is not None and config.quantization:
        shown.add("quantized")
        if config.quantization in ("gptq", "awq"):
            shown.add(config.quantization)
    return shown
