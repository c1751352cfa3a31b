"""The GGUF header reader, on files written by the `gguf` package's own writer (maintained with
llama.cpp), and on every way such a file can be broken."""

from __future__ import annotations

import struct
from pathlib import Path

import gguf
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfname_guard.artifacts.gguf import FILE_TYPES, MAGIC, read_folder, read_gguf
from hfname_guard.artifacts.problem import CORRUPT, UNAVAILABLE


def write_gguf(path: Path, arch: str = "llama", file_type: int = 15, shard: tuple[int, int] | None = None,
               endianess: gguf.GGUFEndian = gguf.GGUFEndian.LITTLE,
               shapes: dict[str, tuple[int, ...]] | None = None, parameters: int | None = None) -> Path:
    """A GGUF file with general.* metadata, a tokenizer (an array of strings), an array of numbers,
    and tensors of ``shapes``; or, given ``parameters``, one tensor of that many elements described
    in the header and never written (no reader of a header reads past it)."""
    writer = gguf.GGUFWriter(str(path), arch=arch, endianess=endianess)
    writer.add_name("Llama 3.1 8B Instruct")
    writer.add_basename("Llama-3.1")
    writer.add_size_label("8B")
    writer.add_finetune("Instruct")
    writer.add_file_type(file_type)
    writer.add_block_count(2)
    writer.add_token_list(["<s>", "</s>", "hello", "wörld"] * 50)
    writer.add_array("tokenizer.ggml.scores", [0.5] * 200)
    writer.add_chat_template("{{ messages }}" * 1000)  # longer than what is kept
    if shard is not None:
        writer.add_uint16("split.no", shard[0] - 1)
        writer.add_uint16("split.count", shard[1])
    if parameters is not None:
        writer.add_tensor_info("blk.0.ffn_up.weight", (parameters,), np.dtype(np.float16), parameters * 2)
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()
        writer.close()
        return path
    for name, shape in (shapes or {"token_embd.weight": (4, 8), "output_norm.weight": (8,)}).items():
        writer.add_tensor(name, np.zeros(shape, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def test_the_header_gives_the_metadata_the_encoding_the_shard_and_the_parameters(tmp_path: Path) -> None:
    facts, problem = read_gguf(str(write_gguf(tmp_path / "model-00002-of-00003.gguf", shard=(2, 3))))
    assert problem is None and facts is not None
    assert (facts.architecture, facts.file_type, facts.shard, facts.version) == ("llama", "Q4_K_M", (2, 3), 3)
    assert (facts.tensors, facts.parameters) == (2, 4 * 8 + 8)
    assert facts.metadata["general.size_label"] == "8B" and facts.metadata["general.basename"] == "Llama-3.1"
    assert facts.metadata["general.finetune"] == "Instruct" and facts.metadata["llama.block_count"] == 2
    assert "tokenizer.chat_template" not in facts.metadata  # past MAX_KEPT_STRING: skipped, not kept


def test_a_big_endian_file_reads_the_same(tmp_path: Path) -> None:
    little, _ = read_gguf(str(write_gguf(tmp_path / "little.gguf")))
    big, problem = read_gguf(str(write_gguf(tmp_path / "big.gguf", endianess=gguf.GGUFEndian.BIG)))
    assert problem is None and big is not None and little is not None
    assert (big.metadata, big.parameters, big.file_type) == (little.metadata, little.parameters, little.file_type)


def test_the_encodings_are_llama_cpps() -> None:
    known = {member.value: member.name.removeprefix("MOSTLY_").removeprefix("ALL_") for member in gguf.LlamaFileType}
    assert all(known.get(value) == name for value, name in FILE_TYPES.items())


@pytest.mark.parametrize(("content", "kind", "message"), [
    (b"", CORRUPT, "the file is empty"),
    (b"GGU", CORRUPT, "the file is only 3 bytes long"),
    (b"\x08\x00\x00\x00\x00\x00\x00\x00{}", CORRUPT, "not a GGUF file: it starts with b'\\x08\\x00\\x00\\x00'"),
    (b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"0" * 64 + b"\nsize 4368709120\n", UNAVAILABLE,
     "is a git-LFS pointer, not the weights"),
    (MAGIC + struct.pack("<I", 1) + bytes(16), CORRUPT, "GGUF version 1 is not one llama.cpp reads (2 or 3)"),
    (MAGIC + struct.pack("<IQQ", 3, 2**63, 0), CORRUPT, "claims 9,223,372,036,854,775,808 tensors"),
    (MAGIC + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 1) + b"k" + struct.pack("<I", 77), CORRUPT,
     "a metadata value has type 77"),
    (MAGIC + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", 2**40), CORRUPT, "the file ended inside its header"),
    (MAGIC + struct.pack("<IQQ", 3, 100_001, 0), UNAVAILABLE,
     "its header lists 100,001 tensors; a check reads headers of at most 100,000"),
    (MAGIC + struct.pack("<IQQ", 3, 0, 100_001), UNAVAILABLE,
     "its header lists 100,001 metadata entries; a check reads headers of at most 100,000"),
])
def test_a_broken_file_is_a_problem_not_an_exception(tmp_path: Path, content: bytes, kind: str, message: str) -> None:
    path = tmp_path / "model.gguf"
    path.write_bytes(content)
    facts, problem = read_gguf(str(path))
    assert facts is None and problem is not None
    assert problem.kind == kind and message in problem.message


@settings(max_examples=60, deadline=None)
@given(cut=st.floats(min_value=0, max_value=0.999))
def test_a_file_cut_anywhere_in_its_header_is_truncated(tmp_path_factory: pytest.TempPathFactory, cut: float) -> None:
    whole = write_gguf(tmp_path_factory.mktemp("whole") / "model.gguf").read_bytes()
    header_end = len(whole) - (4 * 8 + 8) * 4 - 32  # roughly where the tensor data starts, less the alignment
    path = tmp_path_factory.mktemp("cut") / "model.gguf"
    path.write_bytes(whole[: int(header_end * cut)])
    facts, problem = read_gguf(str(path))
    assert facts is None and problem is not None and problem.kind == CORRUPT


def test_the_parameters_of_a_large_model_come_from_its_shapes(tmp_path: Path) -> None:
    """A tensor of 128,256 x 8,192 counted without a byte of it written: only the infos are read."""
    path = tmp_path / "big.gguf"
    writer = gguf.GGUFWriter(str(path), arch="llama")
    writer.add_tensor_info("token_embd.weight", (128_256, 8_192), np.dtype(np.float16), 128_256 * 8_192 * 2)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    writer.close()
    facts, problem = read_gguf(str(path))
    assert problem is None and facts is not None and facts.parameters == 128_256 * 8_192


CARD = "---\nlicense: llama3.1\npipeline_tag: text-generation\n---\n# a model\n"


def gguf_folder(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "Llama-3.1-8B-Instruct-GGUF"
    folder.mkdir()
    (folder / "README.md").write_text(CARD, encoding="utf-8")
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def artifact_findings(folder: Path) -> list[tuple[str, str, str]]:
    from hfname_guard import Target, check

    report = check([Target("acme/Llama-3.1-8B-Instruct-GGUF", str(folder))])
    return [(finding.rule, Path(finding.file or "").name, finding.message) for finding in report.findings
            if finding.rule.startswith("artifacts/")]


def test_a_folder_of_gguf_files_gives_their_facts_and_reports_the_broken_ones(tmp_path: Path) -> None:
    good = write_gguf(tmp_path / "good.gguf").read_bytes()
    folder = gguf_folder(tmp_path, {
        "Llama-3.1-8B-Instruct-Q4_K_M.gguf": good,
        "Llama-3.1-8B-Instruct-Q8_0.gguf": good[: len(good) // 3],
        "Llama-3.1-8B-Instruct-F16.gguf": b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"1" * 64
                                          + b"\nsize 16068891776\n",
    })
    from hfname_guard import Target, load_policy
    from hfname_guard.facts import Facts, Run

    facts = Facts(Target("acme/Llama-3.1-8B-Instruct-GGUF", str(folder)), load_policy(None), Run())
    assert [Path(found.file).name for found in facts.gguf] == ["Llama-3.1-8B-Instruct-Q4_K_M.gguf"]
    assert sorted(artifact_findings(folder)) == [
        ("artifacts/corrupt", "Llama-3.1-8B-Instruct-Q8_0.gguf", "the file ended inside its header (truncated?)"),
        ("artifacts/unavailable", "Llama-3.1-8B-Instruct-F16.gguf",
         "Llama-3.1-8B-Instruct-F16.gguf is a git-LFS pointer, not the weights: its content was never fetched "
         "(run `git lfs pull` in the repository to fetch it)"),
    ]


def test_a_folder_stops_reading_headers_past_its_budget_of_entries(tmp_path: Path) -> None:
    """Each header read costs time with its entries: a folder of many long headers reads some,
    then says the others were not read, in bounded time."""
    entry = struct.pack("<Q", 1) + b"a" + struct.pack("<I", 0) + b"\x01"
    for number in range(5):
        (tmp_path / f"m{number}.gguf").write_bytes(MAGIC + struct.pack("<IQQ", 3, 0, 90_000) + entry * 90_000)
    found, problems = read_folder(str(tmp_path), [f"m{number}.gguf" for number in range(5)])
    assert len(found) == 3
    assert [(problem.kind, problem.message) for problem in problems] == [
        (UNAVAILABLE, "2 more GGUF files were not read: their headers list more than 200,000 entries and tensors "
                      "in all")]
