"""YAML documents parsed before, read back without PyYAML.

Importing PyYAML costs a hook more than the rest of its check (``benchmarks/bench_check.py``),
and most runs read a policy and cards that an earlier run has parsed already: a pre-push after
the pre-commit, a commit tried again after a fix to another file. So each parsed document (its
data and positions, ``yamlsource.YamlDocument``) is kept in the user's cache
(``user_cache``), one file per document under ``parsed-yaml/``, named by a checksum of its
text. The file holds the text too, so a hit is an exact match, never a checksum's collision.

The format is ``marshal``'s, the fastest Python reads, and the interpreter's own: the folder
is named after the interpreter's version and this module's format, so another Python never
reads it. Dates and times, which marshal cannot hold, are kept as ``(type, ISO text)`` tuples
(YAML data never holds a tuple); a document too large is not kept.
"""

from __future__ import annotations

import binascii

from . import user_cache

FORMAT = 2
"""This module's entries' shape: bumped when ``YamlDocument``'s fields change."""
MAX_BYTES = 1 << 20
"""The largest entry kept or read; a real card's is a few KiB."""

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Any


def read(text: str, first_line: int) -> tuple[Any, ...] | None:
    """The fields of the document parsed from ``text`` at ``first_line``, if kept."""
    entry = user_cache.load(_path(text, first_line), MAX_BYTES)
    if type(entry) is not tuple or len(entry) != 4 or entry[0] != text or entry[1] != first_line:
        return None
    fields, dated = entry[2], entry[3]
    if type(fields) is not tuple or not fields:
        return None
    return (_untagged(fields[0]), *fields[1:]) if dated else fields


def write(text: str, first_line: int, fields: tuple[Any, ...]) -> None:
    """Keep the fields of a ``YamlDocument`` (its data first) parsed from ``text``."""
    path = _path(text, first_line)
    if not user_cache.keep(path, (text, first_line, fields, False), MAX_BYTES):  # a date or a time in the data
        user_cache.keep(path, (text, first_line, (_tagged(fields[0]), *fields[1:]), True), MAX_BYTES)


def _tagged(value: Any) -> Any:
    if isinstance(value, dict):
        return {_tagged(key): _tagged(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_tagged(item) for item in value]
    if hasattr(value, "isoformat"):  # datetime.date and datetime.datetime
        return (type(value).__name__, value.isoformat())
    return value


def _untagged(value: Any) -> Any:
    if type(value) is dict:
        return {_untagged(key): _untagged(item) for key, item in value.items()}
    if type(value) is list:
        return [_untagged(item) for item in value]
    if type(value) is tuple and len(value) == 2 and value[0] in _DATE_TYPES:
        import datetime

        kind = datetime.datetime if value[0] == "datetime" else datetime.date
        return kind.fromisoformat(value[1])
    return value


_DATE_TYPES = ("date", "datetime")


def _path(text: str, first_line: int) -> str:
    encoded = text.encode("utf-8", "surrogatepass")
    return user_cache.marshalled(f"parsed-yaml-{FORMAT}", f"{binascii.crc32(encoded):08x}-{len(encoded)}-{first_line}")
