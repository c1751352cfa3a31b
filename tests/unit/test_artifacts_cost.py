"""Bounded cost: an index naming a million missing shards is one finding, not a million; a
header that several folders, names or links lead to is read once per check; and one check
reads a bounded number of header bytes, past which headers are unavailable, not read."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from guards import hfname_guard

from hfname_guard import Target, check, load_policy
from hfname_guard.artifacts import safetensors as safetensors_module
from hfname_guard.artifacts.problem import CORRUPT, UNAVAILABLE
from hfname_guard.artifacts.safetensors import Header, HeaderReads, read_header, read_weights
from hfname_guard.facts import Run

ROOT = Path(__file__).resolve().parents[2]
INDEX = "model.safetensors.index.json"
LFS_POINTER = b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"0" * 64 + b"\nsize 1000\n"

WriteSafetensors = Callable[[Path, dict[str, tuple[str, list[int]]]], None]


def write_index(folder: Path, shards: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / INDEX
    path.write_text(json.dumps({"weight_map": {f"t{n}": shard for n, shard in enumerate(shards)}}), encoding="utf-8")
    return path


def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the headers parsed from here on: one entry per header actually read."""
    parsed: list[int] = []
    original = safetensors_module.parse_header

    def counting(raw: bytes, data_size: int) -> tuple[Header | None, str | None]:
        parsed.append(len(raw))
        return original(raw, data_size)

    monkeypatch.setattr(safetensors_module, "parse_header", counting)
    return parsed


# ----- many shards, one finding ------------------------------------------------------------------


def test_a_million_missing_shards_are_one_finding(tmp_path: Path) -> None:
    shards = [f"model-{n:07d}-of-1000000.safetensors" for n in range(1_000_000)]
    index = write_index(tmp_path, shards[::-1])  # named in any order, reported in sorted order

    facts, problems = read_weights(str(tmp_path))

    assert facts is None
    assert [(problem.file, problem.kind) for problem in problems] == [(str(index), CORRUPT)]
    assert problems[0].message == (
        f"{INDEX} names 1,000,000 shards that are not in the model folder ('model-0000000-of-1000000.safetensors', "
        "'model-0000001-of-1000000.safetensors', 'model-0000002-of-1000000.safetensors' and 999,997 more)"
    )


def test_shards_outside_and_missing_are_one_finding_each(tmp_path: Path) -> None:
    write_index(tmp_path / "m", ["../a.safetensors", "/etc/b.safetensors", "gone.safetensors", "sub/gone.safetensors",
                                 "x" * 500 + ".safetensors"])
    messages = sorted(problem.message for problem in read_weights(str(tmp_path / "m"))[1])
    assert messages == [
        f"{INDEX} names 2 shards outside the model folder ('../a.safetensors', '/etc/b.safetensors'); "
        "expected files in it",
        f"{INDEX} names 3 shards that are not in the model folder ('gone.safetensors', 'sub/gone.safetensors', "
        f"'{'x' * 77}...')",
    ]


def test_a_shard_that_is_a_dangling_link_is_there_and_reported_as_such(tmp_path: Path) -> None:
    write_index(tmp_path, ["model-1.safetensors"])
    (tmp_path / "model-1.safetensors").symlink_to("nowhere")
    [problem] = read_weights(str(tmp_path))[1]
    assert problem.file == str(tmp_path / "model-1.safetensors")
    assert "a symbolic link to a file that does not exist" in problem.message


@pytest.mark.parametrize("indexed", [True, False])
def test_many_broken_shards_give_three_findings_and_one_that_counts_the_rest(tmp_path: Path, indexed: bool) -> None:
    names = [f"model-{n:03d}-of-200.safetensors" for n in range(200)]
    for name in names[:150]:
        (tmp_path / name).write_bytes(LFS_POINTER)
    for name in names[150:]:
        (tmp_path / name).write_bytes(b"")
    if indexed:
        write_index(tmp_path, names)

    facts, problems = read_weights(str(tmp_path))

    assert facts is None
    where = str(tmp_path / INDEX) if indexed else str(tmp_path)
    assert [(Path(problem.file).name, problem.kind) for problem in problems] == [
        *[(name, CORRUPT) for name in names[150:153]],
        (Path(where).name, CORRUPT),
        *[(name, UNAVAILABLE) for name in names[:3]],
        (Path(where).name, UNAVAILABLE),
    ]
    assert problems[3].message == (
        "47 more safetensors files are corrupt too: 'model-153-of-200.safetensors', 'model-154-of-200.safetensors', "
        "'model-155-of-200.safetensors' and 44 more"
    )
    assert problems[7].message.startswith("147 more safetensors files are unavailable (git-LFS pointers, or not read) "
                                          "too: 'model-003-of-200.safetensors'")


# ----- each header read once ---------------------------------------------------------------------


