"""Documentation that is generated or quoted stays true."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from hfname_guard.names.explain import as_text
from hfname_guard.rules_doc import markdown

ROOT = Path(__file__).resolve().parents[2]


def test_rules_reference_is_up_to_date() -> None:
    assert (ROOT / "docs/rules.md").read_text(encoding="utf-8") == markdown(), (
        "docs/rules.md is stale: run `hfname-guard rules --format markdown > docs/rules.md`"
    )


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(python3 -m venv .*)\n```", readme)
    assert len(commands) == 2, "the quickstart has exactly two commands"
    test_command = next(command for command in commands if "pytest" in command)
    ci_lines = (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


EXPLAIN_EXAMPLE = re.compile(r"```\n\$ hfname-guard explain (\S+)\n(.*?)```", re.DOTALL)


def test_explain_examples_show_what_explain_prints() -> None:
    examples = [
        match
        for document in ("README.md", "docs/names.md")
        for match in EXPLAIN_EXAMPLE.findall((ROOT / document).read_text(encoding="utf-8"))
    ]
    assert len(examples) >= 2
    for name, shown in examples:
        assert shown == as_text(name), f"the example of `hfname-guard explain {name}` is stale"


CHECK_EXAMPLE = re.compile(r"```\n\$ cd examples && hfname-guard (check [^\n]+)\n(.*?)```", re.DOTALL)


def test_check_examples_show_what_check_prints(tmp_path: Path) -> None:
    examples = CHECK_EXAMPLE.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert examples
    for command, shown in examples:
        environ = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), "HFNAME_GUARD_CACHE_DIR": str(tmp_path)}
        printed = subprocess.run([sys.executable, "-m", "hfname_guard", *command.split()], cwd=ROOT / "examples",
                                 capture_output=True, text=True, timeout=60, env=environ).stdout
        assert printed == shown, f"the README's example of `hfname-guard {command}` is stale"


def test_the_readmes_policy_snippets_load(tmp_path: Path) -> None:
    """Every YAML block of the README made of policy sections is a policy that loads (with
    `version: 1` added where a snippet leaves it out)."""
    from hfname_guard import load_policy

    schema = (ROOT / "schemas/policy.schema.json").read_text(encoding="utf-8")
    sections = set(re.findall(r'^    "([a-z-]+)": \{$', schema, re.MULTILINE))
    blocks = re.findall(r"^```yaml\n(.*?)^```$", (ROOT / "README.md").read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)
    loaded = 0
    for block in blocks:
        keys = set(re.findall(r"^([a-z-]+):", block, re.MULTILINE))
        if not keys or not keys <= sections or "extends" in keys and "targets" in keys:
            continue  # a workflow or pre-commit file, or a policy that names the example repository's folders
        path = tmp_path / f"policy-{loaded}.yaml"
        path.write_text(block if "version" in keys else "version: 1\n" + block, encoding="utf-8")
        load_policy(str(path))
        loaded += 1
    assert loaded >= 2
