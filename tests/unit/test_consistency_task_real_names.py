"""consistency/task on the names of real Hub models: a headless or custom class states no task, one
agreeing task word is enough, and words marked as data are data. Each agreeing example is a real
Hub model with its real card tag and config class."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_consistency_language_task import found

pytestmark = pytest.mark.usefixtures("cache_dir")

AGREES = [
    # a headless base class states no task
    ("speechbrain/asr-wav2vec2-commonvoice-en", "automatic-speech-recognition", "Wav2Vec2Model"),
    ("nasa-impact/bert-e-base-mlm", "feature-extraction", "BertModel"),
    # a class transformers does not define is custom code
    ("lvwerra/gpt2-imdb-pos", None, "GPT2HeadWithValueModel"),
    # one task word agrees: the others name the data or the method
    ("a-ware/roberta-large-squad-classification", "text-classification", "RobertaForSequenceClassification"),
    ("andi611/bert-large-uncased-whole-word-masking-squad2-with-ner-conll2003-with-neg-with-repeat",
     "question-answering", "BertForQuestionAnswering"),
    ("andi611/distilbert-base-uncased-qa-with-ner", "question-answering", "DistilBertForQuestionAnswering"),
    ("neoyipeng/twitter-roberta-base-sentiment-mlm", "fill-mask", "RobertaForMaskedLM"),
    ("neoyipeng/twitter-roberta-base-sentiment-mlm-class", "text-classification",
     "RobertaForSequenceClassification"),
    ("kornosk/bert-election2020-twitter-stance-biden-KE-MLM", "text-classification", "BertForSequenceClassification"),
    ("mrsinghania/asr-question-detection", "text-classification", "BertForSequenceClassification"),
    # a task word its neighbours mark as data
    ("Edresson/wav2vec2-large-100k-voxpopuli-ft-Common-Voice_plus_TTS-Dataset-portuguese",
     "automatic-speech-recognition", "Wav2Vec2ForCTC"),
    ("anas-awadalla/bert-small-pretrained-on-squad", "fill-mask", "BertForMaskedLM"),
    # compatible tasks
    ("RecordedFuture/Swedish-Sentiment-Violence-Targets", "token-classification", "BertForTokenClassification"),
    ("neoyipeng/twitter-roberta-base-sentiment-mlm-skep", "token-classification", "RobertaForTokenClassification"),
    ("GroNLP/gpt2-medium-dutch-embeddings", "text-generation", "GPT2LMHeadModel"),
    ("andi611/distilbert-base-uncased-qa-boolq", "text-classification", "DistilBertForSequenceClassification"),
    ("iarfmoose/bert-base-cased-qa-evaluator", "text-classification", "BertForSequenceClassification"),
    ("lincoln/2021twitchfr-conv-bert-small-mlm-simcse", "sentence-similarity", "ConvBertModel"),
    ("mrm8488/bert-small-finetuned-typo-detection", "token-classification", "BertForTokenClassification"),
]


@pytest.mark.parametrize(("repo_id", "tag", "head"), AGREES)
def test_task_words_that_agree(tmp_path: Path, repo_id: str, tag: str | None, head: str) -> None:
    card = {"pipeline_tag": tag} if tag else {"license": "mit"}
    assert found(tmp_path, repo_id, "consistency/task", card, [head]) == []


NER_OVER_CLASSIFIER_CARD = ("the name says `ner`; README.md says pipeline_tag `text-classification` "
                            "(expected `token-classification`)")

CONTRADICTIONS = [
    ("BatuhanYilmaz/distilbert-base-uncased-finetuned-squad-d5716d28", "question-answering", "DistilBertForMaskedLM",
     ["the name says `squad`; config.json says the model is a `DistilBertForMaskedLM`"]),
    ("acme/bert-base-ner", "text-classification", "BertForSequenceClassification",
     [NER_OVER_CLASSIFIER_CARD, "the name says `ner`; config.json says the model is a `BertForSequenceClassification`"]),
    ("acme/llama-7b-chat", None, "LlamaForSequenceClassification",
     ["the name says `chat`; config.json says the model is a `LlamaForSequenceClassification`"]),
    # a headless base states no task, but the card still does
    ("acme/bert-base-ner", "text-classification", "BertModel", [NER_OVER_CLASSIFIER_CARD]),
    # a versioned task word is that task word
    ("acme/bert-base-squad2", None, "BertForMaskedLM",
     ["the name says `squad2`; config.json says the model is a `BertForMaskedLM`"]),
    # when no task word agrees, each one is reported
    ("acme/bert-base-squad-ner", None, "BertForMaskedLM",
     ["the name says `ner`; config.json says the model is a `BertForMaskedLM`",
      "the name says `squad`; config.json says the model is a `BertForMaskedLM`"]),
    # fine-tuned on a dataset is the task, unlike pretrained on it
    ("acme/bert-base-finetuned-on-squad", None, "BertForMaskedLM",
     ["the name says `squad`; config.json says the model is a `BertForMaskedLM`"]),
    # `embeddings` fits a causal language model, not a sequence-to-sequence one
    ("acme/t5-base-embeddings", None, "EncoderDecoderModel",
     ["the name says `embeddings`; config.json says the model is a `EncoderDecoderModel`"]),
]


@pytest.mark.parametrize(("repo_id", "tag", "head", "messages"), CONTRADICTIONS)
def test_task_contradictions(tmp_path: Path, repo_id: str, tag: str | None, head: str,
                             messages: list[str]) -> None:
    card = {"pipeline_tag": tag} if tag else {"license": "mit"}
    assert [finding.message for finding in found(tmp_path, repo_id, "consistency/task", card, [head])] == messages
