"""Hub requests and wall time of `hfname-guard check --online` on 1, 100 and 1,000 model folders,
against the same check offline.

    python benchmarks/bench_hub.py [--sizes 1,100,1000] [--existing 2000] [--runs 1]

Method. A local Hub (``tests/hub_server.py``'s ``FakeHub``, a real HTTP server on 127.0.0.1,
pages of 1,000 entries as the Hub's default) holds a namespace ``acme`` of ``--existing`` models
(names of the usual shapes: family, size, task, version), four base models
(``meta-llama/Llama-3.1-8B``...) and three datasets. For each size N, N model folders
``models/acme-model-{i}`` are written to a temporary directory, each with a README.md whose
metadata names one of the base models and one of the datasets (shared, as in a real
organization, so their lookups are cached for the run) and a ``tags`` entry of its own (so
every card's metadata is distinct and the Hub validates each). One process runs
``python -m hfname_guard check --online --policy P models/acme-model-0 ... --format json`` over
all N folders, with ``HF_ENDPOINT`` at the local Hub, a private ``HF_HOME`` and validation
cache and no token, as ``tests/acceptance/test_online.py`` does; the server records every
request it receives.

Requests are sorted by what they are: namespace listings (``GET /api/models?author=``, each
listing counted once however many pages it takes; its pages are shown too), model and dataset
lookups (``GET /api/models/{id}``, ``/api/datasets/{id}``), card validations (``POST
/api/validate-yaml``), searches (``GET /api/models?search=``) and huggingface_hub's own
once-a-process fetch of ``/api/agent-harnesses`` (not hfname-guard's request; shown apart).
The bound (issue 13): at most three Hub requests per model plus one listing per namespace per
run. "max/model" is an upper bound measured from the server's log: for each model, the
validations of its own card text plus every lookup of each repo its card names (a shared lookup
charged in full to every model naming it); it is exactly 3 when every answer is cached.

Yardstick. The same command without ``--online``, on the same folders in the same run (the
online check does everything the offline one does, then asks the Hub): the figure is the
ratio online/offline of the wall times, each the median of ``--runs`` runs, alternating.

Exits 0 when the bound holds at every size, 1 when it does not.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hub_server import FakeHub, Request  # noqa: E402

NAMESPACE = "acme"
BASE_MODELS = ("meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-70B", "mistralai/Mistral-7B-v0.3",
               "Qwen/Qwen2.5-7B")
DATASETS = ("HuggingFaceH4/ultrachat_200k", "allenai/c4", "tatsu-lab/alpaca")
BOUND_PER_MODEL = 3
POLICY = f"version: 1\nnamespaces: [{NAMESPACE}]\n"


@dataclass
class Tally:
    """What one online run asked the Hub."""

    listings: Counter[str] = field(default_factory=Counter)
    """Listings started, by namespace."""
    listing_pages: int = 0
    model_lookups: Counter[str] = field(default_factory=Counter)
    dataset_lookups: Counter[str] = field(default_factory=Counter)
    validations: Counter[str] = field(default_factory=Counter)
    searches: int = 0
    client: int = 0
    other: list[str] = field(default_factory=list)
    span: float = 0.0

    @property
    def per_model_requests(self) -> int:
        """Everything but the namespace listings and the client's own fetch."""
        return (sum(self.model_lookups.values()) + sum(self.dataset_lookups.values())
                + sum(self.validations.values()) + self.searches + len(self.other))

    @property
    def total(self) -> int:
        return self.listing_pages + self.per_model_requests + self.client


def existing_names(count: int) -> list[str]:
    """``count`` distinct names of the shapes an organization's models have."""
    families = ("llama", "mistral", "qwen", "gemma", "phi", "falcon", "bert", "t5", "whisper", "clip")
    sizes = ("1b", "3b", "7b", "8b", "13b", "70b")
    tasks = ("chat", "instruct", "base", "code", "math", "embed", "rerank")
    names = [f"{family}-{size}-{task}-v{version}" for version in range(1, 100) for family in families
             for size in sizes for task in tasks]
    return names[:count]


