"""Every rule through ``hfname_guard.check``: a passing and a failing case each, the message and
the suggestion; card findings point at the file and line of the offending key. Then what holds
for all rules: the registry, severities, ordering, and the ``rules``/``explain`` commands."""

from __future__ import annotations

import inspect
import json
import random
import struct
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import hfname_guard.rules as rules_package
from hfname_guard import Finding, Policy, Target, check
from hfname_guard.cli import main
from hfname_guard.rules import all_rules, rule_by_id, summary

pytestmark = pytest.mark.usefixtures("cache_dir")

RULE_MODULES = sorted(
    path.stem for path in Path(rules_package.__file__).parent.glob("*.py") if not path.stem.startswith("_")
)


@pytest.fixture
def model(tmp_path: Path) -> Callable[..., Path]:
    """``model(card_text)``: a model folder whose README.md holds ``card_text`` (None: no README)."""
    counter = iter(range(1_000_000))

    def _model(card: str | bytes | None, name: str | None = None) -> Path:
        folder = tmp_path / "models" / (name or f"model{next(counter)}")
        folder.mkdir(parents=True)
        if isinstance(card, bytes):
            (folder / "README.md").write_bytes(card)
        elif card is not None:
            (folder / "README.md").write_text(textwrap.dedent(card), encoding="utf-8")
        return folder

    return _model


def findings(policy: Policy, repo_id: str, folder: Path | None = None, rule: str | None = None) -> list[Finding]:
    report = check([Target(repo_id, folder)], policy)
    return [finding for finding in report.findings if rule is None or finding.rule == rule]


def only(policy: Policy, repo_id: str, folder: Path | None = None, rule: str | None = None) -> Finding:
    found = findings(policy, repo_id, folder, rule)
    assert len(found) == 1, found
    return found[0]


def card(*lines: str) -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n\n# A model\n"


# ----- repo-id/format ---------------------------------------------------------------------------


def test_repo_id_format(make_policy):
    policy = make_policy()
    assert findings(policy, "acme/llama-7b-chat-v1") == []
    finding = only(policy, "acme/llama--7b")
    assert finding.rule == "repo-id/format" and finding.severity == "error"
    assert "`--`" in finding.message and "(column 11)" in finding.message


def test_repo_id_format_names_a_lookalike_letter(make_policy):
    found = findings(make_policy(), "acme/ll\u0430ma", rule="repo-id/format")
    assert found and any("\u0430" in finding.message or "Cyrillic" in finding.message for finding in found), found


def test_name_rules_skip_an_id_they_cannot_split(make_policy):
    policy = make_policy("name: {case: lower, max-length: 3, forbidden-words: [test]}\nnamespaces: [acme]\n")
    assert {finding.rule for finding in findings(policy, "Acme/Test/X")} == {"repo-id/format"}


# ----- repo-id/namespace ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("repo_id", "words", "suggestion"),
    [
        ("other/llama", "namespace `other` is not one of `acme`, `acme-labs`", "acme/llama"),
        ("ACME/llama", "namespace `ACME` should be spelled `acme`", "acme/llama"),
        ("llama", "`llama` has no namespace; expected one of `acme`, `acme-labs`", "acme/llama"),
    ],
)
def test_repo_id_namespace(make_policy, repo_id, words, suggestion):
    policy = make_policy("namespaces: [acme, acme-labs]\n")
    assert findings(policy, "acme-labs/llama") == []
    finding = only(policy, repo_id)
    assert finding.rule == "repo-id/namespace"
    assert finding.message == words
    assert finding.suggestion == suggestion


def test_without_namespaces_any_namespace_is_fine(make_policy):
    assert findings(make_policy(), "anyone/llama") == []


# ----- name/template ----------------------------------------------------------------------------

TEMPLATE = 'name:\n  template: "{architecture}-{size}-v{version}"\n'


def test_name_template_passes_a_conforming_name(make_policy):
    assert findings(make_policy(TEMPLATE), "acme/llama-base-v1") == []
    assert findings(make_policy(TEMPLATE), "acme/xlm-roberta-large-v2.1") == []


def test_name_template_reports_where_the_shape_breaks(make_policy):
    finding = only(make_policy(TEMPLATE), "acme/llama-base")
    assert finding.rule == "name/template"
    assert "`llama-base` does not fit the template `{architecture}-{size}-v{version}`" in finding.message
    assert "expected `-v{version}` at character 11, found the end of the name" in finding.message
    assert "e.g. `llama-base-v1`" in finding.message
    assert finding.suggestion == "acme/llama-base-v1"


