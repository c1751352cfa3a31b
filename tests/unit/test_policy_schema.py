"""Tests for schemas/policy.schema.json and the policy reference generated from it."""

from __future__ import annotations

import copy
import datetime
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schemas" / "policy.schema.json"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)  # no format checker: what a plain validator does

VOCABULARIES = ["architectures", "sizes", "parameter-counts", "tasks", "languages", "versions"]
SEVERITIES = ["error", "warning", "info", "off"]
RULE_ID_RE = r"^[a-z][a-z0-9-]*/([a-z][a-z0-9-]*|\*)$"
NAMESPACE_RE = r"^[A-Za-z0-9]([\w.-]{0,94}[A-Za-z0-9])?$"
FIELD_NAME_RE = r"^[a-z][a-z0-9_]*$"
CARD_FIELD_RE = r"^[A-Za-z_][A-Za-z0-9_-]*$"

# The example from the format spec, as the loader hands it to the validator (dates already
# strings). The spec writes `card/*: off` unquoted, which YAML 1.1 would read as False; here it
# is the string the spec means.
SPEC_EXAMPLE: dict[str, Any] = {
    "version": 1,
    "extends": "default",
    "namespaces": ["acme", "acme-labs"],
    "name": {
        "template": "{architecture}-{size}[-{variant}][-{task}][-{language}]-v{version}",
        "fields": {
            "variant": {
                "vocabulary": "tasks",
                "enum": ["chat", "instruct"],
                "pattern": "\\d+(\\.\\d+)*",
                "example": "chat",
                "description": "...",
            }
        },
        "case": "lower",
        "separator": "-",
        "max-length": 64,
        "forbidden-words": ["test", "tmp", "untitled", "my-model", "final"],
        "must-contain": ["architectures"],
    },
    "card": {
        "required": ["license", "pipeline_tag"],
        "licenses": ["apache-2.0", "mit"],
        "languages": ["en", "de"],
        "pipeline-tags": ["text-generation"],
        "library-names": ["transformers"],
        "tags": ["acme"],
        "base-model": {"namespaces": ["acme", "meta-llama"]},
    },
    "hub": {"online": True},
    "rules": {"name/unknown-word": "warning", "card/*": "off"},
    "waivers": [
        {
            "repo-id": "acme/legacy-*",
            "rules": ["name/*"],
            "reason": "renamed in Q3; tracked in JIRA-123",
            "expires": "2027-03-31",
        }
    ],
}

# Every key path of format version 1, as the spec lists them.
SPEC_KEY_PATHS = {
    "version", "extends", "namespaces", "targets", "targets.<glob>",
    "targets.<glob>.repo-id", "targets.<glob>.namespaces", "targets.<glob>.name", "targets.<glob>.name.template",
    "exclude",
    "name", "name.template", "name.fields", "name.fields.<field>",
    "name.fields.<field>.vocabulary", "name.fields.<field>.enum", "name.fields.<field>.pattern",
    "name.fields.<field>.example", "name.fields.<field>.description",
    "name.case", "name.separator", "name.max-length", "name.forbidden-words", "name.must-contain",
    "card", "card.required", "card.licenses", "card.languages", "card.pipeline-tags",
    "card.library-names", "card.tags", "card.base-model", "card.base-model.namespaces",
    "consistency", "consistency.size-tolerance",
    "gguf", "gguf.encodings", "gguf.encodings.required", "gguf.encodings.forbidden", "gguf.metadata",
    "hub", "hub.online",
    "rules", "rules.<rule-id>",
    "waivers", "waivers[]", "waivers[].repo-id", "waivers[].rules", "waivers[].reason",
    "waivers[].expires",
}  # fmt: skip


def _load_generator() -> ModuleType:
    path = ROOT / "docs" / "generate_policy_reference.py"
    spec = importlib.util.spec_from_file_location("generate_policy_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


generator = _load_generator()


def errors_of(policy: Any) -> list[tuple[list[Any], str]]:
    """(JSON path, failing keyword) of every top-level validation error."""
    return [(list(e.absolute_path), str(e.validator)) for e in VALIDATOR.iter_errors(policy)]


# --- the schema itself -------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"] == (
        "https://raw.githubusercontent.com/hfname-guard/hfname-guard/main/schemas/policy.schema.json"
    )
    assert SCHEMA["required"] == ["version"]


