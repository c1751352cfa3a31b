"""What to check: a proposed repo id, with the model folder it names when there is one.

Which repo id a folder proposes, in this order (the output says which rule gave it):
`--repo-id`; the policy's `targets` (a glob on the folder's path, relative to the policy file,
mapped to a template such as `acme/{dir}`); the Hub repository the folder is a clone of (its
git remote `origin` at huggingface.co or hf.co, https or ssh); the folder's own name under the
first namespace (of its `targets` entry, else of the policy).

Each folder's policy is its own (``Policies``: the nearest `.hfname-guard.yaml` from the folder
upward) unless one policy is given for all. A folder the policy's `exclude` keeps out is no
model folder to a commit's files; named on the command line, the checker reports it skipped.
"""

from __future__ import annotations

import os
import re

from .errors import UsageError
from .policy import Policies, Policy
from .record import Record
from .regular_file import open_regular

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .hub_records import HubRecord

MODEL_FILES = ("config.json", "adapter_config.json", "model.safetensors.index.json")
WEIGHT_EXTENSIONS = frozenset((".safetensors", ".gguf", ".bin", ".pt", ".pth", ".onnx", ".h5", ".msgpack", ".ckpt"))
"""Weight files as the Hub's libraries save them (``model-00001-of-00002.safetensors``,
``pytorch_model.bin``, ``model.gguf``, ``tf_model.h5``, ``flax_model.msgpack``), in any case."""
MAX_GIT_FILE_BYTES = 1 << 20
"""A `.git` pointer file or a git config is a few hundred bytes; one past this is not read."""
_HUB_REMOTE = (
    r"""^[ \t]*url[ \t]*=[ \t]*(?:https?://(?:[^@/]+@)?(?:www\.)?(?:huggingface\.co|hf\.co)/|git@(?:huggingface\.co|hf\.co):)
        (?!datasets/|spaces/)([\w.-]+/[\w.-]+?)(?:\.git)?/?[ \t\r]*$"""
)
"""One `url = ...` line. Blanks and tabs, not any white space, which reaches across lines:
on a config of a million empty lines, every line would rescan all those after it. A pattern
(multi-line, verbose), compiled when a folder is a git checkout."""


class Target(Record):
    repo_id: str
    folder: str | None = None
    repo_id_source: str = "--repo-id"
    """Which rule gave the repo id, said in the output (``--repo-id``, ``folder name``)."""
    policy: str | None = None
    """The policy that judged the target, as the output names it (``Policy.label``); set by
    the checker."""
    record: HubRecord | None = None
    """The Hub's record of the model, for a target checked from it (``audit``) instead of from a
    folder: the file facts come from it (``hub_records.RecordFacts``)."""

    @property
    def display(self) -> str:
        """How the output names the target: its folder, else the repo id (quoted when empty)."""
        if self.folder is not None:
            return str(self.folder)
        return self.repo_id or '""'


def targets_from_arguments(paths: list[str], repo_id: str | None, policy: Policy | Policies) -> list[Target]:
    """Folders (or their README.md) from the command line; ``--repo-id`` names a single one.
    ``policy``: one policy for every folder, or ``Policies``, each folder's own. A folder its
    policy excludes is kept: named on purpose, the checker reports why it is skipped."""
    folders = list(dict.fromkeys(_folder(path) for path in paths))
    if repo_id is not None and len(folders) > 1:
        raise UsageError("--repo-id names one model, but several folders were given; check them one at a time")
    if not folders:
        if repo_id is None:
            raise UsageError("nothing to check: give a model folder, or --repo-id ORG/NAME to check a name alone")
        return [Target(repo_id)]
    if repo_id is not None:
        return [Target(repo_id, folders[0], "--repo-id")]
    policies = _policies(policy)
    return [target_of(folder, policies.of(folder)) for folder in folders]


def targets_from_files(files: list[str], policy: Policy | Policies) -> list[Target]:
    """The model folders that files staged in a commit belong to, each once; files outside any
    model folder (a repository's own README.md, documentation) and folders their policy
    excludes are left alone. ``policy``: one for every folder, or ``Policies``, each folder's own."""
    policies = _policies(policy)
    folders = dict.fromkeys(os.path.dirname(os.path.normpath(path)) or "." for path in files)
    models = dict.fromkeys(_model_folder_of(folder, policies) for folder in folders)
    return [target_of(folder, policies.of(folder)) for folder in models if folder is not None]


