"""`hfname-guard policy hook`: what the `hfname-guard-policy` pre-commit hook runs.

A commit that changes the policy changes the verdict on every model the policy covers, not only
on the models the commit touches: tightening `forbidden-words` must not pass while committed
models now fail. So when a policy file, or a file a policy extends, is among the files of a
commit, the policy is validated and every model folder it covers is checked again. A folder is
covered by the nearest `.hfname-guard.yaml` above it, as `check` finds it.
"""

from __future__ import annotations

import os

from .checker import check
from .findings import Finding, Report
from .policy import POLICY_FILE_NAME, Policy, load_policy
from .targets import Target, is_model_folder, target_of

SKIPPED_FOLDERS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".mypy_cache"}
)
"""Folders never walked into: version control, environments, caches. Other hidden folders are
walked (a `.models/` folder is a folder like any other)."""


def changed_policies(files: list[str], root: str) -> list[tuple[str, Policy]]:
    """Each policy under ``root`` that ``files`` change: the policy file itself, or a file it
    extends (links resolved). Loading a policy may raise ``PolicyError``: a changed policy that
    does not load is the commit's problem to fix."""
    changed = {os.path.realpath(file) for file in files}
    found = []
    for path in policy_files(root):
        policy = load_policy(path)
        if any(os.path.realpath(source) in changed for source in (path, *policy.sources)):
            found.append((path, policy))
    return found


def policy_files(root: str) -> list[str]:
    """Every `.hfname-guard.yaml` under ``root``, shallowest first."""
    return [os.path.join(folder, POLICY_FILE_NAME) for folder, names in _walk(root, into_other_policies=True)
            if POLICY_FILE_NAME in names and os.path.isfile(os.path.join(folder, POLICY_FILE_NAME))]


def covered_targets(policy_path: str, policy: Policy, root: str) -> list[Target]:
    """The model folders whose nearest policy is ``policy_path``, as ``check`` would judge them."""
    targets = []
    for folder, _ in _walk(os.path.dirname(os.path.abspath(policy_path)), into_other_policies=False):
        relative = os.path.relpath(folder, root)
        if is_model_folder(relative, policy):
            targets.append(target_of(relative, policy))
    return targets


def recheck(files: list[str], root: str) -> Report | None:
    """The report on every model folder the changed policies cover, or None when no policy
    changed."""
    changed = changed_policies(files, root)
    if not changed:
        return None
    merged = Report(targets=[], findings=[], waived=[])
    for path, policy in changed:
        report = check(covered_targets(path, policy, root), policy)
        merged.targets.extend(report.targets)
        merged.findings.extend(report.findings)
        merged.waived.extend(report.waived)
    merged.findings.sort(key=Finding.sort_key)
    return merged


def _walk(top: str, into_other_policies: bool) -> list[tuple[str, set[str]]]:
    """(folder, its entry names) for ``top`` and the folders below it, shallowest first; unless
    ``into_other_policies``, a folder below ``top`` that holds a policy of its own, and all
    below it, are left out: that policy covers them."""
    top = os.path.abspath(top)
    found = []
    level = [top]
    while level:
        below = []
        for folder in level:
            try:
                with os.scandir(folder) as scan:
                    entries = list(scan)
            except OSError:
                continue
            names = {entry.name for entry in entries}
            if folder != top and not into_other_policies and POLICY_FILE_NAME in names:
                continue
            found.append((folder, names))
            below += sorted(entry.path for entry in entries
                            if entry.name not in SKIPPED_FOLDERS and entry.is_dir(follow_symlinks=False))
        level = below
    return found
