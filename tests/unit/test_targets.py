"""Which repo id a model folder proposes, and which folders a commit's files belong to."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hfname_guard import load_policy
from hfname_guard.targets import hub_remote, is_model_folder, target_of, targets_from_files

pytestmark = pytest.mark.usefixtures("cache_dir")
CARD = "---\nlicense: mit\npipeline_tag: text-generation\n---\n"


def policy_at(root: Path, text: str = "version: 1\nnamespaces: [acme]\n"):
    (root / ".hfname-guard.yaml").write_text(text, encoding="utf-8")
    return load_policy(root / ".hfname-guard.yaml")


def model(root: Path, relative: str, readme: str | None = CARD, **files: str) -> Path:
    folder = root / relative
    folder.mkdir(parents=True)
    if readme is not None:
        (folder / "README.md").write_text(readme, encoding="utf-8")
    for name, text in files.items():
        (folder / name.replace("_json", ".json")).write_text(text, encoding="utf-8")
    return folder


def test_policy_targets_come_first_relative_to_the_policy_file(tmp_path: Path) -> None:
    policy = policy_at(tmp_path, 'version: 1\nnamespaces: [acme]\ntargets:\n  "models/*": "acme-models/{dir}"\n'
                                 '  "research/*/*": "acme-research/{dir}"\n')
    folder = model(tmp_path, "models/llama-7b")
    target = target_of(str(folder), policy)
    assert (target.repo_id, target.repo_id_source) == ("acme-models/llama-7b", "policy targets `models/*`")
    nested = model(tmp_path, "research/2026/bert-base")
    assert target_of(str(nested), policy).repo_id == "acme-research/bert-base"


def test_a_clone_of_a_hub_repo_takes_its_remote(tmp_path: Path) -> None:
    policy = policy_at(tmp_path)
    folder = model(tmp_path, "Llama-2-7b-hf")
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    for url, expected in [
        ("https://huggingface.co/meta-llama/Llama-2-7b-hf", "meta-llama/Llama-2-7b-hf"),
        ("https://user:token@huggingface.co/acme/bert-base.git", "acme/bert-base"),
        ("git@hf.co:acme/bert-base.git", "acme/bert-base"),
        ("git@huggingface.co:acme/t5-small", "acme/t5-small"),
    ]:
        subprocess.run(["git", "-C", str(folder), "remote", "remove", "origin"], capture_output=True)
        subprocess.run(["git", "-C", str(folder), "remote", "add", "origin", url], check=True)
        assert hub_remote(str(folder)) == expected, url
        assert target_of(str(folder), policy).repo_id_source == "git remote origin"
    for url in ("https://github.com/acme/bert-base", "https://huggingface.co/datasets/acme/squad"):
        subprocess.run(["git", "-C", str(folder), "remote", "set-url", "origin", url], check=True)
        assert hub_remote(str(folder)) is None, url


def test_otherwise_the_folder_name_under_the_first_namespace(tmp_path: Path) -> None:
    policy = policy_at(tmp_path)
    target = target_of(str(model(tmp_path, "llama-7b")), policy)
    assert (target.repo_id, target.repo_id_source) == ("acme/llama-7b", "folder name under `acme`")


def test_files_are_grouped_into_model_folders_each_once(tmp_path: Path) -> None:
    policy = policy_at(tmp_path)
    card = model(tmp_path, "models/llama-7b")
    weights_only = model(tmp_path, "models/bert-base", readme=None, config_json='{"model_type": "bert"}')
    docs = model(tmp_path, "docs", readme="# How we name models\n")
    (tmp_path / "README.md").write_text("# the repository\n", encoding="utf-8")
    files = [f"{card}/README.md", f"{weights_only}/config.json", f"{docs}/README.md", str(tmp_path / "README.md"),
             f"{card}/README.md"]
    assert [target.folder for target in targets_from_files(files, policy)] == [str(card), str(weights_only)]
    assert is_model_folder(str(docs), policy) is False


def test_a_broken_card_still_makes_a_model_folder(tmp_path: Path) -> None:
    policy = policy_at(tmp_path)
    folder = model(tmp_path, "llama-7b", readme="---\nlicense: [mit\n---\n")
    assert is_model_folder(str(folder), policy)


@pytest.mark.parametrize("weights", [
    "model.safetensors", "model-00001-of-00002.safetensors", "pytorch_model.bin", "pytorch_model-00001-of-00003.bin",
    "model.gguf", "llama-7b.Q4_K_M.gguf", "model.pt", "consolidated.00.pth", "model.onnx", "tf_model.h5",
    "flax_model.msgpack", "v1-5-pruned.ckpt", "MODEL.GGUF", "Model.SafeTensors", "weights.Bin",
])
def test_weights_of_any_format_make_a_model_folder(tmp_path: Path, weights: str) -> None:
    policy = policy_at(tmp_path)
    folder = model(tmp_path, "llama-7b", readme=None)
    (folder / weights).write_bytes(b"\0" * 8)
    assert is_model_folder(str(folder), policy)
    assert [target.folder for target in targets_from_files([f"{folder}/{weights}"], policy)] == [str(folder)]


@pytest.mark.parametrize("other", ["notes.txt", "model.binary", "model.bin.txt", "weights.pt.md", "gguf", ".bin",
                                   "model.safetensors.tmp", "tokenizer.json"])
def test_other_files_do_not_make_a_model_folder(tmp_path: Path, other: str) -> None:
    policy = policy_at(tmp_path)
    folder = model(tmp_path, "llama-7b", readme="# not a model card\n")
    (folder / other).write_bytes(b"\0" * 8)
    assert not is_model_folder(str(folder), policy)
    assert targets_from_files([f"{folder}/{other}"], policy) == []


def test_weights_in_a_subfolder_of_a_model_are_that_models(tmp_path: Path) -> None:
    """onnx/model.onnx, original/consolidated.00.pth, Q4_K_M/*.gguf: part of the model above,
    not a model named `onnx`; weights in a folder of no model are a model of their own."""
    policy = policy_at(tmp_path)
    folder = model(tmp_path, "models/llama-7b", config_json='{"model_type": "llama"}')
    files = [f"{folder}/{relative}" for relative in ("onnx/model.onnx", "original/consolidated.00.pth",
                                                      "Q4_K_M/llama-7b.Q4_K_M.gguf")]
    for path in map(Path, files):
        path.parent.mkdir()
        path.write_bytes(b"\0" * 8)
    assert [target.folder for target in targets_from_files(files, policy)] == [str(folder)]
    loose = tmp_path / "models" / "mistral-7b-gguf"
    loose.mkdir()
    (loose / "model.gguf").write_bytes(b"GGUF")
    assert [target.folder for target in targets_from_files([f"{loose}/model.gguf"], policy)] == [str(loose)]


def test_weights_at_the_root_of_a_model_repository_belong_to_it(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A Hub model cloned as the repository itself: pre-commit passes `onnx/model.onnx`."""
    policy = policy_at(tmp_path)
    (tmp_path / "config.json").write_text('{"model_type": "llama"}', encoding="utf-8")
    (tmp_path / "onnx").mkdir()
    (tmp_path / "onnx" / "model.onnx").write_bytes(b"\0")
    monkeypatch.chdir(tmp_path)
    assert [target.folder for target in targets_from_files(["onnx/model.onnx"], policy)] == ["."]
