"""The architecture the name states is the model's own.

The naming study found names that contradict their model: a "bert" that is a roberta, a
"llama" that is a gpt2. This rule reads the architecture word of the name (`llama`, `minilm`,
`xlm-roberta`, resolved to a transformers `model_type` through hfname-guard's knowledge base)
and compares it with `model_type` in config.json, or, without a config.json, with the family
the tensor names in the safetensors header show. Words of one family (`mt5` and `t5`) agree, a
model agrees with a wrapper it can be part of (`wav2vec2` in a `speech-encoder-decoder`), and
a name that names the model's family in any of its words agrees.

The fix puts the model's own type in the name's place of the word (`acme/roberta-base-ner`).

Passing: `acme/minilm-l6-embed` over a config.json with `model_type: bert`

Failing: `acme/bert-base-ner` over a config.json with `model_type: roberta`
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

ID = "consistency/architecture"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    config, fingerprint = facts.config, None
    if config is not None and config.model_type:
        actual, file = config.model_type, config.file
        source = f"{os.path.basename(file)} says model_type `{actual}`"
    else:
        fingerprint = facts.fingerprint
        if fingerprint is None or facts.weights is None:
            return
        actual, file = fingerprint.model_type, facts.weights.files[0]
        source = f"the tensors of {os.path.basename(file)} are those of `{actual}` (`{fingerprint.evidence}`)"
    from ..artifacts import same_layout
    from ..names.knowledge import plainly_agree, same_family

    if plainly_agree(facts.name, actual):
        return  # a word of the name plainly names the model's family: no need for the tagger
    from ..names.tagger import architecture_of

    named = architecture_of(facts.name)
    if named is None:
        return
    model_type, word = named
    agrees = same_family(model_type, actual) or (fingerprint is not None and same_layout(model_type, actual))
    if not agrees:
        yield Problem(f"the name says `{word}` ({model_type}); {source}",
                      suggestion=facts.with_architecture(word, actual), file=file)
