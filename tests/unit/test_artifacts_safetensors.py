"""hfname_guard.artifacts.safetensors against huggingface_hub's own reader, and against bad files.

huggingface_hub's ``get_local_safetensors_metadata`` (the local counterpart of
``get_safetensors_metadata``) reads the same headers and counts parameters per dtype; every
well-formed folder here is read by both and must give the same counts. The real file is the
header of all-MiniLM-L6-v2 (tests/fixtures/README.md) written before a sparse data region of the
real size, so the test folder has the real file's layout and costs 12 KB of disk.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # before huggingface_hub is imported: no network

import json
import string
from collections.abc import Callable
from pathlib import Path

import pytest
from huggingface_hub import get_local_safetensors_metadata
from hypothesis import given, settings
from hypothesis import strategies as st

from hfname_guard.artifacts.problem import CORRUPT, UNAVAILABLE, ArtifactProblem
from hfname_guard.artifacts.safetensors import MAX_HEADER_BYTES, WeightsFacts, parse_header, read_weights

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "all-MiniLM-L6-v2"
MINILM_HEADER = (FIXTURE / "model.safetensors.header.json").read_bytes()
MINILM_SIZE = json.loads((FIXTURE / "model.safetensors.size.json").read_text(encoding="utf-8"))["size_bytes"]
LFS_POINTER = (
    b"version https://git-lfs.github.com/spec/v1\n"
    b"oid sha256:53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db\n"
    b"size 90868376\n"
)
DTYPE_BYTES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


# --- building files ---------------------------------------------------------------------------


def write_safetensors(path: Path, header: bytes | dict, length: int | None = None, size: int | None = None) -> Path:
    """A safetensors file: ``length`` (default: the header's) as 8 bytes, the header, then a
    sparse data region up to ``size`` bytes in all (default: the end of the last tensor)."""
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    if size is None:
        tensors = json.loads(raw) if isinstance(header, bytes) else header
        ends = [entry["data_offsets"][1] for name, entry in tensors.items() if name != "__metadata__"]
        size = 8 + len(raw) + max(ends, default=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write((len(raw) if length is None else length).to_bytes(8, "little"))
        handle.write(raw)
        handle.truncate(size)
    return path


def header_for(tensors: list[tuple[str, str, list[int]]], metadata: dict | None = None) -> dict:
    """A consistent header: each tensor's bytes right after the previous one's."""
    header: dict = {} if metadata is None else {"__metadata__": metadata}
    offset = 0
    for name, dtype, shape in tensors:
        count = 1
        for dim in shape:
            count *= dim
        end = offset + count * DTYPE_BYTES[dtype]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, end]}
        offset = end
    return header


def hub_counts(folder: Path) -> dict[str, int]:
    return get_local_safetensors_metadata(folder).parameter_count


def only_problem(folder: Path) -> ArtifactProblem:
    facts, problems = read_weights(str(folder))
    assert facts is None
    assert len(problems) == 1, problems
    return problems[0]


def bytes_read_by(action: Callable[[], object]) -> int:
    """Bytes this process read (``rchar`` of /proc/self/io) while ``action`` ran."""

    def rchar() -> tuple[int, int]:
        with open("/proc/self/io", "rb", buffering=0) as handle:
            data = handle.read(4096)
        return int(data.split(b"rchar: ")[1].split(b"\n")[0]), len(data)

    before, own_read = rchar()  # rchar counts a read once it is done: the next sample includes this one
    action()
    after, _ = rchar()
    return after - before - own_read


@pytest.fixture
def minilm(tmp_path: Path) -> Path:
    """The all-MiniLM-L6-v2 folder: the real header before a sparse data region of the real size."""
    folder = tmp_path / "all-MiniLM-L6-v2"
    write_safetensors(folder / "model.safetensors", MINILM_HEADER, size=MINILM_SIZE)
    return folder


# --- the real model ---------------------------------------------------------------------------


def test_the_real_header_gives_the_real_counts(minilm: Path) -> None:
    path = minilm / "model.safetensors"
    assert path.stat().st_size == MINILM_SIZE == 90_868_376
    assert path.stat().st_blocks * 512 < 1_000_000, "the data region must be sparse"

    facts, problems = read_weights(str(minilm))

    assert problems == []
    assert facts is not None
    assert facts.files == (str(path),)
    assert facts.parameters == {"F32": 22_713_216, "I64": 512}
    assert facts.total == 22_713_728
    assert len(facts.tensors) == 104
    assert facts.tensors["embeddings.word_embeddings.weight"] == (30522, 384)
    assert facts.tensors["encoder.layer.5.output.dense.weight"] == (384, 1536)
    assert facts.metadata == {"format": "pt"}
    assert facts.parameters == hub_counts(minilm)


@pytest.mark.skipif(not os.path.exists("/proc/self/io"), reason="needs Linux's per-process I/O counters")
def test_only_the_length_and_the_header_are_read(minilm: Path, tmp_path: Path) -> None:
    read_weights(str(minilm))  # warm: json imported, nothing else left to load
    assert bytes_read_by(lambda: read_weights(str(minilm))) == 8 + 11_408

    huge = tmp_path / "huge"  # the same header before 1 TiB of data: still 8 + N bytes read
    write_safetensors(huge / "model.safetensors", MINILM_HEADER, size=1 << 40)
    assert bytes_read_by(lambda: read_weights(str(huge))) == 8 + 11_408


@pytest.mark.skipif(not os.path.exists("/proc/self/io"), reason="needs Linux's per-process I/O counters")
def test_a_header_claiming_2_to_the_63_bytes_is_refused_unread(tmp_path: Path) -> None:
    write_safetensors(tmp_path / "model.safetensors", b"{}", length=(1 << 63) - 1, size=1024)
    read = bytes_read_by(lambda: read_weights(str(tmp_path)))
    problem = only_problem(tmp_path)
    assert read == 8
    assert problem.kind == CORRUPT
    assert problem.message == (
        "header length 9,223,372,036,854,775,807 bytes is past the end of the 1,024-byte file"
    )


# --- sharded models ---------------------------------------------------------------------------


def shard_minilm(folder: Path, shards: int = 3, index: dict | None = None) -> dict:
    """all-MiniLM-L6-v2's tensors split over ``shards`` files with an index, as transformers saves them."""
    header = json.loads(MINILM_HEADER)
    header.pop("__metadata__")
    names = sorted(header)
    weight_map = {}
    for number in range(shards):
        shard = f"model-{number + 1:05d}-of-{shards:05d}.safetensors"
        part = [(name, header[name]["dtype"], header[name]["shape"]) for name in names[number::shards]]
        write_safetensors(folder / shard, header_for(part, {"format": "pt"}))
        weight_map.update({name: shard for name, _, _ in part})
    index = {"metadata": {"total_size": 90_856_960}, "weight_map": weight_map} if index is None else index
    (folder / "model.safetensors.index.json").write_text(json.dumps(index), encoding="utf-8")
    return weight_map


def test_a_sharded_model_is_read_through_its_index(tmp_path: Path) -> None:
    shard_minilm(tmp_path)

    facts, problems = read_weights(str(tmp_path))

    assert problems == []
    assert facts is not None
    assert facts.files == tuple(str(tmp_path / f"model-0000{n}-of-00003.safetensors") for n in (1, 2, 3))
    assert facts.parameters == {"F32": 22_713_216, "I64": 512} == hub_counts(tmp_path)
    assert len(facts.tensors) == 104
    assert facts.metadata == {"format": "pt"}


def test_a_single_file_wins_over_an_index_as_in_huggingface_hub(minilm: Path) -> None:
    (minilm / "model.safetensors.index.json").write_text('{"weight_map": {"x": "gone.safetensors"}}', encoding="utf-8")
    facts, problems = read_weights(str(minilm))
    assert problems == []
    assert facts is not None and facts.parameters == hub_counts(minilm)


def test_shards_may_be_links_into_a_cache_and_paths_inside_the_folder(tmp_path: Path) -> None:
    """The Hub cache keeps files in ``blobs/`` and links them from ``snapshots/<rev>/``."""
    blobs, snapshot = tmp_path / "blobs", tmp_path / "snapshots" / "abc"
    write_safetensors(blobs / "1234", header_for([("a", "F16", [2, 3])]))
    write_safetensors(snapshot / "weights" / "part.safetensors", header_for([("b", "F32", [4])]))
    snapshot.joinpath("model-1.safetensors").symlink_to(blobs / "1234")
    weight_map = {"a": "model-1.safetensors", "b": str(snapshot / "weights" / "./part.safetensors")}
    (snapshot / "model.safetensors.index.json").write_text(json.dumps({"weight_map": weight_map}), encoding="utf-8")

    facts, problems = read_weights(str(snapshot))

    assert problems == []
    assert facts is not None
    assert facts.parameters == {"F16": 6, "F32": 4} == hub_counts(snapshot)
    assert facts.files == (str(snapshot / "model-1.safetensors"), str(snapshot / "weights" / "part.safetensors"))


@pytest.mark.parametrize(
    ("shard", "message"),
    [
        ("model-00002-of-00002.safetensors", "names shard 'model-00002-of-00002.safetensors', which is not in the model folder"),
        ("../outside.safetensors", "names shard '../outside.safetensors', which is outside the model folder; expected a file in it"),
        ("sub/../../outside.safetensors", "which is outside the model folder"),
        ("/etc/passwd", "names shard '/etc/passwd', which is outside the model folder"),
        ("a\0b.safetensors", "which is outside the model folder"),
    ],
)
def test_an_index_naming_a_shard_that_is_missing_or_outside_is_corrupt(tmp_path: Path, shard: str, message: str) -> None:
    folder = tmp_path / "model"
    write_safetensors(tmp_path / "outside.safetensors", header_for([("x", "F32", [1])]))
    write_safetensors(folder / "model-00001-of-00002.safetensors", header_for([("a", "F32", [1])]))
    index = {"weight_map": {"a": "model-00001-of-00002.safetensors", "b": shard}}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index), encoding="utf-8")

    problem = only_problem(folder)

    assert problem.file == str(folder / "model.safetensors.index.json")
    assert problem.kind == CORRUPT
    assert message in problem.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "model.safetensors.index.json is empty; expected a JSON object"),
        (b'{"weight_map": {"a": "model-1.safe', "model.safetensors.index.json ends in the middle of its JSON: the file is cut short"),
        (b"weight_map: {}", "model.safetensors.index.json is not valid JSON: Expecting value"),
        (b'["model-1.safetensors"]', "model.safetensors.index.json holds an array; expected a JSON object"),
        (b'{"metadata": {}}', "model.safetensors.index.json has no `weight_map`; expected an object mapping each tensor"),
        (b'{"weight_map": {}}', "model.safetensors.index.json has an empty `weight_map`; expected an object"),
        (b'{"weight_map": ["a"]}', "has a `weight_map` that is an array; expected an object mapping"),
        (b'{"weight_map": {"a": 1}}', "model.safetensors.index.json maps tensor 'a' to a number (1); expected a shard file name"),
        (LFS_POINTER, "model.safetensors.index.json is a git-LFS pointer, not the file itself"),
    ],
)
def test_a_broken_index_is_a_clear_problem(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "model.safetensors.index.json").write_bytes(content)
    problem = only_problem(tmp_path)
    assert problem.file == str(tmp_path / "model.safetensors.index.json")
    assert message in problem.message
    assert problem.kind == (UNAVAILABLE if content == LFS_POINTER else CORRUPT)


