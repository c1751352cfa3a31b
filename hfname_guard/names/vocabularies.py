"""The built-in vocabularies that name templates and card rules check words against.

Each is loaded from ``data/`` the first time it is used, so a policy that never mentions
languages never reads the 7,916 ISO 639-3 codes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache
from typing import NamedTuple

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

SIZE_WORDS = (
    "nano", "micro", "tiny", "mini", "small", "medium", "base", "large", "xl", "xxl", "huge", "giant",
)
SHORT_TASK_WORDS = (
    "asr", "chat", "classification", "classifier", "code", "coder", "embed", "embedding", "embeddings",
    "instruct", "it", "mlm", "ner", "nli", "pos", "qa", "reranker", "sentiment", "seq2seq", "squad",
    "sts", "summarization", "translation", "tts",
)
EXTRA_LANGUAGE_WORDS = ("multilingual", "code")


class Vocabulary(NamedTuple):
    """A named set of words (compared lower-case), or a pattern for open-ended words."""

    name: str
    singular: str
    example: str
    words: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None
    popularity: Mapping[str, int] = {}
    """How common each word is on the Hub, to break ties in "did you mean"."""

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if self.pattern is not None:
            return self.pattern.fullmatch(word) is not None
        return word.lower() in self.words

    @property
    def is_word_list(self) -> bool:
        return self.pattern is None


def _lines(name: str) -> list[str]:
    """The non-comment lines of a data file (plain text: json costs more to import than to read)."""
    with open(os.path.join(DATA, name), encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle if line.strip() and not line.startswith("#")]


@cache
def _architectures() -> list[tuple[str, str, int]]:
    rows = (line.split("\t") for line in _lines("architectures.tsv"))
    return [(word, model_type, int(count)) for word, model_type, count in rows]


def architecture_words() -> dict[str, str]:
    """Word -> transformers ``model_type`` (``minilm`` -> ``bert``)."""
    return {word: model_type for word, model_type, _ in _architectures()}


def architecture_popularity() -> dict[str, int]:
    """Word -> number of Hub repos (development data) whose ``model_type`` it names."""
    return {word: count for word, _, count in _architectures()}


@cache
def pipeline_tags() -> frozenset[str]:
    return frozenset(_lines("hub_pipeline_tags.txt"))


@cache
def library_names() -> frozenset[str]:
    return frozenset(_lines("hub_model_libraries.txt"))


@cache
def licenses() -> frozenset[str]:
    return frozenset(_lines("hub_licenses.txt"))


@cache
def language_codes() -> frozenset[str]:
    """ISO 639-1 and 639-3 codes, plus the Hub's ``multilingual`` and ``code``."""
    codes = _lines("languages_iso639_1.txt") + _lines("languages_iso639_3.txt")
    return frozenset([*codes, *EXTRA_LANGUAGE_WORDS])


PARAMETER_COUNT = re.compile(r"(?i)(?:\d+x)?\d+(?:\.\d+)?[kmbt]")
VERSION = re.compile(r"(?i)v?\d+(?:\.\d+)*")


@cache
def vocabulary(name: str) -> Vocabulary:
    """A built-in vocabulary by its policy name (``architectures``, ``sizes``, ...)."""
    if name == "architectures":
        return Vocabulary(
            name, "architecture", "llama", frozenset(architecture_words()), popularity=architecture_popularity()
        )
    if name == "sizes":
        return Vocabulary(name, "size", "base", frozenset(SIZE_WORDS))
    if name == "parameter-counts":
        return Vocabulary(name, "parameter count", "7b", pattern=PARAMETER_COUNT)
    if name == "tasks":
        return Vocabulary(name, "task", "chat", pipeline_tags() | frozenset(SHORT_TASK_WORDS))
    if name == "languages":
        return Vocabulary(name, "language", "en", language_codes())
    if name == "versions":
        return Vocabulary(name, "version", "1", pattern=VERSION)
    raise KeyError(name)


VOCABULARY_NAMES = ("architectures", "sizes", "parameter-counts", "tasks", "languages", "versions")
FIELD_DEFAULTS = {
    "architecture": "architectures",
    "size": "sizes",
    "parameters": "parameter-counts",
    "task": "tasks",
    "language": "languages",
    "version": "versions",
}
"""Template fields that need no definition: ``{size}`` means a word of ``sizes``."""