def test_schema_file_is_pretty_printed_with_two_spaces() -> None:
    text = SCHEMA_PATH.read_text(encoding="utf-8")
    assert text == json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n"


def test_schema_documents_exactly_the_keys_of_the_spec() -> None:
    paths = {entry.path for entry in generator.iter_entries(SCHEMA, SCHEMA)}
    assert paths == SPEC_KEY_PATHS


# --- valid policies ----------------------------------------------------------------------


def test_spec_example_validates() -> None:
    assert errors_of(SPEC_EXAMPLE) == []


def test_minimal_policy_validates() -> None:
    assert errors_of({"version": 1}) == []


def test_docs_example_policy_validates_and_points_editors_at_the_schema() -> None:
    text = generator.EXAMPLE_POLICY
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA['$id']}"
    assert errors_of(yaml.safe_load(text)) == []


@pytest.mark.parametrize(
    "extends", ["default", "hub", "../org.yaml", "policies/team.yml", ["hub", "base.yaml"]]
)
def test_extends_accepts_presets_paths_and_lists(extends: Any) -> None:
    assert errors_of({"version": 1, "extends": extends}) == []


@pytest.mark.parametrize("selector", ["name/case", "card/*", "repo-id/format", "x/y-2"])
def test_rule_ids_and_family_globs_are_accepted(selector: str) -> None:
    assert errors_of({"version": 1, "rules": {selector: "info"}}) == []


# --- invalid policies --------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(path: list[Any], value: Any) -> Mutation:
    def mutate(policy: dict[str, Any]) -> None:
        target: Any = policy
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return mutate


def _delete(path: list[Any]) -> Mutation:
    def mutate(policy: dict[str, Any]) -> None:
        target: Any = policy
        for part in path[:-1]:
            target = target[part]
        del target[path[-1]]

    return mutate


