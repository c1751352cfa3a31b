"""Writing report files (``--format FMT=FILE``, the Action's JSON report and SARIF) safely.

Two things can go wrong when a report is written. A run that fails half-way could leave half a
report, which a later step (a SARIF upload, a comment workflow) would read as a whole one. And
inside GitHub Actions the working directory is the pull request's checkout: its author decides
what every path in it is, and can commit ``hfname-guard.sarif`` as a symbolic link to a file
outside the workspace, or ``reports/`` as a link to another folder, so that a plain ``open``
overwrites a file of the runner's choosing. So a report is written to a new temporary file
beside its destination (created exclusively: never an existing file or link) and renamed over
it: the rename is atomic, and it replaces a symbolic link at the destination instead of
following it. Below ``inside`` (the untrusted checkout) no folder on the way to the destination
may be a symbolic link; elsewhere (``RUNNER_TEMP``, a user's own folders) the path is taken as
it is. The checks guard against the links a checkout holds, not against a process racing the
run to swap folders while it writes.
"""

from __future__ import annotations

import os
import stat

from .errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from collections.abc import Mapping

_CREATE_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def write_file(path: str, text: str, *, inside: str | None = None) -> None:
    """Write ``text`` to ``path`` whole or not at all, never through a symbolic link: one at
    ``path`` is replaced by the file, and below the folder ``inside`` none may lead to it.

    Text is UTF-8; characters it cannot encode (lone surrogates from undecodable file names)
    are written as backslash escapes rather than ending the run. Raises ``UsageError``
    (``path: cannot write the report: why``), leaving the destination as it was."""
    refusal = why_not_writable(path, inside)
    if refusal is not None:
        raise UsageError(f"{path}: cannot write the report: {refusal}")
    try:
        _replace(os.path.abspath(path), text)
    except OSError as error:
        raise UsageError(f"{path}: cannot write the report: {error.strerror or error}") from None


def why_not_writable(path: str, inside: str | None = None) -> str | None:
    """Why ``write_file`` would refuse ``path``, or None when it would write it."""
    destination = os.path.abspath(path)
    folder = os.path.dirname(destination)
    refusal = _linked_folder(folder, inside) if inside is not None else None
    if refusal is not None:
        return refusal
    if not os.path.isdir(folder):
        return "the folder it would go in does not exist"
    return _not_a_file(destination)


def untrusted_checkout(environ: Mapping[str, str]) -> str | None:
    """The folder whose symbolic links a run must not follow: inside GitHub Actions the
    workspace, a checkout of the pull request; elsewhere None (the user's own files)."""
    if environ.get("GITHUB_ACTIONS") != "true":
        return None
    return environ.get("GITHUB_WORKSPACE") or os.getcwd()


def _linked_folder(folder: str, inside: str) -> str | None:
    """Why a folder on the way to ``folder``, from ``inside`` down, cannot be trusted (a symbolic
    link, or not a folder), or None. ``inside`` itself is trusted and found however the path
    spells it (``GITHUB_WORKSPACE`` may be a link while the working directory is its real
    path); a ``folder`` outside it is not looked at."""
    prefixes = _prefixes(folder)
    trusted = os.path.realpath(inside)
    start = next((index for index, prefix in enumerate(prefixes) if os.path.realpath(prefix) == trusted), None)
    if start is None:
        return None
    for current in prefixes[start + 1:]:
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return "the folder it would go in does not exist"
        except OSError as error:
            return f"{current}: {error.strerror or error}"
        if stat.S_ISLNK(mode):
            return f"{current} is a symbolic link inside {inside}; a report is never written through one"
        if not stat.S_ISDIR(mode):
            return f"{current} is not a folder"
    return None


def _prefixes(folder: str) -> list[str]:
    """Each folder on the way from the root to ``folder`` (absolute): ``/``, ``/a``, ``/a/b``."""
    parent = os.path.dirname(folder)
    return [folder] if parent == folder else [*_prefixes(parent), folder]


def _not_a_file(destination: str) -> str | None:
    try:
        mode = os.lstat(destination).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return error.strerror or str(error)
    if stat.S_ISLNK(mode):  # replaced, never followed; but a link to a folder is a mistake, not a file
        return "it is a symbolic link to a directory; give a file name" if os.path.isdir(destination) else None
    if stat.S_ISDIR(mode):
        return "it is a directory; give a file name"
    if not stat.S_ISREG(mode):
        return "it is not a regular file (a FIFO, socket or device)"
    return None


def _replace(destination: str, text: str) -> None:
    """A new file beside ``destination``, written, then renamed over it; removed on any failure."""
    folder, name = os.path.split(destination)
    temporary = os.path.join(folder, f".{name}.{os.urandom(6).hex()}.tmp")
    descriptor = os.open(temporary, _CREATE_NEW, 0o666)  # the umask applies, as to any new file
    try:
        with open(descriptor, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(text)
        os.replace(temporary, destination)
    except BaseException:
        _remove(temporary)
        raise


def _remove(temporary: str) -> None:
    try:
        os.unlink(temporary)
    except OSError:
        pass  # the error that brought us here is the one to report
