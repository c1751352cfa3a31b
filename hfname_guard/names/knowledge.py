"""What name words say about a model's architecture, read from the package's data files.

The knowledge base answers two questions for the consistency rules: which transformers
``model_type`` a name word stands for (``minilm`` -> ``bert``, ``opus-mt`` -> ``marian``), and
which model types one family name legitimately covers (``deberta`` names both ``deberta`` and
``deberta-v2`` checkpoints). ``scripts/build_knowledge.py`` writes the files from the transformers model
types, curated family knowledge and Hub statistics; ``data/README.md`` says how.

Words are compared by their *key*: lower case, separators dropped except between two digits,
so ``XLM-RoBERTa``, ``xlm_roberta`` and ``xlmroberta`` are one word while ``1.5`` stays ``1.5``.
"""

from __future__ import annotations

import re
from functools import cache

from ..record import Record
from .data_files import iso639_1_codes, kept, read
from .data_files import rows as _rows

WORDS_FILE = "architecture_words.tsv"
TYPES_FILE = "architecture_types.tsv"
VOCABULARY_FILE = "name_words.tsv"

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Any

_SQUASH = re.compile(r"(?<![0-9])[-_. ]+|[-_. ]+(?![0-9])")
_TRAILING_VERSION = re.compile(r"v?[0-9]+(?:\.[0-9]+)*$")


def key(word: str) -> str:
    """The form words are compared in: ``XLM-RoBERTa`` -> ``xlmroberta``, ``Qwen2.5`` -> ``qwen2.5``."""
    return _SQUASH.sub("", word.lower())


class Knowledge(Record):
    """The architecture knowledge base: everything the tagger needs to resolve a name."""

    words: dict[str, str]
    """Word key -> the ``model_type`` it stands for ("" for a family of several types: ``gpt``)."""
    ranks: dict[str, int]
    """Word key -> how much the word says about the model, most first: 0 a model type's own
    name (``hubert``), 1 a curated family word (``w2v2``, ``sbert``), 2 a word mined from Hub
    names. A name with words of several types is read by its most telling one:
    ``exp_w2v2t_nl_hubert`` is a hubert, ``sbert-roberta-large`` a roberta."""
    families: dict[str, str]
    """``model_type`` -> its family (the first member's name), for types that share a family name."""
    modalities: dict[str, str]
    """``model_type`` -> ``audio`` or ``vision`` for encoders of those inputs (a speech or vision
    encoder paired with a text decoder is a ``speech-encoder-decoder`` or ``vision-encoder-decoder``),
    ``decoder`` for decoder-only text models (``vit-gpt2`` pairs an encoder with one)."""
    undetermined_in: dict[str, frozenset[str]]
    """Word key -> the languages (ISO 639-1) in whose names the word names no one type: Chinese
    RoBERTa releases are mostly ``bert`` checkpoints, so ``roberta`` beside ``chinese`` says neither."""
    homonyms: dict[str, str]
    """Word key -> a second ``model_type`` the word names: ``hubert`` is also huBERT, a ``bert``."""
    model_types: frozenset[str]
    """Every model type a word names or a family holds: a config's type outside them is custom
    code (``hybrid-clip``), whose architecture the knowledge base cannot know."""


RANKS = {"type": 0, "alias": 1, "family": 1, "undetermined": 1, "homonym": 1, "hub": 2}
"""Rank by the source column of architecture_words.tsv."""


def parse(words_text: str, types_text: str) -> Knowledge:
    """A knowledge base from the text of ``architecture_words.tsv`` and ``architecture_types.tsv``."""
    words: dict[str, str] = {}
    ranks: dict[str, int] = {}
    undetermined_in: dict[str, frozenset[str]] = {}
    homonyms: dict[str, str] = {}
    for word, model_type, source, _ in _rows(words_text):
        if source == "homonym":  # "hubert bert"
            homonyms[word.partition(" ")[0]] = model_type
            continue
        if " " in word:  # "roberta zh": the word in a name that states the language
            word, _, language = word.partition(" ")
            undetermined_in[word] = undetermined_in.get(word, frozenset()) | {language}
            continue
        words[word] = model_type
        ranks[word] = RANKS[source]
    families: dict[str, str] = {}
    modalities: dict[str, str] = {}
    for model_type, family, modality in _rows(types_text):
        if family != "-":
            families[model_type] = family
        if modality != "-":
            modalities[model_type] = modality
    return Knowledge(words, ranks, families, modalities, undetermined_in, homonyms,
                     frozenset((*words.values(), *families, *homonyms.values())))


@cache
def knowledge() -> Knowledge:
    """The shipped knowledge base, read once, when a name is first resolved (from the cache of
    tables when an earlier run built it: ``data_files.kept``)."""

    def fields() -> tuple[Any, ...]:
        built = parse(read(WORDS_FILE), read(TYPES_FILE))
        return tuple(getattr(built, name) for name in Knowledge.__fields__)

    return Knowledge(*kept("knowledge", fields))


def language_codes() -> frozenset[str]:
    """ISO 639-1 codes: the language words a name may abbreviate (``en``, ``de``)."""
    return iso639_1_codes()


@cache
def vocabulary() -> dict[str, tuple[str, str | None, bool]]:
    """Word key -> (taxonomy code, normalized value, whether it is written in parts) for the
    words that are not architectures: ``data/name_words.tsv`` (curated), the Hub's pipeline tags
    (T) and ISO 639-1 codes (L). A word written in parts (``fine-tuned``, ``text-generation``) may
    be read across separators; one that is not is read only where it is written whole, so that
    ``distil-led`` is not ``distilled``. A word listed in several spellings (``sst2``, ``sst-2``)
    is written in parts when one of them is."""
    return kept("vocabulary", _vocabulary)


