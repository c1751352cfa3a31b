"""The package's data files (``data/``): where they are and how they are read.

A leaf: it imports no other module of ``hfname_guard.names``, so ``knowledge`` and
``vocabularies`` both read their files through it without importing each other for that.
"""

from __future__ import annotations

import os
from functools import cache

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def read(name: str) -> str:
    """The text of ``data/<name>``."""
    with open(os.path.join(DATA, name), encoding="utf-8") as handle:
        return handle.read()


def words(name: str) -> list[str]:
    """A list of words, one a line (plain text: json costs more to import than to read)."""
    return read(name).split()


def rows(text: str) -> list[list[str]]:
    """The tab-separated rows of a data file, comment lines (``#``) left out."""
    return [line.split("\t") for line in text.split("\n") if line and not line.startswith("#")]


@cache
def iso639_1_codes() -> frozenset[str]:
    """The two-letter ISO 639-1 codes (``en``, ``de``)."""
    return frozenset(words("languages_iso639_1.txt"))
