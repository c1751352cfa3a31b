"""The parameter count the name states is the count the weights hold.

A `7b` over one billion parameters misleads everyone who picks a model by size. The rule reads
the name's parameter count (`7b`, `125m`, `1.5B`, `8x7b`) and counts the parameters in the
safetensors headers (as the Hub counts them), within the policy's `consistency.size-tolerance`
(default 0.3: a `7b` name may hold 4.9 to 9.1 billion). A mixture of experts `8x7b` may hold
anything from one expert's count to all of them together (Mixtral-8x7B holds 46.7 billion).
Quantized weights pack several parameters into one stored number, so their count is not
compared. Size words (`base`, `large`) are checked against the hidden size the family uses for
them, for the families listed in the rule (BERT-style encoders, T5, GPT-2, Whisper). The fix
states the count the weights hold (`llama-1.1b-chat`), or the size word of the hidden size.

Passing: `acme/llama-7b-chat` holding 6,738,415,616 parameters

Failing: `acme/llama-7b-chat` holding 1,100,048,384 parameters; `acme/bert-large-ner` with hidden size 768
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

ID = "consistency/size"
SEVERITY = "error"
SUBJECT = "folder"

HIDDEN_SIZES = {
    "bert": {"tiny": 128, "mini": 256, "small": 512, "medium": 512, "base": 768, "large": 1024},
    "roberta": {"base": 768, "large": 1024},
    "xlm-roberta": {"base": 768, "large": 1024},
    "electra": {"small": 256, "base": 768, "large": 1024},
    "deberta-v2": {"xsmall": 384, "small": 768, "base": 768, "large": 1024},
    "t5": {"small": 512, "base": 768, "large": 1024, "xl": 2048, "xxl": 4096},
    "mt5": {"small": 512, "base": 768, "large": 1024, "xl": 2048, "xxl": 4096},
    "gpt2": {"medium": 1024, "large": 1280, "xl": 1600},
    "whisper": {"tiny": 384, "base": 512, "small": 768, "medium": 1024, "large": 1280},
}
"""Hidden size by size word, from the configs of the families' original checkpoints
(bert-base-uncased, google/bert_uncased_L-2_H-128 ..., t5-small ... t5-11b, gpt2-medium ...,
openai/whisper-tiny ...)."""


def check(facts: Facts) -> Iterator[Problem]:
    yield from _parameter_counts(facts)
    yield from _size_words(facts)


def _parameter_counts(facts: Facts) -> Iterator[Problem]:
    weights, config = facts.weights, facts.config
    if weights is None or not weights.total or (config is not None and config.quantization):
        return
    tolerance = facts.policy.consistency.size_tolerance
    for component in facts.named("P"):
        low, high = _accepted_range(component.value or "", tolerance)
        if low is None or high is None or low <= weights.total <= high:
            continue
        held = ", ".join(map(os.path.basename, weights.files)) if len(weights.files) <= 2 else f"{len(weights.files)} shards"
        end = component.start + len(component.text)
        yield Problem(
            f"the name says `{component.text}`; {held} hold{'s' if len(weights.files) == 1 else ''} "
            f"{weights.total:,} parameters ({_short(weights.total)})",
            suggestion=None if "x" in (component.value or "") else facts.with_word(
                component.start, end, _count_word(weights.total, component.text)),
            file=weights.files[0],
        )


def _accepted_range(value: str, tolerance: float) -> tuple[float, float] | tuple[None, None]:
    """The parameter counts a name's `value` ("7000000000", "8x7000000000") accepts."""
    experts, _, each = value.rpartition("x")
    if not each.isdigit() or (experts and not experts.isdigit()):
        return None, None
    smallest = int(each)
    largest = smallest * (int(experts) if experts else 1)
    return smallest * (1 - tolerance), largest * (1 + tolerance)


UNITS = (("T", 10**12), ("B", 10**9), ("M", 10**6), ("K", 10**3))


def _short(count: int) -> str:
    for unit, size in UNITS:
        if count >= size:
            return f"{count / size:.3g}{unit}"
    return str(count)


def _count_word(count: int, written: str) -> str:
    """``count`` as names write it, with the unit in the case of ``written``: ``1.1b``, ``13B``, ``125m``."""
    for unit, size in UNITS:
        if count >= size:
            value = count / size
            number = f"{value:.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0")
            return number + (unit if written[-1:].isupper() else unit.lower())
    return str(count)


def _size_words(facts: Facts) -> Iterator[Problem]:
    config = facts.config
    if config is None or not config.model_type or config.hidden_size is None:
        return
    sizes = HIDDEN_SIZES.get(config.model_type)
    if sizes is None:
        return
    for component in facts.named("S"):
        expected = sizes.get(component.text.lower())
        if expected is not None and expected != config.hidden_size:
            fitting = [word for word, size in sizes.items() if size == config.hidden_size]
            hint = f" (a `{fitting[0]}` {config.model_type})" if fitting else ""
            end = component.start + len(component.text)
            yield Problem(
                f"the name says `{component.text}`, a hidden size of {expected} for {config.model_type}; "
                f"{os.path.basename(config.file)} says {config.hidden_size}{hint}",
                suggestion=facts.with_word(component.start, end, fitting[0]) if fitting else None,
                file=config.file,
            )
