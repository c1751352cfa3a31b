"""A rule id or family under `rules:` or in a waiver must name a rule: a misspelt one is a policy
error (exit 2) at its file:line:column with a did-you-mean, as a misspelt key is, and
`internal/rule-error` can be neither configured nor waived."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hfname_guard import load_policy
from hfname_guard.errors import PolicyError
from hfname_guard.rules import all_rules

pytestmark = pytest.mark.usefixtures("cache_dir")

ROOT = Path(__file__).resolve().parents[2]


def run(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "hfname_guard", *arguments], cwd=cwd, capture_output=True,
                          text=True, timeout=60, env=env)


def write_policy(folder: Path, body: str) -> Path:
    path = folder / ".hfname-guard.yaml"
    path.write_text("version: 1\n" + textwrap.dedent(body), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    return caught.value.problems


MISSPELT = """\
rules:
  consistency/sise: off
  cards/*: warning
  name/templat: warning
waivers:
  - repo-id: "acme/legacy-*"
    rules: [name/*, nme/*, card/licence]
    reason: "published before the policy"
"""


@pytest.mark.parametrize("command", [("policy", "validate", ".hfname-guard.yaml"),
                                     ("check", "--repo-id", "acme/llama-base")])
def test_misspelt_rule_ids_and_families_are_exit_2_with_position_and_did_you_mean(tmp_path: Path,
                                                                                    command: tuple[str, ...]) -> None:
    path = write_policy(tmp_path, MISSPELT)
    result = run(*command, cwd=tmp_path)
    assert result.returncode == 2, result
    lines = [line.partition(path.name)[2] for line in result.stderr.splitlines() if path.name in line]
    assert lines == [
        ":3:3: rules.consistency/sise: unknown rule `consistency/sise`; did you mean `consistency/size`?",
        ":4:3: rules.cards/*: unknown rule family `cards`; did you mean `card/*`?",
        ":5:3: rules.name/templat: unknown rule `name/templat`; did you mean `name/template`?",
        ":8:21: waivers.0.rules.1: unknown rule family `nme`; did you mean `name/*`?",
        ":8:28: waivers.0.rules.2: unknown rule `card/licence`; did you mean `card/license`?",
    ]
    assert result.stdout == ""  # nothing was checked: a bad policy is never a model violation


def test_an_unknown_id_with_nothing_near_it_points_at_the_list(tmp_path: Path) -> None:
    [rule, family] = problems(write_policy(tmp_path, "rules:\n  name/zorblax: off\n  zorblax/*: off\n"))
    assert rule.endswith(": rules.name/zorblax: unknown rule `name/zorblax`; `hfname-guard rules` lists the rule ids")
    assert family.endswith(": rules.zorblax/*: unknown rule family `zorblax`; the families are `artifacts/*`, "
                           "`card/*`, `consistency/*`, `gguf/*`, `hub/*`, `name/*`, `repo-id/*`")


@pytest.mark.parametrize(("body", "where", "verb"), [
    ("rules:\n  internal/rule-error: off\n", "3:3: rules.internal/rule-error: `internal/rule-error`", "configured"),
    ("rules:\n  internal/*: warning\n", "3:3: rules.internal/*: `internal/*`", "configured"),
    ('waivers:\n  - repo-id: "acme/*"\n    rules: [internal/rule-error]\n    reason: "flaky"\n',
     "4:13: waivers.0.rules.0: `internal/rule-error`", "waived"),
    ('waivers:\n  - repo-id: "acme/*"\n    rules: [internal/*]\n    reason: "flaky"\n',
     "4:13: waivers.0.rules.0: `internal/*`", "waived"),
])
def test_the_internal_rule_cannot_be_configured_or_waived(tmp_path: Path, body: str, where: str, verb: str) -> None:
    path = write_policy(tmp_path, body)
    assert problems(path) == [
        f"{path}:{where} cannot be {verb}: it reports that a rule failed to run, always as an error, "
        "and no policy may hide that"
    ]
    result = run("policy", "validate", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert f"cannot be {verb}" in result.stderr


def test_every_rule_and_family_is_accepted(tmp_path: Path) -> None:
    configurable = [rule.ID for rule in all_rules() if rule.SUBJECT != "internal"]
    families = sorted({rule_id.split("/")[0] + "/*" for rule_id in configurable})
    rules = "".join(f"  {selector}: warning\n" for selector in [*configurable, *families])
    waiver = f'waivers:\n  - repo-id: "acme/*"\n    rules: {json.dumps([*configurable, *families])}\n    reason: "all"\n'
    policy = load_policy(write_policy(tmp_path, "rules:\n" + rules + waiver))
    assert set(policy.severities) == {*configurable, *families}
    assert run("policy", "validate", ".hfname-guard.yaml", cwd=tmp_path).returncode == 0


def test_an_extended_file_is_reported_at_its_own_lines(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("version: 1\nrules:\n  name/lenght: off\n", encoding="utf-8")
    path = write_policy(tmp_path, "extends: base.yaml\n")
    assert problems(path) == [
        f"{tmp_path / 'base.yaml'}:3:3: rules.name/lenght: unknown rule `name/lenght`; did you mean `name/length`?"
    ]


def test_a_selector_of_the_wrong_shape_is_reported_once(tmp_path: Path) -> None:
    """The schema's pattern already says it; the registry check does not say it again."""
    [problem] = problems(write_policy(tmp_path, "rules:\n  Name/Case: off\n"))
    assert "rules.Name/Case" in problem and "unknown rule" not in problem


def test_a_valid_policy_loads_again_without_importing_the_rules(tmp_path: Path, cache_dir: Path) -> None:
    """The registry is read with the schema validation, once per policy content: the hook's path
    (a remembered policy) pays nothing for it."""
    path = write_policy(tmp_path, "rules:\n  consistency/size: off\n")
    code = ("import sys; from hfname_guard import load_policy; load_policy(sys.argv[1]); "
            "print('hfname_guard.rules.consistency_size' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HFNAME_GUARD_CACHE_DIR": str(cache_dir)}
    imported = [subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, env=env,
                               timeout=60, check=True).stdout.strip() for _ in range(2)]
    assert imported == ["True", "False"]
