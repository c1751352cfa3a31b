"""The command line finds each folder's policy from the folder upwards and names it in every format;
`exclude` skips folders silently for the hook and says why for a folder named on purpose."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from hfname_guard.policy import POLICY_FILE_NAME, discover

ROOT = Path(__file__).resolve().parents[2]
CARD = "---\nlicense: mit\npipeline_tag: text-generation\n---\n"
REPORT_SCHEMA = json.loads((ROOT / "schemas/report.schema.json").read_text(encoding="utf-8"))
SARIF_SCHEMA = json.loads((ROOT / "tests/fixtures/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
PRODUCTS = os.path.join("products", POLICY_FILE_NAME)
RESEARCH = os.path.join("research", POLICY_FILE_NAME)


def run(*args: str, cwd: Path | str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hfname_guard", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
        env={**os.environ, "HFNAME_GUARD_CACHE_DIR": str(cache), "NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """products/ and research/ each with a policy; research's forbids `base` and excludes vendored/."""
    files = {
        f"products/{POLICY_FILE_NAME}": "version: 1\nnamespaces: [products]\n",
        f"research/{POLICY_FILE_NAME}": "version: 1\nnamespaces: [research]\nname:\n  forbidden-words: [base]\n"
                                        "exclude: [vendored]\n",
        "products/llama-7b-base/README.md": CARD,
        "research/bert-base/README.md": CARD,
        "research/vendored/Llama-2-7b-hf/README.md": CARD,
    }
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    return tmp_path


def test_two_folders_under_two_policies_each_judged_by_its_own(repo: Path) -> None:
    result = run("check", "products/llama-7b-base", "research/bert-base", cwd=repo, cache=repo / ".cache")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"policies: {PRODUCTS}, {RESEARCH}"
    assert lines[1] == (f"products/llama-7b-base  (products/llama-7b-base, repo id from folder name under `products`, "
                        f"policy {PRODUCTS}) ok")
    assert lines[2].startswith("research/bert-base  (research/bert-base, repo id from folder name under `research`, "
                               f"policy {RESEARCH})")
    assert "[name/forbidden]" in result.stdout and result.stdout.count("[name/forbidden]") == 1


def test_json_and_sarif_name_each_policy_and_validate(repo: Path) -> None:
    result = run("check", "products/llama-7b-base", "research/bert-base", "--format", "json", cwd=repo,
                 cache=repo / ".cache")
    report = json.loads(result.stdout)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)
    assert report["policy"] is None
    assert [target["policy"] for target in report["targets"]] == [PRODUCTS, RESEARCH]
    sarif = json.loads(run("check", "products/llama-7b-base", "research/bert-base", "--format", "sarif", cwd=repo,
                           cache=repo / ".cache").stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    assert sarif["runs"][0]["properties"]["policies"] == [PRODUCTS, RESEARCH]


def test_from_anywhere_with_absolute_paths_each_folder_finds_its_own_policy(repo: Path) -> None:
    result = run("check", str(repo / "products/llama-7b-base"), str(repo / "research/bert-base"), "--format", "json",
                 cwd="/", cache=repo / ".cache")
    report = json.loads(result.stdout)
    assert [target["repo_id"] for target in report["targets"]] == ["products/llama-7b-base", "research/bert-base"]
    assert [target["policy"] for target in report["targets"]] == [
        os.path.relpath(repo / PRODUCTS, "/"), os.path.relpath(repo / RESEARCH, "/")]


def test_policy_overrides_discovery_for_every_folder(repo: Path) -> None:
    (repo / "strict.yaml").write_text("version: 1\nnamespaces: [given]\n", encoding="utf-8")
    result = run("check", "products/llama-7b-base", "research/bert-base", "--policy", "strict.yaml", cwd=repo,
                 cache=repo / ".cache")
    lines = result.stdout.splitlines()
    assert lines[0] == "policy: strict.yaml"
    assert "(given/llama-7b-base, repo id from folder name under `given`)" in lines[1]
    assert "(given/bert-base, repo id from folder name under `given`)" in lines[2]
    assert "[name/forbidden]" not in result.stdout


def test_no_policy_anywhere_is_the_built_in_default_in_every_format(tmp_path: Path) -> None:
    if discover(tmp_path) is not None:  # pragma: no cover - a stray policy above the temporary folder
        pytest.skip(f"a policy file above the temporary folder: {discover(tmp_path)}")
    (tmp_path / "llama-7b").mkdir()
    (tmp_path / "llama-7b" / "README.md").write_text(CARD, encoding="utf-8")
    outputs = {name: run("check", "llama-7b", "--format", name, cwd=tmp_path, cache=tmp_path / ".cache").stdout
               for name in ("text", "json", "sarif", "markdown")}
    assert outputs["text"].splitlines()[0] == "policy: built-in default"
    assert json.loads(outputs["json"])["policy"] == "built-in default"
    assert json.loads(outputs["json"])["targets"][0]["policy"] == "built-in default"
    assert json.loads(outputs["sarif"])["runs"][0]["properties"]["policy"] == "built-in default"
    assert "Policy: <code>built-in default</code>" in outputs["markdown"]
    alone = run("check", "--repo-id", "acme/llama-7b", "--format", "json", cwd=tmp_path, cache=tmp_path / ".cache")
    assert json.loads(alone.stdout)["policy"] == "built-in default"


def test_the_hook_takes_files_of_two_subtrees_each_under_its_policy(repo: Path) -> None:
    files = ["research/bert-base/README.md", "products/llama-7b-base/README.md",
             "research/vendored/Llama-2-7b-hf/README.md"]
    result = run("hook", *files, cwd=repo, cache=repo / ".cache")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"policies: {RESEARCH}, {PRODUCTS}"
    assert "vendored" not in result.stdout, "an excluded folder is skipped silently"
    assert lines[-1] == "1 error (2 models checked)"


def test_an_excluded_folder_named_on_the_command_line_is_skipped_and_said(repo: Path) -> None:
    result = run("check", "research/vendored/Llama-2-7b-hf", cwd=repo, cache=repo / ".cache")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"policy: {RESEARCH}",
        f"research/vendored/Llama-2-7b-hf: skipped: excluded by {RESEARCH}:5:11 (exclude: vendored)",
        "no problems (0 models checked)",
    ]
    report = json.loads(run("check", "research/vendored/Llama-2-7b-hf", "--format", "json", cwd=repo,
                            cache=repo / ".cache").stdout)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)
    assert report["skipped"] == [{"folder": "research/vendored/Llama-2-7b-hf",
                                  "reason": f"excluded by {RESEARCH}:5:11 (exclude: vendored)"}]
