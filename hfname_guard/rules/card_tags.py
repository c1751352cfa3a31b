"""The card carries every tag the policy requires.

Configure with `card.tags`: tags every model must carry, such as the company's own, so that
its models can be listed together. `tags` must be a list of strings.

Passing (`tags: [acme]`): `tags: [acme, text-generation]`

Failing: no `tags`; `tags: [llama]`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ._card import metadata, problem

ID = "card/tags"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    data = metadata(facts)
    required = facts.policy.card.tags
    if data is None or not required:
        return
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        yield problem(facts, "`tags` must be a list of strings", "tags")
        return
    missing = [tag for tag in required if tag not in tags]
    if missing:
        shown = ", ".join(f"`{tag}`" for tag in missing)
        yield problem(facts, f"the card lacks the required tag{'s' if len(missing) > 1 else ''} {shown}",
                      *(("tags",) if "tags" in data else ()))
