"""hfname-guard's cache folder and its files: `~/.cache/hfname-guard` (``XDG_CACHE_HOME``,
or ``HFNAME_GUARD_CACHE_DIR`` to move it).

The cache is safe to delete and never required: a file that cannot be read is a miss, one that
cannot be written is not kept. Files are written whole (a new file of this process's, moved
into place), so a run reading one meanwhile sees the old or the new, never half; only regular
files are read, so nothing found in the folder (a FIFO) can block a run.
"""

from __future__ import annotations

import marshal
import os
import sys

from .regular_file import open_regular

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Any


def cache_dir() -> str:
    explicit = os.environ.get("HFNAME_GUARD_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "hfname-guard")


def read(path: str, limit: int) -> bytes | None:
    """At most ``limit`` bytes of the regular file at ``path`` (a longer file, one byte more);
    None when there is none to read."""
    try:
        with open_regular(path) as handle:
            return handle.read(limit + 1)
    except OSError:
        return None


def write(path: str, data: bytes) -> None:
    """Keep ``data`` at ``path``, or nothing when the folder cannot take it."""
    fresh = f"{path}.{os.getpid()}"
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        with open(fresh, "xb") as handle:
            handle.write(data)
        os.replace(fresh, path)
    except OSError:
        try:
            os.remove(fresh)
        except OSError:
            pass


def marshalled(kind: str, name: str) -> str:
    """Where an entry of ``kind`` kept in marshal's format goes: a folder named after the
    interpreter and marshal's version, since the format is theirs and no other Python reads it."""
    return os.path.join(cache_dir(), f"{kind}-{sys.implementation.cache_tag}-{marshal.version}", name)


def load(path: str, limit: int) -> Any:
    """The value kept at ``path`` (at most ``limit`` bytes), or None when there is none to read."""
    raw = read(path, limit)
    if raw is None or len(raw) > limit:
        return None
    try:
        return marshal.loads(raw)
    except (EOFError, ValueError, TypeError):
        return None


def keep(path: str, value: Any, limit: int) -> bool:
    """Keep ``value`` at ``path`` when it is at most ``limit`` bytes; False when marshal cannot
    hold it (a date)."""
    try:
        raw = marshal.dumps(value)
    except ValueError:
        return False
    if len(raw) <= limit:
        write(path, raw)
    return True
