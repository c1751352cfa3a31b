"""Each model folder once per pre-commit run (``batches.unclaimed``), and never skipped wrongly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hfname_guard import batches


@pytest.fixture
def under_pre_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setenv("PRE_COMMIT", "1")
    return tmp_path


def test_a_folder_is_checked_by_the_first_batch_of_a_run_only(under_pre_commit: Path) -> None:
    assert batches.unclaimed(["models/a", "models/b"], ["hook"]) == ["models/a", "models/b"]
    assert batches.unclaimed(["models/b", "models/c"], ["hook"]) == ["models/c"]
    claims = under_pre_commit / f"hfname-guard-batches-{os.getuid()}"
    assert oct(claims.stat().st_mode & 0o777) == "0o700"


def test_another_entry_of_the_hook_is_another_hook(under_pre_commit: Path) -> None:
    assert batches.unclaimed(["models/a"], ["hook"]) == ["models/a"]
    assert batches.unclaimed(["models/a"], ["hook", "--policy", "strict.yaml"]) == ["models/a"]


def test_another_run_checks_everything_again(under_pre_commit: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert batches.unclaimed(["models/a"], ["hook"]) == ["models/a"]
    monkeypatch.setattr(batches, "_start_time", lambda pid: "1")  # a later process with the same id
    assert batches.unclaimed(["models/a"], ["hook"]) == ["models/a"]


@pytest.mark.parametrize("situation", ["outside pre-commit", "no start time", "claims of another user"])
def test_when_the_run_cannot_be_told_every_folder_is_checked(under_pre_commit: Path, monkeypatch: pytest.MonkeyPatch,
                                                              situation: str) -> None:
    if situation == "outside pre-commit":
        monkeypatch.delenv("PRE_COMMIT")
    elif situation == "no start time":
        monkeypatch.setattr(batches, "_start_time", lambda pid: None)
    else:
        (under_pre_commit / "elsewhere").mkdir()
        (under_pre_commit / f"hfname-guard-batches-{os.getuid()}").symlink_to(under_pre_commit / "elsewhere")
    for _ in range(2):
        assert batches.unclaimed(["models/a"], ["hook"]) == ["models/a"]
