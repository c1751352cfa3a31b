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
