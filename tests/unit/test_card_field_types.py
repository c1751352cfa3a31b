"""A card field of the wrong type is one `card/field-type` finding, never a crash.

YAML types a value by its spelling (`no` is false, `2024-01-01` a date, `1.5` a number), so a
card can hold any type in any field. The types the Hub takes come from huggingface_hub's
``ModelCardData`` and the Hub's model card spec; they are written out here, apart from the
code, so that a change to either is a decision and not an accident.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfname_guard import Finding, Policy, Target, check

pytestmark = pytest.mark.usefixtures("cache_dir")

ROOT = Path(__file__).resolve().parents[2]

ONE_STRING = ["license", "license_name", "license_link", "pipeline_tag", "library_name", "base_model_relation"]
STRING_OR_LIST = ["language", "base_model", "datasets"]
LIST_ONLY = ["tags"]
FIELDS = ONE_STRING + STRING_OR_LIST + LIST_ONLY


@pytest.fixture
def model(tmp_path: Path) -> Callable[..., Path]:
    """``model(*metadata_lines)``: a model folder whose README.md has these metadata lines."""
    counter = iter(range(1_000_000))

    def _model(*lines: str) -> Path:
        folder = tmp_path / "models" / f"model{next(counter)}"
        folder.mkdir(parents=True)
        (folder / "README.md").write_text("---\n" + "".join(f"{line}\n" for line in lines) + "---\n# A model\n",
                                          encoding="utf-8")
        return folder

    return _model


def findings(policy: Policy, folder: Path, repo_id: str = "acme/llama") -> list[Finding]:
    return check([Target(repo_id, folder)], policy).findings


def only(policy: Policy, folder: Path, repo_id: str = "acme/llama") -> Finding:
    found = findings(policy, folder, repo_id)
    assert len(found) == 1, found
    return found[0]


def needs(field: str) -> str:
    """How the message names the type the whole field needs."""
    if field in ONE_STRING:
        return f"`{field}` needs a string ("
    if field in STRING_OR_LIST:
        return ") or a list of them, not "
    return f"`{field}` needs a list of strings ("


def wrong_values(field: str) -> list[tuple[str, int, list[str]]]:
    """``(yaml value, column of the finding, words of its message)`` for ``field: value``,
    each value of a type the field does not take. A value in a list points at itself."""
    item = len(field) + 4  # the column of the first entry of `field: [...]`
    whole_field = [
        ("5", 1, [f"`{field}` needs a ", needs(field), "not the number `5`"]),
        ("1.5", 1, [f"`{field}` needs a ", needs(field), "not the number `1.5`"]),
        ("{id: x}", 1, [f"`{field}` needs a ", needs(field), "not a mapping"]),
        ("no", 1, [f"`{field}: no` is read by YAML as the boolean false", "not a "]),
        ("On", 1, [f"`{field}: On` is read by YAML as the boolean true", "not a "]),
        ("2024-01-01", 1, [f"`{field}: 2024-01-01` is read by YAML as a date", "not a "]),
    ]
    if field in ONE_STRING:
        return [*whole_field,
                ("[x]", 1, [f"`{field}` needs a string (", f"not a list; write `{field}: x`"]),
                ("[[x]]", 1, [f"`{field}` needs a string (", "not a list"]),
                ("[x, null]", 1, [f"`{field}` needs a string (", "not a list"])]
    good = "en" if field == "language" else "x"  # an entry the field's own rule accepts
    after = item + len(good) + 2
    entries = [("[[x]]", item, [f"each `{field}` entry needs a string (", "not a list"]),
               (f"[{good}, null]", after, [f"each `{field}` entry needs a string (", "not null"]),
               (f"[{good}, 7]", after, [f"each `{field}` entry needs a string (", "not the number `7`"]),
               (f"[{good}, no]", after, ["`no` in", f"`{field}` is read by YAML as the boolean false, not a string"])]
    if field in LIST_ONLY:
        return [*whole_field, *entries, ("x", 1, [f"`{field}` needs a list of strings (", f"not a string; write `{field}: [x]`"])]
    return [*whole_field, *entries]


CASES = [(field, value, column, words) for field in FIELDS for value, column, words in wrong_values(field)]


def hub_reads(field: str, value: str) -> bool:
    """Whether the Hub (YAML 1.2, one word taken for a list) reads the value as the text meant:
    such a value is at most a warning."""
    yaml_1_1_boolean = value in ("no", "On") or value.endswith(", no]")
    one_word_for_a_list = field in LIST_ONLY and value == "x"
    a_list_of_one_word = field in ONE_STRING and value == "[x]"
    return yaml_1_1_boolean or one_word_for_a_list or a_list_of_one_word


@pytest.mark.parametrize(("field", "value", "column", "words"), CASES,
                         ids=[f"{field}: {value}" for field, value, _, _ in CASES])
def test_a_value_of_the_wrong_type_is_one_finding_at_its_place(make_policy, model, field, value, column, words):
    folder = model("model_name: demo", f"{field}: {value}")
    finding = only(make_policy(), folder)
    assert finding.rule == "card/field-type"
    assert finding.severity == ("warning" if hub_reads(field, value) else "error")
    for word in words:
        assert word in finding.message
    assert (finding.file, finding.line, finding.column) == (str(folder / "README.md"), 3, column)
    assert len(finding.message.splitlines()) == 1


def test_the_norwegian_language_code_must_be_quoted(make_policy, model):
    finding = only(make_policy(), model("language: no"))
    assert finding.message == '`language: no` is read by YAML as the boolean false, not a string; quote it: `language: "no"`'
    assert finding.suggestion == '"no"'
    assert findings(make_policy(), model('language: "no"')) == []


@pytest.mark.parametrize(
    ("line", "message", "suggestion"),
    [
        ("language: 5", "`language` needs a string (a language code such as `en`) or a list of them, not the number `5`",
         None),
        ("base_model: 1.5", "`base_model` needs a string (a repo id such as `meta-llama/Llama-3.1-8B`) or a list of "
         "them, not the number `1.5`", None),
        ("pipeline_tag: [text-generation]", "`pipeline_tag` needs a string (a pipeline tag such as `text-generation`), "
         "not a list; write `pipeline_tag: text-generation`", "text-generation"),
        ("tags: nlp", "`tags` needs a list of strings (each a tag such as `nlp`), not a string; write `tags: [nlp]`",
         "[nlp]"),
        ("tags: yes", '`tags: yes` is read by YAML as the boolean true, not a list of strings; write `tags: ["yes"]`',
         '["yes"]'),
        ("license: 2024-01-01", '`license: 2024-01-01` is read by YAML as a date, not a string; quote it: '
         '`license: "2024-01-01"`', '"2024-01-01"'),
        ("license: 2001-12-14 21:59:43.10 -5", '`license: 2001-12-14 21:59:43.10 -5` is read by YAML as a date and '
         'time, not a string; quote it: `license: "2001-12-14 21:59:43.10 -5"`', '"2001-12-14 21:59:43.10 -5"'),
        ("language: [en, &x off]", '`off` in `language` is read by YAML as the boolean false, not a string; quote '
         'it: `"off"`', '"off"'),
        ("license: [mit, apache-2.0]", "`license` needs a string (a license id such as `apache-2.0`), not a list", None),
        ('tags: "yes"', "`tags` needs a list of strings (each a tag such as `nlp`), not a string", None),  # [yes]: true
        ('pipeline_tag: ["1.5"]', "`pipeline_tag` needs a string (a pipeline tag such as `text-generation`), not a "
         "list", None),  # no fix: unquoted, 1.5 would be a number
        ("datasets: !!binary aGk=", "`datasets` needs a string (a dataset id such as `HuggingFaceFW/fineweb`) or a list "
         "of them, not a value of type `bytes`", None),
    ],
)
def test_messages(make_policy, model, line, message, suggestion):
    finding = only(make_policy(), model(line))
    assert (finding.rule, finding.message, finding.suggestion) == ("card/field-type", message, suggestion)


def test_each_wrong_value_in_a_list_is_its_own_finding_and_the_right_ones_are_still_read(make_policy, model):
    policy = make_policy("card: {languages: [en, de]}\n")
    found = findings(policy, model("language:", "  - en", "  - 5", "  - fr", "  - [de]"))
    assert [(f.rule, f.line, f.column) for f in found] == [
        ("card/field-type", 4, 5),
        ("card/language", 5, 5),  # `fr` is still checked
        ("card/field-type", 6, 5),
    ]


@pytest.mark.parametrize("empty", ["", " null", " ~", ' ""', " []", " {}"])
def test_an_empty_field_is_not_set_and_card_required_asks_for_it(make_policy, model, empty):
    assert findings(make_policy(), model(f"license:{empty}")) == []
    finding = only(make_policy("card: {required: [license]}\n"), model(f"license:{empty}"))
    assert (finding.rule, finding.message) == ("card/required", "required card field `license` is empty")


# ----- every rule that reads a field leaves a value of the wrong type to card/field-type ------

EVERY_READER = """\
    card:
      required: [license, language, pipeline_tag, library_name, base_model, tags, datasets]
      licenses: [mit, other]
      languages: [en]
      pipeline-tags: [text-generation]
      library-names: [transformers]
      tags: [acme]
      base-model: {namespaces: [meta-llama]}
    """
"""A policy under which every card and consistency rule reads the card's fields."""

