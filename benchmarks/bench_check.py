"""Cold start of `hfname-guard check` and of the pre-commit `hfname-guard hook` on one model
folder, against `python -c "import yaml"`, for a folder whose name agrees with its files and
for one whose name contradicts them.

The folders are the examples' (with the examples' policy), copied to a temporary directory:
`llama-8b-chat-en-v1`, given the config.json of a Llama 3 8B, which it names truly, and
`bert-110m-ner-en-v1`, whose config.json says RoBERTa (an error, and a fix to propose). Each
command runs once before the timing, as an earlier commit would have, so that the policy's
validation and the parse cache are warm; one more row times the hook on a copy of the first
folder whose card's metadata is edited before every run, so that PyYAML parses it: a commit
that changes a card. The baseline is the cheapest program that could read a YAML policy at
all: the interpreter starting and importing PyYAML. All run side by side, alternating, in
fresh processes, so that whatever else the machine is doing weighs on all alike. The budget
(docs: README "Speed") is a median ratio of at most 1.5, for the warm rows; the aim (issue
16), 1.3.

    python benchmarks/bench_check.py [--runs 40]

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
EXAMPLES = ROOT / "examples"
LLAMA_3_8B = ('{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 4096, '
              '"intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32, '
              '"num_key_value_heads": 8, "vocab_size": 128256}\n')


def folders(root: Path) -> dict[str, Path]:
    """The model folders, under a copy of the examples' policy at ``root``."""
    root.mkdir()
    shutil.copy(EXAMPLES / ".hfname-guard.yaml", root)
    agrees = shutil.copytree(EXAMPLES / "models" / "llama-8b-chat-en-v1", root / "models" / "llama-8b-chat-en-v1")
    (agrees / "config.json").write_text(LLAMA_3_8B, encoding="utf-8")
    contradicts = shutil.copytree(EXAMPLES / "models" / "bert-110m-ner-en-v1", root / "models" / "bert-110m-ner-en-v1")
    edited = shutil.copytree(agrees, root / "models" / "llama-8b-chat-en-v2")
    return {"agrees": agrees, "contradicts": contradicts, "card edited": edited}


def edit_card(folder: Path, run: int) -> None:
    """A metadata block PyYAML has not parsed yet: a comment line of its own in it."""
    card = folder / "README.md"
    card.write_text(card.read_text(encoding="utf-8").replace("---\n", f"---\n# edit {run}\n", 1), encoding="utf-8")


def commands(folder: Path, kind: str, cwd: Path) -> dict[str, list[str]]:
    """The two ways a check starts: by hand (`check FOLDER`) and from pre-commit (`hook FILES`,
    with every file of the folder, as a commit that adds the model passes them)."""
    script = shutil.which("hfname-guard", path=str(Path(sys.executable).parent))
    program = [script] if script else [sys.executable, "-m", "hfname_guard"]
    files = sorted(str(path.relative_to(cwd)) for path in folder.iterdir() if path.is_file())
    return {f"check, {kind}": [*program, "check", str(folder.relative_to(cwd))],
            f"hook, {kind}": [*program, "hook", *files]}


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
    arguments = parser.parse_args(argv)

    # An installed package has its bytecode compiled; an editable checkout under
    # PYTHONDONTWRITEBYTECODE would recompile every module on every run, which no user sees.
    compileall.compile_dir(str(ROOT / "hfname_guard"), quiet=1)
    with tempfile.TemporaryDirectory() as temporary:
        cwd = Path(temporary, "repository")
        env = {**os.environ, "HFNAME_GUARD_CACHE_DIR": str(Path(temporary, "cache"))}
        made = folders(cwd)
        edited = made.pop("card edited")
        measured = {label: command for kind, folder in made.items()
                    for label, command in commands(folder, kind, cwd).items()}
        measured["hook, card edited"] = commands(edited, "card edited", cwd)["hook, card edited"]
        baseline = [sys.executable, "-c", "import yaml"]
        for command in measured.values():  # warm the validation cache and the file system, as a second commit would
            time_once(command, env, cwd)
        times: dict[str, list[float]] = {"baseline": [], **{label: [] for label in measured}}
        progress = sys.stderr.isatty()  # a counter rewritten in place; in a log it would be one long line
        for run in range(arguments.runs):
            times["baseline"].append(time_once(baseline, env, cwd))
            edit_card(edited, run)
            for label, command in measured.items():
                times[label].append(time_once(command, env, cwd))
            if progress:
                print(f"\rrun {run + 1}/{arguments.runs}", end="", file=sys.stderr, flush=True)
        if progress:
            print(file=sys.stderr)

    baseline_median = statistics.median(times.pop("baseline"))
    print(f"python -c 'import yaml'          median {baseline_median * 1000:6.1f} ms")
    worst = 0.0
    for label, samples in times.items():
        median = statistics.median(samples)
        if label != "hook, card edited":
            worst = max(worst, median / baseline_median)
        print(f"hfname-guard {label:<19} median {median * 1000:6.1f} ms  ratio {median / baseline_median:.2f}")
    print(f"budget {BUDGET}, aim 1.3")
    return 0 if worst <= BUDGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
