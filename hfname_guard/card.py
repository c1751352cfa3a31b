"""Read a model card's YAML metadata exactly where the Hub reads it, with line numbers.

The split is huggingface_hub's ``REGEX_YAML_BLOCK`` ("the same regex as in the Hub server"),
and the text is decoded as ``RepoCard.load`` does (UTF-8, a leading byte-order mark dropped).
Only the head of the file is read: the metadata block of a 50 MB README is still at its top.
"""

from __future__ import annotations

import codecs
import os
import re

import yaml

from .errors import YamlError
from .record import Record
from .yamlsource import YamlDocument, load_yaml

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Any

CARD_FILE_NAME = "README.md"
MAX_METADATA_BYTES = 1 << 20

REGEX_YAML_BLOCK = re.compile(r"^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\n|$))")
_OPENING = re.compile(r"^\s*---(?:\r\n|\r|\n)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class CardIssue(Record):
    """Why the metadata could not be used: ``kind`` is ``missing`` (no README or no block)
    or ``syntax`` (the block or the file is broken)."""

    kind: str
    message: str
    line: int | None = None
    column: int | None = None


class Card(Record):
    """A model card's metadata (None when unusable), where it stands, and what is wrong with it."""

    path: str
    metadata: dict[str, Any] | None
    document: YamlDocument | None
    issues: list[CardIssue]
    metadata_line: int = 1

    def position(self, *path: Any) -> tuple[int | None, int | None]:
        """Line and column of a metadata key (or its nearest parent), else the block start."""
        if self.document is None:
            return None, None
        line, column = self.document.position(path)
        return (line, column) if line else (self.metadata_line, 1)


def split_front_matter(text: str, complete: bool = True) -> tuple[str, int] | None:
    """The YAML text of the metadata block and the line it starts on, or None without one.

    When ``text`` is only the head of the file (``complete=False``), a closing `---` at its
    very end may be the start of a longer line in the file, so it does not close the block.
    """
    match = REGEX_YAML_BLOCK.search(text)
    if match is None or (not complete and not match.group(4)):
        return None
    return match.group(2), len(_LINE_BREAK.findall(match.group(1))) + 1


def opens_a_metadata_block(folder: str) -> bool:
    """Whether the folder's README.md starts like a model card (``---``), read from its first
    bytes only: enough to tell a model card from a project's README before checking it."""
    try:
        with open(os.path.join(folder, CARD_FILE_NAME), "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return _OPENING.match(head.decode("utf-8-sig", errors="replace")) is not None


def read_card(folder: str) -> Card:
    path = os.path.join(folder, CARD_FILE_NAME)

    def unusable(kind: str, message: str, line: int | None = None, column: int | None = None) -> Card:
        return Card(path, None, None, [CardIssue(kind, message, line, column)])

    if not os.path.exists(path):
        return unusable("missing", f"no {CARD_FILE_NAME}: the model has no card")
    if not os.path.isfile(path):  # a directory, a FIFO or a device: opening could block or never end
        return unusable("syntax", f"{CARD_FILE_NAME} is not a regular file")
    try:
        with open(path, "rb") as handle:
            head = handle.read(MAX_METADATA_BYTES + 1)
    except OSError as error:
        return unusable("syntax", f"cannot read {CARD_FILE_NAME}: {error.strerror or error}")
    truncated = len(head) > MAX_METADATA_BYTES
    text = _decode(head, truncated)
    if isinstance(text, CardIssue):
        return Card(path, None, None, [text])
    block = split_front_matter(text, complete=not truncated)
    if block is None:
        if truncated and _OPENING.match(text):
            return unusable(
                "syntax", f"the metadata block is not closed by `---` within the first {MAX_METADATA_BYTES:,} bytes", 1, 1
            )
        return unusable("missing", _no_block_reason(text), 1, 1)
    yaml_text, metadata_line = block
    try:
        document = load_yaml(yaml_text, first_line=metadata_line)
        if "\t" in yaml_text:
            _parse_as_huggingface_hub(yaml_text, metadata_line)
    except YamlError as error:
        return unusable("syntax", f"invalid YAML in the metadata block: {error.message}", error.line, error.column)
    data = {} if document.data is None else document.data
    if not isinstance(data, dict):
        return unusable(
            "syntax", f"the metadata block must be a mapping of keys to values, found {type(data).__name__}",
            metadata_line, 1,
        )
    duplicates = [
        CardIssue("syntax", f"`{key_path[0]}` is set twice; the Hub keeps only the last value", line, column)
        for key_path, (line, column) in document.duplicate_keys
        if len(key_path) == 1
    ]
    return Card(path, data, document, duplicates, metadata_line)


def _parse_as_huggingface_hub(yaml_text: str, first_line: int) -> None:
    """Raise what huggingface_hub's pure-Python loader would.

    libyaml accepts tabs where the pure-Python parser does not (`license: mit<TAB>`); the
    Hub's client would fail on such a card, so this one must too. The event parser does not
    recurse, and ``load_yaml`` has already bounded size and depth.
    """
    try:
        for _ in yaml.parse(yaml_text, Loader=yaml.SafeLoader):
            pass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line, column = (mark.line + first_line, mark.column + 1) if mark else (None, None)
        raise YamlError(error.problem or "invalid YAML", line, column) from None


def _decode(head: bytes, truncated: bool) -> str | CardIssue:
    if b"\0" in head:
        return CardIssue("syntax", f"{CARD_FILE_NAME} is a binary file (it contains NUL bytes), not Markdown")
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        return decoder.decode(head[:MAX_METADATA_BYTES] if truncated else head, final=not truncated)
    except UnicodeDecodeError as error:
        line = head[: error.start].count(b"\n") + 1
        return CardIssue(
            "syntax", f"{CARD_FILE_NAME} is not UTF-8 text (byte {head[error.start]:#04x} at offset {error.start})", line
        )


def _no_block_reason(text: str) -> str:
    if _OPENING.match(text):
        return "the metadata block is empty or never closed by a `---` line, so the Hub sees no metadata"
    return f"{CARD_FILE_NAME} has no YAML metadata block (`---` lines at the top)"
