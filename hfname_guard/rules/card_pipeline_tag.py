"""The card's `pipeline_tag` is a task the Hub knows (or the policy allows).

Configure with `card.pipeline-tags`; by default the Hub's 57 pipeline tags. The tag decides
which widget and which task filter a model appears under.

A value that is not a string (`pipeline_tag: [text-generation]`, a list) is
`card/field-type`'s to report.

Passing: `pipeline_tag: text-generation`

Failing: `pipeline_tag: text-generator` (did you mean `text-generation`?), `pipeline_tag: chat`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.vocabularies import pipeline_tags
from ._card import card_of, not_listed

ID = "card/pipeline-tag"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    value = card_of(facts).string("pipeline_tag")
    if value is None:
        return
    found = not_listed(facts, "pipeline_tag", value, facts.policy.card.pipeline_tags,
                       pipeline_tags(), "a Hub pipeline tag")
    if found is not None:
        yield found