def test_name_template_reports_a_pattern_field_with_an_unacceptable_value(make_policy):
    finding = only(make_policy(TEMPLATE), "acme/llama-base-vnext")
    assert finding.rule == "name/template"
    assert "field {version} holds `next` (character 13)" in finding.message
    assert "version" in finding.message.split("expected", 1)[1]
    assert finding.suggestion == "acme/llama-base-v1"


def test_name_template_uses_the_field_description_and_example(make_policy):
    policy = make_policy("""\
        name:
          template: "{architecture}-{step}"
          fields:
            step: {pattern: 'step\\d+', example: step100, description: "a training step such as step100"}
        """)
    assert findings(policy, "acme/llama-step42") == []
    finding = only(policy, "acme/llama-final")
    assert finding.rule == "name/template"
    assert "field {step} holds `final`" in finding.message
    assert "a training step such as step100" in finding.message
    assert finding.suggestion is None  # nothing says which step: an example is no fix (issue 15)


def test_name_template_example_follows_the_case_style(make_policy):
    policy = make_policy(TEMPLATE + "  case: lower\n")
    finding = only(policy, "acme/LLAMA-BASE", rule="name/template")
    assert finding.suggestion == "acme/llama-base-v1"


# ----- name/unknown-word ------------------------------------------------------------------------


def test_unknown_word_in_a_vocabulary_field(make_policy):
    finding = only(make_policy(TEMPLATE), "acme/llama-big-v1")
    assert finding.rule == "name/unknown-word"
    assert finding.message.startswith("`big` in field {size} is not a known size")
    assert finding.suggestion is None  # no near word, and a vocabulary's example is no fix (issue 15)


def test_unknown_word_suggests_the_nearest_word(make_policy):
    finding = only(make_policy(TEMPLATE), "acme/lamma-base-v1")
    assert finding.rule == "name/unknown-word"
    assert "`lamma` in field {architecture}" in finding.message
    assert "did you mean `llama`?" in finding.message
    assert finding.suggestion == "acme/llama-base-v1"


def test_unknown_word_in_an_enum_field(make_policy):
    policy = make_policy("""\
        name:
          template: "{architecture}-{variant}"
          fields:
            variant: {enum: [chat, instruct]}
        """)
    assert findings(policy, "acme/llama-Chat") == []
    finding = only(policy, "acme/llama-instrct")
    assert finding.rule == "name/unknown-word"
    assert "one of `chat`, `instruct`" in finding.message and "did you mean `instruct`?" in finding.message
    assert finding.suggestion == "acme/llama-instruct"


def test_unknown_word_in_an_optional_field_with_no_near_word_is_dropped(make_policy):
    policy = make_policy("""\
        name:
          template: "{architecture}-{parameters}[-{language}]-v{version}"
        """)
    finding = only(policy, "acme/gemma-2b-zorblax-v1")
    assert finding.rule == "name/unknown-word"
    assert finding.suggestion == "acme/gemma-2b-v1"
    assert only(policy, "acme/gemma-2b-englsh-v1").suggestion == "acme/gemma-2b-en-v1"  # english is en
    assert only(policy, "acme/gemma-2b-germn-v1").suggestion == "acme/gemma-2b-de-v1"  # not the code gmn


def test_unknown_word_stays_silent_while_the_shape_is_wrong(make_policy):
    assert [finding.rule for finding in findings(make_policy(TEMPLATE), "acme/lamma-big")] == ["name/template"]


# ----- name/case --------------------------------------------------------------------------------


def test_name_case_separator(make_policy):
    policy = make_policy('name: {separator: "-"}\n')
    assert findings(policy, "acme/llama-v1.5") == []  # a decimal point is no separator
    assert findings(policy, "acme/llama-1.5b-chat") == []
    finding = only(policy, "acme/llama_7b")
    assert finding.rule == "name/case"
    assert finding.message == "`llama_7b` separates words with `_`; the policy's separator is `-`"
    assert finding.suggestion == "acme/llama-7b"


def test_name_case_a_dot_between_words_is_a_separator(make_policy):
    finding = only(make_policy('name: {separator: "-"}\n'), "acme/llama.base")
    assert finding.suggestion == "acme/llama-base"


