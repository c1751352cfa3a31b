"""Load untrusted YAML safely, keeping where every key and value stood.

Policies and model-card metadata both come from people we do not control, so loading guards
against what can hurt a YAML loader: alias bombs ("billion laughs"), absurd nesting and huge
documents (``yamlparse``). Positions let findings and policy errors point at ``file:line:column``.
A document parsed before is read back from the parse cache (``parse_cache``), without PyYAML.
"""

from __future__ import annotations

from .record import Record

BOM = "\ufeff"
"""The byte-order mark a YAML or Markdown file may start with, dropped after decoding UTF-8 (what
the ``utf-8-sig`` codec does, without importing it on a hook's path)."""

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Any

    Path_ = tuple[Any, ...]
    """Where a value stands in a document: keys and list indexes, ``("language", 1)``."""


class YamlDocument(Record):
    """The loaded data with 1-based ``(line, column)`` positions by path (``("card", 0)``).

    ``values`` gives where each value starts; ``keys`` where each mapping key starts, which is
    where a reader looks for "the line of the offending key".
    """

    data: Any
    values: dict[Path_, tuple[int, int]]
    keys: dict[Path_, tuple[int, int]]
    duplicate_keys: list[tuple[Path_, tuple[int, int]]]
    scalars: dict[Path_, tuple[int, int, int, str]] | None = None
    """Each scalar written on one line: its line, first and past-the-end column (1-based) and
    style (`` `` plain, ``'`` or ``"``): what ``check --fix`` replaces, byte for byte."""

    def position(self, path: Path_) -> tuple[int, int] | tuple[None, None]:
        """Where the key of ``path`` stands, else its value, else its nearest known parent."""
        while True:
            found = self.keys.get(path) or self.values.get(path)
            if found or not path:
                return found or (None, None)
            path = path[:-1]


def load_yaml(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; ``first_line`` is the file line the text starts on.

    Raises ``YamlError`` with the line and column of the problem.
    """
    from . import parse_cache

    kept = parse_cache.read(text, first_line)
    if kept is not None and len(kept) == len(YamlDocument.__fields__):
        return YamlDocument(*kept)
    from .yamlparse import parse

    document = parse(text, first_line)
    parse_cache.write(text, first_line, tuple(getattr(document, name) for name in YamlDocument.__fields__))
    return document
