"""The architecture the name states is the model's own.

The naming study found names that contradict their model: a "bert" that is a roberta, a
"llama" that is a gpt2. This rule reads the architecture word of the name (`llama`, `minilm`,
`xlm-roberta`, resolved to a transformers `model_type` through hfname-guard's knowledge base)
and compares it with `model_type` in config.json, or, without a config.json, with the family
the tensor names in the safetensors header show, or with `general.architecture` in the headers
of the folder's GGUF files. A GGUF architecture stands for every model type llama.cpp converts
to it (`llama` is also Mistral, Mixtral and Falcon 3; `bert` also RoBERTa and DistilBERT), a
vision-language model's GGUF file holds its language model, and an architecture llama.cpp
defined after hfname-guard's table is not judged. Words of one family agree: types the Hub
releases under one name (`mt5` and `t5`, `bart` and `mbart`, `layoutlm` to `layoutlmv3`, `swin`
and `swinv2`, `roberta` and `camembert`). A model agrees with a wrapper it can be part of
(`wav2vec2` in a `speech-encoder-decoder`, a text encoder published as the tower of a `clip`),
and a name that names the model's family in any of its words agrees.

Words are read as the releases that made them: "distilled BERT" (`distil-m-bert`,
`M-BERT-Distil`) is DistilBERT, `indic-bert` is IndicBERT, an ALBERT, and
`paraphrase-multilingual-mpnet` an XLM-R. A homonym is read by the config: `hubert` over a
`bert` config is huBERT, the Hungarian BERT, while over a `wav2vec2` config it is HuBERT, the
speech model, and contradicted. A training method (SimCSE, DeCLUTR, DPR) names an architecture
only as its own releases do (`declutr-base` is a RoBERTa, `declutr-sci-base` a BERT) and gives
way to an architecture word beside it (`simcse-model-roberta-base`).
A config whose `model_type` transformers never defined (`hybrid-clip`, `ColBERT`) is custom code
whose architecture the rule cannot know: it is not judged.

And the rule is not fooled the other way: a name that is one family's compound (`xlm-roberta`,
`pegasus-x`, `longformer`) over another family's config (`roberta`, `pegasus`) is a
contradiction, not a match of the word inside it.

The fix puts the model's own type in the name's place of the word (`acme/roberta-base-ner`). Like
every fix of a name, it is the name the model's facts give, as `hfname-guard suggest` prints it:
one name that corrects everything the facts contradict at once and fits the template, so that
the fixes of one model agree.

Passing: `acme/minilm-l6-embed` over a config.json with `model_type: bert`

Failing: `acme/bert-base-ner` over a config.json with `model_type: roberta`
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..record import Record

ID = "consistency/architecture"
SEVERITY = "error"
SUBJECT = "folder"


class Contradiction(Record):
    """A name's architecture word that is not the model's: what the rule reports and what the
    name engine (``propose``) replaces."""

    word: str
    """The word as the name writes it (``bert``)."""
    named: str
    """The model type it stands for."""
    actual: str
    """The model's own type, as transformers spells it."""
    source: str
    """Where the model's type comes from, for the message."""
    file: str
    types: tuple[str, ...] = ()
    """Every type the files allow when they do not tell one (a GGUF `llama` is also a `mistral`):
    which one the name should state is then the author's choice."""


def contradiction(facts: Facts) -> Contradiction | None:
    """The name's architecture word when it contradicts config.json's `model_type` (or, without
    one, the tensors' family, or the GGUF files' architecture); None when it agrees, states none,
    or the model's type is custom."""
    stated = model_types(facts)
    if stated is None:
        return None
    types, source, file, reader = stated
    from ..names.knowledge import key, knowledge, plainly_agree, same_family

    base = knowledge()
    known = []
    for actual in types:
        if actual not in base.model_types:
            spelled = key(actual)
            if base.ranks.get(spelled) != 0:
                continue  # custom code: its architecture is unknown
            actual = base.words[spelled]  # `gpt-neox`, `GPT_NeoX`: the type transformers spells `gpt_neox`
        known.append(actual)
    if not known:
        return None
    if any(component.code == "A" and component.model_type and same_family(component.model_type, actual)
           for component in facts.components for actual in known):
        return None  # an architecture word of the name, as the tagger reads it, is of the model's family
    if any(plainly_agree(facts.name, actual) for actual in known):
        return None  # a word of the name plainly names the model's family, read more loosely
    from ..names.tagger import architecture_of

    named = architecture_of(facts.name)
    if named is None:
        return None
    model_type, word = named
    homonym = base.homonyms.get(key(word))
    for actual in known:
        if same_family(model_type, actual) or (homonym is not None and same_family(homonym, actual)):
            return None
    if reader == "tensors":
        from ..artifacts.fingerprint import same_layout  # the tensors' family, read without a config

        if any(same_layout(model_type, actual) for actual in known):
            return None
    if reader == "gguf":
        from ..artifacts.gguf import MULTIMODAL

        if model_type in MULTIMODAL:
            return None  # a vision-language model's GGUF file holds its language model, whatever that is
    return Contradiction(word, model_type, known[0], source, file, types if len(types) > 1 else ())


def model_types(facts: Facts) -> tuple[tuple[str, ...], str, str, str] | None:
    """The model types the model's files say it is (the first the one to name), what says so
    for the message, the file, and what was read: ``config``, ``tensors`` (which do not tell
    llama from mistral, so that any type of the same layout agrees) or ``gguf``."""
    config = facts.config
    if config is not None and config.model_type:
        actual = config.model_type
        return (actual,), f"{os.path.basename(config.file)} says model_type `{actual}`", config.file, "config"
    fingerprint = facts.fingerprint
    if fingerprint is not None and facts.weights is not None:
        file = facts.weights.files[0]
        return ((fingerprint.model_type,), f"the tensors of {os.path.basename(file)} are those of "
                f"`{fingerprint.model_type}` (`{fingerprint.evidence}`)", file, "tensors")
    model = facts.gguf_model
    if model is not None and model.architecture is not None:
        from ..artifacts.gguf import MODEL_TYPES

        types = MODEL_TYPES.get(model.architecture)
        if types is not None:
            file = model.files[0]
            return types, f"{os.path.basename(file)} says general.architecture `{model.architecture}`", file, "gguf"
    return None


def check(facts: Facts) -> Iterator[Problem]:
    found = facts.shared(contradiction)
    if found is not None:
        yield Problem(f"the name says `{found.word}` ({found.named}); {found.source}",
                      suggestion=facts.name_fix(), file=found.file)
