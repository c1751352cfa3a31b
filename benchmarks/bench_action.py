"""Wall time of the whole GitHub Action on a pull request, install included, against creating a
virtual environment and pip-installing PyYAML into it.

    python benchmarks/bench_action.py [--runs 5]

Method. A pull request as the Action's tests build it (``tests/acceptance/action_setup.py``): a
git checkout whose base commit holds a policy and whose head adds a model folder whose name
contradicts its config (so the run reports, and comments), served by the local GitHub API of the
tests (``tests/github_server.py``). Each run of the action is a fresh ``RUNNER_TEMP``, as on a
hosted runner, and runs every step of action.yml the way the runner does
(``tests/action_runner.py``): the install (a venv without pip, the pinned dependencies of
``hfname_guard/requirements/check.txt`` through the runner's pip, the package copied in) and the
check, which comments on the pull request. pip reads the package index this machine is
configured with, in both the action and the yardstick.

Yardstick. ``python3 -m venv`` and ``pip install pyyaml`` into it, in a fresh folder, in the same
run: the least any Python action that installs with pip spends. The figure is the ratio
action/yardstick of the medians of ``--runs`` runs, alternating. Budget (issue 16): at most 0.5.
Exits 1 when it is missed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "acceptance")]

from action_runner import run_action  # noqa: E402
from action_setup import CHECK, INSTALL, base_environ, event_file, open_pull_request, serve  # noqa: E402
from github_server import TOKEN, FakeGitHub  # noqa: E402

BUDGET = 0.5
CONFIG = '{"model_type": "mistral", "hidden_size": 4096, "num_hidden_layers": 32}\n'
CARD = "---\nlicense: mit\npipeline_tag: text-generation\n---\n# a model\n"


def yardstick(folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run(["python3", "-I", "-m", "venv", str(folder / "venv")], check=True, cwd=folder)
    subprocess.run([str(folder / "venv" / "bin" / "python"), "-I", "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", "pyyaml"], check=True, cwd=folder)
    return time.perf_counter() - start


def action(folder: Path, server: FakeGitHub, number: int) -> tuple[float, dict[str, float]]:
    workspace, runner_temp = folder / "workspace", folder / "runner-temp"
    workspace.mkdir()
    runner_temp.mkdir()
    pull = open_pull_request(workspace, number, {"models/llama-7b-chat/config.json": CONFIG,
                                                 "models/llama-7b-chat/README.md": CARD})
    serve(server, pull)
    environ = {**base_environ(runner_temp), "GITHUB_API_URL": server.url, "GITHUB_TOKEN": TOKEN,
               "GITHUB_EVENT_PATH": str(event_file(runner_temp / "event.json", pull)),
               "GITHUB_EVENT_NAME": "pull_request", "GITHUB_SHA": pull.head}
    start = time.perf_counter()
    run = run_action({}, workspace=workspace, runner_temp=runner_temp, environ=environ, timeout=300)
    seconds = time.perf_counter() - start
    if run.failed is not None and run.failed != CHECK:
        raise SystemExit(f"the step {run.failed!r} failed:\n{run.logs[run.failed].stderr}")
    if run.outputs.get("errors") in (None, "", "0") or not server.comment_bodies(number):
        raise SystemExit(f"the action did not report the contradicting name:\n{run.logs[CHECK].stderr}")
    return seconds, run.seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each, alternating (default 5)")
    arguments = parser.parse_args(argv)
    baselines: list[float] = []
    actions: list[float] = []
    steps: dict[str, list[float]] = {}
    with FakeGitHub() as server, tempfile.TemporaryDirectory(prefix="bench-action-") as temporary:
        for run in range(arguments.runs):
            folder = Path(temporary, f"run-{run}")
            (folder / "yardstick").mkdir(parents=True)
            baselines.append(yardstick(folder / "yardstick"))
            seconds, step_seconds = action(folder, server, number=run + 1)
            actions.append(seconds)
            for name, elapsed in step_seconds.items():
                steps.setdefault(name, []).append(elapsed)
            print(f"run {run + 1}/{arguments.runs}: yardstick {baselines[-1]:.2f} s, action {seconds:.2f} s",
                  file=sys.stderr)
    baseline, whole = statistics.median(baselines), statistics.median(actions)
    print(f"{'':44} {'median s':>9} {'ratio':>6}")
    print(f"{'yardstick: python3 -m venv + pip install pyyaml':44} {baseline:9.2f} {1:6.2f}")
    print(f"{'the whole action (install, check, comment)':44} {whole:9.2f} {whole / baseline:6.2f}")
    for name in (INSTALL, CHECK):
        part = statistics.median(steps[name])
        print(f"{'  step: ' + name[:36]:44} {part:9.2f} {part / baseline:6.2f}")
    ratio = whole / baseline
    print(f"budget: the whole action at most {BUDGET} x the yardstick: {ratio:.2f} "
          f"({'met' if ratio <= BUDGET else 'MISSED'}; {arguments.runs} runs each)")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
