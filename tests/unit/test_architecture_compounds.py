"""consistency/architecture: a name that is one family's compound over another family's config
is a contradiction, not a match of the word inside it (issue 12, point 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hfname_guard import Finding, Target, check, load_policy
from hfname_guard.names.knowledge import plainly_agree

pytestmark = pytest.mark.usefixtures("cache_dir")


def architecture_findings(tmp_path: Path, name: str, model_type: str) -> list[Finding]:
    path = tmp_path / name
    path.mkdir()
    (path / "config.json").write_text(json.dumps({"model_type": model_type}), encoding="utf-8")
    (tmp_path / "policy.yaml").write_text("version: 1\nextends: default\n", encoding="utf-8")
    report = check([Target(f"acme/{name}", str(path))], load_policy(str(tmp_path / "policy.yaml")))
    return [finding for finding in report.findings if finding.rule == "consistency/architecture"]


@pytest.mark.parametrize("name, model_type, stated", [
    ("xlm-roberta-base-ner", "roberta", "xlm-roberta"),
    ("pegasus-x-large-summarize", "pegasus", "pegasus-x"),
    ("longformer-base-4096-qa", "roberta", "longformer"),
])
def test_a_compound_over_another_familys_config(tmp_path: Path, name: str, model_type: str, stated: str) -> None:
    [finding] = architecture_findings(tmp_path, name, model_type)
    assert finding.message.startswith(f"the name says `{stated}`")


@pytest.mark.parametrize("name, model_type", [
    ("xlm-roberta-base-ner", "xlm-roberta"),
    ("roberta-base-ner", "roberta"),
    ("pegasus-x-large", "pegasus_x"),
    ("sbert-roberta-large", "roberta"),
])
def test_a_compound_over_its_own_config_agrees(tmp_path: Path, name: str, model_type: str) -> None:
    assert plainly_agree(name, model_type)
    assert architecture_findings(tmp_path, name, model_type) == []


@pytest.mark.parametrize("name, model_type", [
    ("bert-base-ner", "distilbert"),
    ("roberta-base-ner", "xlm-roberta"),
    ("wav2vec2-base-asr", "hubert"),
    ("distilbert-base-uncased-emotion", "bert"),
    ("kobigbird-base-ner", "roberta"),
])
def test_the_known_anomaly_kinds_stay_caught(tmp_path: Path, name: str, model_type: str) -> None:
    assert len(architecture_findings(tmp_path, name, model_type)) == 1
