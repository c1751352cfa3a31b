"""The card's `pipeline_tag` is a task the Hub knows (or the policy allows).

Configure with `card.pipeline-tags`; by default the Hub's 57 pipeline tags. The tag decides
which widget and which task filter a model appears under.

Passing: `pipeline_tag: text-generation`

Failing: `pipeline_tag: text-generator` (did you mean `text-generation`?), `pipeline_tag: chat`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.vocabularies import pipeline_tags
from ..suggest import closest
from ._card import metadata, problem

ID = "card/pipeline-tag"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    data = metadata(facts)
    if data is None or data.get("pipeline_tag") in (None, ""):
        return
    value = data["pipeline_tag"]
    allowed = facts.policy.card.pipeline_tags
    choices = allowed if allowed is not None else pipeline_tags()
    if isinstance(value, str) and value in choices:
        return
    guess = closest(value, choices) if isinstance(value, str) else None
    hint = f"; did you mean `{guess}`?" if guess else ""
    scope = "allowed by the policy" if allowed is not None else "a Hub pipeline tag"
    yield problem(facts, f"pipeline_tag `{value}` is not {scope}{hint}", "pipeline_tag", suggestion=guess)
