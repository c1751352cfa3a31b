"""The name is no longer than the policy's maximum.

Configure with `name.max-length` (1 to 96; the Hub's own limit of 96 is `repo-id/format`'s).
Short names are easier to read, type and cite.

Passing (`max-length: 32`): `acme/llama-7b-chat-v1`

Failing: `acme/llama-7b-chat-instruct-finetuned-on-everything-v1`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

ID = "name/length"
SEVERITY = "error"
SUBJECT = "repo-id"


def check(facts: Facts) -> Iterator[Problem]:
    limit = facts.policy.name.max_length
    if limit is None or not facts.has_parts or len(facts.name) <= limit:
        return
    yield Problem(f"`{facts.name}` is {len(facts.name)} characters long; the policy allows {limit}")
