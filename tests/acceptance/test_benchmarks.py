"""The benchmarks run: each one, at its small sizes, in the suite, so that none rots unnoticed
(the README quotes what they print). Those that read the project's Hub data, which a clone
does not hold, are given an empty folder and say they are skipped: the suite needs nothing
outside the clone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_benchmark_runs_at_its_small_sizes(tmp_path: Path) -> None:
    completed = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run_all.py"), "--quick", "--data",
                                str(tmp_path / "no-hub-data")], capture_output=True, text=True, timeout=300,
                               check=False, cwd=tmp_path)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    for script in ("bench_hostile.py", "bench_hub.py", "bench_audit.py"):
        assert f"== {script}: ok," in completed.stdout, completed.stdout
    assert "== bench_check.py: " in completed.stdout  # few samples: a missed budget is reported, not failed
    assert "   budget 1.5" in completed.stdout  # but it ran to its end
    assert "== bench_action.py: " in completed.stdout  # one sample: a missed budget is reported, not failed
    assert "   budget: the whole action at most 0.5" in completed.stdout
    for script in ("bench_names.py", "bench_gguf_names.py", "bench_cards.py"):
        assert f"== {script}: skipped, it reads" in completed.stdout
    assert "PASS" in completed.stdout and "Traceback" not in completed.stdout + completed.stderr
