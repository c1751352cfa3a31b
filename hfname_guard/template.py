"""The name template language: ``{architecture}-{size}[-{variant}]-v{version}``.

``{field}`` is a named field, ``[...]`` an optional group (groups may nest), anything else is
literal text; ``\\{``, ``\\}``, ``\\[``, ``\\]`` and ``\\\\`` escape. Matching is case-insensitive
(the case style is ``name/case``'s business) and explains itself: either which field holds an
unacceptable value, or where the name stops having the template's shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from itertools import product

from .record import Record

MAX_OPTIONAL_GROUPS = 8
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")


class TemplateSyntaxError(ValueError):
    """``column`` is 1-based within the template text."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


class Literal(Record):
    text: str


class Field(Record):
    name: str


class Optional(Record):
    parts: tuple[Literal | Field | Optional, ...]


Part = Literal | Field | Optional
Flat = tuple[Literal | Field, ...]


class FieldValue(Record):
    field: str
    value: str
    start: int
    accepted: bool


class Mismatch(Record):
    """Where the name stops fitting: 0-based ``position``, the template text ``expected`` from
    there, and the acceptable field ``values`` read before it (to build an example from)."""

    position: int
    expected: str
    values: dict[str, str]
    alternative: Flat


class Match(Record):
    """The best reading of a name: field values (each accepted or not) by one of the
    template's alternatives, or a shape mismatch."""

    values: list[FieldValue]
    alternative: Flat
    mismatch: Mismatch | None = None

    @property
    def ok(self) -> bool:
        return self.mismatch is None and all(value.accepted for value in self.values)

    @property
    def rejected(self) -> list[FieldValue]:
        return [value for value in self.values if not value.accepted]


class Template(Record):
    text: str
    parts: tuple[Part, ...]
    alternatives: tuple[Flat, ...]

    @property
    def fields(self) -> list[str]:
        """Field names in the order they appear."""
        longest = _merge_literals(_expand(self.parts)[-1])
        return list(dict.fromkeys(part.name for part in longest if isinstance(part, Field)))

    @property
    def required_fields(self) -> set[str]:
        """Fields every conforming name has (those outside optional groups)."""
        return set.intersection(*({part.name for part in alt if isinstance(part, Field)} for alt in self.alternatives))

    def match(self, name: str, accepts: Callable[[str, str], bool]) -> Match:
        """Read ``name`` against every alternative; ``accepts(field, value)`` judges values.

        The reading with the fewest rejected values wins; when no alternative has the
        template's shape, the mismatch that got furthest into the name is reported.
        """
        lowered = name.lower()
        best: tuple[tuple[int, int, int], Match] | None = None
        furthest: Mismatch | None = None
        for alternative in self.alternatives:
            values = _best_reading(alternative, name, lowered, accepts)
            if values is None:
                mismatch = _mismatch(alternative, name, accepts)
                if furthest is None or (mismatch.position, len(mismatch.values)) > (
                    furthest.position, len(furthest.values)
                ):
                    furthest = mismatch
                continue
            rejected = [value for value in values if not value.accepted]
            score = (len(rejected), sum(_has_separator(v.value) for v in rejected), -len(values))
            if best is None or score < best[0]:
                best = (score, Match(values=values, alternative=alternative))
        if best is not None:
            return best[1]
        assert furthest is not None
        return Match(values=[], alternative=furthest.alternative, mismatch=furthest)

    def render(self, values: dict[str, str], alternative: Flat | None = None) -> str:
        """Fill ``alternative`` (default: the shortest one) with ``values``."""
        chosen = alternative if alternative is not None else min(self.alternatives, key=len)
        return "".join(
            part.text if isinstance(part, Literal) else values.get(part.name, "{" + part.name + "}")
            for part in chosen
        )


@cache
def parse(text: str) -> Template:
    parts, _ = _parse_sequence(text, 0, closing=None)
    if not parts:
        raise TemplateSyntaxError("the template is empty", 1)
    if _count_groups(parts) > MAX_OPTIONAL_GROUPS:
        raise TemplateSyntaxError(f"more than {MAX_OPTIONAL_GROUPS} optional groups", 1)
    unique: dict[tuple[tuple[type, Literal | Field], ...], Flat] = {}
    for flat in _expand(parts):  # `[a][a]` reads `a` twice; keep one (by kind too: `a` is no `{a}`)
        merged = _merge_literals(flat)
        unique.setdefault(tuple((type(part), part) for part in merged), merged)
    alternatives = tuple(unique.values())
    return Template(text, parts, alternatives)


def _count_groups(parts: tuple[Part, ...]) -> int:
    return sum(1 + _count_groups(part.parts) for part in parts if isinstance(part, Optional))