def test_name_case_letter_case(make_policy):
    policy = make_policy("name: {case: lower}\n")
    assert findings(policy, "ACME/llama-7b") == []  # the namespace is not the name
    finding = only(policy, "acme/Llama-7B")
    assert finding.rule == "name/case"
    assert finding.message == "`Llama-7B` is not lower-case"
    assert finding.suggestion == "acme/llama-7b"
    upper = only(make_policy("name: {case: upper}\n"), "acme/llama")
    assert upper.message == "`llama` is not upper-case" and upper.suggestion == "acme/LLAMA"


def test_name_case_reports_case_and_separators_apart_with_one_fix(make_policy):
    found = findings(make_policy('name: {case: lower, separator: "-"}\n'), "acme/Llama_7B.v1.5")
    assert [(finding.message, finding.suggestion) for finding in found] == [
        ("`Llama_7B.v1.5` is not lower-case", "acme/llama-7b-v1.5"),
        ("`Llama_7B.v1.5` separates words with `.` and `_`; the policy's separator is `-`", "acme/llama-7b-v1.5"),
    ]


def test_name_case_leaves_separators_the_template_spells_out(make_policy):
    policy = make_policy('name:\n  separator: "-"\n  template: "{architecture}_{parameters}"\n')
    assert findings(policy, "acme/llama_7b") == []


# ----- name/length ------------------------------------------------------------------------------


def test_name_length(make_policy):
    policy = make_policy("name: {max-length: 13}\n")
    assert findings(policy, "a-long-namespace/llama-7b-chat") == []  # 13 characters: at the limit
    finding = only(policy, "acme/llama-7b-chat-v1")
    assert finding.rule == "name/length"
    assert finding.message == "`llama-7b-chat-v1` is 16 characters long; the policy allows 13"


# ----- name/forbidden ---------------------------------------------------------------------------

FORBIDDEN = "name: {forbidden-words: [test, my-model]}\n"


@pytest.mark.parametrize("repo_id", ["acme/llama-attest", "acme/testing-llama", "acme/my-modelx", "acme/llama-model"])
def test_forbidden_words_match_whole_words_only(make_policy, repo_id):
    assert findings(make_policy(FORBIDDEN), repo_id) == []


@pytest.mark.parametrize(
    ("repo_id", "word", "suggestion"),
    [
        ("acme/llama-test-7b", "test", "acme/llama-7b"),
        ("acme/Llama_TEST", "test", "acme/Llama"),  # the policy sets no case: the name's is kept
        ("acme/my-model-2", "my-model", "acme/2"),
        ("acme/My_Model.llama", "my-model", "acme/llama"),
        ("acme/test", "test", None),
    ],
)
def test_forbidden_words_and_phrases(make_policy, repo_id, word, suggestion):
    finding = only(make_policy(FORBIDDEN), repo_id)
    assert finding.rule == "name/forbidden"
    assert finding.message == f"`{repo_id.split('/')[1]}` contains the forbidden word `{word}`"
    assert finding.suggestion == suggestion


def test_each_forbidden_word_is_reported_once(make_policy):
    found = findings(make_policy(FORBIDDEN), "acme/test-my-model-test")
    assert sorted(finding.message.rsplit(" ", 1)[1] for finding in found) == ["`my-model`", "`test`"]


# ----- name/required-word -----------------------------------------------------------------------

MUST = "name: {must-contain: [architectures]}\n"


@pytest.mark.parametrize("repo_id", ["acme/llama2-7b", "acme/Llama-2-7b", "acme/xlm-roberta-ner", "acme/gpt_neox-20b"])
def test_required_word_found(make_policy, repo_id):
    assert findings(make_policy(MUST), repo_id) == []


def test_required_word_near_miss(make_policy):
    finding = only(make_policy(MUST), "acme/lamma-7b")
    assert finding.rule == "name/required-word"
    assert finding.message == "`lamma-7b` has no architecture word (such as `llama`); did you mean `llama` for `lamma`?"
    assert finding.suggestion == "acme/llama-7b"


def test_required_word_missing_entirely(make_policy):
    finding = only(make_policy(MUST), "acme/super-model-7b")
    assert finding.message == "`super-model-7b` has no architecture word (such as `llama`)"
    assert finding.suggestion is None


def test_required_word_for_an_open_vocabulary(make_policy):
    policy = make_policy("name: {must-contain: [parameter-counts]}\n")
    assert findings(policy, "acme/llama-7b") == []
    finding = only(policy, "acme/llama-chat")
    assert "no parameter count word (such as `7b`)" in finding.message