def test_a_file_reached_by_two_names_is_read_and_counted_once(
    tmp_path: Path, write_safetensors: WriteSafetensors, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_safetensors(tmp_path / "model-1.safetensors", {"a": ("F32", [2, 3])})
    os.link(tmp_path / "model-1.safetensors", tmp_path / "model-2.safetensors")
    (tmp_path / "model-3.safetensors").symlink_to("model-1.safetensors")
    write_index(tmp_path, ["model-1.safetensors", "model-2.safetensors", "./model-3.safetensors"])
    parsed = parses(monkeypatch)

    facts, problems = read_weights(str(tmp_path))

    assert problems == [] and facts is not None
    assert facts.files == (str(tmp_path / "model-1.safetensors"),)
    assert facts.parameters == {"F32": 6}
    assert len(parsed) == 1


def test_one_check_reads_a_header_shared_by_many_folders_once(
    tmp_path: Path, write_safetensors: WriteSafetensors, monkeypatch: pytest.MonkeyPatch, cache_dir: Path
) -> None:
    """The Hub's cache links each revision's files to one blob."""
    blob = tmp_path / "blobs" / "0123abcd"
    blob.parent.mkdir()
    write_safetensors(blob, {"h.0.attn.c_attn.weight": ("F32", [768, 2304])})
    folders = []
    for revision in range(5):
        folder = tmp_path / "snapshots" / f"rev{revision}"
        folder.mkdir(parents=True)
        (folder / "model.safetensors").symlink_to(blob)
        folders.append(folder)
    parsed = parses(monkeypatch)

    report = check([Target("acme/gpt2-1b", folder) for folder in folders], load_policy(None))

    assert len(parsed) == 1
    sizes = [finding for finding in report.findings if finding.rule == "consistency/size"]
    assert len(sizes) == 5 and all("1,769,472 parameters" in finding.message for finding in sizes)


def test_a_file_changed_between_reads_is_read_again(tmp_path: Path, write_safetensors: WriteSafetensors) -> None:
    reads = HeaderReads()
    path = tmp_path / "model.safetensors"
    write_safetensors(path, {"a": ("F32", [2])})
    first, _ = read_header(str(path), reads)
    write_safetensors(path, {"a": ("F32", [3])})
    os.utime(path, ns=(0, 1))
    second, _ = read_header(str(path), reads)
    assert first is not None and second is not None
    assert (first.tensors["a"], second.tensors["a"]) == (("F32", (2,)), ("F32", (3,)))


# ----- the run's budget of header bytes ----------------------------------------------------------


def test_headers_past_the_budget_are_not_read_and_say_so(
    tmp_path: Path, write_safetensors: WriteSafetensors, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        write_safetensors(tmp_path / name / "model.safetensors", {"w": ("F32", [4])})
    size = (tmp_path / "a" / "model.safetensors").stat().st_size - 16  # 8 + N bytes of header, no data
    reads = HeaderReads(budget=2 * size + 1)
    parsed = parses(monkeypatch)

    results = [read_weights(str(tmp_path / name), reads) for name in ("a", "b", "c")]

    assert [facts is not None for facts, _ in results] == [True, True, False]
    assert len(parsed) == 2
    [problem] = results[2][1]
    assert problem.kind == UNAVAILABLE
    assert problem.message == (
        f"its {size - 8:,}-byte header was not read: this check has read {2 * size:,} bytes of safetensors headers, "
        f"and reads at most {2 * size + 1:,} (check fewer models at a time to read it)"
    )
    assert read_weights(str(tmp_path / "a"), reads)[0] is not None, "a header read before costs nothing again"


def test_the_budget_is_one_per_check_and_an_unread_header_is_unavailable_not_corrupt(
    tmp_path: Path, write_safetensors: WriteSafetensors, monkeypatch: pytest.MonkeyPatch, cache_dir: Path
) -> None:
    import hfname_guard.checker as checker

    folders = []
    for n in range(3):
        folders.append(tmp_path / f"gpt2-{n}")
        folders[-1].mkdir()
        write_safetensors(folders[-1] / "model.safetensors", {f"h.{n}.attn.c_attn.weight": ("F32", [2, 6])})
    header_bytes = (folders[0] / "model.safetensors").stat().st_size - 48
    runs: list[Run] = []

    def small_run(online: str | None = None, own_hub_client: bool = False) -> Run:
        run = Run(online, own_hub_client)
        run.headers = HeaderReads(budget=2 * header_bytes)
        runs.append(run)
        return run

    monkeypatch.setattr(checker, "Run", small_run)
    policy = load_policy(None)

    for _ in range(2):
        report = check([Target(f"acme/gpt2-{n}", folder) for n, folder in enumerate(folders)], policy)
        unread = [finding for finding in report.findings if "header was not read" in finding.message]
        assert [(finding.rule, finding.repo_id) for finding in unread] == [("artifacts/unavailable", "acme/gpt2-2")]
    assert len(runs) == 2


def test_the_default_budget_fits_the_largest_models_many_times() -> None:
    assert HeaderReads().budget == 256 << 20


# ----- the command line --------------------------------------------------------------------------


def test_the_command_reports_a_huge_index_as_one_finding(tmp_path: Path) -> None:
    folder = tmp_path / "llama-7b"
    write_index(folder, [f"model-{n:06d}-of-100000.safetensors" for n in range(100_000)])
    result = hfname_guard("check", str(folder), "--repo-id", "acme/llama-7b", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    corrupt = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "artifacts/corrupt"]
    assert len(corrupt) == 1
    assert "names 100,000 shards that are not in the model folder" in corrupt[0]["message"]
