"""gguf/file-name: each GGUF file's name against its own header, on files written by llama.cpp's
`gguf` writer."""

from __future__ import annotations

from pathlib import Path

from test_artifacts_gguf import CARD, write_gguf

from hfname_guard import Target, check, load_policy

Q4_K_M, Q8_0 = 15, 7
LLAMA_8B = 8_030_261_248


def findings(folder: Path) -> list[tuple[str, str]]:
    report = check([Target("acme/Llama-3.1-8B-Instruct-GGUF", str(folder))], load_policy(None))
    return sorted((Path(finding.file or "").name, finding.message) for finding in report.findings
                  if finding.rule == "gguf/file-name")


def folder_of(tmp_path: Path, files: dict[str, dict[str, object]]) -> Path:
    folder = tmp_path / "Llama-3.1-8B-Instruct-GGUF"
    folder.mkdir()
    (folder / "README.md").write_text(CARD, encoding="utf-8")
    for name, header in files.items():
        write_gguf(folder / name, **{"parameters": LLAMA_8B, **header})  # type: ignore[arg-type]
    return folder


def test_names_that_agree_with_their_headers_pass(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, {
        "Llama-3.1-8B-Instruct-Q4_K_M.gguf": {"file_type": Q4_K_M},
        "llama-3.1-8b-instruct.Q8_0.gguf": {"file_type": Q8_0},
        "Llama-3.1-8B-Instruct.gguf": {"file_type": Q8_0},  # no encoding stated: nothing to compare
        "Llama-3.1-8B-Instruct-Q4_K_M-00001-of-00002.gguf": {"file_type": Q4_K_M, "shard": (1, 2),
                                                             "parameters": LLAMA_8B // 2},
        "Llama-3.1-8B-Instruct-Q4_K_M-00002-of-00002.gguf": {"file_type": Q4_K_M, "shard": (2, 2),
                                                             "parameters": LLAMA_8B // 2},
    })
    assert findings(folder) == []


def test_an_encoding_the_header_denies(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, {"Llama-3.1-8B-Instruct-Q4_K_M.gguf": {"file_type": Q8_0},
                                  "llama-3.1-8b-instruct.q8_0.gguf": {"file_type": Q4_K_M}})
    assert findings(folder) == [
        ("Llama-3.1-8B-Instruct-Q4_K_M.gguf", "the name says `Q4_K_M`; the header's general.file_type is `Q8_0`"),
        ("llama-3.1-8b-instruct.q8_0.gguf", "the name says `q8_0`; the header's general.file_type is `Q4_K_M`"),
    ]


def test_shards_named_against_their_headers_and_a_set_that_is_not_whole(tmp_path: Path) -> None:
    folder = folder_of(tmp_path, {
        "model-Q8_0-00002-of-00003.gguf": {"file_type": Q8_0, "shard": (1, 3)},
        "model-Q8_0.gguf": {"file_type": Q8_0, "shard": (2, 2)},
    })
    assert findings(folder) == [
        ("model-Q8_0-00002-of-00003.gguf", "`model-Q8_0` is split in 3 shards and 2 of them are missing "
                                           "(00001, 00003): the model cannot be loaded"),
        ("model-Q8_0-00002-of-00003.gguf", "the name says shard 2 of 3; the header says shard 1 of 3"),
        ("model-Q8_0.gguf", "the header says shard 2 of 2; the name has no `-00002-of-00002` suffix"),
    ]


def test_a_size_label_the_tensors_deny(tmp_path: Path) -> None:
    """The count is the file's, or its whole set's; a label within the tolerance, an active count
    (`A3B`) and the experts of `17B-16E` pass."""
    folder = folder_of(tmp_path, {
        "Llama-3.2-8B-Q4_K_M.gguf": {"parameters": 1_235_814_400},
        "Llama-3.2-1B-Q8_0.gguf": {"file_type": Q8_0, "parameters": 1_235_814_400},
        "Qwen3-30B-A3B-Q4_K_M.gguf": {"parameters": 30_532_122_624},
        "Llama-4-Scout-17B-16E-Instruct-Q4_K_M.gguf": {"parameters": 108_641_793_536},
        "big-70B-Q4_K_M-00001-of-00002.gguf": {"shard": (1, 2), "parameters": 7_000_000_000},
        "big-70B-Q4_K_M-00002-of-00002.gguf": {"shard": (2, 2), "parameters": 7_000_000_000},
    })
    assert findings(folder) == [
        ("Llama-3.2-8B-Q4_K_M.gguf", "the name says `8B`; its tensors hold 1,235,814,400 parameters (1.24B)"),
        ("big-70B-Q4_K_M-00001-of-00002.gguf",
         "the name says `70B`; the tensors of its 2 shards hold 14,000,000,000 parameters (14B)"),
        ("big-70B-Q4_K_M-00002-of-00002.gguf",
         "the name says `70B`; the tensors of its 2 shards hold 14,000,000,000 parameters (14B)"),
    ]


def test_the_fix_is_the_name_that_says_what_the_header_does(tmp_path: Path) -> None:
    """Every word the header contradicts is corrected at once, in the case the name writes it."""
    folder = folder_of(tmp_path, {
        "Llama-3.2-8B-Q4_K_M.gguf": {"file_type": Q8_0, "parameters": 1_235_814_400},
        "llama-3.2-1b.q4_k_m.gguf": {"file_type": Q8_0, "parameters": 1_235_814_400},
        "model-Q8_0-00002-of-00002.gguf": {"file_type": Q8_0, "shard": (1, 2)},
        "model-Q8_0.gguf": {"file_type": Q8_0, "shard": (2, 2)},
        "mixtral-8x7b-Q8_0.gguf": {"file_type": Q8_0, "parameters": 1_000_000_000},  # no one count to state
    })
    report = check([Target("acme/Llama-3.2-GGUF", str(folder))], load_policy(None))
    fixes = {(Path(finding.file or "").name, finding.suggestion) for finding in report.findings
             if finding.rule == "gguf/file-name" and "missing" not in finding.message}
    assert fixes == {
        ("Llama-3.2-8B-Q4_K_M.gguf", "Llama-3.2-1.2B-Q8_0.gguf"),
        ("llama-3.2-1b.q4_k_m.gguf", "llama-3.2-1b.q8_0.gguf"),
        ("model-Q8_0-00002-of-00002.gguf", "model-Q8_0-00001-of-00002.gguf"),
        ("model-Q8_0.gguf", "model-Q8_0-00002-of-00002.gguf"),
        ("mixtral-8x7b-Q8_0.gguf", None),
    }
