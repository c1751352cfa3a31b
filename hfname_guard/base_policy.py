"""Which policy judges a pull request: the one on its base commit, never its own.

A pull request controls every file of its checkout, the policy included. Were the checkout's
policy to decide, a pull request could waive its own findings or switch the rules off, and the
gate would pass it. So in a pull request run the policy is read as the base commit holds it
(the file and every file it ``extends``), through git where the commit is at hand or can be
fetched, else through the contents API, copied into a folder of the runner's own, and loaded
from there. The pull request's policy is only compared with it: when it differs, the report says
so, and which findings and rules the new policy would waive, switch off or lower.
"""

from __future__ import annotations

import os
import posixpath
import stat

from . import git
from .checker import check
from .errors import PolicyError, UsageError, YamlError
from .findings import SEVERITY_ORDER, Finding, PolicyChange, Report
from .policy import Policy, load_policy
from .record import Record
from .rules import all_rules
from .targets import Target
from .yamlsource import BOM, load_yaml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from .github import GitHub

    Reader = Callable[[str], git.Blob | None]

MAX_POLICY_FILES = 32
"""Files one policy may pull in through ``extends``; a longer chain is refused, not fetched."""
MAX_SYMLINKS = 8
"""Symbolic links followed from one name, as an operating system would before ELOOP."""


class BasePolicy(Record):
    """The policy files of the base commit: each file's repository path and bytes."""

    commit: str
    policy_file: str
    files: dict[str, bytes]

    def load(self, root: str, folder: str) -> Policy:
        """The base policy, copied under ``folder`` (a new, empty folder of the runner's) and
        loaded from there, its ``targets`` globs read relative to ``root`` (the checkout's copy of
        the policy's folder), as the checkout's own policy would be."""
        for path, data in self.files.items():
            copy = os.path.join(folder, *path.split("/"))
            os.makedirs(os.path.dirname(copy), exist_ok=True)
            with open(copy, "wb") as handle:
                handle.write(data)
        try:
            policy = load_policy(os.path.join(folder, *self.policy_file.split("/")), root=folder)
        except PolicyError as error:
            problems = [problem.replace(folder + os.sep, "") for problem in error.problems]
            raise PolicyError([*problems, f"(the policy as the base commit {self.commit[:7]} holds it: that is the "
                                          "policy that judges a pull request)"]) from None
        # the output names the policy as the repository holds it, not by the runner's copy
        excludes = tuple(exclusion.replace(source=os.path.relpath(exclusion.source, folder).replace(os.sep, "/"))
                         for exclusion in policy.excludes)
        return policy.replace(root=root, excludes=excludes,
                              shown_as=f"{self.policy_file} (base commit {self.commit[:7]})")


def fetch(policy_file: str, commit: str, workspace: str, client: GitHub | None) -> BasePolicy | None:
    """The base commit's policy at ``policy_file`` (relative to the top of the repository) and
    the files it extends, or None when the base commit has no policy there."""
    read = _reader(workspace, commit, client)
    top = _resolve(read, policy_file)
    if top is None:
        return None
    files: dict[str, bytes] = {}
    _collect(read, top, files)
    if top != policy_file:  # a symbolic link on the base: load it under the name the input gives
        files[policy_file] = files[top]
    return BasePolicy(commit, policy_file, files)


def differs_from_checkout(base: BasePolicy, workspace: str) -> bool:
    """Whether the checkout's policy files differ from the base commit's (or are gone)."""
    return any(_checkout_file(workspace, path, len(data) + 1) != data for path, data in base.files.items())


def _checkout_file(workspace: str, path: str, limit: int) -> bytes | None:
    """The first ``limit`` bytes of a regular file of the checkout, links followed inside it only;
    None for anything else (gone, a broken link, a link out, a folder, a FIFO)."""
    real = os.path.realpath(os.path.join(workspace, *path.split("/")))
    if os.path.commonpath([real, os.path.realpath(workspace)]) != os.path.realpath(workspace):
        return None
    try:
        if not stat.S_ISREG(os.stat(real).st_mode):
            return None
        with open(real, "rb") as handle:
            return handle.read(limit)
    except OSError:
        return None


def judge_by_head(report: Report, base_policy: Policy, head_policy: Policy, policy_file: str, workspace: str,
                  commit: str) -> tuple[PolicyChange, Report]:
    """The pull request's policy, beside the base policy that decides, on the models it touches
    and on every other model the policy covers, in one check: what it would let through that the
    base policy reports (the change), and ``report`` with what it finds that the base policy does
    not. Those findings count, marked as the new policy's: a pull request that makes the policy
    stricter fails while models already in the repository fail it; it can make the verdict
    stricter, never milder."""
    head = check([*report.targets, *_untouched(report, base_policy, policy_file, workspace)], head_policy)
    change = PolicyChange("base", commit, (_CHANGED,), relaxed_rules(base_policy, head_policy),
                          softened(report.findings, head.findings))
    return change, _with_new_findings(report, head, " (under this pull request's policy)")


def with_every_model_checked(report: Report, policy: Policy, policy_file: str, workspace: str) -> Report:
    """``report`` with ``policy``'s findings on every model folder it covers that the pull
    request does not touch: a first policy decides on every model."""
    return _with_new_findings(report, check(_untouched(report, policy, policy_file, workspace), policy), "")


