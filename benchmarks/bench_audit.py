"""How fast `hfname-guard audit` judges published models, and how much memory it holds.

    python benchmarks/bench_audit.py [--records 100000] [--hub-models 5000]

From a file. Synthetic records in the Hub API's shape (``config``, ``cardData``,
``safetensors``, ``siblings``, ``downloads``), one in twenty named after another architecture
than its config's and one in twenty with a count its weights do not hold, are written to a JSON
Lines file; ``hfname-guard audit --from FILE --format json=FILE`` runs over them in a fresh
process, on one core, through every offline rule. The yardstick, timed in the same run, is
reading the same file with ``json.loads`` line by line in a fresh process: what any tool must
pay to see the records at all. It prints models a second (against issue 14's aim of 20,000), the
ratio to the yardstick, and the peak resident memory of the audit at a tenth of the records and
at all of them: flat memory means the records stream through and only findings stay.

From the Hub. The local Hub server of the tests (``tests/hub_server.py``) holds
``--hub-models`` models in pages of 1,000, as the Hub lists them; ``hfname-guard audit acme``
lists them through huggingface_hub and judges each, online rules included. It prints the wall
time, the listing requests, and requests per model.

Needs nothing outside the clone.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AIM = 20_000
ARCHITECTURES = [("bert", "Bert"), ("llama", "Llama"), ("roberta", "Roberta"), ("t5", "T5"),
                 ("distilbert", "DistilBert"), ("mistral", "Mistral")]
TASKS = {"ner": ("token-classification", "ForTokenClassification"), "chat": ("text-generation", "ForCausalLM"),
         "sentiment": ("text-classification", "ForSequenceClassification"),
         "summarization": ("summarization", "ForConditionalGeneration"),
         "qa": ("question-answering", "ForQuestionAnswering"), "instruct": ("text-generation", "ForCausalLM"),
         "": ("text-classification", "ForSequenceClassification")}
"""Each task word of the names, with the pipeline tag and head class of a model that does it."""


def synthetic_records(count: int, seed: int = 1) -> list[str]:
    """``count`` JSON lines, each a model record as the Hub lists it: one in twenty named after
    another architecture than its config's, one in twenty with a parameter count its weights do
    not hold; the other words agree with the record, as most published names do."""
    chance = random.Random(seed)
    lines = []
    for number in range(count):
        model_type, prefix = chance.choice(ARCHITECTURES)
        named = chance.choice(ARCHITECTURES)[0] if chance.random() < 0.05 else model_type
        size = chance.choice(["base", "large", "small", "7b"])
        task = chance.choice(list(TASKS))
        words = [named, size, task, f"v{chance.randint(1, 3)}"]
        total = chance.randint(6_000_000_000, 8_000_000_000) if size == "7b" else chance.randint(10**7, 10**9)
        if chance.random() < 0.05:
            total = chance.randint(10**7, 10**9) if size == "7b" else total
        pipeline_tag, head = TASKS[task]
        record = {
            "id": f"org{number % 50}/{'-'.join(word for word in words if word)}-{number}",
            "downloads": chance.randint(0, 100_000), "lastModified": "2026-01-01T00:00:00.000Z",
            "config": {"model_type": model_type, "architectures": [prefix + head]},
            "cardData": {"license": chance.choice(["mit", "apache-2.0", "MIT", "other"]),
                         "language": [chance.choice(["en", "de", "fr"])], "pipeline_tag": pipeline_tag},
            "safetensors": {"parameters": {"F32": total}, "total": total},
            "siblings": [{"rfilename": name} for name in ("README.md", "config.json", "model.safetensors")],
        }
        lines.append(json.dumps(record) + "\n")
    return lines


PEAK = """
import resource, runpy, sys
sys.argv = ["hfname-guard", *sys.argv[1:]]
try:
    runpy.run_module("hfname_guard", run_name="__main__")
except SystemExit as end:
    code = end.code
else:
    code = 0
try:  # this process's own high-water mark: ru_maxrss keeps the parent's across exec on Linux
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("peak-kib", peak, file=sys.stderr)
sys.exit(code)
"""
"""Runs the command line and reports its own peak resident memory, alone, on standard error."""


BREAKDOWN = """
import json, sys, time
from hfname_guard.audit import audit, records_from_file
from hfname_guard.names.tagger import tag
from hfname_guard.report import json_report
from hfname_guard.rules import all_rules

path = sys.argv[1]
names = [json.loads(line)["id"].rsplit("/", 1)[-1] for line in open(path, encoding="utf-8")]
tag(names[0])  # the tagger's tables, built once a run

def seconds(work):
    start = time.perf_counter()
    work()
    return time.perf_counter() - start

reading = seconds(lambda: sum(1 for _ in records_from_file(path)))
tagging = seconds(lambda: [tag(name) for name in names])
result = []
whole = seconds(lambda: result.append(audit(records_from_file(path), None)))
report = seconds(lambda: json_report.render(result[0].report, False))
for rule in all_rules():
    if hasattr(rule, "check"):
        rule.check = lambda facts: ()