def test_a_problem_in_one_shard_gives_no_counts_at_all(tmp_path: Path) -> None:
    shard_minilm(tmp_path)
    (tmp_path / "model-00002-of-00003.safetensors").write_bytes(LFS_POINTER)
    facts, problems = read_weights(str(tmp_path))
    assert facts is None
    assert [(Path(p.file).name, p.kind) for p in problems] == [("model-00002-of-00003.safetensors", UNAVAILABLE)]


# --- which files ------------------------------------------------------------------------------


def test_a_folder_without_safetensors_has_no_facts_and_no_problems(tmp_path: Path) -> None:
    (tmp_path / "pytorch_model.bin").write_bytes(b"\0" * 16)
    assert read_weights(str(tmp_path)) == (None, [])
    assert read_weights(str(tmp_path / "missing")) == (None, [])
    assert read_weights(str(tmp_path / "pytorch_model.bin")) == (None, [])


def test_without_model_safetensors_every_safetensors_file_is_read(tmp_path: Path) -> None:
    """A PEFT adapter's ``adapter_model.safetensors``, or shards saved without their index."""
    write_safetensors(tmp_path / "adapter_model.safetensors", header_for([("lora_A.weight", "F32", [8, 64])]))
    write_safetensors(tmp_path / "extra.safetensors", header_for([("lora_B.weight", "BF16", [64, 8])]))
    facts, problems = read_weights(str(tmp_path))
    assert problems == []
    assert facts == WeightsFacts(
        files=(str(tmp_path / "adapter_model.safetensors"), str(tmp_path / "extra.safetensors")),
        parameters={"F32": 512, "BF16": 512},
        total=1024,
        tensors={"lora_A.weight": (8, 64), "lora_B.weight": (64, 8)},
        metadata={},
    )


