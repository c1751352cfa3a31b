"""The parameter count the name states is the count the weights hold.

A `7b` over one billion parameters misleads everyone who picks a model by size. The rule reads
the name's parameter count (`7b`, `125m`, `1.5B`, `8x7b`) and counts the parameters in the
safetensors headers (as the Hub counts them), within the policy's `consistency.size-tolerance`
(default 0.3: a `7b` name may hold 4.9 to 9.1 billion). A mixture of experts `8x7b` may hold
anything from one expert's count to all of them together (Mixtral-8x7B holds 46.7 billion).
Quantized safetensors pack several parameters into one stored number, so their count is not
compared; a folder of GGUF files is counted from the tensor shapes in their headers (the same in
every encoding: one file, or a whole set of shards), and a model in several sizes is not judged.
An expert count after the count (`Llama-4-Scout-17B-16E`) makes it a mixture of experts, and a
count of active parameters (`Qwen3-30B-A3B`) is not compared. The fix states the count the
weights hold (`llama-1.1b-chat`).

An adapter (adapter_config.json: LoRA and the other PEFT methods) is named by the model it
adapts: `acme/llama-8b-chat-lora` over a 7-million-parameter LoRA of Llama-3.1-8B states the
base's size. So for an adapter the name's count is compared with the count that the base model's
name states (`meta-llama/Llama-3.1-8B`: 8B), within the same tolerance, and the message says
so; where the base's name states no count, the size is not judged.

Size words are checked against config.json's hidden size (`hidden_size`, `d_model`, `n_embd`)
in the families whose checkpoints name their sizes alike: BERT-style encoders (bert, roberta,
xlm-roberta, deberta, electra, albert, distilbert, mpnet, camembert), T5, BART, GPT-2, Whisper,
wav2vec2, HuBERT, ViT, DeiT, BEiT and DINOv2. Families do not agree on one number per word
(whisper-small is 768 wide where bert-small is 512), so each word accepts a range, wide enough
that no original checkpoint of these families is flagged; a size word elsewhere (Phi-3-mini
is 3,072 wide) is not judged:

| size word | hidden sizes it accepts | original checkpoints |
|---|---|---|
| `nano`, `micro`, `tiny` | at most 512 | bert-tiny 128, vit-tiny 192, whisper-tiny 384 |
| `mini`, `xsmall` | at most 512 | bert-mini 256, MiniLM 384, deberta-v3-xsmall 384 |
| `small` | at most 768 | electra-small 256, vit-small 384, bert-small 512, whisper-small 768, deberta-v3-small 768 |
| `medium` | 512 to 1024 | bert-medium 512, gpt2-medium 1024, whisper-medium 1024 |
| `base` | 512 to 1024 | whisper-base 512, bert-base 768, t5-base 768, vit-base 768 |
| `large` | 1024 to 2048 | bert-large 1024, t5-large 1024, gpt2-large 1280, whisper-large 1280 |
| `xl`, `xlarge` | at least 1024 | t5-efficient-xl 1024, gpt2-xl 1600, t5-v1_1-xl 2048 |
| `xxl`, `xxlarge` | at least 1024 | t5-11b 1024, albert-xxlarge 4096 |
| `huge`, `giant` | at least 1024 | vit-huge 1280 |

`big`, `lite` and `mid` are not judged, nor is the size word of a name that states the width
itself (`t5-efficient-base-dm256` is 256 wide, `bert_uncased_L-2_H-128` 128), nor that of an
ELECTRA generator, named after its discriminator (`electra-large-generator` is 256 wide). The
fix puts the family's own word for the hidden size (`bert-large` at 768: `bert-base`) where the
family has one.

Passing: `acme/llama-7b-chat` holding 6,738,415,616 parameters; `acme/bert-small-ner` with hidden size 384 (a MiniLM)

Failing: `acme/llama-7b-chat` holding 1,100,048,384 parameters; `acme/bert-large-ner` with hidden size 768
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..names.tagger import Component

ID = "consistency/size"
SEVERITY = "error"
SUBJECT = "folder"

SIZE_TOLERANCE = 0.3
"""The default of the policy's `consistency.size-tolerance` (the share by which the parameter
count the weights hold may stray from the name's), applied where no policy layer sets it. The
schema's `default`, the starter policy and the documents repeat it; tests/unit/test_consistency.py
holds them to it."""

SIZE_WORD_RANGES: dict[str, tuple[int | None, int | None]] = {
    "nano": (None, 512), "micro": (None, 512), "tiny": (None, 512), "mini": (None, 512), "xsmall": (None, 512),
    "small": (None, 768),
    "medium": (512, 1024), "base": (512, 1024),
    "large": (1024, 2048),
    "xl": (1024, None), "xlarge": (1024, None), "xxl": (1024, None), "xxlarge": (1024, None),
    "huge": (1024, None), "giant": (1024, None),
}
"""The hidden sizes (lowest, highest; None: no bound) each size word accepts, wide enough for
every family's convention: whisper-small is 768 where bert-small is 512, t5-11b (an `xxl`) is
1024 where flan-t5-xxl is 4096. Words with no agreed size (`big`, `lite`, `mid`) are not judged."""

SIZE_WORD_FAMILIES = frozenset({
    "albert", "bart", "beit", "bert", "camembert", "data2vec-audio", "deberta", "deberta-v2", "deit",
    "dinov2", "distilbert", "electra", "gpt2", "hubert", "mbart", "mpnet", "mt5", "pegasus", "roberta",
    "t5", "umt5", "vit", "wav2vec2", "whisper", "xlm-roberta", "xlm-roberta-xl",
})
"""The model types whose size words follow the table: encoders, T5, GPT-2, Whisper, ViT. Elsewhere
a size word means something of its own (Phi-3-mini has 3,072 hidden units, Swin-tiny 768 in its
last stage, Moonshine-base 416), so it is not judged."""

FAMILY_WORDS = {
    "bert": {128: "tiny", 256: "mini", 768: "base", 1024: "large"},
    "roberta": {768: "base", 1024: "large"},
    "xlm-roberta": {768: "base", 1024: "large"},
    "electra": {256: "small", 768: "base", 1024: "large"},
    "deberta-v2": {384: "xsmall", 1024: "large"},
    "t5": {512: "small", 768: "base", 1024: "large", 2048: "xl", 4096: "xxl"},
    "mt5": {512: "small", 768: "base", 1024: "large", 2048: "xl", 4096: "xxl"},
    "gpt2": {1024: "medium", 1280: "large", 1600: "xl"},
    "whisper": {384: "tiny", 512: "base", 768: "small", 1024: "medium", 1280: "large"},
    "vit": {768: "base", 1024: "large", 1280: "huge"},
}
"""The one size word a family's original checkpoints use for a hidden size, for the fix
(bert-base-uncased, google/bert_uncased_L-2_H-128 ..., t5-small ..., gpt2-medium ...,
openai/whisper-tiny ..., google/vit-base-patch16-224 ...); a size two words share (bert's 512:
`small` and `medium`) gets no fix."""

STATED_WIDTH = r"(?<![a-z0-9])(?:dm|h)[-_]?(\d{2,5})(?![0-9])|(?<![a-z0-9])(\d{2,5})d(?![a-z0-9])"
"""A width the name states itself: `t5-efficient-base-dm256`, `bert_uncased_L-2_H-128`, `6L_768D`."""


def check(facts: Facts) -> Iterator[Problem]:
    yield from _parameter_counts(facts)
    yield from _size_words(facts)


def _parameter_counts(facts: Facts) -> Iterator[Problem]:
    if facts.adapter is not None:
        yield from _adapter_counts(facts)
        return
    count = facts.parameter_count
    for component in facts.shared(wrong_counts):
        assert count is not None
        yield Problem(f"the name says `{component.text}`; {count.said()} ({short(count.total)})",
                      suggestion=facts.name_fix(), file=count.files[0])


def size_tolerance(facts: Facts) -> float:
    """The policy's `consistency.size-tolerance`, else ``SIZE_TOLERANCE``."""
    tolerance = facts.policy.consistency.size_tolerance
    return SIZE_TOLERANCE if tolerance is None else tolerance


