"""How well the name tagger and its knowledge base read real Hub names, and how fast.

    python benchmarks/bench_names.py [--data ../shared/data] [--disagreements FILE]

The Hub names with their real ``model_type`` (hub_model_types.dev.jsonl) are split by a stable
hash of the namespace, so that one organization's near-identical names are all on one side, and
again at random by name. The knowledge base is built from one part with ``build`` of
``scripts/build_knowledge.py``, the function that builds the shipped files (its curated words, read
from known checkpoints, are in it whatever the split; the words mined from names come from that
part only), and measured on the other (held-out names); then built from all and measured on all
(seen names, for contrast; with the kinds of contradiction flagged among them, most common
first, which docs/names.md discusses). For each:

- coverage: the share of names whose architecture ``architecture_of`` resolves;
- agreement: the share of resolved names whose real ``model_type`` is the one resolved (strict),
  or of its family (``same_family``); flagged: resolved and not agreeing, what the consistency
  rule would report (some are real anomalies of the Hub);
- swapped-config catch rate: each resolved name paired with the config of another model type
  (not of its family) drawn from the data, the share the consistency check flags;
- a simple baseline: a table of whole words (between separators) to the ``model_type`` most of
  their names have, mined from the same part;
- what bounds coverage: of the held-out names GPT-4 gave element codes
  (hub_name_element_codes.dev.json), the share it says state an architecture at all.

Then the agreement of ``tag`` with the GPT-4 labels of hub_name_elements.dev.csv per taxonomy code
(components present in both), and names per second on one core (the median of five passes over
every name, each on a fresh tagger). Prints a report; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict

from hfname_guard.names.knowledge import CONTAINERS, TYPES_FILE, WORDS_FILE, Knowledge, parse, same_family
from hfname_guard.names.tagger import Tagger

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from build_knowledge import build, namespace, sources  # noqa: E402  (a maintainer tool in scripts/)

HELD_OUT_PERCENT = 30
SEED = 20231004
SHOWN = 15
RUNS = 5


def held_out(repo_id: str, by: str = "namespace") -> bool:
    """A stable 30% of the names: by namespace (no organization on both sides), or by name."""
    digest = hashlib.sha256((namespace(repo_id) if by == "namespace" else repo_id).encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HELD_OUT_PERCENT


def knowledge_from(rows: list[tuple[str, str]], inputs: tuple) -> Knowledge:
    model_types, _, aliases, curated = inputs
    files = build(model_types, rows, aliases, curated)
    return parse(files[WORDS_FILE], files[TYPES_FILE])


Disagreement = tuple[str, str, str, str]
"""(repo id, the words that state the architecture, the model type they name, the config's)."""


def evaluate(
    tagger: Tagger, rows: list[tuple[str, str]], all_types: list[str]
) -> tuple[dict[str, float], list[Disagreement]]:
    base = tagger.base
    resolved = strict = family = caught = plain = plain_strict = 0
    disagreements: list[Disagreement] = []
    draw = random.Random(SEED)
    for repo_id, real in rows:
        found = tagger.architecture_of(repo_id)
        if found is None:
            continue
        resolved += 1
        named, word = found
        strict += named == real
        if real not in CONTAINERS:
            plain += 1
            plain_strict += named == real
        if same_family(named, real, base):
            family += 1
        else:
            disagreements.append((repo_id, word, named, real))
        swapped = draw.choice(all_types)
        while same_family(swapped, real, base):
            swapped = draw.choice(all_types)
        caught += not same_family(named, swapped, base)
    share = resolved or 1
    figures = {
        "names": len(rows),
        "coverage": resolved / len(rows),
        "strict": strict / share,
        "family": family / share,
        "flagged": (resolved - family) / len(rows),
        "caught": caught / share,
        "strict_plain": plain_strict / (plain or 1),
    }
    return figures, disagreements


def baseline(train: list[tuple[str, str]], test: list[tuple[str, str]]) -> tuple[float, float]:
    """Coverage and agreement of a word -> majority model_type table (words between separators,
    seen in at least two names, 90% of them of one type), first known word of a name wins."""
    split = re.compile(r"[-_. ]+")
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for repo_id, real in train:
        for word in set(split.split(repo_id.rpartition("/")[2].lower())):
            counts[word][real] += 1
    table = {}
    for word, types in counts.items():
        model_type, count = types.most_common(1)[0]
        total = sum(types.values())
        if total >= 2 and count / total >= 0.9:
            table[word] = model_type
    resolved = agreed = 0
    for repo_id, real in test:
        named = next((table[w] for w in split.split(repo_id.rpartition("/")[2].lower()) if w in table), None)
        if named is not None:
            resolved += 1
            agreed += named == real
    return resolved / len(test), agreed / (resolved or 1)


def stated(tagger: Tagger, rows: list[tuple[str, str]], path: str) -> tuple[int, float, float]:
    """Of the names GPT-4 gave element codes (hub_name_element_codes.dev.json): how many, the
    share it says state an architecture (A), and the share of those the tagger resolves; what
    bounds coverage, since a name that states no architecture has none to resolve."""
    with open(path, encoding="utf-8") as handle:
        codes = json.load(handle)
    labelled = [repo_id for repo_id, _ in rows if repo_id in codes]
    with_a = [repo_id for repo_id in labelled if "A" in codes[repo_id]]
    resolved = sum(tagger.architecture_of(repo_id) is not None for repo_id in with_a)
    return len(labelled), len(with_a) / (len(labelled) or 1), resolved / (len(with_a) or 1)


def element_agreement(tagger: Tagger, path: str) -> list[tuple[str, int, int, Counter[str]]]:
    """Per GPT-4 label: components tagged too (same text), how many with the same code, and
    what the tagger said instead."""
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            labels[row["model_name"]].append((row["component"].lower(), row["category"]))
    matched: Counter[str] = Counter()
    agreed: Counter[str] = Counter()
    instead: dict[str, Counter[str]] = defaultdict(Counter)
    for name, components in labels.items():
        mine = {component.text.lower(): component.code for component in tagger.tag(name)}
        for text, label in components:
            if text in mine:
                matched[label] += 1
                agreed[label] += mine[text] == label
                if mine[text] != label:
                    instead[label][mine[text]] += 1
    return [(code, matched[code], agreed[code], instead[code]) for code in "ASPTDLVCFWRNHMO" if matched[code]]


def speed(base: Knowledge, names: list[str]) -> tuple[float, float]:
    """Names per second of architecture_of and of tag: the median of RUNS passes over the names,
    each on a fresh tagger."""
    rates: dict[str, list[float]] = {"architecture_of": [], "tag": []}
    for _ in range(RUNS):
        for method, found in rates.items():
            call = getattr(Tagger(base), method)
            start = time.perf_counter()
            for name in names:
                call(name)
            found.append(len(names) / (time.perf_counter() - start))
    return statistics.median(rates["architecture_of"]), statistics.median(rates["tag"])


def report(title: str, figures: dict[str, float], simple: tuple[float, float]) -> None:
    print(f"{title}: {figures['names']:,} names")
    print(f"  coverage          {figures['coverage']:7.2%}   (simple word table: {simple[0]:.2%})")
    print(f"  agreement         {figures['family']:7.2%}   (what consistency/architecture accepts: the same type,")
    print(f"{'':30}one family, or a part of a wrapper config such as wav2vec2 in a speech-encoder-decoder)")
    print(f"  agreement strict  {figures['strict']:7.2%}   (the very model_type; simple word table: {simple[1]:.2%};")
    print(f"{'':30}{figures['strict_plain']:.2%} on names whose config is no wrapper)")
    print(f"  flagged           {figures['flagged']:7.2%}   of all names (resolved, and not agreeing)")
    print(f"  swapped configs   {figures['caught']:7.2%}   caught")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"), help="the shared data folder")
    parser.add_argument("--disagreements", metavar="FILE", help="write the held-out disagreements here")
    args = parser.parse_args(argv)
    inputs = sources(args.data)
    rows = inputs[1]
    all_types = [model_type for _, model_type in rows]
    train = [row for row in rows if not held_out(row[0])]
    test = [row for row in rows if held_out(row[0])]

    start = time.perf_counter()
    tagger = Tagger(knowledge_from(train, inputs))
    built = time.perf_counter() - start
    print(f"knowledge base built from {len(train):,} names in {built:.1f} s")
    figures, disagreements = evaluate(tagger, test, all_types)
    report("held-out names (namespaces unseen by the knowledge base)", figures, baseline(train, test))
    labelled, with_a, found = stated(tagger, test, os.path.join(args.data, "hub_name_element_codes.dev.json"))
    print(f"  of {labelled} of these names with GPT-4 element codes, {with_a:.2%} state an architecture "
          f"(code A); {found:.2%} of those resolve")
    print(f"  {len(disagreements)} disagreements, {min(SHOWN, len(disagreements))} of them:")
    lines = [f"{repo_id}\tname says `{word}` ({named})\tconfig: {real}" for repo_id, word, named, real in disagreements]
    for line in random.Random(SEED).sample(lines, min(SHOWN, len(lines))):
        print("    " + line.replace("\t", "  "))
    if args.disagreements:
        with open(args.disagreements, "w", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
        print(f"  all written to {args.disagreements}")

    by_name_train = [row for row in rows if not held_out(row[0], by="name")]
    by_name_test = [row for row in rows if held_out(row[0], by="name")]
    by_name, _ = evaluate(Tagger(knowledge_from(by_name_train, inputs)), by_name_test, all_types)
    report("held-out names (a random 30% of names; their namespaces may be known)", by_name,
           baseline(by_name_train, by_name_test))

    full = Tagger(knowledge_from(rows, inputs))
    seen, contradictions = evaluate(full, rows, all_types)
    report("seen names (knowledge base built from all, measured on all)", seen, baseline(rows, rows))
    kinds = Counter((named, real) for _, _, named, real in contradictions)
    print(f"  what the {len(contradictions)} flagged names say against their config, most common first:")
    for (named, real), count in kinds.most_common(SHOWN):
        example = next(repo_id for repo_id, _, one, other in contradictions if (one, other) == (named, real))
        print(f"    {count:3}  name says {named}, config is {real}   ({example})")

    print("tag() (knowledge base from all) against the GPT-4 labels of hub_name_elements.dev.csv, components in both:")
    for code, matched, agreed, instead in element_agreement(full, os.path.join(args.data, "hub_name_elements.dev.csv")):
        others = ", ".join(f"{other} {count}" for other, count in instead.most_common(3))
        print(f"  {code}  {agreed / matched:7.2%} of {matched:5,}" + (f"   (else: {others})" if others else ""))

    names = [repo_id for repo_id, _ in rows]
    architecture_rate, tag_rate = speed(full.base, names)
    print(f"speed, one core, {len(names):,} distinct names, median of {RUNS} passes: "
          f"architecture_of {architecture_rate:,.0f} names/s, tag {tag_rate:,.0f} names/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
