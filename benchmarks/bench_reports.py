"""Whether every reporter is linear in its targets and findings.

    python benchmarks/bench_reports.py [--folders 10000]

A report of ``--folders`` model folders, and one of a tenth as many, each folder with three
findings (a name finding on the folder, a card finding on a line, one a waiver hid), is rendered
in every format in one process. The yardstick is the JSON reporter on the same report, in the
same run. For each format it prints the time at both sizes, the growth (ten times the folders
should cost about ten times the time: a reporter that compares every finding with every folder
grows a hundredfold), and the ratio to JSON at the larger size; issue 16 asks that text cost at
most twice the JSON. Exits 1 when a reporter grows more than 20 times, or text costs more than
twice the JSON.

Needs nothing outside the clone.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time

from hfname_guard.findings import Finding, Report, WaivedFinding
from hfname_guard.policy import Waiver
from hfname_guard.report import FORMATS, reporter
from hfname_guard.targets import Target

GROWTH_LIMIT = 20.0
TEXT_TO_JSON_LIMIT = 2.0


def report_of(folders: int) -> Report:
    targets, findings, waived = [], [], []
    waiver = Waiver(repo_id="acme/*", rules=("card/license",), reason="legacy", expires=datetime.date(2099, 1, 1),
                    where=".hfname-guard.yaml:3:5")
    for number in range(folders):
        folder = f"models/llama-7b-{number}"
        repo_id = f"acme/llama-7b-{number}"
        targets.append(Target(repo_id, folder, "folder name", policy=".hfname-guard.yaml"))
        findings.append(Finding("consistency/size", "error", "the name says `7b`; model.safetensors holds "
                                "1,100,048,384 parameters (1.1B)", repo_id, f"{folder}/model.safetensors",
                                suggestion=f"acme/llama-1.1b-{number}"))
        findings.append(Finding("card/language", "warning", "language `English` is not an ISO 639 code; did you "
                                "mean `en`?", repo_id, f"{folder}/README.md", 4, 3, suggestion="en"))
        waived.append(WaivedFinding("card/license", "error", "license `Apache 2.0` is not accepted by the Hub",
                                    repo_id, f"{folder}/README.md", 2, 10, waiver=waiver))
    return Report(targets=targets, findings=findings, waived=waived)


def seconds(name: str, report: Report) -> float:
    render = reporter(name).render
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        render(report, False)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folders", type=int, default=10_000, help="model folders in the larger report")
    arguments = parser.parse_args(argv)
    small, large = report_of(arguments.folders // 10), report_of(arguments.folders)
    times = {name: (seconds(name, small), seconds(name, large)) for name in FORMATS}
    json_large = times["json"][1]
    print(f"every reporter on {arguments.folders // 10:,} and {arguments.folders:,} folders (3 findings each), "
          "against the JSON reporter on the same report:")
    print(f"{'format':<10}{'small s':>9}{'large s':>9}{'growth':>8}{'to json':>9}")
    failed = False
    for name, (short, long) in times.items():
        growth = long / short
        to_json = long / json_large
        over = growth > GROWTH_LIMIT or (name == "text" and to_json > TEXT_TO_JSON_LIMIT)
        failed = failed or over
        print(f"{name:<10}{short:>9.3f}{long:>9.3f}{growth:>8.1f}{to_json:>9.2f}{'  OVER' if over else ''}")
    print(f"budget: growth at most {GROWTH_LIMIT:.0f} for ten times the folders; text at most "
          f"{TEXT_TO_JSON_LIMIT:.0f} times the JSON")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
