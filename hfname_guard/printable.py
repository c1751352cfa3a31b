"""Untrusted text made safe to print: every format and every error message goes through here.

Folder and file names, card values and config.json strings come from whoever wrote the model
folder, and two kinds of character in them must never reach the output as they are:

- characters that cannot be written at all: a byte that is not UTF-8 in a file name reaches
  Python as a lone surrogate (``os.fsdecode``: byte 0xFF becomes U+DCFF), and so does a
  ``"\\ud800"`` escape in config.json; a UTF-8 stream refuses to encode them, which would end
  the run with an encoding error;
- characters that act instead of showing: ESC starts sequences that clear the screen, move the
  cursor or retitle the window; CR returns to the start of the line so that later text
  overwrites earlier; BEL rings; bidirectional overrides and isolates reorder what follows them
  ("Trojan Source"); a line break would start a line that reads as the tool's own.

``printable`` shows each of them as an escape a person can read: ``\\n``, ``\\r``, ``\\t``;
``\\xNN`` for the other C0 and C1 controls and DEL, and for a byte of a file name that is not
UTF-8 (shown as the byte it was, as Python writes bytes); ``\\uXXXX`` for the rest
(other lone surrogates, the invisible bidirectional marks, the line and paragraph separators).
A backslash itself is left alone, so that a Windows path stays readable: the output is read by
people, never parsed back, and a name that spells ``\\x1b`` out reads the same as one holding ESC.

``encodable`` is for JSON and SARIF, which are read by programs: their strings keep every
character JSON can escape, and only lone surrogates are replaced, by the escapes above: a JSON
``\\udcff`` escape is valid JSON text but not valid Unicode, and strict parsers reject it.
"""

from __future__ import annotations

import re
from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    import json
    from typing import Any

UNPRINTABLE = "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
"""Controls (C0, DEL, C1), the invisible bidirectional marks, embeddings, overrides and isolates,
the line and paragraph separators, and lone surrogates (a pattern: ``unprintable()`` compiles it)."""
_SURROGATE = "[\ud800-\udfff]"
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNDECODED_BYTES = range(0xDC80, 0xDD00)
"""The lone surrogates that stand for a byte that was not UTF-8 (Python's ``surrogateescape``)."""


def unprintable() -> re.Pattern[str]:
    """``UNPRINTABLE`` compiled, the first time it is needed: most text is printable (see
    ``printable``), and compiling the class costs the hook's start most of a millisecond."""
    return re.compile(UNPRINTABLE)


def printable(text: str) -> str:
    """``text`` with every character ``UNPRINTABLE`` matches shown as its escape."""
    if text.isprintable():  # no control, separator, format character or surrogate: the usual case
        return text
    return unprintable().sub(_escape_match, text)


def printable_lines(text: str) -> str:
    """``printable``, except that line breaks stay: for the tool's own text of several lines
    (a message and its fix), whose untrusted parts were made ``printable`` already."""
    return "\n".join(printable(line) for line in text.split("\n"))


def escape(character: str) -> str:
    """How ``printable`` shows one character: ``\\n``, ``\\x1b``, ``\\xff`` (a byte that was not
    UTF-8), ``\\u202e``."""
    code = ord(character)
    if character in _NAMED:
        return _NAMED[character]
    if code in _UNDECODED_BYTES:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def encodable(data: Any) -> Any:
    """JSON data (dicts, lists, strings, numbers) with every lone surrogate in its strings, keys
    included, shown as its escape: data any UTF-8 encoder and any strict JSON parser accepts."""
    if isinstance(data, str):
        return data if data.isprintable() else re.sub(_SURROGATE, _escape_match, data)
    if isinstance(data, dict):
        return {encodable(key): encodable(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [encodable(item) for item in data]
    return data


def ascii_json(data: Any, indent: int | None = None, compact: bool = False) -> str:
    """``data`` as ASCII JSON that strict parsers accept: ``json.dumps``, and ``encodable`` only
    for data with a lone surrogate (``\\ud800``), which is rare and costly to look for.
    ``compact``: no blank after `,` and `:` (a stream of JSON lines for programs)."""
    encode = _encoder(indent, compact).encode
    text = encode(data)
    return encode(encodable(data)) if "\\ud" in text else text


@cache
def _encoder(indent: int | None, compact: bool) -> json.JSONEncoder:
    import json

    separators = (",", ":") if compact else None
    return json.JSONEncoder(indent=indent, separators=separators, check_circular=False)  # trees: no cycle


def _escape_match(match: re.Match[str]) -> str:
    return escape(match.group())
