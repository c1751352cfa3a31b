"""``ArtifactProblem``: why a model file gave no facts, and whether that is the file's fault.

A model folder fetched without git-LFS holds small text pointers where the weights should be.
Their facts are unknown, not wrong, so the caller must not report them as broken files: the two
cases are told apart by ``kind``, ``corrupt`` (the file is broken) or ``unavailable`` (its content
was never fetched).
"""

from __future__ import annotations

from ..record import Record

CORRUPT = "corrupt"
UNAVAILABLE = "unavailable"


class ArtifactProblem(Record):
    """``file`` is the path of the file at fault; ``message`` says what is wrong and what was expected;
    ``line`` and ``column`` (1-based) say where, in a text file that does not parse."""

    file: str
    message: str
    kind: str = CORRUPT
    line: int | None = None
    column: int | None = None
