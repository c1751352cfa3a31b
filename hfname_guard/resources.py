"""Files shipped with the package: the JSON Schemas and the built-in policy presets.

Paths are plain strings (``os.path``): pathlib costs more to import than a whole check.
"""

from __future__ import annotations

import os

PACKAGE = os.path.dirname(os.path.abspath(__file__))
PRESETS = os.path.join(PACKAGE, "presets")
STARTER_POLICY = os.path.join(PACKAGE, "starter-policy.yaml")


def schema_path(name: str) -> str:
    """``schemas/NAME`` from the wheel, or from the source tree in an editable install."""
    packaged = os.path.join(PACKAGE, "schemas", name)
    return packaged if os.path.exists(packaged) else os.path.join(os.path.dirname(PACKAGE), "schemas", name)


def preset_path(name: str) -> str:
    return os.path.join(PRESETS, f"{name}.yaml")


def preset_names() -> list[str]:
    return sorted(entry[: -len(".yaml")] for entry in os.listdir(PRESETS) if entry.endswith(".yaml"))


def read_text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()
