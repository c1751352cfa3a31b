"""The name's architecture is the family of the model it was built from.

A `mistral-7b-lora` whose card says `base_model: meta-llama/Llama-2-7b-hf`, or whose
adapter_config.json was trained on a Qwen model, tells users the wrong lineage. The rule
resolves the architecture word of the name, of the card's `base_model` entries and of the
adapter's `base_model_name_or_path`, and reports the ones of another family; the fix names the
base model's family instead (`acme/llama-7b-lora`).

Passing: `acme/llama-7b-chat-lora` with `base_model: meta-llama/Llama-2-7b-hf`

Failing: `acme/mistral-7b-lora` with `base_model: meta-llama/Llama-2-7b-hf`
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ._card import card_of

ID = "consistency/base-model"
SEVERITY = "warning"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    for word, model_type, base, base_type, file, line, column in facts.shared(base_contradictions):
        yield Problem(
            f"the name says `{word}` ({model_type}); "
            f"{os.path.basename(file)} names the base model `{base}` ({base_type})",
            suggestion=facts.name_fix(), file=file, line=line, column=column,
        )


def base_contradictions(facts: Facts) -> list[tuple[str, str, str, str, str, int | None, int | None]]:
    """``(word, its model type, base, the base's type, file, line, column)`` for each base model
    (the card's, the adapter's) whose name's architecture is of another family than the name's:
    what the rule reports and the name engine corrects."""
    card, adapter = card_of(facts), facts.adapter
    bases: list[tuple[str, str, int | None, int | None]] = []  # (base, file, line, column)
    for path, base in card.strings("base_model") or ():
        line, column = card.position(*path)
        bases.append((base, card.path, line, column))
    if adapter is not None and adapter.base_model:
        bases.append((adapter.base_model, adapter.file, None, None))
    if not bases:
        return []
    from ..names.knowledge import quick_types, same_family

    stated = quick_types(facts.name)
    bases = [entry for entry in bases if not any(same_family(a, b) for a in stated for b in quick_types(entry[0]))]
    if not bases:
        return []  # every base plainly shares the name's family: no need for the tagger
    from ..names.tagger import architecture_of

    named = architecture_of(facts.name)
    if named is None:
        return []
    model_type, word = named
    found = []
    for base, file, line, column in bases:
        base_named = architecture_of(base.rstrip("/").rsplit("/", 1)[-1])
        if base_named is not None and not same_family(model_type, base_named[0]):
            found.append((word, model_type, base, base_named[0], file, line, column))
    return found
