"""The card's `pipeline_tag` is a task the Hub knows (or the policy allows).

Configure with `card.pipeline-tags`; by default the Hub's 57 pipeline tags. The tag decides
which widget and which task filter a model appears under.

A tag the Hub has retired (`text2text-generation`, `conversational`, `structured-data-classification`,
`protein-folding`, `speech-segmentation`) is at most a warning, whatever the policy sets, and names
the tag that replaced it where one did: the Hub still accepts and shows it. A value outside the
policy's own `card.pipeline-tags` is the policy's error, retired or not.

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
from ..names.vocabularies import RETIRED_PIPELINE_TAGS, pipeline_tags
from ._card import card_of, not_listed, problem

ID = "card/pipeline-tag"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    value = card_of(facts).string("pipeline_tag")
    if value is None:
        return
    allowed = facts.policy.card.pipeline_tags
    if allowed is None and value in RETIRED_PIPELINE_TAGS:
        yield _retired(facts, value, RETIRED_PIPELINE_TAGS[value])
        return
    found = not_listed(facts, "pipeline_tag", value, allowed, pipeline_tags(), "a Hub pipeline tag")
    if found is not None:
        yield found


def _retired(facts: Facts, value: str, replacement: str | None) -> Problem:
    message = f"pipeline_tag `{value}` is a retired Hub pipeline tag (the Hub still shows it); "
    if replacement is None:
        return problem(facts, message + "no tag replaced it: choose the current one that fits the model",
                       "pipeline_tag", at_most="warning")
    return problem(facts, message + f"use `{replacement}`, which replaced it", "pipeline_tag",
                   suggestion=replacement, at_most="warning")