def card(index: int) -> str:
    return (f"---\nlicense: apache-2.0\nlanguage: [en]\npipeline_tag: text-generation\n"
            f"library_name: transformers\nbase_model: {BASE_MODELS[index % len(BASE_MODELS)]}\n"
            f"base_model_relation: finetune\ndatasets: [{DATASETS[index % len(DATASETS)]}]\n"
            f"tags: [batch-{index}]\n---\n# acme-model-{index}\n\nModel number {index}.\n")


def write_models(directory: Path, count: int) -> list[str]:
    """``count`` folders under ``directory/models``; their paths relative to ``directory``."""
    folders = []
    for index in range(count):
        folder = directory / "models" / f"{NAMESPACE}-model-{index}"
        folder.mkdir(parents=True)
        (folder / "README.md").write_text(card(index), encoding="utf-8")
        folders.append(str(folder.relative_to(directory)))
    return folders


def run_check(arguments: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, dict[str, object]]:
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, "-m", "hfname_guard", "check", *arguments], cwd=cwd, env=env,
                               capture_output=True, text=True, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if completed.returncode not in (0, 1) or "Traceback" in completed.stderr:
        raise SystemExit(f"hfname-guard check {' '.join(arguments[:6])}... failed ({completed.returncode}): "
                         f"{completed.stderr[-2000:]}")
    return elapsed, json.loads(completed.stdout)


def tally(requests: list[Request]) -> Tally:
    counted = Tally()
    for request in requests:
        path = request.path
        if request.method == "GET" and path == "/api/models":
            if "search" in request.query:
                counted.searches += 1
            else:
                counted.listing_pages += 1
                counted.listings[request.query.get("author", "").lower()] += "cursor" not in request.query
        elif request.method == "GET" and path.startswith("/api/models/"):
            counted.model_lookups[path.removeprefix("/api/models/")] += 1
        elif request.method == "GET" and path.startswith("/api/datasets/"):
            counted.dataset_lookups[path.removeprefix("/api/datasets/")] += 1
        elif request.method == "POST" and path == "/api/validate-yaml":
            counted.validations[str(request.json()["content"])] += 1
        elif path == "/api/agent-harnesses":
            counted.client += 1
        else:
            counted.other.append(f"{request.method} {path}")
    if requests:
        counted.span = requests[-1].received - requests[0].received
    return counted


def max_per_model(counted: Tally, count: int) -> int:
    """An upper bound, from the server's log, on the requests any one model needed: its own card's
    validations plus every lookup of each repo its card names."""
    validations: Counter[int] = Counter()
    for content, times in counted.validations.items():  # the card as the Hub gets it: its metadata, re-dumped
        match = re.search(r"\bbatch-(\d+)\b", content)
        validations[int(match[1]) if match else -1] += times
    worst = validations[-1]  # a validation of no card of ours: charged to every model
    for index in range(count):
        own = validations[index]
        own += counted.model_lookups[BASE_MODELS[index % len(BASE_MODELS)]]
        own += counted.dataset_lookups[DATASETS[index % len(DATASETS)]]
        worst = max(worst, validations[-1] + own)
    return worst + counted.searches + len(counted.other)  # unattributed requests charged to every model


