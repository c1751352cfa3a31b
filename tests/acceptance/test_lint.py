"""The project's own code follows its linters: ruff and mypy, configured in pyproject.toml and
run by the project's .pre-commit-config.yaml too."""

from __future__ import annotations

import subprocess
import sys

from action_runner import ROOT


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", "--no-cache", "hfname_guard", "tests", "benchmarks", "docs", "scripts")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_type_errors() -> None:
    result = run("mypy", "--cache-dir", str(ROOT / ".mypy_cache"))
    assert result.returncode == 0, result.stdout + result.stderr
