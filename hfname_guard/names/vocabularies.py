"""The built-in vocabularies that name templates and card rules check words against.

Each is loaded from ``data/`` the first time it is used, so a policy that never mentions
languages never reads the 7,916 ISO 639-3 codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache

from ..record import Record
from .data_files import iso639_1_codes, listed
from .data_files import words as _words

SIZE_WORDS = (
    "nano", "micro", "tiny", "mini", "small", "medium", "base", "large", "xl", "xxl", "huge", "giant",
)
SHORT_TASK_WORDS = (
    "asr", "chat", "classification", "classifier", "code", "coder", "embed", "embedding", "embeddings",
    "instruct", "it", "mlm", "ner", "nli", "pos", "qa", "reranker", "sentiment", "seq2seq", "squad",
    "sts", "summarization", "translation", "tts",
)
EXTRA_LANGUAGE_WORDS = ("multilingual", "code")


class Vocabulary(Record):
    """A named set of words (compared lower-case), or a pattern for open-ended words."""

    name: str
    singular: str
    example: str
    summary: str
    """What it holds, for the docs."""
    common: frozenset[str] = frozenset()
    """The words looked up first."""
    load_all: Callable[[], frozenset[str]] | None = None
    """Reads every word, for a word that is not a common one (7,916 ISO 639-3 codes, say)."""
    has: Callable[[str], bool] | None = None
    """Whether a word that is not a common one is a word of the vocabulary, without reading them all."""
    pattern: re.Pattern[str] | None = None
    normalize: Callable[[str], str] = str.lower
    """The form words are compared in."""
    popularity: Mapping[str, int] = {}
    """How common each word is on the Hub, to break ties in "did you mean"."""
    synonyms: Callable[[], Mapping[str, str]] | None = None
    """Reads the words that stand for one of the vocabulary's (``english`` -> ``en``), for "did you mean"."""

    @property
    def words(self) -> frozenset[str]:
        return self.load_all() if self.load_all is not None else self.common

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if self.pattern is not None:
            return self.pattern.fullmatch(word) is not None
        normal = self.normalize(word)
        if normal in self.common:
            return True
        if self.has is not None:
            return self.has(normal)
        return self.load_all is not None and normal in self.load_all()

    @property
    def is_word_list(self) -> bool:
        return self.pattern is None


@cache
def pipeline_tags() -> frozenset[str]:
    return frozenset(_words("hub_pipeline_tags.txt"))


RETIRED_PIPELINE_TAGS: dict[str, str | None] = {
    "text2text-generation": "text-generation",
    "conversational": "text-generation",
    "structured-data-classification": "tabular-classification",
    "protein-folding": None,
    "speech-segmentation": None,
}
"""Pipeline tags the Hub used to list and still shows on the models that carry them (the Hub's
own record of 2022 resolves 946, 755, 4, 1 and 1 of the shared corpus's cards to them), now gone
from @huggingface/tasks' `PIPELINE_DATA`, with the tag that took their models over where one
plainly did (None where none did)."""


@cache
def library_names() -> frozenset[str]:
    return frozenset(_words("hub_model_libraries.txt"))


@cache
def licenses() -> frozenset[str]:
    return frozenset(_words("hub_licenses.txt"))


@cache
def common_language_codes() -> frozenset[str]:
    """ISO 639-1 codes, plus the Hub's ``multilingual`` and ``code``."""
    return iso639_1_codes() | frozenset(EXTRA_LANGUAGE_WORDS)


@cache
def language_codes() -> frozenset[str]:
    """ISO 639-1 and 639-3 codes, plus the Hub's ``multilingual`` and ``code``."""
    return common_language_codes() | frozenset(_words("languages_iso639_3.txt"))


CARD_ONLY_LANGUAGE_CODES = ("sh",)
"""Codes the Hub's cards use beyond ISO 639-1/3 and 639-5: ``sh``, Serbo-Croatian, withdrawn from
ISO 639-1 in 2000 and still written on the Hub."""


@cache
def card_language_codes() -> frozenset[str]:
    """The primary language codes a card's ``language`` may hold: ``language_codes``, the
    ISO 639-5 language groups (``gem``, ``sla``, ``zlw``) and ``sh``. Not name words: a name
    template's ``{language}`` keeps to ``language_codes``."""
    return language_codes() | frozenset(_words("languages_iso639_5.txt")) | frozenset(CARD_ONLY_LANGUAGE_CODES)


def is_language_code(code: str) -> bool:
    """Whether ``code`` is in ``language_codes``, without building that set of eight thousand."""
    return code in common_language_codes() or listed("languages_iso639_3.txt", code)


def is_card_language_code(code: str) -> bool:
    """Whether ``code`` is in ``card_language_codes``, without building that set."""
    return is_language_code(code) or listed("languages_iso639_5.txt", code) or code in CARD_ONLY_LANGUAGE_CODES


PARAMETER_COUNT = re.compile(r"(?:\d+[xX])?\d+(?:\.\d+)?[kmbtKMBT]")
VERSION = re.compile(r"[vV]?\d+(?:\.\d+)*")


@cache
def vocabulary(name: str) -> Vocabulary:
    """A built-in vocabulary by its policy name (``architectures``, ``sizes``, ...)."""
    if name == "architectures":
        from .knowledge import key, knowledge

        base = knowledge()
        summary = ("the architecture words of hfname-guard's knowledge base: every transformers model type and family "
                   "words (`minilm`, `vicuna`, `zephyr`), compared without case or separators (`XLM-RoBERTa`)")
        popularity = {word: 2 - rank for word, rank in base.ranks.items()}  # model types first, mined words last
        return Vocabulary(name, "architecture", "llama", summary, frozenset(base.words), normalize=key,
                          popularity=popularity)
    if name == "sizes":
        return Vocabulary(name, "size", "base", ", ".join(f"`{word}`" for word in SIZE_WORDS), frozenset(SIZE_WORDS))
    if name == "parameter-counts":
        summary = "a number with k, m, b or t, optionally experts times size: `7b`, `125m`, `1.5b`, `8x7b`"
        return Vocabulary(name, "parameter count", "7b", summary, pattern=PARAMETER_COUNT)
    if name == "tasks":
        summary = ("the Hub's pipeline tags (`text-generation`, ...) and short task words "
                   "(`chat`, `instruct`, `ner`, `qa`, ...)")
        return Vocabulary(name, "task", "chat", summary, pipeline_tags() | frozenset(SHORT_TASK_WORDS))
    if name == "languages":
        summary = "ISO 639-1 and 639-3 codes (`en`, `deu`) and the Hub's `multilingual` and `code`"
        from .knowledge import language_names

        return Vocabulary(name, "language", "en", summary, common_language_codes(), load_all=language_codes,
                          has=is_language_code, synonyms=language_names)
    if name == "versions":
        summary = "numbers with dots, `v` optional: `1`, `2.1`, `v0.1.0`"
        return Vocabulary(name, "version", "1", summary, pattern=VERSION)
    raise KeyError(name)


FIELD_DEFAULTS = {
    "architecture": "architectures",
    "size": "sizes",
    "parameters": "parameter-counts",
    "task": "tasks",
    "language": "languages",
    "version": "versions",
}
"""Template fields that need no definition: ``{size}`` means a word of ``sizes``."""
