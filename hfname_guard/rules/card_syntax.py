"""The model card can be read: UTF-8 text whose metadata block is a YAML mapping.

Reports invalid YAML with its line, a block that is not a mapping, keys set twice (the Hub
keeps only the last), a README that is binary or not UTF-8, and a block that never closes.

Passing: `---` / `license: mit` / `---`

Failing: `---` / `license: [mit` / `---` (unclosed list), `---` / `- mit` / `---` (a list)
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

ID = "card/syntax"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    card = facts.card
    assert card is not None
    for issue in card.issues:
        if issue.kind == "syntax":
            yield Problem(issue.message, file=str(card.path), line=issue.line, column=issue.column)
