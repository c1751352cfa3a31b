"""hfname_guard.policy_hook: which policies a commit changes, and which models each covers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hfname_guard.policy_hook import changed_policies, covered_targets, policy_files, recheck

pytestmark = pytest.mark.usefixtures("cache_dir")

CARD = "---\nlicense: mit\n---\n"
ROOT_POLICY = "version: 1\nextends: [default, policies/org.yaml]\nnamespaces: [acme]\n"
TEAM_POLICY = "version: 1\nextends: default\nnamespaces: [acme-research]\n"


@pytest.fixture
def repository(write: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A root policy extending policies/org.yaml, a team folder with its own policy, models in both."""
    write(".hfname-guard.yaml", ROOT_POLICY)
    write("policies/org.yaml", "version: 1\n")
    write("models/llama-7b-base/README.md", CARD)
    write("research/.hfname-guard.yaml", TEAM_POLICY)
    write("research/models/qwen-7b-base/README.md", CARD)
    write(".git/config", "")  # a repository: its own folder is never walked
    write("node_modules/x/README.md", CARD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_policy_of_the_repository_is_found(repository: Path) -> None:
    assert [Path(path).relative_to(repository).as_posix() for path in policy_files(str(repository))] == [
        ".hfname-guard.yaml", "research/.hfname-guard.yaml"]


@pytest.mark.parametrize(("changed", "policies"), [
    ([".hfname-guard.yaml"], [".hfname-guard.yaml"]),
    (["policies/org.yaml"], [".hfname-guard.yaml"]),
    (["research/.hfname-guard.yaml"], ["research/.hfname-guard.yaml"]),
    (["config/settings.yaml"], []),
])
def test_a_policy_changes_when_it_or_a_file_it_extends_does(repository: Path, changed: list[str],
                                                             policies: list[str]) -> None:
    found = changed_policies(changed, str(repository))
    assert [Path(path).relative_to(repository).as_posix() for path, _ in found] == policies


def test_a_policy_covers_the_folders_below_it_up_to_a_nearer_policy(repository: Path) -> None:
    [(path, policy)] = changed_policies([".hfname-guard.yaml"], str(repository))
    assert [target.folder for target in covered_targets(path, policy, str(repository))] == ["models/llama-7b-base"]
    [(team_path, team)] = changed_policies(["research/.hfname-guard.yaml"], str(repository))
    assert [(target.folder, target.repo_id) for target in covered_targets(team_path, team, str(repository))] == [
        ("research/models/qwen-7b-base", "acme-research/qwen-7b-base")]


def test_a_stricter_extended_file_fails_the_models_it_now_forbids(repository: Path) -> None:
    (repository / "policies" / "org.yaml").write_text("version: 1\nname:\n  forbidden-words: [base]\n", "utf-8")
    report = recheck(["policies/org.yaml"], str(repository))
    assert report is not None
    assert [(finding.rule, finding.repo_id) for finding in report.findings if finding.rule == "name/forbidden"] == [
        ("name/forbidden", "acme/llama-7b-base")]
    assert recheck(["README.md"], str(repository)) is None