def hub_findings(report: dict[str, object]) -> Counter[str]:
    findings = report.get("findings", [])
    assert isinstance(findings, list)
    return Counter(str(finding["rule"]) for finding in findings if str(finding["rule"]).startswith("hub/"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,100,1000", help="numbers of model folders (default 1,100,1000)")
    parser.add_argument("--existing", type=int, default=2000, help=f"models already in `{NAMESPACE}` (default 2000)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each command per size (default 1)")
    arguments = parser.parse_args(argv)
    sizes = [int(size) for size in arguments.sizes.split(",") if size.strip()]

    compileall.compile_dir(str(ROOT / "hfname_guard"), quiet=1)  # as installed: bytecode compiled once
    rows: list[str] = []
    holds = True
    with FakeHub(max_per_page=1000) as hub, tempfile.TemporaryDirectory() as scratch:
        hub.add_models(NAMESPACE, existing_names(arguments.existing))
        for repo_id in BASE_MODELS:
            hub.models[repo_id] = {}
        for repo_id in DATASETS:
            hub.datasets[repo_id] = {}
        base_env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT), "HF_ENDPOINT": hub.url,
                    "HF_HUB_DISABLE_TELEMETRY": "1", "HF_TOKEN": ""}
        base_env.pop("GITHUB_ACTIONS", None)
        base_env.pop("HF_HUB_OFFLINE", None)
        for count in sizes:
            directory = Path(scratch) / f"n{count}"
            directory.mkdir()
            (directory / "policy.yaml").write_text(POLICY, encoding="utf-8")
            folders = write_models(directory, count)
            env = {**base_env, "HF_HOME": str(directory / "hf-home"),
                   "HFNAME_GUARD_CACHE_DIR": str(directory / "cache")}
            common = ["--policy", "policy.yaml", *folders, "--format", "json"]
            run_check(common, directory, env)  # warm the validation cache and the file system for both
            offline_times: list[float] = []
            online_times: list[float] = []
            counted = Tally()
            report: dict[str, object] = {}
            for _ in range(arguments.runs):
                elapsed, _report = run_check(common, directory, env)
                offline_times.append(elapsed)
                with hub._lock:
                    hub.requests.clear()
                elapsed, report = run_check(["--online", *common], directory, env)
                online_times.append(elapsed)
                counted = tally(hub.calls())  # the same every run: the session's cache lives one run
            offline, online = statistics.median(offline_times), statistics.median(online_times)
            worst = max_per_model(counted, count)
            ok = (worst <= BOUND_PER_MODEL and counted.per_model_requests <= BOUND_PER_MODEL * count
                  and all(times <= 1 for times in counted.listings.values()))
            holds &= ok
            rows.append(f"{count:>5} {counted.total:>6} {counted.per_model_requests / count:>8.2f} {worst:>9} "
                        f"{sum(counted.listings.values()):>4} ({counted.listing_pages} pg) {counted.client:>6} "
                        f"{online:>9.2f} {offline:>9.2f} {online / offline:>6.2f}  {'PASS' if ok else 'FAIL'}")
            detail = (f"  N={count}: validations {sum(counted.validations.values())} "
                      f"({len(counted.validations)} distinct cards), model lookups "
                      f"{sum(counted.model_lookups.values())} ({len(counted.model_lookups)} ids), dataset lookups "
                      f"{sum(counted.dataset_lookups.values())} ({len(counted.dataset_lookups)} ids), "
                      f"listings {dict(counted.listings)}, searches "
                      f"{counted.searches}, other {counted.other or 0}; Hub busy {counted.span:.2f} s of the run; "
                      f"hub findings {dict(hub_findings(report)) or 'none'}")
            models = report.get("targets")
            rows.append(detail + f"; {len(models) if isinstance(models, list) else '?'} targets in the report")

    print(f"namespace `{NAMESPACE}` holds {arguments.existing} models (pages of 1000); {len(BASE_MODELS)} base models "
          f"and {len(DATASETS)} datasets shared by the cards; median of {arguments.runs} run(s)")
    print(f"{'N':>5} {'reqs':>6} {'per model':>8} {'max/model':>9} {'listings':>13} {'client':>6} "
          f"{'online s':>9} {'offline s':>9} {'ratio':>6}  bound")
    for row in rows:
        print(row)
    print(f"bound: at most {BOUND_PER_MODEL} Hub requests per model + 1 listing per namespace "
          f"(per model: listings and huggingface_hub's agent-harnesses fetch excluded)")
    return 0 if holds else 1


if __name__ == "__main__":
    raise SystemExit(main())
