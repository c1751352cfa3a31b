"""The package's data files (``data/``): where they are and how they are read.

A leaf: it imports no other module of ``hfname_guard.names``, so ``knowledge`` and
``vocabularies`` both read their files through it without importing each other for that.
"""

from __future__ import annotations

import binascii
import os
from functools import cache

from .. import user_cache

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from collections.abc import Callable
    from typing import TypeVar

    T = TypeVar("T")

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
MAX_TABLE_BYTES = 16 << 20


def read(name: str) -> str:
    """The text of ``data/<name>``."""
    with open(os.path.join(DATA, name), encoding="utf-8") as handle:
        return handle.read()


def words(name: str) -> list[str]:
    """A list of words, one a line (plain text: json costs more to import than to read)."""
    return read(name).split()


def listed(name: str, word: str) -> bool:
    """Whether ``word`` is a line of ``data/<name>``, a file of one word a line."""
    return word in _lines(name)


class Lines:
    """The lines of a file of one word a line, for ``in``: the first words asked are found in the
    file's text, quicker than a set of its thousands for the one or two a check asks about; once
    many are asked (a card of thousands of codes, an audit), the set is built."""

    SEARCHES = 64

    def __init__(self, text: str) -> None:
        self.text = f"\n{text.strip()}\n"
        self.searches = 0
        self.words: frozenset[str] | None = None

    def __contains__(self, word: str) -> bool:
        if self.words is None:
            self.searches += 1
            if self.searches <= self.SEARCHES:
                return "\n" not in word and f"\n{word}\n" in self.text
            self.words = frozenset(self.text.split("\n")) - {""}
        return word in self.words


@cache
def _lines(name: str) -> Lines:
    return Lines(read(name))


def rows(text: str) -> list[list[str]]:
    """The tab-separated rows of a data file, comment lines (``#``) left out."""
    return [line.split("\t") for line in text.split("\n") if line and not line.startswith("#")]


@cache
def iso639_1_codes() -> frozenset[str]:
    """The two-letter ISO 639-1 codes (``en``, ``de``)."""
    return frozenset(words("languages_iso639_1.txt"))


def kept(name: str, build: Callable[[], T]) -> T:
    """``build()``, a table made of the data files, kept between runs in the user's cache
    (``user_cache``, marshal's format): a hook spends milliseconds building the knowledge base
    from its files and a fraction of one reading it back. The entry is named after the data
    files (their names, sizes and times) and the interpreter, so an edited file or another
    release builds it again; one that cannot be read back is built again too."""
    path = user_cache.marshalled("tables", f"{name}-{_stamp():08x}")
    table = user_cache.load(path, MAX_TABLE_BYTES)
    if table is None:
        table = build()
        user_cache.keep(path, table, MAX_TABLE_BYTES)  # built of dicts, tuples, strings and sets
    return table


@cache
def _stamp() -> int:
    """A checksum of the data files' names, sizes and modification times."""
    files = sorted((entry.name, entry.stat()) for entry in os.scandir(DATA))
    return binascii.crc32(repr([(name, found.st_size, found.st_mtime_ns) for name, found in files]).encode())
