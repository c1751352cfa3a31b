"""The proposed repo id is not an existing repository of its namespace spelled another way.

Online only (`check --online`, or the policy's `hub: {online: true}`). The Hub compares repo
names without case, so `acme/Llama-7B-chat` cannot be created beside `acme/llama-7b-chat`, and
`acme/llama_7b_chat` beside it is a second repository that people will take for the first. The
rule lists the namespace's models once per run (`list_models(author=...)`) and reports a name
that differs from an existing one only by case or by the separators `-`, `_` and `.`, with
the existing spelling as the fix. The existing repository itself (an update) passes.

Passing: `acme/llama-7b-chat` when the Hub holds `acme/llama-7b-chat` or nothing like it

Failing: `acme/Llama-7B-chat` or `acme/llama_7b_chat` when the Hub holds `acme/llama-7b-chat`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ._hub import existing_names

ID = "hub/case-collision"
SEVERITY = "error"
SUBJECT = "repo-id"


def check(facts: Facts) -> Iterator[Problem]:
    existing = existing_names(facts)
    if existing is None:
        return
    if facts.repo_id in existing.repo_ids:
        return
    for other in existing.spelled_alike(facts.repo_id)[:1]:
        yield Problem(f"`{facts.repo_id}` is the existing `{other}` spelled another way (the Hub compares "
                      f"names without case, and `-`, `_`, `.` apart are easily confused); use `{other}`",
                      suggestion=other)
