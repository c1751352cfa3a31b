"""Time and peak memory of `hfname-guard check` on the worst inputs of issue 10, against a check of
one ordinary model folder measured in the same run.

Each case builds its input in a temporary folder and runs the command in a fresh process; the
wall time is the median of ``--runs`` runs, the peak memory the largest resident set of any of
them, read from that child's own resource usage (``os.wait4`` in a small wrapper process:
RUSAGE_CHILDREN would hold the largest of all children so far, and a child forked from this
process would count the inputs this process built). The baseline, `hfname-guard check
examples/models/llama-8b-chat-en-v1`, runs alternately with each case, whose ratios are to the
baseline runs beside it: they say how many ordinary checks a worst case costs, whatever the
machine and whatever else it is doing. Every run must end with its expected exit code, with no
traceback, within a timeout.

The cases: a card of 99,000 unknown language codes (the YAML loader's limit is 100,000 nodes); a
policy with a runaway pattern, refused when it loads (and, for contrast, what the same pattern
costs plain `re` on a 30-character name); an index naming a million missing shards; one
safetensors header under 1,000 names (read once); three 100 MB headers, past the run's 256 MiB
budget of header bytes; 32 GGUF headers of 100,000 metadata entries; a 50 MB README; an alias
bomb and 10,000 levels of nesting in a card; a config.json of a 5,000-digit integer and NaN; a
100,000-character repo id; a README that is a FIFO.

    python benchmarks/bench_hostile.py [--quick] [--runs 3]

``--quick`` scales the large inputs down tenfold (about 15 seconds in all, against 45). Exits 0
when every case is within its budget (README "Speed"), 1 otherwise.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "unit"), str(ROOT / "tests")]  # the test module, and the helpers it imports
from test_bounded_cost import RUNAWAY_PATTERNS, hostile_card  # noqa: E402  (the worst cases the tests name)

BASELINE_CWD = ROOT / "examples"
BASELINE_FOLDER = BASELINE_CWD / "models" / "llama-8b-chat-en-v1"
TIMEOUT = 60.0
"""Seconds a check may run before it counts as hung."""
REGEX_TIMEOUT = 10.0
"""Seconds plain `re` gets on the runaway pattern: enough to show it does not finish."""
RUNAWAY = r"(\d+\.?)+"
assert RUNAWAY in RUNAWAY_PATTERNS
RUNAWAY_INPUT = "1" * 30 + "!"
"""A version of 30 digits that does not match: `re` tries every way to split the digits."""
HUGE_INTEGER = "9" * 5_000


class Run(NamedTuple):
    code: int | None
    """The exit code; None when the run was stopped at its timeout."""
    seconds: float
    peak_bytes: int
    stderr: str


Built = tuple[str, list[str]]
"""What a case built, in words, and the arguments of `check` that read it."""


class Case(NamedTuple):
    build: Callable[[Path, int], Built]
    """Writes the input under a folder, at a scale (1 full, 10 quick)."""
    exit_code: int
    time_budget: float
    """Most time allowed, in baseline checks."""
    memory_budget: float
    """Most peak memory allowed, in baseline peaks."""


# ----- the inputs ----------------------------------------------------------------------------------


def model(folder: Path, files: dict[str, str] | None = None) -> list[str]:
    """A model folder `llama-7b` under ``folder`` with these files, and the arguments that check it."""
    path = folder / "llama-7b"
    path.mkdir()
    for name, content in (files or {}).items():
        (path / name).write_text(content, encoding="utf-8")
    return [str(path), "--repo-id", "acme/llama-7b"]


def many_languages(folder: Path, scale: int) -> Built:
    count = 99_000 // scale
    return f"card: {count:,} unknown language codes", model(folder, {"README.md": hostile_card(count)})


def runaway_policy(folder: Path, scale: int) -> Built:
    policy = folder / "policy.yaml"
    policy.write_text(f"version: 1\nname:\n  template: '{{architecture}}-v{{version}}'\n  fields:\n"
                      f"    version: {{pattern: '{RUNAWAY}'}}\n", encoding="utf-8")
    return (f"policy: pattern `{RUNAWAY}` (refused at load)",
            ["--policy", str(policy), "--repo-id", "acme/llama-v" + RUNAWAY_INPUT])


def missing_shards(folder: Path, scale: int) -> Built:
    count = 1_000_000 // scale
    weight_map = {f"t{n}": f"model-{n:07d}-of-{count:07d}.safetensors" for n in range(count)}
    return (f"index: {count:,} missing shards",
            model(folder, {"model.safetensors.index.json": json.dumps({"weight_map": weight_map})}))


def safetensors(path: Path, header: bytes, data_size: int) -> None:
    """A safetensors file: the header's length, the header, and a sparse data region."""
    with path.open("wb") as handle:
        handle.write(len(header).to_bytes(8, "little") + header)
        handle.truncate(8 + len(header) + data_size)


