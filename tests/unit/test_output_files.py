"""Report files are written whole or not at all, and never through a symbolic link that a
checked-out pull request holds (the workspace is ``inside``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hfname_guard import output_files
from hfname_guard.errors import UsageError
from hfname_guard.output_files import untrusted_checkout, why_not_writable, write_file


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "workspace"
    folder.mkdir()
    return folder


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file of the runner's that a pull request would like overwritten."""
    secret = tmp_path / "runner" / "credentials"
    secret.parent.mkdir()
    secret.write_text("keep me\n", encoding="utf-8")
    return secret


def test_writes_a_new_file_as_any_new_file_is_made(workspace: Path) -> None:
    write_file(str(workspace / "report.json"), "{}\n", inside=str(workspace))
    assert (workspace / "report.json").read_text(encoding="utf-8") == "{}\n"
    umask = os.umask(0)
    os.umask(umask)
    assert (workspace / "report.json").stat().st_mode & 0o777 == 0o666 & ~umask
    assert os.listdir(workspace) == ["report.json"]


def test_a_failed_write_keeps_the_old_report_and_leaves_no_temporary_file(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = workspace / "report.json"
    report.write_text("old\n", encoding="utf-8")

    def fail(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output_files.os, "replace", fail)
    with pytest.raises(UsageError) as raised:
        write_file(str(report), "new\n", inside=str(workspace))
    assert str(raised.value) == f"{report}: cannot write the report: No space left on device"
    assert report.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(workspace) == ["report.json"]


def test_an_interrupted_write_leaves_no_temporary_file(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output_files.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_file(str(workspace / "report.json"), "new\n")
    assert os.listdir(workspace) == []


def test_a_link_at_the_destination_is_replaced_never_followed(workspace: Path, outside: Path) -> None:
    sarif = workspace / "hfname-guard.sarif"
    sarif.symlink_to(outside)
    write_file(str(sarif), "{\"version\": \"2.1.0\"}\n", inside=str(workspace))
    assert outside.read_text(encoding="utf-8") == "keep me\n"
    assert not sarif.is_symlink()
    assert sarif.read_text(encoding="utf-8") == "{\"version\": \"2.1.0\"}\n"


def test_a_dangling_link_at_the_destination_creates_nothing_where_it_points(workspace: Path, tmp_path: Path) -> None:
    planted = tmp_path / "runner" / ".bashrc"
    (workspace / "report.json").symlink_to(planted)
    write_file(str(workspace / "report.json"), "{}\n", inside=str(workspace))
    assert not planted.exists() and not planted.parent.exists()
    assert (workspace / "report.json").read_text(encoding="utf-8") == "{}\n"


def test_a_linked_folder_inside_the_workspace_is_refused(workspace: Path, outside: Path) -> None:
    (workspace / "reports").symlink_to(outside.parent, target_is_directory=True)
    destination = workspace / "reports" / "credentials"
    with pytest.raises(UsageError) as raised:
        write_file(str(destination), "pwned\n", inside=str(workspace))
    assert str(raised.value) == (f"{destination}: cannot write the report: {workspace / 'reports'} is a symbolic "
                                 f"link inside {workspace}; a report is never written through one")
    assert outside.read_text(encoding="utf-8") == "keep me\n"
    assert os.listdir(outside.parent) == ["credentials"]


def test_a_linked_folder_deeper_down_is_refused_too(workspace: Path, outside: Path) -> None:
    (workspace / "out").mkdir()
    (workspace / "out" / "sarif").symlink_to(outside.parent, target_is_directory=True)
    refusal = why_not_writable(str(workspace / "out" / "sarif" / "credentials"), str(workspace))
    assert refusal is not None and "out/sarif is a symbolic link" in refusal


def test_the_workspace_is_guarded_however_the_path_spells_it(workspace: Path, outside: Path, tmp_path: Path) -> None:
    """GITHUB_WORKSPACE may name the workspace through a link while the working directory (and
    so a relative report path made absolute) is its real path, or the reverse."""
    (tmp_path / "alias").symlink_to(workspace, target_is_directory=True)
    (workspace / "reports").symlink_to(outside.parent, target_is_directory=True)
    for path, inside in [(workspace, tmp_path / "alias"), (tmp_path / "alias", workspace)]:
        refusal = why_not_writable(str(path / "reports" / "credentials"), str(inside))
        assert refusal == f"{path / 'reports'} is a symbolic link inside {inside}; a report is never written " \
                          "through one"


def test_links_outside_the_workspace_are_the_users_own(workspace: Path, outside: Path, tmp_path: Path) -> None:
    """RUNNER_TEMP, or a user's own reports folder linked to another disk: written as given."""
    (tmp_path / "temp").symlink_to(outside.parent, target_is_directory=True)
    write_file(str(tmp_path / "temp" / "report.json"), "{}\n", inside=str(workspace))
    assert (outside.parent / "report.json").read_text(encoding="utf-8") == "{}\n"
    (workspace / "reports").symlink_to(outside.parent, target_is_directory=True)
    write_file(str(workspace / "reports" / "again.json"), "{}\n")  # no inside: nothing is untrusted
    assert (outside.parent / "again.json").is_file()


@pytest.mark.parametrize("make, why", [
    (lambda path: path.mkdir(), "it is a directory; give a file name"),
    (lambda path: path.symlink_to(path.parent, target_is_directory=True),
     "it is a symbolic link to a directory; give a file name"),
    (lambda path: os.mkfifo(path), "it is not a regular file (a FIFO, socket or device)"),
])
def test_a_destination_that_is_not_a_file_is_refused(workspace: Path, make, why: str) -> None:
    destination = workspace / "report.json"
    make(destination)
    with pytest.raises(UsageError) as raised:
        write_file(str(destination), "{}\n", inside=str(workspace))
    assert str(raised.value) == f"{destination}: cannot write the report: {why}"
    assert os.listdir(workspace) == ["report.json"]


def test_a_missing_folder_is_said(workspace: Path) -> None:
    for inside in (str(workspace), None):
        assert why_not_writable(str(workspace / "no" / "report.json"), inside) == \
            "the folder it would go in does not exist"


def test_text_that_utf8_cannot_encode_is_escaped_not_fatal(workspace: Path) -> None:
    """A lone surrogate: a file name that was not UTF-8, decoded with surrogateescape."""
    write_file(str(workspace / "report.json"), "models/caf\udce9-7b\n")
    assert (workspace / "report.json").read_bytes() == b"models/caf\\udce9-7b\n"


def test_only_github_actions_has_an_untrusted_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert untrusted_checkout({}) is None
    assert untrusted_checkout({"GITHUB_WORKSPACE": "/ws"}) is None
    assert untrusted_checkout({"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": "/ws"}) == "/ws"
    assert untrusted_checkout({"GITHUB_ACTIONS": "true"}) == os.getcwd()
