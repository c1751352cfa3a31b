"""Typed reads of JSON fields: a value of the wrong type becomes a problem, never a traceback.

A config written by hand, or by a tool with a bug, can hold ``"model_type": 42`` or
``"num_hidden_layers": "12"``. Such a field reads as unknown (None), and the problem names the
file, the field, what it holds and what was expected. A field that is absent or ``null`` is
simply unknown: many configs leave fields out.
"""

from __future__ import annotations

from .jsonfile import json_type
from .problem import ArtifactProblem

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see hfname_guard/record.py
    from typing import Any

MAX_COUNT = 2**63 - 1
"""The largest count a framework can hold (a signed 64-bit integer)."""


class FieldReader:
    """Reads fields of one decoded JSON object, collecting a problem for each wrong type."""

    def __init__(self, path: str, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data
        self.problems: list[ArtifactProblem] = []

    def wrong(self, key: str, value: object, expected: str) -> None:
        self.problems.append(ArtifactProblem(self.path, f"`{key}` is {json_type(value)}; expected {expected}"))

    def string(self, key: str, example: str, within: str | None = None) -> str | None:
        """A string; ``within`` names the object that holds it when that is not the top level."""
        value = (self.data if within is None else self.data[within]).get(key)
        if value is None or isinstance(value, str):
            return value
        self.wrong(key if within is None else f"{within}.{key}", value, f"a string such as {example!r}")
        return None

    def count(self, key: str, within: str | None = None) -> int | None:
        """A non-negative integer (a size, a number of layers, a rank) that fits the 64 bits the
        frameworks hold it in: a float (``12.0``, ``NaN``, ``Infinity``) or ``10**400`` is no count."""
        value = (self.data if within is None else self.data[within]).get(key)
        is_integer = isinstance(value, int) and not isinstance(value, bool)
        if value is None or (is_integer and 0 <= value <= MAX_COUNT):
            return value
        expected = "a non-negative integer" + (" that fits in 64 bits" if is_integer and value > MAX_COUNT else "")
        self.wrong(key if within is None else f"{within}.{key}", value, expected)
        return None

    def strings(self, key: str, example: str, allow_one: bool = False) -> tuple[str, ...]:
        """A list of strings; with ``allow_one`` a single string too (PEFT's regex form)."""
        value = self.data.get(key)
        if value is None:
            return ()
        if allow_one and isinstance(value, str):
            return (value,)
        expected = f"an array of strings such as {example}"
        if not isinstance(value, list):
            self.wrong(key, value, expected)
            return ()
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.wrong(f"{key}[{index}]", item, f"a string ({key} should be {expected})")
                return ()
        return tuple(value)
