"""What the GitHub Action asks of the checkout's own git: a file as it is on another commit, and
the files a pull request changes when the API will not list them all.

A default ``actions/checkout`` fetches one commit (depth 1): the merge commit of a pull request,
whose parents are not there. A commit that is missing is fetched from ``origin`` by its id,
alone (``--depth=1``), which GitHub allows. Every call runs git with a fixed argument list (no
shell), no terminal prompt and the repository's hooks switched off; the pull request's files
are only ever read as data.
"""

from __future__ import annotations

import os
import re
import subprocess

from .record import Record

TIMEOUT = 120.0
"""Seconds one git call may take; a fetch of one commit over a slow network fits."""
_COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_SYMLINK_MODE = "120000"


class GitError(Exception):
    """git could not answer (not a repository, the commit cannot be fetched, git missing)."""


class Blob(Record):
    """A file as one commit holds it; a symbolic link holds the path it points to."""

    data: bytes
    symlink: bool = False


def is_commit_id(text: str) -> bool:
    return bool(_COMMIT_ID.fullmatch(text))


def file_at(workspace: str, commit: str, path: str) -> Blob | None:
    """``path`` (relative to the top of the repository, ``/``-separated) as ``commit`` holds it,
    or None when the commit has no file there."""
    _ensure_commit(workspace, commit)
    listing = _git(workspace, "ls-tree", "-z", "--full-tree", commit, "--", path).rstrip(b"\0")
    if not listing:
        return None
    mode, kind, object_id = listing.split(b"\t", 1)[0].decode("ascii").split()
    if kind != "blob":
        return None
    return Blob(_git(workspace, "cat-file", "blob", object_id), symlink=mode == _SYMLINK_MODE)


def changed_files(workspace: str, base: str, head: str = "HEAD") -> list[str]:
    """Files that exist on ``head`` and differ from ``base``: added, modified, renamed or copied.

    With ``head`` the merge commit a ``pull_request`` run checks out, this is exactly what the
    pull request changes, however many files that is."""
    _ensure_commit(workspace, base)
    listed = _git(workspace, "diff", "--name-only", "--no-renames", "--diff-filter=d", "-z", base, head, "--")
    return [os.fsdecode(name) for name in listed.split(b"\0") if name]


def top_level(workspace: str) -> str | None:
    """The top of the git work tree ``workspace`` is in, or None outside one."""
    try:
        return os.fsdecode(_git(workspace, "rev-parse", "--show-toplevel").strip())
    except GitError:
        return None


def _ensure_commit(workspace: str, commit: str) -> None:
    if not is_commit_id(commit):
        raise GitError(f"`{commit}` is not a commit id")
    try:
        _git(workspace, "cat-file", "-e", f"{commit}^{{commit}}")
    except GitError:
        _git(workspace, "fetch", "--quiet", "--no-tags", "--no-recurse-submodules", "--depth=1", "origin", commit)


def _git(workspace: str, *arguments: str) -> bytes:
    command = ["git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-C", workspace, *arguments]
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        result = subprocess.run(command, capture_output=True, timeout=TIMEOUT, env=environment,
                                stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"git {arguments[0]}: {error}") from None
    if result.returncode != 0:
        reason = " ".join(result.stderr.decode("utf-8", "replace").split())[:300]
        raise GitError(f"git {arguments[0]}: {reason or f'exit status {result.returncode}'}")
    return result.stdout
