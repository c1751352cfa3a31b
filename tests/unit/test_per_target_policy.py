"""`targets` entries with their own namespaces and name template, and `exclude`."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from hfname_guard import PolicyError, Target, check, load_policy
from hfname_guard.base_policy import BasePolicy
from hfname_guard.findings import Report, Skipped
from hfname_guard.policy import POLICY_FILE_NAME, Policies
from hfname_guard.report import markdown_report, reporter
from hfname_guard.resources import schema_path
from hfname_guard.targets import is_model_folder, target_of, targets_from_arguments, targets_from_files

pytestmark = pytest.mark.usefixtures("cache_dir")

ROOT = Path(__file__).resolve().parents[2]
CARD = "---\nlicense: mit\npipeline_tag: text-generation\n---\n"
MONOREPO = """\
version: 1
namespaces: [acme]
name:
  template: "{architecture}-{parameters}-v{version}"
  fields:
    project: {enum: [atlas, orion]}
targets:
  "models/*": "acme/{dir}"
  "research/*/*":
    repo-id: "acme-research/{dir}"
    namespaces: [acme-research, acme-labs]
    name:
      template: "{architecture}-{parameters}-{project}"
  "labs/*":
    namespaces: [acme-labs]
exclude:
  - vendored/**
  - fixtures
"""


@pytest.fixture
def repo(write: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(POLICY_FILE_NAME, MONOREPO)
    for folder in ("models/llama-7b-v1", "models/llama-7b-atlas", "research/2026/llama-7b-atlas",
                   "research/2026/llama-7b-v1", "labs/bert-110m-v2", "vendored/hub/Llama-2-7b-hf",
                   "fixtures/broken/x"):
        write(f"{folder}/README.md", CARD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rules_by_folder(report: Report) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {str(target.folder): [] for target in report.targets}
    for finding in report.findings:
        folder = next(folder for folder in found if (finding.file or "").startswith(folder))
        found[folder].append(finding.rule)
    return found


def test_the_old_shape_still_loads_and_means_what_it_meant(write: Callable[..., Path]) -> None:
    policy = load_policy(write("p.yaml", 'version: 1\ntargets:\n  "models/*": "acme/{dir}"\n'))
    [entry] = policy.targets
    assert (entry.glob, entry.repo_id, entry.namespaces, entry.name) == ("models/*", "acme/{dir}", None, None)


def test_namespaces_and_template_of_an_entry_judge_its_folders_only(repo: Path) -> None:
    policy = load_policy(POLICY_FILE_NAME)
    folders = ["models/llama-7b-v1", "models/llama-7b-atlas", "research/2026/llama-7b-atlas",
               "research/2026/llama-7b-v1"]
    report = check(targets_from_arguments(folders, None, policy), policy)
    assert [target.repo_id for target in report.targets] == [
        "acme/llama-7b-v1", "acme/llama-7b-atlas", "acme-research/llama-7b-atlas", "acme-research/llama-7b-v1"]
    found = rules_by_folder(report)
    assert found["models/llama-7b-v1"] == [] and found["research/2026/llama-7b-atlas"] == []
    assert found["models/llama-7b-atlas"] == ["name/template"]  # the policy's template wants -v{version}
    assert found["research/2026/llama-7b-v1"] and all(rule.startswith("name/")  # its entry's wants -{project}
                                                      for rule in found["research/2026/llama-7b-v1"])


def test_an_entry_without_repo_id_names_its_folders_under_its_own_first_namespace(repo: Path) -> None:
    policy = load_policy(POLICY_FILE_NAME)
    target = target_of("labs/bert-110m-v2", policy)
    assert (target.repo_id, target.repo_id_source) == ("acme-labs/bert-110m-v2", "folder name under `acme-labs`")
    assert check([target], policy).findings == []
    elsewhere = check([Target("acme-labs/bert-110m-v2", "models/llama-7b-v1")], policy)
    assert [finding.rule for finding in elsewhere.findings] == ["repo-id/namespace"], "acme-labs is not models/'s"


def test_for_folder_replaces_only_what_the_entry_sets(repo: Path) -> None:
    policy = load_policy(POLICY_FILE_NAME)
    assert policy.for_folder("models/llama-7b-v1") is policy
    assert policy.for_folder("elsewhere") is policy
    assert policy.for_folder(None) is policy
    labs = policy.for_folder("labs/x")
    assert labs.namespaces == ("acme-labs",) and labs.name is policy.name
    research = policy.for_folder(str(repo / "research/2026/x"))  # absolute or relative: the same folder
    assert research.namespaces == ("acme-research", "acme-labs")
    assert research.name.template is not None and list(research.name.template.fields) == ["architecture", "parameters",
                                                                                           "project"]
    assert research.name.case == policy.name.case and research.waivers == policy.waivers


def test_an_entrys_template_is_compiled_once_at_load(repo: Path) -> None:
    policy = load_policy(POLICY_FILE_NAME)
    assert policy.for_folder("research/a/b").name is policy.for_folder("research/c/d").name


def test_an_entrys_template_errors_are_placed_at_its_line(write: Callable[..., Path]) -> None:
    path = write("p.yaml", 'version: 1\ntargets:\n  "r/*":\n    name: {template: "{architecture}-{projet}"}\n')
    with pytest.raises(PolicyError) as raised:
        load_policy(path)
    assert raised.value.problems == [
        f"{path}:4:12: targets.r/*.name.template: field `{{projet}}` is not defined; define it under name.fields"]


@pytest.mark.parametrize(("entry", "expected"), [
    ("{namespace: [x]}", "targets.r/*.namespace: unknown key `namespace`; did you mean `namespaces`?"),
    ("{name: {case: lower}}", "targets.r/*.name.case: unknown key `case`; expected one of: template"),
    ("[acme]", "targets.r/*: expected a string or a mapping, found a list"),
    ("{repo-id: 'acme/{name}'}", "targets.r/*.repo-id: `acme/{name}` does not match"),
])
def test_an_entry_is_checked_against_the_schema(write: Callable[..., Path], entry: str, expected: str) -> None:
    with pytest.raises(PolicyError) as raised:
        load_policy(write("p.yaml", f'version: 1\ntargets:\n  "r/*": {entry}\n'))
    assert expected in raised.value.problems[0]


# ----- exclude ----------------------------------------------------------------------------------


def test_a_folder_is_excluded_when_it_or_a_folder_above_it_matches(repo: Path) -> None:
    policy = load_policy(POLICY_FILE_NAME)
    excluded = {folder: policy.excluded_by(folder) for folder in (
        "vendored/hub/Llama-2-7b-hf", "vendored/x", "vendored", "fixtures", "fixtures/broken/x", "models/a",
        "fixtures-2", str(repo / "vendored/hub"), "../vendored/x")}
    assert {folder: exclusion.glob for folder, exclusion in excluded.items() if exclusion is not None} == {
        "vendored/hub/Llama-2-7b-hf": "vendored/**", "vendored/x": "vendored/**", "fixtures": "fixtures",
        "fixtures/broken/x": "fixtures", str(repo / "vendored/hub"): "vendored/**"}


def test_star_matches_across_slashes_as_documented(write: Callable[..., Path]) -> None:
    policy = load_policy(write("p.yaml", "version: 1\nexclude: ['a/*/c']\n"))
    assert policy.excluded_by(str(Path(policy.root) / "a/b/x/c")) is not None
    assert policy.excluded_by(str(Path(policy.root) / "a/c")) is None