def test_required_word_is_left_to_the_template_when_a_required_field_demands_it(make_policy):
    policy = make_policy('name:\n  must-contain: [architectures]\n  template: "{architecture}-{parameters}"\n')
    assert [finding.rule for finding in findings(policy, "acme/lamma-7b")] == ["name/unknown-word"]


# ----- card/missing and card/syntax -------------------------------------------------------------

STRICT_CARD = """\
    card:
      required: [license, language, pipeline_tag]
      licenses: [mit]
      tags: [acme]
      base-model: {namespaces: [acme]}
    """


def test_card_missing(make_policy, model):
    policy = make_policy(STRICT_CARD)
    folder = model(None)
    finding = only(policy, "acme/llama", folder)
    assert finding.rule == "card/missing"
    assert finding.message == "no README.md: the model has no card"
    assert finding.file == str(folder / "README.md")


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        ("# Just a title\n", "no YAML metadata block", 1),
        ("---\n---\n# Empty block\n", "empty or never closed", 1),
    ],
)
def test_card_without_metadata(make_policy, model, text, words, line):
    finding = only(make_policy(STRICT_CARD), "acme/llama", model(text))
    assert finding.rule == "card/missing" and words in finding.message and finding.line == line


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        ("---\nlicense: mit\nlanguage: [en\n---\n", "invalid YAML", None),
        ("---\n- mit\n---\n", "must be a mapping", 2),
        (b"---\nlicense: mit\xff\n---\n", "not UTF-8", 2),
        (b"---\nlicense: mit\n---\n\0\0", "binary", None),
    ],
    ids=["yaml", "list", "not-utf8", "binary"],
)
def test_card_syntax(make_policy, model, text, words, line):
    folder = model(text)
    finding = only(make_policy(STRICT_CARD), "acme/llama", folder)
    assert finding.rule == "card/syntax"
    assert words in finding.message
    assert finding.file == str(folder / "README.md")
    if line is not None:
        assert finding.line == line


def test_card_syntax_a_key_set_twice(make_policy, model):
    folder = model(card("license: mit", "language: en", "license: mit", "pipeline_tag: text-generation",
                        "tags: [acme]"))
    finding = only(make_policy(STRICT_CARD), "acme/llama", folder)
    assert finding.rule == "card/syntax"
    assert finding.message == "`license` is set twice; the Hub keeps only the last value"
    assert finding.line == 2


def test_card_syntax_an_impossible_date_is_a_finding_not_a_crash(make_policy, model):
    """PyYAML turns ``2027-02-30`` into a date and raises ValueError; the card is broken, not the tool."""
    folder = model(card("license: mit", "released: 2027-02-30"))
    finding = only(make_policy(), "acme/llama", folder)
    assert finding.rule == "card/syntax"
    assert finding.file == str(folder / "README.md")
    assert finding.line == 3


def test_card_rules_stay_silent_when_the_card_is_missing_or_broken(make_policy, model):
    policy = make_policy(STRICT_CARD)
    for folder in (model(None), model("no block\n"), model("---\nlicense: [mit\n---\n"), model("---\n- x\n---\n")):
        rules = [finding.rule for finding in findings(policy, "acme/llama", folder)]
        assert len(rules) == 1 and rules[0] in ("card/missing", "card/syntax"), rules


def test_card_rules_need_a_folder(make_policy):
    assert findings(make_policy(STRICT_CARD), "acme/llama") == []


def test_the_hub_preset_only_warns_about_a_missing_card(make_policy, model):
    finding = only(make_policy("extends: hub\n"), "acme/llama", model(None))
    assert (finding.rule, finding.severity) == ("card/missing", "warning")


# ----- card/required ----------------------------------------------------------------------------


def test_card_required(make_policy, model):
    policy = make_policy("card: {required: [license, pipeline_tag, tags]}\n")
    assert findings(policy, "acme/llama", model(card("license: mit", "pipeline_tag: fill-mask", "tags: [x]"))) == []
    folder = model(card("language: en", "license:", "tags: []"))
    found = findings(policy, "acme/llama", folder)
    assert [(f.rule, f.message, f.line) for f in found] == [
        ("card/required", "required card field `pipeline_tag` is missing", 2),  # the block's first line
        ("card/required", "required card field `license` is empty", 3),
        ("card/required", "required card field `tags` is empty", 4),
    ]
    assert all(f.file == str(folder / "README.md") for f in found)


