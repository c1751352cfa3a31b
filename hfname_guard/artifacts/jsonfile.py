"""Read a small JSON file that must hold an object, turning every way it can fail into a sentence.

``config.json``, ``adapter_config.json`` and ``model.safetensors.index.json`` are read the way
transformers reads them (UTF-8, no byte-order mark), after a bounded read: a file past the limit
is reported, not loaded, so a stray 5 GB file named ``config.json`` costs nothing. ``json`` is
imported here, on first use, because the check path of a folder without these files never needs it.
"""

from __future__ import annotations

import os

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
    except RecursionError:
        return corrupt(f"{name} nests its JSON too deeply to be read (thousands of levels); expected a JSON object")
    if not isinstance(value, dict):
        return corrupt(f"{name} holds {json_type(value)}; expected a JSON object")
    return value, []


def json_type(value: object) -> str:
    """How a decoded JSON value reads in a message: "a string", "an array", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({'true' if value else 'false'})"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a string ({_shorten(value)!r})"
    return "an array" if isinstance(value, list) else "an object"


def _shorten(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
