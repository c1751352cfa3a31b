"""The repo id is one the Hub accepts.

The Hub's own rule, as huggingface_hub's `validate_repo_id` applies it: `namespace/name`
(the namespace may be left out), each part 1 to 96 ASCII letters, digits, `-`, `_` or `.`,
starting and ending with a letter, digit or `_`; no `--` or `..`; not ending in `.git`.
Non-ASCII look-alikes (a Cyrillic `а` in `llаma`) are named as such.

Passing: `acme/llama-7b-chat-v1`

Failing: `acme/llama--7b` (`--`), `acme/models/llama` (two slashes), `acme/llаma` (Cyrillic `а`)
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..repoid import repo_id_problems

ID = "repo-id/format"
SEVERITY = "error"
SUBJECT = "repo-id"


def check(facts: Facts) -> Iterator[Problem]:
    for problem in repo_id_problems(facts.repo_id):
        where = f" (column {problem.column})" if problem.column else ""
        yield Problem(f"{problem.message}{where}")
