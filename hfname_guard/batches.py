"""Each model folder once per pre-commit run, however pre-commit splits the files it passes.

pre-commit passes a hook its files on the command line, in batches of at most 128 KiB run one
after another (the hook is `require_serial`): a commit of a few thousand files is split, and a
model folder whose files straddle two batches would be checked, and reported, twice. The
batches of one run share their parent process, pre-commit itself. So the first batch to reach a
folder claims it, with a file at the folder's own path under a folder named after that process
and the time it started; a later batch of the same run leaves a claimed folder alone.

A claim needs the parent's start time, so that a process that later gets the same id is never
taken for it: where it cannot be read (no `/proc`: macOS, Windows), nothing is claimed, and a
straddling folder is checked twice rather than not at all. Claims live in a folder of the user's
own under the temporary directory (created private, refused if another user owns it or it is a
link); runs older than a day are cleared away.
"""

from __future__ import annotations

import os
import time

MAX_AGE = 24 * 3600
"""Seconds after which a run's claims are cleared away."""
CLAIM = ".claimed"
MAX_OPTIONS = 200
"""The longest the hook's options may be, written into a folder name; longer ones claim nothing."""


def unclaimed(folders: list[str], options: list[str]) -> list[str]:
    """The folders no earlier batch of this pre-commit run of the hook with these ``options``
    (its arguments but the files: two entries of the hook with other options are two hooks) has
    checked, each now claimed for this batch; every folder when the hook does not run under
    pre-commit or its run cannot be told apart."""
    run = _run_folder(options)
    if run is None:
        return folders
    kept = []
    for folder in folders:
        claim = os.path.join(run + os.path.abspath(folder), CLAIM)  # the folder's own path: no two alike
        try:
            os.makedirs(os.path.dirname(claim), mode=0o700, exist_ok=True)
            os.close(os.open(claim, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue  # an earlier batch of this run checked it
        except OSError:
            pass  # no claim to be had: checking twice is better than not at all
        kept.append(folder)
    return kept


def _run_folder(options: list[str]) -> str | None:
    """The folder of this pre-commit run's claims, made on first use; None outside pre-commit,
    when the run cannot be told apart from an earlier one, or the claims folder is not safe."""
    if os.environ.get("PRE_COMMIT") != "1" or not hasattr(os, "getuid"):
        return None
    parent = os.getppid()
    started = _start_time(parent)
    hook = "".join(character if character.isalnum() else f"%{ord(character):x}" for character in "\0".join(options))
    if started is None or len(hook) > MAX_OPTIONS:
        return None
    claims = os.path.join(os.environ.get("TMPDIR") or "/tmp", f"hfname-guard-batches-{os.getuid()}")
    try:
        os.makedirs(claims, mode=0o700, exist_ok=True)
        status = os.lstat(claims)
        if status.st_uid != os.getuid() or not os.path.isdir(claims) or os.path.islink(claims):
            return None
        run = os.path.join(claims, f"{parent}-{started}-{hook}")
        if not os.path.isdir(run):
            _clear_old(claims)
            os.makedirs(run, mode=0o700, exist_ok=True)
        return run
    except OSError:
        return None


def _start_time(pid: int) -> str | None:
    """When process ``pid`` started, in clock ticks since boot (`/proc/PID/stat`, field 22)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            stat = handle.read()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()  # the command name, in parentheses, may hold spaces
    return fields[19] if len(fields) > 19 and fields[19].isdigit() else None


def _clear_old(claims: str) -> None:
    import shutil

    now = time.time()
    for entry in os.scandir(claims):
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime > MAX_AGE:
                shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            continue
