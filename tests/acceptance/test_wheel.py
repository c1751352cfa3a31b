"""The wheel carries what an installed hfname-guard needs: schemas, presets, vocabularies."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_ships_the_schemas_presets_and_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        check=True, timeout=300, capture_output=True,
    )
    [wheel] = tmp_path.glob("hfname_guard-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for schema in ("policy.schema.json", "report.schema.json"):
            packaged = json.loads(archive.read(f"hfname_guard/schemas/{schema}"))
            assert packaged == json.loads((ROOT / "schemas" / schema).read_text(encoding="utf-8"))
    expected = {
        "hfname_guard/presets/default.yaml",
        "hfname_guard/presets/hub.yaml",
        "hfname_guard/starter-policy.yaml",
        "hfname_guard/names/data/architecture_words.tsv",
        "hfname_guard/names/data/languages_iso639_3.txt",
        "hfname_guard/names/data/hub_licenses.txt",
    }
    assert expected <= names
    maintainer_tools = sorted(name for name in names if "build_knowledge" in name or name.startswith("scripts/"))
    assert maintainer_tools == [], "scripts/ (the knowledge base's build) is a maintainer tool, not in the wheel"
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    with zipfile.ZipFile(wheel) as archive:
        assert "hfname-guard = hfname_guard.cli:run" in archive.read(entry_points).decode()