def _policies(policy: Policy | Policies) -> Policies:
    return policy if isinstance(policy, Policies) else Policies(policy)


def is_model_folder(folder: str, policy: Policy) -> bool:
    """A folder the policy's `targets` name, or that holds model files (a config, an index,
    weights of any format), or a model card (a README.md that opens a metadata block, or one
    that no check could read: a FIFO, a device, a socket, which card/syntax then reports);
    never one the policy's `exclude` keeps out."""
    return _evidence(folder, policy) is not None


def is_weight_file(name: str) -> bool:
    """Whether a file name is a weight file's, by its extension (``pytorch_model.bin``, ``MODEL.GGUF``)."""
    return os.path.splitext(name)[1].lower() in WEIGHT_EXTENSIONS


def _model_folder_of(folder: str, policies: Policies) -> str | None:
    """The model folder that ``folder`` is, or is part of: weights alone in a subfolder of a
    model folder (``onnx/``, ``original/``, a GGUF quantization level) are that model's, not a
    model named ``onnx``."""
    evidence = _evidence(folder, policies.of(folder))
    parent = os.path.dirname(folder) or "."
    if evidence == "weights alone" and parent != folder and is_model_folder(parent, policies.of(parent)):
        return parent
    return folder if evidence is not None else None


def _evidence(folder: str, policy: Policy) -> str | None:
    """What makes ``folder`` a model folder, from one listing: "targets", "model files",
    "weights alone" (no config and no README.md beside them) or "card"; None when nothing does,
    or when the policy excludes the folder."""
    if policy.excludes and policy.excluded_by(folder) is not None:
        return None
    if policy.target_entry(folder) is not None:
        return "targets"
    try:
        entries = os.listdir(folder)
    except OSError:
        return None
    if any(name in MODEL_FILES for name in entries):
        return "model files"
    if any(is_weight_file(name) for name in entries):
        return "model files" if "README.md" in entries else "weights alone"
    from .card import looks_like_a_card

    return "card" if "README.md" in entries and looks_like_a_card(folder) else None


def target_of(folder: str, policy: Policy) -> Target:
    entry = policy.target_entry(folder)
    if entry is not None and entry.repo_id is not None:
        return Target(entry.repo_id.replace("{dir}", _name(folder)), folder, f"policy targets `{entry.glob}`")
    remote = hub_remote(folder)
    if remote is not None:
        return Target(remote, folder, "git remote origin")
    namespaces = entry.namespaces if entry is not None and entry.namespaces is not None else policy.namespaces
    if namespaces:
        return Target(f"{namespaces[0]}/{_name(folder)}", folder, f"folder name under `{namespaces[0]}`")
    return Target(_name(folder), folder, "folder name")


def hub_remote(folder: str) -> str | None:
    """`org/name` of the Hub repository the folder is a clone of: the `origin` remote of its
    own `.git` (a folder, or a file pointing to one, as in submodules and worktrees). Anything
    else in their place (a FIFO, a device, a file too large to be git's) gives None."""
    git = os.path.join(folder, ".git")
    try:
        if not os.path.isdir(git):
            pointer = _small_text(git).strip()
            git = os.path.join(folder, pointer.removeprefix("gitdir:").strip())
        config = _small_text(os.path.join(git, "config"))
    except (OSError, UnicodeDecodeError):
        return None
    origin = config.partition('[remote "origin"]')[2].partition("\n[")[0]
    found = re.search(_HUB_REMOTE, origin, re.MULTILINE | re.VERBOSE)
    return found.group(1) if found else None


def _small_text(path: str) -> str:
    """The UTF-8 text of a regular file of at most ``MAX_GIT_FILE_BYTES``; OSError otherwise."""
    with open_regular(path) as handle:
        raw = handle.read(MAX_GIT_FILE_BYTES + 1)
    if len(raw) > MAX_GIT_FILE_BYTES:
        raise OSError(f"{path} is larger than {MAX_GIT_FILE_BYTES:,} bytes")
    return raw.decode("utf-8")


def _name(folder: str) -> str:
    return os.path.basename(os.path.realpath(folder))


def _folder(argument: str) -> str:
    if os.path.isdir(argument):
        return os.path.normpath(argument)
    if os.path.lexists(argument):  # a file in the model folder: README.md, config.json, ...
        return os.path.dirname(os.path.normpath(argument)) or "."
    raise UsageError(f"{argument}: no such model folder")