def _parse_sequence(text: str, index: int, closing: str | None) -> tuple[tuple[Part, ...], int]:
    """Parse up to ``closing`` (`]` inside a group, whose `[` stands at ``index - 1``)."""
    opened = index - 1
    parts: list[Part] = []
    literal: list[str] = []

    def flush() -> None:
        if literal:
            parts.append(Literal("".join(literal)))
            literal.clear()

    while index < len(text):
        char = text[index]
        if char == "\\":
            if index + 1 >= len(text) or text[index + 1] not in "{}[]\\":
                raise TemplateSyntaxError("a backslash escapes only { } [ ] or \\", index + 1)
            literal.append(text[index + 1])
            index += 2
        elif char == "{":
            end = text.find("}", index)
            if end == -1:
                raise TemplateSyntaxError("'{' is never closed by '}'", index + 1)
            name = text[index + 1 : end]
            if not _FIELD_NAME.fullmatch(name):
                raise TemplateSyntaxError(
                    f"field name {name!r} must be lower-case letters, digits and _ (starting with a letter)",
                    index + 2,
                )
            flush()
            parts.append(Field(name))
            index = end + 1
        elif char == "[":
            flush()
            inner, index = _parse_sequence(text, index + 1, closing="]")
            if not inner:
                raise TemplateSyntaxError("an optional group '[]' is empty", index)
            parts.append(Optional(inner))
        elif char == closing:
            flush()
            return tuple(parts), index + 1
        elif char in "}]":
            raise TemplateSyntaxError(f"unmatched {char!r} (escape it as \\{char})", index + 1)
        else:
            literal.append(char)
            index += 1
    if closing is not None:
        raise TemplateSyntaxError("'[' is never closed by ']'", opened + 1)
    flush()
    return tuple(parts), index


def _expand(parts: tuple[Part, ...]) -> list[tuple[Literal | Field, ...]]:
    choices: list[list[tuple[Literal | Field, ...]]] = []
    for part in parts:
        if isinstance(part, Optional):
            choices.append([(), *_expand(part.parts)])
        else:
            choices.append([(part,)])
    return [tuple(item for chunk in combination for item in chunk) for combination in product(*choices)]


def _merge_literals(flat: tuple[Literal | Field, ...]) -> Flat:
    merged: list[Literal | Field] = []
    for part in flat:
        if isinstance(part, Literal) and merged and isinstance(merged[-1], Literal):
            merged[-1] = Literal(merged[-1].text + part.text)
        else:
            merged.append(part)
    return tuple(merged)


def _has_separator(value: str) -> bool:
    return any(char in "-_." for char in value)


def _best_reading(
    alternative: Flat, name: str, lowered: str, accepts: Callable[[str, str], bool]
) -> list[FieldValue] | None:
    """The reading of ``name`` by ``alternative`` with the fewest rejected values, or None when
    its literal text cannot be placed. Field values end only where the next literal starts,
    so the search stays small."""
    memo: dict[tuple[int, int], tuple[int, list[FieldValue]] | None] = {}

    def solve(index: int, position: int) -> tuple[int, list[FieldValue]] | None:
        if index == len(alternative):
            return (0, []) if position == len(name) else None
        key = (index, position)
        if key in memo:
            return memo[key]
        part = alternative[index]
        result: tuple[int, list[FieldValue]] | None = None
        if isinstance(part, Literal):
            if lowered.startswith(part.text.lower(), position):
                result = solve(index + 1, position + len(part.text))
        else:
            for end in _field_ends(alternative, index, lowered, position):
                rest = solve(index + 1, end)
                if rest is None:
                    continue
                value = name[position:end]
                accepted = accepts(part.name, value)
                cost = rest[0] + (not accepted)
                if result is None or cost < result[0]:
                    result = (cost, [FieldValue(part.name, value, position, accepted), *rest[1]])
        memo[key] = result
        return result

    solved = solve(0, 0)
    return None if solved is None else solved[1]


def _field_ends(alternative: Flat, index: int, lowered: str, position: int) -> list[int]:
    following = alternative[index + 1] if index + 1 < len(alternative) else None
    if following is None:
        return [len(lowered)] if position < len(lowered) else []
    if isinstance(following, Field):
        return list(range(position + 1, len(lowered) + 1))
    text = following.text.lower()
    ends = []
    start = lowered.find(text, position + 1)
    while start != -1:
        ends.append(start)
        start = lowered.find(text, start + 1)
    return ends


def _mismatch(alternative: Flat, name: str, accepts: Callable[[str, str], bool]) -> Mismatch:
    """Walk ``alternative`` left to right and say where the name stops fitting it.

    A field whose following literal never comes takes the rest of the name, so a missing
    ``-v{version}`` is reported at the end of the name, where it belongs.
    """
    lowered = name.lower()
    position = 0
    values: dict[str, str] = {}
    for index, part in enumerate(alternative):
        rest = _text(alternative[index:])
        if isinstance(part, Literal):
            if not lowered.startswith(part.text.lower(), position):
                same = _common_prefix_length(part.text.lower(), lowered[position:])
                return Mismatch(position + same, rest[same:], values, alternative)
            position += len(part.text)
            continue
        if position >= len(lowered):
            return Mismatch(position, rest, values, alternative)
        ends = _field_ends(alternative, index, lowered, position)
        end = ends[0] if ends else len(lowered)
        if accepts(part.name, name[position:end]):
            values[part.name] = name[position:end]
        position = end
    return Mismatch(position, "the end of the name", values, alternative)


def _text(parts: Flat) -> str:
    return "".join(part.text if isinstance(part, Literal) else "{" + part.name + "}" for part in parts)


def _common_prefix_length(a: str, b: str) -> int:
    length = 0
    while length < min(len(a), len(b)) and a[length] == b[length]:
        length += 1
    return length