bare = seconds(lambda: audit(records_from_file(path), None))
print(json.dumps({"reading": reading, "bare": bare, "tagging": tagging, "rules": whole - bare - tagging,
                  "report": report, "count": len(names)}))
"""
"""Where a model's time goes, in one process: reading its record, the checker with every rule
switched off (reading included), reading its name (the tagger alone), the rest of the rules,
and the JSON report."""


def breakdown(source: Path, env: dict[str, str]) -> None:
    completed = subprocess.run([sys.executable, "-c", BREAKDOWN, str(source)], env=env, capture_output=True,
                               text=True, check=True)
    parts = json.loads(completed.stdout)
    each = {name: value / parts["count"] * 1e6 for name, value in parts.items() if name != "count"}
    total = each["bare"] + each["tagging"] + each["rules"] + each["report"]
    print(f"where a model's time goes, in microseconds ({parts['count']:,} records, in one process; "
          f"the aim leaves {1e6 / AIM:.0f}):")
    print(f"  reading its record {each['reading']:.1f}, the checker with every rule off (reading included) "
          f"{each['bare']:.1f}, reading its name {each['tagging']:.1f}, the rest of the rules {each['rules']:.1f}, "
          f"the JSON report {each['report']:.1f}; in all {total:.1f}")


def audited(arguments: list[str], env: dict[str, str]) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    """Wall seconds, peak resident memory in KiB, and the run of ``hfname-guard ARGUMENTS``."""
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, "-c", PEAK, *arguments], env=env, capture_output=True, text=True,
                               check=False)
    seconds = time.perf_counter() - start
    peak = next((int(line.split()[1]) for line in reversed(completed.stderr.splitlines())
                 if line.startswith("peak-kib ")), 0)
    return seconds, peak, completed


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=True)
    return time.perf_counter() - start


def environment(work: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "HFNAME_GUARD_CACHE_DIR": str(work / "cache"),
            "HF_HOME": str(work / "hf-home"), "HF_HUB_DISABLE_TELEMETRY": "1", "HF_TOKEN": "", "HF_HUB_OFFLINE": ""}


def from_file(work: Path, count: int) -> bool:
    env = environment(work)
    read_only = [sys.executable, "-c", "import json, sys\nfor line in open(sys.argv[1]): json.loads(line)"]
    rows = []
    for size in (count // 10, count):
        source = work / f"records-{size}.jsonl"
        source.write_text("".join(synthetic_records(size)), encoding="utf-8")
        seconds, peak, completed = audited(["audit", "--from", str(source), "--format",
                                            f"json={work / 'report.json'}"], env)
        if completed.returncode != 0:
            print(completed.stderr, file=sys.stderr)
            return False
        baseline = timed([*read_only, str(source)], env)
        findings = len(json.loads((work / "report.json").read_text(encoding="utf-8"))["findings"])
        rows.append((size, seconds, baseline, peak, findings))
    print(f"from a file, one process, every offline rule (aim: {AIM:,} models a second):")
    print(f"{'models':>9} {'findings':>9} {'audit s':>8} {'models/s':>9} {'of aim':>7} {'read s':>7} {'ratio':>6} "
          f"{'peak MiB':>9}")
    for size, seconds, baseline, peak, findings in rows:
        print(f"{size:>9,} {findings:>9,} {seconds:>8.2f} {size / seconds:>9,.0f} {size / seconds / AIM:>7.0%} "
              f"{baseline:>7.2f} {seconds / baseline:>6.1f} {peak / 1024:>9.0f}")
    breakdown(work / f"records-{count // 10}.jsonl", env)
    return True


def from_hub(work: Path, count: int) -> bool:
    sys.path.insert(0, str(ROOT / "tests"))
    from hub_server import FakeHub

    with FakeHub() as hub:
        for line in synthetic_records(count, seed=2):
            record = json.loads(line)
            hub.models["acme/" + record.pop("id").split("/", 1)[1]] = record
        env = {**environment(work), "HF_ENDPOINT": hub.url}
        seconds, peak, completed = audited(["audit", "acme", "--format", f"json={work / 'hub-report.json'}"], env)
        listings = sum(1 for request in hub.calls("GET", "/api/models") if request.expand)
        others = len(hub.requests) - listings
    if completed.returncode != 0:
        print(completed.stderr, file=sys.stderr)
        return False
    print(f"\nfrom the local Hub: {count:,} models of `acme` in {listings} pages, online rules included")
    print(f"  {seconds:.2f} s ({count / seconds:,.0f} models a second), {others} other requests "
          f"({others / count:.3f} a model: card validations of distinct cards, one listing for the hub/* rules), "
          f"peak {peak / 1024:.0f} MiB")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="synthetic records to audit from a file")
    parser.add_argument("--hub-models", type=int, default=5_000, help="models the local Hub lists")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as folder:
        work = Path(folder)
        return 0 if from_file(work, arguments.records) and from_hub(work, arguments.hub_models) else 1


if __name__ == "__main__":
    raise SystemExit(main())
