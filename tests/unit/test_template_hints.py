"""A template field holding a value another built-in field holds says which field fits
(`8b` in `{size}`: use `{parameters}`), through name/unknown-word and name/template."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hfname_guard import Finding, Policy, Target, check

pytestmark = pytest.mark.usefixtures("cache_dir")

SIZE_TEMPLATE = """\
name:
  template: "{architecture}-{size}[-{variant}]-v{version}"
  fields:
    variant: {enum: [chat, instruct]}
"""


def name_findings(policy: Policy, repo_id: str) -> list[Finding]:
    report = check([Target(repo_id)], policy)
    return [finding for finding in report.findings if finding.rule.startswith("name/")]


@pytest.mark.parametrize(("repo_id", "message"), [
    ("acme/llama-8b-v1",
     "`8b` in field {size} is not a known size; it is a parameter count: use `{parameters}` for parameter counts"),
    ("acme/llama-8x7B-v1",
     "`8x7B` in field {size} is not a known size; it is a parameter count: use `{parameters}` for parameter counts"),
    ("acme/llama-base-en-v1",
     "`en` in field {variant} is not one of `chat`, `instruct`; it is a language code: use `{language}` for "
     "language codes"),
    ("acme/llama-base-ner-v1",
     "`ner` in field {variant} is not one of `chat`, `instruct`; it is a task word: use `{task}` for task words"),
    ("acme/llama-chat-v1",  # no size: `chat` belongs to the template's own {variant}
     "`chat` in field {size} is not a known size; the template puts it in `{variant}`"),
    ("acme/llama-base-v2-v1",
     "`v2` in field {variant} is not one of `chat`, `instruct`; it is a version, which the template puts in `{version}`"),
])
def test_a_word_list_field_names_the_field_that_fits(make_policy: Callable[[str], Policy], repo_id: str,
                                                     message: str) -> None:
    [finding] = name_findings(make_policy(SIZE_TEMPLATE), repo_id)
    assert finding.rule == "name/unknown-word"
    assert finding.message == message
    assert finding.suggestion is None  # the name may be right and the template wrong: no guessed fix


def test_a_pattern_field_names_the_built_in_field_that_fits(make_policy: Callable[[str], Policy]) -> None:
    policy = make_policy('name:\n  template: "{architecture}-{parameters}-v{version}"\n')
    [finding] = name_findings(policy, "acme/llama-large-v1")
    assert finding.rule == "name/template"
    assert finding.message == (
        "field {parameters} holds `large` (character 7); expected a parameter count such as `7b`; "
        "it is a size word: use `{size}` for size words"
    )
    assert finding.suggestion is None


def test_two_values_in_each_others_places_are_swapped_back(make_policy: Callable[[str], Policy]) -> None:
    policy = make_policy('name:\n  template: "{architecture}-{parameters}-{size}"\n')
    by_rule = {finding.rule: finding for finding in name_findings(policy, "acme/llama-base-8b")}
    assert by_rule["name/template"].message == (
        "field {parameters} holds `base` (character 7); expected a parameter count such as `7b`; "
        "it is a size word, which the template puts in `{size}`"
    )
    assert by_rule["name/unknown-word"].message == (
        "`8b` in field {size} is not a known size; it is a parameter count, which the template puts in `{parameters}`"
    )
    assert by_rule["name/template"].suggestion == by_rule["name/unknown-word"].suggestion == "acme/llama-8b-base"
    assert name_findings(policy, "acme/llama-8b-base") == []


def test_no_hint_for_a_word_no_built_in_field_holds(make_policy: Callable[[str], Policy]) -> None:
    [finding] = name_findings(make_policy(SIZE_TEMPLATE), "acme/lamma-base-v1")
    assert finding.message == "`lamma` in field {architecture} is not a known architecture; did you mean `llama`?"
    assert finding.suggestion == "acme/llama-base-v1"
    [finding] = name_findings(make_policy(SIZE_TEMPLATE), "acme/llama-base-zorblax-v1")
    assert "it is a" not in finding.message
    assert finding.suggestion == "acme/llama-base-v1"


def test_a_field_of_the_same_vocabulary_is_no_hint(make_policy: Callable[[str], Policy]) -> None:
    """`{model_size}` defined as the sizes vocabulary: a word it rejects is no size word either."""
    policy = make_policy('name:\n  template: "{architecture}-{model_size}"\n  fields:\n'
                         '    model_size: {vocabulary: sizes}\n')
    [finding] = name_findings(policy, "acme/llama-8b")
    assert finding.message.endswith("use `{parameters}` for parameter counts")
    [finding] = name_findings(policy, "acme/llama-enormous")
    assert "it is a" not in finding.message


def test_a_rarely_used_language_code_is_no_hint(make_policy: Callable[[str], Policy]) -> None:
    """ISO 639-3 holds `big` and `ner`; only the two-letter codes hint at `{language}`."""
    [finding] = name_findings(make_policy(SIZE_TEMPLATE), "acme/llama-base-big-v1")
    assert "language" not in finding.message


def test_a_template_field_defined_otherwise_is_not_proposed(make_policy: Callable[[str], Policy]) -> None:
    """A policy whose own `{parameters}` takes only `small`/`large` is not told to put `8b` there."""
    policy = make_policy('name:\n  template: "{architecture}-{size}"\n  fields:\n'
                         '    parameters: {enum: [small, large]}\n')
    [finding] = name_findings(policy, "acme/llama-8b")
    assert "{parameters}" not in finding.message


def test_the_templates_own_language_field_takes_only_the_codes_people_mean(make_policy: Callable[[str], Policy]) -> None:
    policy = make_policy('name:\n  template: "{architecture}-{language}-{variant}"\n  fields:\n'
                         '    variant: {enum: [chat, instruct, big]}\n')
    by_value = {finding.message.split("`")[1]: finding for finding in name_findings(policy, "acme/llama-chat-de")}
    assert by_value["chat"].message == (
        "`chat` in field {language} is not a known language; the template puts it in `{variant}`")
    assert by_value["de"].message == (
        "`de` in field {variant} is not one of `big`, `chat`, `instruct`; it is a language code, which the template "
        "puts in `{language}`")
    assert {finding.suggestion for finding in by_value.values()} == {"acme/llama-de-chat"}
    [finding] = name_findings(policy, "acme/llama-en-ner")  # `ner` is an ISO 639-3 code, and a task word
    assert finding.message == (
        "`ner` in field {variant} is not one of `big`, `chat`, `instruct`; it is a task word: use `{task}` for task words")