def _vocabulary() -> dict[str, tuple[str, str | None, bool]]:
    words: dict[str, tuple[str, str | None, bool]] = {}
    for code in language_codes():
        words[code] = ("L", code, False)
    for tag in read("hub_pipeline_tags.txt").split():
        words[key(tag)] = ("T", tag, True)
    for row in _rows(read(VOCABULARY_FILE)):
        word = row[0]
        found = word if word.isalnum() and word.islower() else key(word)
        parts = found != word.lower() or (found in words and words[found][2])
        words[found] = (row[1], row[2] if len(row) > 2 else None, parts)
    return words


def model_type_of(word: str) -> str | None:
    """The ``model_type`` a name word stands for: ``minilm`` -> ``bert``, ``Llama-2`` -> ``llama``
    (a family word with a version is the family), an unknown word -> None."""
    words = knowledge().words
    found = key(word)
    if found not in words and found[-1:].isdigit():
        found = _TRAILING_VERSION.sub("", found)
    return words.get(found) or None


CONTAINERS = {
    # model types that wrap other models, with the inputs their parts may read
    "encoder-decoder": ("text",),
    "speech-encoder-decoder": ("audio", "text"),
    "vision-encoder-decoder": ("vision", "text"),
    "vision-text-dual-encoder": ("vision", "text"),
}
"""A name over a wrapper often states one of its parts (``wav2vec2-aed`` over a
``speech-encoder-decoder``); a part that reads the wrapper's kind of input fits it."""

DUAL_ENCODERS = {
    # models of two encoders, whose towers the Hub also publishes alone under the model's name
    "clip": ("vision", "text"),
    "chinese_clip": ("vision", "text"),
    "altclip": ("vision", "text"),
    "siglip": ("vision", "text"),
}
"""``sentence-transformers/clip-ViT-B-32-multilingual-v1`` is the text tower of a CLIP, a
``distilbert``: an encoder (not a decoder) that reads one of the model's inputs fits the name."""


def same_family(name_model_type: str, config_model_type: str, base: Knowledge | None = None) -> bool:
    """Whether a name that says ``name_model_type`` fits a config of ``config_model_type``: the
    same type, two types the Hub calls by one family name (``deberta`` and ``deberta-v2``), or a
    model and a wrapper it can be part of (``wav2vec2`` and ``speech-encoder-decoder``, a text
    encoder and ``clip``), either way round. ``base`` is a knowledge base other than the shipped
    one (the benchmark builds its own)."""
    if name_model_type == config_model_type:
        return True
    base = base or knowledge()
    family = base.families.get(name_model_type)
    if family is not None and family == base.families.get(config_model_type):
        return True
    return _part_of(name_model_type, config_model_type, base) or _part_of(config_model_type, name_model_type, base)


def _part_of(part: str, wrapper: str, base: Knowledge) -> bool:
    modality = base.modalities.get(part, "text")
    reads = modality if modality in ("audio", "vision") else "text"
    if wrapper in DUAL_ENCODERS:
        return modality != "decoder" and reads in DUAL_ENCODERS[wrapper]
    inputs = CONTAINERS.get(wrapper)
    return inputs is not None and part not in CONTAINERS and reads in inputs


@cache
def language_words() -> frozenset[str]:
    """Every word the tagger may read as a language: ISO 639-1 codes and the language names of
    ``name_words.tsv`` (``english``, ``amh``). Cheap to load, for rules that want to know whether
    a name can state a language at all before they tag it."""
    names = {
        line.partition("\t")[0] for line in read(VOCABULARY_FILE).splitlines()
        if "\tL\t" in line or line.endswith("\tL")
    }
    return language_codes() | names | {"multilingual"}


def quick_types(name: str) -> set[str]:
    """The model types any word of ``name`` stands for, read word by word without the tagger
    (``Llama-3.1-8B-Instruct`` -> {"llama"}). Cheap next to the tagger, whose patterns and
    tables cost milliseconds to build: rules ask it first, and call the tagger only to explain
    a disagreement."""
    from .tokens import candidates

    found = (model_type_of(word) for word in candidates(name.rpartition("/")[2]))
    return {model_type for model_type in found if model_type}


def plainly_agree(name: str, model_type: str) -> bool:
    """Whether a word of ``name`` stands for ``model_type`` or its family, read quickly. A word
    inside a longer word of another family does not count: ``xlm-roberta`` over a ``roberta``
    config, or ``pegasus-x`` over a ``pegasus`` one, is a contradiction, not a match of its
    ``roberta`` or ``pegasus``; a word beside another is its own (``frugalscore_tiny_roberta_bert-score``
    says ``bert``, however many letters ``roberta`` shares with it)."""
    from .tokens import candidates

    typed = [(word.lower(), found) for word in candidates(name.rpartition("/")[2])
             if (found := model_type_of(word))]
    for word, stated in typed:
        if not same_family(stated, model_type):
            continue
        if any(f"-{word}-" in f"-{longer}-" and longer != word and not same_family(other, stated)
               for longer, other in typed):
            continue  # `roberta` in `xlm-roberta`: the compound is the word the name states
        return True
    return False


@cache
def language_names() -> dict[str, str]:
    """The language words of ``name_words.tsv`` that are no ISO 639-1 code, with the code each
    stands for: ``english`` -> ``en``, ``deu`` -> ``de``."""
    return {word: value for word, (code, value, _) in vocabulary().items() if code == "L" and value and word != value}
