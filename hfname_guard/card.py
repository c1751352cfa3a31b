"""Read a model card's YAML metadata exactly where the Hub reads it, with line numbers.

The split is huggingface_hub's ``REGEX_YAML_BLOCK`` ("the same regex as in the Hub server"),
and the text is decoded as ``RepoCard.load`` does (UTF-8, a leading byte-order mark dropped).
Only the head of the file is read: the metadata block of a 50 MB README is still at its top.
"""

from __future__ import annotations

import codecs
import os
import re
import stat

from .errors import YamlError
from .record import Record
from .regular_file import NotARegularFile, open_regular
from .yamlsource import BOM, YamlDocument, load_yaml

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Any

    from .yamlsource import Path_

CARD_FILE_NAME = "README.md"
MAX_METADATA_BYTES = 1 << 20

REGEX_YAML_BLOCK = re.compile(r"^(\s*---(?:\r\n|\r|\n))([\S\s]*?)((?:\r\n|\r|\n)---[ \t]*(\r\n|\n|$))")
_OPENING = re.compile(r"^\s*---(?:\r\n|\r|\n)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# The next two are compiled where used (re keeps them): only a field of the wrong type needs them,
# and compiling costs the hook's start a fraction of a millisecond each.
_YAML_LINE_BREAK = "\r\n|[\r\n\x85\u2028\u2029]"
"""What PyYAML counts as a line break, so that its line numbers find the line again."""
_PLAIN_WORDS = r"(?:[&!][^\s,\[\]{}]*\s+)*([^\s,\[\]{}#&*!|>'\"%@`][^\s,\[\]{}#]*(?: +[^\s,\[\]{}#]+)*)"
"""An unquoted scalar as written in block or flow YAML (`no`, `1.5`, `2001-12-14 21:59:43`),
after any anchor or tag (`&base no`, `!!int 5`)."""


class FieldType(Record):
    """What the Hub takes in a card field: a string, a list of strings, or either; ``what``
    says what each string names (huggingface_hub's ``ModelCardData`` and the Hub's model card
    spec, hub-docs modelcard.md)."""

    takes_string: bool
    takes_list: bool
    what: str


FIELD_TYPES: dict[str, FieldType] = {
    "license": FieldType(True, False, "a license id such as `apache-2.0`"),
    "license_name": FieldType(True, False, "a license name such as `my-license-1.0`"),
    "license_link": FieldType(True, False, "a file name such as `LICENSE`, or a URL"),
    "pipeline_tag": FieldType(True, False, "a pipeline tag such as `text-generation`"),
    "library_name": FieldType(True, False, "a library name such as `transformers`"),
    "base_model_relation": FieldType(True, False, "`adapter`, `merge`, `quantized` or `finetune`"),
    "language": FieldType(True, True, "a language code such as `en`"),
    "base_model": FieldType(True, True, "a repo id such as `meta-llama/Llama-3.1-8B`"),
    "datasets": FieldType(True, True, "a dataset id such as `HuggingFaceFW/fineweb`"),
    "tags": FieldType(False, True, "a tag such as `nlp`"),
}
"""The card fields whose type is checked (card/field-type): those the rules read, and those
the Hub gives a type that YAML's spelling can break."""


def is_empty(value: Any) -> bool:
    """Whether a card value counts as not set: null, ``""``, ``[]`` or ``{}``. Asking for a
    field is card/required's business, so an empty one is no value of the wrong type."""
    return value is None or (isinstance(value, (str, list, dict)) and not value)


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
    metadata_text: str = ""
    """The metadata block's YAML, to quote a value back as the file spells it."""

    def position(self, *path: Any) -> tuple[int | None, int | None]:
        """Line and column of a metadata key (or its nearest parent), else the block start."""
        if self.document is None:
            return None, None
        line, column = self.document.position(path)
        return (line, column) if line else (self.metadata_line, 1)

    def strings(self, key: str) -> list[tuple[Path_, str]] | None:
        """The strings of the card field ``key`` (one of ``FIELD_TYPES``) with their paths
        (``("language", 1)``): none when it is not set, one for a string, one per string of a
        list. None when the value as a whole has a type the field does not take; an entry of
        the wrong type in a list is left out. card/field-type reports both, once, so that the
        rules that read the field neither report them again nor trip over them."""
        return self._typed(key)[0]

    def string(self, key: str) -> str | None:
        """The value of a field that takes one string, when it is a string that is not empty."""
        found = self.strings(key)
        return found[0][1] if found else None

    def mistyped(self) -> list[tuple[str, Path_, Any]]:
        """``(field, path, value)`` for each value of a field of ``FIELD_TYPES`` whose type the
        field does not take: the whole value, or each such entry of its list."""
        return [(key, path, value) for key in FIELD_TYPES for path, value in self._typed(key)[1]]

    def _typed(self, key: str) -> tuple[list[tuple[Path_, str]] | None, list[tuple[Path_, Any]]]:
        """The field's strings (as ``strings`` gives them) and its values of the wrong type."""
        value = (self.metadata or {}).get(key)
        field = FIELD_TYPES[key]
        if is_empty(value):
            return [], []
        if isinstance(value, str) and field.takes_string:
            return [((key,), value)], []
        if isinstance(value, list) and field.takes_list:
            entries = [((key, index), item) for index, item in enumerate(value)]
            return ([entry for entry in entries if isinstance(entry[1], str)],
                    [entry for entry in entries if not isinstance(entry[1], str)])
        return None, [((key,), value)]

    def written(self, path: Path_, value: Any) -> str | None:
        """The unquoted scalar ``value`` at ``path`` as the file spells it (`no` for False,
        `1.50` for 1.5), for messages that show what YAML made of it; None when the text there
        does not read back as ``value`` (an alias, a quoted or a folded scalar)."""
        start = self.document.values.get(path) if self.document is not None else None
        if start is None:
            return None
        line, column = start
        lines = re.split(_YAML_LINE_BREAK, self.metadata_text)
        if not 0 <= line - self.metadata_line < len(lines):
            return None
        words = re.compile(_PLAIN_WORDS).match(lines[line - self.metadata_line], column - 1)
        if words is None:
            return None
        import yaml

        try:
            read = yaml.safe_load(words.group(1))
        except (yaml.YAMLError, ValueError):  # ValueError: a number past Python's digit limit
            return None
        return words.group(1) if type(read) is type(value) and read == value else None


def split_front_matter(text: str, complete: bool = True) -> tuple[str, int] | None:
    """The YAML text of the metadata block and the line it starts on, or None without one.

    When ``text`` is only the head of the file (``complete=False``), a closing `---` at its
    very end may be the start of a longer line in the file, so it does not close the block.
    """
    match = REGEX_YAML_BLOCK.search(text)
    if match is None or (not complete and not match.group(4)):
        return None
    return match.group(2), len(_LINE_BREAK.findall(match.group(1))) + 1


def looks_like_a_card(folder: str) -> bool:
    """Whether the folder's README.md starts like a model card (``---``), read from its first
    bytes only: enough to tell a model card from a project's README before checking it.

    A README.md that is a FIFO, a device or a socket (or a link to one) is never read, yet
    counts: reading it could block or never end, so card/syntax must report it rather than
    let the folder pass unseen.
    """
    try:
        with open_regular(os.path.join(folder, CARD_FILE_NAME)) as handle:
            head = handle.read(4096)
    except NotARegularFile as error:
        return not stat.S_ISDIR(error.mode)
    except OSError:
        return False
    return _OPENING.match(head.decode("utf-8", errors="replace").removeprefix(BOM)) is not None


def read_card(folder: str) -> Card:
    path = os.path.join(folder, CARD_FILE_NAME)

    def unusable(kind: str, message: str, line: int | None = None, column: int | None = None) -> Card:
        return Card(path, None, None, [CardIssue(kind, message, line, column)])

    if not os.path.exists(path):
        return unusable("missing", f"no {CARD_FILE_NAME}: the model has no card")
    try:
        with open_regular(path) as handle:
            head = handle.read(MAX_METADATA_BYTES + 1)
    except NotARegularFile as error:  # a FIFO or a device: reading it could block or never end
        return unusable("syntax", f"{CARD_FILE_NAME} is {error.what}, not a regular file; replace it with the "
                                  "model card, a Markdown file that starts with a `---` metadata block")
    except OSError as error:
        return unusable("syntax", f"cannot read {CARD_FILE_NAME}: {error.strerror or error}")
    return card_from_bytes(path, head)


def card_from_bytes(path: str, head: bytes) -> Card:
    """The card whose file ``path`` starts with ``head`` (at least its first
    ``MAX_METADATA_BYTES + 1`` bytes when it is longer): a folder's README.md, or one fetched
    from the Hub (``audit --cards``)."""
    head = head[:MAX_METADATA_BYTES + 1]

    def unusable(kind: str, message: str, line: int | None = None, column: int | None = None) -> Card:
        return Card(path, None, None, [CardIssue(kind, message, line, column)])

    truncated = len(head) > MAX_METADATA_BYTES
    text = _decode(head, truncated)
    if isinstance(text, CardIssue):
        return Card(path, None, None, [text])
    block = split_front_matter(text, complete=not truncated)
    if block is None:
        if truncated and _OPENING.match(text):
            return unusable(
                "syntax", f"the metadata block is not closed by `---` within the first {MAX_METADATA_BYTES:,} bytes",
                1, 1,
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
    return Card(path, data, document, duplicates, metadata_line, yaml_text)


def _parse_as_huggingface_hub(yaml_text: str, first_line: int) -> None:
    """Raise what huggingface_hub's pure-Python loader would.

    libyaml accepts tabs where the pure-Python parser does not (`license: mit<TAB>`); the
    Hub's client would fail on such a card, so this one must too. The event parser does not
    recurse, and ``load_yaml`` has already bounded size and depth.
    """
    import yaml

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
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        return decoder.decode(head[:MAX_METADATA_BYTES] if truncated else head, final=not truncated).removeprefix(BOM)
    except UnicodeDecodeError as error:
        line = head[: error.start].count(b"\n") + 1
        return CardIssue(
            "syntax",
            f"{CARD_FILE_NAME} is not UTF-8 text (byte {head[error.start]:#04x} at offset {error.start})",
            line,
        )


def _no_block_reason(text: str) -> str:
    if _OPENING.match(text):
        return "the metadata block is empty or never closed by a `---` line, so the Hub sees no metadata"
    return f"{CARD_FILE_NAME} has no YAML metadata block (`---` lines at the top)"