# --- broken files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty; a safetensors file starts with an 8-byte header length"),
        (b"\x10\0\0\0\0\0\0", "the file is only 7 bytes long; a safetensors file starts with an 8-byte"),
        (b"\0" * 8, "the header does not start with `{` (it is empty (length 0)); expected a JSON object"),
        ((2).to_bytes(8, "little"), "header length 2 bytes is past the end of the 8-byte file"),
        ((5).to_bytes(8, "little") + b"[1,2]", "the header does not start with `{` (it starts with b'[1,2]'); expected a JSON object"),
        ((4).to_bytes(8, "little") + b' {} ', "the header does not start with `{` (it starts with b' {} ')"),
        ((6).to_bytes(8, "little") + b'{"a":}', "the header is not valid JSON: Expecting value at offset 13"),
        ((3).to_bytes(8, "little") + b'{\xff}', "the header is not UTF-8 text (byte 0xff at offset 9); expected JSON"),
        ((40_006).to_bytes(8, "little") + b'{"a":' + b"[" * 20_000 + b"]" * 20_000 + b"}", "the header nests its JSON too deeply"),
        (b"version 1\n", "header length 2,336,927,755,350,992,246 bytes is past the end of the 10-byte file"),
    ],
)
def test_a_broken_file_is_a_clear_problem(tmp_path: Path, content: bytes, message: str) -> None:
    (tmp_path / "model.safetensors").write_bytes(content)
    problem = only_problem(tmp_path)
    assert problem == ArtifactProblem(str(tmp_path / "model.safetensors"), problem.message, CORRUPT)
    assert message in problem.message


