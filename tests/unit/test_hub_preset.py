"""The `hub` preset is exactly what the Hub enforces: a card value the Hub accepts and shows is
never an error under it, and the naming study's rules (`consistency/*`, required words) are the
`default` preset's (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hfname_guard import Finding, Target, check, load_policy
from hfname_guard.rules import all_rules

pytestmark = pytest.mark.usefixtures("cache_dir")


def run(tmp_path: Path, preset: str, repo_id: str, card: str | None = None,
        config: dict[str, object] | None = None) -> list[Finding]:
    policy = tmp_path / f"{preset}.yaml"
    policy.write_text(f"version: 1\nextends: {preset}\n", encoding="utf-8")
    folder = None
    if card is not None or config is not None:
        folder = tmp_path / repo_id.split("/")[1]
        folder.mkdir()
        if card is not None:
            (folder / "README.md").write_text(f"---\n{card}\n---\n# model\n", encoding="utf-8")
        if config is not None:
            (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return check([Target(repo_id, None if folder is None else str(folder))], load_policy(str(policy))).findings


def only_finding(tmp_path: Path, policy_lines: str, card: str) -> Finding:
    """The one finding of a card (its metadata lines) under `extends: hub` plus ``policy_lines``."""
    policy = tmp_path / "p.yaml"
    policy.write_text(f"version: 1\nextends: hub\n{policy_lines}", encoding="utf-8")
    folder = tmp_path / "m"
    folder.mkdir(exist_ok=True)
    (folder / "README.md").write_text(f"---\n{card}\n---\n", encoding="utf-8")
    [finding] = check([Target("acme/m", str(folder))], load_policy(str(policy))).findings
    return finding


def test_an_unknown_library_name_is_a_warning(tmp_path: Path) -> None:
    [finding] = run(tmp_path, "hub", "acme/x", "library_name: my-lib")
    assert (finding.rule, finding.severity) == ("card/library-name", "warning")
    assert finding.message.startswith("library_name `my-lib` is not a library the Hub knows (the Hub shows it")


def test_a_policy_can_make_the_warning_milder_but_not_an_error(tmp_path: Path) -> None:
    finding = only_finding(tmp_path, "rules: {card/library-name: error}\n", "library_name: my-lib")
    assert finding.severity == "warning"
    finding = only_finding(tmp_path, "rules: {card/library-name: info}\n", "library_name: my-lib")
    assert finding.severity == "info"


@pytest.mark.parametrize("license", ["MIT", "Apache-2.0", "mit"])
def test_licenses_compare_without_case(tmp_path: Path, license: str) -> None:
    assert run(tmp_path, "hub", "acme/x", f"license: {license}") == []


@pytest.mark.parametrize("tag", ["text2text-generation", "conversational"])
def test_a_retired_pipeline_tag_is_a_warning_naming_its_replacement(tmp_path: Path, tag: str) -> None:
    [finding] = run(tmp_path, "hub", "acme/x", f"pipeline_tag: {tag}")
    assert (finding.rule, finding.severity, finding.suggestion) == ("card/pipeline-tag", "warning", "text-generation")
    assert finding.message == (f"pipeline_tag `{tag}` is a retired Hub pipeline tag (the Hub still shows it); "
                               "use `text-generation`, which replaced it")


@pytest.mark.parametrize(("tag", "replacement"), [("structured-data-classification", "tabular-classification"),
                                                 ("protein-folding", None), ("speech-segmentation", None)])
def test_the_2022_hubs_other_retired_tags_are_warnings(tmp_path: Path, tag: str, replacement: str | None) -> None:
    """Each tag the Hub's 2022 record carries that today's list lacks; no replacement is made up."""
    [finding] = run(tmp_path, "hub", "acme/x", f"pipeline_tag: {tag}")
    assert (finding.rule, finding.severity, finding.suggestion) == ("card/pipeline-tag", "warning", replacement)
    assert ("which replaced it" in finding.message) == (replacement is not None)


@pytest.mark.parametrize("preset", ["hub", "default"])
def test_license_other_without_its_name_is_a_warning(tmp_path: Path, preset: str) -> None:
    def license_findings(folder: Path, card: str) -> list[tuple[str, str]]:
        folder.mkdir()
        return sorted((f.severity, f.message) for f in run(folder, preset, "acme/x", card) if f.rule == "card/license")

    assert license_findings(tmp_path / "bare", "license: other") == [
        ("warning", "`license: other` needs `license_link` too, to say which license it is"),
        ("warning", "`license: other` needs `license_name` too, to say which license it is")]
    assert license_findings(tmp_path / "named", "license: other\nlicense_name: acme-1\nlicense_link: LICENSE") == []


def test_a_retired_pipeline_tag_outside_the_policy_list_is_the_policys_error(tmp_path: Path) -> None:
    finding = only_finding(tmp_path, "card: {pipeline-tags: [fill-mask]}\n", "pipeline_tag: conversational")
    assert finding.severity == "error" and "not allowed by the policy" in finding.message


@pytest.mark.parametrize(("card", "severity"), [
    ("language: no", "warning"),  # YAML 1.2, as the Hub reads cards: the text "no", Norwegian
    ("language: [da, no]", "warning"),
    ("tags: autonlp", "warning"),  # one word for a list: the Hub shows the tag
    ("license: [cc-by-nc-sa-4.0]", "warning"),  # a list of one: the Hub shows the license
    ("language: false", "error"),
    ("base_model: 1.5", "error"),
    ("license: [mit, apache-2.0]", "error"),
])
def test_a_mistyped_value_the_hub_reads_is_a_warning(tmp_path: Path, card: str, severity: str) -> None:
    """Real 2022 cards: the Hub's record shows `no`, `autonlp` and the license of each."""
    finding = only_finding(tmp_path, "rules: {card/field-type: error}\n", card)
    assert (finding.rule, finding.severity) == ("card/field-type", severity)


