"""How the card and consistency rules judge real Hub models, against the Hub's own record of them.

    python benchmarks/bench_cards.py [--data ../shared/data] [--limit N] [--show RULE ...] [--json FILE]

The corpus is hub_cards_2022.dev.jsonl.gz: real model cards of a February 2022 Hub snapshot, each
with the Hub API's record of its model (``pipeline_tag``, ``library_name``, ``tags`` such as
``license:mit`` and language codes, and ``config`` with ``model_type`` and ``architectures``).

Method. Each record becomes a model folder ``<tmp>/<namespace>/<name>/`` holding its card as
README.md and, when the record has a config, a config.json of ``{"model_type", "architectures"}``:
that is all the record has of the model's files (no weights, no tokenizer, no adapter_config.json,
no other config keys), so rules that read weights see none and size words are checked only
against what such a config says. The folder is checked in-process with ``checker.check`` as a
``Target`` under its real repo id, then deleted (the gz is streamed: memory stays flat), under two
policies written to temporary files and read with ``load_policy``:

- ``hub``: ``extends: hub`` alone, the Hub's own rules;
- ``default+consistency``: ``extends: default`` with ``consistency/*: error``; no namespaces,
  so the repo-id namespace rule does not fire.

Yardstick. The Hub accepted every one of these cards. An error is *contradicted* by the record
when the record carries the very value the rule rejects: card/library-name on a card whose
``library_name`` is the record's ``library_name``; card/pipeline-tag likewise for
``pipeline_tag``; card/license when the record's tags hold ``license:<value>`` (ignoring case)
and the value is a license id the Hub accepts today (the Hub has verified ``license`` on every
push since 2022, per hub-docs' modelcard.md, so ``license: ???`` or ``apache-2``, which it took
then, it refuses now); card/language when they hold the language code the error names. Aims, from
issue 12:

1. no error that the Hub's record contradicts (under either policy);
2. ``consistency/*`` errors on at most 0.5% of the models, while every known anomaly kind (a
   ``bert`` name over a distilbert config, ``roberta`` over xlm-roberta, ``wav2vec2`` over hubert,
   ``distilbert`` over bert, ``kobigbird`` over roberta) is still caught: a synthetic instance of
   each must be flagged, and the corpus's own instances are listed with whether they are.

Prints the per-rule table, the consistency error rate and the anomaly kinds; ``--show RULE``
prints up to 20 example findings of a rule (contradicted errors first) with the Hub's record
values, for hand review. ``benchmarks/cards_review.tsv`` is that review for every consistency
error of today's rules (a real anomaly, or a false alarm and why); the whole-corpus run says how
many of today's errors it judges real, how many false, and lists those not yet reviewed. Exits 0
when both aims are met, 1 when one is missed (so CI can run it as a check when it wants to).
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hfname_guard.card import read_card
from hfname_guard.checker import check
from hfname_guard.findings import Finding
from hfname_guard.names.vocabularies import licenses
from hfname_guard.policy import Policy, load_policy
from hfname_guard.targets import Target

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = "hub_cards_2022.dev.jsonl.gz"
CONSISTENCY_BUDGET = 0.005
REVIEW = os.path.join(ROOT, "benchmarks", "cards_review.tsv")
SHOWN = 20
POLICIES = {
    "hub": "version: 1\nextends: hub\n",
    "default+consistency": "version: 1\nextends: default\nrules:\n  consistency/*: error\n",
}
CONSISTENCY_POLICY = "default+consistency"


@dataclass(frozen=True)
class Anomaly:
    """A kind of name that contradicts its config: ``word`` as a whole word of the name (between
    separators; none of ``unless`` anywhere in it) over a config of ``model_type``; with a
    synthetic instance of it."""

    label: str
    word: str
    model_type: str
    unless: tuple[str, ...]
    synthetic_repo_id: str
    synthetic_architecture: str

    def matches(self, repo_id: str, model_type: str | None) -> bool:
        name = repo_id.split("/")[-1].lower()
        words = re.split(r"[^a-z0-9]+", name)
        return model_type == self.model_type and self.word in words and not any(word in name for word in self.unless)


ANOMALIES = (
    Anomaly("bert name over distilbert", "bert", "distilbert", ("distil", "roberta"),
            "acme/bert-base-uncased-sst2", "DistilBertForSequenceClassification"),
    Anomaly("roberta name over xlm-roberta", "roberta", "xlm-roberta", ("xlm",),
            "acme/roberta-base-ner", "XLMRobertaForTokenClassification"),
    Anomaly("wav2vec2 name over hubert", "wav2vec2", "hubert", ("hubert",),
            "acme/wav2vec2-base-960h", "HubertForCTC"),
    Anomaly("distilbert name over bert", "distilbert", "bert", (),
            "acme/distilbert-base-uncased-sst2", "BertForSequenceClassification"),
    Anomaly("kobigbird name over roberta", "kobigbird", "roberta", (),
            "acme/kobigbird-base-klue", "RobertaForMaskedLM"),
)


@dataclass
class RuleCount:
    findings: int = 0
    errors: int = 0
    contradicted: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Tally:
    """What one policy found over the corpus."""

    rules: dict[str, RuleCount] = field(default_factory=lambda: defaultdict(RuleCount))
    models_with_consistency_error: int = 0
    models_with_contradicted_error: int = 0
    consistency_errors: set[tuple[str, str]] = field(default_factory=set)
    """(rule, repo id) of each consistency/* error, for the hand review."""


# The corpus, as model folders


def records(path: str, limit: int | None) -> Iterator[dict[str, Any]]:
    """The corpus's records, streamed, the first ``limit`` of them when given."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                return
            yield json.loads(line)


def card_bytes(record: dict[str, Any]) -> bytes:
    if "card_b64" in record:
        return base64.b64decode(record["card_b64"])
    return record["card"].encode("utf-8")


def write_folder(base: str, repo_id: str, card: bytes, config: dict[str, Any] | None) -> str:
    """``base/<namespace>/<name>/`` with README.md and, when the record's config has a
    ``model_type`` or ``architectures`` (its only keys; it is null or empty for some), config.json."""
    folder = os.path.join(base, *repo_id.split("/"))
    os.makedirs(folder)
    with open(os.path.join(folder, "README.md"), "wb") as handle:
        handle.write(card)
    kept = {key: config[key] for key in ("model_type", "architectures") if key in config} if config else {}
    if kept:
        with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as handle:
            json.dump(kept, handle)
    return folder


def check_folder(base: str, repo_id: str, card: bytes, config: dict[str, Any] | None,
                 policies: dict[str, Policy]) -> tuple[dict[str, list[Finding]], str]:
    """The findings of each policy on one model folder, and the folder (deleted again: only
    its path is kept, for reading the card of a finding)."""
    folder = write_folder(base, repo_id, card, config)
    try:
        found = {label: check([Target(repo_id, folder, "hub record")], policy).findings
                 for label, policy in policies.items()}
        card_values = read_card(folder)
    finally:
        shutil.rmtree(os.path.join(base, repo_id.split("/")[0]), ignore_errors=True)
    return found, card_values


# The Hub's record as the yardstick


def record_values(api: dict[str, Any]) -> dict[str, Any]:
    """What the Hub's record says of the values the card rules judge."""
    tags = [str(tag) for tag in api.get("tags") or ()]
    return {
        "pipeline_tag": api.get("pipeline_tag"),
        "library_name": api.get("library_name"),
        "licenses": [tag.split(":", 1)[1] for tag in tags if tag.lower().startswith("license:")],
        "tags": tags,
        "model_type": (api.get("config") or {}).get("model_type"),
    }


def first_quoted(message: str) -> str | None:
    quoted = re.search(r"`([^`]*)`", message)
    return quoted.group(1) if quoted else None


def contradicted(finding: Finding, card: Any, hub: dict[str, Any]) -> bool:
    """Whether the Hub's record carries the value that ``finding`` rejects."""
    if finding.severity != "error":
        return False
    lowered_tags = {tag.lower() for tag in hub["tags"]}
    if finding.rule == "card/library-name":
        value = card.string("library_name") if card.metadata is not None else None
        return value is not None and value == hub["library_name"]
    if finding.rule == "card/pipeline-tag":
        value = card.string("pipeline_tag") if card.metadata is not None else None
        return value is not None and value == hub["pipeline_tag"]
    if finding.rule == "card/license":  # the Hub verifies licenses on push today: only one it accepts counts
        value = card.string("license") if card.metadata is not None else None
        return value is not None and f"license:{value.lower()}" in lowered_tags and value.lower() in licenses()
    if finding.rule == "card/language":
        code = first_quoted(finding.message)
        return code is not None and code.lower() in lowered_tags
    return False


def tally(total: Tally, findings: list[Finding], card: Any, hub: dict[str, Any], repo_id: str) -> None:
    """Add one model's findings to a policy's tally, keeping examples (contradicted first)."""
    consistency_error = any_contradicted = False
    for finding in findings:
        count = total.rules[finding.rule]
        count.findings += 1
        is_error = finding.severity == "error"
        count.errors += is_error
        against = contradicted(finding, card, hub)
        count.contradicted += against
        any_contradicted |= against
        if is_error and finding.rule.startswith("consistency/"):
            consistency_error = True
            total.consistency_errors.add((finding.rule, repo_id))
        keep_example(count, finding, against, hub, repo_id)
    total.models_with_consistency_error += consistency_error
    total.models_with_contradicted_error += any_contradicted


def keep_example(count: RuleCount, finding: Finding, against: bool, hub: dict[str, Any], repo_id: str) -> None:
    example = {"repo_id": repo_id, "severity": finding.severity, "message": finding.message,
               "contradicted": against, "hub": {key: value for key, value in hub.items() if key != "tags"}
               | {"plain_tags": [tag for tag in hub["tags"] if ":" not in tag]}}
    if len(count.examples) < SHOWN:
        count.examples.append(example)
    elif against:  # a contradicted error replaces the last one that is not
        plain = [index for index, kept in enumerate(count.examples) if not kept["contradicted"]]
        if plain:
            count.examples[plain[-1]] = example


# Anomaly kinds


def synthetic_catches(base: str, policy: Policy) -> dict[str, list[str]]:
    """For each anomaly kind, the consistency rules that flag its synthetic instance."""
    caught: dict[str, list[str]] = {}
    for anomaly in ANOMALIES:
        card = b"---\nlicense: apache-2.0\n---\n# A model\n"
        config = {"model_type": anomaly.model_type, "architectures": [anomaly.synthetic_architecture]}
        found, _ = check_folder(base, anomaly.synthetic_repo_id, card, config, {"p": policy})
        caught[anomaly.label] = sorted({finding.rule for finding in found["p"]
                                        if finding.rule.startswith("consistency/") and finding.severity == "error"})
    return caught


def consistency_rules_of(findings: list[Finding]) -> list[str]:
    return sorted({finding.rule for finding in findings if finding.rule.startswith("consistency/")
                   and finding.severity == "error"})


# The run


def run(path: str, limit: int | None) -> tuple[dict[str, Tally], int, int, dict[str, list[tuple[str, list[str]]]],
                                             dict[str, list[str]], float]:
    """Check the corpus under both policies: the tallies, the count of models (and of those
    with a config.json), the corpus's anomaly instances with the rules that flag them, the
    synthetic catches, and the seconds it took."""
    tallies = {label: Tally() for label in POLICIES}
    instances: dict[str, list[tuple[str, list[str]]]] = {anomaly.label: [] for anomaly in ANOMALIES}
    models = with_config = 0
    progress = sys.stderr.isatty()
    with tempfile.TemporaryDirectory(prefix="bench-cards-") as base:
        policies = load_policies(base)
        start = time.perf_counter()
        for record in records(path, limit):
            repo_id, api = record["repo_id"], record.get("api") or {}
            config = api.get("config")
            found, card = check_folder(os.path.join(base, "models"), repo_id, card_bytes(record), config, policies)
            hub = record_values(api)
            for label, findings in found.items():
                tally(tallies[label], findings, card, hub, repo_id)
            for anomaly in ANOMALIES:
                if anomaly.matches(repo_id, hub["model_type"]):
                    instances[anomaly.label].append((repo_id, consistency_rules_of(found[CONSISTENCY_POLICY])))
            models += 1
            with_config += bool(config and ("model_type" in config or "architectures" in config))
            if progress and models % 250 == 0:
                print(f"\r{models} models", end="", file=sys.stderr, flush=True)
        seconds = time.perf_counter() - start
        if progress:
            print(file=sys.stderr)
        synthetic = synthetic_catches(os.path.join(base, "synthetic"), policies[CONSISTENCY_POLICY])
    return tallies, models, with_config, instances, synthetic, seconds


def load_policies(base: str) -> dict[str, Policy]:
    policies = {}
    for label, text in POLICIES.items():
        path = os.path.join(base, f"{label}.hfname-guard.yaml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        policies[label] = load_policy(path, root=base)
    return policies


# The report


def table(tallies: dict[str, Tally]) -> list[dict[str, Any]]:
    rules = sorted({rule for total in tallies.values() for rule in total.rules})
    return [{"rule": rule, **{label: {"findings": total.rules[rule].findings if rule in total.rules else 0,
                                      "errors": total.rules[rule].errors if rule in total.rules else 0,
                                      "contradicted": total.rules[rule].contradicted if rule in total.rules else 0}
                              for label, total in tallies.items()}}
            for rule in rules]


def print_table(rows: list[dict[str, Any]]) -> None:
    labels = list(POLICIES)
    print(f"{'':28}" + "".join(f"{label:>32}" for label in labels))
    print(f"{'rule':28}" + f"{'findings':>12}{'errors':>10}{'contra.':>10}" * len(labels))
    for row in rows:
        cells = "".join(f"{row[label]['findings']:>12,}{row[label]['errors']:>10,}{row[label]['contradicted']:>10,}"
                        for label in labels)
        print(f"{row['rule']:28}{cells}")


def print_anomalies(instances: dict[str, list[tuple[str, list[str]]]], synthetic: dict[str, list[str]]) -> None:
    print("\nknown anomaly kinds (under default+consistency):")
    for anomaly in ANOMALIES:
        found = instances[anomaly.label]
        flagged = sum(1 for _, rules in found if rules)
        caught = ", ".join(synthetic[anomaly.label]) or "NOT CAUGHT"
        print(f"  {anomaly.label:32} corpus: {len(found):3} found, {flagged:3} flagged;"
              f"  synthetic {anomaly.synthetic_repo_id}: {caught}")
        for repo_id, rules in found[:5]:
            print(f"      {repo_id}: {', '.join(rules) or 'not flagged'}")


def read_review(path: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(rule, repo id) -> (verdict, why) from the hand review file."""
    with open(path, encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle if line.strip() and not line.startswith("#")]
    return {(rule, repo_id): (verdict, why) for rule, repo_id, verdict, why in rows}


def print_review(errors: set[tuple[str, str]], models: int) -> None:
    """How the hand review judges today's consistency errors: real anomalies, false alarms, and
    those nobody has reviewed yet (listed, so that the review can be brought up to date)."""
    review = read_review(REVIEW)
    verdicts = defaultdict(set)
    unreviewed = sorted(error for error in errors if error not in review)
    for error in errors - set(unreviewed):
        verdicts[review[error][0]].add(error[1])
    false_models = verdicts["false"]
    print(f"hand review ({os.path.relpath(REVIEW, ROOT)}): {len(verdicts['anomaly']):,} models with a real anomaly, "
          f"{len(false_models):,} with a false alarm ({len(false_models) / max(models, 1):.2%} of models), "
          f"{len(unreviewed):,} errors not reviewed")
    for rule, repo_id in unreviewed:
        print(f"  not reviewed: {rule} {repo_id}")


def print_examples(tallies: dict[str, Tally], rule: str) -> None:
    for label, total in tallies.items():
        count = total.rules.get(rule)
        if count is None:
            continue
        print(f"\nexamples of {rule} under {label} ({count.findings} findings, {count.contradicted} contradicted):")
        for example in count.examples:
            mark = " [contradicted]" if example["contradicted"] else ""
            print(f"  {example['repo_id']}: {example['severity']}: {example['message']}{mark}")
            print(f"      hub: {json.dumps(example['hub'], ensure_ascii=False)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"), help="the reference data folder")
    parser.add_argument("--limit", type=int, help="the first N records only, for a quick run")
    parser.add_argument("--show", action="append", default=[], metavar="RULE",
                        help="print up to 20 example findings of RULE (repeatable)")
    parser.add_argument("--json", metavar="FILE", help="save the per-rule table (with examples) to FILE")
    arguments = parser.parse_args(argv)

    tallies, models, with_config, instances, synthetic, seconds = run(
        os.path.join(arguments.data, CORPUS), arguments.limit)
    rows = table(tallies)
    print(f"{models:,} models ({with_config:,} with a config.json), checked under each policy in {seconds:.1f} s "
          f"({seconds / max(models, 1) * 1000:.1f} ms a model for both)\n")
    print_table(rows)

    contradictions = sum(row[label]["contradicted"] for row in rows for label in POLICIES)
    flagged = tallies[CONSISTENCY_POLICY].models_with_consistency_error
    rate = flagged / max(models, 1)
    per_policy = ", ".join(f"({total.models_with_contradicted_error:,} models under {label})"
                           for label, total in tallies.items())
    print(f"\nerrors the Hub's record contradicts: {contradictions:,} {per_policy}")
    print(f"models with a consistency/* error: {flagged:,} of {models:,} = {rate:.2%} "
          f"(aim: at most {CONSISTENCY_BUDGET:.1%})")
    if arguments.limit is None:
        print_review(tallies[CONSISTENCY_POLICY].consistency_errors, models)
    print_anomalies(instances, synthetic)
    for rule in arguments.show:
        print_examples(tallies, rule)

    all_caught = all(synthetic.values())
    aims = {"no contradicted error": contradictions == 0,
            f"consistency errors <= {CONSISTENCY_BUDGET:.1%} with every anomaly kind caught":
                rate <= CONSISTENCY_BUDGET and all_caught}
    print("\naims: " + "; ".join(f"{aim}: {'met' if met else 'MISSED'}" for aim, met in aims.items()))
    if arguments.json:
        save(arguments.json, rows, tallies, models, with_config, rate, instances, synthetic, seconds)
    return 0 if all(aims.values()) else 1


def save(path: str, rows: list[dict[str, Any]], tallies: dict[str, Tally], models: int, with_config: int,
         rate: float, instances: dict[str, list[tuple[str, list[str]]]], synthetic: dict[str, list[str]],
         seconds: float) -> None:
    examples = {label: {rule: count.examples for rule, count in total.rules.items()}
                for label, total in tallies.items()}
    document = {"models": models, "with_config": with_config, "seconds": round(seconds, 1), "rules": rows,
                "consistency_error_rate": rate, "anomalies": {label: {"corpus": found, "synthetic": synthetic[label]}
                                                             for label, found in instances.items()},
                "examples": examples}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    raise SystemExit(main())
