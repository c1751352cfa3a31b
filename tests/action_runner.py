"""Run a composite action's steps the way the GitHub Actions runner does, for tests.

The runner evaluates `${{ }}` expressions against the `inputs`, `github` and `steps` contexts
(inputs fall back to their defaults from action.yml), runs each `run:` step's script with
`bash --noprofile --norc -eo pipefail`, gives every step a fresh `GITHUB_OUTPUT` file and the
job's `GITHUB_STEP_SUMMARY`, collects the outputs of steps with an `id`, and maps them to the
action's `outputs`. Only what action.yml uses is implemented; anything else fails loudly.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class StepFailed(Exception):
    def __init__(self, name: str, result: subprocess.CompletedProcess[str]) -> None:
        super().__init__(f"step {name!r} exited {result.returncode}")
        self.result = result


class ActionRun:
    """One run of the action: the outputs, each step's output text, and the job summary."""

    def __init__(self) -> None:
        self.outputs: dict[str, str] = {}
        self.logs: dict[str, subprocess.CompletedProcess[str]] = {}
        self.seconds: dict[str, float] = {}
        """Each step's wall time."""
        self.failed: str | None = None
        self.summary = ""


def run_action(
    inputs: dict[str, str],
    *,
    workspace: Path,
    runner_temp: Path,
    environ: dict[str, str],
    skip: tuple[str, ...] = (),
    action_path: Path = ROOT,
    timeout: int = 300,
) -> ActionRun:
    action = yaml.safe_load((action_path / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    declared = action.get("inputs", {})
    unknown = set(inputs) - set(declared)
    assert not unknown, f"inputs the action does not declare: {unknown}"
    context = {
        "inputs": {name: inputs.get(name, _default(spec, environ)) for name, spec in declared.items()},
        "github": {"token": environ.get("GITHUB_TOKEN", "")},
        "steps": {},
    }
    summary = runner_temp / "step-summary.md"
    summary.unlink(missing_ok=True)
    run = ActionRun()
    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {index}")
        if name in skip:
            continue
        assert step.get("shell") == "bash" and "run" in step, f"only bash run steps are supported: {name}"
        output_file = runner_temp / f"output-{index}"
        output_file.write_text("", encoding="utf-8")
        script = runner_temp / f"step-{index}.sh"
        script.write_text(_evaluate(step["run"], context), encoding="utf-8")
        env = {
            **environ,
            "GITHUB_ACTION_PATH": str(action_path),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(summary),
            "RUNNER_TEMP": str(runner_temp),
            **{key: _evaluate(str(value), context) for key, value in step.get("env", {}).items()},
        }
        start = time.perf_counter()
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                                env=env, capture_output=True, text=True, timeout=timeout)
        run.seconds[name] = time.perf_counter() - start
        run.logs[name] = result
        if "id" in step:
            context["steps"][step["id"]] = {"outputs": _outputs(output_file)}
        if result.returncode != 0:
            run.failed = name
            break
    run.outputs = {name: _evaluate(spec["value"], context) for name, spec in action.get("outputs", {}).items()}
    run.summary = summary.read_text(encoding="utf-8") if summary.exists() else ""
    return run


def _default(spec: dict[str, Any], environ: dict[str, str]) -> str:
    default = str(spec.get("default", ""))
    return EXPRESSION.sub(lambda match: _lookup(match.group(1), {"github": {"token": environ.get("GITHUB_TOKEN", "")}}),
                          default)


def _evaluate(text: str, context: dict[str, Any]) -> str:
    return EXPRESSION.sub(lambda match: _lookup(match.group(1), context), text)


def _lookup(expression: str, context: dict[str, Any]) -> str:
    value: Any = context
    for part in expression.split("."):
        if not isinstance(value, dict) or part not in value:
            return ""  # as the runner does: a missing property evaluates to an empty string
        value = value[part]
    return str(value)


def _outputs(path: Path) -> dict[str, str]:
    """`name=value` lines and `name<<DELIMITER` blocks, as GITHUB_OUTPUT holds them."""
    outputs: dict[str, str] = {}
    lines = iter(path.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if "<<" in line and "=" not in line.split("<<")[0]:
            name, delimiter = line.split("<<", 1)
            value = []
            for following in lines:
                if following == delimiter:
                    break
                value.append(following)
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value_text = line.split("=", 1)
            outputs[name] = value_text
    return outputs