def test_a_header_above_the_safetensors_limit_is_refused(tmp_path: Path) -> None:
    length = MAX_HEADER_BYTES + 1
    write_safetensors(tmp_path / "model.safetensors", b"{}", length=length, size=8 + length + 10)
    assert only_problem(tmp_path).message == (
        "header length 100,000,001 bytes is above the safetensors limit of 100,000,000 bytes"
    )


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 9]}},
         "tensor 'w' has `data_offsets` [0, 9], past the end of the 8-byte data region"),
        ({"w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}},
         "tensor 'w' has `data_offsets` [8, 0], which end before they begin"),
        ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}},
         "tensors 'a' (bytes 0 to 8) and 'b' (bytes 4 to 8) overlap; expected each tensor to have bytes of its own"),
        ({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}},
         "tensors 'a' (bytes 0 to 4) and 'b' (bytes 0 to 4) overlap"),
        ({"w": {"dtype": 32, "shape": [2], "data_offsets": [0, 8]}},
         "tensor 'w' has `dtype` a number (32); expected a string such as \"F32\""),
        ({"w": {"dtype": "F32", "shape": [2, -1], "data_offsets": [0, 8]}},
         "tensor 'w' has `shape` [2, -1]; expected an array of non-negative integers"),
        ({"w": {"dtype": "F32", "shape": [True], "data_offsets": [0, 8]}}, "tensor 'w' has `shape` [true]"),
        ({"w": {"dtype": "F32", "shape": [2]}},
         "tensor 'w' has `data_offsets` null; expected [begin, end], two non-negative integers"),
        ({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4, 8]}}, "tensor 'w' has `data_offsets` [0, 4, 8]"),
        ({"w": [0, 8]}, "tensor 'w' is [0, 8]; expected an object with `dtype`, `shape` and `data_offsets`"),
        ({"__metadata__": {"format": 1}}, "`__metadata__` is {\"format\": 1}; expected an object of strings such as {\"format\": \"pt\"}"),
        ({"__metadata__": ["pt"]}, "`__metadata__` is [\"pt\"]; expected an object of strings"),
    ],
)
def test_offsets_outside_the_data_or_overlapping_and_bad_entries_are_corrupt(
    tmp_path: Path, entries: dict, message: str
) -> None:
    write_safetensors(tmp_path / "model.safetensors", entries, size=8 + len(json.dumps(entries)) + 8)  # 8 data bytes
    problem = only_problem(tmp_path)
    assert problem.kind == CORRUPT
    assert problem.message.startswith("")
    assert message in problem.message


def test_empty_tensors_and_scalars_count_as_huggingface_hub_counts_them(tmp_path: Path) -> None:
    header = {
        "scalar": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]},
        "empty": {"dtype": "F32", "shape": [0, 5], "data_offsets": [4, 4]},
        "also_empty": {"dtype": "F16", "shape": [3, 0], "data_offsets": [4, 4]},
        "__metadata__": None,
    }
    write_safetensors(tmp_path / "model.safetensors", header)
    facts, problems = read_weights(str(tmp_path))
    assert problems == []
    assert facts is not None
    assert facts.parameters == {"F32": 1, "F16": 0} == hub_counts(tmp_path)
    assert facts.metadata == {}