# ----- card/license -----------------------------------------------------------------------------


def test_card_license(make_policy, model):
    policy = make_policy()
    assert findings(policy, "acme/llama", model(card("license: apache-2.0"))) == []
    finding = only(policy, "acme/llama", model(card("pipeline_tag: fill-mask", "license: apache2")))
    assert finding.rule == "card/license"
    assert finding.message == "license `apache2` is not accepted by the Hub; did you mean `apache-2.0`?"
    assert finding.suggestion == "apache-2.0"
    assert finding.line == 3


def test_card_license_allowed_by_the_policy(make_policy, model):
    policy = make_policy("card: {licenses: [mit, apache-2.0]}\n")
    finding = only(policy, "acme/llama", model(card("license: gpl-3.0")))
    assert finding.message == "license `gpl-3.0` is not allowed by the policy"
    assert finding.suggestion is None


@pytest.mark.parametrize("written", ["Apache-2.0", "MIT", "Other"])
def test_card_license_compares_without_case_as_the_hub_does(make_policy, model, written):
    extra = ("license_name: acme", "license_link: LICENSE") if written == "Other" else ()
    assert findings(make_policy(), "acme/llama", model(card(f"license: {written}", *extra))) == []
    assert findings(make_policy("card: {licenses: [mit]}\n"), "acme/llama", model(card("license: MIT"))) == []


def test_card_license_other_needs_a_name_and_a_link(make_policy, model):
    policy = make_policy()
    complete = card("license: other", "license_name: acme-license", "license_link: LICENSE")
    assert findings(policy, "acme/llama", model(complete)) == []
    found = findings(policy, "acme/llama", model(card("language: en", "license: other", "license_link: LICENSE")))
    assert [(f.rule, f.severity, f.message, f.line) for f in found] == [
        ("card/license", "warning", "`license: other` needs `license_name` too, to say which license it is", 3),
    ]


def test_card_license_must_be_a_single_id(make_policy, model):
    finding = only(make_policy(), "acme/llama", model(card("license: [mit, apache-2.0]")))
    assert finding.rule == "card/field-type"  # the type is card/field-type's, whichever rule reads the field
    assert finding.message == "`license` needs a string (a license id such as `apache-2.0`), not a list"


# ----- card/language ----------------------------------------------------------------------------


def test_card_language(make_policy, model):
    policy = make_policy()
    assert findings(policy, "acme/llama", model(card("language: [en, deu, pt-BR, zh-Hans, multilingual]"))) == []
    folder = model(card("license: mit", "language:", "  - en", "  - english", "  - de"))
    finding = only(policy, "acme/llama", folder)
    assert finding.rule == "card/language"
    assert finding.message == "language `english` is not an ISO 639-1, 639-3 or 639-5 code; did you mean `en`?"
    assert finding.severity == "warning", "the Hub accepts any card language"
    assert finding.suggestion == "en"
    assert (finding.file, finding.line, finding.column) == (str(folder / "README.md"), 5, 5)


@pytest.mark.parametrize(("written", "meant"), [("German", "de"), ("germn", "de"), ("englsh", "en"), ("zorblax", None)])
def test_card_language_suggests_the_code_a_misspelt_language_name_stands_for(make_policy, model, written, meant):
    finding = only(make_policy(), "acme/llama", model(card(f"language: {written}")))
    assert finding.rule == "card/language"
    assert finding.suggestion == meant


def test_card_language_allowed_by_the_policy_points_at_the_entry(make_policy, model):
    policy = make_policy("card: {languages: [en, de]}\n")
    finding = only(policy, "acme/llama", model(card("license: mit", "language: [en, fr]")))
    assert finding.message == "language `fr` is not allowed by the policy (de, en)"
    assert finding.severity == "error", "the policy's own list is the policy's error"
    assert (finding.line, finding.column) == (3, 16)


def test_card_language_single_value(make_policy, model):
    finding = only(make_policy(), "acme/llama", model(card("language: german")))
    assert "did you mean `de`?" in finding.message and finding.line == 2


# ----- card/pipeline-tag ------------------------------------------------------------------------


