"""Rebuild the architecture knowledge base: ``data/architecture_words.tsv`` and ``data/architecture_types.tsv``.

Maintainer tool, not used at run time and not in the wheel; from the repository root::

    python scripts/build_knowledge.py SHARED_DATA_DIR

where ``SHARED_DATA_DIR`` holds ``vocab/transformers_model_types.json`` and
``hub_model_types.dev.jsonl`` (``../shared/data`` beside a clone). ``--check`` compares instead of
writing (exit 1 when the shipped files differ); ``--candidates`` prints the name words of
``hub_name_elements.dev.csv`` by label and count, the material ``data/name_words.tsv`` was
curated from.

Where the words come from, in the order they take precedence:

1. every transformers ``model_type`` that an architecture class loads, in three spellings
   (``gpt_neox``, ``gpt-neox``, ``gptneox``), and those transformers has removed
   (``data/transformers_removed_model_types.json``: ``vit-hybrid``, ``mctct``), which older
   checkpoints still carry;
2. curated family words: ``data/architecture_aliases.json`` and the ``words`` of
   ``data/families.json`` (each with the checkpoint whose config.json it was read from), less
   its ``not_words`` (English words that are also model types, family-plus-version aliases);
3. words mined from Hub names with their real ``model_type`` (``mine``): a word the tagger does
   not know, used by enough organizations, for one ``model_type`` nearly always, that is built on
   a known architecture word (``kobigbird``, ``selectra``) or is its model type's own name (a
   ``model_type`` transformers never had: ``rita``).

``families.json``'s ``undetermined`` words are architecture words without a model type (``gpt``);
its ``undetermined_in`` words are so in names that state a language (``roberta zh``: Chinese
RoBERTa releases are mostly ``bert`` checkpoints); its ``homonyms`` name a second architecture
(``hubert``: the speech model, and huBERT, the Hungarian BERT).
Model types the Hub calls by one name form families (``families`` there, and each ``X_text``
with its ``X``); a type whose encoder reads audio or images, and a decoder-only type, are marked
so, from the architecture classes of transformers (``...ForCTC`` reads audio), for names that
pair an encoder with a decoder (``wav2vec2-2-bart``, ``vit-gpt2``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import Counter, defaultdict

if __name__ == "__main__":  # run as a script: the checkout's package, not an installed one
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from hfname_guard.names.data_files import DATA
from hfname_guard.names.knowledge import TYPES_FILE, WORDS_FILE, Knowledge, key, parse
from hfname_guard.names.tagger import Tagger

MIN_ORGANIZATIONS = 2
"""A mined word must be used by this many namespaces: one organization's naming habit
(``huggingartists/*`` are all gpt2) says nothing about anyone else's names."""
MIN_NAMES = 3
"""... and appear in this many names."""
MIN_PURITY = 0.9
"""Share of a mined word's names that have its ``model_type``, by name and by namespace."""
MIN_LETTERS = 3
"""Shorter words are abbreviations of anything (``vp``, ``s2``)."""
MIN_ALONE = 0.5
"""Share of a mined word's names with no other architecture word. A word that mostly comes
beside one (``rel`` in ``wav2vec2-conformer-rel-pos``, ``panx`` in ``xlm-roberta-base-finetuned-panx``)
describes the model, it does not name its architecture."""
MIN_BUILT_ON = 4
"""A mined word must contain a known architecture word of this many letters or more. Words
that go with one model type without naming one are a dataset (``sst``, ``echr``), a project
(``dvoice``) or a tutorial's (``hello_world``): a name saying them claims no architecture.
Shorter architecture words are parts of ordinary words (``opt`` in ``adopt``, ``led`` in ``labeled``)."""

AUDIO_HEADS = ("ForCTC", "ForAudioClassification", "ForAudioFrameClassification", "ForXVector", "ForSpeechSeq2Seq")
VISION_HEADS = (
    "ForImageClassification", "ForMaskedImageModeling", "ForSemanticSegmentation", "ForObjectDetection",
    "ForDepthEstimation", "ForUniversalSegmentation", "ForInstanceSegmentation",
)
DECODER_HEADS = ("ForCausalLM", "LMHeadModel")
SEQ2SEQ_OR_MASKED_HEADS = ("ForConditionalGeneration", "ForMaskedLM", "ForSeq2SeqLM", "ForPreTraining")
TEXT_SUFFIXES = ("_text_model", "_text")


def spellings(model_type: str) -> set[str]:
    dashed = model_type.lower().replace("_", "-")
    return {model_type.lower(), dashed, dashed.replace("-", "")}


def load_rows(path: str) -> list[tuple[str, str]]:
    """``(repo_id, model_type)`` of each line of hub_model_types.jsonl."""
    with open(path, encoding="utf-8") as handle:
        return [(row["repo_id"], row["model_type"]) for row in map(json.loads, handle) if row.get("model_type")]


def namespace(repo_id: str) -> str:
    return repo_id.rpartition("/")[0]


def curated_words(
    model_types: dict[str, dict], aliases: dict[str, str], curated: dict
) -> dict[str, tuple[str, str, str]]:
    """Word key -> (model_type, source, evidence) before mining; "" is an undetermined type."""
    words: dict[str, tuple[str, str, str]] = {}
    for model_type in sorted(model_types):
        if not model_types[model_type].get("architectures"):
            continue  # a part of another model's config (``aimv2_text_model``), never a checkpoint of its own
        evidence = "transformers, removed" if model_types[model_type].get("removed") else "transformers"
        for spelling in sorted(spellings(model_type)):
            words.setdefault(key(spelling), (model_type, "type", evidence))
    spelled = dict(words)
    for alias, model_type in sorted(aliases.items()):
        words[key(alias)] = (model_type, "alias", "architecture_aliases.json")
    for word, (model_type, checkpoint) in sorted(curated["words"].items()):
        words[key(word)] = (model_type, "family", checkpoint)
    for word, entry in spelled.items():  # a model type's own name keeps its rank
        if words[word][0] == entry[0]:
            words[word] = entry
    for word in sorted(curated["undetermined"]):
        words[key(word)] = ("", "undetermined", "families.json")
    for word_in_language in sorted(curated["undetermined_in"]):
        word, _, language = word_in_language.partition(" ")
        words[f"{key(word)} {language}"] = ("", "undetermined", "families.json")
    for word, (model_type, why) in sorted(curated["homonyms"].items()):
        words[f"{key(word)} {model_type}"] = (model_type, "homonym", why)
    for word in curated["not_words"]:
        words.pop(key(word), None)
    return words


def knowledge_of(words: dict[str, tuple[str, str, str]], types_text: str) -> Knowledge:
    """The knowledge base the files would make, read as the package reads them."""
    return parse(words_table(words), types_text)


def mine(rows: list[tuple[str, str]], tagger: Tagger) -> dict[str, tuple[str, str, str]]:
    """Words that name the architecture where no known word does, for one ``model_type`` nearly
    always, across organizations, built on a known architecture word."""
    names: dict[str, Counter[str]] = defaultdict(Counter)
    organizations: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    alone: Counter[str] = Counter()
    for repo_id, model_type in rows:
        pieces = tagger.words(repo_id)
        named = any(piece[3] is not None and piece[3][0] == "A" for piece in pieces)
        for piece in pieces:
            word = piece[2]
            if piece[3] is None and sum(character.isalpha() for character in word) >= MIN_LETTERS:
                names[word][model_type] += 1
                organizations[word][namespace(repo_id)][model_type] += 1
                alone[word] += not named
    built_on = [word for word, model_type in tagger.base.words.items() if model_type and len(word) >= MIN_BUILT_ON]
    found: dict[str, tuple[str, str, str]] = {}
    for word, counts in sorted(names.items()):
        model_type, count = counts.most_common(1)[0]
        total = sum(counts.values())
        by_organization = organizations[word]
        agreeing = sum(1 for types in by_organization.values() if types.most_common(1)[0][0] == model_type)
        if (
            len(by_organization) >= MIN_ORGANIZATIONS
            and total >= MIN_NAMES
            and count / total >= MIN_PURITY
            and agreeing / len(by_organization) >= MIN_PURITY
            and alone[word] / total >= MIN_ALONE
            and (word == key(model_type) or any(known in word for known in built_on))
        ):
            found[word] = (model_type, "hub", f"{count}/{total} names, {agreeing}/{len(by_organization)} namespaces")
    return found


def types_table(model_types: dict[str, dict], curated: dict) -> str:
    """architecture_types.tsv: each model type's family and the input its encoder reads."""
    family: dict[str, str] = {}
    for group in curated["families"]:
        for model_type in group["model_types"]:
            family[model_type] = group["model_types"][0]
    for model_type in sorted(model_types):
        for suffix in TEXT_SUFFIXES:
            parent = model_type[: -len(suffix)]
            if model_type.endswith(suffix) and parent in model_types:
                family[model_type] = family.setdefault(parent, parent)
                break
    modality: dict[str, str] = {}
    for model_type, entry in model_types.items():
        heads = entry.get("architectures", [])
        if any(head.endswith(AUDIO_HEADS) for head in heads):
            modality[model_type] = "audio"
        elif any(head.endswith(VISION_HEADS) for head in heads):
            modality[model_type] = "vision"
        elif any(head.endswith(DECODER_HEADS) for head in heads) and not any(
            head.endswith(SEQ2SEQ_OR_MASKED_HEADS) for head in heads
        ):
            modality[model_type] = "decoder"
    lines = [
        "# Generated by scripts/build_knowledge.py. Do not edit: change data/families.json.",
        "# family: model types the Hub calls by one name (data/families.json `families`, and each",
        "# transformers 5.24.0 X_text model type with its X). modality, from the type's architecture",
        "# classes (models/auto mappings): audio or vision when one reads audio (...ForCTC) or images",
        "# (...ForImageClassification), so that such an encoder paired with a text decoder in a name is",
        "# a speech- or vision-encoder-decoder; decoder for a decoder-only text model (...ForCausalLM",
        "# and no ...ForMaskedLM or ...ForConditionalGeneration), which a name may put after its encoder.",
        "# model_type<TAB>family<TAB>modality",
    ]
    for model_type in sorted(set(family) | set(modality)):
        lines.append(f"{model_type}\t{family.get(model_type, '-')}\t{modality.get(model_type, '-')}")
    return "\n".join(lines) + "\n"


def words_table(words: dict[str, tuple[str, str, str]]) -> str:
    lines = [
        "# Generated by scripts/build_knowledge.py. Do not edit: change data/families.json.",
        "# Name words (compared by key: lower case, separators dropped except between digits) and the",
        "# transformers model_type their checkpoints use. source: type (a transformers 5.24.0 model_type",
        "# spelling, models/auto mappings, or one transformers has removed: evidence \"transformers, removed\",",
        "# data/transformers_removed_model_types.json), alias (data/architecture_aliases.json), family",
        "# (data/families.json, evidence: the checkpoint read), undetermined (an architecture family",
        "# word whose checkpoints use several model types: empty model_type; \"roberta zh\": so only in",
        "# names that state that language), homonym (\"hubert bert\": the word also names that model_type;",
        "# evidence: why, from data/families.json), hub (mined from",
        "# hub_model_types.dev.jsonl, Jiang et al. PTM-Naming replication package, Apache-2.0;",
        "# evidence: names and namespaces that agree).",
        "# word<TAB>model_type<TAB>source<TAB>evidence",
    ]
    for word, (model_type, source, evidence) in sorted(words.items()):
        lines.append(f"{word}\t{model_type}\t{source}\t{evidence}")
    return "\n".join(lines) + "\n"


def build(
    model_types: dict[str, dict], rows: list[tuple[str, str]], aliases: dict[str, str], curated: dict
) -> dict[str, str]:
    """The knowledge base files' text (by file name) from the sources: what ``main`` writes and
    what the benchmark builds from one part of the Hub data."""
    types_text = types_table(model_types, curated)
    words = curated_words(model_types, aliases, curated)
    mined = mine(rows, Tagger(knowledge_of(words, types_text)))
    for word in curated["not_words"]:
        mined.pop(key(word), None)
    return {WORDS_FILE: words_table({**mined, **words}), TYPES_FILE: types_text}


def sources(shared: str) -> tuple[dict[str, dict], list[tuple[str, str]], dict[str, str], dict]:
    """The inputs of ``build`` from the shared data folder and the package's curated files."""
    with open(os.path.join(shared, "vocab", "transformers_model_types.json"), encoding="utf-8") as handle:
        model_types = json.load(handle)
    return with_curated_files(model_types, load_rows(os.path.join(shared, "hub_model_types.dev.jsonl")))


def with_curated_files(model_types: dict[str, dict], rows: list[tuple[str, str]]
                       ) -> tuple[dict[str, dict], list[tuple[str, str]], dict[str, str], dict]:
    """The inputs of ``build``: transformers' model types and the Hub's names over their model
    types, with the package's curated files (removed model types, aliases, families)."""
    with open(os.path.join(DATA, "transformers_removed_model_types.json"), encoding="utf-8") as handle:
        removed = json.load(handle)["model_types"]
    model_types = {**model_types, **{model_type: {**entry, "removed": True} for model_type, entry in removed.items()}}
    with open(os.path.join(DATA, "architecture_aliases.json"), encoding="utf-8") as handle:
        aliases = json.load(handle)["aliases"]
    with open(os.path.join(DATA, "families.json"), encoding="utf-8") as handle:
        curated = json.load(handle)
    return model_types, rows, aliases, curated


def candidates(shared: str) -> str:
    """The labelled components of hub_name_elements.dev.csv, by label, most common first."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    with open(os.path.join(shared, "hub_name_elements.dev.csv"), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            counts[row["category"]][row["component"].lower()] += 1
    return "\n".join(
        f"{code}\t" + " ".join(f"{word}:{count}" for word, count in counter.most_common() if count > 1)
        for code, counter in sorted(counts.items())
    ) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "shared", help="the folder with vocab/transformers_model_types.json and hub_model_types.dev.jsonl"
    )
    parser.add_argument("--check", action="store_true", help="compare with the shipped files instead of writing them")
    parser.add_argument("--candidates", action="store_true", help="print hub_name_elements.dev.csv words by label")
    args = parser.parse_args(argv)
    if args.candidates:
        sys.stdout.write(candidates(args.shared))
        return 0
    stale = []
    for name, text in build(*sources(args.shared)).items():
        path = os.path.join(DATA, name)
        if args.check:
            with open(path, encoding="utf-8") as handle:
                if handle.read() != text:
                    stale.append(name)
            continue
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"wrote {path}: {sum(not line.startswith('#') for line in text.splitlines())} rows")
    if stale:
        command = f"python scripts/build_knowledge.py {args.shared}"
        print(f"stale: {', '.join(stale)}; run {command}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
