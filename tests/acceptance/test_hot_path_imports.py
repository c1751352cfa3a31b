"""The check path stays light: no huggingface_hub, no jsonschema (DESIGN.md "Budgets"), and no
PyYAML for a policy and a card parsed before (the parse cache).

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


def run_check(args: list[str], cwd: Path, cache: Path) -> tuple[int, set[str], str]:
    env = {**os.environ, "HFNAME_GUARD_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, "check", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )
    result = json.loads(completed.stderr.strip().splitlines()[-1])
    return result["code"], set(result["modules"]), completed.stdout


def heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.split(".")[0] in HEAVY)


def test_second_check_with_a_policy_file_imports_neither(tmp_path: Path) -> None:
    folder = "models/llama-8b-chat-en-v1"
    code, first, _ = run_check([folder], EXAMPLES, tmp_path)
    assert code == 0
    assert "jsonschema" in first, "the first run validates the policy, so the probe must see jsonschema"
    code, second, _ = run_check([folder], EXAMPLES, tmp_path)
    assert code == 0
    assert heavy(second) == []


def test_check_with_the_built_in_policy_imports_neither(tmp_path: Path) -> None:
    model = tmp_path / "llama-7b-chat"
    model.mkdir()
    (model / "README.md").write_text("---\nlicense: mit\npipeline_tag: text-generation\n---\n", encoding="utf-8")
    code, modules, _ = run_check([str(model)], tmp_path, tmp_path / "cache")
    assert code == 0
    assert heavy(modules) == []


def test_a_changed_policy_is_validated_again(tmp_path: Path) -> None:
    policy = tmp_path / ".hfname-guard.yaml"
    policy.write_text("version: 1\nnamespaces: [acme]\n", encoding="utf-8")
    cache = tmp_path / "cache"
    run_check(["--repo-id", "acme/llama-7b"], tmp_path, cache)
    policy.write_text("version: 1\nnamespaces: [acme, beta]\n", encoding="utf-8")
    _, modules, _ = run_check(["--repo-id", "acme/llama-7b"], tmp_path, cache)
    assert "jsonschema" in modules


def test_a_name_that_writes_its_words_whole_needs_no_tagger(tmp_path: Path) -> None:
    """`llama` and `en` are written whole, and agree with the card: the name tagger, whose tables
    cost milliseconds to build, is not loaded (issue 16's cold-start budget)."""
    code, modules, _ = run_check(["models/llama-8b-chat-en-v1"], EXAMPLES, tmp_path)
    assert code == 0
    assert "hfname_guard.names.tagger" not in modules


def test_a_second_check_reads_the_policy_and_card_without_pyyaml(tmp_path: Path) -> None:
    """The examples' policy (its preset, a waiver's date) and a card, parsed by the first run,
    are read back from the parse cache by the second, which reports the same."""
    folders = ["models/llama-8b-chat-en-v1", "models/legacy-chatbot", "models/qwen-1.5b-chat-v1"]
    code, first, said = run_check(folders, EXAMPLES, tmp_path)
    assert "yaml" in first
    again, second, said_again = run_check(folders, EXAMPLES, tmp_path)
    assert (again, said_again) == (code, said)
    assert "1 waived" in said
    assert sorted(name for name in second if name.split(".")[0] == "yaml") == []



def test_the_hook_as_pre_commit_runs_it_never_imports_argparse(tmp_path: Path) -> None:
    """`hfname-guard hook FILE...` with no option (and `check PATH...`) skips argparse and the
    gettext lookups its parser makes; an option brings it back, with the same findings."""
    env = {**os.environ, "HFNAME_GUARD_CACHE_DIR": str(tmp_path), "NO_COLOR": "1"}
    files = ["models/llama-8b-chat-en-v1/README.md", "models/lamma-8b-chat-v1/README.md"]

    def hook(*options: str) -> tuple[int, set[str], str]:
        completed = subprocess.run([sys.executable, "-c", PROBE, "hook", *options, *files], cwd=EXAMPLES, env=env,
                                   capture_output=True, text=True, timeout=60)
        result = json.loads(completed.stderr.strip().splitlines()[-1])
        return result["code"], set(result["modules"]), completed.stdout

    code, modules, said = hook()
    assert code == 1 and "name/unknown-word" in said
    assert "argparse" not in modules and "gettext" not in modules
    same = hook("--fail-on", "error")
    assert (same[0], same[2]) == (code, said) and "argparse" in same[1]
