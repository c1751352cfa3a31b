"""The shipped examples behave as examples/models/README.md says (the README's first command)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import jsonschema

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

EXPECTED = {
    "llama-8b-chat-en-v1": set(),
    "mistral-7b-instruct-v2": set(),
    "legacy-chatbot": set(),
    "Llama-8B-Chat": {"name/case", "name/template"},
    "lamma-8b-chat-v1": {"name/unknown-word"},
    "qwen-1.5b-chat-v1": {"card/license", "card/language", "card/pipeline-tag", "card/base-model", "card/tags"},
    "phi-3.8b-ner-v1": {"card/syntax"},
    "gemma-2b-it-test-v1": {"name/forbidden", "name/unknown-word", "card/missing"},
    "minilm-22m-embed-en-v1": {"card/required", "card/tags"},
    "bert-110m-ner-en-v1": {"consistency/architecture", "consistency/base-model"},
}


def check_examples(tmp_path: Path, *formats: str) -> subprocess.CompletedProcess[str]:
    folders = sorted(str(path.relative_to(EXAMPLES)) for path in (EXAMPLES / "models").iterdir() if path.is_dir())
    env = {**os.environ, "HFNAME_GUARD_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "hfname_guard", "check", *folders, *formats],
        cwd=EXAMPLES, env=env, capture_output=True, text=True, timeout=60,
    )


def test_each_example_fails_exactly_as_documented(tmp_path: Path) -> None:
    completed = check_examples(tmp_path, "--format", "json")
    assert completed.returncode == 1, completed.stderr
    report = json.loads(completed.stdout)
    jsonschema.validate(report, json.loads((ROOT / "schemas/report.schema.json").read_text(encoding="utf-8")))
    rules_by_folder: dict[str, set[str]] = defaultdict(set)
    for finding in report["findings"]:
        rules_by_folder[Path(finding["file"]).relative_to("models").parts[0]].add(finding["rule"])
    assert {folder: rules_by_folder[folder] for folder in EXPECTED} == EXPECTED
    assert set(rules_by_folder) <= set(EXPECTED)
    assert report["summary"]["waived"] > 0, "legacy-chatbot's name findings are waived"
    documented = (EXAMPLES / "models/README.md").read_text(encoding="utf-8")
    assert all(f"`{folder}`" in documented for folder in EXPECTED)


def test_text_output_names_file_line_and_fix(tmp_path: Path) -> None:
    completed = check_examples(tmp_path)
    assert completed.returncode == 1
    assert "models/qwen-1.5b-chat-v1/README.md:2:1: error: license `apache2` is not allowed by the policy; " \
           "did you mean `apache-2.0`? [card/license]" in completed.stdout
    assert "    fix: northwind/llama-8b-chat-en-v1" in completed.stdout
    assert "\033[" not in completed.stdout
