"""What to check: a proposed repo id, with the model folder it names when there is one."""

from __future__ import annotations

import os

from .errors import UsageError
from .policy import Policy
from .record import Record


class Target(Record):
    repo_id: str
    folder: str | None = None
    repo_id_source: str = "--repo-id"
    """Which rule gave the repo id, said in the output (``--repo-id``, ``folder name``)."""

    @property
    def display(self) -> str:
        """How the output names the target: its folder, else the repo id (quoted when empty)."""
        if self.folder is not None:
            return self.folder
        return self.repo_id or '""'


def targets_from_arguments(paths: list[str], repo_id: str | None, policy: Policy) -> list[Target]:
    """Folders (or their README.md) from the command line; ``--repo-id`` names a single one."""
    folders = [_folder(path) for path in paths]
    if repo_id is not None and len(folders) > 1:
        raise UsageError("--repo-id names one model, but several folders were given; check them one at a time")
    if not folders:
        if repo_id is None:
            raise UsageError("nothing to check: give a model folder, or --repo-id ORG/NAME to check a name alone")
        return [Target(repo_id)]
    if repo_id is not None:
        return [Target(repo_id, folders[0], "--repo-id")]
    return [_from_folder_name(folder, policy) for folder in folders]


def _folder(argument: str) -> str:
    if os.path.isdir(argument):
        return os.path.normpath(argument)
    if os.path.lexists(argument):  # a file in the model folder: README.md, config.json, ...
        return os.path.dirname(os.path.normpath(argument)) or "."
    raise UsageError(f"{argument}: no such model folder")


def _from_folder_name(folder: str, policy: Policy) -> Target:
    name = os.path.basename(os.path.realpath(folder))
    if policy.namespaces:
        return Target(f"{policy.namespaces[0]}/{name}", folder, f"folder name under `{policy.namespaces[0]}`")
    return Target(name, folder, "folder name")
