"""Tables built from the data files are kept between runs, and built again when they cannot be
read back or the data files change."""

from __future__ import annotations

from pathlib import Path

import pytest

from hfname_guard.names import data_files
from hfname_guard.names.knowledge import Knowledge, knowledge, parse, read

pytestmark = pytest.mark.usefixtures("cache_dir")


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("tables-*/*"))


def test_a_table_is_built_once_then_read_back(cache_dir: Path) -> None:
    built: list[int] = []

    def build() -> dict[str, tuple[str, frozenset[str]]]:
        built.append(1)
        return {"llama": ("A", frozenset({"en", "de"}))}

    first = data_files.kept("example", build)
    again = data_files.kept("example", build)
    assert first == again == {"llama": ("A", frozenset({"en", "de"}))}
    assert built == [1]
    assert [path.name.split("-")[0] for path in entries(cache_dir)] == ["example"]


def test_a_damaged_table_is_built_again(cache_dir: Path) -> None:
    data_files.kept("example", lambda: [1, 2, 3])
    (entry,) = entries(cache_dir)
    entry.write_bytes(b"\x00 not marshal")
    assert data_files.kept("example", lambda: [1, 2, 3]) == [1, 2, 3]
    assert entry.read_bytes() != b"\x00 not marshal"


def test_the_table_is_named_after_the_data_files(monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    data_files.kept("example", lambda: "old")
    monkeypatch.setattr(data_files, "_stamp", lambda: 0x1234)  # a file edited, a release installed
    assert data_files.kept("example", lambda: "new") == "new"
    assert len(entries(cache_dir)) == 2


def test_the_kept_knowledge_base_is_the_one_its_files_give() -> None:
    knowledge.cache_clear()
    try:
        kept = knowledge()
        knowledge.cache_clear()
        read_back = knowledge()
    finally:
        knowledge.cache_clear()
    built = parse(read("architecture_words.tsv"), read("architecture_types.tsv"))
    assert isinstance(read_back, Knowledge)
    assert read_back == kept == built
