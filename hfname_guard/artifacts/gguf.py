"""Facts from a GGUF file's header: its metadata and its tensors' shapes, never the tensors.

A GGUF file (llama.cpp's format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md) is
the magic ``GGUF``, a version (2 or 3; llama.cpp reads no other), the number of tensors and of
metadata entries, the metadata (a key, a type, a value), then each tensor's name, shape, type
and offset; the tensor data follows. Everything a name check needs is in that header, which
grows with the tokenizer's vocabulary and the number of tensors, not with the weights: a 70B
model's header is a few MB whatever its size on disk.

The header is read through a budget (``MAX_HEADER_BYTES``): arrays of numbers are skipped with a
seek, arrays of strings (the tokenizer's tokens) string by string, and only scalar metadata is
kept. Every count and length is checked against what is left of the file before anything is
allocated, so a header that claims 2**63 entries is refused, not attempted. A file that is not
GGUF, is truncated, is of another version or is a git-LFS pointer gives an ``ArtifactProblem``,
as a broken safetensors file does, never an exception. Big-endian files (GGUF allows them) are
read too.
"""

from __future__ import annotations

import os
import re
import struct

from ..record import Record
from .files import LFS_SIGNATURE, is_lfs_pointer, lfs_problem, unreadable
from .problem import CORRUPT, UNAVAILABLE, ArtifactProblem

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see hfname_guard/record.py
    from typing import Any, BinaryIO

MAGIC = b"GGUF"
VERSIONS = (2, 3)
MAX_HEADER_BYTES = 256 << 20
"""Header bytes read from one file: a 256,000-token vocabulary and 10,000 tensors take about 10 MB."""
MAX_ENTRIES = 10_000_000
"""Metadata entries, tensors or array elements: more than any model has (a vocabulary is ~10**5)."""
MAX_DIMS = 8
"""Dimensions of one tensor (ggml has 4)."""
MAX_KEPT_STRING = 4096
"""Longer string values (a chat template) are skipped, not kept."""
MAX_FILES = 32
MAX_READ_ENTRIES = 100_000
"""Metadata entries, and tensors, read in one header (each costs about 1.5 microseconds): a real
file has a few dozen entries (an array is one) and a few thousand tensors at most."""
FOLDER_ENTRIES = 200_000
"""Entries and tensors read in the headers of one folder, after which its other files are not read."""
"""GGUF files read in one folder (a repository holds one per encoding, a few dozen at most)."""
CHUNK_BYTES = 1 << 20
"""What is read at a time: a header of a few MB in a few reads."""

_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
"""GGUF value types with a fixed size, by type code, as `struct` formats; 8 is a string, 9 an array."""
_STRING, _ARRAY = 8, 9

FILE_TYPES = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
    12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K",
    19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL",
    26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0",
    37: "TQ2_0", 38: "MXFP4_MOE",
}
"""``general.file_type``: llama.cpp's ``llama_ftype`` (``gguf.LlamaFileType`` without ``MOSTLY_``),
the encoding a file's name states (``Q4_K_M``)."""


SHARD = r"-(\d{5})-of-(\d{5})$"
"""llama.cpp's shard suffix (gguf-split) at the end of a file's stem: the shard's number and the count, from 1."""

PROJECTORS = frozenset(("clip",))
"""Architectures of files that sit beside a model without being it: a multimodal model's vision
projector (``mmproj-*.gguf``, ``general.architecture`` ``clip``)."""

