"""How often the name checks that read GGUF files cry wolf on real Hub names.

    python benchmarks/bench_gguf_names.py [--data ../shared/data] [--shown 10]

The shared data holds no GGUF file, so what a GGUF header would say is derived from what the
model really is:

1. Architecture. Each Hub name of hub_model_types.dev.jsonl with its real config.json
   ``model_type``, where llama.cpp converts that type, is given the ``general.architecture``
   its converter writes for it (``MODEL_TYPES`` of ``hfname_guard.artifacts.gguf`` read the
   other way: ``mistral`` is written ``llama``, ``roberta`` ``bert``). ``consistency/architecture``
   then judges the name twice, once against the config and once against that GGUF header alone.
   A name the GGUF header flags and the config does not is a false alarm the GGUF path adds (the
   config says the name is right); a name both flag is one the config path already reports.
2. Quantization words. The GPT-4 element labels of hub_name_elements.dev.csv call `GGUF`,
   `Q4_K_M`, `IQ3_XXS`, `GPTQ`, `AWQ`, `Int4`, `bnb`, `4bit`... format words (W); the share of
   them the tagger reads as W is the recall ``consistency/reuse`` and the name template rely on.

Yardstick: the config path on the same names, in the same run. Budget: the GGUF path adds false
alarms on at most 0.1% of the names it judges, and reads at least 99% of the quantization words.
Exits 1 when either is missed.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from hfname_guard.artifacts.config import ConfigFacts  # noqa: E402
from hfname_guard.artifacts.gguf import MODEL_TYPES, GgufModel  # noqa: E402
from hfname_guard.facts import Facts  # noqa: E402
from hfname_guard.names.tagger import tag  # noqa: E402
from hfname_guard.policy import load_policy  # noqa: E402
from hfname_guard.rules.consistency_architecture import contradiction  # noqa: E402
from hfname_guard.targets import Target  # noqa: E402

ADDED_ALARMS_BUDGET = 0.001
QUANTIZATION_RECALL_BUDGET = 0.99
QUANTIZATION_WORD = re.compile(
    r"(?i)^(gguf|ggml|gptq|awq|exl2|mlx|int[48]|bnb|nf4|fp8|fp16|bf16|[0-9]+bits?|[0-9]+bpw"
    r"|i?q[1-8](_k)?(_[0-9sml]|_xxs|_xs|_nl)?(_[sml])?)$")
"""The format words of the labels that name a quantization or a packaging for llama.cpp and its kin."""


def converted_architecture() -> dict[str, str]:
    """model_type -> the ``general.architecture`` llama.cpp writes for it: the architecture that
    stands for the type first, else the first that stands for it at all."""
    written: dict[str, str] = {}
    for architecture, types in MODEL_TYPES.items():
        written.setdefault(types[0], architecture)
    for architecture, types in MODEL_TYPES.items():
        for model_type in types:
            written.setdefault(model_type, architecture)
    return written


def judged(repo_id: str, model_type: str, architecture: str | None) -> bool:
    """Whether consistency/architecture flags ``repo_id`` over a config of ``model_type`` (``architecture``
    None), or over GGUF files alone whose header says ``architecture``."""
    facts = Facts(Target(repo_id), load_policy(None))
    if architecture is None:
        config = ConfigFacts("config.json", model_type, (), None, None, None, None, None)
        facts.__dict__.update(_config=(config, []), _weights=(None, []))
    else:
        facts.__dict__.update(_config=(None, []), _weights=(None, []),
                              gguf_model=GgufModel(architecture, None, ("model-Q4_K_M.gguf",)))
    return contradiction(facts) is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"), help="the shared data folder")
    parser.add_argument("--shown", type=int, default=10, help="examples of each kind shown")
    arguments = parser.parse_args(argv)

    written = converted_architecture()
    with open(os.path.join(arguments.data, "hub_model_types.dev.jsonl"), encoding="utf-8") as lines:
        rows = [(row["repo_id"], row["model_type"]) for row in map(json.loads, lines)]
    covered = [(repo_id, model_type) for repo_id, model_type in rows if model_type in written]
    by_config = by_gguf = 0
    added: list[tuple[str, str, str]] = []
    missed: Counter[tuple[str, str]] = Counter()
    for repo_id, model_type in covered:
        config_flags = judged(repo_id, model_type, None)
        gguf_flags = judged(repo_id, model_type, written[model_type])
        by_config += config_flags
        by_gguf += gguf_flags
        if gguf_flags and not config_flags:
            added.append((repo_id, model_type, written[model_type]))
        elif config_flags and not gguf_flags:
            missed[model_type, written[model_type]] += 1
    print(f"architecture: {len(covered):,} of {len(rows):,} real names have a model type llama.cpp converts "
          f"({len({model_type for _, model_type in covered})} types)")
    print(f"  flagged against config.json (yardstick) {by_config / len(covered):7.2%}  ({by_config:,})")
    print(f"  flagged against the GGUF header         {by_gguf / len(covered):7.2%}  ({by_gguf:,})")
    share = len(added) / len(covered)
    print(f"  false alarms the GGUF header adds       {share:7.2%}  ({len(added):,}; budget "
          f"{ADDED_ALARMS_BUDGET:.1%})")
    for repo_id, model_type, architecture in added[: arguments.shown]:
        print(f"    {repo_id}: config says {model_type}, GGUF would say {architecture}")
    print(f"  flagged by the config alone             {sum(missed.values()) / len(covered):7.2%}  "
          f"(one GGUF architecture stands for several types)")
    for (model_type, architecture), count in missed.most_common(arguments.shown):
        print(f"    {count:5,}  config {model_type}, GGUF {architecture}")

    with open(os.path.join(arguments.data, "hub_name_elements.dev.csv"), encoding="utf-8", newline="") as table:
        labels = [(row["model_name"].strip(), row["component"].strip()) for row in csv.DictReader(table)
                  if row["category"].strip() == "W" and QUANTIZATION_WORD.match(row["component"].strip())]
    read = Counter[str]()
    unread = Counter[str]()
    for name, word in labels:
        tagged = {component.text.lower() for component in tag(name.rsplit("/", 1)[-1]) if component.code == "W"}
        (read if word.lower() in tagged else unread)[word] += 1
    recall = sum(read.values()) / max(1, len(labels))
    print(f"quantization words: {recall:.2%} of {len(labels):,} the labels call format words are read as W "
          f"(budget {QUANTIZATION_RECALL_BUDGET:.0%}); most common: "
          + ", ".join(f"{word} {count}" for word, count in read.most_common(8)))
    if unread:
        print("  not read: " + ", ".join(f"{word} {count}" for word, count in unread.most_common(arguments.shown)))
    return 0 if share <= ADDED_ALARMS_BUDGET and recall >= QUANTIZATION_RECALL_BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
