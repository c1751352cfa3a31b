"""Says when the weights are git-LFS pointers, so facts about them are unknown.

A clone without `git lfs pull` holds small pointer files (`version https://git-lfs.github.com/spec/v1`)
where the weights should be. That is the usual state of a fresh clone and no error, but the
checks that need the weights (parameter count, tensor fingerprint) cannot run, and this says so.

It also says when a header was not read because the check had already read its budget of
256 MiB of safetensors headers, which bounds what one run costs however many models (or links to
one huge header) it is given; check fewer models at a time to read them all. The same holds for
`.gguf` files: a pointer, a header past 256 MiB or listing more than 100,000 tensors or
metadata entries (real ones list a few thousand), a folder of more than 32 of them, or of headers
listing more than 200,000 entries and tensors in all (the rest are not read).

Passing: a model.safetensors with its real header

Failing (reported as info): a model.safetensors that is a git-LFS pointer
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

ID = "artifacts/unavailable"
SEVERITY = "info"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    for problem in facts.artifact_problems:
        if problem.kind == "unavailable":
            yield Problem(problem.message, file=problem.file)