VALID = {
    "license": "other",
    "license_name": "acme-license",
    "license_link": "LICENSE",
    "pipeline_tag": "text-generation",
    "library_name": "transformers",
    "base_model_relation": "finetune",
    "language": "[en]",
    "base_model": "meta-llama/Llama-3.1-8B",
    "datasets": "[HuggingFaceFW/fineweb]",
    "tags": "[acme]",
}
NAME = "acme/llama-7b-chat-en"
"""A name whose architecture, task and language words the consistency rules compare with the card."""


def test_the_valid_card_passes_every_reader(make_policy, model):
    assert findings(make_policy(EVERY_READER), model(*(f"{key}: {value}" for key, value in VALID.items())), NAME) == []


GOOD_ENTRY = {"language": "en", "base_model": "meta-llama/Llama-3.1-8B", "datasets": "HuggingFaceFW/fineweb",
              "tags": "acme"}


@pytest.mark.parametrize(
    ("wrong", "count"),
    [("5", 1), ("1.5", 1), ("true", 1), ("no", 1), ("2024-01-01", 1), ("{a: b}", 1), ("[[x]]", 1), ("[1, 2]", 2)],
)
@pytest.mark.parametrize("field", FIELDS)
def test_no_other_rule_reports_a_field_of_the_wrong_type(make_policy, model, field, wrong, count):
    if wrong.startswith("[") and field not in ONE_STRING:
        wrong = f"[{GOOD_ENTRY[field]}, {wrong[1:]}"  # a right entry stays, for the rules that need one
    elif field in ONE_STRING:
        count = 1  # a list is one wrong value, whatever it holds
    folder = model(*(f"{key}: {wrong if key == field else value}" for key, value in VALID.items()))
    found = findings(make_policy(EVERY_READER), folder, NAME)
    assert {finding.rule for finding in found} == {"card/field-type"}, found
    assert all(field in finding.message for finding in found)
    assert len(found) == count


