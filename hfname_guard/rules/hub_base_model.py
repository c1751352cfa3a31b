"""Each `base_model` of the card is a model on the Hub, and `base_model_relation` one it knows.

Online only. The Hub links a model to its base through the card's `base_model` (one repo id or
a list); a base that does not exist breaks the link and the model tree. Each is looked up once
per run: one that does not exist is an error, with the closest model of its namespace as a
did-you-mean (the Hub answers alike for a private repository the token cannot see); a gated or private one is
only noted (info), since it exists. `base_model_relation`, when set, must be one of the
relations the Hub knows: `adapter`, `merge`, `quantized` or `finetune`. One that the Hub finds
but spells otherwise (`meta-llama/llama-3.1-8b` for `meta-llama/Llama-3.1-8B`) is a warning whose
fix is the Hub's spelling, which `check --fix` writes. A `base_model` that is
no repo id at all is `card/base-model`'s.

Passing: `base_model: meta-llama/Llama-3.1-8B`

Failing: `base_model: meta-llama/Llama-3.1-9B` (no such model; did you mean
`meta-llama/Llama-3.1-8B`?), `base_model_relation: finetuned`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..repoid import repo_id_problems
from ._card import card_of, problem

ID = "hub/base-model"
SEVERITY = "error"
SUBJECT = "folder"

RELATIONS = ("adapter", "merge", "quantized", "finetune")
"""The `base_model_relation` values the Hub knows (its model card specification)."""


def check(facts: Facts) -> Iterator[Problem]:
    hub = facts.hub
    if hub is None:
        return
    card = card_of(facts)
    relation = card.string("base_model_relation")
    if relation is not None and relation not in RELATIONS:
        known = ", ".join(f"`{value}`" for value in RELATIONS)
        yield problem(facts, f"base_model_relation `{relation}` is not a relation the Hub knows ({known})",
                      "base_model_relation")
    from ..hub import GATED, MISSING, PRIVATE
    from ..suggest import closest

    for path, value in card.strings("base_model") or ():
        if repo_id_problems(value):
            continue  # not a repo id: card/base-model says so
        status = hub.model(value)
        if status == MISSING:
            namespace, _, name = value.rpartition("/")
            guess = closest(value, hub.namespace(namespace).repo_ids if namespace else hub.models_like(name))
            hint = f"; did you mean `{guess}`?" if guess else ""
            yield problem(facts, f"base_model `{value}` is not a model on the Hub (or not one this token can see)"
                                 f"{hint}", *path, suggestion=guess)
        elif (spelling := hub.model_spelling(value)) not in (None, value) and spelling.lower() == value.lower():
            yield problem(facts, f"base_model `{value}` is `{spelling}` on the Hub; write it as the Hub does, so "
                                 "that its model tree links the two", *path, suggestion=spelling, at_most="warning")
        elif status in (GATED, PRIVATE):
            yield problem(facts, f"base_model `{value}` is {status} on the Hub: it exists, but not everyone "
                                 "can open it", *path, at_most="info")