def linked_header(folder: Path, scale: int) -> Built:
    """One header of 60,000 tensors (6 MB) under 1,000 names, all in the index: read once."""
    arguments = model(folder)
    path = Path(arguments[0])
    header = {f"model.layers.{n}.weight": {"dtype": "F16", "shape": [2], "data_offsets": [4 * n, 4 * n + 4]}
              for n in range(60_000 // scale)}
    names = [f"model-{n:05d}.safetensors" for n in range(1_000 // scale)]
    raw = json.dumps(header).encode()
    safetensors(path / names[0], raw, 4 * len(header))
    for name in names[1:]:
        os.link(path / names[0], path / name)
    weight_map = {tensor: names[n % len(names)] for n, tensor in enumerate(header)}
    (path / "model.safetensors.index.json").write_text(json.dumps({"weight_map": weight_map}), encoding="utf-8")
    return f"safetensors: a {len(raw) / 1e6:.0f} MB header under {len(names):,} names", arguments


def headers_past_the_budget(folder: Path, scale: int) -> Built:
    """Three models of a 100 MB header each: 300 MB, past the run's budget of 256 MiB."""
    size = 100_000_000 // scale
    header = b'{"__metadata__": {"format": "pt"}' + b" " * (size - 35) + b"}"
    paths = []
    for n in range(3):
        path = folder / f"llama-7b-{n}"
        path.mkdir()
        safetensors(path / "model.safetensors", header, 0)
        paths.append(str(path))
    return f"safetensors: 3 headers of {size / 1e6:.0f} MB (budget 256 MiB)", paths


def gguf_headers(folder: Path, scale: int) -> Built:
    """32 GGUF files, each a header of 100,000 metadata entries (the most a check reads in one):
    the folder's budget of 200,000 entries stops the reading after three."""
    count = 100_000 // scale
    entry = (1).to_bytes(8, "little") + b"a" + (0).to_bytes(4, "little") + b"\x01"  # `a`: a uint8
    header = b"GGUF" + (3).to_bytes(4, "little") + (0).to_bytes(8, "little") + count.to_bytes(8, "little")
    arguments = model(folder)
    for number in range(32):
        (Path(arguments[0]) / f"llama-7b-Q4_K_M-{number:02d}.gguf").write_bytes(header + entry * count)
    return f"gguf: 32 headers of {count:,} metadata entries", arguments


def big_readme(folder: Path, scale: int) -> Built:
    line = "A line of the model card that goes on and on. " * 20 + "\n"
    card = "---\nlicense: mit\npipeline_tag: text-generation\n---\n" + line * (50_000_000 // scale // len(line))
    return f"card: a README of {len(card) / 1e6:.0f} MB", model(folder, {"README.md": card})


def alias_bomb(folder: Path, scale: int) -> Built:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 9) + "]" for level in range(1, 9)]
    return "card: YAML alias bomb (9 levels of 9)", model(folder, {"README.md": "---\n" + "\n".join(lines) + "\n---\n"})


def deep_nesting(folder: Path, scale: int) -> Built:
    return ("card: YAML nested 10,000 deep",
            model(folder, {"README.md": "---\ndeep: " + "[" * 10_000 + "]" * 10_000 + "\n---\n"}))


def config_numbers(folder: Path, scale: int) -> Built:
    config = f'{{"model_type": "llama", "hidden_size": {HUGE_INTEGER}, "num_hidden_layers": NaN}}'
    return "config.json: a 5,000-digit integer and NaN", model(folder, {"config.json": config})


def long_repo_id(folder: Path, scale: int) -> Built:
    return "repo id of 100,000 characters", ["--repo-id", "acme/" + "a" * 100_000]


def fifo_readme(folder: Path, scale: int) -> Built:
    arguments = model(folder)
    os.mkfifo(Path(arguments[0]) / "README.md")
    return "card: README.md is a FIFO", arguments


CASES = [
    Case(many_languages, 0, 150, 20),  # warnings: the Hub takes an unknown code as it is written
    Case(runaway_policy, 2, 5, 2),
    Case(missing_shards, 1, 200, 40),
    Case(linked_header, 1, 20, 10),
    Case(headers_past_the_budget, 1, 25, 30),
    Case(gguf_headers, 1, 30, 2),
    Case(big_readme, 0, 3, 2),
    Case(alias_bomb, 1, 3, 2),
    Case(deep_nesting, 1, 3, 2),
    Case(config_numbers, 1, 3, 2),
    Case(long_repo_id, 1, 3, 2),
    Case(fifo_readme, 1, 3, 2),
]
"""Budgets: about twice what the development machine measures at full size (README "Speed")."""

# ----- running -------------------------------------------------------------------------------------


WRAPPER = """
import os, sys, time
timeout, errors, command = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(os.open(errors, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
        os.execv(command[0], command)
    finally:
        os._exit(127)
while True:
    done, status, usage = os.wait4(pid, os.WNOHANG)
    if done:
        code = os.waitstatus_to_exitcode(status)
        break
    if time.perf_counter() - start > timeout:
        os.kill(pid, 9)
        done, status, usage = os.wait4(pid, 0)
        code = None
        break
    time.sleep(0.001)
print(time.perf_counter() - start, usage.ru_maxrss, code)
"""
"""Runs a command and says its wall time, peak memory (KiB) and exit code (None when stopped at
the timeout). A process of its own, and a small one: Linux counts into a child's peak memory the
memory of the process that forked it, which for this benchmark would be the inputs it built."""


def spawn(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> Run:
    """Run ``command`` in ``cwd`` through ``WRAPPER``, stopped at ``timeout`` seconds."""
    with tempfile.NamedTemporaryFile() as errors:
        wrapper = subprocess.run([sys.executable, "-I", "-S", "-c", WRAPPER, str(timeout), errors.name, *command],
                                 cwd=cwd, env=env, capture_output=True, text=True, check=True)
        text = Path(errors.name).read_text(encoding="utf-8", errors="replace")
    seconds, peak_kib, code = wrapper.stdout.split()
    return Run(None if code == "None" else int(code), float(seconds), int(peak_kib) * 1024, text)


def summary(runs: list[Run]) -> Run:
    """The median time and the largest peak memory of ``runs``, with the last one's exit code and errors."""
    return Run(runs[-1].code, statistics.median(run.seconds for run in runs), max(run.peak_bytes for run in runs),
               runs[-1].stderr)


class Timing:
    """Runs of the baseline check, alternating with the runs of each case, so that whatever else
    the machine does weighs on both alike (as in bench_check.py)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.command = hfname_guard(str(BASELINE_FOLDER.relative_to(BASELINE_CWD)))
        self.all: list[Run] = []

    def baseline(self) -> Run:
        run = spawn(self.command, BASELINE_CWD, self.env, TIMEOUT)
        if run.code != 0:
            raise SystemExit(f"the baseline check failed ({run.code}): {run.stderr}")
        self.all.append(run)
        return run

    def measure(self, command: list[str], cwd: Path, runs: int, timeout: float = TIMEOUT) -> tuple[Run, Run]:
        """``command`` and the baseline, ``runs`` times each, alternating."""
        pairs = [(self.baseline(), spawn(command, cwd, self.env, timeout)) for _ in range(runs)]
        return summary([pair[1] for pair in pairs]), summary([pair[0] for pair in pairs])


def hfname_guard(*args: str) -> list[str]:
    return [sys.executable, "-m", "hfname_guard", "check", *args]


def problem(run: Run, case: Case, baseline: Run) -> str | None:
    """Why a case fails, if it does."""
    if run.code is None:
        return f"did not finish in {TIMEOUT:.0f} s"
    if run.code != case.exit_code or "Traceback" in run.stderr:
        return f"exit code {run.code} (expected {case.exit_code}): {run.stderr.strip()[-300:]}"
    if run.seconds > case.time_budget * baseline.seconds:
        return f"over its time budget of {case.time_budget:g} baseline checks"
    if run.peak_bytes > case.memory_budget * baseline.peak_bytes:
        return f"over its memory budget of {case.memory_budget:g} baseline peaks"
    return None


def row(label: str, run: Run, baseline: Run, budget: str, timeout: float = TIMEOUT) -> str:
    if run.code is None:
        return f"{label:<52} {'':>4}  did not finish in {timeout:g} s"
    return (f"{label:<52} {run.code:>4}  {run.seconds * 1000:9.1f} ms {run.seconds / baseline.seconds:7.1f}x"
            f"  {run.peak_bytes / 2**20:7.1f} MiB {run.peak_bytes / baseline.peak_bytes:5.1f}x  {budget}")


def regex_contrast(timing: Timing, workdir: Path, timeout: float) -> tuple[Run, Run]:
    """What the refused pattern costs where nothing refuses it: plain `re` on a 30-character name."""
    code = "import re, sys; re.fullmatch(sys.argv[1], sys.argv[2])"
    return timing.measure([sys.executable, "-c", code, RUNAWAY, RUNAWAY_INPUT], workdir, 1, timeout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="inputs a tenth of the size (a few seconds in all)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each case (default 3)")
    arguments = parser.parse_args(argv)
    scale = 10 if arguments.quick else 1
    regex_timeout = REGEX_TIMEOUT / scale

    compileall.compile_dir(str(ROOT / "hfname_guard"), quiet=1)  # as installed: see bench_check.py
    failures: list[str] = []
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as temporary:
        workdir = Path(temporary)
        env = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
        env.update(HFNAME_GUARD_CACHE_DIR=str(workdir / "cache"), NO_COLOR="1", PYTHONPATH=str(ROOT))
        timing = Timing(env)
        progress = sys.stderr.isatty()  # a counter rewritten in place; in a log it would be one long line
        timing.baseline()  # warms the validation cache and the file system
        timing.all.clear()
        for number, case in enumerate(CASES):
            folder = workdir / f"case{number}"
            folder.mkdir()
            label, args = case.build(folder, scale)
            run, baseline = timing.measure(hfname_guard(*args), folder, arguments.runs)
            rows.append(row(label, run, baseline, f"{case.time_budget:g}x, {case.memory_budget:g}x"))
            why = problem(run, case, baseline)
            if why is not None:
                failures.append(f"{label}: {why}")
            if case.build is runaway_policy:
                contrast, baseline = regex_contrast(timing, workdir, regex_timeout)
                rows.append(row(f"  plain re: `{RUNAWAY}` on 30 digits and `!`", contrast, baseline, "(no budget)",
                                timeout=regex_timeout))
            if progress:
                print(f"\rcase {number + 1}/{len(CASES)}", end="", file=sys.stderr, flush=True)
        if progress:
            print(file=sys.stderr)
    baseline = summary(timing.all)
    print(f"{'case':<52} {'exit':>4}  {'time':>12} {'ratio':>8}  {'peak memory':>11} {'ratio':>6}  budget")
    print(row("baseline: check examples/models/llama-8b-chat-en-v1", baseline, baseline, ""))
    print("\n".join(rows))
    for failure in failures:
        print(f"FAILED {failure}")
    if arguments.quick:
        print("(--quick: inputs a tenth of the size)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
