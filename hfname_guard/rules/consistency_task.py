"""The task the name states is the task the model does.

A `chat` name over a fill-mask model, or `ner` over a sequence classifier, sends users to the
wrong model. The rule reads the name's task words and compares them with the card's
`pipeline_tag` and with the head in config.json's `architectures` (`BertForTokenClassification`
is a token classifier). A `pipeline_tag` the Hub does not know is `card/pipeline-tag`'s to
report. Task words it knows: ner, pos (token classification); qa, squad (question answering);
sentiment, stance, detection, classifier, classification, nli, emotion (classification); chat,
instruct (text generation); summarization; translation; asr (speech recognition); tts (text to
speech); embed, embedding, embeddings (embeddings); mlm (fill-mask). A task word with a version
number is that word (`squad2`, `squadv2`).

One task word that agrees is enough: when the name states several and one fits both the card and
the config, the others name the data or the method (`roberta-large-squad-classification` over a
sequence classifier, `bert-large-squad2-with-ner` over a question-answering model,
`twitter-roberta-base-sentiment-mlm` over a masked language model,
`bert-twitter-stance-KE-MLM` over a sequence classifier, `asr-question-detection` over a sequence
classifier). Only when none agrees does the rule report each task word against the card or the
config it contradicts. A task word its neighbours mark as data is not read: one followed by
`dataset`, `data` or `corpus` (`Common-Voice_plus_TTS-Dataset`), or after `pretrained-on` or
`trained-on` (`bert-small-pretrained-on-squad`).

Compatible tasks agree: a text-to-text or causal language model (`text2text-generation`,
`T5ForConditionalGeneration`, `GPT2LMHeadModel`, `EncoderDecoderModel`) does any text task a name
states, summarization and translation included, and `feature-extraction` fits
`sentence-similarity`. `sentiment` fits a token classifier (targeted or aspect sentiment tags the
words the sentiment is about); `detection` fits a text, token, image or audio classifier, object
detection and voice activity detection (`hate-speech-detection`, `typo-detection`); `qa` fits a
sequence classifier (yes/no questions as in BoolQ, answer selection and verification are
classifications of a question with a text), while `squad`, an extractive dataset, does not.
`embed`, `embedding` and `embeddings` fit a causal language model (`text-generation`,
`GPT2LMHeadModel`: its word embeddings were retrained, as in `gpt2-medium-dutch-embeddings`).
`mlm`, a pretraining method, fits an embedding model (`sentence-similarity` or
`feature-extraction`: `conv-bert-small-mlm-simcse`). Dataset words (`nli`, `qa`, `squad`) in the
name of an embedding model (`sentence-similarity` or `feature-extraction`) state its training data,
not its task (`nli-distilroberta-base-v2`).

The rule judges the transformers head classes it knows (`...ForSequenceClassification`,
`...ForCausalLM`, `...LMHeadModel`, `...EncoderDecoderModel`, `...MTModel` and the like). Any other
class states no task: a headless base class (`BertModel`, `Wav2Vec2Model`: a pretrained model, or
an encoder other code puts a head on, as in `asr-wav2vec2-commonvoice-en`) contradicts no task
word, and a class transformers does not define (`BertCrfForNer`, `Wav2Vec2ForSpeechClassification`,
trl's `GPT2HeadWithValueModel`) is custom code the rule does not judge. The card's `pipeline_tag`
is still compared with the name.

The fix drops the task words the card and the config contradict (`acme/bert-base`); like every
fix of a name, it is the name `hfname-guard suggest` prints, so that every fix of one model
agrees.

Passing: `acme/bert-base-ner` with `pipeline_tag: token-classification` over `BertForTokenClassification`

Failing: `acme/bert-base-ner` with `pipeline_tag: text-classification`; `acme/llama-7b-chat` over
`LlamaForSequenceClassification`; `distilbert-base-uncased-finetuned-squad` with
`pipeline_tag: question-answering` over `DistilBertForMaskedLM`
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
_EMBEDDER = (("feature-extraction", "sentence-similarity", "text-generation"), ("ForCausalLM", "LMHeadModel"))
TASKS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # task word: (pipeline tags that fit it, architecture-class endings that fit it)
    "ner": (("token-classification",), ("ForTokenClassification",)),
    "pos": (("token-classification",), ("ForTokenClassification",)),
    "qa": (("question-answering", "table-question-answering", "text-classification", *_GENERATION),
           ("ForQuestionAnswering", "ForSequenceClassification", "ForCausalLM", "ForConditionalGeneration")),
    "squad": (("question-answering",), ("ForQuestionAnswering",)),
    "sentiment": (("text-classification", "token-classification"),
                  ("ForSequenceClassification", "ForTokenClassification")),
    "stance": (("text-classification",), ("ForSequenceClassification",)),
    "detection": (("text-classification", "token-classification", "object-detection", "audio-classification",
                   "image-classification", "voice-activity-detection"),
                  ("ForSequenceClassification", "ForTokenClassification", "ForAudioClassification",
                   "ForImageClassification")),
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
    "tts": (("text-to-speech", "text-to-audio"), ("ForTextToSpeech", "ForConditionalGeneration")),
    "embed": _EMBEDDER,
    "embedding": _EMBEDDER,
    "embeddings": _EMBEDDER,
    "mlm": (("fill-mask", "feature-extraction", "sentence-similarity"), ("ForMaskedLM", "ForPreTraining")),
}


_TEXT_TASKS = ("ner", "pos", "qa", "squad", "sentiment", "stance", "detection", "classifier", "classification",
               "nli", "emotion", "chat", "instruct", "summarization", "translation", "mlm")
"""Task words a text-to-text or causal language model does by generating text."""
_GENERATIVE_HEADS = ("ForConditionalGeneration", "ForCausalLM", "LMHeadModel", "EncoderDecoderModel")
_GENERATIVE_TAGS = ("text2text-generation", "text-generation")
_DATASET_WORDS = ("nli", "qa", "squad")
"""Training-data words: an embedding model named after them was trained on them."""
_EMBEDDING_TAGS = ("sentence-similarity", "feature-extraction")
_KNOWN_HEADS = (
    r".*(?:For(?:TokenClassification|SequenceClassification|QuestionAnswering|MaskedLM|PreTraining|CausalLM"
    r"|ConditionalGeneration|CTC|SpeechSeq2Seq|TextToSpeech|ImageClassification(?:WithTeacher)?"
    r"|AudioClassification|MultipleChoice|NextSentencePrediction)|LMHeadModel|EncoderDecoderModel|MTModel)"
)
"""Head classes transformers defines. Any other class states no task: a headless base (``BertModel``)
or custom code (``BertCrfForNer``, ``GPT2HeadWithValueModel``). A pattern, compiled on first use."""
_VERSIONED = re.compile(r"(?P<word>[a-z-]+?)v?[0-9]+")
"""A task word with a version number: ``squad2``, ``squadv2``."""
_DATA_AFTER = ("dataset", "data", "corpus")
_DATA_BEFORE = (("pretrained", "on"), ("trained", "on"))


def _task_of(word: str) -> str | None:
    if word in TASKS:
        return word
    if not word[-1:].isdigit():
        return None
    versioned = _VERSIONED.fullmatch(word)
    return versioned["word"] if versioned and versioned["word"] in TASKS else None


def _named_as_data(parts: list[str], index: int) -> bool:
    """`tts` in ``TTS-Dataset``, `squad` in ``pretrained-on-squad``."""
    following = parts[index + 1] if index + 1 < len(parts) else ""
    return following in _DATA_AFTER or tuple(parts[max(index - 2, 0):index]) in _DATA_BEFORE


def _task_words(name: str) -> dict[str, str]:
    """The name's task words, each with the task it states, less those its neighbours mark as data."""
    parts = words(name)
    stated: dict[str, str] = {}
    for index, word in enumerate(parts):
        task = _task_of(word)
        if task is not None and not _named_as_data(parts, index):
            stated.setdefault(word, task)
    return stated


