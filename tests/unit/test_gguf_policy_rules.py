"""The policy's `gguf:` section and its rules, gguf/encodings and gguf/metadata, on files written
by llama.cpp's `gguf` writer (shards too, as its split writer lays them out)."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

import gguf
import numpy as np
import pytest

from hfname_guard import Policy, PolicyError, Target, check, load_policy
from hfname_guard.artifacts.gguf import FILE_TYPES, MAX_KEPT_STRING, read_gguf
from hfname_guard.policy import GgufPolicy

pytestmark = pytest.mark.usefixtures("cache_dir")

ROOT = Path(__file__).resolve().parents[2]
CODES = {name: code for code, name in FILE_TYPES.items()}
REPO_ID = "acme/Llama-3.1-8B-Instruct-GGUF"


def write_gguf(path: Path, encoding: str | None = None, metadata: dict[str, object] | None = None,
               arch: str = "llama", shards: int = 1) -> None:
    """A GGUF file of encoding ``encoding`` (None: no general.file_type) with ``metadata``
    (strings, empty ones too, lists and integers); with ``shards``, a split model of that many
    files named ``<stem>-0000N-of-0000M.gguf``, its metadata in the first, as llama.cpp splits."""
    writer = gguf.GGUFWriter(str(path), arch=arch, split_max_tensors=1 if shards > 1 else 0)
    if encoding is not None:
        writer.add_file_type(CODES[encoding])
    for key, value in (metadata or {}).items():
        if isinstance(value, str):
            writer.add_key_value(key, value, gguf.GGUFValueType.STRING)  # add_string drops ""
        elif isinstance(value, list):
            writer.add_array(key, value)
        else:
            writer.add_uint32(key, int(value))  # type: ignore[call-overload]
    for index in range(shards):
        writer.add_tensor(f"blk.{index}.weight", np.zeros((4, 8), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


@pytest.fixture
def folder(tmp_path: Path) -> Callable[..., Path]:
    """``folder({name: encoding or (encoding, metadata)})``: a model folder of those GGUF files."""

    def _folder(files: dict[str, str | None | tuple[str | None, dict[str, object]]]) -> Path:
        path = tmp_path / "Llama-3.1-8B-Instruct-GGUF"
        path.mkdir()
        (path / "README.md").write_text("---\nlicense: mit\npipeline_tag: text-generation\n---\n", encoding="utf-8")
        for name, spec in files.items():
            encoding, metadata = spec if isinstance(spec, tuple) else (spec, {})
            write_gguf(path / name, encoding, metadata)
        return path

    return _folder


def findings(policy: Policy, folder: Path, rule: str) -> list[tuple[str, str]]:
    """(file name, message) of each finding of ``rule``."""
    report = check([Target(REPO_ID, str(folder))], policy)
    return [(Path(finding.file or "").name, finding.message) for finding in report.findings if finding.rule == rule]


def encodings_policy(make_policy: Callable[[str], Policy], required: Sequence[str] = (),
                     forbidden: Sequence[str] = ()) -> Policy:
    return make_policy(f"gguf:\n  encodings: {json.dumps({'required': list(required), 'forbidden': list(forbidden)})}\n")


def missing(encoding: str) -> str:
    return f"no GGUF file here is encoded `{encoding}`, which the policy requires (gguf: encodings: required)"


def forbids(name: str, encoding: str) -> str:
    return f"`{name}` is encoded `{encoding}`, which the policy forbids (gguf: encodings: forbidden)"


# ----- the policy -------------------------------------------------------------------------------


def test_the_schema_names_every_encoding_llama_cpp_has() -> None:
    schema = json.loads((ROOT / "schemas" / "policy.schema.json").read_text(encoding="utf-8"))
    enum = schema["$defs"]["ggufEncoding"]["enum"]
    assert sorted(enum) == sorted(FILE_TYPES.values())


def test_a_policy_with_a_gguf_section_loads(make_policy: Callable[[str], Policy]) -> None:
    policy = make_policy("""\
        gguf:
          encodings:
            required: [Q4_K_M, Q8_0]
            forbidden: [F32]
          metadata: [general.license, general.basename, general.size_label]
        """)
    assert policy.gguf == GgufPolicy(required_encodings=("Q4_K_M", "Q8_0"), forbidden_encodings=("F32",),
                                     metadata=("general.license", "general.basename", "general.size_label"))


def test_a_list_of_encodings_is_short_for_required(make_policy: Callable[[str], Policy]) -> None:
    policy = make_policy("gguf:\n  encodings: [Q4_K_M, Q8_0]\n")
    assert policy.gguf == GgufPolicy(required_encodings=("Q4_K_M", "Q8_0"))


def test_without_a_gguf_section_nothing_is_required(make_policy: Callable[[str], Policy]) -> None:
    assert make_policy("extends: default\n").gguf == GgufPolicy()
    assert load_policy(None, start=str(ROOT / "tests")).gguf == GgufPolicy()


def test_a_later_layer_overrides_key_by_key_and_its_list_replaces_only_required(
        write: Callable[..., Path]) -> None:
    write("base.yaml", """\
        version: 1
        gguf:
          encodings: {required: [Q8_0], forbidden: [F32]}
          metadata: [general.license]
        """)
    policy = load_policy(write("p.yaml", "version: 1\nextends: base.yaml\ngguf:\n  encodings: [Q4_K_M]\n"))
    assert policy.gguf == GgufPolicy(required_encodings=("Q4_K_M",), forbidden_encodings=("F32",),
                                     metadata=("general.license",))


def policy_error(path: Path) -> str:
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    return str(caught.value)


@pytest.mark.parametrize(("body", "expected"), [
    ("gguf:\n  encodings: [Q4_K_M, Q4_K_X]\n",
     r"p\.yaml:3:\d+: gguf\.encodings\.1: `Q4_K_X` is not one of: F32, F16, .*; did you mean `Q4_K_"),
    ("gguf:\n  encodings:\n    forbidden: [f32]\n", r"p\.yaml:4:\d+: gguf\.encodings\.forbidden\.0: `f32` is not one of"),
    ("gguf:\n  metadata: [license]\n", r"p\.yaml:3:\d+: gguf\.metadata\.0: `license` does not match the pattern"),
    ("gguf:\n  metadata: [General.License]\n", r"p\.yaml:3:\d+: gguf\.metadata\.0: `General\.License` does not match"),
    ("gguf:\n  encoding: [Q8_0]\n", r"p\.yaml:3:3: gguf\.encoding: unknown key `encoding`; did you mean `encodings`\?"),
    ("gguf:\n  encodings: {required: [Q8_0], allowed: [F16]}\n",
     r"p\.yaml:3:\d+: gguf\.encodings\.allowed: unknown key `allowed`"),
    ("gguf:\n  encodings: Q8_0\n", r"p\.yaml:3:\d+: gguf\.encodings: expected a list or a mapping, found `Q8_0`"),
], ids=["encoding-name", "lower-case", "metadata-key", "metadata-case", "section-key", "encodings-key", "type"])
def test_schema_errors_name_file_line_and_path(write: Callable[..., Path], body: str, expected: str) -> None:
    message = policy_error(write("p.yaml", "version: 1\n" + body))
    assert len(message.splitlines()) == 1, message
    assert re.match(r"^\S*" + expected, message), message


def test_an_encoding_both_required_and_forbidden_is_a_policy_error(write: Callable[..., Path]) -> None:
    message = policy_error(write("p.yaml", "version: 1\ngguf:\n  encodings: {required: [Q8_0], forbidden: [Q8_0]}\n"))
    assert re.match(r"^\S*p\.yaml:3:3: gguf\.encodings: `Q8_0` is both required and forbidden", message), message


# ----- gguf/encodings ---------------------------------------------------------------------------


def test_every_required_encoding_held_passes(make_policy: Callable[[str], Policy],
                                            folder: Callable[..., Path]) -> None:
    path = folder({"model-Q4_K_M.gguf": "Q4_K_M", "model-Q8_0.gguf": "Q8_0"})
    assert findings(make_policy("gguf:\n  encodings: [Q4_K_M, Q8_0]\n"), path, "gguf/encodings") == []


def test_each_missing_encoding_is_one_finding_on_the_first_file(make_policy: Callable[[str], Policy],
                                                              folder: Callable[..., Path]) -> None:
    path = folder({"model-Q8_0.gguf": "Q8_0", "model-F16.gguf": "F16"})
    policy = make_policy("gguf:\n  encodings: [Q4_K_M, Q8_0, Q6_K]\n")
    assert findings(policy, path, "gguf/encodings") == [("model-F16.gguf", missing("Q4_K_M")),
                                                        ("model-F16.gguf", missing("Q6_K"))]


def test_the_encoding_is_the_headers_not_the_names(make_policy: Callable[[str], Policy],
                                                   folder: Callable[..., Path]) -> None:
    path = folder({"model-Q4_K_M.gguf": "Q8_0"})
    assert findings(make_policy("gguf:\n  encodings: [Q4_K_M]\n"), path, "gguf/encodings") == [
        ("model-Q4_K_M.gguf", missing("Q4_K_M"))]


def test_a_split_model_is_one_file_of_its_encoding(make_policy: Callable[[str], Policy],
                                                   folder: Callable[..., Path]) -> None:
    path = folder({})
    write_gguf(path / "model-Q8_0.gguf", "Q8_0", shards=3)
    write_gguf(path / "model-F32.gguf", "F32", shards=2)
    assert sorted(file.name for file in path.glob("*.gguf")) == [
        "model-F32-00001-of-00002.gguf", "model-F32-00002-of-00002.gguf", "model-Q8_0-00001-of-00003.gguf",
        "model-Q8_0-00002-of-00003.gguf", "model-Q8_0-00003-of-00003.gguf"]
    policy = make_policy("gguf:\n  encodings: {required: [Q8_0, Q4_K_M], forbidden: [F32]}\n")
    assert findings(policy, path, "gguf/encodings") == [
        ("model-F32-00001-of-00002.gguf", forbids("model-F32-00001-of-00002.gguf", "F32")),
        ("model-F32-00001-of-00002.gguf", missing("Q4_K_M")),
    ]


def test_each_file_of_a_forbidden_encoding(make_policy: Callable[[str], Policy],
                                           folder: Callable[..., Path]) -> None:
    path = folder({"model-F32.gguf": "F32", "model-Q4_K_M.gguf": "Q4_K_M", "model.gguf": "F32",
                   "model-BF16.gguf": "BF16"})
    policy = encodings_policy(make_policy, forbidden=["F32", "BF16"])
    assert sorted(findings(policy, path, "gguf/encodings")) == [
        ("model-BF16.gguf", forbids("model-BF16.gguf", "BF16")),
        ("model-F32.gguf", forbids("model-F32.gguf", "F32")),
        ("model.gguf", forbids("model.gguf", "F32")),
    ]


def test_a_file_without_general_file_type_is_not_judged(make_policy: Callable[[str], Policy],
                                                        folder: Callable[..., Path]) -> None:
    path = folder({"model-F32.gguf": None, "model-Q4_K_M.gguf": "Q4_K_M"})
    policy = encodings_policy(make_policy, required=["Q4_K_M", "Q8_0"], forbidden=["F32"])
    assert findings(policy, path, "gguf/encodings") == []  # model-F32.gguf may be the Q8_0: not known


def test_a_missing_encoding_is_not_claimed_while_a_file_cannot_be_read(make_policy: Callable[[str], Policy],
                                                                      folder: Callable[..., Path]) -> None:
    path = folder({"model-F32.gguf": "F32"})
    (path / "model-Q8_0.gguf").write_text("version https://git-lfs.github.com/spec/v1\noid sha256:"
                                          + "0" * 64 + "\nsize 8000000000\n", encoding="utf-8")
    policy = encodings_policy(make_policy, required=["Q8_0", "Q4_K_M"], forbidden=["F32"])
    assert findings(policy, path, "gguf/encodings") == [("model-F32.gguf", forbids("model-F32.gguf", "F32"))]


def test_a_vision_projector_is_not_judged(make_policy: Callable[[str], Policy], folder: Callable[..., Path]) -> None:
    path = folder({"model-Q4_K_M.gguf": "Q4_K_M"})
    write_gguf(path / "mmproj-model-f16.gguf", "F16", arch="clip")
    assert findings(encodings_policy(make_policy, forbidden=["F16"]), path, "gguf/encodings") == []
    assert findings(encodings_policy(make_policy, required=["Q4_K_M", "F16"]), path, "gguf/encodings") == [
        ("model-Q4_K_M.gguf", missing("F16"))]


def test_a_folder_without_gguf_files_is_not_judged(make_policy: Callable[[str], Policy],
                                                   folder: Callable[..., Path]) -> None:
    path = folder({})
    policy = make_policy("gguf:\n  encodings: [Q4_K_M]\n  metadata: [general.license]\n")
    assert findings(policy, path, "gguf/encodings") == [] and findings(policy, path, "gguf/metadata") == []


def test_a_policy_that_asks_nothing_judges_nothing(make_policy: Callable[[str], Policy],
                                                   folder: Callable[..., Path]) -> None:
    path = folder({"model-F32.gguf": "F32"})
    for policy in (make_policy(""), make_policy("extends: default\n")):
        assert findings(policy, path, "gguf/encodings") == [] and findings(policy, path, "gguf/metadata") == []


# ----- gguf/metadata ----------------------------------------------------------------------------

REQUIRED = "gguf:\n  metadata: [general.license, general.basename, general.size_label]\n"


def not_set(key: str) -> str:
    return f"`{key}` is not set in its header; the policy requires it (gguf: metadata)"


def empty(key: str) -> str:
    return f"`{key}` is empty in its header; the policy requires it (gguf: metadata)"


def test_every_required_key_filled_passes(make_policy: Callable[[str], Policy], folder: Callable[..., Path]) -> None:
    path = folder({"model-Q4_K_M.gguf": ("Q4_K_M", {"general.license": "apache-2.0", "general.basename": "Llama-3.1",
                                                    "general.size_label": "8B"})})
    assert findings(make_policy(REQUIRED), path, "gguf/metadata") == []


def test_a_key_missing_or_empty_is_reported_on_its_file(make_policy: Callable[[str], Policy],
                                                        folder: Callable[..., Path]) -> None:
    path = folder({
        "model-Q4_K_M.gguf": ("Q4_K_M", {"general.license": "", "general.basename": "Llama-3.1"}),
        "model-Q8_0.gguf": ("Q8_0", {"general.license": "mit", "general.basename": "  ", "general.size_label": "8B"}),
    })
    assert findings(make_policy(REQUIRED), path, "gguf/metadata") == [
        ("model-Q4_K_M.gguf", empty("general.license")),
        ("model-Q4_K_M.gguf", not_set("general.size_label")),
        ("model-Q8_0.gguf", empty("general.basename")),
    ]


def test_a_long_string_an_array_and_a_number_are_set(make_policy: Callable[[str], Policy],
                                                     folder: Callable[..., Path]) -> None:
    long_text = "Llama 3.1 Community License. " * (MAX_KEPT_STRING // 20)
    assert len(long_text) > MAX_KEPT_STRING
    path = folder({"model.gguf": ("Q8_0", {"general.license": long_text, "general.tags": ["a", "b"],
                                           "general.languages": ["en"], "llama.block_count": 2})})
    policy = make_policy("gguf:\n  metadata: [general.license, general.tags, general.languages, llama.block_count]\n")
    assert findings(policy, path, "gguf/metadata") == []
    facts, _ = read_gguf(str(path / "model.gguf"))
    assert facts is not None and "general.license" not in facts.metadata  # too long to keep, yet present


def test_the_shards_after_the_first_are_not_asked(make_policy: Callable[[str], Policy],
                                                  folder: Callable[..., Path]) -> None:
    path = folder({})
    write_gguf(path / "model-Q8_0.gguf", "Q8_0", {"general.license": "mit"}, shards=2)
    write_gguf(path / "model-F16.gguf", "F16", shards=2)
    policy = make_policy("gguf:\n  metadata: [general.license]\n")
    assert findings(policy, path, "gguf/metadata") == [("model-F16-00001-of-00002.gguf", not_set("general.license"))]


# ----- the header reader's keys -----------------------------------------------------------------


def test_the_header_lists_every_key_kept_or_not(tmp_path: Path) -> None:
    write_gguf(tmp_path / "model.gguf", "Q4_K_M", {"general.license": "x" * (MAX_KEPT_STRING + 1),
                                                   "general.tags": ["a"], "general.basename": "Llama"})
    facts, problem = read_gguf(str(tmp_path / "model.gguf"))
    assert problem is None and facts is not None
    assert {"general.license", "general.tags", "general.basename", "general.file_type"} <= facts.keys
    assert "general.license" not in facts.metadata and "general.tags" not in facts.metadata
    assert facts.metadata["general.basename"] == "Llama"
    assert set(facts.metadata) <= facts.keys


def test_the_reference_example_policy_loads(write: Callable[..., Path]) -> None:
    """The gguf section of docs/policy.md's example, as written there."""
    text = (ROOT / "docs" / "policy.md").read_text(encoding="utf-8")
    section = re.search(r"\ngguf:.*?\n\n", text, re.DOTALL)
    assert section is not None
    policy = load_policy(write("p.yaml", "version: 1\n" + textwrap.dedent(section.group(0))))
    assert policy.gguf.required_encodings and policy.gguf.forbidden_encodings and policy.gguf.metadata
