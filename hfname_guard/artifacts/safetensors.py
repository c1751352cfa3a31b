"""Facts from safetensors headers: the 8-byte length and the JSON header, never the tensors.

A safetensors file is an 8-byte little-endian header length N, N bytes of JSON
(``{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}``), then
the tensor bytes. Shapes and dtypes are all a name check needs, so reading costs the same for a
100 MB and a 100 GB model: two reads, 8 + N bytes, whatever the size of the data behind them.
The file is opened unbuffered, so not even a read-ahead touches the tensor bytes.

N is checked against the file's size before anything is allocated (a header claiming 2**63
bytes is refused, not attempted) and against the safetensors library's own 100,000,000-byte
limit. Tensors must lie inside the data region without overlapping, and each must take the bytes
its shape and dtype need, as the safetensors library checks when it loads the file; a header
that breaks that is reported as corrupt rather than counted. A shape's product is never
computed past the bytes it must fit in, so a shape of a thousand huge numbers costs nothing.

Which files: see ``shards``. Parameters are counted as huggingface_hub's
``get_local_safetensors_metadata(...).parameter_count`` counts them: per dtype, the product of
each tensor's shape (1 for a scalar), over every tensor of every file read, each file once
however many names (hard or symbolic links) lead to it. When any file gives a problem there are
no facts: a count from some of the shards would understate the model.

One check reads each file's header once, whatever the number of folders and names that lead to
it, and all headers together up to ``MAX_RUN_HEADER_BYTES`` (``HeaderReads``): a run over many
models, or over a folder of links to one huge header, costs a bounded number of bytes.
"""

from __future__ import annotations

import math
import os

from ..record import Record
from .files import LFS_SIGNATURE, is_lfs_pointer, lfs_problem, unreadable
from .jsonfile import json_type, refused_number
from .problem import CORRUPT, UNAVAILABLE, ArtifactProblem
from .shards import MAX_NAMED, named, weight_files

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see hfname_guard/record.py
    from typing import Any, TypeGuard

LENGTH_BYTES = 8
MAX_HEADER_BYTES = 100_000_000  # the safetensors library's limit (huggingface_hub stops at 25,000,000)
MAX_RUN_HEADER_BYTES = 256 << 20
"""Header bytes one check reads in all. A header takes about 150 bytes a tensor, so even a model
of 100,000 tensors (hundreds of experts in each of its layers) reads some 15 MB; links to 100 MB
headers would cost far more."""
DTYPE_BITS = {
    "BOOL": 8, "U8": 8, "I8": 8, "F8_E5M2": 8, "F8_E4M3": 8, "F8_E8M0": 8, "F8_E4M3FNUZ": 8, "F8_E5M2FNUZ": 8,
    "F4": 4, "F6_E2M3": 6, "F6_E3M2": 6, "I16": 16, "U16": 16, "F16": 16, "BF16": 16,
    "I32": 32, "U32": 32, "F32": 32, "I64": 64, "U64": 64, "F64": 64, "C64": 64,
}
"""Bits of one element of each dtype the safetensors library knows (``Dtype::bitsize``). A
dtype it does not know yet is not refused; its tensor must only fit its bytes at one bit each."""


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


class HeaderReads:
    """The headers one check has read, by file identity, and the header bytes it may still read.

    A file is known by device, inode, size and modification time: the same file through another
    folder, name, hard or symbolic link is not read again, and an inode that a deleted file's
    successor reuses is a new file. Only headers that were read whole and parsed are kept, so the
    cache holds at most the budget's worth; a file with a problem is read again for each name, and
    each time its problem names that name."""

    def __init__(self, budget: int = MAX_RUN_HEADER_BYTES) -> None:
        self.budget = budget
        self.left = budget
        self.headers: dict[tuple[int, int, int, int], Header] = {}


def read_weights(folder: str, reads: HeaderReads | None = None) -> tuple[WeightsFacts | None, list[ArtifactProblem]]:
    """The facts of the folder's safetensors files; ``(None, [])`` when it has none. ``reads``
    is the check's, shared by its folders; without it this call reads on its own budget."""
    reads = reads if reads is not None else HeaderReads()
    files, index, problems = weight_files(folder)
    read: list[tuple[str, Header]] = []
    seen: set[int] = set()  # the headers in ``read``, which keeps them alive: their ids stay theirs
    failures: list[ArtifactProblem] = []
    for path in files:
        header, problem = read_header(path, reads)
        if problem is not None:
            failures.append(problem)
        elif header is not None and id(header) not in seen:  # another name of a file read: no more parameters
            seen.add(id(header))
            read.append((path, header))
    problems += _few(failures, index or folder)
    if problems or not read:
        return None, problems
    parameters: dict[str, int] = {}
    tensors: dict[str, tuple[int, ...]] = {}
    for _, header in read:
        for name, (dtype, shape) in header.tensors.items():
            parameters[dtype] = parameters.get(dtype, 0) + math.prod(shape)
            tensors[name] = shape
    facts = WeightsFacts(tuple(path for path, _ in read), parameters, sum(parameters.values()), tensors,
                         read[0][1].metadata)
    return facts, []