def test_the_reason_names_the_file_line_column_and_entry(repo: Path) -> None:
    exclusion = load_policy(str(repo / POLICY_FILE_NAME)).excluded_by("vendored/hub/Llama-2-7b-hf")
    assert exclusion is not None
    assert exclusion.reason() == f"excluded by {POLICY_FILE_NAME}:17:5 (exclude: vendored/**)"


def test_an_excluded_folder_is_no_model_folder_to_a_commits_files(repo: Path) -> None:
    policy = load_policy(POLICY_FILE_NAME)
    assert not is_model_folder("vendored/hub/Llama-2-7b-hf", policy)
    files = ["vendored/hub/Llama-2-7b-hf/README.md", "fixtures/broken/x/README.md", "models/llama-7b-v1/README.md"]
    assert [target.folder for target in targets_from_files(files, Policies())] == ["models/llama-7b-v1"]
    assert [target.folder for target in targets_from_files(files, policy)] == ["models/llama-7b-v1"]


def test_an_excluded_folder_named_to_be_checked_is_skipped_with_its_reason(repo: Path) -> None:
    policies = Policies()
    report = check(targets_from_arguments(["vendored/hub/Llama-2-7b-hf", "models/llama-7b-v1"], None, policies),
                   policies)
    assert [target.folder for target in report.targets] == ["models/llama-7b-v1"]
    assert report.skipped == (Skipped("vendored/hub/Llama-2-7b-hf",
                                      f"excluded by {POLICY_FILE_NAME}:17:5 (exclude: vendored/**)"),)
    assert report.summary["targets"] == 1 and report.exit_code("error") == 0
    text = reporter("text").render(report, color=False)
    assert text.splitlines()[:2] == [
        f"policy: {POLICY_FILE_NAME}",
        f"vendored/hub/Llama-2-7b-hf: skipped: excluded by {POLICY_FILE_NAME}:17:5 (exclude: vendored/**)"]


