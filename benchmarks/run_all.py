"""Every benchmark, one after another, and a table of what each says today.

    python benchmarks/run_all.py [--quick] [--data ../shared/data]

Each benchmark runs as its own program, as its documentation says to run it (``--quick``: the
small sizes, for a smoke run), and the table quotes its headline lines: the figures the README
quotes, each a ratio to the yardstick the benchmark measures in the same run. The benchmarks that
read the shared Hub data (``bench_names.py``, ``bench_gguf_names.py``, ``bench_cards.py``) are
skipped, and said to be, when it is not beside the clone. Exits 1 when a benchmark fails (a missed budget is a failure
of that benchmark's own; a missed aim that is known open work is reported, not failed).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from hfname_guard.record import Record

ROOT = Path(__file__).resolve().parents[1]


class Bench(Record):
    script: str
    full: tuple[str, ...]
    quick: tuple[str, ...]
    headline: str
    """A pattern: the lines of its output the table quotes."""
    shared: bool = False
    """Reads ../shared/data."""
    fails_on_open_aims: bool = False
    """Exits 1 while an aim the issues leave open is missed: its exit code is reported, not failed."""
    timed: bool = False
    """Exits 1 when a wall-time budget is missed: in a --quick run (few samples, on whatever else
    the machine is doing) that is reported, not failed."""


BENCHES = (
    Bench("bench_check.py", ("--runs", "30"), ("--runs", "3"), r"ratio|budget", timed=True),
    Bench("bench_hostile.py", (), ("--quick",), r"^FAILED|^baseline|unknown language codes|missing shards"),
    Bench("bench_action.py", (), ("--runs", "1"), r"^yardstick|^the whole|budget", timed=True),
    Bench("bench_hub.py", (), ("--sizes", "1,100"), r"^\s+\d+ .*(PASS|FAIL)$"),
    Bench("bench_gguf.py", (), ("--runs", "3"), r"^file|^bytes read|^read_gguf", timed=True),
    Bench("bench_explain.py", (), ("--names", "5000"), r"^\s+[\d,]+ +[\d.]+ +[\d,]+ "),
    Bench("bench_reports.py", (), ("--folders", "2000"), r"^(text|json|github|sarif|markdown) |^budget"),
    Bench("bench_audit.py", (), ("--records", "2000", "--hub-models", "200"), r"^\s+[\d,]+ +[\d,]+ |models a second"),
    Bench("bench_names.py", (), (), r"flagged|of those resolve|names/s", shared=True),
    Bench("bench_gguf_names.py", (), (), r"^architecture|false alarms|^quantization words", shared=True),
    Bench("bench_cards.py", (), ("--limit", "2000"), r"^errors the Hub|^models with a consistency|^hand review|^aims",
          shared=True, fails_on_open_aims=True),
)


def run(bench: Bench, quick: bool, data: str | None) -> tuple[int, float, list[str]]:
    arguments = [*(bench.quick if quick else bench.full), *(("--data", data) if bench.shared and data else ())]
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, str(ROOT / "benchmarks" / bench.script), *arguments],
                               capture_output=True, text=True, check=False,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    seconds = time.perf_counter() - start
    pattern = re.compile(bench.headline)
    lines = [line.rstrip() for line in completed.stdout.splitlines() if pattern.search(line)]
    if completed.returncode != 0 and not bench.fails_on_open_aims:
        lines += [line for line in completed.stderr.splitlines()[-5:] if line.strip()]
    return completed.returncode, seconds, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the small sizes of each benchmark: a smoke run")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"),
                        help="the shared Hub data (default: ../shared/data beside the clone)")
    arguments = parser.parse_args(argv)
    have_data = Path(arguments.data).is_dir()
    failed = []
    for bench in BENCHES:
        if bench.shared and not have_data:
            print(f"== {bench.script}: skipped, it reads {arguments.data}, which is not there\n")
            continue
        code, seconds, lines = run(bench, arguments.quick, arguments.data)
        excused = bench.fails_on_open_aims or (bench.timed and arguments.quick)
        verdict = "ok" if code == 0 else ("open aims missed" if bench.fails_on_open_aims
                                          else "budget missed in a quick run" if excused else f"FAILED (exit {code})")
        print(f"== {bench.script}: {verdict}, {seconds:.0f} s")
        print("\n".join(f"   {line}" for line in lines) + "\n")
        if code != 0 and not excused:
            failed.append(bench.script)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
