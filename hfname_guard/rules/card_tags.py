"""The card carries every tag the policy requires.

Configure with `card.tags`: tags every model must carry, such as the company's own, so that
its models can be listed together. A `tags` value that is not a list of strings is
`card/field-type`'s to report.

Passing (`tags: [acme]`): `tags: [acme, text-generation]`

Failing: no `tags`; `tags: [llama]`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ._card import card_of, problem

ID = "card/tags"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    card = card_of(facts)
    required = facts.policy.card.tags
    tags = card.strings("tags")
    if card.metadata is None or not required or tags is None:
        return
    present = {tag for _, tag in tags}
    missing = [tag for tag in required if tag not in present]
    if missing:
        shown = ", ".join(f"`{tag}`" for tag in missing)
        yield problem(facts, f"the card lacks the required tag{'s' if len(missing) > 1 else ''} {shown}",
                      *(("tags",) if "tags" in card.metadata else ()))
