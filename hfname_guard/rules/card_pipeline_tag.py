"""The card's `pipeline_tag` is a task the Hub knows (or the policy allows).

Configure with `card.pipeline-tags`; by default the Hub's 57 pipeline tags. The tag decides
which widget and which task filter a model appears under.

A tag the Hub has retired (`text2text-generation`, `conversational`) is at most a warning, whatever
the policy sets, and names the tag that replaced it: the Hub still accepts and shows it. A value
outside the policy's own `card.pipeline-tags` is the policy's error, retired or not.

A value that is not a string (`pipeline_tag: [text-generation]`, a list) is
`card/field-type`'s to report.

Passing: `pipeline_tag: text-generation`

Failing: `pipeline_tag: text-generator` (did you mean `text-generation`?), `pipeline_tag: chat`,
`pipeline_tag: text2text-generation` (a warning: use `text-generation`)
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.vocabularies import DEPRECATED_PIPELINE_TAGS, pipeline_tags
from ._card import card_of, not_listed, problem

ID = "card/pipeline-tag"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    value = card_of(facts).string("pipeline_tag")
    if value is None:
        return
    allowed = facts.policy.card.pipeline_tags
    replacement = DEPRECATED_PIPELINE_TAGS.get(value)
    if allowed is None and replacement is not None:
        yield problem(facts, f"pipeline_tag `{value}` is a retired Hub pipeline tag (the Hub still shows it); "
                             f"use `{replacement}`, which replaced it", "pipeline_tag",
                      suggestion=replacement, at_most="warning")
        return
    found = not_listed(facts, "pipeline_tag", value, allowed, pipeline_tags(), "a Hub pipeline tag")
    if found is not None:
        yield found