def test_card_pipeline_tag(make_policy, model):
    policy = make_policy()
    assert findings(policy, "acme/llama", model(card("pipeline_tag: text-generation"))) == []
    finding = only(policy, "acme/llama", model(card("license: mit", "pipeline_tag: text-generator")))
    assert finding.rule == "card/pipeline-tag"
    assert finding.message == "pipeline_tag `text-generator` is not a Hub pipeline tag; did you mean `text-generation`?"
    assert finding.suggestion == "text-generation"
    assert finding.line == 3


def test_card_pipeline_tag_allowed_by_the_policy(make_policy, model):
    policy = make_policy("card: {pipeline-tags: [text-generation]}\n")
    finding = only(policy, "acme/llama", model(card("pipeline_tag: fill-mask")))
    assert finding.message.startswith("pipeline_tag `fill-mask` is not allowed by the policy")


def test_card_pipeline_tag_with_underscores_gets_a_suggestion(make_policy, model):
    finding = only(make_policy(), "acme/llama", model(card("pipeline_tag: text_generation")))
    assert finding.suggestion == "text-generation"


# ----- card/library-name ------------------------------------------------------------------------


def test_card_library_name(make_policy, model):
    policy = make_policy()
    assert findings(policy, "acme/llama", model(card("library_name: transformers"))) == []
    finding = only(policy, "acme/llama", model(card("library_name: transformer")))
    assert finding.rule == "card/library-name"
    assert finding.message == ("library_name `transformer` is not a library the Hub knows (the Hub shows it, but offers "
                               "no \"Use this model\" snippet for it); did you mean `transformers`?")
    assert finding.severity == "warning"  # the Hub accepts it: never an error of the Hub's
    assert finding.suggestion == "transformers"
    assert finding.line == 2


def test_card_library_name_allowed_by_the_policy(make_policy, model):
    policy = make_policy("card: {library-names: [transformers]}\n")
    finding = only(policy, "acme/llama", model(card("library_name: peft")))
    assert finding.message == "library_name `peft` is not allowed by the policy"
    assert finding.severity == "error"  # the policy's own list: the policy's error


# ----- card/base-model --------------------------------------------------------------------------


def test_card_base_model(make_policy, model):
    policy = make_policy()
    assert findings(policy, "acme/llama", model(card("base_model: meta-llama/Llama-3.1-8B"))) == []
    folder = model(card(
        "license: mit",
        "base_model:",
        "  - meta-llama/Llama-3.1-8B",
        "  - https://huggingface.co/meta-llama/Llama-3.1-8B",
        "  - ./checkpoints/run-7",
    ))
    url, path = findings(policy, "acme/llama", folder)
    assert url.rule == path.rule == "card/base-model"
    assert url.message == ("base_model `https://huggingface.co/meta-llama/Llama-3.1-8B` is a URL; "
                           "write the repo id `meta-llama/Llama-3.1-8B`")
    assert url.suggestion == "meta-llama/Llama-3.1-8B"
    assert (url.line, url.column) == (5, 5)
    assert path.message.startswith("base_model `./checkpoints/run-7` is not a repo id")
    assert path.line == 6


def test_card_base_model_namespaces(make_policy, model):
    policy = make_policy("card:\n  base-model: {namespaces: [meta-llama, acme]}\n")
    assert findings(policy, "acme/llama", model(card("base_model: [meta-llama/Llama-3.1-8B, acme/base]"))) == []
    finding = only(policy, "acme/llama", model(card("base_model: random/llama")))
    assert finding.message == "base_model `random/llama` is not from an allowed namespace (`meta-llama`, `acme`)"
    assert finding.line == 2
    bare = only(policy, "acme/llama", model(card("base_model: llama")))
    assert "not from an allowed namespace" in bare.message


# ----- card/tags --------------------------------------------------------------------------------


def test_card_tags(make_policy, model):
    policy = make_policy("card: {tags: [acme, nlp]}\n")
    assert findings(policy, "acme/llama", model(card("tags: [x, nlp, acme]"))) == []
    one = only(policy, "acme/llama", model(card("license: mit", "tags: [nlp, llama]")))
    assert one.rule == "card/tags"
    assert one.message == "the card lacks the required tag `acme`"
    assert one.line == 3
    both = only(policy, "acme/llama", model(card("license: mit")))
    assert both.message == "the card lacks the required tags `acme`, `nlp`"
    assert both.line == 2  # no `tags` key: the start of the block
    wrong = only(policy, "acme/llama", model(card("license: mit", "tags: acme")))
    assert wrong.rule == "card/field-type" and wrong.line == 3
    assert wrong.message == "`tags` needs a list of strings (each a tag such as `nlp`), not a string; write `tags: [acme]`"


