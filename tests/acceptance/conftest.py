"""Fixtures of the Action's tests: hfname-guard installed once by action.yml's own install step."""

from __future__ import annotations

from pathlib import Path

import pytest
from action_runner import run_action
from action_setup import CHECK, INSTALL, base_environ, plant_shadowing_modules


@pytest.fixture(scope="session")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("evidence")


@pytest.fixture(scope="session")
def runner_temp(tmp_path_factory: pytest.TempPathFactory, evidence: Path) -> Path:
    """RUNNER_TEMP with hfname-guard installed by the action's own install step, once, in a
    checkout that tries to run its own pip, venv and site modules."""
    temp = tmp_path_factory.mktemp("runner-temp")
    workspace = tmp_path_factory.mktemp("install-workspace")
    plant_shadowing_modules(workspace, evidence)
    run = run_action({"paths": "."}, workspace=workspace, runner_temp=temp, environ=base_environ(temp),
                     skip=(CHECK,), timeout=600)
    assert run.failed is None, run.logs[INSTALL].stderr
    assert "PWNED" not in run.logs[INSTALL].stdout + run.logs[INSTALL].stderr
    return temp
