"""The names a namespace already holds on the Hub, indexed to find a proposed name's neighbours.

Built once per namespace per run from the Hub's listing, then asked once per model, without a
request: ``spelled_alike`` finds a repository whose name differs only by case or by the
separators ``-``, ``_`` and ``.`` (the Hub refuses a second ``acme/Llama-7B`` beside
``acme/llama-7b``, and ``acme/llama_7b`` beside it confuses everyone); ``neighbours`` finds names
close enough to be mistaken for the proposed one: the same words in another order, one edit
away, or the same name with another version.
"""

from __future__ import annotations

import re

from .names.tokens import SEPARATORS

_SEPARATOR = re.compile(f"[{re.escape(SEPARATORS)}]+")


def spelling_key(name: str) -> str:
    """``Llama_7B.chat`` -> ``llama-7b-chat``: what two names that differ only by case and
    separators share."""
    return _SEPARATOR.sub("-", name.lower()).strip("-")


def _words(key: str) -> tuple[str, ...]:
    return tuple(word for word in key.split("-") if word)


_TRAILING_VERSION = re.compile(r"[-_.]v([0-9]+)$", re.IGNORECASE)


def _versioned(name: str) -> tuple[str, int] | None:
    """The name as written without its trailing version, and the version's number
    (``llama_7b_chat_v2`` -> (``llama_7b_chat``, 2)); None for a name without one."""
    found = _TRAILING_VERSION.search(name)
    return (name[:found.start()], int(found.group(1))) if found else None


def _deletions(key: str) -> set[str]:
    return {key[:index] + key[index + 1:] for index in range(len(key))}


class NamespaceIndex:
    """The repositories of one namespace, indexed by what a proposed name may share with them."""

    def __init__(self, repo_ids: list[str]) -> None:
        self.repo_ids = frozenset(repo_ids)
        self._by_key: dict[str, list[str]] = {}
        self._by_words: dict[tuple[str, ...], list[str]] = {}
        self._versions: dict[str, list[tuple[int, str, str]]] = {}
        """Stem's spelling key -> (version, stem as written, repo id) of each versioned name."""
        self._by_deletion: dict[str, list[str]] = {}
        for repo_id in sorted(repo_ids):
            key = spelling_key(repo_id.rsplit("/", 1)[-1])
            self._by_key.setdefault(key, []).append(repo_id)
            self._by_words.setdefault(tuple(sorted(_words(key))), []).append(repo_id)
            versioned = _versioned(repo_id.rsplit("/", 1)[-1])
            if versioned is not None:
                stem, version = versioned
                self._versions.setdefault(spelling_key(stem), []).append((version, stem, repo_id))
            for variant in _deletions(key) | {key}:
                self._by_deletion.setdefault(variant, []).append(repo_id)

    def spelled_alike(self, repo_id: str) -> list[str]:
        """Existing repositories that differ from ``repo_id`` only by case or separators."""
        key = spelling_key(repo_id.rsplit("/", 1)[-1])
        return [existing for existing in self._by_key.get(key, ()) if existing != repo_id]

    def neighbours(self, repo_id: str, limit: int = 3) -> list[tuple[str, str]]:
        """Up to ``limit`` existing repositories close to ``repo_id``, each with how, nearest
        first: another version of the same name, spelled another way or skipped over (see
        ``_versions_beside``), the same words in another order, or one letter apart. A digit
        apart (`7b` and `8b`, `gpt2` and `gpt3`) is another model, not a near duplicate, and
        names shorter than ``MIN_EDITED_LENGTH`` are never one letter apart."""
        key = spelling_key(repo_id.rsplit("/", 1)[-1])
        found: dict[str, tuple[int, str]] = {}
        for existing, how in self._versions_beside(repo_id.rsplit("/", 1)[-1]):
            found.setdefault(existing, (0, how))
        for existing in self._by_words.get(tuple(sorted(_words(key))), ()):
            found.setdefault(existing, (1, "the same words in another order"))
        if len(key) >= MIN_EDITED_LENGTH:
            for variant in _deletions(key) | {key}:
                for existing in self._by_deletion.get(variant, ()):
                    if _one_letter_apart(key, spelling_key(existing.rsplit("/", 1)[-1])):
                        found.setdefault(existing, (2, "one letter apart"))
        for existing in (*self.spelled_alike(repo_id), repo_id):
            found.pop(existing, None)
        nearest = sorted(found.items(), key=lambda item: (item[1][0], item[0]))
        return [(existing, how) for existing, (_, how) in nearest[:limit]]


    def _versions_beside(self, name: str) -> list[tuple[str, str]]:
        """Other versions of the same name that make this one a near duplicate: spelled another
        way (`llama_7b_chat_v2` beside `llama-7b-chat-v1`), or all more than one version behind
        (a skipped version: `v3` beside `v1`). The next version, spelled alike, is no duplicate."""
        versioned = _versioned(name)
        if versioned is None:
            return []
        stem, version = versioned
        siblings = [entry for entry in self._versions.get(spelling_key(stem), ()) if entry[0] != version]
        spelled_otherwise = [(repo_id, f"the same name at version {other}, spelled `{other_stem}`")
                             for other, other_stem, repo_id in siblings if other_stem != stem]
        if spelled_otherwise:
            return spelled_otherwise
        latest = max((other for other, _, _ in siblings), default=None)
        if latest is not None and version > latest + 1:
            return [(repo_id, f"the same name at version {other}: version {version} skips {latest + 1}")
                    for other, _, repo_id in siblings if other == latest]
        return []


MIN_EDITED_LENGTH = 6
"""Short names one letter apart are usually different models (`t5-xl`, `t5-xs`)."""


def _one_letter_apart(one: str, other: str) -> bool:
    """Whether ``other`` is ``one`` with one letter (not a digit) added, removed or replaced."""
    if one == other or abs(len(one) - len(other)) > 1:
        return False
    start = 0
    while start < min(len(one), len(other)) and one[start] == other[start]:
        start += 1
    end_one, end_other = len(one), len(other)
    while end_one > start and end_other > start and one[end_one - 1] == other[end_other - 1]:
        end_one, end_other = end_one - 1, end_other - 1
    changed = one[start:end_one] + other[start:end_other]
    return end_one - start <= 1 and end_other - start <= 1 and not any(char.isdigit() for char in changed)
