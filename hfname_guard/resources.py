"""Files shipped with the package: the JSON Schemas and the built-in policy presets."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).parent
PRESETS = PACKAGE / "presets"
STARTER_POLICY = PACKAGE / "starter-policy.yaml"


def schema_path(name: str) -> Path:
    """``schemas/NAME`` from the wheel, or from the source tree in an editable install."""
    packaged = PACKAGE / "schemas" / name
    return packaged if packaged.exists() else PACKAGE.parent / "schemas" / name


def preset_names() -> list[str]:
    return sorted(path.stem for path in PRESETS.glob("*.yaml"))