INVALID = [
    ("unknown top-level key", _set(["naming"], {}), [], "additionalProperties"),
    ("unknown key under name", _set(["name", "maxlength"], 64), ["name"], "additionalProperties"),
    ("unknown key under card", _set(["card", "license"], "mit"), ["card"], "additionalProperties"),
    ("unknown key under base-model", _set(["card", "base-model", "orgs"], []),
     ["card", "base-model"], "additionalProperties"),
    ("unknown key in a field", _set(["name", "fields", "variant", "values"], ["a"]),
     ["name", "fields", "variant"], "additionalProperties"),
    ("unknown key in a waiver", _set(["waivers", 0, "until"], "2027-01-01"),
     ["waivers", 0], "additionalProperties"),
    ("bad severity", _set(["rules", "name/case"], "fatal"), ["rules", "name/case"], "enum"),
    ("unquoted off read as false", _set(["rules", "card/*"], False), ["rules", "card/*"], "type"),
    ("rule id in upper case", _set(["rules", "Name/Case"], "off"), ["rules"], "pattern"),
    ("rule id without family", _set(["rules", "case"], "off"), ["rules"], "pattern"),
    ("rule id with two slashes", _set(["rules", "name/case/x"], "off"), ["rules"], "pattern"),
    ("glob that is not a whole family", _set(["rules", "name/ca*"], "off"), ["rules"], "pattern"),
    ("bad rule id in a waiver", _set(["waivers", 0, "rules"], ["name"]),
     ["waivers", 0, "rules", 0], "pattern"),
    ("bad vocabulary in must-contain", _set(["name", "must-contain"], ["architecture"]),
     ["name", "must-contain", 0], "enum"),
    ("bad vocabulary in a field", _set(["name", "fields", "variant", "vocabulary"], "colours"),
     ["name", "fields", "variant", "vocabulary"], "enum"),
    ("field with none of vocabulary/enum/pattern",
     _set(["name", "fields", "variant"], {"example": "chat", "description": "x"}),
     ["name", "fields", "variant"], "anyOf"),
    ("field name with a hyphen", _set(["name", "fields", "my-field"], {"enum": ["a"]}),
     ["name", "fields"], "pattern"),
    ("empty enum", _set(["name", "fields", "variant", "enum"], []),
     ["name", "fields", "variant", "enum"], "minItems"),
    ("repeated enum values", _set(["name", "fields", "variant", "enum"], ["a", "a"]),
     ["name", "fields", "variant", "enum"], "uniqueItems"),
    ("max-length 200", _set(["name", "max-length"], 200), ["name", "max-length"], "maximum"),
    ("max-length 0", _set(["name", "max-length"], 0), ["name", "max-length"], "minimum"),
    ("max-length as a string", _set(["name", "max-length"], "64"), ["name", "max-length"], "type"),
    ("bad case", _set(["name", "case"], "Lower"), ["name", "case"], "enum"),
    ("bad separator", _set(["name", "separator"], " "), ["name", "separator"], "enum"),
    ("version 2", _set(["version"], 2), ["version"], "const"),
    ("version missing", _delete(["version"]), [], "required"),
    ("extends an unknown preset", _set(["extends"], "strict"), ["extends"], "anyOf"),
    ("extends a JSON file", _set(["extends"], "org.json"), ["extends"], "anyOf"),
    ("extends an empty list", _set(["extends"], []), ["extends"], "anyOf"),
    ("namespace starting with a hyphen", _set(["namespaces"], ["-acme"]), ["namespaces", 0], "pattern"),
    ("namespace longer than 96", _set(["namespaces"], ["a" * 97]), ["namespaces", 0], "pattern"),
    ("repeated namespaces", _set(["namespaces"], ["acme", "acme"]), ["namespaces"], "uniqueItems"),
    ("bad base-model namespace", _set(["card", "base-model", "namespaces"], ["meta llama"]),
     ["card", "base-model", "namespaces", 0], "pattern"),
    ("bad card field name", _set(["card", "required"], ["1license"]), ["card", "required", 0], "pattern"),
    ("licenses not a list", _set(["card", "licenses"], "mit"), ["card", "licenses"], "type"),
    ("waiver missing reason", _delete(["waivers", 0, "reason"]), ["waivers", 0], "required"),
    ("waiver missing repo-id", _delete(["waivers", 0, "repo-id"]), ["waivers", 0], "required"),
    ("waiver with empty reason", _set(["waivers", 0, "reason"], ""), ["waivers", 0, "reason"], "minLength"),
    ("waiver with no rules", _set(["waivers", 0, "rules"], []), ["waivers", 0, "rules"], "minItems"),
    ("expires not a date string", _set(["waivers", 0, "expires"], "31/03/2027"),
     ["waivers", 0, "expires"], "pattern"),
    ("expires with a time", _set(["waivers", 0, "expires"], "2027-03-31T00:00"),
     ["waivers", 0, "expires"], "pattern"),
    ("expires as an unconverted date", _set(["waivers", 0, "expires"], datetime.date(2027, 3, 31)),
     ["waivers", 0, "expires"], "type"),
    ("waivers not a list", _set(["waivers"], {"repo-id": "x"}), ["waivers"], "type"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "path", "keyword"),
    [case[1:] for case in INVALID],
    ids=[case[0] for case in INVALID],
)
def test_invalid_policy_is_rejected_at_the_right_path(
    mutate: Mutation, path: list[Any], keyword: str
) -> None:
    policy = copy.deepcopy(SPEC_EXAMPLE)
    mutate(policy)
    errors = errors_of(policy)
    assert errors, "policy was accepted"
    assert {tuple(p) for p, _ in errors} == {tuple(path)}, errors
    assert keyword in {k for _, k in errors}, errors


def test_format_date_is_declared_but_the_pattern_does_the_checking() -> None:
    expires = SCHEMA["$defs"]["waiver"]["properties"]["expires"]
    assert expires["format"] == "date"
    assert errors_of({"version": 1, "waivers": [
        {"repo-id": "a/b", "rules": ["name/*"], "reason": "r", "expires": "2027-3-31"}
    ]}) == [(["waivers", 0, "expires"], "pattern")]  # fmt: skip


