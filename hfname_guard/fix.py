"""`check --fix`: card values with one certain fix, rewritten in place.

A card value the rules can fix with certainty (the license id a spelling stands for, the code of
a language written as a name, the pipeline tag that replaced a retired one, a YAML word quoted so
that it stays text) is rewritten in the README.md, and nothing else is: not a comment, not the
key order, not the quoting of other values, not a line ending, not the body. The value's own
span in the file is replaced, in its own quoting style, and the card is read again to make sure
it now holds exactly the fixed value; a fix that would not is left undone. Names are never
renamed here: a repository rename is a `git mv` or the Hub's `move_repo`, which the finding's
`fix:` line shows.
"""

from __future__ import annotations

import copy
import difflib
import os
import re

import yaml

from .card import CARD_FILE_NAME, card_from_bytes
from .findings import Finding
from .record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FIXABLE_RULES = ("card/license", "card/language", "card/pipeline-tag", "card/field-type", "hub/base-model")
"""Rules whose `fix:` for a card value is certain: each suggests only what is clearly meant
(did-you-mean is strict, language names and retired tags map one to one); hub/base-model's only
where the fix is the same id in the Hub's case (a did-you-mean for a missing model is a guess)."""
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/+-]*")
"""A value written unquoted that YAML reads back as the same text (checked again after the edit)."""


class Fix(Record):
    """One value rewritten: where, what it was, what it is now."""

    file: str
    line: int
    rule: str
    before: str
    after: str


class FileFix(Record):
    """A card's new bytes and the fixes that make them."""

    file: str
    before: bytes
    after: bytes
    fixes: tuple[Fix, ...]

    def diff(self) -> str:
        """The change as a unified diff, as `git diff` shows it."""
        old = self.before.decode("utf-8", "replace").splitlines(keepends=True)
        new = self.after.decode("utf-8", "replace").splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, f"a/{self.file}", f"b/{self.file}"))


def planned_fixes(findings: list[Finding]) -> list[FileFix]:
    """For each card with certain fixes among ``findings``, its fixed bytes (nothing written)."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        if (finding.rule in FIXABLE_RULES and finding.suggestion is not None and finding.file is not None
                and os.path.basename(finding.file) == CARD_FILE_NAME and finding.line is not None):
            by_file.setdefault(finding.file, []).append(finding)
    planned = [_fixed(file, found) for file, found in sorted(by_file.items())]
    return [plan for plan in planned if plan is not None]


def _fixed(file: str, findings: list[Finding]) -> FileFix | None:
    try:
        with open(file, "rb") as handle:
            before = handle.read()
    except OSError:
        return None
    card = card_from_bytes(file, before)
    document = card.document
    if document is None or document.scalars is None:
        return None
    lines = before.decode("utf-8").splitlines(keepends=True)
    edits: dict[tuple[int, int], tuple[int, str, Fix]] = {}
    expected = copy.deepcopy(card.metadata)
    for finding in findings:
        path = next((path for path, position in (*document.keys.items(), *document.values.items())
                     if position == (finding.line, finding.column or 1) and path in document.scalars), None)
        if path is None:
            continue
        line, start, end, style = document.scalars[path]
        written = lines[line - 1][start - 1:end - 1]
        replacement = _written_as(finding, style)
        if replacement is None or replacement == written or not _certain(finding, document.data, path):
            continue
        edits[line, start] = (end, replacement, Fix(file, line, finding.rule, written, replacement))
        _set(expected, path, yaml.safe_load(replacement) if finding.rule == "card/field-type" else finding.suggestion)
    if not edits:
        return None
    for (line, start), (end, replacement, _) in sorted(edits.items(), reverse=True):
        text = lines[line - 1]
        lines[line - 1] = text[:start - 1] + replacement + text[end - 1:]
    after = "".join(lines).encode("utf-8")
    if card_from_bytes(file, after).metadata != expected:
        return None  # the edit would read otherwise than meant: leave the card as it is
    return FileFix(file, before, after, tuple(edits[key][2] for key in sorted(edits)))


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


def _certain(finding: Finding, data: Any, path: tuple[Any, ...]) -> bool:
    """Whether the finding's fix is certain for the value at ``path``: always for the card rules;
    for hub/base-model only when it is the same id in the Hub's case."""
    if finding.rule != "hub/base-model":
        return True
    for step in path:
        data = data[step]
    return isinstance(data, str) and finding.suggestion is not None and data.lower() == finding.suggestion.lower()


def _written_as(finding: Finding, style: str) -> str | None:
    """The text that replaces the value: card/field-type's fix is YAML already (`"no"`,
    `[nlp]`); another rule's is a value, written plain when YAML reads it back as itself, else
    in the value's quotes."""
    value = finding.suggestion
    if value is None:
        return None
    if finding.rule == "card/field-type":
        return value
    if style == "" and _PLAIN.fullmatch(value):
        return value
    if style == "'" or "\\" in value or '"' in value:
        return "'" + value.replace("'", "''") + "'"
    return f'"{value}"'


def apply(plans: list[FileFix]) -> None:
    """Write each fixed card, whole or not at all."""
    for plan in plans:
        fresh = f"{plan.file}.{os.getpid()}.fix"
        with open(fresh, "wb") as handle:
            handle.write(plan.after)
        os.replace(fresh, plan.file)
