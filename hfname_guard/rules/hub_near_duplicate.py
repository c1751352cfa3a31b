"""A new repository's name is not easily mistaken for one its namespace already has.

Online only. A proposed repo id that does not exist yet is compared with every model of its
namespace (listed once per run): the same words in another order (`chat-llama-7b` beside
`llama-7b-chat`), one letter apart (`mistral-7b-instrct` beside `mistral-7b-instruct`; a digit
apart, `7b` and `8b`, is another model), or another version of the same name spelled another
way (`llama_7b_chat_v2` beside `llama-7b-chat-v1`) or skipping one (`v3` beside `v1`). The
message lists the closest existing names. The next version of a name, spelled alike, is no
duplicate. A name that differs only by case or separators is `hub/case-collision`'s.

Passing: `acme/llama-7b-chat-v2` beside `acme/llama-7b-chat-v1`

Failing: `acme/llama_7b_chat_v2` beside `acme/llama-7b-chat-v1`; `acme/mistral-7b-instrct`
beside `acme/mistral-7b-instruct`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ._hub import existing_names

ID = "hub/near-duplicate"
SEVERITY = "warning"
SUBJECT = "repo-id"


def check(facts: Facts) -> Iterator[Problem]:
    existing = existing_names(facts)
    if existing is None:
        return
    if facts.repo_id in existing.repo_ids or existing.spelled_alike(facts.repo_id):
        return
    close = existing.neighbours(facts.repo_id)
    if close:
        listed = "; ".join(f"`{repo_id}` ({how})" for repo_id, how in close)
        yield Problem(f"`{facts.repo_id}` is new, and close to what `{facts.namespace}` already has: {listed}")