def test_language_codes_the_hub_uses_are_known(tmp_path: Path) -> None:
    card = "language: [sh, gem, sla, zlw, en-US, zh-Hans, zh-Hant-TW, es-419, pt-br, mul]"
    assert run(tmp_path, "hub", "acme/x", card) == []


@pytest.mark.parametrize(("code", "message", "suggestion"), [
    ("en-", "language `en-` is not a well-formed language tag: after `en` come only a script (`Hans`), "
            "a region (`US`, `419`) or variants, each after a `-`", "en"),
    ("en-USA", "language `en-USA` is not a well-formed language tag: after `en` come only a script (`Hans`), "
               "a region (`US`, `419`) or variants, each after a `-`", None),
    ("english-US", "language `english-US` is not an ISO 639-1, 639-3 or 639-5 code; did you mean `en`?", "en"),
])
def test_malformed_tags_are_still_flagged(tmp_path: Path, code: str, message: str, suggestion: str | None) -> None:
    """Flagged, but as warnings: the Hub accepts a malformed tag and shows it."""
    [finding] = run(tmp_path, "hub", "acme/x", f"language: [{code}]")
    assert (finding.rule, finding.severity, finding.message, finding.suggestion) == (
        "card/language", "warning", message, suggestion)


@pytest.mark.parametrize(("written", "meant"), [("English", "en"), ("korean", "ko"), ("jp", "ja"), ("zorblax", None)])
def test_a_language_the_hub_accepts_is_at_most_a_warning_with_its_code(tmp_path: Path, written: str,
                                                                       meant: str | None) -> None:
    """The Hub does not check card languages: it copies `English`, `jp` or `java` into its tags.
    No error then, even where the policy makes the rule one; a name still gets its code."""
    finding = only_finding(tmp_path, "rules: {card/language: error}\n", f"language: [{written}]")
    assert (finding.rule, finding.severity, finding.suggestion) == ("card/language", "warning", meant)
    assert finding.message.startswith(f"language `{written}` is not an ISO 639-1, 639-3 or 639-5 code")
    assert ("did you mean" in finding.message) == (meant is not None)


def test_a_language_outside_the_policy_list_is_the_policys_error(tmp_path: Path) -> None:
    finding = only_finding(tmp_path, "card: {languages: [en, de]}\n", "language: [en, English]")
    assert finding.severity == "error" and "not allowed by the policy" in finding.message


def test_the_naming_study_rules_are_defaults_not_the_hubs(tmp_path: Path) -> None:
    config = {"model_type": "roberta", "architectures": ["RobertaModel"]}
    card = "license: mit\npipeline_tag: token-classification"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert run(tmp_path / "a", "hub", "acme/bert-base-ner", card, config) == []
    default = run(tmp_path / "b", "default", "acme/bert-base-ner", card, config)
    assert "consistency/architecture" in [finding.rule for finding in default]


def test_required_words_are_defaults_not_the_hubs(tmp_path: Path) -> None:
    assert run(tmp_path, "hub", "acme/super-model") == []
    assert "name/required-word" in [finding.rule for finding in run(tmp_path, "default", "acme/super-model")]


def test_default_runs_every_rule_hub_leaves_off_at_its_own_severity(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("version: 1\nextends: hub\n")
    (tmp_path / "d.yaml").write_text("version: 1\nextends: default\n")
    hub, default = load_policy(str(tmp_path / "p.yaml")), load_policy(str(tmp_path / "d.yaml"))
    for rule in all_rules():
        if rule.SUBJECT == "internal":
            continue
        if rule.ID.startswith(("consistency/", "artifacts/")):
            assert hub.severity(rule.ID, rule.SEVERITY) == "off", rule.ID
            assert default.severity(rule.ID, rule.SEVERITY) == rule.SEVERITY, rule.ID
        else:
            assert hub.severity(rule.ID, rule.SEVERITY) != "off", rule.ID
