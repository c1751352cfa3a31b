"""Each checked folder finds its policy from its own folder upwards, and the report names it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from hfname_guard import Target, check, load_policy
from hfname_guard import policy as policy_module
from hfname_guard.policy import BUILT_IN_LABEL, POLICY_FILE_NAME, Policies, discover
from hfname_guard.targets import targets_from_arguments, targets_from_files

pytestmark = pytest.mark.usefixtures("cache_dir")

CARD = "---\nlicense: mit\npipeline_tag: text-generation\n---\n"


@pytest.fixture
def monorepo(write: Callable[..., Path], tmp_path: Path) -> Path:
    """Two teams, each with its own policy, and a folder no policy covers but the top one."""
    write(POLICY_FILE_NAME, "version: 1\nnamespaces: [top]\n")
    write(f"products/{POLICY_FILE_NAME}", "version: 1\nnamespaces: [products]\n")
    write(f"research/{POLICY_FILE_NAME}", "version: 1\nnamespaces: [research]\nname:\n  forbidden-words: [base]\n")
    for folder in ("products/models/llama-7b-base", "research/bert-base", "other/t5-small"):
        write(f"{folder}/README.md", CARD)
    return tmp_path


def no_policy_above(folder: Path) -> None:
    if discover(folder) is not None:  # pragma: no cover - a stray policy above the temporary folder
        pytest.fail(f"a policy file above the temporary folder would decide these tests: {discover(folder)}; "
                    "remove it, or run the tests with another TMPDIR")


def test_each_folder_gets_the_nearest_policy_from_its_own_folder_up(monorepo: Path) -> None:
    policies = Policies()
    assert policies.of(str(monorepo / "products/models/llama-7b-base")).namespaces == ("products",)
    assert policies.of(str(monorepo / "research/bert-base")).namespaces == ("research",)
    assert policies.of(str(monorepo / "other/t5-small")).namespaces == ("top",)


def test_not_from_the_working_directory(monorepo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(monorepo / "research")
    policies = Policies()
    assert policies.of(str(monorepo / "products/models/llama-7b-base")).namespaces == ("products",)
    assert policies.of(None).namespaces == ("research",), "a repo id alone: the working directory's"
    monkeypatch.chdir("/")
    assert Policies().of(str(monorepo / "research/bert-base")).namespaces == ("research",)


def test_each_policy_file_is_loaded_once_and_each_folder_looked_at_once(
        monorepo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loaded: list[str] = []
    real_load = policy_module.load_policy

    def counting(path: str | None = None, **options: object) -> object:
        loaded.append(str(path))
        return real_load(path, **options)  # type: ignore[arg-type]

    looked: list[str] = []
    real_isfile = os.path.isfile
    monkeypatch.setattr(policy_module, "load_policy", counting)
    monkeypatch.setattr(policy_module.os.path, "isfile", lambda path: looked.append(path) or real_isfile(path))
    policies = Policies()
    folders = [monorepo / "products/models" / name for name in ("a", "b", "c")]
    for folder in folders:
        assert policies.of(str(folder)).namespaces == ("products",)
    assert loaded == [str(monorepo / "products" / POLICY_FILE_NAME)]
    assert len(looked) == len(set(looked)) == 5  # a, b, c, models, products: no folder twice


def test_without_any_policy_file_the_built_in_default_and_its_label(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    no_policy_above(tmp_path)
    (tmp_path / "llama-7b").mkdir()
    monkeypatch.chdir(tmp_path)
    policy = Policies().of("llama-7b")
    assert policy.file is None and policy.label == BUILT_IN_LABEL == "built-in default"
    report = check([Target("llama-7b", "llama-7b")])
    assert report.policy == BUILT_IN_LABEL and report.targets[0].policy == BUILT_IN_LABEL


def test_a_given_policy_judges_every_folder(monorepo: Path, write: Callable[..., Path]) -> None:
    given = load_policy(write("elsewhere/strict.yaml", "version: 1\nnamespaces: [given]\n"))
    policies = Policies(given)
    assert policies.of(str(monorepo / "research/bert-base")) is given
    assert policies.of(None) is given


def test_the_label_is_the_file_relative_to_the_working_directory_when_inside_it(monorepo: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(monorepo)
    assert Policies().of("research/bert-base").label == os.path.join("research", POLICY_FILE_NAME)
    monkeypatch.chdir(monorepo / "research")
    outside = Policies().of("../products/models/llama-7b-base").label
    assert outside == str(monorepo / "products" / POLICY_FILE_NAME), "outside the working directory: absolute"


def test_two_folders_under_two_policies_in_one_check(monorepo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(monorepo)
    policies = Policies()
    targets = targets_from_arguments(["products/models/llama-7b-base", "research/bert-base"], None, policies)
    assert [target.repo_id for target in targets] == ["products/llama-7b-base", "research/bert-base"]
    report = check(targets, policies)
    assert report.policy is None, "several policies: none is the run's"
    assert report.policies == [os.path.join("products", POLICY_FILE_NAME), os.path.join("research", POLICY_FILE_NAME)]
    assert [target.policy for target in report.targets] == report.policies
    forbidden = [finding.repo_id for finding in report.findings if finding.rule == "name/forbidden"]
    assert forbidden == ["research/bert-base"], "only research's policy forbids `base`"


def test_one_policy_for_all_is_the_runs(monorepo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(monorepo)
    policy = load_policy(POLICY_FILE_NAME)
    report = check(targets_from_arguments(["products/models/llama-7b-base", "research/bert-base"], None, policy),
                   policy)
    assert report.policy == POLICY_FILE_NAME
    assert {target.repo_id for target in report.targets} == {"top/llama-7b-base", "top/bert-base"}


def test_with_nothing_checked_the_report_names_the_working_directorys_policy(
        monorepo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(monorepo / "research")
    assert check([]).policy == POLICY_FILE_NAME
    assert check([], Policies()).policies == [POLICY_FILE_NAME]


def test_the_hook_groups_files_of_two_subtrees_each_under_its_policy(monorepo: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(monorepo)
    files = ["research/bert-base/README.md", "products/models/llama-7b-base/README.md", "README.md"]
    targets = targets_from_files(files, Policies())
    assert [(target.folder, target.repo_id) for target in targets] == [
        ("research/bert-base", "research/bert-base"), ("products/models/llama-7b-base", "products/llama-7b-base")]


def test_a_bad_policy_of_one_folder_is_a_policy_error(monorepo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hfname_guard import PolicyError

    (monorepo / "research" / POLICY_FILE_NAME).write_text("version: 1\nnamespace: [x]\n", encoding="utf-8")
    monkeypatch.chdir(monorepo)
    with pytest.raises(PolicyError, match="did you mean `namespaces`"):
        targets_from_arguments(["products/models/llama-7b-base", "research/bert-base"], None, Policies())
