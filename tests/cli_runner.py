"""Run the hfname-guard command line in a fresh process, as a user's shell would, for tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def hfname_guard(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m hfname_guard ARGS`` in ``cwd``, outside Actions, with a private validation
    cache and no colour. A run that does not finish within ``timeout`` fails the test as a hang;
    a traceback in its output fails it as a crash."""
    environment = {**os.environ, "NO_COLOR": "1", "HFNAME_GUARD_CACHE_DIR": str(cwd / ".cache"),
                   "PYTHONPATH": str(ROOT)}
    environment.pop("GITHUB_ACTIONS", None)
    try:
        completed = subprocess.run([sys.executable, "-m", "hfname_guard", *args], cwd=cwd, env=environment,
                                   capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`hfname-guard {' '.join(args)[:200]}` hung: no answer within {timeout} s")
    assert "Traceback" not in completed.stdout + completed.stderr
    return completed
