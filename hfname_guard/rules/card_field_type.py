"""The card's fields hold the types the Hub reads: strings, or lists of strings.

YAML decides a value's type by how it is written, and some spellings surprise: unquoted `no`,
`yes`, `on`, `off`, `true` and `false` are booleans (`language: no`, Norwegian, must be
quoted: `language: "no"`), `2024-01-01` is a date, `1.5` a number. The Hub takes a string in
`license`, `license_name`, `license_link`, `pipeline_tag`, `library_name` and
`base_model_relation`; a string or a list of strings in `language`, `base_model` and
`datasets`; a list of strings in `tags`. Each value of another type is reported here, once, at
its line and column, and the rules that read the field leave it alone. An empty value
(`license:`) counts as not set: `card/required` asks for it when the policy does.

The Hub reads a card with YAML 1.2 and takes one word where it wants a list, so some of these it
accepts and shows, and they are at most warnings, whatever the policy sets: `no`, `yes`, `on` and
`off` (text in YAML 1.2; `language: no` is Norwegian on the Hub, false to Python's YAML and so to
`huggingface_hub`), a word where a list belongs (`tags: nlp`) and a list of one word where a string
belongs (`license: [mit]`). A number, a mapping, a date, `true` or `false` stays an error.

Passing: `language: [en, "no"]`, `base_model: meta-llama/Llama-3.1-8B`, `tags: [nlp]`

Failing: `language: no` (the boolean false: a warning), `base_model: 1.5` (a number),
`pipeline_tag: [text-generation, fill-mask]` (a list), `tags: nlp` (a string: a warning),
`license: {id: mit}`
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from ..card import FIELD_TYPES, Card
from ..facts import Facts
from ..findings import Problem
from ._card import card_of, problem

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Any

    from ..yamlsource import Path_

ID = "card/field-type"
SEVERITY = "error"
SUBJECT = "folder"

_WORD = re.compile(r"[\w.+/-]+")
"""Characters a fix may show unquoted, in `[...]` or alone; `_is_plain_text` checks the rest."""
_YAML_1_1_BOOLEANS = frozenset(("yes", "no", "on", "off"))
"""Booleans to YAML 1.1 (PyYAML) that YAML 1.2, as the Hub reads cards, keeps as text."""
_LONGEST_SHOWN = 60
"""A number written longer than this is described, not shown: a message stays short."""


def check(facts: Facts) -> Iterator[Problem]:
    card = card_of(facts)
    for key, path, value in card.mistyped():
        message, suggestion = _describe(card, key, path, value)
        at_most = "warning" if _hub_reads_it(card, key, path, value) else None
        yield problem(facts, message, *path, suggestion=suggestion, at_most=at_most)


def _hub_reads_it(card: Card, key: str, path: Path_, value: Any) -> bool:
    """Whether the Hub takes the value as the text the user meant: a word YAML 1.1 alone makes a
    boolean, a word where a list belongs, a list of one word where a string belongs."""
    if isinstance(value, bool):
        return (card.written(path, value) or "").lower() in _YAML_1_1_BOOLEANS
    field = FIELD_TYPES[key]
    if len(path) > 1:
        return False
    if isinstance(value, str):
        return field.takes_list
    return field.takes_string and isinstance(value, list) and len(value) == 1 and isinstance(value[0], str)


def _describe(card: Card, key: str, path: Path_, value: Any) -> tuple[str, str | None]:
    """The one-line message for a value of the wrong type, and the value to write instead."""
    if isinstance(value, (bool, datetime.date)):
        return _read_as_text(card, key, path, value)
    field = FIELD_TYPES[key]
    if len(path) > 1:
        return f"each `{key}` entry needs a string ({field.what}), not {_found(card, path, value)}", None
    if field.takes_list and not field.takes_string:
        needs = f"a list of strings (each {field.what})"
    else:
        needs = f"a string ({field.what}){' or a list of them' if field.takes_list else ''}"
    fix = _rewrapped(field.takes_string, value)
    hint = f"; write `{key}: {fix}`" if fix is not None else ""
    return f"`{key}` needs {needs}, not {_found(card, path, value)}{hint}", fix


def _read_as_text(card: Card, key: str, path: Path_, value: bool | datetime.date) -> tuple[str, str]:
    """A word or date YAML turned into a boolean or a date where the user meant text: say so,
    and quote it (`language: no` is Norwegian, not false)."""
    written = card.written(path, value) or _canonical(value)
    if isinstance(value, bool):
        read_as = f"the boolean {str(value).lower()}"
    else:
        read_as = "a date and time" if isinstance(value, datetime.datetime) else "a date"
    quoted = f'"{written}"'
    if len(path) > 1:
        return f"`{written}` in `{key}` is read by YAML as {read_as}, not a string; quote it: `{quoted}`", quoted
    if FIELD_TYPES[key].takes_string:
        return f"`{key}: {written}` is read by YAML as {read_as}, not a string; quote it: `{key}: {quoted}`", quoted
    return (f"`{key}: {written}` is read by YAML as {read_as}, not a list of strings; write `{key}: [{quoted}]`",
            f"[{quoted}]")


def _canonical(value: bool | datetime.date) -> str:
    """How YAML writes ``value``, for when the file's own spelling cannot be read back."""
    return str(value).lower() if isinstance(value, bool) else value.isoformat()


def _found(card: Card, path: Path_, value: Any) -> str:
    """What the value is, in words: "the number `1.5`", "a list", "null"."""
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        written = card.written(path, value) or str(value)
        return f"the number `{written}`" if len(written) <= _LONGEST_SHOWN else "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a value of type `{type(value).__name__}`"  # !!binary, !!set: YAML's rarer types


def _rewrapped(takes_string: bool, value: Any) -> str | None:
    """The value to write when the user put one word in the wrong container: `[word]` for a
    field that takes only a list, `word` for a list of one word in a field that takes one."""
    if not takes_string and isinstance(value, str) and _is_plain_text(value):
        return f"[{value}]"
    if takes_string and isinstance(value, list) and len(value) == 1 and isinstance(value[0], str):
        return value[0] if _is_plain_text(value[0]) else None
    return None


def _is_plain_text(word: str) -> bool:
    """Whether ``word`` reads as the same string unquoted, alone or inside `[...]`, so that a fix
    can show it so (`nlp`, but not `yes` or `1.5`, which YAML reads as other types)."""
    if not _WORD.fullmatch(word):
        return False
    import yaml

    try:
        return yaml.safe_load(word) == word
    except (yaml.YAMLError, ValueError):  # ValueError: a number past Python's digit limit
        return False
