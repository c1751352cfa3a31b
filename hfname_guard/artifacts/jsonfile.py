"""Read a small JSON file that must hold an object, turning every way it can fail into a sentence.

``config.json``, ``adapter_config.json`` and ``model.safetensors.index.json`` are read the way
transformers reads them (UTF-8, no byte-order mark), after a bounded read: a file past the limit
is reported, not loaded, so a stray 5 GB file named ``config.json`` costs nothing. ``json`` is
imported here, on first use, because the check path of a folder without these files never needs it.

Python's JSON reader refuses an integer of more digits than ``sys.get_int_max_str_digits()``
(4,300 by default) with a plain ``ValueError`` that says not where; ``refused_number`` finds it, so
the problem names its line and column as a syntax error would.
"""

from __future__ import annotations

import math
import os
import sys

from .files import is_lfs_pointer, lfs_problem, unreadable
from .problem import ArtifactProblem

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see hfname_guard/record.py
    from typing import Any


def read_json_object(path: str, limit: int) -> tuple[dict[str, Any] | None, list[ArtifactProblem]]:
    """The object in the JSON file at ``path`` (at most ``limit`` bytes), or None and why not."""
    name = os.path.basename(path)

    def corrupt(message: str) -> tuple[None, list[ArtifactProblem]]:
        return None, [ArtifactProblem(path, message)]

    why = unreadable(path)
    if why is not None:
        return corrupt(f"{name} cannot be used: {why}")
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        return corrupt(f"{name} cannot be read: {error.strerror or error}")
    if len(data) > limit:
        return corrupt(
            f"{name} is larger than {limit:,} bytes, the most read for it; it was not parsed (expected a JSON object)"
        )
    if is_lfs_pointer(data, len(data)):
        return None, [lfs_problem(path)]
    if not data.strip():
        return corrupt(f"{name} is empty; expected a JSON object")
    if data.startswith(b"\xef\xbb\xbf"):
        return corrupt(
            f"{name} starts with a byte-order mark, which transformers' JSON reader rejects; expected plain UTF-8"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = f"byte {data[error.start]:#04x} at offset {error.start}"
        return corrupt(f"{name} is not UTF-8 text ({byte}); expected a JSON object")
    import json

    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):  # EOF came first
            message = f"{name} ends in the middle of its JSON: the file is cut short"
        else:
            message = f"{name} is not valid JSON: {error.msg}"
        return None, [ArtifactProblem(path, message, line=error.lineno, column=error.colno)]
    except ValueError:  # not a syntax error: an integer longer than Python's int() reads
        what, offset = refused_number(text)
        line, column = (None, None) if offset is None else _line_and_column(text, offset)
        message = f"{name} {what}, so transformers cannot load it either; expected a number of ordinary size"
        return None, [ArtifactProblem(path, message, line=line, column=column)]
    except RecursionError:
        return corrupt(f"{name} nests its JSON too deeply to be read (thousands of levels); expected a JSON object")
    if not isinstance(value, dict):
        return corrupt(f"{name} holds {json_type(value)}; expected a JSON object")
    return value, []


def refused_number(text: str) -> tuple[str, int | None]:
    """What Python's JSON reader refused in ``text`` when it raised a plain ``ValueError`` (an
    integer longer than ``int()`` reads), for a message that starts with the file; and where it
    starts, None when it cannot be found."""
    found = _long_integer(text)
    if found is None:
        return "holds a number that Python's JSON reader refuses", None
    offset, digits = found
    limit = sys.get_int_max_str_digits()
    return f"holds an integer of {digits:,} digits, more than Python's JSON reader accepts ({limit:,})", offset


def _long_integer(text: str) -> tuple[int, int] | None:
    """Where in JSON ``text`` the first integer longer than ``int()`` reads starts, and its
    digits. Strings are skipped whole, so digits inside one never count; a number with a
    fraction or an exponent is a float, which has no such limit."""
    import re

    limit = sys.get_int_max_str_digits()
    tokens = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|-?(\d+)(\.\d+)?([eE][-+]?\d+)?')
    for token in tokens.finditer(text):
        digits, fraction, exponent = token.groups()
        if digits is not None and fraction is None and exponent is None and len(digits) > limit:
            return token.start(), len(digits)
    return None


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def json_type(value: object) -> str:
    """How a decoded JSON value reads in a message: "a string", "an array", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, (int, float)):
        return f"a number ({_number(value)})"
    if isinstance(value, str):
        return f"a string ({_shorten(value)!r})"
    return "an array" if isinstance(value, list) else "an object"


def _shorten(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _number(value: int | float) -> str:
    """A number as JSON writes it, NaN and Infinity included; a long integer by its length."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, int) and abs(value) >= 10**20:
        return f"an integer of {int(math.log10(abs(value))) + 1:,} digits"
    return repr(value)
