"""The card sets every field the policy requires.

Configure with `card.required` (field names). The default policy requires `license` and
`pipeline_tag`: what users may do with the model, and what it does. An empty value counts as
missing.

Passing (`required: [license]`): `license: apache-2.0`

Failing: no `license` key; `license:` with nothing after it
"""

from __future__ import annotations

from collections.abc import Iterator

from ..card import is_empty
from ..facts import Facts
from ..findings import Problem
from ._card import card_of, problem

ID = "card/required"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    data = card_of(facts).metadata
    if data is None:
        return
    for key in facts.policy.card.required:
        if is_empty(data.get(key)):
            state = "is empty" if key in data else "is missing"
            yield problem(facts, f"required card field `{key}` {state}", *((key,) if key in data else ()))
