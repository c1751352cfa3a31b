"""Split a model name into words, the way people read ``Llama-2-7b-chat`` or ``gpt2_large``."""

from __future__ import annotations

import re

SEPARATORS = "-_."
_SPLIT = re.compile(r"[-_.\s]+")
_LEADING_LETTERS = re.compile(r"[a-z]+")
_ATOMS = re.compile(r"([^A-Za-z0-9]*?)([A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+|[^\W\d_]+)")
"""(what comes before, atom) pairs; the lazy gap lets every letter and digit start an atom."""


def atoms(name: str, start: int = 0) -> list[tuple[str, str]]:
    """The name cut where a word may begin or end, as ``(gap before, atom)`` pairs from ``start``:
    at separators, case changes (``JavaBERT`` -> ``Java`` ``BERT``, ``TigXLNet`` -> ``Tig`` ``XL``
    ``Net``) and between letters and digits (``7b`` -> ``7`` ``b``). The one split every reading of
    a name starts from: the tagger (``explain``) joins atoms into words, and the name rules read
    the tagger's words."""
    return _ATOMS.findall(name, start)


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