def wrong_counts(facts: Facts) -> list[Component]:
    """The parameter counts the name states that the weights of a model (not an adapter) do not
    hold, within the policy's tolerance: what the rule reports and the name engine replaces."""
    count = facts.parameter_count
    if facts.adapter is not None or count is None:
        return []
    tolerance = size_tolerance(facts)
    wrong = []
    for component in facts.named("P"):
        low, high = accepted_range(stated_value(facts.name, component), tolerance)
        if low is not None and high is not None and not low <= count.total <= high:
            wrong.append(component)
    return wrong


EXPERTS = re.compile(r"[-_.]?([0-9]{1,4})e(?![a-z0-9])")
"""An expert count after a parameter count: `Llama-4-Scout-17B-16E` is 16 experts of 17B active parameters."""


def stated_value(name: str, component: Component) -> str:
    """The count ``component`` of ``name`` states (``7000000000``), as a mixture of experts
    (``16x17000000000``) when an expert count follows it (`17B-16E`)."""
    value = component.value or ""
    if "x" not in value:
        experts = EXPERTS.match(name.lower(), component.start + len(component.text))
        if experts is not None:
            return f"{experts.group(1)}x{value}"
    return value


def _adapter_counts(facts: Facts) -> Iterator[Problem]:
    """An adapter's name states its base model's size: compare with the count the base's name states."""
    adapter = facts.adapter
    for component, base in facts.shared(wrong_adapter_counts):
        assert adapter is not None
        yield Problem(
            f"the name says `{component.text}`; {os.path.basename(adapter.file)} adapts `{adapter.base_model}`, "
            f"whose name says `{base.text}` (an adapter's name states its base model's size)",
            suggestion=facts.name_fix(), file=adapter.file,
        )


