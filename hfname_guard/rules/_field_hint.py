"""Which built-in template field a rejected value belongs to, for `name/template` and
`name/unknown-word`: `8b` in `{size}` is a parameter count, so the template wants `{parameters}`
there (or the name put the word in the wrong place).

A value another built-in vocabulary holds exactly tells more than the nearest word by edit
distance, so the hint replaces "did you mean"; and since the name may well be right and the
template wrong, such a finding carries no fix, unless two values only stand in each other's
places (`llama-base-8b` for `{architecture}-{parameters}-{size}`).
"""

from __future__ import annotations

import re

from ..names.vocabularies import FIELD_DEFAULTS, common_language_codes, vocabulary

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see hfname_guard/record.py
    from ..policy import FieldSpec, NamePolicy

KINDS = (
    ("parameters", "a parameter count", "parameter counts"),
    ("size", "a size word", "size words"),
    ("version", "a version", "versions"),
    ("task", "a task word", "task words"),
    ("language", "a language code", "language codes"),
    ("architecture", "an architecture word", "architecture words"),
)
"""The built-in fields a value is tried against, in this order (`it` is a task word before it
is Italian): the field, what one of its values is, and what they are."""

_CLEAR_VERSION = re.compile(r"[vV]\d+(?:\.\d+)*|\d+(?:\.\d+)+")
"""A version beyond doubt: `v2`, `1.5`; a bare `7` could as well be a count without its unit."""


def field_hint(value: str, spec: FieldSpec, name: NamePolicy) -> str | None:
    """What ``value``, rejected by ``spec``, is: a value of another field of the template (``it is
    a parameter count, which the template puts in `{parameters}```, ``the template puts it in
    `{variant}```), else of a built-in field the template lacks (``it is a parameter count: use
    `{parameters}` for parameter counts``); None when it is none of these."""
    kinds = [field for field, _, _ in KINDS]
    fields = name.template.fields if name.template is not None else []
    for field in sorted(fields, key=lambda field: kinds.index(field) if field in kinds else len(kinds)):
        own = name.fields.get(field)
        if field == spec.name or own is None or not own.accepts(value):
            continue
        if field not in kinds or own.vocabulary is None or own.vocabulary.name != FIELD_DEFAULTS[field]:
            return f"the template puts it in `{{{field}}}`"
        if _is_a(field, value):  # the built-in field: `big` is in ISO 639-3, and no language anyone means
            return f"it is {KINDS[kinds.index(field)][1]}, which the template puts in `{{{field}}}`"
    for field, singular, plural in KINDS:
        known = vocabulary(FIELD_DEFAULTS[field])
        if field in name.fields or (spec.vocabulary is not None and spec.vocabulary.name == known.name):
            continue
        if _is_a(field, value):
            return f"it is {singular}: use `{{{field}}}` for {plural}"
    return None


def _is_a(field: str, value: str) -> bool:
    if field == "version":
        return _CLEAR_VERSION.fullmatch(value) is not None
    if field == "language":  # not the 7,916 ISO 639-3 codes: `big` and `ner` are among them
        return value.lower() in common_language_codes()
    return value in vocabulary(FIELD_DEFAULTS[field])
