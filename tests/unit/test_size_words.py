"""consistency/size on size words: each word accepts a documented range of hidden sizes, wide
enough that no real checkpoint of the judged families is flagged (a false alarm is worse than a
miss), and narrow enough that a clear contradiction still is."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hfname_guard import Finding, Target, check, load_policy
from hfname_guard.names.tagger import tag
from hfname_guard.rules import consistency_size

pytestmark = pytest.mark.usefixtures("cache_dir")

WIDTH_KEY = {"t5": "d_model", "mt5": "d_model", "whisper": "d_model", "bart": "d_model", "gpt2": "n_embd",
             "distilbert": "dim"}
"""Where each family's config.json writes its hidden size (the others: hidden_size)."""

REAL_CHECKPOINTS = [
    # BERT and its kin (google/bert_uncased_L-*_H-*, bert-base-uncased, MiniLM and its embedders)
    ("bert-tiny", "bert", 128), ("bert-mini", "bert", 256), ("bert-small", "bert", 512),
    ("bert-medium", "bert", 512), ("bert-base-uncased", "bert", 768), ("bert-large-uncased", "bert", 1024),
    ("minilm-small-ner", "bert", 384), ("minilm-mini-ner", "bert", 384), ("bge-small-en-v1.5", "bert", 384),
    ("e5-small-v2", "bert", 384), ("TinyBERT-tiny-4L-312D", "bert", 312),
    ("roberta-base", "roberta", 768), ("roberta-large", "roberta", 1024), ("xlm-roberta-large", "xlm-roberta", 1024),
    ("distilbert-base-uncased", "distilbert", 768), ("all-mpnet-base-v2", "mpnet", 768),
    ("deberta-v3-xsmall", "deberta-v2", 384), ("deberta-v3-small", "deberta-v2", 768),
    ("deberta-v3-base", "deberta-v2", 768), ("deberta-v3-large", "deberta-v2", 1024),
    ("deberta-v2-xlarge", "deberta-v2", 1536), ("deberta-v2-xxlarge", "deberta-v2", 1536),
    ("electra-small-discriminator", "electra", 256), ("electra-base-discriminator", "electra", 768),
    ("electra-large-discriminator", "electra", 1024), ("electra-base-generator", "electra", 256),
    ("electra-large-generator", "electra", 256),
    ("albert-base-v2", "albert", 768), ("albert-large-v2", "albert", 1024), ("albert-xlarge-v2", "albert", 2048),
    ("albert-xxlarge-v2", "albert", 4096),
    # T5: the original t5-3b and t5-11b are 1024 wide, v1.1's xl and xxl 2048 and 4096
    ("t5-small", "t5", 512), ("t5-base", "t5", 768), ("t5-large", "t5", 1024), ("t5-efficient-xl", "t5", 1024),
    ("t5-efficient-xxl", "t5", 1024), ("t5-v1_1-xl", "t5", 2048), ("t5-v1_1-xxl", "t5", 4096),
    ("flan-t5-xxl", "t5", 4096), ("mt5-xl", "mt5", 2048), ("t5-efficient-base-dm256", "t5", 256),
    ("t5-efficient-large-dm2000", "t5", 2000),
    ("bart-base", "bart", 768), ("bart-large-cnn", "bart", 1024),
    ("gpt2-medium", "gpt2", 1024), ("gpt2-large", "gpt2", 1280), ("gpt2-xl", "gpt2", 1600),
    # Whisper: small is 768 wide, where bert-small is 512
    ("whisper-tiny", "whisper", 384), ("whisper-base", "whisper", 512), ("whisper-small", "whisper", 768),
    ("whisper-medium", "whisper", 1024), ("whisper-large-v3", "whisper", 1280), ("distil-large-v3", "whisper", 1280),
    ("wav2vec2-base-960h", "wav2vec2", 768), ("wav2vec2-large-960h", "wav2vec2", 1024),
    ("hubert-xlarge-ll60k", "hubert", 1280),
    # vision
    ("vit-tiny-patch16-224", "vit", 192), ("vit-small-patch16-224", "vit", 384), ("vit-base-patch16-224", "vit", 768),
    ("vit-large-patch16-224", "vit", 1024), ("vit-huge-patch14-224-in21k", "vit", 1280),
    ("deit-tiny-patch16-224", "deit", 192), ("deit-small-patch16-224", "deit", 384),
    ("dinov2-small", "dinov2", 384), ("dinov2-giant", "dinov2", 1536),
    # families whose size words mean something of their own are not judged
    ("Phi-3-mini-4k-instruct", "phi3", 3072), ("swin-tiny-patch4-window7-224", "swin", 768),
    ("moonshine-base", "moonshine", 416),
]