def wrong_adapter_counts(facts: Facts) -> list[tuple[Component, Component]]:
    """The parameter counts an adapter's name states that its base model's name does not, each
    with the base name's count: what the rule reports and the name engine replaces."""
    adapter = facts.adapter
    if adapter is None or not adapter.base_model:
        return []
    from ..names.tagger import tag

    base_name = adapter.base_model.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    base_counts = [component for component in tag(base_name) if component.code == "P" and component.value]
    if len(base_counts) != 1:
        return []  # the base's name states no count (or several): its size is unknown here
    [base] = base_counts
    tolerance = size_tolerance(facts)
    base_low, base_high = _stated_range(base.value or "")
    if base_low is None or base_high is None:
        return []
    wrong = []
    for component in facts.named("P"):
        low, high = accepted_range(component.value or "", tolerance)
        if low is not None and high is not None and not (low <= base_high and base_low <= high):
            wrong.append((component, base))
    return wrong


def _stated_range(value: str) -> tuple[int, int] | tuple[None, None]:
    """The counts a stated `value` ("8000000000", "8x7000000000") may mean: one expert to all."""
    experts, _, each = value.rpartition("x")
    if not each.isdigit() or (experts and not experts.isdigit()):
        return None, None
    return int(each), int(each) * (int(experts) if experts else 1)


def accepted_range(value: str, tolerance: float) -> tuple[float, float] | tuple[None, None]:
    """The parameter counts a name's `value` ("7000000000", "8x7000000000") accepts."""
    experts, _, each = value.rpartition("x")
    if not each.isdigit() or (experts and not experts.isdigit()):
        return None, None
    smallest = int(each)
    largest = smallest * (int(experts) if experts else 1)
    return smallest * (1 - tolerance), largest * (1 + tolerance)


UNITS = (("T", 10**12), ("B", 10**9), ("M", 10**6), ("K", 10**3))


def short(count: int) -> str:
    for unit, size in UNITS:
        if count >= size:
            return f"{count / size:.3g}{unit}"
    return str(count)


def count_word(count: int, written: str) -> str:
    """``count`` as names write it, with the unit in the case of ``written``: ``1.1b``, ``13B``, ``125m``."""
    for unit, size in UNITS:
        if count >= size:
            value = count / size
            number = f"{value:.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0")
            return number + (unit if written[-1:].isupper() else unit.lower())
    return str(count)


def _size_words(facts: Facts) -> Iterator[Problem]:
    config = facts.config
    for component, family_word in facts.shared(wrong_size_words):
        assert config is not None and config.hidden_size is not None
        hidden, word = config.hidden_size, component.text.lower()
        if family_word is not None:
            hint = f" ({article(family_word)} `{family_word}` {config.model_type})"
        else:
            candidates = ("tiny", "mini", "small", "medium", "base", "large", "xl")
            fitting = [known for known in candidates if accepts(known, hidden)]
            words = [f"`{known}`" for known in fitting]
            hint = f" ({article(fitting[0])} {', '.join(words[:-1])} or {words[-1]} size)" if len(words) > 1 else (
                f" ({article(fitting[0])} {words[0]} size)" if words else "")
        yield Problem(
            f"the name says `{component.text}`, a hidden size {_range_text(word)}; "
            f"{os.path.basename(config.file)} says {hidden}{hint}",
            suggestion=facts.name_fix(),
            file=config.file,
        )


def wrong_size_words(facts: Facts) -> list[tuple[Component, str | None]]:
    """The size words of the name that config.json's hidden size contradicts, each with the word
    the model's family uses for that size (None: none, or several): what the rule reports and
    the name engine replaces."""
    config = facts.config
    if config is None or config.model_type not in SIZE_WORD_FAMILIES or config.hidden_size is None:
        return []
    hidden = config.hidden_size
    generator = "generator" in facts.name.lower() or "ElectraForMaskedLM" in config.architectures
    if config.model_type == "electra" and generator:
        return []  # a generator is named after the discriminator it trained: electra-large-generator is 256 wide
    stated = [int(width) for match in re.finditer(STATED_WIDTH, facts.name.lower())
              for width in match.groups() if width]
    if hidden in stated:
        return []  # the name states the width itself: t5-efficient-base-dm256 is a narrow base
    return [(component, family_word(config.model_type, hidden)) for component in facts.named("S")
            if component.text.lower() in SIZE_WORD_RANGES and not accepts(component.text.lower(), hidden)]


def family_word(model_type: str, hidden_size: int) -> str | None:
    """The one size word the family's original checkpoints use for ``hidden_size`` (`FAMILY_WORDS`)."""
    return FAMILY_WORDS.get(model_type, {}).get(hidden_size)


def accepts(word: str, hidden_size: int) -> bool:
    """Whether the size word ``word`` may name a model ``hidden_size`` wide (`SIZE_WORD_RANGES`)."""
    low, high = SIZE_WORD_RANGES[word]
    return (low is None or hidden_size >= low) and (high is None or hidden_size <= high)


def article(word: str) -> str:
    """The article before a word of a message: a `base`, an `xl`, an architecture."""
    return "an" if word[:1] in ("a", "e", "i", "o", "u", "x") else "a"


def _range_text(word: str) -> str:
    low, high = SIZE_WORD_RANGES[word]
    if low is None:
        return f"of at most {high}"
    if high is None:
        return f"of at least {low}"
    return f"from {low} to {high}"