MODEL_TYPES: dict[str, tuple[str, ...]] = {
    "llama": ("llama", "mistral", "mixtral", "ministral", "falcon", "granite", "internlm3"),
    "llama4": ("llama4",), "deci": ("deci", "nemotron-nas"), "mistral3": ("mistral3", "mistral"),
    "granite": ("granite",), "granitemoe": ("granitemoe", "granitemoeshared"),
    "qwen": ("qwen2", "qwen"), "qwen2": ("qwen2",), "qwen2moe": ("qwen2_moe", "qwen2"),
    "qwen2vl": ("qwen2_vl", "qwen2_5_vl"),
    "qwen3": ("qwen3",), "qwen3moe": ("qwen3_moe", "qwen3"), "qwen3next": ("qwen3_next", "qwen3"),
    "gemma": ("gemma",), "gemma2": ("gemma2",), "gemma3": ("gemma3", "gemma3_text"),
    "gemma3n": ("gemma3n", "gemma3n_text"), "gemma-embedding": ("gemma3_text", "gemma3"),
    "phi2": ("phi",), "phi3": ("phi3",), "phimoe": ("phimoe",),
    "gpt2": ("gpt2",), "gptj": ("gptj",), "gptneox": ("gpt_neox",), "starcoder": ("gpt_bigcode",),
    "starcoder2": ("starcoder2",), "falcon": ("falcon",), "falcon-h1": ("falcon_h1", "falcon"), "mpt": ("mpt",),
    "bloom": ("bloom",), "stablelm": ("stablelm",), "command-r": ("cohere",), "cohere2": ("cohere2", "cohere"),
    "olmo": ("olmo",), "olmo2": ("olmo2", "olmo3"), "olmoe": ("olmoe",),
    "deepseek": ("deepseek",), "deepseek2": ("deepseek_v2", "deepseek_v3"),
    "chatglm": ("chatglm", "glm"), "glm4": ("glm4", "glm"), "glm4moe": ("glm4_moe", "glm4"),
    "internlm2": ("internlm2", "internlm"), "baichuan": ("baichuan",), "exaone": ("exaone",), "exaone4": ("exaone4",),
    "nemotron": ("nemotron",), "nemotron_h": ("nemotron_h",), "minicpm": ("minicpm",), "minicpm3": ("minicpm3",),
    "mamba": ("mamba", "falcon_mamba"), "mamba2": ("mamba2",), "jamba": ("jamba",), "rwkv6": ("rwkv",),
    "bert": ("bert", "roberta", "xlm-roberta", "distilbert", "camembert"), "nomic-bert": ("nomic_bert",),
    "jina-bert-v2": ("jina_bert",), "modern-bert": ("modernbert",),
    "t5": ("t5", "mt5", "umt5"), "t5encoder": ("t5", "mt5", "umt5"),
    "gpt-oss": ("gpt_oss",), "smollm3": ("smollm3", "llama"), "ernie4_5": ("ernie4_5",),
    "ernie4_5-moe": ("ernie4_5_moe", "ernie4_5"), "lfm2": ("lfm2",), "seed_oss": ("seed_oss",),
    "apertus": ("apertus",), "arcee": ("arcee",), "dbrx": ("dbrx",), "arctic": ("arctic",), "openelm": ("openelm",),
    "chameleon": ("chameleon",), "bitnet": ("bitnet", "llama"), "dots1": ("dots1",),
    "hunyuan-dense": ("hunyuan_v1_dense",), "hunyuan-moe": ("hunyuan_v1_moe",),
}
"""``general.architecture`` -> the transformers model types whose checkpoints llama.cpp's
converter (convert_hf_to_gguf.py) writes under it, the type it stands for first. One GGUF
architecture stands for several: ``llama`` is also Mistral and Mixtral, Falcon 3, Granite's code
models and InternLM 3; ``bert`` is also RoBERTa, XLM-RoBERTa and DistilBERT; ``qwen`` is Qwen's
first models, whose custom code the Qwen2 family grew from. An architecture missing here is not
judged."""

MULTIMODAL = frozenset(("llava", "llava_next", "llava_next_video", "llava_onevision", "vipllava", "paligemma",
                        "mllama", "idefics2", "idefics3", "smolvlm", "janus", "qwen2_vl", "qwen2_5_vl", "internvl",
                        "aya_vision", "qwen2_audio", "voxtral", "chameleon"))
"""Vision- and audio-language model types whose GGUF files hold the language model alone, of
whatever architecture it has (LLaVA 1.5's is a `llama`, LLaVA-OneVision's a `qwen2`); the tower
is a projector file of its own."""


