"""Loading a policy: extends, discovery, severities, waivers, error messages and the validation cache."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from hfname_guard import PolicyError, Target, check, load_policy
from hfname_guard.policy import POLICY_FILE_NAME, discover
from hfname_guard.resources import PRESETS, STARTER_POLICY, preset_names

pytestmark = pytest.mark.usefixtures("cache_dir")

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCES = (os.path.join(PRESETS, "hub.yaml"), os.path.join(PRESETS, "default.yaml"))


def policy_error(path: Path) -> str:
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    return str(caught.value)


def rules_of(report) -> list[str]:
    return [finding.rule for finding in report.findings]


# ----- extends ----------------------------------------------------------------------------------


def test_a_preset_is_inherited(write):
    policy = load_policy(write("p.yaml", "version: 1\nextends: default\n"))
    assert policy.name.must_contain == ("architectures",)
    assert "test" in policy.name.forbidden_words
    assert policy.card.required == ("license", "pipeline_tag")
    assert policy.severities["card/missing"] == "error"  # default overrides hub's warning
    assert policy.sources[-1].endswith("p.yaml") and policy.sources[:-1] == DEFAULT_SOURCES


def test_the_hub_preset_asks_for_nothing_of_the_name(write):
    policy = load_policy(write("p.yaml", "version: 1\nextends: hub\n"))
    assert policy.name.must_contain == () and policy.name.forbidden_words == ()
    assert policy.severities == {"card/missing": "warning", "consistency/*": "off", "artifacts/*": "off"}
    assert check([Target("acme/anything-goes")], policy).findings == []


def test_later_extends_override_earlier_and_the_file_overrides_all(write, tmp_path):
    (tmp_path / ".git").mkdir()  # a repository, so `../org` stays inside it
    write("org/base.yaml", """\
        version: 1
        namespaces: [base-ns]
        name:
          case: upper
          separator: _
          forbidden-words: [foo, bar]
        card:
          required: [license]
        rules:
          name/case: warning
          name/forbidden: info
        """)
    write("org/mid.yaml", """\
        version: 1
        name:
          case: lower
          max-length: 20
        rules:
          name/forbidden: error
        """)
    path = write("team/policy.yaml", """\
        version: 1
        extends: [../org/base.yaml, ../org/mid.yaml]
        name:
          forbidden-words: [baz]
        rules:
          name/length: off
        """)
    policy = load_policy(path)
    assert policy.name.case == "lower"  # mid over base
    assert policy.name.separator == "_"  # kept from base: mappings merge key by key
    assert policy.name.max_length == 20
    assert policy.name.forbidden_words == ("baz",)  # lists are replaced, not concatenated
    assert policy.namespaces == ("base-ns",)
    assert policy.card.required == ("license",)
    assert policy.severities == {"name/case": "warning", "name/forbidden": "error", "name/length": "off"}
    assert [Path(source).name for source in policy.sources] == ["base.yaml", "mid.yaml", "policy.yaml"]


def test_extends_paths_are_relative_to_the_policy_not_the_working_directory(write, tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    write("org/base.yaml", "version: 1\nnamespaces: [acme]\n")
    path = write("org/teams/nlp/policy.yaml", "version: 1\nextends: ../../base.yaml\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert load_policy(path).namespaces == ("acme",)


def test_a_file_may_extend_a_file_that_extends_a_preset(write):
    write("base.yml", "version: 1\nextends: default\nnamespaces: [acme]\n")
    policy = load_policy(write("p.yaml", "version: 1\nextends: base.yml\nname: {case: lower}\n"))
    assert policy.name.must_contain == ("architectures",)
    assert policy.namespaces == ("acme",)
    assert policy.name.case == "lower"


@pytest.mark.parametrize(
    ("files", "start"),
    [
        ({"a.yaml": "version: 1\nextends: a.yaml\n"}, "a.yaml"),
        ({"a.yaml": "version: 1\nextends: b.yaml\n", "b.yaml": "version: 1\nextends: [default, a.yaml]\n"}, "a.yaml"),
        ({"a.yaml": "version: 1\nextends: sub/b.yaml\n", "sub/b.yaml": "version: 1\nextends: ../a.yaml\n"}, "a.yaml"),
    ],
    ids=["itself", "through-another", "through-a-folder"],
)
def test_an_extends_loop_is_a_policy_error(write, tmp_path, files, start):
    for name, text in files.items():
        write(name, text)
    message = policy_error(tmp_path / start)
    assert "loops" in message


def test_the_same_file_twice_is_not_a_loop(write):
    write("base.yaml", "version: 1\nnamespaces: [acme]\n")
    write("mid.yaml", "version: 1\nextends: base.yaml\n")
    policy = load_policy(write("p.yaml", "version: 1\nextends: [base.yaml, mid.yaml]\n"))
    assert policy.namespaces == ("acme",)


def test_an_unknown_preset_gets_a_did_you_mean(write):
    message = policy_error(write("p.yaml", "version: 1\nextends: defualt\n"))
    assert re.match(r"^\S*p\.yaml:2:\d+: ", message), message
    assert "defualt" in message
    assert "did you mean `default`?" in message


def test_an_unknown_preset_in_a_list_gets_a_did_you_mean(write):
    message = policy_error(write("p.yaml", "version: 1\nextends: [hub, defualt]\n"))
    assert re.match(r"^\S*p\.yaml:2:\d+: ", message), message
    assert "did you mean `default`?" in message


def test_a_missing_extends_file_is_named_with_its_position(write):
    message = policy_error(write("p.yaml", "version: 1\nextends: [hub, missing.yaml]\n"))
    assert re.match(r"^\S*p\.yaml:2:16: extends: no policy file at \S*missing\.yaml$", message), message


def test_the_built_in_presets_are_the_shipped_files():
    assert preset_names() == ["default", "hub"]


@pytest.mark.parametrize("path", [STARTER_POLICY, ROOT / "examples" / POLICY_FILE_NAME,
                                  os.path.join(PRESETS, "default.yaml"), os.path.join(PRESETS, "hub.yaml")],
                         ids=["starter", "examples", "default", "hub"])
def test_shipped_policies_load(path):
    policy = load_policy(path)
    assert policy.sources[-1] == str(path)


def test_the_starter_policy_checks_what_it_promises():
    policy = load_policy(STARTER_POLICY)
    assert policy.namespaces == ("your-org",)
    assert policy.name.template is not None
    assert check([Target("your-org/llama-7b-chat-en-v1")], policy).findings == []
    assert "name/template" in rules_of(check([Target("your-org/llama-7b")], policy))


def test_the_starter_policy_settings_left_as_comments_are_valid_once_uncommented(write):
    text = Path(STARTER_POLICY).read_text(encoding="utf-8")
    settings = {
        "# consistency:\n#   size-tolerance: 0.3\n": "consistency:\n  size-tolerance: 0.5\n",
        "  # consistency/base-model: off\n": "  consistency/base-model: off\n",
        "  # licenses: [apache-2.0, mit]": "  licenses: [apache-2.0, mit]",
        "# waivers:\n": "waivers:\n",
        "# exclude: [vendor/**, tests/fixtures]\n": "exclude: [vendor/**, tests/fixtures]\n",
    }
    for commented, setting in settings.items():
        assert commented in text
        text = text.replace(commented, setting)
    text = re.sub(r"(?m)^#(   .*)$", r"\1", text)  # the waiver's entry, below `waivers:`
    policy = load_policy(write("uncommented.yaml", text))
    assert policy.consistency.size_tolerance == 0.5
    assert policy.severity("consistency/base-model", "warning") == "off"
    assert len(policy.waivers) == 1
    assert [exclusion.glob for exclusion in policy.excludes] == ["vendor/**", "tests/fixtures"]


# ----- discovery --------------------------------------------------------------------------------


def test_discovery_walks_up_to_the_nearest_policy(write, tmp_path):
    write(POLICY_FILE_NAME, "version: 1\nnamespaces: [outer]\n")
    nested = tmp_path / "a" / "b" / "c"
    nested.mkdir(parents=True)
    assert discover(nested) == str(tmp_path / POLICY_FILE_NAME)
    assert load_policy(start=nested).namespaces == ("outer",)
    write(f"a/{POLICY_FILE_NAME}", "version: 1\nnamespaces: [inner]\n")
    assert load_policy(start=nested).namespaces == ("inner",)


def test_discovery_from_the_working_directory(write, tmp_path, monkeypatch):
    write(POLICY_FILE_NAME, "version: 1\nnamespaces: [here]\n")
    nested = tmp_path / "models" / "llama"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert load_policy().namespaces == ("here",)


def test_a_folder_named_like_the_policy_is_not_a_policy(tmp_path):
    (tmp_path / POLICY_FILE_NAME).mkdir()
    found = discover(tmp_path)
    assert found != str(tmp_path / POLICY_FILE_NAME)


def test_without_a_policy_file_the_default_preset_applies(tmp_path):
    nested = tmp_path / "x" / "y"
    nested.mkdir(parents=True)
    if discover(nested) is not None:  # pragma: no cover - a stray policy above the temp folder
        pytest.fail(f"a policy file above the temporary folder: {discover(nested)}")
    policy = load_policy(start=nested)
    assert policy.sources == DEFAULT_SOURCES
    assert policy.name.must_contain == ("architectures",)


# ----- severities -------------------------------------------------------------------------------


def test_an_exact_rule_id_beats_its_family(make_policy):
    policy = make_policy("""\
        name: {case: lower, forbidden-words: [test]}
        rules:
          name/*: warning
          name/case: info
        """)
    report = check([Target("acme/Llama-Test")], policy)
    severities = {finding.rule: finding.severity for finding in report.findings}
    assert severities == {"name/case": "info", "name/forbidden": "warning"}


def test_the_family_entry_applies_in_either_order(make_policy):
    policy = make_policy("""\
        name: {case: lower}
        rules:
          name/case: error
          name/*: info
        """)
    assert [finding.severity for finding in check([Target("acme/Llama")], policy).findings] == ["error"]


def test_off_written_bare_turns_a_rule_off(make_policy):
    policy = make_policy("""\
        name: {case: lower, forbidden-words: [test]}
        rules:
          name/case: off
        """)
    assert policy.severities == {"name/case": "off"}
    assert rules_of(check([Target("acme/Llama-test")], policy)) == ["name/forbidden"]


@pytest.mark.parametrize("spelling", ["off", "'off'", '"off"', "Off", "OFF"])
def test_every_spelling_of_off_is_the_word_off(make_policy, spelling):
    policy = make_policy(f"rules:\n  name/case: {spelling}\n  card/*: {spelling}\n")
    assert policy.severities == {"name/case": "off", "card/*": "off"}


def test_a_family_set_off_silences_all_its_rules(make_policy, tmp_path):
    policy = make_policy("rules:\n  card/*: off\n")
    folder = tmp_path / "model"
    folder.mkdir()
    assert rules_of(check([Target("acme/llama-7b", folder)], policy)) == []


def test_a_family_entry_in_the_file_overrides_a_rule_entry_of_the_preset(make_policy, tmp_path):
    """docs/policy.md: `extends: default` with `card/*: warning` makes "every card rule" a warning,
    although the default preset itself sets `card/missing: error`."""
    folder = tmp_path / "model"
    folder.mkdir()  # no README.md: card/missing
    warned = make_policy("extends: default\nrules:\n  card/*: warning\n")
    assert [(f.rule, f.severity) for f in check([Target("acme/llama-7b", folder)], warned).findings] == [
        ("card/missing", "warning"),
    ]
    silenced = make_policy("extends: default\nrules:\n  card/*: off\n")
    assert rules_of(check([Target("acme/llama-7b", folder)], silenced)) == []


def test_unquoted_booleans_elsewhere_are_not_taken_for_off(write):
    message = policy_error(write("p.yaml", "version: 1\nname:\n  case: off\n"))
    assert "p.yaml:3:" in message and "name.case" in message


# ----- waivers ----------------------------------------------------------------------------------

WAIVER_POLICY = """\
    name:
      case: lower
    waivers:
      - repo-id: "acme/legacy-*"
        rules: ["name/*"]
        reason: "renamed in Q3; JIRA-123"
        expires: 2027-03-31
    """


def test_a_live_waiver_hides_findings_and_counts_them(make_policy):
    policy = make_policy(WAIVER_POLICY)
    report = check([Target("acme/legacy-Bot"), Target("acme/Fresh")], policy, today=date(2027, 3, 31))
    assert [finding.repo_id for finding in report.findings] == ["acme/Fresh"]
    assert [(finding.rule, finding.repo_id) for finding in report.waived] == [("name/case", "acme/legacy-Bot")]
    assert report.summary["waived"] == 1 and report.summary["error"] == 1


def test_an_expired_waiver_shows_the_finding_with_a_note(make_policy):
    policy = make_policy(WAIVER_POLICY)
    report = check([Target("acme/legacy-Bot")], policy, today=date(2027, 4, 1))
    assert report.waived == []
    [finding] = report.findings
    assert finding.rule == "name/case"
    assert finding.message.startswith("`legacy-Bot` is not lower-case")
    note = finding.message[len("`legacy-Bot` is not lower-case"):]
    assert "acme/legacy-*" in note
    assert "expired on 2027-03-31" in note
    assert "renamed in Q3; JIRA-123" in note
    assert re.search(r"policy\d+\.yaml:5:5 ", note), note  # the waiver's own line


def test_a_waiver_without_expiry_never_expires(make_policy):
    policy = make_policy("""\
        name: {case: lower}
        waivers:
          - {repo-id: "acme/*", rules: [name/case], reason: forever}
        """)
    report = check([Target("acme/Llama")], policy, today=date(2999, 1, 1))
    assert report.findings == [] and len(report.waived) == 1


def test_a_waiver_covers_only_its_rules_and_repositories(make_policy):
    policy = make_policy("""\
        name: {case: lower, forbidden-words: [test]}
        waivers:
          - {repo-id: "acme/legacy-*", rules: [name/case], reason: r}
        """)
    report = check([Target("acme/legacy-Test"), Target("other/legacy-X")], policy)
    assert sorted((finding.repo_id, finding.rule) for finding in report.findings) == [
        ("acme/legacy-Test", "name/forbidden"), ("other/legacy-X", "name/case"),
    ]
    assert [(finding.repo_id, finding.rule) for finding in report.waived] == [("acme/legacy-Test", "name/case")]


def test_an_impossible_expiry_date_is_a_policy_error(write):
    text = "version: 1\nwaivers:\n  - repo-id: a/b\n    rules: [name/*]\n    reason: r\n    expires: '2027-02-30'\n"
    message = policy_error(write("p.yaml", text))
    assert re.match(r"^\S*p\.yaml:6:\d+: ", message), message
    assert "2027-02-30" in message


def test_an_impossible_bare_expiry_date_is_a_policy_error_not_a_crash(write):
    """YAML 1.1 reads ``2027-02-30`` as a timestamp and PyYAML raises ValueError on it."""
    text = "version: 1\nwaivers:\n  - repo-id: a/b\n    rules: [name/*]\n    reason: r\n    expires: 2027-02-30\n"
    message = policy_error(write("p.yaml", text))
    assert re.match(r"^\S*p\.yaml:6:\d+: ", message), message
    assert "2027-02-30" in message or "date" in message


# ----- compile errors ---------------------------------------------------------------------------


def test_a_regex_that_does_not_compile(write):
    message = policy_error(write("p.yaml", """\
        version: 1
        name:
          fields:
            x:
              pattern: "([a-"
          template: "{x}"
        """))
    assert re.match(r"^\S*p\.yaml:5:7: name\.fields\.x\.pattern: not a valid regular expression", message), message


def test_a_template_syntax_error_names_the_template_and_the_character(write):
    message = policy_error(write("p.yaml", 'version: 1\nname:\n  template: "{architecture}-{size"\n'))
    assert re.match(r"^\S*p\.yaml:3:3: name\.template: '\{' is never closed by '\}' \(at character 16\)$", message), message


def test_an_undefined_template_field_gets_a_did_you_mean(write):
    message = policy_error(write("p.yaml", 'version: 1\nname:\n  template: "{architcture}-{size}"\n'))
    assert re.match(r"^\S*p\.yaml:3:3: name\.template: field `\{architcture\}` is not defined", message), message
    assert "did you mean `{architecture}`?" in message


def test_an_undefined_field_may_be_a_typo_of_a_defined_one(write):
    message = policy_error(write("p.yaml", """\
        version: 1
        name:
          template: "{architecture}-{variant}"
          fields:
            variantt: {enum: [chat]}
        """))
    assert "did you mean `{variantt}`?" in message


def test_an_undefined_field_without_a_near_name_says_where_to_define_it(write):
    message = policy_error(write("p.yaml", 'version: 1\nname:\n  template: "{architecture}-{zzzzzz}"\n'))
    assert "`{zzzzzz}` is not defined" in message and "name.fields" in message


def test_a_field_defined_in_a_base_policy_serves_a_template_in_another(write):
    write("base.yaml", "version: 1\nname:\n  fields:\n    variant: {enum: [chat, instruct]}\n")
    policy = load_policy(write("p.yaml", 'version: 1\nextends: base.yaml\nname:\n  template: "{architecture}-{variant}"\n'))
    assert check([Target("acme/llama-chat")], policy).findings == []


def test_a_compile_error_in_a_base_file_points_at_the_base_file(write):
    write("base.yaml", 'version: 1\nname:\n  template: "{architcture}"\n')
    message = policy_error(write("p.yaml", "version: 1\nextends: base.yaml\nname: {case: lower}\n"))
    assert re.match(r"^\S*base\.yaml:3:3: name\.template: ", message), message


# ----- schema errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("nmae: {case: lower}\n", r"p\.yaml:2:1: nmae: unknown key `nmae`; did you mean `name`\?"),
        ('name:\n  tempalte: "{architecture}"\n', r"p\.yaml:3:3: name\.tempalte: unknown key `tempalte`; did you mean `template`\?"),
        ("card:\n  licences: [mit]\n", r"p\.yaml:3:3: card\.licences: unknown key `licences`; did you mean `licenses`\?"),
        ("rules:\n  name/case: eror\n", r"p\.yaml:3:3: rules\.name/case: `eror` is not one of: error, warning, info, off; did you mean `error`\?"),
        ("name: {max-length: 200}\n", r"p\.yaml:2:\d+: name\.max-length: "),
        ("name:\n  case: lowercase\n", r"p\.yaml:3:\d+: name\.case: `lowercase` is not one of"),
        ("namespaces: acme\n", r"p\.yaml:2:\d+: namespaces: expected a list, found `acme`"),
        ("name:\n  fields:\n    x: {description: hi}\n", r"p\.yaml:4:5: name\.fields\.x: needs at least one of: `vocabulary`, `enum`, `pattern`"),
        ("waivers:\n  - repo-id: a/b\n    reason: r\n", r"p\.yaml:3:5: waivers\.0: missing required key `rules`"),
    ],
    ids=["top-level-key", "nested-key", "card-key", "severity", "max-length", "case", "type", "any-of", "required"],
)
def test_schema_errors_name_file_line_column_and_path(write, body, expected):
    message = policy_error(write("p.yaml", "version: 1\n" + body))
    assert re.match(r"^\S*" + expected, message), message


def test_every_schema_problem_is_reported_at_once(write):
    message = policy_error(write("p.yaml", "version: 1\nnmae: {}\ncard:\n  requried: []\n"))
    lines = message.splitlines()
    assert len(lines) == 2
    assert any("did you mean `name`" in line for line in lines)
    assert any("did you mean `required`" in line for line in lines)


def test_version_must_be_one(write):
    message = policy_error(write("p.yaml", "version: 2\n"))
    assert re.match(r"^\S*p\.yaml:1:\d+: version: ", message), message


def test_a_bad_rule_id_points_at_the_offending_key(write):
    message = policy_error(write("p.yaml", "version: 1\nrules:\n  name/case: error\n  Name/Case: error\n"))
    assert re.match(r"^\S*p\.yaml:4:3: rules\.Name/Case: ", message), message


def test_a_policy_that_is_not_a_mapping(write):
    message = policy_error(write("p.yaml", "- version: 1\n"))
    assert re.match(r"^\S*p\.yaml:1:1: ", message), message


def test_invalid_yaml_names_line_and_column(write):
    message = policy_error(write("p.yaml", "version: 1\nnamespaces: [acme\n"))
    assert re.match(r"^\S*p\.yaml:\d+:\d+: invalid YAML: ", message), message


def test_a_missing_policy_file(tmp_path):
    message = policy_error(tmp_path / "nope.yaml")
    assert "nope.yaml" in message and "no such policy file" in message


# ----- the validation cache ---------------------------------------------------------------------

VALID = "version: 1\nextends: default\nnamespaces: [acme]\nname:\n  case: lower\n"


def markers(cache: Path) -> set[str]:
    folder = cache / "valid-policies"
    return {path.name for path in folder.iterdir()} if folder.is_dir() else set()


def load_in_subprocess(policy: Path, cache: Path) -> dict[str, object]:
    """Load ``policy`` in a fresh interpreter and report which heavy modules it imported."""
    code = textwrap.dedent("""\
        import json, sys
        from hfname_guard import load_policy
        policy = load_policy(sys.argv[1])
        print(json.dumps({"namespaces": list(policy.namespaces),
                          "jsonschema": "jsonschema" in sys.modules,
                          "huggingface_hub": "huggingface_hub" in sys.modules}))
        """)
    env = dict(os.environ, HFNAME_GUARD_CACHE_DIR=str(cache))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, "-c", code, str(policy)], capture_output=True, text=True, env=env,
                            timeout=60, check=True)
    return json.loads(result.stdout)


def test_a_valid_policy_is_remembered(write, cache_dir):
    path = write("p.yaml", VALID)
    load_policy(path)
    first = markers(cache_dir)
    assert len(first) == 1
    load_policy(path)
    assert markers(cache_dir) == first


def test_a_remembered_policy_loads_without_jsonschema(write, cache_dir):
    path = write("p.yaml", VALID)
    cold = load_in_subprocess(path, cache_dir)
    assert cold == {"namespaces": ["acme"], "jsonschema": True, "huggingface_hub": False}
    assert len(markers(cache_dir)) == 1
    warm = load_in_subprocess(path, cache_dir)
    assert warm == {"namespaces": ["acme"], "jsonschema": False, "huggingface_hub": False}


def test_the_marker_is_keyed_by_content_not_by_path(write, cache_dir):
    load_policy(write("a/p.yaml", VALID))
    load_policy(write("b/q.yaml", VALID))
    assert len(markers(cache_dir)) == 1


def test_an_unwritable_cache_still_validates(write, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("HFNAME_GUARD_CACHE_DIR", str(blocker))
    assert load_policy(write("p.yaml", VALID)).namespaces == ("acme",)
    assert load_policy(write("p.yaml", VALID)).namespaces == ("acme",)
    message = policy_error(write("bad.yaml", "version: 1\nnmae: {}\n"))
    assert "did you mean `name`" in message
    assert blocker.read_text() == "a file where the cache folder should be"


def test_an_invalid_policy_is_never_cached(write, cache_dir):
    path = write("p.yaml", "version: 1\nnmae: {}\n")
    for _ in range(2):
        assert "unknown key `nmae`" in policy_error(path)
    assert markers(cache_dir) == set()


def test_a_one_byte_edit_is_validated_again(write, cache_dir):
    path = write("p.yaml", "version: 1\nname: {case: lower}\n")
    load_policy(path)
    assert len(markers(cache_dir)) == 1
    path.write_bytes(path.read_bytes().replace(b"lower", b"lowe5"))  # one byte changed
    message = policy_error(path)
    assert "name.case" in message and "lowe5" in message
    assert len(markers(cache_dir)) == 1
    path.write_bytes(path.read_bytes().replace(b"lowe5", b"lower"))
    assert load_policy(path).name.case == "lower"
    assert len(markers(cache_dir)) == 1


def test_a_schema_valid_policy_with_a_compile_error_still_fails_when_cached(write, cache_dir):
    path = write("p.yaml", 'version: 1\nname:\n  template: "{architcture}"\n')
    for _ in range(2):
        assert "did you mean `{architecture}`" in policy_error(path)


def test_the_cache_lives_under_xdg_cache_home_by_default(write, tmp_path, monkeypatch):
    monkeypatch.delenv("HFNAME_GUARD_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    load_policy(write("p.yaml", VALID))
    assert len(markers(tmp_path / "xdg" / "hfname-guard")) == 1