def _few(problems: list[ArtifactProblem], where: str) -> list[ArtifactProblem]:
    """The first ``MAX_NAMED`` problems of each kind as they are, the rest of that kind as one
    that counts them: a folder of a thousand git-LFS pointers gives four findings, not a thousand."""
    kept: list[ArtifactProblem] = []
    for kind, state in ((CORRUPT, "corrupt"), (UNAVAILABLE, "unavailable (git-LFS pointers, or not read)")):
        of_kind = [problem for problem in problems if problem.kind == kind]
        kept += of_kind[:MAX_NAMED]
        rest = [os.path.basename(problem.file) for problem in of_kind[MAX_NAMED:]]
        if rest:
            kept.append(ArtifactProblem(where, f"{len(rest):,} more safetensors files are {state} too: {named(rest)}",
                                        kind))
    return kept


def read_header(path: str, reads: HeaderReads | None = None) -> tuple[Header | None, ArtifactProblem | None]:
    """The header of one safetensors file, read with two reads of 8 and N bytes, or none at all
    when ``reads`` holds it already; or why not."""
    why = unreadable(path)
    if why is not None:
        return None, ArtifactProblem(path, f"the file cannot be used: {why}")
    reads = reads if reads is not None else HeaderReads()
    try:
        with open(path, "rb", buffering=0) as handle:
            info = os.fstat(handle.fileno())
            identity = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
            if identity in reads.headers:
                return reads.headers[identity], None
            header, problem = _read(handle, path, info.st_size, reads)
    except OSError as error:
        return None, ArtifactProblem(path, f"the file cannot be read: {error.strerror or error}")
    if header is not None:
        reads.headers[identity] = header
    return header, problem


def _read(handle: Any, path: str, size: int, reads: HeaderReads) -> tuple[Header | None, ArtifactProblem | None]:
    def corrupt(message: str) -> tuple[None, ArtifactProblem]:
        return None, ArtifactProblem(path, message)

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
        return corrupt(f"header length {length:,} bytes is above the safetensors limit of {MAX_HEADER_BYTES:,} bytes")
    if LENGTH_BYTES + length > reads.left:  # the file may well be sound: its facts are unknown, not wrong
        return None, ArtifactProblem(path, (
            f"its {length:,}-byte header was not read: this check has read {reads.budget - reads.left:,} bytes of "
            f"safetensors headers, and reads at most {reads.budget:,} (check fewer models at a time to read it)"
        ), UNAVAILABLE)
    reads.left -= LENGTH_BYTES + length
    raw = _read_exactly(handle, length)
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
    except ValueError:  # not a syntax error: an integer longer than Python's int() reads
        what, at = refused_number(text)
        where = "" if at is None else f" at offset {LENGTH_BYTES + at:,}"
        return None, f"the header {what}{where}; expected a number of ordinary size"
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
    return _size_problem(dtype, shape, end - begin)


def _size_problem(dtype: str, shape: list[int], size: int) -> str | None:
    """Whether the tensor's elements take exactly its ``size`` bytes, as the safetensors library
    requires. The product of the shape stops once past what ``size`` bytes could hold at one bit
    each, so a shape of a thousand huge numbers costs no more than a short one."""
    bits = DTYPE_BITS.get(dtype)
    elements = _elements(shape, 8 * size)
    if elements is None:
        return f"has `shape` {_describe(shape)}, more elements than its {size:,} bytes of `data_offsets` can hold"
    if bits is not None and elements * bits != 8 * size:
        need = f"{elements * bits // 8:,} bytes" if elements * bits % 8 == 0 else f"{elements * bits:,} bits"
        return (f"has `shape` {_describe(shape)} of {dtype}, which takes {need}, but `data_offsets` span "
                f"{size:,} bytes; expected the two to agree")
    return None


def _elements(shape: list[int], most: int) -> int | None:
    """The product of ``shape``, or None when it is above ``most``."""
    if 0 in shape:
        return 0
    product = 1
    for dimension in shape:
        product *= dimension
        if product > most:
            break
    return product if product <= most else None


def _naturals(value: object) -> TypeGuard[list[int]]:
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
