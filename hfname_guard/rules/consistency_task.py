"""The task the name states is the task the model does.

A `chat` name over a fill-mask model, or `ner` over a sequence classifier, sends users to the
wrong model. The rule reads the name's task words and compares them with the card's
`pipeline_tag` and with the head in config.json's `architectures` (`BertForTokenClassification`
is a token classifier). A `pipeline_tag` the Hub does not know is `card/pipeline-tag`'s to
report. Task words it knows: ner, pos (token classification); qa, squad (question answering);
sentiment, classifier, classification, nli, emotion (text classification); chat, instruct, it
(text generation); summarization, translation, asr, tts, embed/embedding (sentence
embeddings); mlm, fill-mask.

Compatible tasks agree: a text-to-text or causal language model (`text2text-generation`,
`T5ForConditionalGeneration`, `GPT2LMHeadModel`, `EncoderDecoderModel`) does any text task a name
states, summarization and translation included, and `feature-extraction` fits
`sentence-similarity`. Dataset words (`nli`, `mnli`, `snli`, `qa`, `squad`, `msmarco`) in the name of
an embedding model (`sentence-similarity` or `feature-extraction`, or a bare `BertModel`) state its
training data, not its task (`nli-distilroberta-base-v2`). A head class transformers does not
define (`BertCrfForNer`, `Wav2Vec2ForSpeechClassification`) is custom code the rule does not judge.

Passing: `acme/bert-base-ner` with `pipeline_tag: token-classification` over `BertForTokenClassification`

Failing: `acme/bert-base-ner` with `pipeline_tag: text-classification`; `acme/llama-7b-chat` over
`LlamaForSequenceClassification`
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.tokens import words
from ..names.vocabularies import pipeline_tags
from ._card import card_of

ID = "consistency/task"
SEVERITY = "error"
SUBJECT = "folder"

_GENERATION = ("text-generation", "text2text-generation", "image-text-to-text", "conversational")
TASKS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # task word: (pipeline tags that fit it, architecture-class endings that fit it)
    "ner": (("token-classification",), ("ForTokenClassification",)),
    "pos": (("token-classification",), ("ForTokenClassification",)),
    "qa": (("question-answering", "table-question-answering", *_GENERATION),
           ("ForQuestionAnswering", "ForCausalLM", "ForConditionalGeneration")),
    "squad": (("question-answering",), ("ForQuestionAnswering",)),
    "sentiment": (("text-classification",), ("ForSequenceClassification",)),
    "classifier": (("text-classification", "image-classification", "audio-classification", "zero-shot-classification"),
                   ("ForSequenceClassification", "ForImageClassification", "ForAudioClassification")),
    "classification": (("text-classification", "image-classification", "audio-classification",
                        "zero-shot-classification", "token-classification"),
                       ("ForSequenceClassification", "ForImageClassification", "ForAudioClassification",
                        "ForTokenClassification")),
    "nli": (("text-classification", "zero-shot-classification"), ("ForSequenceClassification",)),
    "emotion": (("text-classification", "audio-classification"), ("ForSequenceClassification",
                                                                  "ForAudioClassification")),
    "chat": (_GENERATION, ("ForCausalLM", "ForConditionalGeneration")),
    "instruct": (_GENERATION, ("ForCausalLM", "ForConditionalGeneration")),
    "summarization": (("summarization", *_GENERATION), ("ForConditionalGeneration", "ForCausalLM")),
    "translation": (("translation", *_GENERATION), ("ForConditionalGeneration", "MTModel", "ForCausalLM")),
    "asr": (("automatic-speech-recognition",), ("ForCTC", "ForConditionalGeneration", "ForSpeechSeq2Seq")),
    "tts": (("text-to-speech", "text-to-audio"), ("ForTextToSpeech", "ForConditionalGeneration", "Model")),
    "embed": (("feature-extraction", "sentence-similarity"), ("Model",)),
    "embedding": (("feature-extraction", "sentence-similarity"), ("Model",)),
    "embeddings": (("feature-extraction", "sentence-similarity"), ("Model",)),
    "mlm": (("fill-mask",), ("ForMaskedLM", "ForPreTraining")),
    "fill-mask": (("fill-mask",), ("ForMaskedLM", "ForPreTraining")),
}


_TEXT_TASKS = ("ner", "pos", "qa", "squad", "sentiment", "classifier", "classification", "nli", "emotion", "chat",
               "instruct", "summarization", "translation", "mlm", "fill-mask")
"""Task words a text-to-text or causal language model does by generating text."""
_GENERATIVE_HEADS = ("ForConditionalGeneration", "ForCausalLM", "LMHeadModel", "EncoderDecoderModel",
                     "T5Model", "MT5Model", "BartModel")
_GENERATIVE_TAGS = ("text2text-generation", "text-generation")
_DATASET_WORDS = ("nli", "mnli", "snli", "qa", "squad", "msmarco")
"""Training-data words: an embedding model named after them was trained on them."""
_EMBEDDING_TAGS = ("sentence-similarity", "feature-extraction")
_KNOWN_HEADS = re.compile(
    r".*(?:For(?:TokenClassification|SequenceClassification|QuestionAnswering|MaskedLM|PreTraining|CausalLM"
    r"|ConditionalGeneration|CTC|SpeechSeq2Seq|TextToSpeech|ImageClassification(?:WithTeacher)?"
    r"|AudioClassification|MultipleChoice|NextSentencePrediction|TokenClassification)|LMHeadModel|[a-z0-9]Model)"
)
"""Head classes transformers defines; a custom one (``BertCrfForNer``) says nothing the rule can judge."""


def _fits_tag(word: str, tag: str, tags: tuple[str, ...]) -> bool:
    if tag in tags:
        return True
    if word in _TEXT_TASKS and tag in _GENERATIVE_TAGS:
        return True
    return word in _DATASET_WORDS and tag in _EMBEDDING_TAGS


def _fits_head(word: str, head: str, heads: tuple[str, ...]) -> bool:
    if head.endswith(heads) or not _KNOWN_HEADS.fullmatch(head):
        return True
    if word in _TEXT_TASKS and head.endswith(_GENERATIVE_HEADS):
        return True
    if word == "asr" and head.endswith("SpeechEncoderDecoderModel"):
        return True
    bare = head.endswith("Model") and not head.endswith(("LMHeadModel", "EncoderDecoderModel"))
    return word in _DATASET_WORDS and bare


def check(facts: Facts) -> Iterator[Problem]:
    card = card_of(facts)
    pipeline_tag = card.string("pipeline_tag")
    if pipeline_tag not in pipeline_tags():
        pipeline_tag = None  # not a Hub task at all: card/pipeline-tag says so
    config = facts.config
    head = config.architectures[0] if config is not None and config.architectures else None
    if pipeline_tag is None and head is None:
        return
    for word in dict.fromkeys(words(facts.name)):
        fits = TASKS.get(word)
        if fits is None:
            continue
        tags, heads = fits
        if pipeline_tag is not None and not _fits_tag(word, pipeline_tag, tags):
            line, column = card.position("pipeline_tag")
            yield Problem(
                f"the name says `{word}`; {os.path.basename(card.path)} says pipeline_tag `{pipeline_tag}` "
                f"(expected {' or '.join(f'`{tag}`' for tag in tags[:3])})",
                file=card.path, line=line, column=column,
            )
        if word in _DATASET_WORDS and pipeline_tag in _EMBEDDING_TAGS:
            continue  # an embedding model's training data, whatever head its config names
        if head is not None and config is not None and not _fits_head(word, head, heads):
            yield Problem(
                f"the name says `{word}`; {os.path.basename(config.file)} says the model is a `{head}`",
                file=config.file,
            )