def test_card_tags_without_required_tags(make_policy, model):
    assert findings(make_policy(), "acme/llama", model(card("tags: [nonsense]")), rule="card/tags") == []


# ----- every rule -------------------------------------------------------------------------------


def test_the_registry_lists_exactly_the_rule_modules():
    """`RULE_MODULES` cannot rot: a module of the folder missing from it, or a name in it with no
    module, fails here; it is sorted and names each module once."""
    listed = rules_package.RULE_MODULES
    assert sorted(set(listed) - set(RULE_MODULES)) == [], "RULE_MODULES names modules that do not exist"
    assert sorted(set(RULE_MODULES) - set(listed)) == [], "rule modules missing from RULE_MODULES"
    assert list(listed) == sorted(set(listed)), "RULE_MODULES is sorted, one module a line"


def test_the_registry_holds_exactly_the_rule_modules():
    registered = [rule.__name__.rsplit(".", 1)[1] for rule in all_rules()]
    assert sorted(registered) == RULE_MODULES
    assert len(RULE_MODULES) == len(set(rule.ID for rule in all_rules()))


HUB_RULES_OF_THE_CARD = ("hub/base-model", "hub/card-validation", "hub/datasets")


@pytest.mark.parametrize("module", RULE_MODULES)
def test_each_rule_module_is_complete(module):
    rule = next(rule for rule in all_rules() if rule.__name__.endswith("." + module))
    assert rule.ID.replace("/", "_").replace("-", "_") == module
    assert rule.SEVERITY in ("error", "warning", "info")
    assert rule.SUBJECT in ("repo-id", "folder", "internal")
    family = rule.ID.split("/")[0]
    reads_files = family in ("card", "consistency", "artifacts", "gguf") or rule.ID in HUB_RULES_OF_THE_CARD
    reported_by_the_checker = family == "internal" or rule.ID == "hub/unreachable"
    assert rule.SUBJECT == ("internal" if reported_by_the_checker else "folder" if reads_files else "repo-id")
    assert hasattr(rule, "check") == (rule.SUBJECT != "internal"), "the checker runs every rule but its own"
    doc = inspect.cleandoc(rule.__doc__ or "")
    assert "Passing" in doc and "Failing" in doc
    assert rule_by_id(rule.ID) is rule


def test_the_rules_are_in_id_order():
    ids = [rule.ID for rule in all_rules()]
    assert ids == sorted(ids)


def test_rules_command_lists_every_rule(capsys):
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(RULE_MODULES)
    for rule, line in zip(all_rules(), lines):
        assert line.split()[:2] == [rule.ID, rule.SEVERITY]
        assert line.endswith(summary(rule))


@pytest.mark.parametrize("rule_id", [rule.ID for rule in all_rules()])
def test_explain_prints_the_rule_documentation(capsys, rule_id):
    assert main(["explain", rule_id]) == 0
    out = capsys.readouterr().out
    rule = rule_by_id(rule_id)
    assert out.startswith(f"{rule_id} (default severity: {rule.SEVERITY})")
    assert inspect.cleandoc(rule.__doc__) in out


