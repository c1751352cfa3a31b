"""Guards for tests of work that might never end: the command line in a fresh process under a
timeout, and in-process code under an alarm."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def hfname_guard(*args: str, cwd: Path, timeout: float = 60,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m hfname_guard ARGS`` in ``cwd``, outside Actions, with a private validation
    cache, no colour, and ``env`` on top. A run that does not finish within ``timeout`` fails
    the test as a hang; a traceback in its output fails it as a crash."""
    environment = {**os.environ, "NO_COLOR": "1", "HFNAME_GUARD_CACHE_DIR": str(cwd / ".cache"),
                   "PYTHONPATH": str(ROOT), **(env or {})}
    environment.pop("GITHUB_ACTIONS", None)
    try:
        completed = subprocess.run([sys.executable, "-m", "hfname_guard", *args], cwd=cwd, env=environment,
                                   capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`hfname-guard {' '.join(args)[:200]}` hung: no answer within {timeout} s")
    assert "Traceback" not in completed.stdout + completed.stderr
    return completed


class Hung(Exception):
    """Not an OSError, which the code under test would take for a file it cannot read."""


@contextlib.contextmanager
def no_hang(seconds: int, what: str = "still running") -> Iterator[None]:
    """Not a timing: turns work that would not end (an `open` waiting on a FIFO, a regex that
    backtracks for ever, which ``re`` interrupts for signals) into a failure after ``seconds``.
    POSIX only: it is SIGALRM."""

    def hung(signum: int, frame: object) -> None:
        raise Hung(f"{what} after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
