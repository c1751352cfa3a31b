"""Open only regular files, so that no file of a model folder or a checkout can block a check.

Model folders, policies and git checkouts are user input, and a pull request is hostile input.
``open`` on a FIFO waits for a writer forever, reading ``/dev/zero`` never ends, and a symbolic
link to ``/proc/self/fd/1`` reads the checker's own output. ``open_regular`` looks at what the
path is before opening it (so that the message can say so), opens it without waiting (a FIFO
opened with ``O_NONBLOCK`` does not wait for a writer) and looks again at what was opened, so a
file swapped for a FIFO in between is refused too, never read.

Kept apart from ``artifacts``: the card and git readers of the hook's hot path use it, and must
not import the model-file readers with it.
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import BinaryIO

_NO_WAIT = getattr(os, "O_NONBLOCK", 0)
"""Opening a FIFO with this flag returns at once instead of waiting for a writer (POSIX only)."""
_OPEN_FLAGS = os.O_RDONLY | _NO_WAIT | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
"""Read only, without waiting, without adopting a terminal as the controlling one, and without
Windows' newline translation."""

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotARegularFile(OSError):
    """What was found instead of a regular file: ``what`` reads "a FIFO (named pipe)" or "a
    symbolic link to /dev/zero, which is a character device"; ``mode`` is its ``st_mode``."""

    def __init__(self, what: str, mode: int) -> None:
        super().__init__(f"it is {what}, not a regular file")
        self.strerror = str(self)
        self.what = what
        self.mode = mode


def open_regular(path: str) -> BinaryIO:
    """``path`` opened for reading bytes, when it is a regular file (links followed).

    Raises ``NotARegularFile`` for anything else, and ``OSError`` as ``open`` does when the
    path is missing or cannot be read.
    """
    _refuse_unless_regular(path, os.stat(path).st_mode)
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        _refuse_unless_regular(path, os.fstat(descriptor).st_mode)
        if _NO_WAIT:
            os.set_blocking(descriptor, True)  # as `open` leaves it, though a regular file reads the same
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _refuse_unless_regular(path: str, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise NotARegularFile(_describe(path, mode), mode)


def _describe(path: str, mode: int) -> str:
    kind = next((name for is_kind, name in _KINDS if is_kind(mode)), "a special file")
    try:
        target = os.readlink(path)
    except OSError:  # not a link (or gone since): the path itself is what it is
        return kind
    return f"a symbolic link to {target}, which is {kind}"
