"""Editor support that works offline: the starter policy passes yamllint's defaults, names the
schema of its own version, and the schema is ready for SchemaStore."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from action_runner import ROOT

from hfname_guard import __version__

SCHEMA_LINE = "# yaml-language-server: $schema="


def test_init_writes_a_policy_yamllint_accepts_without_a_warning(tmp_path: Path) -> None:
    policy = tmp_path / ".hfname-guard.yaml"
    written = subprocess.run([sys.executable, "-m", "hfname_guard", "init", str(policy)], capture_output=True,
                             text=True, timeout=60)
    assert written.returncode == 0, written.stderr
    linted = subprocess.run([sys.executable, "-m", "yamllint", "--strict", str(policy)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert linted.returncode == 0 and not linted.stdout, linted.stdout + linted.stderr


def test_the_starter_policy_names_the_schema_of_its_own_version(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    subprocess.run([sys.executable, "-m", "hfname_guard", "init", str(policy)], check=True, capture_output=True,
                   timeout=60)
    [line] = [line for line in policy.read_text(encoding="utf-8").splitlines() if line.startswith(SCHEMA_LINE)]
    url = line.removeprefix(SCHEMA_LINE)
    prefix = f"https://raw.githubusercontent.com/hfname-guard/hfname-guard/v{__version__}/"
    assert url.startswith(prefix), f"bump the starter policy's schema line to v{__version__}: {url}"
    assert (ROOT / url.removeprefix(prefix)).is_file()


def test_the_schemastore_entry_matches_the_schema() -> None:
    entry = json.loads((ROOT / "docs" / "schemastore-catalog-entry.json").read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schemas" / "policy.schema.json").read_text(encoding="utf-8"))
    assert entry["url"] == schema["$id"]
    assert set(entry["fileMatch"]) == {".hfname-guard.yaml", ".hfname-guard.yml"}
    assert entry["name"] == schema["title"] and entry["description"]