def test_a_git_lfs_pointer_is_unavailable_not_corrupt(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(LFS_POINTER)
    problem = only_problem(tmp_path)
    assert problem.kind == UNAVAILABLE
    assert problem.message == (
        "model.safetensors is a git-LFS pointer, not the weights: its content was never fetched "
        "(run `git lfs pull` in the repository to fetch it)"
    )


def test_a_large_file_that_starts_like_a_pointer_is_corrupt(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(LFS_POINTER + b"\0" * 2000)
    assert only_problem(tmp_path).kind == CORRUPT


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.symlink_to(p.name), "the file cannot be used: it is a symbolic link that loops back on itself"),
        (lambda p: p.symlink_to("elsewhere.bin"), "the file cannot be used: it is a symbolic link to a file that does not exist"),
        (lambda p: p.mkdir(), "the file cannot be used: it is not a regular file"),
        (lambda p: os.mkfifo(p), "the file cannot be used: it is not a regular file (a directory, FIFO or device)"),
    ],
)
def test_links_that_loop_or_dangle_and_non_files_are_problems_not_hangs(
    tmp_path: Path, make: Callable[[Path], None], message: str
) -> None:
    make(tmp_path / "model.safetensors")
    (tmp_path / "loop").symlink_to(tmp_path)  # a folder that contains itself is never walked
    problem = only_problem(tmp_path)
    assert problem.kind == CORRUPT
    assert problem.message.startswith(message)


def test_shards_that_loop_are_problems(tmp_path: Path) -> None:
    (tmp_path / "a.safetensors").symlink_to("b.safetensors")
    (tmp_path / "b.safetensors").symlink_to("a.safetensors")
    (tmp_path / "model.safetensors.index.json").write_text('{"weight_map": {"x": "a.safetensors"}}', encoding="utf-8")
    assert "loops back on itself" in only_problem(tmp_path).message


# --- generated headers ------------------------------------------------------------------------

tensor_names = st.text(alphabet=string.ascii_letters + string.digits + "._-", min_size=1, max_size=30).filter(
    lambda name: name != "__metadata__"
)
tensor_specs = st.lists(
    st.tuples(tensor_names, st.sampled_from(sorted(DTYPE_BYTES)), st.lists(st.integers(0, 40), max_size=4)),
    max_size=12,
    unique_by=lambda spec: spec[0],
)
metadata = st.none() | st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3)


@settings(max_examples=60, deadline=None)
@given(specs=tensor_specs, meta=metadata, padding=st.integers(0, 16), shards=st.integers(1, 3))
def test_generated_headers_count_as_huggingface_hub_counts(
    tmp_path_factory: pytest.TempPathFactory, specs: list, meta: dict | None, padding: int, shards: int
) -> None:
    folder = tmp_path_factory.mktemp("generated")
    if shards == 1:
        header = header_for(specs, meta)
        write_safetensors(folder / "model.safetensors", json.dumps(header).encode() + b" " * padding)
    else:
        weight_map = {}
        for number in range(shards):
            part = specs[number::shards]
            shard = f"model-{number + 1}-of-{shards}.safetensors"
            write_safetensors(folder / shard, header_for(part, meta))
            weight_map.update({name: shard for name, _, _ in part})
        if not weight_map:
            return  # an index must name a shard: covered by test_a_broken_index_is_a_clear_problem
        (folder / "model.safetensors.index.json").write_text(json.dumps({"weight_map": weight_map}), encoding="utf-8")

    facts, problems = read_weights(str(folder))

    assert problems == []
    assert facts is not None
    hub = get_local_safetensors_metadata(folder)
    assert facts.parameters == hub.parameter_count
    assert facts.total == sum(hub.parameter_count.values())
    read_shards = {name for name in hub.files_metadata}
    assert {Path(path).name for path in facts.files} == read_shards
    assert facts.tensors == {
        name: tuple(info.shape) for file in hub.files_metadata.values() for name, info in file.tensors.items()
    }


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=64), data_size=st.integers(0, 64))
def test_any_header_bytes_give_a_header_or_a_reason(raw: bytes, data_size: int) -> None:
    header, message = parse_header(b"{" + raw, data_size)
    assert (header is None) != (message is None)


@settings(max_examples=100, deadline=None)
@given(content=st.binary(max_size=80))
def test_any_file_gives_facts_or_problems_never_an_exception(tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "model.safetensors").write_bytes(content)
    facts, problems = read_weights(str(folder))
    assert (facts is None) == bool(problems)

