"""Facts from ``config.json``: what transformers will build, read without transformers.

The name of a model says ``bert`` or ``L6-H384`` or ``gptq``; ``config.json`` says what it is.
Sizes are read under every name transformers accepts for them (its configs' ``attribute_map``):
GPT-2 writes ``n_layer``, T5 ``num_layers``, BART and Whisper ``encoder_layers``, DistilBERT
``n_layers``, and each means ``num_hidden_layers``. Quantization is
``quantization_config.quant_method`` (``gptq``, ``awq``, ``bitsandbytes``, ...); configs written
before that field existed say ``load_in_4bit`` or ``load_in_8bit`` instead, which is bitsandbytes.
"""

from __future__ import annotations

import os

from ..record import Record
from .fields import FieldReader
from .jsonfile import read_json_object
from .problem import ArtifactProblem

CONFIG_FILE = "config.json"
MAX_CONFIG_BYTES = 10_000_000  # real configs are a few kilobytes; the largest on the Hub well under 1 MB

# Each fact, then the keys that carry it, in the order they are tried (transformers' attribute_map).
SIZE_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("hidden_size", ("hidden_size", "d_model", "n_embd", "n_embed", "dim")),
    ("num_hidden_layers", ("num_hidden_layers", "num_layers", "n_layer", "n_layers", "encoder_layers")),
    ("num_attention_heads", ("num_attention_heads", "num_heads", "n_head", "n_heads", "encoder_attention_heads")),
    ("vocab_size", ("vocab_size",)),
)


class ConfigFacts(Record):
    """What ``config.json`` says about the model; None (or empty) where it does not say."""

    file: str
    model_type: str | None
    architectures: tuple[str, ...]
    hidden_size: int | None
    num_hidden_layers: int | None
    num_attention_heads: int | None
    vocab_size: int | None
    quantization: str | None


def read_config(folder: str) -> tuple[ConfigFacts | None, list[ArtifactProblem]]:
    """The facts of ``folder/config.json``; ``(None, [])`` when the folder has none."""
    path = os.path.join(folder, CONFIG_FILE)
    if not os.path.lexists(path):
        return None, []
    data, problems = read_json_object(path, MAX_CONFIG_BYTES)
    if data is None:
        return None, problems
    fields = FieldReader(path, data)
    sizes = {fact: _first_count(fields, keys) for fact, keys in SIZE_KEYS}
    facts = ConfigFacts(
        file=path,
        model_type=fields.string("model_type", "bert"),
        architectures=fields.strings("architectures", '["BertModel"]'),
        quantization=_quantization(fields),
        **sizes,
    )
    return facts, fields.problems


def _first_count(fields: FieldReader, keys: tuple[str, ...]) -> int | None:
    for key in keys:
        if fields.data.get(key) is not None:
            return fields.count(key)
    return None


def _quantization(fields: FieldReader) -> str | None:
    config = fields.data.get("quantization_config")
    if config is not None and not isinstance(config, dict):
        fields.wrong("quantization_config", config, 'an object such as {"quant_method": "gptq"}')
        return None
    config = config or {}
    method = fields.string("quant_method", "gptq", within="quantization_config") if config else None
    if method is not None:
        return method
    if any(source.get(key) is True for source in (config, fields.data) for key in ("load_in_4bit", "load_in_8bit")):
        return "bitsandbytes"
    return None
