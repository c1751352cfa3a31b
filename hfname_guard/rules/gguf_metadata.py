"""Every GGUF file fills the header metadata the policy requires.

A GGUF file travels alone: downloaded from the Hub, it leaves the model card behind, and what
it says of itself is its header's metadata (`general.license`, `general.basename`,
`general.size_label`, ... as `gguf-dump` lists them). A policy can ask every file to say it.

Configure with `gguf.metadata` in the policy: the keys every GGUF file of a folder must have,
each with a value that is not an empty or blank string. By default none. Any other value
counts: a number, a list such as `general.tags`, a string of any length. The shards of a split
model after the first are not asked: llama.cpp writes the metadata into the first shard alone.
A folder without `.gguf` files is not judged.

Passing (`metadata: [general.license]`): a header with `general.license = apache-2.0`

Failing: a header without `general.license`; `general.license = ""`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

ID = "gguf/metadata"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    required = facts.policy.gguf.metadata
    if not required:
        return
    for found in facts.gguf:
        if found.continues:
            continue
        for key in required:
            value = found.metadata.get(key)
            if key not in found.keys:
                state = "is not set in its header"
            elif isinstance(value, str) and not value.strip():
                state = "is empty in its header"
            else:
                continue
            yield Problem(f"`{key}` {state}; the policy requires it (gguf: metadata)", file=found.file)
