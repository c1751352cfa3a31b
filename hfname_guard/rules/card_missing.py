"""The model folder has a README.md with a YAML metadata block.

The Hub reads a model's license, languages, task and base model from the `---` block at the
top of README.md; without it the model is hard to find and to trust. Other card rules stay
silent while this one fires.

Passing: a README.md that starts with `---`, `license: apache-2.0`, `---`

Failing: no README.md; a README.md with no metadata block; an empty block `---` `---`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

ID = "card/missing"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    card = facts.card
    assert card is not None
    for issue in card.issues:
        if issue.kind == "missing":
            yield Problem(issue.message, file=str(card.path), line=issue.line, column=issue.column)
