"""`hfname_guard.guard`: the gate before a push of one's own, in process, against a local Hub."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hub_server import FakeHub
from huggingface_hub import constants

from hfname_guard import PolicyViolation, Report, guard

pytestmark = pytest.mark.usefixtures("cache_dir")


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeHub]:
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)  # other test modules turn it on before importing it
    monkeypatch.setenv("HF_TOKEN", "")
    with FakeHub() as server:
        monkeypatch.setattr(constants, "ENDPOINT", server.url)
        monkeypatch.setattr(constants, "AGENT_HARNESSES_PATH", str(tmp_path / "agent_harnesses.json"))
        server.add_models("acme", ["llama-7b-chat"])
        yield server


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "llama-7b-chat"
    path.mkdir()
    (path / "README.md").write_text("---\nlicense: mit\npipeline_tag: text-generation\n---\n", encoding="utf-8")
    return path


def test_a_name_that_passes_gives_the_report(hub: FakeHub, folder: Path) -> None:
    report = guard(folder, "acme/qwen-7b-chat")
    assert isinstance(report, Report) and report.findings == []
    assert hub.calls("GET", "/api/models")  # it did ask the Hub


def test_a_name_that_fails_raises_with_the_report(hub: FakeHub, folder: Path) -> None:
    with pytest.raises(PolicyViolation) as raised:
        guard(folder, "acme/Llama-7B-chat")
    assert [finding.rule for finding in raised.value.report.findings] == ["hub/case-collision"]
    assert str(raised.value) == "acme/Llama-7B-chat did not pass the policy (1 error; failing at error)"


def test_an_unreachable_hub_fails_the_gate(hub: FakeHub, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unchecked name is not a checked one: online="required" is guard's default."""
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(PolicyViolation) as raised:
        guard(folder, "acme/qwen-7b-chat")
    assert [(finding.rule, finding.severity) for finding in raised.value.report.findings] == [
        ("hub/unreachable", "error")]
    assert guard(folder, "acme/qwen-7b-chat", online="on").findings[0].severity == "info"