def _fits_tag(task: str, tag: str) -> bool:
    if tag in TASKS[task][0]:
        return True
    if task in _TEXT_TASKS and tag in _GENERATIVE_TAGS:
        return True
    return task in _DATASET_WORDS and tag in _EMBEDDING_TAGS


def _fits_head(task: str, head: str, pipeline_tag: str | None) -> bool:
    if head.endswith(TASKS[task][1]) or not re.fullmatch(_KNOWN_HEADS, head):
        return True
    if task in _TEXT_TASKS and head.endswith(_GENERATIVE_HEADS):
        return True
    if task == "asr" and head.endswith("SpeechEncoderDecoderModel"):
        return True
    return task in _DATASET_WORDS and pipeline_tag in _EMBEDDING_TAGS  # an embedding model's training data


def _agrees(task: str, pipeline_tag: str | None, head: str | None) -> bool:
    """The task fits the card and the config, as far as they say."""
    return (pipeline_tag is None or _fits_tag(task, pipeline_tag)) and \
        (head is None or _fits_head(task, head, pipeline_tag))


def check(facts: Facts) -> Iterator[Problem]:
    card, config = card_of(facts), facts.config
    for word, task, pipeline_tag, head in facts.shared(contradicted_tasks):
        if pipeline_tag is not None and not _fits_tag(task, pipeline_tag):
            line, column = card.position("pipeline_tag")
            yield Problem(
                f"the name says `{word}`; {os.path.basename(card.path)} says pipeline_tag `{pipeline_tag}` "
                f"(expected {' or '.join(f'`{tag}`' for tag in TASKS[task][0][:3])})",
                file=card.path, line=line, column=column, suggestion=facts.name_fix(),
            )
        if head is not None and config is not None and not _fits_head(task, head, pipeline_tag):
            yield Problem(
                f"the name says `{word}`; {os.path.basename(config.file)} says the model is a `{head}`",
                file=config.file, suggestion=facts.name_fix(),
            )


def contradicted_tasks(facts: Facts) -> list[tuple[str, str, str | None, str | None]]:
    """``(word, task, pipeline_tag, head)`` for each task word of the name, when none fits the
    card's `pipeline_tag` and the config's head class: what the rule reports and the name engine
    drops."""
    card = card_of(facts)
    pipeline_tag = card.string("pipeline_tag")
    if pipeline_tag not in pipeline_tags():
        pipeline_tag = None  # not a Hub task at all: card/pipeline-tag says so
    config = facts.config
    head = config.architectures[0] if config is not None and config.architectures else None
    stated = _task_words(facts.name)
    if any(_agrees(task, pipeline_tag, head) for task in stated.values()):
        return []  # the other task words name the data or the method
    return [(word, task, pipeline_tag, head) for word, task in stated.items()
            if (pipeline_tag is not None and not _fits_tag(task, pipeline_tag))
            or (head is not None and not _fits_head(task, head, pipeline_tag))]