def size_findings(tmp_path: Path, name: str, model_type: str, hidden_size: int) -> list[Finding]:
    folder = tmp_path / name
    folder.mkdir()
    config = {"model_type": model_type, WIDTH_KEY.get(model_type, "hidden_size"): hidden_size}
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\nextends: default\n", encoding="utf-8")  # consistency/size is default's
    report = check([Target(f"acme/{name}", str(folder))], load_policy(policy))
    return [finding for finding in report.findings if finding.rule == "consistency/size"]


@pytest.mark.parametrize(("name", "model_type", "hidden_size"), REAL_CHECKPOINTS)
def test_no_real_checkpoint_is_flagged(tmp_path: Path, name: str, model_type: str, hidden_size: int) -> None:
    assert size_findings(tmp_path, name, model_type, hidden_size) == []


def test_the_real_checkpoints_state_a_size_word_the_rule_judges() -> None:
    """Else the test above would pass for the wrong reason."""
    for name, _model_type, _ in REAL_CHECKPOINTS:
        words = [component.text.lower() for component in tag(name) if component.code == "S"]
        assert any(word in consistency_size.SIZE_WORD_RANGES for word in words), name


@pytest.mark.parametrize(("name", "model_type", "hidden_size", "message", "suggestion"), [
    ("bert-large-ner", "bert", 128,
     "the name says `large`, a hidden size from 1024 to 2048; config.json says 128 (a `tiny` bert)", "acme/bert-tiny-ner"),
    ("bert-tiny-ner", "bert", 4096,
     "the name says `tiny`, a hidden size of at most 512; config.json says 4096 (an `xl` size)", None),
    ("whisper-large", "whisper", 384,
     "the name says `large`, a hidden size from 1024 to 2048; config.json says 384 (a `tiny` whisper)", "acme/whisper-tiny"),
    ("t5-small", "t5", 1024,
     "the name says `small`, a hidden size of at most 768; config.json says 1024 (a `large` t5)", "acme/t5-large"),
    ("minilm-large", "bert", 384, "the name says `large`, a hidden size from 1024 to 2048; config.json says 384 "
     "(a `tiny`, `mini` or `small` size)", None),
    ("gpt2-xl", "gpt2", 768, "the name says `xl`, a hidden size of at least 1024; config.json says 768 "
     "(a `small`, `medium` or `base` size)", None),
    ("t5-efficient-base-dm256", "t5", 128, "the name says `base`, a hidden size from 512 to 1024; config.json says 128 "
     "(a `tiny`, `mini` or `small` size)", None),  # the width it states is not the width it has
])
def test_clear_contradictions_are_flagged(tmp_path: Path, name: str, model_type: str, hidden_size: int,
                                          message: str, suggestion: str | None) -> None:
    [finding] = size_findings(tmp_path, name, model_type, hidden_size)
    assert finding.message == message
    assert finding.suggestion == suggestion
    assert finding.file == str(tmp_path / name / "config.json")


def test_every_family_word_fits_its_own_range() -> None:
    """The fix never proposes a word the rule would then flag."""
    for family, words in consistency_size.FAMILY_WORDS.items():
        assert family in consistency_size.SIZE_WORD_FAMILIES
        for hidden_size, word in words.items():
            assert consistency_size.accepts(word, hidden_size), (family, hidden_size, word)


def test_the_documented_table_is_the_one_the_rule_uses() -> None:
    doc = consistency_size.__doc__ or ""
    documented: dict[str, tuple[int | None, int | None]] = {}
    for words, accepted in re.findall(r"^\| (`[^|]+`) \| ([^|]+) \|", doc, re.MULTILINE):
        bounds = [int(number) for number in re.findall(r"\d+", accepted)]
        low, high = (None, bounds[0]) if "at most" in accepted else (bounds[0], None) if "at least" in accepted else bounds
        for word in re.findall(r"`([a-z]+)`", words):
            documented[word] = (low, high)
    assert documented == consistency_size.SIZE_WORD_RANGES
