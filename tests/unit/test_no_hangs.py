"""No file blocks a check: a FIFO, a device, a socket, or a link to one, is refused before it is read.

Every path is covered: the card, the model-folder detection of the hook and the Action, the
policy, a folder's git files, the validation cache. A regression would block, not fail, so every
test runs under an alarm (in-process) or a timeout (the command line), which turns it into a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from guards import hfname_guard as run_command
from guards import no_hang

from hfname_guard import load_policy
from hfname_guard.card import looks_like_a_card, read_card
from hfname_guard.errors import PolicyError
from hfname_guard.regular_file import NotARegularFile, open_regular
from hfname_guard.schema_check import problems
from hfname_guard.targets import hub_remote, is_model_folder, targets_from_files
from hfname_guard.yamlsource import load_yaml

pytestmark = [
    pytest.mark.usefixtures("cache_dir"),
    pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs, devices and sockets are POSIX's"),
]
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30
CARD = "---\nlicense: mit\npipeline_tag: text-generation\n---\n"


@pytest.fixture(autouse=True)
def alarm() -> Iterator[None]:
    """Fail a test that blocks (an `open` waiting on a FIFO) instead of hanging the suite."""
    with no_hang(TIMEOUT, "blocked: a file that is not a regular one was opened"):
        yield


def fifo(path: Path) -> str:
    os.mkfifo(path)
    return "a FIFO (named pipe)"


def zero(path: Path) -> str:
    path.symlink_to("/dev/zero")
    return "a symbolic link to /dev/zero, which is a character device"


def own_output(path: Path) -> str:
    """A link to the standard output of the process that opens it: for a command whose output
    is piped, a pipe it would wait on forever, being its only writer."""
    path.symlink_to("/proc/self/fd/1")
    return "a symbolic link to /proc/self/fd/1, which is a FIFO (named pipe)"


def unix_socket(path: Path) -> str:
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(path))
    return "a socket"


SPECIAL = [fifo, zero, unix_socket]
SPECIAL_IDS = ["fifo", "dev-zero", "socket"]


@pytest.fixture
def short_tmp() -> Iterator[Path]:
    """A folder with a short path: a Unix socket's path is limited to about 100 bytes."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="hg-") as folder:
        yield Path(folder)


# ----- opening ----------------------------------------------------------------------------------


@pytest.mark.parametrize("make", SPECIAL, ids=SPECIAL_IDS)
def test_open_regular_refuses_what_is_not_a_regular_file(short_tmp: Path, make: Callable[[Path], str]) -> None:
    what = make(short_tmp / "file")
    with pytest.raises(NotARegularFile) as raised:
        open_regular(str(short_tmp / "file"))
    assert raised.value.what == what
    assert str(raised.value) == f"it is {what}, not a regular file"


def test_open_regular_reads_a_regular_file_and_a_link_to_one(tmp_path: Path) -> None:
    (tmp_path / "file").write_bytes(b"text")
    (tmp_path / "link").symlink_to("file")
    for name in ("file", "link"):
        with open_regular(str(tmp_path / name)) as handle:
            assert handle.read() == b"text"


def test_open_regular_refuses_a_directory_and_raises_what_open_raises(tmp_path: Path) -> None:
    with pytest.raises(NotARegularFile, match="it is a directory"):
        open_regular(str(tmp_path))
    with pytest.raises(FileNotFoundError):
        open_regular(str(tmp_path / "missing"))


# ----- the card ---------------------------------------------------------------------------------


@pytest.mark.parametrize("make", SPECIAL, ids=SPECIAL_IDS)
def test_a_card_that_is_no_regular_file_is_a_syntax_issue(short_tmp: Path, make: Callable[[Path], str]) -> None:
    what = make(short_tmp / "README.md")
    (issue,) = read_card(str(short_tmp)).issues
    assert issue.kind == "syntax"
    assert issue.message.startswith(f"README.md is {what}")
    assert "not a regular file; replace it with the model card" in issue.message


@pytest.mark.parametrize("make", SPECIAL, ids=SPECIAL_IDS)
def test_a_readme_that_is_no_regular_file_makes_a_model_folder(short_tmp: Path, make: Callable[[Path], str]) -> None:
    """Never read, it still counts: card/syntax reports it rather than let it pass unseen."""
    make(short_tmp / "README.md")
    assert looks_like_a_card(str(short_tmp))
    policy = load_policy(start=str(short_tmp))
    assert is_model_folder(str(short_tmp), policy)
    (target,) = targets_from_files([str(short_tmp / "README.md")], policy)
    assert target.folder == str(short_tmp)


def test_a_readme_folder_or_a_dangling_link_makes_no_model_folder(tmp_path: Path) -> None:
    (tmp_path / "a" / "README.md").mkdir(parents=True)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "README.md").symlink_to("nowhere.md")
    for folder in ("a", "b"):
        assert not looks_like_a_card(str(tmp_path / folder))


# ----- the policy, git files, the cache -----------------------------------------------------------


@pytest.mark.parametrize("make", SPECIAL, ids=SPECIAL_IDS)
def test_a_policy_that_is_no_regular_file_is_a_policy_error(short_tmp: Path, make: Callable[[Path], str]) -> None:
    what = make(short_tmp / "policy.yaml")
    with pytest.raises(PolicyError) as raised:
        load_policy(short_tmp / "policy.yaml")
    assert raised.value.problems == [
        f"{short_tmp / 'policy.yaml'}: is {what}, not a regular file; expected a policy file (.yaml)"
    ]


@pytest.mark.parametrize("where", [".git", ".git/config"])
@pytest.mark.parametrize("make", SPECIAL, ids=SPECIAL_IDS)
def test_git_files_that_are_no_regular_files_give_no_remote(
    short_tmp: Path, make: Callable[[Path], str], where: str
) -> None:
    if where == ".git/config":
        (short_tmp / ".git").mkdir()
    make(short_tmp / where)
    assert hub_remote(str(short_tmp)) is None


def test_a_fifo_in_the_validation_cache_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = b"version: 1\n"
    document = load_yaml(raw.decode())
    monkeypatch.setenv("HFNAME_GUARD_CACHE_DIR", str(tmp_path))
    assert problems("policy.yaml", raw, document) == []  # validated, and remembered
    (marker,) = (tmp_path / "valid-policies").iterdir()
    marker.unlink()
    os.mkfifo(marker)
    assert problems("policy.yaml", raw, document) == []  # validated again, not blocked
    assert marker.is_file() and marker.read_bytes() == raw, "the FIFO is replaced, never written to"


# ----- end to end: the command line and the pre-commit hook ---------------------------------------


def hfname_guard(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_command(*args, cwd=cwd, timeout=TIMEOUT)


@pytest.mark.parametrize("command", ["check", "hook"])
@pytest.mark.parametrize("make", [*SPECIAL, own_output], ids=[*SPECIAL_IDS, "own-output"])
def test_the_command_reports_the_readme_at_once(short_tmp: Path, make: Callable[[Path], str], command: str) -> None:
    if make is own_output and not os.path.exists("/proc/self/fd/1"):
        pytest.skip("no /proc here")  # the command's output is a pipe: `hfname_guard` captures it
    model = short_tmp / "llama-7b"
    model.mkdir()
    what = make(model / "README.md")
    argument = "llama-7b" if command == "check" else "llama-7b/README.md"
    result = hfname_guard(command, argument, cwd=short_tmp)
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = [line.strip() for line in result.stdout.splitlines() if line.rstrip().endswith("[card/syntax]")]
    assert line.startswith(f"llama-7b/README.md: error: README.md is {what}"), line
