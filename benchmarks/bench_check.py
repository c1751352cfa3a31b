"""Cold start of `hfname-guard check` and of the pre-commit `hfname-guard hook` on one model
folder, against `python -c "import yaml"`.

The baseline is the cheapest program that could read a YAML policy at all: the interpreter
starting and importing PyYAML. Both run side by side, alternating, in fresh processes, so that
whatever else the machine is doing weighs on both alike. The budget (docs: README "Speed") is
a median ratio of at most 1.5.

    python benchmarks/bench_check.py [--runs 40] [--folder examples/models/llama-8b-chat-en-v1]

Exits 0 within budget, 1 over it (so CI can run it as a check when it wants to).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 1.5


def commands(folder: Path) -> dict[str, list[str]]:
    """The two ways a check starts: by hand (`check FOLDER`) and from pre-commit (`hook FILES`,
    with every file of the folder, as a commit that adds the model passes them)."""
    script = shutil.which("hfname-guard", path=str(Path(sys.executable).parent))
    program = [script] if script else [sys.executable, "-m", "hfname_guard"]
    files = sorted(str(path) for path in folder.iterdir() if path.is_file())
    return {"check (1 model)": [*program, "check", str(folder)], "hook (1 model)": [*program, "hook", *files]}


def time_once(command: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    completed = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if completed.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({completed.returncode}): {completed.stderr.decode()}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40, help="runs of each command (default 40)")
    parser.add_argument("--folder", type=Path, default=ROOT / "examples/models/llama-8b-chat-en-v1")
    arguments = parser.parse_args(argv)

    # An installed package has its bytecode compiled; an editable checkout under
    # PYTHONDONTWRITEBYTECODE would recompile every module on every run, which no user sees.
    compileall.compile_dir(str(ROOT / "hfname_guard"), quiet=1)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "HFNAME_GUARD_CACHE_DIR": cache}
        cwd = ROOT / "examples"
        measured = commands(arguments.folder.resolve())
        baseline = [sys.executable, "-c", "import yaml"]
        for command in measured.values():  # warm the validation cache and the file system, as a second commit would
            time_once(command, env, cwd)
        times: dict[str, list[float]] = {"baseline": [], **{label: [] for label in measured}}
        progress = sys.stderr.isatty()  # a counter rewritten in place; in a log it would be one long line
        for run in range(arguments.runs):
            times["baseline"].append(time_once(baseline, env, cwd))
            for label, command in measured.items():
                times[label].append(time_once(command, env, cwd))
            if progress:
                print(f"\rrun {run + 1}/{arguments.runs}", end="", file=sys.stderr, flush=True)
        if progress:
            print(file=sys.stderr)

    baseline_median = statistics.median(times.pop("baseline"))
    print(f"python -c 'import yaml'        median {baseline_median * 1000:6.1f} ms")
    worst = 0.0
    for label, samples in times.items():
        median = statistics.median(samples)
        worst = max(worst, median / baseline_median)
        print(f"hfname-guard {label:<17} median {median * 1000:6.1f} ms  ratio {median / baseline_median:.2f}")
    print(f"budget {BUDGET}")
    return 0 if worst <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
