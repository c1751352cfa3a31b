"""Facts from safetensors headers: the 8-byte length and the JSON header, never the tensors.

A safetensors file is an 8-byte little-endian header length N, N bytes of JSON
(``{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}``), then
the tensor bytes. Shapes and dtypes are all a name check needs, so reading costs the same for a
100 MB and a 100 GB model: two reads, 8 + N bytes, whatever the size of the data behind them.
The file is opened unbuffered, so not even a read-ahead touches the tensor bytes.

N is checked against the file's size before anything is allocated (a header claiming 2**63
bytes is refused, not attempted) and against the safetensors library's own 100,000,000-byte
limit. Tensors must lie inside the data region without overlapping; a header that breaks that is
reported as corrupt rather than counted.

Which files: ``model.safetensors``, else the shards named by ``model.safetensors.index.json``
(``weight_map``), which is the order huggingface_hub and transformers look in; else every
``*.safetensors`` file in the folder (``adapter_model.safetensors`` of a PEFT adapter, shards
saved without an index). Parameters are counted as huggingface_hub's
``get_local_safetensors_metadata(...).parameter_count`` counts them: per dtype, the product of
each tensor's shape (1 for a scalar), over every tensor of every file read. When any file gives
a problem there are no facts: a count from some of the shards would understate the model.
"""

from __future__ import annotations

import math
import os

from ..record import Record
from .files import LFS_SIGNATURE, is_lfs_pointer, lfs_problem, unreadable
from .jsonfile import json_type, read_json_object
from .problem import ArtifactProblem

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see hfname_guard/record.py
    from typing import Any

SINGLE_FILE = "model.safetensors"
INDEX_FILE = "model.safetensors.index.json"
EXTENSION = ".safetensors"
LENGTH_BYTES = 8
MAX_HEADER_BYTES = 100_000_000  # the safetensors library's limit (huggingface_hub stops at 25,000,000)
MAX_INDEX_BYTES = 100_000_000  # an index lists the same tensors as the headers: the same bound


class WeightsFacts(Record):
    """What the safetensors headers of a model folder say, all files together."""

    files: tuple[str, ...]
    parameters: dict[str, int]
    total: int
    tensors: dict[str, tuple[int, ...]]
    metadata: dict[str, str]


class Header(Record):
    """One file's header: each tensor's dtype and shape, and its ``__metadata__``."""

    tensors: dict[str, tuple[str, tuple[int, ...]]]
    metadata: dict[str, str]


def read_weights(folder: str) -> tuple[WeightsFacts | None, list[ArtifactProblem]]:
    """The facts of the folder's safetensors files; ``(None, [])`` when it has none."""
    files, problems = _weight_files(folder)
    headers = []
    for path in files:
        header, problem = read_header(path)
        if problem is not None:
            problems.append(problem)
        elif header is not None:
            headers.append(header)
    if problems or not headers:
        return None, problems
    parameters: dict[str, int] = {}
    tensors: dict[str, tuple[int, ...]] = {}
    for header in headers:
        for name, (dtype, shape) in header.tensors.items():
            parameters[dtype] = parameters.get(dtype, 0) + math.prod(shape)
            tensors[name] = shape
    facts = WeightsFacts(tuple(files), parameters, sum(parameters.values()), tensors, headers[0].metadata)
    return facts, []


def _weight_files(folder: str) -> tuple[list[str], list[ArtifactProblem]]:
    single = os.path.join(folder, SINGLE_FILE)
    if os.path.lexists(single):  # lexists: a dangling or looping link is a problem to report, not an absence
        return [single], []
    index = os.path.join(folder, INDEX_FILE)
    if os.path.lexists(index):
        return _shards(folder, index)
    try:
        names = sorted(name for name in os.listdir(folder) if name.endswith(EXTENSION))
    except OSError:  # not a folder, or not one we may list: nothing to read
        return [], []
    return [os.path.join(folder, name) for name in names], []


def _shards(folder: str, index: str) -> tuple[list[str], list[ArtifactProblem]]:
    """The shard files named by the index, each once, each checked to lie inside the folder."""
    data, problems = read_json_object(index, MAX_INDEX_BYTES)
    if data is None:
        return [], problems
    weight_map = data.get("weight_map")
    expected = (
        'expected an object mapping each tensor name to its shard, such as {"lm_head.weight": '
        '"model-00002-of-00002.safetensors"}'
    )
    if not isinstance(weight_map, dict) or not weight_map:
        if weight_map is None:
            found = "no `weight_map`"
        else:
            found = "an empty `weight_map`" if weight_map == {} else f"a `weight_map` that is {json_type(weight_map)}"
        return [], [ArtifactProblem(index, f"{INDEX_FILE} has {found}; {expected}")]
    root = os.path.abspath(folder)
    files: set[str] = set()
    for tensor, shard in weight_map.items():
        if not isinstance(shard, str) or not shard:
            message = f"{INDEX_FILE} maps tensor {tensor!r} to {json_type(shard)}; expected a shard file name"
            return [], [ArtifactProblem(index, message)]
        files.add(shard)
    for shard in sorted(files):
        path = os.path.abspath(os.path.join(root, shard))  # lexical: a link into a cache's blobs is fine
        if "\0" in shard or os.path.commonpath([root, path]) != root:
            problems.append(ArtifactProblem(
                index, f"{INDEX_FILE} names shard {shard!r}, which is outside the model folder; expected a file in it"
            ))
        elif not os.path.lexists(path):
            problems.append(ArtifactProblem(
                index, f"{INDEX_FILE} names shard {shard!r}, which is not in the model folder"
            ))
    if problems:
        return [], problems
    return sorted({os.path.join(folder, os.path.normpath(shard)) for shard in files}), []


