"""`extends` stays inside the policy's repository: presets and files inside it, symlinks resolved."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfname_guard import PolicyError, load_policy
from hfname_guard.policy import repository_root

pytestmark = pytest.mark.usefixtures("cache_dir")

SECRET = "s3cret-runner-token"
"""A key in every file outside the repository: a schema error would quote it if the file were read."""
OUTSIDE_POLICY = f"version: 1\n{SECRET}: 1\n"
INSIDE_HINT = "a policy may extend built-in presets and files inside its repository"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """``tmp_path/repo``, a git work tree, beside ``tmp_path/outside.yaml`` and ``tmp_path/elsewhere/``."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "outside.yaml").write_text(OUTSIDE_POLICY, encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "base.yaml").write_text(OUTSIDE_POLICY, encoding="utf-8")
    return tmp_path / "repo"


def policy_error(path: Path, **options: str) -> str:
    with pytest.raises(PolicyError) as caught:
        load_policy(path, **options)
    message = str(caught.value)
    assert SECRET not in message
    return message


# ----- refused ----------------------------------------------------------------------------------


def test_an_absolute_path_is_refused(write, repo):
    outside = repo.parent / "outside.yaml"
    message = policy_error(write("repo/p.yaml", f"version: 1\nextends: {outside}\n"))
    assert message == (
        f"{repo / 'p.yaml'}:2:1: extends: `{outside}` is an absolute path, outside the repository ({repo}); "
        + INSIDE_HINT
    )


def test_a_path_from_the_home_folder_is_refused(write, repo):
    message = policy_error(write("repo/p.yaml", "version: 1\nextends: [hub, ~/org.yaml]\n"))
    assert re.match(r"^\S*p\.yaml:2:16: extends: `~/org\.yaml` is an absolute path, outside the repository ", message)


def test_dot_dot_leaving_the_repository_is_refused(write, repo):
    message = policy_error(write("repo/p.yaml", "version: 1\nextends: ../outside.yaml\n"))
    assert message == (
        f"{repo / 'p.yaml'}:2:1: extends: `../outside.yaml` leaves the repository ({repo}) through `..`; "
        + INSIDE_HINT
    )


def test_dot_dot_past_a_folder_is_refused(write, repo):
    (repo / "sub").mkdir()
    message = policy_error(write("repo/p.yaml", "version: 1\nextends: sub/../../outside.yaml\n"))
    assert "extends: `sub/../../outside.yaml` leaves the repository" in message


def test_a_missing_file_outside_is_refused_as_outside_not_looked_for(write, repo):
    message = policy_error(write("repo/p.yaml", "version: 1\nextends: ../no-such.yaml\n"))
    assert "leaves the repository" in message and "no policy file" not in message


def test_a_symbolic_link_to_a_file_outside_is_refused(write, repo):
    (repo / "org.yaml").symlink_to(repo.parent / "outside.yaml")
    message = policy_error(write("repo/p.yaml", "version: 1\nextends: org.yaml\n"))
    real = os.path.realpath(repo.parent / "outside.yaml")
    assert message == (
        f"{repo / 'p.yaml'}:2:1: extends: `org.yaml` leads through a symbolic link to {real}, "
        f"outside the repository ({repo}); " + INSIDE_HINT
    )


def test_a_symbolic_link_to_a_folder_outside_is_refused(write, repo):
    (repo / "shared").symlink_to(repo.parent / "elsewhere", target_is_directory=True)
    message = policy_error(write("repo/p.yaml", "version: 1\nextends: shared/base.yaml\n"))
    assert "extends: `shared/base.yaml` leads through a symbolic link to " in message
    assert os.path.realpath(repo.parent / "elsewhere" / "base.yaml") in message


def test_dot_dot_out_of_a_linked_folder_steps_where_the_file_system_steps(write, repo):
    """`shared/../x.yaml` with `shared` -> ../elsewhere opens ../x.yaml, outside, whatever it reads like."""
    (repo / "shared").symlink_to(repo.parent / "elsewhere", target_is_directory=True)
    message = policy_error(write("repo/p.yaml", "version: 1\nextends: shared/../outside.yaml\n"))
    assert "leads through a symbolic link to " + os.path.realpath(repo.parent / "outside.yaml") in message


def test_every_file_of_a_chain_is_confined_to_the_same_repository(write, repo):
    write("repo/a.yaml", "version: 1\nextends: teams/b.yaml\n")
    write("repo/teams/b.yaml", "version: 1\nnamespaces: [acme]\nextends: [hub, ../../outside.yaml]\n")
    message = policy_error(repo / "a.yaml")
    assert re.match(r"^\S*teams/b\.yaml:3:16: extends: `\.\./\.\./outside\.yaml` leaves the repository ", message)


def test_without_a_git_work_tree_the_policy_folder_is_the_repository(write, tmp_path):
    write("base.yaml", OUTSIDE_POLICY)
    message = policy_error(write("team/p.yaml", "version: 1\nextends: ../base.yaml\n"))
    assert f"leaves the repository ({tmp_path / 'team'}) through `..`" in message


def test_an_explicit_root_narrows_the_repository(write, repo):
    write("repo/org.yaml", "version: 1\nnamespaces: [acme]\n")
    path = write("repo/team/p.yaml", "version: 1\nextends: ../org.yaml\n")
    message = policy_error(path, root=str(repo / "team"))
    assert f"leaves the repository ({repo / 'team'}) through `..`" in message


