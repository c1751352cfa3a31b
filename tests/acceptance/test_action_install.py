"""The Action's install: hfname-guard's own package copied in, the pinned dependencies of
hfname_guard/requirements/check.txt through the runner's pip, and the Hub client
(requirements/hub.txt) only when a run goes online. Each test installs afresh, as a hosted runner does."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from action_runner import run_action
from action_setup import CHECK, GOOD_CARD, INSTALL, base_environ, event_file, open_pull_request, serve
from github_server import TOKEN, FakeGitHub
from hub_server import FakeHub
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

NOT_INSTALLED = {"hf-xet", "click"}
"""What requirements/hub.txt leaves out of huggingface_hub's requirements, on purpose."""
ONLINE_POLICY = "version: 1\nextends: default\nnamespaces: [acme]\nhub:\n  online: true\n"
SURVEY = """\
import importlib.metadata as metadata, importlib.util, json, platform, sys
print(json.dumps({
    "python_version": "%d.%d" % sys.version_info[:2], "python_full_version": platform.python_version(),
    "modules": {name: importlib.util.find_spec(name) is not None
                for name in ("hfname_guard", "yaml", "jsonschema", "huggingface_hub", "pip")},
    "distributions": {d.metadata["Name"]: [d.version, d.requires or []] for d in metadata.distributions()},
}))
"""


def install(runner_temp: Path, workspace: Path) -> Path:
    """Run the install step alone; the environment's Python."""
    runner_temp.mkdir()
    run = run_action({"paths": "."}, workspace=workspace, runner_temp=runner_temp,
                     environ=base_environ(runner_temp), skip=(CHECK,), timeout=600)
    assert run.failed is None, run.logs[INSTALL].stderr
    return runner_temp / "hfname-guard" / "bin" / "python"


def survey(python: Path) -> dict[str, object]:
    result = subprocess.run([str(python), "-I", "-c", SURVEY], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def unmet_requirements(found: dict[str, object]) -> list[tuple[str, Requirement]]:
    """What `pip check` would say of the environment: each installed distribution's requirement,
    under that Python's markers, that no installed distribution satisfies."""
    distributions: dict[str, list[object]] = found["distributions"]  # type: ignore[assignment]
    installed = {canonicalize_name(name): version for name, (version, _) in distributions.items()}
    environment = {**default_environment(), "python_version": str(found["python_version"]),
                   "python_full_version": str(found["python_full_version"])}
    unmet = []
    for name, (_, requires) in distributions.items():
        for text in requires:  # type: ignore[attr-defined]
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate({**environment, "extra": ""}):
                continue
            have = installed.get(canonicalize_name(requirement.name))
            if have is None or not requirement.specifier.contains(have, prereleases=True):
                unmet.append((name, requirement))
    return unmet


def test_the_install_holds_the_check_and_its_dependencies_and_no_hub_client(tmp_path: Path) -> None:
    python = install(tmp_path / "runner-temp", tmp_path)
    found = survey(python)
    assert found["modules"] == {"hfname_guard": True, "yaml": True, "jsonschema": True, "huggingface_hub": False,
                                "pip": False}
    assert unmet_requirements(found) == []
    schemas = python.parents[1] / "lib" / f"python{found['python_version']}" / "site-packages" / "hfname_guard" / "schemas"
    assert (schemas / "policy.schema.json").is_file()


@pytest.fixture
def online_pull_request(tmp_path: Path) -> Iterator[tuple[Path, Path, dict[str, str], FakeGitHub, FakeHub]]:
    """A fresh install, and a pull request whose base policy turns the online checks on, adding
    acme/llama-7b-chat beside an existing acme/Llama-7B-Chat on the local Hub."""
    runner_temp, workspace = tmp_path / "runner-temp", tmp_path / "workspace"
    workspace.mkdir()
    install(runner_temp, tmp_path)
    pull = open_pull_request(workspace, 7, {"models/llama-7b-chat/README.md": GOOD_CARD},
                             base_files={".hfname-guard.yaml": ONLINE_POLICY})
    with FakeGitHub() as github, FakeHub() as hub:
        serve(github, pull)
        hub.add_models("acme", ["Llama-7B-Chat"])
        environ = {**base_environ(runner_temp), "GITHUB_API_URL": github.url, "GITHUB_TOKEN": TOKEN,
                   "GITHUB_EVENT_PATH": str(event_file(runner_temp / "event.json", pull)),
                   "GITHUB_EVENT_NAME": "pull_request", "GITHUB_SHA": pull.head, "HF_ENDPOINT": hub.url,
                   "HF_HOME": str(runner_temp / "hf-home"), "HF_HUB_DISABLE_TELEMETRY": "1"}
        yield runner_temp, workspace, environ, github, hub


def test_a_run_the_policy_turns_online_installs_the_hub_client_then(
        online_pull_request: tuple[Path, Path, dict[str, str], FakeGitHub, FakeHub]) -> None:
    runner_temp, workspace, environ, _, hub = online_pull_request
    run = run_action({"comment": "false"}, workspace=workspace, runner_temp=runner_temp, environ=environ,
                     skip=(INSTALL,))
    check = run.logs[CHECK]
    assert "hfname-guard: installing huggingface_hub for the online checks" in check.stdout
    report = json.loads(Path(run.outputs["report"]).read_text(encoding="utf-8"))
    assert [finding["rule"] for finding in report["findings"]] == ["hub/case-collision"], check.stderr
    assert hub.calls("GET"), "the check never asked the local Hub"
    found = survey(runner_temp / "hfname-guard" / "bin" / "python")
    assert found["modules"]["huggingface_hub"] is True  # type: ignore[index]
    unmet = unmet_requirements(found)
    assert {name for name, _ in unmet} == {"huggingface_hub"}
    assert {canonicalize_name(requirement.name) for _, requirement in unmet} == NOT_INSTALLED

    again = run_action({"comment": "false"}, workspace=workspace, runner_temp=runner_temp, environ=environ,
                       skip=(INSTALL,))
    assert "installing huggingface_hub" not in again.logs[CHECK].stdout  # installed once, then found


def test_a_hub_client_pip_cannot_install_is_one_clear_error(
        online_pull_request: tuple[Path, Path, dict[str, str], FakeGitHub, FakeHub]) -> None:
    runner_temp, workspace, environ, _, hub = online_pull_request
    nowhere = {**environ, "PIP_CONFIG_FILE": "/dev/null", "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": ""}
    run = run_action({"comment": "false"}, workspace=workspace, runner_temp=runner_temp, environ=nowhere,
                     skip=(INSTALL,))
    check = run.logs[CHECK]
    assert check.returncode == 2, check.stderr
    assert "hfname-guard: the online checks need huggingface_hub, and pip could not install it: ERROR:" \
        in check.stderr
    assert "Traceback" not in check.stderr
    assert not hub.calls()