def test_the_skipped_folders_and_the_policy_in_json_sarif_and_markdown(repo: Path) -> None:
    report = check(targets_from_arguments(["vendored/hub/Llama-2-7b-hf", "models/llama-7b-atlas"], None,
                                          Policies()))
    document = json.loads(reporter("json").render(report, color=False))
    jsonschema.Draft202012Validator(json.loads(Path(schema_path("report.schema.json")).read_text("utf-8"))).validate(
        document)
    assert document["policy"] == POLICY_FILE_NAME and document["targets"][0]["policy"] == POLICY_FILE_NAME
    assert document["skipped"] == [{"folder": "vendored/hub/Llama-2-7b-hf",
                                    "reason": f"excluded by {POLICY_FILE_NAME}:17:5 (exclude: vendored/**)"}]
    sarif = json.loads(reporter("sarif").render(report, color=False))
    sarif_schema = json.loads((ROOT / "tests/fixtures/sarif-schema-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator(sarif_schema).validate(sarif)
    properties = sarif["runs"][0]["properties"]
    assert properties["policy"] == POLICY_FILE_NAME and properties["skipped"] == document["skipped"]
    body = markdown_report.comment_body(document)
    assert f"Policy: <code>{POLICY_FILE_NAME}</code>" in body
    assert "- <code>vendored/hub/Llama-2-7b-hf</code>: excluded by" in body


def test_the_actions_base_policy_is_named_as_the_repository_holds_it(repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "runner-copy"
    copy.mkdir()
    base = BasePolicy("0123456789abcdef0123456789abcdef01234567", POLICY_FILE_NAME,
                      {POLICY_FILE_NAME: MONOREPO.encode()})
    policy = base.load(root=str(repo), folder=str(copy))
    assert policy.label == f"{POLICY_FILE_NAME} (base commit 0123456)"
    report = check(targets_from_arguments(["vendored/hub/Llama-2-7b-hf", "labs/bert-110m-v2"], None, policy), policy)
    assert report.policy == policy.label
    assert [target.repo_id for target in report.targets] == ["acme-labs/bert-110m-v2"], "its targets apply"
    assert report.skipped[0].reason == f"excluded by {POLICY_FILE_NAME}:17:5 (exclude: vendored/**)"


# ----- the README's monorepo example ------------------------------------------------------------


def test_the_readmes_monorepo_example_is_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### One repository, several policies", 1)[1].split("\n## ", 1)[0]
    policy_text = re.search(r"```yaml\n(.*?)```", section, re.DOTALL).group(1)  # type: ignore[union-attr]
    command, shown = re.search(r"```\n\$ hfname-guard (check [^\n]+)\n(.*?)```", section,  # type: ignore[union-attr]
                               re.DOTALL).groups()
    (tmp_path / POLICY_FILE_NAME).write_text(policy_text, encoding="utf-8")
    for folder in ("vendor/Llama-2-7b-hf", "research/2026/bert-110m-ner", "models/llama-8b-chat-v1"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "README.md").write_text(CARD, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    policies = Policies()
    report = check(targets_from_arguments(command.split()[1:], None, policies), policies)
    assert reporter("text").render(report, color=False) == shown
    research = target_of("research/2026/bert-110m-ner", policies.of("research/2026/bert-110m-ner"))
    assert research.repo_id == "northwind-research/bert-110m-ner"
    assert policies.of(".").for_folder("research/2026/bert-110m-ner").namespaces == ("northwind-research",)
    assert os.path.isdir("vendor")