def test_a_top_level_policy_outside_an_explicit_root_may_extend_no_file(write, repo):
    write("repo/org.yaml", "version: 1\n")
    message = policy_error(write("repo/p.yaml", "version: 1\nextends: org.yaml\n"), root=str(repo / "sub"))
    assert f"extends: `org.yaml` is outside the repository ({repo / 'sub'})" in message


# ----- allowed ----------------------------------------------------------------------------------


def test_a_policy_in_a_subfolder_may_extend_a_file_above_it_in_the_repository(write, repo):
    write("repo/org.yaml", "version: 1\nnamespaces: [acme]\n")
    path = write("repo/teams/nlp/p.yaml", "version: 1\nextends: [default, ../../org.yaml]\n")
    assert load_policy(path).namespaces == ("acme",)
    assert repository_root(str(path)) == str(repo)


def test_a_symbolic_link_inside_to_a_file_inside_is_allowed(write, repo):
    write("repo/policies/org.yaml", "version: 1\nnamespaces: [acme]\n")
    (repo / "org.yaml").symlink_to(Path("policies/org.yaml"))
    (repo / "shared").symlink_to(Path("policies"), target_is_directory=True)
    assert load_policy(write("repo/p.yaml", "version: 1\nextends: org.yaml\n")).namespaces == ("acme",)
    assert load_policy(write("repo/q.yaml", "version: 1\nextends: shared/org.yaml\n")).namespaces == ("acme",)


def test_a_git_file_marks_a_work_tree_too(write, tmp_path):
    """A linked worktree or a submodule has a `.git` file, not a folder."""
    write("wt/.git", "gitdir: /somewhere/.git/worktrees/wt\n")
    write("wt/org.yaml", "version: 1\nnamespaces: [acme]\n")
    assert load_policy(write("wt/team/p.yaml", "version: 1\nextends: ../org.yaml\n")).namespaces == ("acme",)


def test_the_repository_is_found_from_where_a_linked_policy_really_is(write, repo, tmp_path):
    write("repo/org.yaml", "version: 1\nnamespaces: [acme]\n")
    write("repo/team/p.yaml", "version: 1\nextends: ../org.yaml\n")
    (tmp_path / "p.yaml").symlink_to(repo / "team" / "p.yaml")
    assert repository_root(str(tmp_path / "p.yaml")) == str(repo)


def test_an_explicit_root_widens_the_repository(write, tmp_path):
    """The GitHub Action loads the base commit's policy from a temporary folder it names as root."""
    write("base/org.yaml", "version: 1\nnamespaces: [acme]\n")
    path = write("base/policies/p.yaml", "version: 1\nextends: ../org.yaml\n")
    assert load_policy(path, root=str(tmp_path / "base")).namespaces == ("acme",)


def test_the_repository_does_not_move_the_targets_root(write, repo):
    path = write("repo/team/p.yaml", 'version: 1\ntargets: {"models/*": "acme/{dir}"}\n')
    assert load_policy(path).root == str(repo / "team")
    assert load_policy(path, root=str(repo.parent)).root == str(repo / "team")


# ----- property ---------------------------------------------------------------------------------

SEGMENTS = st.lists(st.sampled_from(["..", ".", "a", "b"]), max_size=6)


@settings(max_examples=150, deadline=None)
@given(segments=SEGMENTS)
def test_a_relative_entry_loads_exactly_when_it_stays_inside(segments: list[str]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        base = Path(os.path.realpath(temporary))
        repo = base / "w1" / "w2" / "w3" / "repo"  # six `..` from repo/team/sub reach `base`, never above
        (repo / ".git").mkdir(parents=True)
        policy_folder = repo / "team" / "sub"
        policy_folder.mkdir(parents=True)
        folder = policy_folder
        for segment in segments:  # make the folders the entry walks through, so only containment decides
            folder = folder.parent if segment == ".." else folder / segment
            folder.mkdir(exist_ok=True)
        (folder / "x.yaml").write_text("version: 1\nnamespaces: [reached]\n", encoding="utf-8")
        entry = "/".join([*segments, "x.yaml"])
        (policy_folder / "p.yaml").write_text(f"version: 1\nextends: {entry}\n", encoding="utf-8")
        inside = os.path.normpath(policy_folder / entry).startswith(str(repo) + os.sep)
        if inside:
            assert load_policy(policy_folder / "p.yaml").namespaces == ("reached",)
        else:
            with pytest.raises(PolicyError, match="leaves the repository"):
                load_policy(policy_folder / "p.yaml")


# ----- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["policy", "validate"], ["check", "--repo-id", "acme/llama-7b"]])
@pytest.mark.parametrize("entry", ["../outside.yaml", "ABSOLUTE", "link.yaml"])
def test_the_command_line_refuses_with_exit_2_and_never_shows_the_outside_file(repo, command, entry):
    (repo / "link.yaml").symlink_to(repo.parent / "outside.yaml")
    entry = str(repo.parent / "outside.yaml") if entry == "ABSOLUTE" else entry
    (repo / ".hfname-guard.yaml").write_text(f"version: 1\nextends: [default, {entry}]\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "hfname_guard", *command], cwd=repo, capture_output=True, text=True, timeout=60,
        env={**os.environ, "HFNAME_GUARD_CACHE_DIR": str(repo.parent / "cache"), "NO_COLOR": "1"},
    )
    assert result.returncode == 2, result.stderr
    refusal = rf"^\S*\.hfname-guard\.yaml:2:20: extends: `{re.escape(entry)}` (is an|leaves the|leads through)"
    assert re.search(refusal + rf".*; {INSIDE_HINT}$", result.stderr, re.MULTILINE), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert SECRET not in result.stdout + result.stderr
