"""Facts from ``adapter_config.json``: a PEFT adapter names the model it adapts.

A folder with this file is not a model but a patch on one (LoRA, IA3, prefix tuning, ...), so a
name that says ``7b`` speaks of ``base_model_name_or_path``, not of the few megabytes of adapter
weights. The fields are PEFT's: ``peft_type``, ``base_model_name_or_path``, the LoRA rank ``r``,
and ``target_modules``, which PEFT accepts as a list of module names or as one regex string.
"""

from __future__ import annotations

import os

from ..record import Record
from .fields import FieldReader
from .jsonfile import read_json_object
from .problem import ArtifactProblem

ADAPTER_CONFIG_FILE = "adapter_config.json"
MAX_ADAPTER_CONFIG_BYTES = 10_000_000  # real ones are under a kilobyte


class AdapterFacts(Record):
    """What ``adapter_config.json`` says; None (or empty) where it does not say."""

    file: str
    peft_type: str | None
    base_model: str | None
    rank: int | None
    target_modules: tuple[str, ...]


def read_adapter(folder: str) -> tuple[AdapterFacts | None, list[ArtifactProblem]]:
    """The facts of ``folder/adapter_config.json``; ``(None, [])`` when the folder has none."""
    path = os.path.join(folder, ADAPTER_CONFIG_FILE)
    if not os.path.lexists(path):
        return None, []
    data, problems = read_json_object(path, MAX_ADAPTER_CONFIG_BYTES)
    if data is None:
        return None, problems
    fields = FieldReader(path, data)
    facts = AdapterFacts(
        file=path,
        peft_type=fields.string("peft_type", "LORA"),
        base_model=fields.string("base_model_name_or_path", "meta-llama/Llama-2-7b-hf"),
        rank=fields.count("r"),
        target_modules=fields.strings("target_modules", '["q_proj", "v_proj"]', allow_one=True),
    )
    return facts, fields.problems
