"""Each dataset the card lists exists on the Hub.

Online only. The card's `datasets` link the model to its training data on the Hub; an id that
does not exist (a typo, a private dataset, a local name) links nowhere. Each is looked up once
per run. A warning: a card may name a dataset that lives elsewhere on purpose. A gated or
private dataset exists and passes.

Passing: `datasets: [HuggingFaceH4/ultrachat_200k]`

Failing: `datasets: [HuggingFaceH4/ultrachat_200]`, `datasets: [my-private-scrape]`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ._card import card_of, problem

ID = "hub/datasets"
SEVERITY = "warning"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    hub = facts.hub
    if hub is None:
        return
    from ..hub import MISSING

    for path, value in card_of(facts).strings("datasets") or ():
        if hub.dataset(value) == MISSING:
            yield problem(facts, f"dataset `{value}` is not a dataset on the Hub (or not one this token can see)",
                          *path)
