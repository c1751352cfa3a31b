"""Fixtures shared by the unit tests: a private validation cache and policies written on the fly.

One fixture is autouse, for the whole session: hfname-guard's cache (validated policies, parsed
YAML) is a folder of the session's, so that no test reads or writes the user's ``~/.cache``.
Nothing else is: acceptance tests set up their own environment, and a unit module that wants a
fresh, empty cache of its own opts in with ``pytestmark = pytest.mark.usefixtures("cache_dir")``.
"""

from __future__ import annotations

import gzip
import json
import os
import struct
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from hfname_guard import Policy, load_policy


@pytest.fixture(scope="session", autouse=True)
def session_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("session-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HFNAME_GUARD_CACHE_DIR", str(path))
        yield path


@pytest.fixture
def cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty validation cache, so no test reads or writes ``~/.cache``."""
    path = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("HFNAME_GUARD_CACHE_DIR", str(path))
    return path


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """``write("dir/file.yaml", text)``: a file under tmp_path (dedented), its folders made."""

    def _write(relative: str, text: str | bytes) -> Path:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def make_policy(write: Callable[..., Path], cache_dir: Path) -> Callable[[str], Policy]:
    """``make_policy(yaml_body)``: load a policy whose file is ``version: 1`` plus ``yaml_body``."""
    counter = iter(range(1_000_000))

    def _make(body: str = "") -> Policy:
        path = write(f"policies/policy{next(counter)}.yaml", "version: 1\n" + textwrap.dedent(body))
        return load_policy(path)

    return _make


DTYPE_BYTES = {"F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I8": 1, "U8": 1}


@pytest.fixture
def write_safetensors() -> Callable[[Path, dict[str, tuple[str, list[int]]]], None]:
    """``write_safetensors(path, {"name": ("F32", [2, 3])})``: a safetensors file with these
    tensors, the real header in front of a sparse data region of the real size."""

    def _write(path: Path, tensors: dict[str, tuple[str, list[int]]]) -> None:
        header: dict[str, object] = {"__metadata__": {"format": "pt"}}
        offset = 0
        for name, (dtype, shape) in tensors.items():
            size = DTYPE_BYTES[dtype]
            for dimension in shape:
                size *= dimension
            header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + size]}
            offset += size
        encoded = json.dumps(header).encode()
        with path.open("wb") as handle:
            handle.write(struct.pack("<Q", len(encoded)) + encoded)
            handle.truncate(8 + len(encoded) + offset)

    return _write


FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def transformers_model_types() -> dict[str, dict[str, object]]:
    """transformers' model types with their classes (tests/fixtures/knowledge-sources)."""
    with gzip.open(FIXTURES / "knowledge-sources" / "transformers_model_types.json.gz", "rt", encoding="utf-8") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def hub_model_types() -> list[tuple[str, str]]:
    """Real Hub repo ids with their config.json model_type (tests/fixtures/knowledge-sources)."""
    with gzip.open(FIXTURES / "knowledge-sources" / "hub_model_types.tsv.gz", "rt", encoding="utf-8") as handle:
        return [tuple(line.rstrip("\n").split("\t")) for line in handle]  # type: ignore[misc]


# ----- Hypothesis profiles -----------------------------------------------------------------------

settings.register_profile("long", max_examples=2000)
"""``HYPOTHESIS_PROFILE=long``: a deep run, 2,000 cases for each property test that does not set its
own count (the fuzz test of tests/acceptance/test_fuzz.py among them) instead of Hypothesis's 100."""
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