# ----- any value at all -----------------------------------------------------------------------

ONE_LINE_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20)
"""Strings without line breaks: showing untrusted text on one line is the reports' business
(``printable``); what is tested here is that no type of value breaks a rule or its message."""

YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats() | ONE_LINE_TEXT
    | st.dates() | st.datetimes(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(ONE_LINE_TEXT | st.integers() | st.booleans(), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(metadata=st.dictionaries(st.sampled_from([*FIELDS, "model-index", "metrics"]), YAML_VALUES, max_size=5))
def test_no_value_in_any_field_breaks_a_rule(make_policy, tmp_path, metadata: dict[str, Any]):
    folder = tmp_path / "llama-7b-chat-en"
    folder.mkdir(exist_ok=True)
    text = yaml.safe_dump(metadata, width=float("inf"))
    (folder / "README.md").write_text(f"---\n{text}---\n# A model\n", encoding="utf-8")
    found = findings(make_policy(EVERY_READER), folder, NAME)
    assert not [finding for finding in found if finding.rule.startswith("internal/")], found
    for finding in found:
        assert len(finding.message.splitlines()) == 1, finding
    for key, value in metadata.items():
        if key in FIELDS and _wrong_type(key, value):
            assert any(f.rule == "card/field-type" and f"`{key}" in f.message for f in found), (key, value, found)


def _wrong_type(key: str, value: Any) -> bool:
    """The test's own statement of the Hub's types, for any value the strategy makes."""
    if value is None or value in ("", [], {}):
        return False
    if isinstance(value, str):
        return key in LIST_ONLY
    if isinstance(value, list):
        return key in ONE_STRING or not all(isinstance(item, str) for item in value)
    return True


# ----- the command line -----------------------------------------------------------------------


def test_the_command_line_reports_wrong_types_without_a_traceback(tmp_path, cache_dir):
    folder = tmp_path / "llama-7b-chat"
    folder.mkdir()
    (folder / "README.md").write_text(textwrap.dedent("""\
        ---
        license: mit
        language: 5
        base_model: 1.5
        pipeline_tag: [text-generation, fill-mask]
        ---
        # A model
        """), encoding="utf-8")
    environ = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), "HFNAME_GUARD_CACHE_DIR": str(cache_dir)}
    completed = subprocess.run([sys.executable, "-m", "hfname_guard", "check", str(folder)], cwd=tmp_path,
                               capture_output=True, text=True, timeout=60, env=environ)
    assert completed.returncode == 1, completed
    assert "Traceback" not in completed.stdout + completed.stderr
    readme = folder / "README.md"
    for line, field in ((3, "language"), (4, "base_model"), (5, "pipeline_tag")):
        assert f"{readme}:{line}:1: error: `{field}` needs " in completed.stdout
    assert "[card/field-type]" in completed.stdout
    assert completed.stdout.count("[card/field-type]") == 3
