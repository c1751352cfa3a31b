"""Opening a model file safely: regular files only, git-LFS pointers recognized.

A model folder is user input. ``open`` on a FIFO blocks forever, on a device it may never end,
and a symbolic link that loops makes every call on it fail with a cryptic ``ELOOP``; each of
those is turned into a sentence before anything is opened. A git-LFS pointer is the text
``version https://git-lfs.github.com/spec/v1`` ... in a file of at most 1,024 bytes (the
git-LFS specification): recognizing it by that head costs nothing and saves a "corrupt" verdict
on a folder that was merely cloned without ``git lfs pull``.
"""

from __future__ import annotations

import errno
import os
import stat

from .problem import UNAVAILABLE, ArtifactProblem

LFS_SIGNATURE = b"version https://git-lfs.github.com/spec/v1"
MAX_LFS_POINTER_BYTES = 1024


def unreadable(path: str) -> str | None:
    """Why ``path`` cannot be read as a regular file, or None when it can."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "it is a symbolic link that loops back on itself and never reaches a file"
        if os.path.islink(path):
            return "it is a symbolic link to a file that does not exist"
        return f"it cannot be read: {error.strerror or error}"
    if not stat.S_ISREG(mode):
        return "it is not a regular file (a directory, FIFO or device); expected a file"
    return None


def is_lfs_pointer(head: bytes, size: int) -> bool:
    """Whether a file of ``size`` bytes that starts with ``head`` is a git-LFS pointer."""
    return size <= MAX_LFS_POINTER_BYTES and head.startswith(LFS_SIGNATURE)


def lfs_problem(path: str, what: str = "the file itself") -> ArtifactProblem:
    """``what`` names what the pointer stands in for: "the weights", the file itself, ..."""
    name = os.path.basename(path)
    return ArtifactProblem(
        path,
        f"{name} is a git-LFS pointer, not {what}: its content was never fetched "
        "(run `git lfs pull` in the repository to fetch it)",
        UNAVAILABLE,
    )
