"""consistency/language reads languages, not abbreviations; consistency/task reads tasks, not
training data (issue 12, points 3 and 4). Each example is a real Hub name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from hfname_guard import Finding, Target, check, load_policy

pytestmark = pytest.mark.usefixtures("cache_dir")


def found(tmp_path: Path, repo_id: str, rule: str, card: dict[str, object],
          architectures: list[str] | None = None) -> list[Finding]:
    path = tmp_path / repo_id.replace("/", "__")
    path.mkdir()
    (path / "README.md").write_text(f"---\n{yaml.safe_dump(card)}---\n# model\n", encoding="utf-8")
    if architectures is not None:
        (path / "config.json").write_text(json.dumps({"architectures": architectures}), encoding="utf-8")
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\nextends: default\n", encoding="utf-8")
    report = check([Target(repo_id, str(path))], load_policy(str(policy)))
    return [finding for finding in report.findings if finding.rule == rule]


LANGUAGE_AGREES = [
    ("microsoft/wavlm-base-plus-sv", ["en"]),  # speaker verification
    ("ami-wav2vec2/wav2vec2-large-lv60-ami_multi-tune_0.0001_8", ["en"]),  # LibriVox 60k hours
    ("espnet/anogkongda_librimix_enh_train_raw_valid.si_snr.ave", ["en"]),  # a loss
    ("espnet/kan-bayashi_ljspeech_tts_train_tacotron2_raw_phn_tacotron_g2p_en_no_space_train.loss.best", ["en"]),
    ("CAMeL-Lab/bert-base-arabic-camelbert-ca-pos-glf", ["ar"]),  # Classical Arabic
    ("CAMeL-Lab/bert-base-arabic-camelbert-msa-half", ["ar"]),  # Modern Standard Arabic
    ("researchaccount/sa_sub4", ["en"]),  # sentiment analysis
    ("lighteternal/SSE-TUC-mt-el-en-cased", ["en", "el"]),  # machine translation
    ("TransQuest/microtransquest-en_lv-pharmaceutical-smt", ["en-lv"]),  # a pair in the card
    ("SEBIS/legal_t5_small_trans_de_sv", ["Deustch Swedish"]),  # names in the card
    ("mbeukman/xlm-roberta-base-finetuned-swahili-finetuned-ner-luganda", ["lug"]),  # 639-3 and 639-1
    ("gojiteji/mt5-small-ain-jpn-mt", ["jpn", "ain"]),
    ("KoichiYasuoka/roberta-classical-chinese-base-char", ["lzh"]),  # a member of a macrolanguage
    ("malay-huggingface/bert-tiny-bahasa-cased", ["ms"]),
    ("infinitejoy/wav2vec2-large-xls-r-300m-kurdish", ["kmr"]),
    ("AI-Lab-Makerere/en_lg", ["unk"]),  # no language code: card/language's to report
]


@pytest.mark.parametrize(("repo_id", "languages"), LANGUAGE_AGREES)
def test_language_words_that_agree(tmp_path: Path, repo_id: str, languages: list[str]) -> None:
    assert found(tmp_path, repo_id, "consistency/language", {"language": languages}) == []


@pytest.mark.parametrize(("repo_id", "languages"), [
    ("acme/bert-base-german", ["fr"]),
    ("Srulikbdd/Wav2Vec2-large-xlsr-welsh", ["sv"]),
    ("facebook/wav2vec2-large-xlsr-53-polish", ["nl"]),
    ("Helsinki-NLP/opus-mt-en-sv", ["de"]),  # `sv` next to a language is Swedish
])
def test_language_contradictions_are_still_flagged(tmp_path: Path, repo_id: str, languages: list[str]) -> None:
    [finding] = found(tmp_path, repo_id, "consistency/language", {"language": languages})
    assert "the name says" in finding.message


TASK_AGREES = [
    ("sentence-transformers/nli-distilroberta-base-v2", "sentence-similarity", ["RobertaModel"]),
    ("sentence-transformers/msmarco-distilbert-base-v4", "sentence-similarity", ["DistilBertModel"]),
    ("sentence-transformers/multi-qa-MiniLM-L6-cos-v1", "sentence-similarity", ["BertModel"]),
    ("ml6team/gpt-neo-1.3B-nli", None, ["GPTNeoModel"]),  # bare model: an embedding
    ("Ayham/albert_distilgpt2_summarization_cnn_dailymail", "text2text-generation", ["EncoderDecoderModel"]),
    ("acme/t5-base-summarization", "summarization", ["T5Model"]),
    ("acme/t5-small-squad-qg", "text2text-generation", ["T5ForConditionalGeneration"]),
    ("microsoft/DialoGPT-small-chat", "text-generation", ["GPT2LMHeadModel"]),
    ("KBLab/asr-voxrex-bart-base", "automatic-speech-recognition", ["SpeechEncoderDecoderModel"]),
    ("acme/bert-base-ner", "token-classification", ["BertCrfForNer"]),  # custom head
    ("acme/bert-base-embeddings", "feature-extraction", ["BertModel"]),
    ("acme/bert-base-embeddings-sts", "sentence-similarity", ["BertModel"]),
]


@pytest.mark.parametrize(("repo_id", "tag", "architectures"), TASK_AGREES)
def test_task_words_that_agree(tmp_path: Path, repo_id: str, tag: str | None, architectures: list[str]) -> None:
    card = {"pipeline_tag": tag} if tag else {"license": "mit"}
    assert found(tmp_path, repo_id, "consistency/task", card, architectures) == []


@pytest.mark.parametrize(("repo_id", "tag", "architectures"), [
    ("acme/distilbert-sst2-sentiment", "question-answering", None),
    ("acme/bert-base-ner", "text-classification", ["BertForSequenceClassification"]),
    ("acme/bert-base-nli", "fill-mask", None),  # nli on a fill-mask model is no embedding's data
    ("acme/bert-base-squad", None, ["BertForMaskedLM"]),
])
def test_task_contradictions_are_still_flagged(tmp_path: Path, repo_id: str, tag: str | None,
                                               architectures: list[str] | None) -> None:
    card = {"pipeline_tag": tag} if tag else {"license": "mit"}
    assert found(tmp_path, repo_id, "consistency/task", card, architectures)