class GgufFacts(Record):
    """What one GGUF file's header says."""

    file: str
    version: int
    metadata: dict[str, Any]
    """The scalar metadata (numbers, booleans, strings of at most ``MAX_KEPT_STRING`` characters)."""
    tensors: int
    parameters: int
    """The sum of the tensors' element counts (in this file: one shard of a split model holds some)."""
    keys: frozenset[str] = frozenset()
    """Every metadata key of the header, kept in ``metadata`` or not (an array, a long string)."""
    entries: int = 0
    """The metadata entries the header lists (a key may repeat)."""

    @property
    def architecture(self) -> str | None:
        value = self.metadata.get("general.architecture")
        return value if isinstance(value, str) else None

    @property
    def file_type(self) -> str | None:
        """The encoding ``general.file_type`` names (``Q4_K_M``), or None when unset or unknown."""
        value = self.metadata.get("general.file_type")
        return FILE_TYPES.get(value) if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def continues(self) -> bool:
        """A shard after the first of a split model: llama.cpp writes the model's metadata (its
        encoding too) into the first shard alone, which stands for the set."""
        shard = self.shard
        return shard is not None and shard[0] > 1

    @property
    def shard(self) -> tuple[int, int] | None:
        """``(number, count)`` from ``split.no`` (0-based) and ``split.count``: ``(1, 3)`` for the first of three."""
        number, count = self.metadata.get("split.no"), self.metadata.get("split.count")
        if isinstance(number, int) and isinstance(count, int) and 0 <= number < count:
            return number + 1, count
        return None


def shard_in_name(file: str) -> tuple[str, re.Match[str] | None]:
    """The stem of a GGUF file's name or path (without `.gguf`), and the shard suffix it ends with (``SHARD``)."""
    stem = file[: -len(".gguf")] if file.lower().endswith(".gguf") else file
    return stem, re.search(SHARD, stem)


class GgufModel(Record):
    """A model the GGUF files of a folder hold: one file, or a set of shards all read."""

    architecture: str | None
    parameters: int | None
    """The sum of its files' tensors' element counts: the same whatever the encoding."""
    files: tuple[str, ...]


def models(found: tuple[GgufFacts, ...]) -> list[GgufModel]:
    """The models the headers ``found`` make up, each a file alone or a set of shards whose every
    shard was read; projectors (``PROJECTORS``) and incomplete sets are left out."""
    whole: list[GgufModel] = []
    sets: dict[tuple[str, int], dict[int, GgufFacts]] = {}
    for facts in found:
        if facts.architecture in PROJECTORS:
            continue
        shard = facts.shard
        if shard is None or shard[1] == 1:
            whole.append(GgufModel(facts.architecture, facts.parameters, (facts.file,)))
            continue
        stem, named = shard_in_name(facts.file)
        prefix = stem[: named.start()] if named is not None else stem
        sets.setdefault((prefix, shard[1]), {})[shard[0]] = facts
    for (_, count), shards in sorted(sets.items()):
        if len(shards) == count:
            ordered = [shards[number] for number in sorted(shards)]
            whole.append(GgufModel(ordered[0].architecture, sum(facts.parameters for facts in ordered),
                                   tuple(facts.file for facts in ordered)))
    return whole


