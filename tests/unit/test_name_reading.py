"""Issue 12, points 7 and 8: names are split the same way everywhere, and a wrong suggestion is
worse than none."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfname_guard import Target, check
from hfname_guard.facts import Facts
from hfname_guard.names.explain import explain
from hfname_guard.names.knowledge import language_names
from hfname_guard.names.vocabularies import vocabulary
from hfname_guard.policy import FieldSpec
from hfname_guard.suggest import closest, meaning

pytestmark = pytest.mark.usefixtures("cache_dir")

# ----- one split: the name rules read names as `explain` does -----------------------------------

CAMEL_CASE = ["acme/JavaBERT-v1", "acme/TigXLNet", "acme/DistilBertSC", "acme/MarianMT"]


@pytest.mark.parametrize("repo_id", CAMEL_CASE)
def test_a_camel_case_architecture_satisfies_name_required_word(make_policy, repo_id):
    report = check([Target(repo_id)], make_policy("extends: default\n"))
    assert [finding for finding in report.findings if finding.rule == "name/required-word"] == []


@pytest.mark.parametrize("repo_id", [*CAMEL_CASE, "acme/llava-v1.5-7b", "acme/Qwen-1_8b"])
def test_the_rules_read_the_components_explain_shows(make_policy, repo_id):
    facts = Facts(Target(repo_id), make_policy("extends: default\n"))
    shown = explain(repo_id.partition("/")[2])["components"]
    assert [(c.text, c.code, c.value) for c in facts.components] == [
        (c["text"], c["code"], c["value"]) for c in shown  # type: ignore[index]
    ]
    assert any(component.code == "A" for component in facts.components)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("llava-v1.5-7b", [("llava", "A", None), ("v1.5", "V", "1.5"), ("7b", "P", "7000000000")]),
        ("Qwen-1_8b", [("Qwen", "A", None), ("1_8b", "P", "1800000000")]),
        ("Qwen-1_8b-chat", [("Qwen", "A", None), ("1_8b", "P", "1800000000"), ("chat", "T", None)]),
        ("model-v2-13b", [("model", "O", None), ("v2", "V", "2"), ("13b", "P", "13000000000")]),
        ("gemma-2b-it", [("gemma", "A", None), ("2b", "P", "2000000000"), ("it", "T", "instruct")]),
    ],
)
def test_versions_and_parameter_counts_read_right(name, expected):
    components = explain(name)["components"]
    assert [(c["text"], c["code"], c["value"]) for c in components] == expected  # type: ignore[index]


def test_consistency_size_reads_the_count_the_name_states(make_policy):
    policy = make_policy("extends: default\n")
    assert [c.value for c in Facts(Target("acme/Qwen-1_8b"), policy).named("P")] == ["1800000000"]
    assert [c.value for c in Facts(Target("acme/llava-v1.5-7b"), policy).named("P")] == ["7000000000"]


def test_a_near_miss_still_gets_its_suggestion(make_policy):
    report = check([Target("acme/lamma-7b")], make_policy("extends: default\n"))
    [finding] = [finding for finding in report.findings if finding.rule == "name/required-word"]
    assert finding.message.endswith("did you mean `llama` for `lamma`?")
    assert finding.suggestion == "acme/llama-7b"


@pytest.mark.parametrize("repo_id", ["acme/model-en", "acme/german-model", "acme/space-model"])
def test_a_word_of_another_kind_gets_no_architecture_suggestion(make_policy, repo_id):
    report = check([Target(repo_id)], make_policy("extends: default\n"))
    [finding] = [finding for finding in report.findings if finding.rule == "name/required-word"]
    assert "did you mean" not in finding.message and finding.suggestion is None


# ----- suggestions: the same kind, and clearly the word meant -----------------------------------


@pytest.mark.parametrize(
    ("word", "kind", "expected"),
    [
        # the wrong suggestions
        ("en", "architectures", None),
        ("german", "architectures", None),
        ("space", "architectures", None),
        # real misspellings keep theirs
        ("lamma", "architectures", "llama"),
        ("bret", "architectures", "bert"),
        ("mistrl", "architectures", "mistral"),
        ("robrta", "architectures", "roberta"),
        ("germn", "languages", "de"),
        ("englsh", "languages", "en"),
        ("english", "languages", "en"),
        ("frnch", "languages", "fr"),
        ("lage", "sizes", "large"),
        ("smal", "sizes", "small"),
        ("instrct", "tasks", "instruct"),
    ],
)
def test_suggestion_table(word, kind, expected):
    known = vocabulary(kind)
    synonyms = known.synonyms() if known.synonyms is not None else {}
    assert meaning(word, known.words, synonyms, known.popularity) == expected


@pytest.mark.parametrize(
    ("word", "choices", "expected"),
    [
        ("apache2", ["apache-2.0", "mit", "gpl-3.0"], "apache-2.0"),
        ("en", ["e5", "bert"], None),  # a letter is no mistyped digit
        ("qwen2", ["qwen"], "qwen"),  # a number may be dropped
        ("space", ["splade"], None),  # two edits and another length: too far for five letters
        ("lamma", ["llama"], "llama"),  # two letters out of place, same length
        ("llamaxx", ["llama"], "llama"),  # two edits, but seven letters
        ("xn", ["en"], None),  # a short word keeps its first letter
    ],
)
def test_closest_only_offers_a_clear_fix(word, choices, expected):
    assert closest(word, choices) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("deu", "de"),  # ISO 639-3 for `de`: a translation, not a guess
        ("est", None),  # ISO 639-3 Estonian: never `es` (Spanish)
        ("enn", None),  # a valid ISO 639-3 code: no guess
        ("english", "en"),
        ("germn", "de"),
        ("frnch", "fr"),
    ],
)
def test_a_code_of_another_standard_is_translated_or_left_alone(value, expected):
    field = FieldSpec("language", enum=frozenset(["en", "de", "fr", "es"]))
    assert field.suggest(value) == expected


KINDS = ["architectures", "sizes", "tasks", "languages"]
WORDS = st.text(alphabet="abcdeglmnorst25-_", min_size=1, max_size=9)


@settings(max_examples=300, deadline=None)
@given(WORDS, st.sampled_from(KINDS))
def test_a_suggestion_is_always_of_the_fields_kind(word, kind):
    known = vocabulary(kind)
    synonyms = known.synonyms() if known.synonyms is not None else {}
    guess = meaning(word, known.words, synonyms, known.popularity)
    assert guess is None or guess in known
    field = FieldSpec("field", vocabulary=known)
    guess = field.suggest(word)
    assert guess is None or guess in known


def test_language_names_map_to_codes():
    assert language_names()["german"] == "de"