def test_explain_a_misspelled_rule_suggests_the_right_one(capsys):
    assert main(["explain", "nam/template"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no rule `nam/template`; did you mean `name/template`?" in captured.err


def test_explain_a_word_far_from_every_rule_reads_it_as_a_name(capsys):
    assert main(["explain", "zzz"]) == 0
    assert capsys.readouterr().out.startswith("zzz\n")


def untruthful(model: Callable[..., Path], write_safetensors: Callable[..., None]) -> Path:
    """A folder whose files contradict the name `bert-7b-ner-en-lora` in every way."""
    folder = model(card("language: de", "pipeline_tag: text-classification", "base_model: meta-llama/Llama-2-7b-hf"))
    config = {"model_type": "llama", "architectures": ["LlamaForSequenceClassification"]}
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    write_safetensors(folder / "model.safetensors", {"transformer.h.0.attn.c_attn.weight": ("F32", [768, 2304])})
    return folder


def mislabeled_gguf(model: Callable[..., Path]) -> Path:
    """A folder whose `model-Q4_K_M.gguf` says in its header that it is a Q8_0 (file type 7)."""
    folder = model(None)
    key = b"general.file_type"
    header = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", len(key)) + key + struct.pack("<II", 4, 7)
    (folder / "model-Q4_K_M.gguf").write_bytes(header)
    return folder


def unreadable(model: Callable[..., Path]) -> Path:
    """A folder whose weights are a git-LFS pointer and whose adapter_config.json is broken."""
    folder = model(None)
    (folder / "model.safetensors").write_text("version https://git-lfs.github.com/spec/v1\nsize 1\n")
    (folder / "adapter_config.json").write_text("{", encoding="utf-8")
    return folder


@pytest.mark.parametrize("rule_id", [rule.ID for rule in all_rules()  # internal: never off; hub/*: online, in
                                     if rule.SUBJECT != "internal" and not rule.ID.startswith("hub/")])  # test_online
def test_a_rule_set_off_yields_nothing(make_policy, model, write_safetensors, rule_id):
    everything_wrong = textwrap.dedent("""\
        namespaces: [acme]
        name:
          template: "{architecture}-{size}-v{version}"
          case: lower
          separator: "-"
          max-length: 5
          forbidden-words: [test]
          must-contain: [tasks]
        card:
          required: [license, pipeline_tag]
          licenses: [mit]
          tags: [acme]
          base-model: {namespaces: [acme]}
        gguf:
          encodings: {required: [Q4_K_M], forbidden: [Q8_0]}
          metadata: [general.license]
        """)
    on = make_policy(everything_wrong)
    off = make_policy(everything_wrong + f"rules:\n  {rule_id}: off\n")
    cases = [
        ("other/Lamma_Test", model(card("license: apache2", "language: english", "pipeline_tag: chat",
                                         "library_name: transformer", "base_model: https://hf.co/x/y", "tags: [x]"))),
        ("acme/llama--big-v1", model(None)),
        ("acme/llama-base", model("---\n- x\n---\n")),
        ("acme/llama-big-v1", model("---\nlicense: other\n---\n")),
        ("acme/bert-7b-ner-en-lora", untruthful(model, write_safetensors)),
        ("acme/llama-7b", unreadable(model)),
        ("acme/llama-big-v1", model(card("license: mit", "language: no"))),
        ("acme/llama-7b-gguf", mislabeled_gguf(model)),
    ]
    produced = [finding for repo_id, folder in cases for finding in findings(on, repo_id, folder)]
    assert any(finding.rule == rule_id for finding in produced), f"no case makes {rule_id} fire"
    remaining = [finding for repo_id, folder in cases for finding in findings(off, repo_id, folder)]
    assert all(finding.rule != rule_id for finding in remaining)
    assert len(remaining) == len(produced) - sum(finding.rule == rule_id for finding in produced)


def test_severity_comes_from_the_policy(make_policy):
    policy = make_policy("name: {case: lower}\nrules:\n  name/case: info\n")
    assert only(policy, "acme/Llama").severity == "info"


# ----- ordering ---------------------------------------------------------------------------------


def test_findings_are_sorted_by_file_line_and_column(make_policy, model):
    policy = make_policy("namespaces: [acme]\nname: {case: lower}\ncard: {required: [license], tags: [acme]}\n")
    folder = model(card("pipeline_tag: text-generator", "language: [en, english]", "library_name: transformer",
                        "license: apache2"))
    report = check([Target("other/Llama", folder)], policy)
    assert report.findings == sorted(report.findings, key=Finding.sort_key)
    locations = [(finding.file, finding.line or 0, finding.column or 0) for finding in report.findings]
    assert locations == sorted(locations)
    assert [finding.rule for finding in report.findings][:2] == ["name/case", "repo-id/namespace"]
    card_lines = [finding.line for finding in report.findings if finding.rule.startswith("card/")]
    assert card_lines == [2, 2, 3, 4, 5]  # card/tags points at the block start, line 2


def test_findings_do_not_depend_on_the_order_of_targets(make_policy):
    policy = make_policy("namespaces: [acme]\nname: {case: lower, forbidden-words: [tmp]}\n")
    targets = [Target(repo_id) for repo_id in ("other/b", "other/a", "other/Tmp-c", "ACME/d", "acme/E")]
    expected = check(targets, policy).findings
    shuffled = list(targets)
    for seed in range(10):
        random.Random(seed).shuffle(shuffled)
        assert check(shuffled, policy).findings == expected
