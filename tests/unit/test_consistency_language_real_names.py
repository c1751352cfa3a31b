"""consistency/language on real Hub names: handles and artist names state no language, colloquial
codes and dialects agree with the card, and a card's code that names another language says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.test_consistency_language_task import found

pytestmark = pytest.mark.usefixtures("cache_dir")

RULE = "consistency/language"


@pytest.mark.parametrize(("repo_id", "languages"), [
    ("huggingtweets/deliveroo_fr", ["en"]),  # a Twitter handle
    ("huggingtweets/pontifex_es", ["en"]),
    ("huggingtweets/tk_tr", ["en"]),  # two codes, still a handle
    ("huggingtweets/is_he_batman", ["en"]),
    ("huggingartists/ot-rus", ["en"]),  # an artist's name
    ("huggingartists/bushido-zho", ["en"]),
    ("huggingartists/big-russian-boss", ["en"]),  # a size word alone names no model
    ("cristian-popa/bart-tl-all", ["en"]),  # topic labelling
    ("cristian-popa/bart-tl-ng", ["en"]),
    ("IlyaGusev/news_tg_rubert", ["ru"]),  # Telegram
    ("tensorspeech/tts-fastspeech2-baker-ch", ["chinese"]),  # colloquial codes
    ("voidful/wav2vec2-large-xlsr-53-tw-gpt", ["zh"]),
    ("Yah216/Sentiment_Analysis_CAMelBERT_msa_sixteenth_HARD", ["ar"]),
    ("GroNLP/bert-base-dutch-cased-gronings", ["gos"]),  # a dialect of a named language
    ("microsoft/unispeech-1350-en-90-it-ft-1h", ["it"]),  # `it` read as instruction-tuned
    ("Helsinki-NLP/opus-mt-tl-en", ["tl", "en"]),  # `tl` beside a language is Tagalog
    ("acme/bert-base-de", ["de"]),  # the docstring's passing examples
    ("acme/opus-mt-en-lg", ["en", "lug"]),
    ("acme/tts-fastspeech2-baker-ch", ["zh"]),
])
def test_real_names_that_agree(tmp_path: Path, repo_id: str, languages: list[str]) -> None:
    assert found(tmp_path, repo_id, RULE, {"language": languages}) == []


@pytest.mark.parametrize(("repo_id", "languages", "message"), [
    ("facebook/wav2vec2-large-xlsr-53-polish", ["nl"], "the name says `polish` (pl); README.md says language `nl`"),
    ("birgermoell/wav2vec2-common_voice-tr-demo", ["sv-SE"],
     "the name says `tr` (tr); README.md says language `sv-SE`"),
    ("mattchurgin/xls-r-eng", ["ab"], "the name says `eng` (en); README.md says language `ab`"),
    ("Priyajay/xls-r-ab-test", ["hi"], "the name says `ab` (ab); README.md says language `hi`"),
    ("unicamp-dl/mt5-base-en-msmarco", ["pt"], "the name says `en` (en); README.md says language `pt`"),
    ("Yves/wav2vec2-large-xlsr-53-swiss-german", ["sg"],
     "the name says `german` (de); README.md says language `sg`"),
    ("osanseviero/corenlp_chinese", ["ch"],
     "the name says `chinese` (zh); README.md says language `ch`: `ch` is Chamorro; Chinese is `zh`"),
    ("hyyoka/wav2vec2-xlsr-korean-senior", ["kr"],
     "the name says `korean` (ko); README.md says language `kr`: `kr` is Kanuri; Korean is `ko`"),
    ("acme/bert-base-en", ["de"], "the name says `en` (en); README.md says language `de`"),  # the docstring's
    ("acme/bert-base-german", ["fr"], "the name says `german` (de); README.md says language `fr`"),
    ("acme/wav2vec2-xlsr-korean", ["kr"],
     "the name says `korean` (ko); README.md says language `kr`: `kr` is Kanuri; Korean is `ko`"),
])
def test_real_contradictions_are_flagged(tmp_path: Path, repo_id: str, languages: list[str], message: str) -> None:
    [finding] = found(tmp_path, repo_id, RULE, {"language": languages})
    assert finding.message == message


@pytest.mark.parametrize(("repo_id", "languages"), [
    ("acme/bert-base-chinese", ["yue"]),  # SIL's macrolanguage mappings: Cantonese is Chinese
    ("acme/bert-base-norwegian", ["nob"]),
    ("acme/bert-base-indonesian", ["ms"]),
    ("acme/bert-base-croatian", ["sh"]),  # the Hub's Serbo-Croatian
    ("acme/bert-base-arabic", ["arz"]),
])
def test_a_macrolanguage_and_its_members_agree(tmp_path: Path, repo_id: str, languages: list[str]) -> None:
    assert found(tmp_path, repo_id, RULE, {"language": languages}) == []


def test_languages_of_different_macrolanguages_still_disagree(tmp_path: Path) -> None:
    [finding] = found(tmp_path, "acme/bert-base-croatian", RULE, {"language": ["yue"]})
    assert finding.message == "the name says `croatian` (hr); README.md says language `yue`"