def read_header(path: str) -> tuple[Header | None, ArtifactProblem | None]:
    """The header of one safetensors file, read with two reads of 8 and N bytes; or why not."""
    def corrupt(message: str) -> tuple[None, ArtifactProblem]:
        return None, ArtifactProblem(path, message)

    why = unreadable(path)
    if why is not None:
        return corrupt(f"the file cannot be used: {why}")
    try:
        with open(path, "rb", buffering=0) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < LENGTH_BYTES:
                what = "the file is empty" if size == 0 else f"the file is only {size} bytes long"
                return corrupt(f"{what}; a safetensors file starts with an {LENGTH_BYTES}-byte header length")
            head = _read_exactly(handle, LENGTH_BYTES)
            length = int.from_bytes(head, "little")
            if length > size - LENGTH_BYTES:
                if head == LFS_SIGNATURE[:LENGTH_BYTES]:  # "version " read as a length is about 2.3e18
                    head += _read_exactly(handle, len(LFS_SIGNATURE) - LENGTH_BYTES)
                    if is_lfs_pointer(head, size):
                        return None, lfs_problem(path, "the weights")
                return corrupt(f"header length {length:,} bytes is past the end of the {size:,}-byte file")
            if length > MAX_HEADER_BYTES:
                limit = f"the safetensors limit of {MAX_HEADER_BYTES:,} bytes"
                return corrupt(f"header length {length:,} bytes is above {limit}")
            raw = _read_exactly(handle, length)
    except OSError as error:
        return corrupt(f"the file cannot be read: {error.strerror or error}")
    if len(raw) < length:
        return corrupt(f"the file ended after {len(raw):,} of the {length:,} header bytes (it shrank while being read)")
    header, message = parse_header(raw, size - LENGTH_BYTES - length)
    return (header, None) if message is None else corrupt(message)


def _read_exactly(handle: Any, count: int) -> bytes:
    """Up to ``count`` bytes: an unbuffered read may return fewer than asked, so ask again."""
    chunks = []
    while count > 0:
        chunk = handle.read(count)
        if not chunk:
            break
        chunks.append(chunk)
        count -= len(chunk)
    return b"".join(chunks)


def parse_header(raw: bytes, data_size: int) -> tuple[Header | None, str | None]:
    """The header in ``raw`` (the N bytes after the length), checked against a data region of
    ``data_size`` bytes; or None and what is wrong with it."""
    if raw[:1] != b"{":
        start = "it is empty (length 0)" if not raw else f"it starts with {raw[:16]!r}"
        return None, f"the header does not start with `{{` ({start}); expected a JSON object"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        offset = LENGTH_BYTES + error.start
        return None, f"the header is not UTF-8 text (byte {raw[error.start]:#04x} at offset {offset:,}); expected JSON"
    import json

    try:
        header = json.loads(text)
    except json.JSONDecodeError as error:
        return None, f"the header is not valid JSON: {error.msg} at offset {LENGTH_BYTES + error.pos:,}"
    except RecursionError:
        return None, "the header nests its JSON too deeply to be read; expected an object of tensors"
    metadata = header.pop("__metadata__", None)
    metadata = {} if metadata is None else metadata
    if not isinstance(metadata, dict) or not all(isinstance(value, str) for value in metadata.values()):
        expected = 'an object of strings such as {"format": "pt"}'
        return None, f"`__metadata__` is {_describe(metadata)}; expected {expected}"
    tensors: dict[str, tuple[str, tuple[int, ...]]] = {}
    spans: list[tuple[int, int, str]] = []
    for tensor, entry in header.items():
        problem = _entry_problem(entry, data_size)
        if problem is not None:
            return None, f"tensor {tensor!r} {problem}"
        tensors[tensor] = (entry["dtype"], tuple(entry["shape"]))
        begin, end = entry["data_offsets"]
        if begin < end:  # an empty tensor takes no bytes, so it cannot overlap another
            spans.append((begin, end, tensor))
    spans.sort()
    for (begin, end, tensor), (next_begin, next_end, next_tensor) in zip(spans, spans[1:]):
        if next_begin < end:
            return None, (
                f"tensors {tensor!r} (bytes {begin:,} to {end:,}) and {next_tensor!r} (bytes {next_begin:,} to "
                f"{next_end:,}) overlap; expected each tensor to have bytes of its own"
            )
    return Header(tensors, metadata), None


def _entry_problem(entry: object, data_size: int) -> str | None:
    if not isinstance(entry, dict):
        return f"is {_describe(entry)}; expected an object with `dtype`, `shape` and `data_offsets`"
    dtype, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
    if not isinstance(dtype, str):
        return f"has `dtype` {_describe(dtype)}; expected a string such as \"F32\""
    if not _naturals(shape):
        return f"has `shape` {_describe(shape)}; expected an array of non-negative integers"
    if not isinstance(offsets, list) or not _naturals(offsets) or len(offsets) != 2:
        return f"has `data_offsets` {_describe(offsets)}; expected [begin, end], two non-negative integers"
    begin, end = offsets
    if begin > end:
        return f"has `data_offsets` [{begin:,}, {end:,}], which end before they begin"
    if end > data_size:
        return f"has `data_offsets` [{begin:,}, {end:,}], past the end of the {data_size:,}-byte data region"
    return None


def _naturals(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, int) and not isinstance(item, bool) and item >= 0 for item in value
    )


def _describe(value: object) -> str:
    """A value as a message shows it: arrays and objects as (shortened) JSON, others by type."""
    if not isinstance(value, (list, dict)):
        return json_type(value)
    import json

    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."
