"""The card's `base_model` names models by repo id, from allowed namespaces.

`base_model` (one id or a list) must hold Hub repo ids (`meta-llama/Llama-3.1-8B`), not URLs
or local paths. Configure `card.base-model.namespaces` to accept only bases from some
namespaces (the company's own and approved upstreams).

A value that is not a string (`base_model: 1.5`, a number) is `card/field-type`'s to
report.

Passing: `base_model: meta-llama/Llama-3.1-8B`

Failing: `base_model: https://huggingface.co/meta-llama/Llama-3.1-8B` (a URL),
`base_model: ./checkpoints/run-7`, `base_model: random/llama` with `namespaces: [meta-llama]`
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..repoid import repo_id_problems
from ._card import card_of, problem

ID = "card/base-model"
SEVERITY = "error"
SUBJECT = "folder"

_HUB_URL = r"https?://(?:www\.)?(?:huggingface\.co|hf\.co)/([^/?#]+/[^/?#]+)"
"""A Hub address (a pattern, compiled by the first value that looks like an address)."""


def check(facts: Facts) -> Iterator[Problem]:
    namespaces = facts.policy.card.base_model_namespaces
    for path, value in card_of(facts).strings("base_model") or ():
        url = re.match(_HUB_URL, value) if "://" in value else None
        if url:
            yield problem(facts, f"base_model `{value}` is a URL; write the repo id `{url.group(1)}`", *path,
                          suggestion=url.group(1))
            continue
        problems = repo_id_problems(value)
        if problems:
            yield problem(facts, f"base_model `{value}` is not a repo id: {problems[0].message}", *path)
            continue
        if namespaces is not None and ("/" not in value or value.split("/")[0] not in namespaces):
            allowed = ", ".join(f"`{namespace}`" for namespace in namespaces or ())
            yield problem(facts, f"base_model `{value}` is not from an allowed namespace ({allowed})", *path)