# --- documentation inside the schema -----------------------------------------------------


def _documented_nodes(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property, definition, map value, list item and key schema below *node*."""
    if not isinstance(node, dict):
        return
    for key, child in node.get("properties", {}).items():
        yield f"{where}.properties.{key}", child
        yield from _documented_nodes(child, f"{where}.properties.{key}")
    for key, child in node.get("$defs", {}).items():
        yield f"{where}.$defs.{key}", child
        yield from _documented_nodes(child, f"{where}.$defs.{key}")
    for keyword in ("additionalProperties", "items", "propertyNames"):
        child = node.get(keyword)
        if isinstance(child, dict) and "$ref" not in child and set(child) != {"type"}:
            yield f"{where}.{keyword}", child
            yield from _documented_nodes(child, f"{where}.{keyword}")
    for index, child in enumerate(node.get("anyOf", [])):
        yield from _documented_nodes(child, f"{where}.anyOf[{index}]")


DOCUMENTED = list(_documented_nodes(SCHEMA, "#"))


def _resolved(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    target = SCHEMA["$defs"][ref.removeprefix("#/$defs/")]
    return {**_resolved(target), **{k: v for k, v in node.items() if k != "$ref"}}


def _standalone(node: dict[str, Any]) -> dict[str, Any]:
    """*node* as a schema of its own, with the definitions its $refs point to."""
    return {"$defs": SCHEMA["$defs"], **node}


def test_walk_finds_every_property_and_definition() -> None:
    locations = {location for location, _ in DOCUMENTED}
    assert "#.properties.name.properties.max-length" in locations
    assert "#.$defs.waiver.properties.expires" in locations
    assert "#.$defs.severity" in locations
    assert len(locations) >= 40


@pytest.mark.parametrize(("location", "node"), DOCUMENTED, ids=[loc for loc, _ in DOCUMENTED])
def test_every_node_has_a_title_and_description(location: str, node: dict[str, Any]) -> None:
    assert isinstance(node.get("title"), str) and node["title"].strip()
    assert isinstance(node.get("description"), str) and len(node["description"]) > 20
    markdown = node.get("markdownDescription")
    assert isinstance(markdown, str)
    assert node["description"] == markdown.replace("`", ""), "description and markdown disagree"


LEAVES = [
    (location, node)
    for location, node in DOCUMENTED
    if ".properties." in location and _resolved(node).get("type") != "object"
]


@pytest.mark.parametrize(("location", "node"), LEAVES, ids=[loc for loc, _ in LEAVES])
def test_every_leaf_property_has_examples_that_validate(location: str, node: dict[str, Any]) -> None:
    examples = node.get("examples")
    assert examples, f"{location} has no examples"
    validator = Draft202012Validator(_standalone(node))
    for example in examples:
        assert list(validator.iter_errors(example)) == [], example


@pytest.mark.parametrize(
    ("location", "node"),
    [(loc, node) for loc, node in DOCUMENTED if "default" in node or "examples" in node],
)
def test_defaults_and_examples_are_valid_values(location: str, node: dict[str, Any]) -> None:
    validator = Draft202012Validator(_standalone(node))
    values = list(node.get("examples", []))
    if "default" in node:
        values.append(node["default"])
    for value in values:
        assert validator.is_valid(value), (location, value)


def test_case_default_is_as_is() -> None:
    assert SCHEMA["properties"]["name"]["properties"]["case"]["default"] == "as-is"


# --- generated reference -----------------------------------------------------------------


def test_docs_policy_md_is_up_to_date() -> None:
    assert generator.check(), "run `python docs/generate_policy_reference.py`"


def test_reference_has_a_section_for_every_key() -> None:
    text = generator.render(SCHEMA)
    for path in SPEC_KEY_PATHS:
        assert f"\n### `{path}`\n" in text, path
    assert "## Name templates" in text
    assert "`8x7b`" in text and "`multilingual`" in text


def test_check_mode_reports_a_stale_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "policy.md"
    monkeypatch.setattr(generator, "OUTPUT_PATH", output)

    assert generator.main(["--check"]) == 1  # missing
    assert f"{output} is out of date" in capsys.readouterr().err

    assert generator.main([]) == 0
    assert output.read_text(encoding="utf-8") == generator.render(SCHEMA)
    assert generator.main(["--check"]) == 0

    output.write_text(output.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    assert generator.main(["--check"]) == 1


# --- property: anything built from valid pieces is a valid policy --------------------------

_words = st.text(min_size=1, max_size=12)
_vocabulary = st.sampled_from(VOCABULARIES)
_rule_id = st.from_regex(RULE_ID_RE, fullmatch=True)
_namespaces = st.lists(st.from_regex(NAMESPACE_RE, fullmatch=True), unique=True, max_size=4)


@st.composite
def _field(draw: st.DrawFn) -> dict[str, Any]:
    value_keys = draw(st.sets(st.sampled_from(["vocabulary", "enum", "pattern"]), min_size=1))
    field: dict[str, Any] = {}
    if "vocabulary" in value_keys:
        field["vocabulary"] = draw(_vocabulary)
    if "enum" in value_keys:
        field["enum"] = draw(st.lists(_words, min_size=1, max_size=4, unique=True))
    if "pattern" in value_keys:
        field["pattern"] = draw(st.sampled_from(["\\d+", "[a-z]+", "v\\d+(\\.\\d+)*"]))
    field.update(draw(st.fixed_dictionaries({}, optional={"example": _words, "description": st.text()})))
    return field


_extends_entry = st.one_of(
    st.sampled_from(["default", "hub"]),
    st.tuples(_words, st.sampled_from([".yaml", ".yml"])).map("".join),
)

_policies = st.fixed_dictionaries(
    {"version": st.just(1)},
    optional={
        "extends": st.one_of(_extends_entry, st.lists(_extends_entry, min_size=1, max_size=3)),
        "namespaces": _namespaces,
        "name": st.fixed_dictionaries({}, optional={
            "template": st.text(),
            "fields": st.dictionaries(st.from_regex(FIELD_NAME_RE, fullmatch=True), _field(), max_size=3),
            "case": st.sampled_from(["lower", "upper", "as-is"]),
            "separator": st.sampled_from(["-", "_", "."]),
            "max-length": st.integers(1, 96),
            "forbidden-words": st.lists(_words, max_size=4),
            "must-contain": st.lists(_vocabulary, max_size=3),
        }),
        "card": st.fixed_dictionaries({}, optional={
            "required": st.lists(st.from_regex(CARD_FIELD_RE, fullmatch=True), max_size=3),
            "licenses": st.lists(_words, max_size=3),
            "languages": st.lists(_words, max_size=3),
            "pipeline-tags": st.lists(_words, max_size=3),
            "library-names": st.lists(_words, max_size=3),
            "tags": st.lists(_words, max_size=3),
            "base-model": st.fixed_dictionaries({}, optional={"namespaces": _namespaces}),
        }),
        "rules": st.dictionaries(_rule_id, st.sampled_from(SEVERITIES), max_size=4),
        "waivers": st.lists(
            st.fixed_dictionaries(
                {
                    "repo-id": st.text(max_size=30),
                    "rules": st.lists(_rule_id, min_size=1, max_size=3),
                    "reason": _words,
                },
                optional={"expires": st.dates().map(datetime.date.isoformat)},
            ),
            max_size=3,
        ),
    },
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(_policies)
def test_any_policy_built_from_valid_pieces_validates(policy: dict[str, Any]) -> None:
    assert errors_of(policy) == []


@settings(deadline=None)
@given(_policies, st.text(min_size=1).filter(lambda key: key not in SCHEMA["properties"]))
def test_any_unknown_top_level_key_is_rejected(policy: dict[str, Any], key: str) -> None:
    policy[key] = 1
    assert ([], "additionalProperties") in errors_of(policy)
