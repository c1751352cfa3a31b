"""The package's type hints hold: mypy, configured in pyproject.toml, finds nothing."""

from __future__ import annotations

import subprocess
import sys

from action_runner import ROOT


def test_mypy_finds_no_type_errors() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(ROOT / ".mypy_cache")], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
