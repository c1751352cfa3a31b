"""The built-in vocabularies that name templates and card rules check words against.

Each is loaded from ``data/`` the first time it is used, so a policy that never mentions
languages never reads the 7,916 ISO 639-3 codes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

SIZE_WORDS = (
    "nano", "micro", "tiny", "mini", "small", "medium", "base", "large", "xl", "xxl", "huge", "giant",
)
SHORT_TASK_WORDS = (
    "asr", "chat", "classification", "classifier", "code", "coder", "embed", "embedding", "embeddings",
    "instruct", "it", "mlm", "ner", "nli", "pos", "qa", "reranker", "sentiment", "seq2seq", "squad",
    "sts", "summarization", "translation", "tts",
)
EXTRA_LANGUAGE_WORDS = ("multilingual", "code")


@dataclass(frozen=True)
class Vocabulary:
    """A named set of words (compared lower-case), or a pattern for open-ended words."""

    name: str
    singular: str
    example: str
    words: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None
    popularity: Mapping[str, int] = field(default_factory=dict)
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


def _json(name: str) -> object:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@cache
def _architectures() -> dict[str, dict[str, object]]:
    return _json("architectures.json")  # type: ignore[return-value]


def architecture_words() -> dict[str, str]:
    """Word -> transformers ``model_type`` (``minilm`` -> ``bert``)."""
    return _architectures()["words"]  # type: ignore[return-value]


def architecture_popularity() -> dict[str, int]:
    """Word -> number of Hub repos (development data) whose ``model_type`` it names."""
    counts = _architectures()["popularity"]
    return {word: counts.get(model_type, 0) for word, model_type in architecture_words().items()}  # type: ignore[union-attr]


@cache
def pipeline_tags() -> frozenset[str]:
    return frozenset(_json("hub_pipeline_tags.json"))  # type: ignore[arg-type]


@cache
def library_names() -> frozenset[str]:
    return frozenset(_json("hub_model_libraries.json"))  # type: ignore[arg-type]


@cache
def licenses() -> frozenset[str]:
    text = (DATA / "hub_licenses.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@cache
def language_codes() -> frozenset[str]:
    """ISO 639-1 and 639-3 codes, plus the Hub's ``multilingual`` and ``code``."""
    codes = set(_json("languages_iso639_1.json")) | set(_json("languages_iso639_3.json"))  # type: ignore[arg-type]
    return frozenset(codes | set(EXTRA_LANGUAGE_WORDS))


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
