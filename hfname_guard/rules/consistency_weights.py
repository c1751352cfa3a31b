"""config.json and the weights describe the same architecture.

A config.json copied from another model, or weights saved over the wrong config, make a model
that will not load or, worse, loads wrong. The tensor names in the safetensors header show the
family (`encoder.layer.N.attention.self.query` is BERT, `model.layers.N.self_attn.q_proj` is a
Llama-style decoder, `transformer.h.N.attn.c_attn` is GPT-2); this rule compares it with
config.json's `model_type`. Families that share their tensor layout (Llama, Mistral, Qwen2)
agree with each other.

Passing: config.json `model_type: bert` over BERT tensors

Failing: config.json `model_type: llama` over GPT-2 tensors (`transformer.h.0.attn.c_attn.weight`)
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

ID = "consistency/weights"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    config = facts.config
    if config is None or not config.model_type or facts.weights is None:
        return
    fingerprint = facts.fingerprint
    if fingerprint is None:
        return
    from ..artifacts.fingerprint import same_layout

    if not same_layout(config.model_type, fingerprint.model_type):
        yield Problem(
            f"{os.path.basename(config.file)} says model_type `{config.model_type}`; the tensors of "
            f"{os.path.basename(facts.weights.files[0])} are "
            f"those of `{fingerprint.model_type}` (`{fingerprint.evidence}`)",
            file=config.file,
        )
