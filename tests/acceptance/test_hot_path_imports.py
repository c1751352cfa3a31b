"""The check path stays light: no huggingface_hub, no jsonschema (DESIGN.md "Budgets").

Each run is a fresh interpreter, as a pre-commit hook is, that reports the modules it loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
HEAVY = ("huggingface_hub", "jsonschema")

PROBE = """
import json, sys
from hfname_guard.cli import main
code = main(sys.argv[1:])
json.dump({"code": code, "modules": sorted(sys.modules)}, sys.stderr)
"""


def run_check(args: list[str], cwd: Path, cache: Path) -> tuple[int, set[str]]:
    env = {**os.environ, "HFNAME_GUARD_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, "check", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )
    result = json.loads(completed.stderr.strip().splitlines()[-1])
    return result["code"], set(result["modules"])


def heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.split(".")[0] in HEAVY)


def test_second_check_with_a_policy_file_imports_neither(tmp_path: Path) -> None:
    folder = "models/llama-8b-chat-en-v1"
    code, first = run_check([folder], EXAMPLES, tmp_path)
    assert code == 0
    assert "jsonschema" in first, "the first run validates the policy, so the probe must see jsonschema"
    code, second = run_check([folder], EXAMPLES, tmp_path)
    assert code == 0
    assert heavy(second) == []


def test_check_with_the_built_in_policy_imports_neither(tmp_path: Path) -> None:
    model = tmp_path / "llama-7b-chat"
    model.mkdir()
    (model / "README.md").write_text("---\nlicense: mit\npipeline_tag: text-generation\n---\n", encoding="utf-8")
    code, modules = run_check([str(model)], tmp_path, tmp_path / "cache")
    assert code == 0
    assert heavy(modules) == []


def test_a_changed_policy_is_validated_again(tmp_path: Path) -> None:
    policy = tmp_path / ".hfname-guard.yaml"
    policy.write_text("version: 1\nnamespaces: [acme]\n", encoding="utf-8")
    cache = tmp_path / "cache"
    run_check(["--repo-id", "acme/llama-7b"], tmp_path, cache)
    policy.write_text("version: 1\nnamespaces: [acme, beta]\n", encoding="utf-8")
    _, modules = run_check(["--repo-id", "acme/llama-7b"], tmp_path, cache)
    assert "jsonschema" in modules


def test_a_name_that_writes_its_words_whole_needs_no_tagger(tmp_path: Path) -> None:
    """`llama` and `en` are written whole, and agree with the card: the name tagger, whose tables
    cost milliseconds to build, is not loaded (issue 16's cold-start budget)."""
    code, modules = run_check(["models/llama-8b-chat-en-v1"], EXAMPLES, tmp_path)
    assert code == 0
    assert "hfname_guard.names.tagger" not in modules