def model_of(found: tuple[GgufFacts, ...]) -> GgufModel | None:
    """The one model a folder's GGUF files hold in their several encodings: its architecture
    where every file agrees on one, and its parameter count where every file counts the same
    (within 1%); None without a whole model."""
    held = models(found)
    if not held:
        return None
    first = held[0]
    architectures = {model.architecture for model in held}
    counts = [model.parameters or 0 for model in held]
    same_count = bool(counts[0]) and all(abs(count - counts[0]) <= counts[0] // 100 for count in counts)
    return GgufModel(first.architecture if len(architectures) == 1 else None,
                     counts[0] if same_count else None, first.files)


def read_folder(folder: str, names: list[str]) -> tuple[tuple[GgufFacts, ...], list[ArtifactProblem]]:
    """The headers of the GGUF files ``names`` of ``folder``, at most ``MAX_FILES`` of them (in
    name order), and the problems of those that cannot be read."""
    found: list[GgufFacts] = []
    problems: list[ArtifactProblem] = []
    entries = 0
    ordered = sorted(names)
    for read, name in enumerate(ordered[:MAX_FILES]):
        if entries > FOLDER_ENTRIES:
            problems.append(ArtifactProblem(folder, f"{len(ordered) - read:,} more GGUF files were not read: their "
                                                    f"headers list more than {FOLDER_ENTRIES:,} entries and tensors "
                                                    "in all", UNAVAILABLE))
            return tuple(found), problems
        facts, problem = read_gguf(os.path.join(folder, name))
        if facts is not None:
            found.append(facts)
            entries += facts.entries + facts.tensors
        if problem is not None:
            problems.append(problem)
    if len(names) > MAX_FILES:
        problems.append(ArtifactProblem(folder, f"{len(names) - MAX_FILES:,} more GGUF files were not read: a check "
                                                f"reads the headers of {MAX_FILES} a folder", UNAVAILABLE))
    return tuple(found), problems


def read_gguf(path: str) -> tuple[GgufFacts | None, ArtifactProblem | None]:
    """The header of the GGUF file at ``path``, or why it cannot be had."""
    why = unreadable(path)
    if why is not None:
        return None, ArtifactProblem(path, f"the file cannot be used: {why}")
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            return _Header(handle, path, size).read()
    except OSError as error:
        return None, ArtifactProblem(path, f"the file cannot be read: {error.strerror or error}")


class _Stop(Exception):
    def __init__(self, problem: ArtifactProblem) -> None:
        self.problem = problem


class _Header:
    """A cursor over a header, read a chunk at a time: every read is checked against the file's
    end and the budget, and what is skipped past the chunk in hand is seeked over, not read."""

    def __init__(self, handle: BinaryIO, path: str, size: int) -> None:
        self.handle, self.path, self.size = handle, path, size
        self.buffer = b""
        self.base = 0
        """The file position of ``buffer[0]``."""
        self.offset = 0
        """The cursor, in ``buffer``."""
        self.order = "<"
        self.length = struct.Struct("<Q")

    def read(self) -> tuple[GgufFacts | None, ArtifactProblem | None]:
        try:
            return self._read(), None
        except _Stop as stop:
            return None, stop.problem

    def _read(self) -> GgufFacts:
        if self.size < 4:
            self._fail("the file is empty" if self.size == 0 else f"the file is only {self.size} bytes long")
        magic = self._bytes(4)
        if magic != MAGIC:
            head = self.buffer[: len(LFS_SIGNATURE)]
            if is_lfs_pointer(head, self.size):
                raise _Stop(lfs_problem(self.path, "the weights"))
            self._fail(f"not a GGUF file: it starts with {magic!r}, not {MAGIC!r}")
        raw_version = self._bytes(4)
        version = int.from_bytes(raw_version, "little")
        if version not in VERSIONS and int.from_bytes(raw_version, "big") in VERSIONS:
            self.order, version = ">", int.from_bytes(raw_version, "big")
            self.length = struct.Struct(">Q")
        if version not in VERSIONS:
            self._fail(f"GGUF version {version} is not one llama.cpp reads ({' or '.join(map(str, VERSIONS))})")
        tensors, entries = self._number("Q"), self._number("Q")
        for count, what in ((tensors, "tensors"), (entries, "metadata entries")):
            if count > MAX_ENTRIES:
                self._fail(f"the header claims {count:,} {what}, more than {MAX_ENTRIES:,}")
            if count > MAX_READ_ENTRIES:
                raise _Stop(ArtifactProblem(self.path, f"its header lists {count:,} {what}; a check reads "
                                                       f"headers of at most {MAX_READ_ENTRIES:,}", UNAVAILABLE))
        metadata: dict[str, Any] = {}
        keys: set[str] = set()
        for _ in range(entries):
            key = self._string()
            keys.add(key)
            value = self._value(self._number("I"), keep=True)
            if value is not None:
                metadata[key] = value
        parameters = 0
        for _ in range(tensors):
            name = self._string()
            dims = self._number("I")
            if dims > MAX_DIMS:
                self._fail(f"tensor `{name[:80]}` has {dims} dimensions; ggml has at most 4")
            count = 1
            for _ in range(dims):
                count *= self._number("Q")
            self._bytes(4 + 8)  # its type and offset
            parameters += count
        return GgufFacts(self.path, version, metadata, tensors, parameters, frozenset(keys), entries)

    def _value(self, kind: int, keep: bool) -> Any:
        if kind in _SCALARS:
            return self._number(_SCALARS[kind])
        if kind == _STRING:
            length = self._number("Q")
            if keep and length <= MAX_KEPT_STRING:
                return self._bytes(length).decode("utf-8", "replace")
            self._skip(length)
            return None
        if kind == _ARRAY:
            element, count = self._number("I"), self._number("Q")
            if count > MAX_ENTRIES:
                self._fail(f"an array claims {count:,} elements, more than {MAX_ENTRIES:,}")
            if element in _SCALARS:
                self._skip(count * struct.calcsize(_SCALARS[element]))
            elif element == _STRING:
                self._skip_strings(count)
            else:
                for _ in range(count):
                    self._value(element, keep=False)
            return None
        self._fail(f"a metadata value has type {kind}, which GGUF does not define")

    def _skip_strings(self, count: int) -> None:
        """``count`` strings (a vocabulary of 10**5), walked through the chunk in hand a length at a time."""
        unpack = self.length.unpack_from
        while count:
            buffer, offset, end = self.buffer, self.offset, len(self.buffer)
            while count and offset + 8 <= end:
                following = offset + 8 + unpack(buffer, offset)[0]
                if following > end:
                    break
                offset, count = following, count - 1
            self.offset = offset
            if count:  # a string past the chunk: read its length, skip it, go on in the next chunk
                self._skip(self._number("Q"))
                count -= 1

    def _number(self, form: str) -> int:
        layout = self.order + form
        value: int = struct.unpack(layout, self._bytes(struct.calcsize(layout)))[0]
        return value

    def _string(self) -> str:
        return self._bytes(self._number("Q")).decode("utf-8", "replace")

    def _bytes(self, count: int) -> bytes:
        self._need(count)
        data = self.buffer[self.offset : self.offset + count]
        self.offset += count
        return data

    def _need(self, count: int) -> None:
        """``count`` bytes from the cursor in the chunk in hand, reading the next chunk if need be."""
        if self.offset + count <= len(self.buffer):
            return
        self._reserve(count)
        start = self.base + self.offset
        more = self.handle.read(max(CHUNK_BYTES, count - (len(self.buffer) - self.offset)))
        self.buffer, self.base, self.offset = self.buffer[self.offset :] + more, start, 0
        if len(self.buffer) < count:
            self._fail("the file ended inside its header (truncated?)")

    def _skip(self, count: int) -> None:
        if self.offset + count <= len(self.buffer):
            self.offset += count
            return
        self._reserve(count)
        position = self.base + self.offset + count
        self.handle.seek(position)
        self.buffer, self.base, self.offset = b"", position, 0

    def _reserve(self, count: int) -> None:
        end = self.base + self.offset + count
        if end > self.size:
            self._fail("the file ended inside its header (truncated?)")
        if end > MAX_HEADER_BYTES:
            raise _Stop(ArtifactProblem(self.path, f"its header is longer than {MAX_HEADER_BYTES:,} bytes and was not "
                                                   "read to its end", UNAVAILABLE))

    def _fail(self, message: str) -> Any:
        raise _Stop(ArtifactProblem(self.path, message, CORRUPT))
