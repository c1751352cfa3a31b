"""The card sets every field the policy requires.

Configure with `card.required` (field names). The default policy requires `license` and
`pipeline_tag`: what users may do with the model, and what it does. An empty value counts as
missing.

Passing (`required: [license]`): `license: apache-2.0`

Failing: no `license` key; `license:` with nothing after it
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ._card import metadata, problem

ID = "card/required"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    data = metadata(facts)
    if data is None:
        return
    for key in facts.policy.card.required:
        value = data.get(key)
        if value is None or value == "" or value == [] or value == {}:
            state = "is empty" if key in data else "is missing"
            yield problem(facts, f"required card field `{key}` {state}", *((key,) if key in data else ()))