def _untouched(report: Report, deciding: Policy, policy_file: str, workspace: str) -> list[Target]:
    """The model folders the policy covers, under the repo ids the deciding policy gives them,
    that ``report`` has not checked."""
    from .policy_hook import covered_targets

    folders = {target.folder for target in report.targets}
    return [target for target in covered_targets(policy_file, deciding, workspace) if target.folder not in folders]


def _with_new_findings(report: Report, other: Report, note: str) -> Report:
    known = {_identity(finding) for finding in report.findings}
    added = [finding.replace(message=finding.message + note) for finding in other.findings
             if _identity(finding) not in known]
    folders = {target.folder for target in report.targets}
    targets = [*report.targets, *(target for target in other.targets if target.folder not in folders)]
    return report.replace(targets=targets, findings=sorted([*report.findings, *added], key=Finding.sort_key))


def unloadable(commit: str, error: PolicyError) -> PolicyChange:
    first = error.problems[0] if error.problems else "it does not load"
    return PolicyChange("base", commit, (_CHANGED, f"The pull request's policy does not load: {first}"))


_CHANGED = ("This pull request changes the naming policy. The policy on the base branch judges the models it "
            "touches, and what the new policy finds on any model counts too: the change can make this verdict "
            "stricter, never milder. The new policy alone decides once it is merged.")


def relaxed_rules(base: Policy, head: Policy) -> tuple[tuple[str, str, str], ...]:
    weaker = []
    for rule in all_rules():
        if rule.SUBJECT == "internal":  # no policy can switch it off
            continue
        before, after = base.severity(rule.ID, rule.SEVERITY), head.severity(rule.ID, rule.SEVERITY)
        if _rank(after) > _rank(before):
            weaker.append((rule.ID, before, after))
    return tuple(weaker)


def softened(base: list[Finding], head: list[Finding]) -> tuple[tuple[Finding, str | None], ...]:
    """Each finding under the base policy that the head policy drops or reports more mildly."""
    under_head = {_identity(finding): finding.severity for finding in head}
    found = []
    for finding in base:
        severity = under_head.get(_identity(finding))
        if severity is None or _rank(severity) > _rank(finding.severity):
            found.append((finding, severity))
    return tuple(found)


def _identity(finding: Finding) -> tuple[object, ...]:
    return finding.rule, finding.repo_id, finding.file, finding.line, finding.column, finding.message


def _rank(severity: str) -> int:
    return SEVERITY_ORDER.get(severity, len(SEVERITY_ORDER))  # "off" is the mildest


def _reader(workspace: str, commit: str, client: GitHub | None) -> Reader:
    """Read files of ``commit`` through git; once git fails, through the contents API. Each
    file is read once."""
    use_api = False
    read_before: dict[str, git.Blob | None] = {}

    def read(path: str) -> git.Blob | None:
        if path not in read_before:
            read_before[path] = read_once(path)
        return read_before[path]

    def read_once(path: str) -> git.Blob | None:
        nonlocal use_api
        if not use_api:
            try:
                return git.file_at(workspace, commit, path)
            except git.GitError as error:
                if client is None:
                    raise UsageError(f"cannot read the policy as the base commit {commit[:7]} holds it: {error}; "
                                     "give the Action a token for the contents API, or fetch the base commit") from None
                use_api = True
        assert client is not None
        return client.file_at(path, commit)

    return read


def _resolve(read: Reader, path: str) -> str | None:
    """The path of the file ``path`` names once symbolic links are followed, or None when there
    is none. A link out of the repository is refused: the base commit's policy is all of it."""
    for _ in range(MAX_SYMLINKS):
        blob = read(path)
        if blob is None:
            return None
        if not blob.symlink:
            return path
        target = blob.data.decode("utf-8", "replace")
        followed = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
        if posixpath.isabs(target) or followed == ".." or followed.startswith("../"):
            raise PolicyError([f"{path}: on the base commit, a symbolic link out of the repository ({target}); a "
                               "policy may only use files inside its repository"])
        path = followed
    raise PolicyError([f"{path}: on the base commit, more than {MAX_SYMLINKS} symbolic links in a row"])


def _collect(read: Reader, path: str, files: dict[str, bytes]) -> None:
    """``path`` and, recursively, the policy files it extends; entries that leave the repository
    are not fetched (loading the copy refuses them with their line and column)."""
    if path in files:
        return
    if len(files) == MAX_POLICY_FILES:
        raise PolicyError([f"{path}: the base commit's policy extends more than {MAX_POLICY_FILES} files"])
    blob = read(path)
    if blob is None:
        return  # a missing extends file: loading the copy says which line names it
    files[path] = blob.data
    for entry in _extended_files(blob.data):
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), entry))
        if posixpath.isabs(entry) or joined == ".." or joined.startswith("../"):
            continue
        resolved = _resolve(read, joined)
        if resolved is not None:
            _collect(read, resolved, files)
            if resolved != joined:
                files[joined] = files[resolved]


def _extended_files(data: bytes) -> list[str]:
    """The file entries of a policy's ``extends`` (presets are built in): as ``policy`` reads them."""
    try:
        document = load_yaml(data.decode("utf-8").removeprefix(BOM))
    except (UnicodeDecodeError, YamlError):
        return []  # loading the copy reports it
    extends = document.data.get("extends", []) if isinstance(document.data, dict) else []
    entries = [extends] if isinstance(extends, str) else extends if isinstance(extends, list) else []
    return [
        entry for entry in entries if isinstance(entry, str) and (entry.endswith((".yaml", ".yml")) or "/" in entry)
    ]
