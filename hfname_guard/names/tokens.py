"""Split a model name into words, the way people read ``Llama-2-7b-chat`` or ``gpt2_large``."""

from __future__ import annotations

import re

SEPARATORS = "-_."
_SPLIT = re.compile(r"[-_.\s]+")
_LEADING_LETTERS = re.compile(r"[a-z]+")


def words(name: str) -> list[str]:
    """Lower-case words between separators: ``Llama-2_7b`` -> ``["llama", "2", "7b"]``."""
    return [word for word in _SPLIT.split(name.lower()) if word]


def candidates(name: str, longest: int = 3) -> list[str]:
    """Every word, its leading letters (``llama2`` -> ``llama``), and runs of up to ``longest``
    adjacent words joined by ``-`` (``xlm-roberta``): the strings a vocabulary may recognize."""
    parts = words(name)
    found: list[str] = []
    for start in range(len(parts)):
        for end in range(start + 1, min(start + longest, len(parts)) + 1):
            found.append("-".join(parts[start:end]))
        letters = _LEADING_LETTERS.match(parts[start])
        if letters and letters.group() != parts[start]:
            found.append(letters.group())
    return found
