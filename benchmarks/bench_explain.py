"""How fast `hfname-guard explain --names-from` reads names, end to end, and the memory it holds.

    python benchmarks/bench_explain.py [--names 100000]

Synthetic repo ids (those of ``bench_audit.py``'s records: an architecture, a size, a task, a
version) are written one a line; ``hfname-guard explain --names-from FILE --format jsonl`` reads
them in a fresh process, on one core, and writes one JSON object a name. The yardstick, timed in
the same run, is a fresh process that reads the same file and writes ``{"name": ...}`` for each
line with ``json.dumps``: what any tool pays to stream the names through at all. It prints names
a second (against issue 16's aim of 50,000), the ratio to the yardstick, and the peak resident
memory at a tenth of the names and at all of them: flat memory means the names stream through.

Needs nothing outside the clone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_audit import PEAK, ROOT, synthetic_records  # noqa: E402

AIM = 50_000
YARDSTICK = """
import json, sys
with open(sys.argv[1], encoding="utf-8") as names, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in names:
        out.write(json.dumps({"name": line.strip()}) + "\\n")
"""


def timed(command: list[str], output: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB; 0 when not reported) of ``command``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    with open(output, "w", encoding="utf-8") as out:
        completed = subprocess.run(command, env=env, stdout=out, stderr=subprocess.PIPE, text=True, check=True)
    seconds = time.perf_counter() - start
    peak = next((int(line.split()[1]) for line in completed.stderr.splitlines() if line.startswith("peak-kib ")), 0)
    return seconds, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, default=100_000, help="names to explain")
    arguments = parser.parse_args(argv)
    print(f"explain --names-from, one process, jsonl (aim: {AIM:,} names a second):")
    print(f"{'names':>9} {'explain s':>10} {'names/s':>9} {'of aim':>7} {'yardstick s':>12} {'ratio':>6} "
          f"{'peak MiB':>9}")
    with tempfile.TemporaryDirectory(prefix="bench-explain-") as folder:
        work = Path(folder)
        for count in (arguments.names // 10, arguments.names):
            names = work / f"names-{count}.txt"
            names.write_text("".join(json.loads(line)["id"] + "\n" for line in synthetic_records(count)),
                             encoding="utf-8")
            seconds, peak = timed([sys.executable, "-c", PEAK, "explain", "--names-from", str(names), "--format",
                                   "jsonl"], work / "explained.jsonl")
            explained = sum(1 for _ in open(work / "explained.jsonl", encoding="utf-8"))
            if explained != count:
                print(f"explain wrote {explained:,} objects for {count:,} names", file=sys.stderr)
                return 1
            baseline, _ = timed([sys.executable, "-c", YARDSTICK, str(names), str(work / "yardstick.jsonl")],
                                work / "yardstick.out")
            print(f"{count:>9,} {seconds:>10.2f} {count / seconds:>9,.0f} {count / seconds / AIM:>7.0%} "
                  f"{baseline:>12.2f} {seconds / baseline:>6.1f} {peak / 1024:>9.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
