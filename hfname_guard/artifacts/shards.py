"""Which safetensors files hold a folder's weights, and what is wrong with its shard index.

``model.safetensors``, else the shards named by ``model.safetensors.index.json``
(``weight_map``), which is the order huggingface_hub and transformers look in; else every
``*.safetensors`` file in the folder (``adapter_model.safetensors`` of a PEFT adapter, shards
saved without an index). The index is checked before any shard is opened: each shard must lie
inside the folder and be there, and ``metadata.total_size``, when it is given, must be a count
of bytes. An index may name a million shards that are not there; that is one problem, which
counts them and names the first few, not a million.
"""

from __future__ import annotations

import os

from .fields import FieldReader
from .jsonfile import json_type, read_json_object
from .problem import ArtifactProblem

SINGLE_FILE = "model.safetensors"
INDEX_FILE = "model.safetensors.index.json"
EXTENSION = ".safetensors"
MAX_INDEX_BYTES = 100_000_000  # an index lists the same tensors as the headers: the same bound
MAX_NAMED = 3
"""Files a problem about many files names; the rest it counts."""
WEIGHT_MAP_EXAMPLE = '{"lm_head.weight": "model-00002-of-00002.safetensors"}'


def weight_files(folder: str) -> tuple[list[str], str | None, list[ArtifactProblem]]:
    """The folder's safetensors files, the index that named them (None: no index), and the
    index's problems (then no files)."""
    single = os.path.join(folder, SINGLE_FILE)
    if os.path.lexists(single):  # lexists: a dangling or looping link is a problem to report, not an absence
        return [single], None, []
    index = os.path.join(folder, INDEX_FILE)
    if os.path.lexists(index):
        files, problems = _shards(folder, index)
        return files, index, problems
    try:
        names = sorted(name for name in os.listdir(folder) if name.endswith(EXTENSION))
    except OSError:  # not a folder, or not one we may list: nothing to read
        return [], None, []
    return [os.path.join(folder, name) for name in names], None, []


def _shards(folder: str, index: str) -> tuple[list[str], list[ArtifactProblem]]:
    """The shard files named by the index, each once, each checked to lie inside the folder."""
    data, problems = read_json_object(index, MAX_INDEX_BYTES)
    if data is None:
        return [], problems
    shards, problem = _shard_names(data)
    wrong = [problem] if problem is not None else _metadata_problems(index, data)
    if wrong:
        return [], [ArtifactProblem(index, message) for message in wrong]
    root = os.path.abspath(folder)
    inside = root.rstrip(os.sep) + os.sep
    here = _entries(root)
    outside: list[str] = []
    missing: list[str] = []
    for shard in shards:
        path = os.path.normpath(os.path.join(root, shard))  # lexical: a link into a cache's blobs is fine
        if "\0" in shard or not (path == root or path.startswith(inside)):
            outside.append(shard)
        elif not _exists(path[len(inside):], path, here):
            missing.append(shard)
    if outside or missing:
        return [], [ArtifactProblem(index, message) for message in _shard_problems(outside, missing)]
    return sorted({os.path.join(folder, os.path.normpath(shard)) for shard in shards}), []


def _entries(folder: str) -> frozenset[str]:
    """The names in the folder, listed once: an index of a million shards costs one listing, not
    a million file-system calls."""
    try:
        return frozenset(os.listdir(folder))
    except OSError:
        return frozenset()


def _exists(relative: str, path: str, here: frozenset[str]) -> bool:
    """Whether ``path`` (``relative`` to the folder) is there, a dangling link included."""
    if relative and os.sep not in relative:
        return relative in here
    return os.path.lexists(path)


def _shard_names(data: dict[str, object]) -> tuple[set[str], str | None]:
    """The shard names of ``weight_map``, or what is wrong with it."""
    weight_map = data.get("weight_map")
    if not isinstance(weight_map, dict) or not weight_map:
        if weight_map is None:
            found = "no `weight_map`"
        else:
            found = "an empty `weight_map`" if weight_map == {} else f"a `weight_map` that is {json_type(weight_map)}"
        return set(), (f"{INDEX_FILE} has {found}; expected an object mapping each tensor name to its shard, "
                       f"such as {WEIGHT_MAP_EXAMPLE}")
    shards: set[str] = set()
    for tensor, shard in weight_map.items():
        if not isinstance(shard, str) or not shard:
            return set(), f"{INDEX_FILE} maps tensor {_shown(tensor)} to {json_type(shard)}; expected a shard file name"
        shards.add(shard)
    return shards, None


def _metadata_problems(index: str, data: dict[str, object]) -> list[str]:
    """``metadata`` must be an object and its ``total_size``, the bytes of all tensors, a count."""
    metadata = data.get("metadata")
    if metadata is None:
        return []
    if not isinstance(metadata, dict):
        return [f"{INDEX_FILE} has `metadata` that is {json_type(metadata)}; expected an object such as "
                '{"total_size": 16060522496}']
    fields = FieldReader(index, data)
    fields.count("total_size", within="metadata")
    return [f"{INDEX_FILE}: {problem.message}" for problem in fields.problems]


def _shard_problems(outside: list[str], missing: list[str]) -> list[str]:
    problems = []
    if len(outside) == 1:
        problems.append(f"{INDEX_FILE} names shard {_shown(outside[0])}, which is outside the model folder; "
                        "expected a file in it")
    elif outside:
        problems.append(f"{INDEX_FILE} names {len(outside):,} shards outside the model folder ({named(outside)}); "
                        "expected files in it")
    if len(missing) == 1:
        problems.append(f"{INDEX_FILE} names shard {_shown(missing[0])}, which is not in the model folder")
    elif missing:
        problems.append(f"{INDEX_FILE} names {len(missing):,} shards that are not in the model folder "
                        f"({named(missing)})")
    return problems


def named(names: list[str]) -> str:
    """The first few of ``names`` in sorted order and how many more: ``'a', 'b', 'c' and 997 more``."""
    import heapq

    shown = ", ".join(_shown(name) for name in heapq.nsmallest(MAX_NAMED, names))
    rest = len(names) - MAX_NAMED
    return shown + (f" and {rest:,} more" if rest > 0 else "")


def _shown(name: str) -> str:
    """A name from the index, quoted, and shortened: the index is untrusted and may hold anything."""
    return repr(name if len(name) <= 80 else name[:77] + "...")
